// The web chat page in Debian's Chromium against the real action server, Rasa server and page server.
// Run by scripts/test.sh (`make test`); screenshots of the main states go to test-output/screenshots/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CHROMIUM, openBrowser } from './browser.mjs';
import { lowContrastText } from './contrast.mjs';
import { PROJECT_ROOT, missingEnvironment, startServers } from './servers.mjs';

const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const STRONG_ANSWER = 'In my last role I led a project to fix our onboarding journey. We mapped every step with the '
  + 'support, product and sales teams, found where new customers got stuck, and set a baseline for NPS, CSAT and CES. '
  + 'Within a quarter CSAT rose from 78 to 86 percent and churn fell by two points. I shared the results monthly '
  + 'with leadership on a dashboard.';
const MARKUP_ANSWER = 'I listen to the customer first <script>window.__injected = "script"</script> and then '
  + '<img src=x onerror="window.__injected = \'img\'"> follow up by email until it is solved.';

const missing = missingEnvironment();
const skip = missing.length && !process.env.CX_REQUIRE_E2E
  ? `needs ${missing.join(', ')} (run it through make test)` : false;
if (missing.length && process.env.CX_REQUIRE_E2E) throw new Error(`browser tests need ${missing.join(', ')}`);
if (!skip && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install.sh installs it`);

let servers;
const open = [];

// senderId: start the page on this conversation id, so the interview's questions are known in advance (the question
// plan is seeded by the sender id; tests/test_e2e_rest.py relies on the same plan for "e2e-candidate").
async function browse(options, senderId) {
  const session = await openBrowser(options);
  open.push(session.context);
  if (senderId) {
    await session.context.addInitScript((id) => {
      if (!localStorage.getItem('cx-coach:conversation')) {
        localStorage.setItem('cx-coach:conversation', JSON.stringify({ senderId: id, entries: [], nextId: 1 }));
      }
    }, senderId);
  }
  await session.page.goto(servers.pageUrl);
  return session;
}

function shot(page, name) {
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const progress = (page) => page.locator('#progress');
const lastBot = (page) => page.locator('.message.bot').last();

async function send(page, text) {
  await page.locator('#message').fill(text);
  await page.keyboard.press('Enter');
}

// After an answer that misses something the bot may ask one follow-up on the gap (content/scoring.yml follow_up).
// followUpsBefore: how many follow-ups the page showed before the answer was sent. Waits until `next` shows, saying
// "next" to a follow-up first if one comes; returns whether one came.
const followUps = (page) => page.locator('.message.bot', { hasText: 'Follow-up on question' });
async function moveOnPastFollowUp(page, followUpsBefore, next) {
  const outcome = await Promise.race([
    next.waitFor().then(() => 'next', () => null),
    followUps(page).nth(followUpsBefore).waitFor().then(() => 'follow-up', () => null),
  ]);
  if (outcome === 'follow-up') {
    await send(page, 'next');
    await next.waitFor();
  }
  return outcome === 'follow-up';
}

// After the last answer the coach asks for the candidate's questions for the employer; the Skip button passes.
const employerQuestion = (page) => page.locator('.message.bot', { hasText: 'Do you have any questions for us?' });
async function skipEmployerQuestions(page) {
  await employerQuestion(page).getByRole('button', { name: 'Skip' }).click();
}

describe('web chat page', { skip }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    servers = await startServers();
  });

  after(async () => {
    for (const context of open) await context.close().catch(() => {});
    await servers?.stopAll();
  });

  test('Rasa answers the page origin only (CORS)', async () => {
    const preflight = (origin) => fetch(`${servers.rasaUrl}/webhooks/rest/webhook`, {
      method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    const pageOrigin = new URL(servers.pageUrl).origin;
    assert.equal((await preflight(pageOrigin)).headers.get('access-control-allow-origin'), pageOrigin);
    assert.equal((await preflight('http://evil.example')).headers.get('access-control-allow-origin'), null);
  });

  test('a whole interview: buttons, feedback card, reload, markup shown as text, report and summary', async () => {
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

    let asked = await followUps(page).count();
    await send(page, STRONG_ANSWER);
    const card = page.locator('.feedback-card').first();
    await card.waitFor();
    assert.match(await card.locator('h3').innerText(), /question 1 of 2/i);
    const score = Number(await card.locator('.score-value').innerText());
    assert.ok(score > 0 && score <= 100, `score ${score}`);
    const covered = card.locator('section', { hasText: 'Covered' }).locator('li');
    assert.ok(await covered.count() > 0, 'a strong answer covers criteria');
    const evidence = await covered.first().locator('.evidence').innerText();
    assert.ok(STRONG_ANSWER.includes(evidence.replace(/[“”…]/g, '').trim().slice(0, 25)), `evidence: ${evidence}`);
    const missingItems = card.locator('section', { hasText: 'Missing' }).locator('li');
    for (let i = 0; i < await missingItems.count(); i += 1) {
      assert.match(await missingItems.nth(i).innerText(), /Tip: \S/);
    }
    await moveOnPastFollowUp(page, asked, page.locator('#progress', { hasText: 'Question 2 of 2' }));
    await card.scrollIntoViewIfNeeded();
    await shot(page, '02-feedback');

    // Reload mid-interview: the same conversation comes back and goes on.
    const sender = await page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).senderId);
    await page.reload();
    await page.locator('.feedback-card').first().waitFor();
    assert.equal(await progress(page).innerText(), 'Question 2 of 2');
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).senderId), sender);
    assert.equal(sender, 'e2e-candidate');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'message');

    // Markup is shown as the candidate typed it and never runs.
    asked = await followUps(page).count();
    await send(page, MARKUP_ANSWER);
    const summaryCard = page.locator('.summary-card');
    await moveOnPastFollowUp(page, asked, employerQuestion(page));
    await skipEmployerQuestions(page);
    await summaryCard.waitFor();
    const shown = page.locator('.message.user', { hasText: '<script>' });
    assert.equal(await shown.locator('p').innerText(), MARKUP_ANSWER);
    assert.equal(await page.locator('#transcript img, #transcript script').count(), 0);
    assert.equal(await page.evaluate(() => window.__injected), undefined);
    assert.equal(await progress(page).innerText(), 'Interview finished');

    // The summary draws one bar per competency.
    const competencies = await page.evaluate(() => {
      const entries = JSON.parse(localStorage.getItem('cx-coach:conversation')).entries;
      return entries.find((entry) => entry.custom?.kind === 'interview_summary').custom.competencies;
    });
    assert.ok(competencies.length >= 1);
    assert.equal(await summaryCard.locator('svg rect.bar').count(), competencies.length);
    await summaryCard.scrollIntoViewIfNeeded();
    assert.equal(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight), 0,
      'header and message box stay in view: only the conversation scrolls');
    await shot(page, '03-summary');
    // Every text on the page, feedback and summary cards included, passes WCAG AA contrast.
    await page.locator('details.privacy summary').click();
    assert.deepEqual(await page.evaluate(lowContrastText), []);

    // The report: a file download with the chart, both answers escaped, and print styles.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summaryCard.getByRole('button', { name: 'Download report (HTML)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^cx-interview-report-\d{4}-\d{2}-\d{2}\.html$/);
    const report = readFileSync(await download.path(), 'utf8');
    assert.match(report, /^<!DOCTYPE html>/);
    assert.match(report, /@media print/);
    assert.equal((report.match(/<rect class="bar"/g) || []).length, competencies.length);
    for (const item of competencies) assert.ok(report.includes(`data-score="${item.score}"`), item.name);
    assert.ok(report.includes('&lt;script&gt;window.__injected = "script"&lt;/script&gt;'), 'script tag escaped');
    assert.ok(report.includes('&lt;img src=x onerror="window.__injected = \'img\'"&gt;'), 'img tag escaped');
    assert.ok(!/<script|<img/i.test(report), 'no live markup in the report');
    assert.ok(report.includes('We mapped every step with the support, product and sales teams'), 'answer 1 in report');
    assert.ok(report.includes('Summary and next steps'));

    // Opened on its own, the report shows the answer as text and runs nothing.
    const reportPath = join(PROJECT_ROOT, 'test-output', 'report.html');
    await download.saveAs(reportPath);
    const reportPage = await page.context().newPage();
    await reportPage.goto(`file://${reportPath}`);
    assert.ok((await reportPage.locator('body').innerText()).includes('<script>window.__injected'));
    assert.equal(await reportPage.evaluate(() => window.__injected), undefined);
    assert.equal(await reportPage.locator('svg rect.bar').count(), competencies.length);
    await reportPage.emulateMedia({ media: 'print' });
    await shot(reportPage, '04-report-print');
    await reportPage.close();

    // The copied summary is plain text without links.
    await summaryCard.getByRole('button', { name: 'Copy summary as text' }).click();
    await summaryCard.getByRole('button', { name: 'Summary copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^CX Interview Coach summary/);
    assert.match(copied, /2 of 2 questions answered/);
    assert.ok(!/https?:\/\/|www\./i.test(copied), 'no links');
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
    assert.equal(await page.locator('.status').count(), 0, 'nothing left waiting');

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
    await moveOnPastFollowUp(page, asked, employerQuestion(page));
    await skipEmployerQuestions(page);
    await page.locator('.summary-card').waitFor();
    // The report button is reachable and usable from the keyboard.
    await page.locator('.summary-card').getByRole('button', { name: 'Download report (HTML)' }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /\.html$/);
    assert.deepEqual(problems, []);
  });

  test('a phone-sized screen: no sideways scrolling, the message box stays in view', async () => {
    const { page, problems } = await browse({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
      'phone-candidate');
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
      sendWidth: document.getElementById('send').getBoundingClientRect().width,
      height: window.innerHeight,
    }));
    assert.ok(layout.overflow <= 0, `page scrolls sideways by ${layout.overflow}px`);
    assert.ok(layout.pageTaller <= 0, `the page itself scrolls by ${layout.pageTaller}px (only the conversation should)`);
    assert.ok(layout.composerBottom <= layout.height + 1, 'the message box is on screen');
    assert.ok(layout.sendWidth >= 44, 'the send button is big enough to tap');
    await page.locator('.feedback-card').scrollIntoViewIfNeeded();
    await shot(page, '08-phone-feedback');
    assert.deepEqual(problems, []);
  });
});
