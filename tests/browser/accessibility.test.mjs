// The chat page for people using a screen reader, a zoomed page or a bad connection, in Debian's Chromium against
// the real servers: what the live log announces, reflow at 200% and 400% zoom, errors in plain words, and a reply
// lost in transit. Screenshots go to test-output/screenshots/.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  SKIP, STRONG_ANSWER, axeFindings, browse as openPage, savedEntries, send, shot, withServers,
} from './helpers.mjs';
import { PROJECT_ROOT } from './servers.mjs';

const WEBHOOK = '**/webhooks/rest/webhook';
let run;
const browse = (options, senderId) => openPage(run, options, senderId);

// Records what the live log announces: with aria-relevant="additions", every node added under it (not a text change
// inside a node already there). Returns the added texts, one per added node.
function recordAdditions(page) {
  return page.evaluate(() => {
    window.__added = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) window.__added.push(node.textContent);
      }
    }).observe(document.getElementById('transcript'), { childList: true, subtree: true });
  });
}

async function startInterview(page, count = '1') {
  await page.getByRole('button', { name: 'Senior (5+ years)' }).click();
  await page.getByText('How many questions would you like?').waitFor();
  await send(page, count);
  await page.locator('#progress', { hasText: `Question 1 of ${count}` }).waitFor();
}

describe('chat page accessibility and resilience', { skip: SKIP }, () => {
  run = withServers();

  test('a screen reader hears an answer once through queued, sending and sent, and each bot message once',
    async () => {
      const { page, problems } = await browse();
      await startInterview(page, '3');
      // Hold the answer at the network so it is seen queued and sending before it is sent.
      let release;
      const held = new Promise((wake) => { release = wake; });
      await page.route(WEBHOOK, async (route) => {
        await held;
        await route.continue();
      });
      await recordAdditions(page);
      await send(page, 'give me a hint');
      await send(page, STRONG_ANSWER);
      await page.locator('.message.user.queued', { hasText: 'In my last role' }).waitFor();
      await shot(page, '11-queued-status');
      release();
      await page.locator('.feedback-card').waitFor();
      await page.locator('#typing').waitFor({ state: 'hidden' });

      const added = await page.evaluate(() => window.__added);
      assert.equal(added.filter((text) => text.startsWith('You said: In my last role')).length, 1,
        `the answer was added to the log once: ${JSON.stringify(added.map((text) => text.slice(0, 40)))}`);
      assert.equal(added.filter((text) => text.startsWith('Coach: Hint:')).length, 1, `the hint once: ${added}`);
      assert.equal(added.filter((text) => text.includes('Feedback on your answer')).length, 1, 'the card once');

      // Chromium's accessibility tree of the log: the answer is there once (no hidden copy, no stale node), with
      // the coach's messages and the card as their own items.
      // The card shows the answer again, as its own section: count the messages before it. The questions are drawn
      // at random, and on some this generic answer earns no point, so its copy in the card has no mark to expose.
      const tree = await page.locator('#transcript').ariaSnapshot();
      const [messages, card] = tree.split('article "Feedback on question 1 of 3"');
      const lines = messages.split('\n').map((line) => line.trim());
      assert.equal(lines.filter((line) => line === `- paragraph: ${STRONG_ANSWER}`).length, 1, tree);
      assert.equal(lines.filter((line) => line === '- text: "You said:"').length, 4, tree); // level, count, hint, answer
      assert.equal((card.match(/heading "Your answer, with the words that earned each point"/g) || []).length, 1, tree);
      if (!/: 0 of the \d+ points came through/.test(card)) {
        assert.ok(card.includes('- mark: '), 'the marked words are exposed as marks');
      }
      assert.match(tree, /log "Conversation with the coach"/);
      assert.match(tree, /article "Feedback on question 1 of 3"/);
      assert.match(tree, /heading "Feedback on your answer" \[level=2\]/);
      assert.match(tree, /heading "What you did well" \[level=3\]/);
      assert.deepEqual(await axeFindings(page), []);
      assert.deepEqual(problems, []);
    });

  test('reflow: at 200% and 400% zoom the header and message box scroll away and the page never scrolls sideways',
    async () => {
      // 1280 x 800 at 200% and 400% zoom lays out like a 640 x 400 and a 320 x 200 window.
      for (const [width, height] of [[640, 400], [320, 200]]) {
        const { page, problems } = await browse({ viewport: { width, height } });
        await page.getByRole('button', { name: 'Junior (0-2 years)' }).waitFor();
        const layout = await page.evaluate(() => ({
          sideways: document.documentElement.scrollWidth - window.innerWidth,
          pageScrolls: document.documentElement.scrollHeight > window.innerHeight,
          conversationScrolls: getComputedStyle(document.getElementById('conversation')).overflowY,
          header: getComputedStyle(document.querySelector('.top')).position,
          composer: getComputedStyle(document.getElementById('composer')).position,
        }));
        assert.equal(layout.sideways, 0, `${width}x${height}: scrolls sideways`);
        assert.equal(layout.pageScrolls, true, `${width}x${height}: the page scrolls as a whole`);
        assert.equal(layout.conversationScrolls, 'visible', `${width}x${height}: no scroller of its own`);
        assert.deepEqual([layout.header, layout.composer], ['static', 'static']);
        // Scrolled to the greeting, the conversation has the whole window.
        await page.getByText("I'm CX Interview Coach, a bot").evaluate((node) => node.scrollIntoView({ block: 'start' }));
        const top = await page.locator('#conversation').evaluate((node) => node.getBoundingClientRect().top);
        assert.ok(top <= 0, `${width}x${height}: the header still takes ${top}px`);
        await shot(page, `12-reflow-${width}x${height}`);
        // The message box is still there, below the conversation.
        await page.locator('#message').scrollIntoViewIfNeeded();
        assert.equal(await page.locator('#message').isVisible(), true);
        assert.deepEqual(problems, []);
      }
    });

  test('errors in plain words: nothing said to be kept when nothing was typed, focus back in the box after Retry',
    async () => {
      const session = await browse();
      const { page } = session;
      await page.getByRole('button', { name: 'Junior (0-2 years)' }).waitFor();
      // The coach stops answering: the candidate's message is kept, and the note says so plainly.
      await page.route(WEBHOOK, (route) => route.abort('connectionrefused'));
      await send(page, 'junior');
      const note = page.locator('.message.note');
      await note.waitFor();
      const said = await note.locator('p').innerText();
      assert.match(said, /^The coach is not answering\. .*Your message is kept: press Retry to send it again\.$/);
      assert.doesNotMatch(said, /TypeError|Error\b|HTTP/);
      await shot(page, '13-not-answering');
      await page.unroute(WEBHOOK);
      await note.getByRole('button', { name: 'Retry' }).click();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'message', 'focus back in the message box');
      await page.getByText('How many questions would you like?').waitFor();
      assert.equal(await page.locator('.message.note').count(), 0, 'the note goes once the message is sent');

      // A fresh page whose opening message fails: the candidate typed nothing, so nothing is said to be kept.
      await page.route(WEBHOOK, (route) => route.abort('connectionrefused'));
      page.once('dialog', (dialog) => dialog.accept());
      await page.getByRole('button', { name: 'Start over' }).click();
      await page.locator('.message.note').waitFor();
      const opening = await page.locator('.message.note p').innerText();
      assert.match(opening, /^The coach is not answering\./);
      assert.doesNotMatch(opening, /kept/);
    });

  test('a reply lost in transit: the feedback the bot sends again lands in place, once, and in the report', async () => {
    const { page, problems } = await browse();
    await startInterview(page, '3');
    // The answer reaches the coach, which scores it, but its reply never reaches the page.
    let lostReply = null;
    await page.route(WEBHOOK, async (route) => {
      const response = await route.fetch();
      lostReply = await response.text();
      await route.abort('connectionreset');
    }, { times: 1 });
    await send(page, STRONG_ANSWER);
    await page.locator('.message.note').waitFor();
    assert.ok(JSON.parse(lostReply).some((message) => message.custom?.kind === 'answer_feedback'));
    assert.equal(await page.locator('.feedback-card').count(), 0);
    // Sent again, the answer is recognised as scored: the bot sends its feedback again, with the same answer_id.
    await page.getByRole('button', { name: 'Retry' }).click();
    const card = page.locator('.feedback-card');
    await card.waitFor();
    const answerNode = page.locator('.message.user', { hasText: 'In my last role' });
    assert.equal(await answerNode.count(), 1);
    assert.equal(await answerNode.evaluate((node) => node.nextElementSibling.querySelector('.feedback-card') !== null),
      true, 'the card follows its answer');

    // The same feedback once more (a second resend): still one card, the same node, announced no second time.
    await recordAdditions(page);
    const cardEntry = await card.evaluate((node) => node.closest('[data-entry]').dataset.entry);
    const messages = JSON.parse(lostReply);
    const at = messages.findIndex((message) => message.custom?.kind === 'answer_feedback');
    const feedbackOnly = JSON.stringify(messages.slice(at - 1, at + 1)); // its text, then its payload
    await page.route(WEBHOOK, (route) => route.fulfill({ contentType: 'application/json', body: feedbackOnly }),
      { times: 1 });
    await send(page, 'repeat the question');
    await page.locator('.message.user', { hasText: 'repeat the question' }).waitFor();
    await page.locator('#typing').waitFor({ state: 'hidden' });
    assert.equal(await card.count(), 1, 'one card for one answer');
    assert.equal(await card.evaluate((node) => node.closest('[data-entry]').dataset.entry), cardEntry);
    assert.equal((await page.evaluate(() => window.__added)).filter((text) => text.includes('Feedback on')).length, 0);
    const feedbacks = (await savedEntries(page)).filter((entry) => entry.custom?.kind === 'answer_feedback');
    assert.equal(feedbacks.length, 1);

    // The report has the answer in its place: question 1, once.
    await send(page, 'stop the interview');
    await page.locator('.summary-card').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report (HTML)' }).click()]);
    const reportPath = join(PROJECT_ROOT, 'test-output', 'report-after-lost-reply.html');
    await download.saveAs(reportPath);
    const reportPage = await page.context().newPage();
    await reportPage.goto(`file://${reportPath}`);
    const blocks = reportPage.locator('section.question');
    assert.equal(await blocks.count(), 1);
    assert.match(await blocks.first().locator('h3').innerText(), /^Question 1: /);
    assert.ok((await blocks.first().innerText()).includes('We mapped every step with the support'));
    await reportPage.close();
    assert.deepEqual(problems.filter((problem) => !problem.includes('net::ERR_CONNECTION')), []);
  });
});
