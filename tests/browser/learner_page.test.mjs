// The chat page for a learner across interviews, in Debian's Chromium against the real servers: the learner id kept
// in the browser with an optional name, the questions for the employer, "my progress" as a chart, and "delete my data",
// after which the browser forgets the learner too. Screenshots go to test-output/screenshots/learner-*.png.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CHROMIUM, openBrowser } from './browser.mjs';
import { PROJECT_ROOT, missingEnvironment, startServers } from './servers.mjs';

const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const ANSWER = 'At my last job I ran a voice of the customer program: we set clear goals, gathered surveys, reviews and '
  + 'call notes, tagged the themes every week, shared them with product and support, and closed the loop with each '
  + 'customer. Complaints about billing fell by a third in two quarters.';

const missing = missingEnvironment();
const skip = missing.length && !process.env.CX_REQUIRE_E2E ? `needs ${missing.join(', ')} (run it through make test)`
  : false;
if (missing.length && process.env.CX_REQUIRE_E2E) throw new Error(`browser tests need ${missing.join(', ')}`);
if (!skip && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install.sh installs it`);

let servers;
let session;

const lastBot = (page) => page.locator('.message.bot').last();
const stored = (page, key) => page.evaluate((name) => JSON.parse(localStorage.getItem(name) || 'null'), key);

async function send(page, text) {
  await page.locator('#message').fill(text);
  await page.keyboard.press('Enter');
}

describe('a learner on the chat page', { skip }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    servers = await startServers();
    session = await openBrowser({ viewport: { width: 1100, height: 900 } });
  });

  after(async () => {
    await session?.context.close().catch(() => {});
    await servers?.stopAll();
  });

  test('a named learner finishes an interview, asks the employer, sees their progress, then deletes it all', async () => {
    const { page, problems } = session;
    await page.goto(servers.pageUrl);
    await page.getByText("I'm CX Interview Coach, a bot").waitFor();
    const learner = await stored(page, 'cx-coach:learner');
    assert.match(learner.id, /^[0-9a-f-]{36}$/);

    await page.getByText('How your answers are used and kept').click();
    await page.getByLabel(/Your name \(optional/).fill('Robin <b>Test</b>');
    await page.getByLabel(/Your name \(optional/).press('Tab');
    assert.equal((await stored(page, 'cx-coach:learner')).name, 'Robin <b>Test</b>');
    await page.getByText('How your answers are used and kept').click();

    await page.getByRole('button', { name: 'Mid (2-5 years)' }).click();
    await page.getByText('How many questions would you like?').waitFor();
    await send(page, '1');
    await page.locator('#progress', { hasText: 'Question 1 of 1' }).waitFor();
    await send(page, ANSWER);
    // The answer may get one follow-up on a gap; "next" passes it.
    const employer = page.locator('.message.bot', { hasText: 'Do you have any questions for us?' });
    const followUp = page.locator('.message.bot', { hasText: 'Follow-up on question 1 of 1' });
    if (await Promise.race([employer.waitFor().then(() => false), followUp.waitFor().then(() => true)])) {
      await send(page, 'next');
    }
    await employer.waitFor();
    await send(page, 'Who would I report to? How engaged is the support team?');
    await page.locator('.summary-card').waitFor();
    assert.match(await page.locator('.message.bot', { hasText: 'Your questions touch on:' }).innerText(),
      /Where the role sits and who it reports to/);

    await send(page, 'my progress');
    const card = page.locator('.progress-card');
    await card.waitFor();
    assert.equal(await card.locator('circle').count() > 0, true, 'the chart has points');
    assert.match(await card.locator('.legend').innerText(), /:\s\d+/);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'learner-progress.png') });

    // The learner id survives a reload; "delete my data" asks, then the page forgets the learner too.
    await page.reload();
    await page.locator('.progress-card').waitFor();
    assert.equal((await stored(page, 'cx-coach:learner')).id, learner.id);
    await send(page, 'delete my data');
    await page.getByText('It can\'t be undone. Delete it all?').waitFor();
    await page.getByRole('button', { name: 'Yes, delete it all' }).click();
    await page.getByText(/^Deleted\. Finished interviews: 1 \(scored answers: 1\)\. Classes left: none\./).waitFor();
    assert.equal(await page.locator('.progress-card').count(), 0, 'the transcript is gone from the page');
    assert.equal(await page.locator('.message.user').count(), 0);
    const after = await stored(page, 'cx-coach:learner');
    assert.notEqual(after.id, learner.id);
    assert.equal(after.name, '');
    await page.screenshot({ path: join(SHOTS, 'learner-deleted.png') });
    assert.deepEqual(problems, []);
  });
});
