// The web chat page in Debian's Chromium against the real action server, Rasa server and page server: a whole
// interview with its cards and report, the queue, the keyboard, a phone. Run by scripts/test.sh (`make test`);
// screenshots of the main states go to test-output/screenshots/ (accessibility.test.mjs has the rest).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { lowContrastText } from './contrast.mjs';
import {
  PHONE, SKIP, STRONG_ANSWER, axeFindings, browse as openPage, followUps, moveOnPastFollowUp, savedEntries, send, shot,
  smallTargets, withServers,
} from './helpers.mjs';
import { PROJECT_ROOT } from './servers.mjs';

const MARKUP_ANSWER = 'I listen to the customer first <script>window.__injected = "script"</script> and then '
  + '<img src=x onerror="window.__injected = \'img\'"> follow up by email until it is solved.';
const FOLLOW_UP_REPLY = 'We added survey comments, call reasons and interviews with twelve new customers to the map, '
  + 'and ranked each pain point by how many customers it affected and what it cost us in churn.';

let run;
const browse = (options, senderId) => openPage(run, options, senderId);
const progress = (page) => page.locator('#progress');

// How many events the Rasa server's SQLite tracker store holds for a sender (read with Python's sqlite3).
function storedEvents(sender) {
  const script = 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); '
    + 'print(db.execute("select count(*) from events where sender_id = ?", (sys.argv[2],)).fetchone()[0])';
  return Number(execFileSync(process.env.RASA_PYTHON, ['-c', script, join(run.servers.workdir, 'tracker.db'), sender])
    .toString().trim());
}

// Whether an element lies wholly inside the scrolling conversation, as the candidate sees it.
function fullyInView(locator) {
  return locator.evaluate((node) => {
    const view = document.getElementById('conversation').getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
  });
}

describe('web chat page', { skip: SKIP }, () => {
  run = withServers();

  test('Rasa answers the page origin only (CORS)', async () => {
    const preflight = (origin) => fetch(`${run.servers.rasaUrl}/webhooks/rest/webhook`, {
      method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    const pageOrigin = new URL(run.servers.pageUrl).origin;
    assert.equal((await preflight(pageOrigin)).headers.get('access-control-allow-origin'), pageOrigin);
    assert.equal((await preflight('http://evil.example')).headers.get('access-control-allow-origin'), null);
  });

  test('the REST webhook takes JSON only: a cross-site text/plain POST stores nothing', async () => {
    const { page } = await browse();
    // Another site, as a browser sees it: a page of another origin posting "simple" requests, which a browser sends
    // without asking the server first (no CORS preflight). localhost is another site than 127.0.0.1, and on the
    // loopback address the browser's own rules for public pages reaching private ones do not stand in the way.
    const webhook = `${run.servers.rasaUrl}/webhooks/rest/webhook`;
    const otherSite = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<!DOCTYPE html><title>Another site</title><p>Another site</p>');
    });
    await new Promise((listening) => otherSite.listen(0, '127.0.0.1', listening));
    await page.goto(`http://localhost:${otherSite.address().port}/`);
    otherSite.close();
    const statuses = [];
    page.on('response', (response) => {
      if (response.url() === webhook) statuses.push(response.status());
    });
    await page.evaluate(async (url) => {
      await fetch(url, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ sender: 'cross-site', message: 'hi' }) });
      const form = new FormData();
      form.append('sender', 'cross-site-form');
      form.append('message', 'hi');
      await fetch(url, { method: 'POST', mode: 'no-cors', body: form });
    }, webhook);
    for (let wait = 0; wait < 50 && statuses.length < 2; wait += 1) await page.waitForTimeout(100);
    assert.deepEqual(statuses, [415, 415], 'both requests reached Rasa and were refused');
    const plain = await fetch(`${run.servers.rasaUrl}/webhooks/rest/webhook`, {
      method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ sender: 'plain', message: 'hi' }),
    });
    assert.equal(plain.status, 415);
    assert.match((await plain.json()).error, /application\/json/);
    // The same message as JSON is taken: the store is read the same way, so the check above can fail.
    const json = await fetch(`${run.servers.rasaUrl}/webhooks/rest/webhook`, {
      method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ sender: 'json-sender', message: 'hi' }),
    });
    assert.equal(json.status, 200);
    assert.ok(storedEvents('json-sender') > 0, 'a JSON message is stored');
    for (const sender of ['cross-site', 'cross-site-form', 'plain']) assert.equal(storedEvents(sender), 0, sender);
  });

  test('a whole interview: question panel, feedback cards, follow-up, summary card and report', async () => {
    const { page, problems } = await browse({ permissions: ['clipboard-read', 'clipboard-write'] }, 'e2e-candidate');
    await page.getByText("I'm CX Interview Coach, a bot").waitFor();
    assert.match(await page.locator('.bot-badge').innerText(), /bot/i);
    const level = page.getByRole('button', { name: 'Mid (2-5 years)' });
    await shot(page, '01-greeting');

    // Buttons render as buttons; clicking one sends its payload and shows its title as the candidate's message.
    await level.click();
    await page.locator('.message.user', { hasText: 'Mid (2-5 years)' }).waitFor();
    await page.getByText('How many questions would you like?').waitFor();
    assert.equal(await level.isDisabled(), true, 'used buttons are disabled');
    await page.getByRole('button', { name: '3', exact: true }).waitFor();
    await send(page, '2');
    await page.locator('#progress', { hasText: 'Question 1 of 2' }).waitFor();

    // The question stands apart from the chat bubbles: a full-width panel with its own heading.
    const question = page.locator('.message.question').first();
    assert.match(await question.getByRole('heading', { level: 2 }).innerText(), /^Question 1 of 2 · /);
    const widths = await question.evaluate((node) => [node.getBoundingClientRect().width,
      node.parentElement.getBoundingClientRect().width, getComputedStyle(node).borderLeftWidth]);
    assert.ok(widths[0] >= widths[1] - 1, `question panel ${widths[0]}px of ${widths[1]}px`);
    assert.equal(widths[2], '5px');

    let asked = await followUps(page).count();
    await send(page, STRONG_ANSWER);
    const card = page.locator('.feedback-card').first();
    await card.waitFor();
    const feedback = (await savedEntries(page)).find((entry) => entry.custom?.kind === 'answer_feedback').custom;
    // The card leads with the verdict, then what the answer did well, then what to add.
    const order = await card.evaluate((node) => [...node.children].map((child) => child.className || child.tagName));
    assert.deepEqual(order.slice(0, 3), ['card-header', 'verdict', 'card-section did-well']);
    assert.ok(order.indexOf('card-section did-well') < order.indexOf('card-section to-add'), order.join(' '));
    assert.equal(await card.locator('.verdict').innerText(), feedback.verdict);
    assert.match(await card.locator('.kicker').innerText(), /^Question 1 of 2 · /);
    const score = Number(await card.locator('.score-value').innerText());
    assert.equal(score, feedback.score);
    // Points covered are told to the reader ("You ..."), in plain weight, not as bold rubric sentences.
    const wellDone = card.locator('.did-well li');
    assert.ok(feedback.covered.length > 0, 'a strong answer covers criteria');
    assert.deepEqual(await wellDone.allInnerTexts(), feedback.covered.map((item) => item.shown));
    for (const item of feedback.covered) assert.match(item.shown, /^You /);
    assert.equal(await wellDone.first().evaluate((node) => getComputedStyle(node).fontWeight), '400');
    // The candidate's answer, with the words that earned each point marked and numbered.
    const answerShown = await card.locator('.your-answer .answer-text').evaluate((node) => {
      const copy = node.cloneNode(true);
      copy.querySelectorAll('sup, .visually-hidden').forEach((extra) => extra.remove());
      return copy.textContent;
    });
    assert.equal(answerShown, STRONG_ANSWER);
    const marks = await card.locator('.your-answer mark').evaluateAll((nodes) => nodes.map((node) => ({
      text: node.textContent, points: node.nextElementSibling.textContent.split(',').map(Number) })));
    assert.ok(marks.length > 0, 'marked words');
    feedback.covered.forEach((item, index) => {
      const words = item.evidence.replace(/…$/, '').split('\n')[0].slice(0, 40);
      assert.ok(marks.some((mark) => mark.points.includes(index + 1) && mark.text.includes(words)),
        `point ${index + 1} marks "${words}"`);
    });
    for (const tip of await card.locator('.to-add li').allInnerTexts()) assert.ok(tip.trim().length > 10, tip);

    // A follow-up on the gap: the reply's card says what changed, not the whole feedback again.
    const came = await moveOnPastFollowUp(page, asked, page.locator('#progress', { hasText: 'Question 2 of 2' }),
      FOLLOW_UP_REPLY);
    if (came) {
      const change = page.locator('.follow-up-card');
      await change.waitFor();
      assert.equal(await change.locator('h2').innerText(), 'After your follow-up');
      assert.match(await change.locator('.score').innerText(), /^\d+ → \d+ \/ 100$/);
      assert.equal(await change.locator('.did-well li, .your-answer').count() > 0
        || await change.getByText("Your follow-up didn't add").count() > 0, true);
      assert.equal(await change.locator('h3', { hasText: 'What you did well' }).count(), 0);
      assert.equal(await change.locator('.your-answer').getByText('We mapped every step').count(), 0,
        'the first answer is not shown again');
    }
    // After feedback the next question is in view, not below the fold.
    await page.waitForTimeout(300); // the scroll is synchronous, but let layout settle
    assert.ok(await fullyInView(page.locator('.message.question').last()), 'the next question is in view');
    await shot(page, '02-next-question-after-feedback');

    // Reload mid-interview: the same conversation comes back and goes on.
    const sender = await page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).senderId);
    await page.reload();
    await page.locator('.feedback-card').first().waitFor();
    assert.equal(await progress(page).innerText(), 'Question 2 of 2');
    assert.equal(sender, 'e2e-candidate');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'message');

    // Markup is shown as the candidate typed it and never runs; red flags are not in the green "covered" style.
    asked = await followUps(page).count();
    await send(page, MARKUP_ANSWER);
    const markupCard = page.locator('.feedback-card').last();
    await page.locator('.message.user', { hasText: '<script>' }).waitFor();
    await page.locator('.feedback-card .your-answer', { hasText: '<script>' }).waitFor();
    const flags = markupCard.locator('.red-flags');
    assert.ok(await flags.locator('li').count() > 0, 'an answer with no example and no metric raises red flags');
    const flagStyle = await flags.evaluate((node) => getComputedStyle(node).borderLeftColor);
    const coveredGreen = 'rgb(30, 107, 58)';
    assert.notEqual(flagStyle, coveredGreen);
    assert.equal(flagStyle, 'rgb(166, 27, 27)');
    await markupCard.scrollIntoViewIfNeeded();
    await shot(page, '03-red-flags');
    const summaryCard = page.locator('.summary-card');
    await moveOnPastFollowUp(page, asked, summaryCard);
    const shown = page.locator('.message.user', { hasText: '<script>' });
    assert.equal(await shown.locator('p').innerText(), MARKUP_ANSWER);
    assert.equal(await page.locator('#transcript img, #transcript script').count(), 0);
    assert.equal(await page.evaluate(() => window.__injected), undefined);
    assert.equal(await progress(page).innerText(), 'Interview finished');

    // The summary is a card with headings, a bar per competency, and buttons instead of "say start".
    const summary = (await savedEntries(page)).find((entry) => entry.custom?.kind === 'interview_summary').custom;
    const headings = await summaryCard.locator('h3').allInnerTexts();
    const expected = ['Scores per question', 'Scores by competency'];
    if (summary.competencies.length > 1) expected.push('Strongest and weakest areas');
    assert.deepEqual(headings, [...expected, 'Level readiness', 'Next steps']);
    assert.equal(await summaryCard.locator('.competency-chart .bar').count(), summary.competencies.length);
    assert.ok(summary.next_steps.length > 0);
    assert.deepEqual(await summaryCard.locator('section', { hasText: 'Next steps' }).locator('li').allInnerTexts(),
      summary.next_steps);
    assert.equal(await summaryCard.getByText(/say .start/i).count(), 0);
    await summaryCard.getByRole('button', { name: 'Practise again' }).waitFor();
    await summaryCard.scrollIntoViewIfNeeded();
    assert.equal(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight), 0,
      'header and message box stay in view: only the conversation scrolls');
    await shot(page, '04-summary');
    // Every text on the page, cards included, passes WCAG AA contrast; axe finds nothing it rates moderate or worse.
    await page.locator('details.privacy summary').click();
    assert.deepEqual(await page.evaluate(lowContrastText), []);
    assert.deepEqual(await axeFindings(page), []);

    // The report: a file download that reads on a phone, with landmarks, headings in order, the follow-up reply
    // inside its question, the red flags, the marked answers, and both answers escaped.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summaryCard.getByRole('button', { name: 'Download report (HTML)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^cx-interview-report-\d{4}-\d{2}-\d{2}\.html$/);
    const report = readFileSync(await download.path(), 'utf8');
    assert.match(report, /^<!DOCTYPE html>/);
    assert.match(report, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(report, /@media print/);
    assert.ok(report.includes('&lt;script&gt;window.__injected = "script"&lt;/script&gt;'), 'script tag escaped');
    assert.ok(report.includes('&lt;img src=x onerror="window.__injected = \'img\'"&gt;'), 'img tag escaped');
    assert.ok(!/<script|<img/i.test(report), 'no live markup in the report');

    const reportPath = join(PROJECT_ROOT, 'test-output', 'report.html');
    await download.saveAs(reportPath);
    const reportPage = await page.context().newPage();
    await reportPage.setViewportSize({ width: 390, height: 844 });
    await reportPage.goto(`file://${reportPath}`);
    const text = await reportPage.locator('body').innerText();
    assert.ok(text.includes('<script>window.__injected'));
    assert.equal(await reportPage.evaluate(() => window.__injected), undefined);
    assert.equal(await reportPage.evaluate(() => document.documentElement.scrollWidth), 390, 'laid out phone-wide');
    assert.doesNotMatch(text, /\.\.\s/, 'no double full stops');
    assert.equal(await reportPage.locator('main').count(), 1);
    const levels = await reportPage.locator('h1, h2, h3, h4').evaluateAll((nodes) => nodes.map((n) => Number(n.tagName[1])));
    assert.equal(levels[0], 1);
    levels.forEach((level, i) => assert.ok(i === 0 || level <= levels[i - 1] + 1, `heading h${level} after h${levels[i - 1]}`));
    assert.equal(await reportPage.locator('.competency-chart .bar').count(), summary.competencies.length);
    for (const item of summary.competencies) {
      assert.equal(await reportPage.locator(`.bar[data-score="${item.score}"]`).count() > 0, true, item.name);
    }
    const first = reportPage.locator('section.question').first();
    assert.equal(await reportPage.locator('h3', { hasText: /^Question 1:/ }).count(), 1, 'one block per question');
    assert.ok((await first.innerText()).includes('We mapped every step with the support, product and sales teams'));
    if (came) {
      assert.ok((await first.innerText()).includes(FOLLOW_UP_REPLY), 'the follow-up reply sits in its question');
      assert.equal(await first.locator('h4', { hasText: 'Your reply' }).count(), 1);
    }
    assert.ok(await first.locator('mark').count() > 0, 'the words that earned points are marked');
    const second = reportPage.locator('section.question').nth(1);
    assert.equal(await second.locator('h4', { hasText: 'What an interviewer might note' }).count(), 1);
    assert.ok(await second.locator('.flags li').count() > 0);
    assert.deepEqual(await axeFindings(reportPage), []);
    await shot(reportPage, '05-report-phone');
    await reportPage.emulateMedia({ media: 'print' });
    await reportPage.setViewportSize({ width: 1280, height: 800 });
    await shot(reportPage, '05-report-print');
    await reportPage.close();

    // The copied summary is plain text without links, and without chat instructions.
    await summaryCard.getByRole('button', { name: 'Copy summary as text' }).click();
    await summaryCard.getByRole('button', { name: 'Summary copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^CX Interview Coach summary/);
    assert.match(copied, /2 of 2 questions answered/);
    assert.match(copied, /Next steps/);
    assert.ok(!/https?:\/\/|www\.|say .start/i.test(copied), 'no links, no chat instructions');

    // Practise again starts a new round from the card.
    await summaryCard.getByRole('button', { name: 'Practise again' }).click();
    await page.getByText('Which level are you preparing for?').last().waitFor();
    assert.equal(await summaryCard.getByRole('button', { name: 'Practise again' }).isDisabled(), true);
    assert.deepEqual(problems, []);
  });

  test('messages sent while the bot is busy are queued and sent in order', async () => {
    const { page, problems } = await browse();
    await page.getByRole('button', { name: 'Senior (5+ years)' }).waitFor();
    const sent = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/webhooks/rest/webhook') && request.method() === 'POST') {
        sent.push(JSON.parse(request.postData()).message);
      }
    });
    // Hold the next message at the network for a moment so another one is typed (or the page reloaded) meanwhile.
    let hold = true;
    await page.route('**/webhooks/rest/webhook', async (route) => {
      if (hold && route.request().method() === 'POST') {
        hold = false;
        await new Promise((wake) => setTimeout(wake, 1500));
      }
      await route.continue().catch(() => {}); // the page may have reloaded meanwhile: the request is gone
    });
    await send(page, 'senior');
    await send(page, '3');
    const queued = page.locator('.message.user', { hasText: '3' });
    assert.match(await queued.innerText(), /waiting to send/);
    assert.equal(await page.locator('#typing').isVisible(), true, 'typing indicator while the bot works');
    await shot(page, '05-queued');
    await page.locator('#progress', { hasText: 'Question 1 of 3' }).waitFor();
    assert.deepEqual(sent, ['senior', '3']);
    assert.equal(await page.locator('#typing').isVisible(), false);
    assert.equal(await page.locator('.status:not(:empty)').count(), 0, 'nothing left waiting');

    // A reload while an answer is on its way loses nothing: the page sends it again and the answer is scored.
    hold = true;
    const asked = await followUps(page).count();
    await send(page, 'I listen first, apologise, fix the problem and follow up with the customer the next day.');
    await page.reload();
    await page.locator('.feedback-card').waitFor();
    assert.equal(await page.locator('.message.user', { hasText: 'I listen first, apologise' }).count(), 1);
    await moveOnPastFollowUp(page, asked, page.locator('#progress', { hasText: 'Question 2 of 3' }));

    // Start over: a new conversation, a fresh greeting.
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).senderId);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('button', { name: 'Junior (0-2 years)' }).waitFor();
    const after_ = await page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).senderId);
    assert.notEqual(after_, before);
    assert.equal(await page.locator('.message.user').count(), 0);
    assert.equal(await progress(page).innerText(), 'Not started');
    assert.deepEqual(problems, []);
  });

  test('keyboard only: focus, buttons, Enter and Shift+Enter', async () => {
    const { page, problems } = await browse();
    await page.getByRole('button', { name: 'Senior (5+ years)' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'message', 'focus starts in the message box');
    // An empty message is not sent; the page says why.
    await page.keyboard.press('Enter');
    assert.match(await page.locator('#composer-status').innerText(), /Nothing to send yet/);
    assert.equal(await page.locator('.message.user').count(), 0);
    // Back from the message box to the choices, the last one first.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Senior (5+ years)');
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return { text: document.activeElement.textContent, outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert.deepEqual(focused, { text: 'Mid (2-5 years)', outline: 'solid', width: '3px' });
    await shot(page, '06-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByText('How many questions would you like?').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'message', 'focus returns to the message box');
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await page.locator('#progress', { hasText: 'Question 1 of 1' }).waitFor();
    await page.keyboard.type('First I listen to the customer and acknowledge the problem.');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Then I fix it and follow up.');
    assert.equal(await page.locator('.message.user').count(), 2, 'Shift+Enter did not send');
    const asked = await followUps(page).count();
    await page.keyboard.press('Enter');
    const answer = page.locator('.message.user', { hasText: 'First I listen' }).locator('p');
    assert.equal(await answer.innerText(),
      'First I listen to the customer and acknowledge the problem.\nThen I fix it and follow up.');
    await moveOnPastFollowUp(page, asked, page.locator('.summary-card'));
    // The report button is reachable and usable from the keyboard.
    await page.locator('.summary-card').getByRole('button', { name: 'Download report (HTML)' }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /\.html$/);
    assert.deepEqual(problems, []);
  });

  test('a phone-sized screen: no sideways scrolling, 44 px targets, readable chart, the message box in view', async () => {
    const { page, problems } = await browse(PHONE, 'phone-candidate');
    await page.getByRole('button', { name: 'Junior (0-2 years)' }).waitFor();
    await shot(page, '07-phone-greeting');
    await page.getByRole('button', { name: 'Junior (0-2 years)' }).tap();
    await page.getByRole('button', { name: '3', exact: true }).tap();
    await page.locator('#progress', { hasText: 'Question 1 of 3' }).waitFor();
    const asked = await followUps(page).count();
    await send(page, STRONG_ANSWER);
    await page.locator('.feedback-card').waitFor();
    await moveOnPastFollowUp(page, asked, page.locator('#progress', { hasText: 'Question 2 of 3' }));
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      pageTaller: document.documentElement.scrollHeight - window.innerHeight,
      composerBottom: document.getElementById('composer').getBoundingClientRect().bottom,
      height: window.innerHeight,
    }));
    assert.ok(layout.overflow <= 0, `page scrolls sideways by ${layout.overflow}px`);
    assert.ok(layout.pageTaller <= 0, `the page itself scrolls by ${layout.pageTaller}px (only the conversation should)`);
    assert.ok(layout.composerBottom <= layout.height + 1, 'the message box is on screen');
    await page.locator('details.privacy summary').waitFor();
    assert.deepEqual(await smallTargets(page), [], 'every button and toggle is at least 44 x 44 px');
    assert.deepEqual(await axeFindings(page), []);
    await shot(page, '08-phone-next-question');
    await page.locator('.feedback-card').first().scrollIntoViewIfNeeded();
    await shot(page, '09-phone-feedback');

    // The summary's chart keeps the page's text size on a phone (an SVG scaled down made 8 px labels).
    await send(page, 'stop the interview');
    const summaryCard = page.locator('.summary-card');
    await summaryCard.waitFor();
    const sizes = await summaryCard.locator('.competency-chart .bar-label, .competency-chart .bar-value')
      .evaluateAll((nodes) => nodes.map((node) => parseFloat(getComputedStyle(node).fontSize)));
    assert.ok(sizes.length >= 2 && sizes.every((size) => size >= 15), `chart text sizes ${sizes}`);
    assert.deepEqual(await smallTargets(page), []);
    assert.deepEqual(await axeFindings(page), []);
    await summaryCard.locator('.competency-chart').scrollIntoViewIfNeeded();
    await shot(page, '10-phone-summary');
    assert.deepEqual(problems, []);
  });
});
