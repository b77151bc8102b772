// The instructor's class page in Debian's Chromium, served by the real page server from a progress database holding
// two cohorts (tests/browser/seed_cohorts.py). Screenshots go to test-output/screenshots/instructor-*.png.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CHROMIUM, openBrowser } from './browser.mjs';
import { PROJECT_ROOT, missingEnvironment, startPageServer } from './servers.mjs';

const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
const SPRING_PEOPLE = ['Ana Lee', 'Ben Okafor', 'Chloé Martin', 'Learner 4'];
const AUTUMN_PEOPLE = ['Zoe Autumn', 'Yusuf Autumn'];

const missing = missingEnvironment().filter((name) => name === 'RASA_PYTHON' || name === 'ACTIONS_PYTHON');
const skip = missing.length && !process.env.CX_REQUIRE_E2E ? `needs ${missing.join(', ')} (run it through make test)`
  : false;
if (missing.length && process.env.CX_REQUIRE_E2E) throw new Error(`browser tests need ${missing.join(', ')}`);
if (!skip && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install.sh installs it`);

let server;
let cohorts;
const open = [];

async function browse(options = {}) {
  const session = await openBrowser({ acceptDownloads: true, ...options });
  open.push(session.context);
  return session;
}

async function pageText(page) {
  return page.locator('body').innerText();
}

describe('instructor class page', { skip }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const workdir = join(PROJECT_ROOT, 'test-output', 'instructor');
    mkdirSync(workdir, { recursive: true });
    const database = `sqlite:///${join(workdir, `progress-${process.pid}.db`)}`;
    cohorts = JSON.parse(execFileSync(process.env.ACTIONS_PYTHON, [join(PROJECT_ROOT, 'tests', 'browser', 'seed_cohorts.py'),
      database], { encoding: 'utf8' }));
    server = await startPageServer({ CX_PROGRESS_DB_URL: database });
  });

  after(async () => {
    for (const context of open) await context.close().catch(() => {});
    await server?.stop();
  });

  test('the token from make cohort opens that class, and only that class', async () => {
    const { page, problems } = await browse({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.pageUrl}instructor/#token=${cohorts.spring.token}`);
    await page.locator('#roster table').waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Spring CX bootcamp');
    assert.match(await page.locator('#cohort-facts').innerText(), new RegExp(`Join code ${cohorts.spring.code} · 5 learners`));
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    const names = await page.locator('#roster tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(names.slice(0, 4), SPRING_PEOPLE);
    const text = await pageText(page);
    for (const name of AUTUMN_PEOPLE) assert.ok(!text.includes(name), `${name} belongs to another cohort`);
    assert.ok(!text.includes('Evening warm-up'));

    // Each learner's trend, the class's weeks, the points missed most with examples, the assignment.
    assert.equal(await page.locator('#roster svg.sparkline').count(), 5);
    assert.equal(await page.locator('#weeks .legend li').count() > 1, true);
    assert.equal(await page.locator('#weeks circle').count() >= 4, true);
    assert.match(await page.locator('#missed li').first().innerText(), /Missed in \d+ of \d+ answers/);
    assert.ok(await page.locator('#missed q').count() > 0);
    assert.match(await page.locator('#assignments').innerText(), /Metrics week[\s\S]*0 of 5/);

    // A learner's name and an answer holding markup are shown as text and never run.
    assert.ok(text.includes('<img src=x onerror="window.__injected = 1">Dee'));
    assert.equal(await page.evaluate(() => window.__injected), undefined);
    await page.screenshot({ path: join(SHOTS, 'instructor-class-page.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1500 }); // the README's picture: roster, chart, first points
    await page.screenshot({ path: join(SHOTS, 'instructor-class-page-top.png') });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload(); // the token is kept in this tab only
    await page.locator('#roster table').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone`);
    await page.screenshot({ path: join(SHOTS, 'instructor-class-page-phone.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  test('without a token the page shows nothing, and a wrong one opens nothing', async () => {
    const { page, problems } = await browse();
    await page.goto(`${server.pageUrl}instructor/`);
    await page.locator('#token-form').waitFor();
    assert.equal(await page.locator('#cohort').isHidden(), true);
    for (const resource of ['cohort', 'roster.csv', 'answers.csv']) {
      for (const headers of [{}, { Authorization: 'Bearer not-a-token' }, { Authorization: `Bearer ${cohorts.spring.code}` }]) {
        const reply = await fetch(`${server.pageUrl}instructor/api/${resource}`, { headers });
        const body = await reply.text();
        assert.equal(reply.status, 401, `${resource} ${JSON.stringify(headers)}`);
        assert.ok(!body.includes('Ana') && !body.includes('Spring'));
      }
    }
    await page.locator('#token').fill('not-a-token');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('That token opens no class.').waitFor();
    assert.ok(!(await pageText(page)).includes('Ana Lee'));
    await page.screenshot({ path: join(SHOTS, 'instructor-wrong-token.png') });

    // The other cohort's token, pasted in the form, shows that cohort and nothing of the first.
    await page.locator('#token').fill(cohorts.autumn.token);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('#roster table').waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Autumn CX evening class');
    const text = await pageText(page);
    for (const name of AUTUMN_PEOPLE) assert.ok(text.includes(name));
    for (const name of SPRING_PEOPLE.slice(0, 3)) assert.ok(!text.includes(name), `${name} belongs to another cohort`);
    await page.getByRole('button', { name: 'Close this class page' }).click();
    await page.locator('#token-form').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  });

  test('the roster and every answer download as CSV files of that class', async () => {
    const { page } = await browse();
    await page.goto(`${server.pageUrl}instructor/#token=${cohorts.spring.token}`);
    await page.locator('#roster table').waitFor();
    const files = {};
    for (const name of ['Download roster (CSV)', 'Download every answer (CSV)']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      files[name] = readFileSync(await download.path(), 'utf8');
      assert.match(download.suggestedFilename(), /^C[0-9A-F]+-(roster|answers)\.csv$/);
    }
    const roster = files['Download roster (CSV)'];
    assert.ok(roster.startsWith('"learner_number","learner","joined_at","interviews"'));
    for (const name of SPRING_PEOPLE) assert.ok(roster.includes(`"${name}"`), name);
    const answers = files['Download every answer (CSV)'];
    assert.equal(answers.trim().split('\n').filter((line) => /^"\d+","/.test(line)).length, 4 * 4 * 3 + 2 * 3);
    for (const name of AUTUMN_PEOPLE) assert.ok(!answers.includes(name) && !roster.includes(name));
  });
});
