// What the browser test files share: opening the page on a known conversation, typing, moving past a follow-up,
// screenshots, the accessibility checks (axe-core, run inside the page) and reading the page's saved transcript.

import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { CHROMIUM, openBrowser } from './browser.mjs';
import { PROJECT_ROOT, missingEnvironment, startServers } from './servers.mjs';

export const SHOTS = join(PROJECT_ROOT, 'test-output', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const AXE_SOURCE = createRequire(import.meta.url)('axe-core').source;

export const STRONG_ANSWER = 'In my last role I led a project to fix our onboarding journey. We mapped every step with '
  + 'the support, product and sales teams, found where new customers got stuck, and set a baseline for NPS, CSAT and '
  + 'CES. Within a quarter CSAT rose from 78 to 86 percent and churn fell by two points. I shared the results monthly '
  + 'with leadership on a dashboard.';

// Why the suites skip (run outside `make test`); under make test (CX_REQUIRE_E2E) a missing piece is an error.
const missing = missingEnvironment();
export const SKIP = missing.length && !process.env.CX_REQUIRE_E2E
  ? `needs ${missing.join(', ')} (run it through make test)` : false;
if (missing.length && process.env.CX_REQUIRE_E2E) throw new Error(`browser tests need ${missing.join(', ')}`);
if (!SKIP && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install.sh installs it`);

// Starts the servers before a suite's tests and stops them, and every browser it opened, after them. Returns the
// suite's state: { servers, open } (the browser contexts to close).
export function withServers() {
  const state = { servers: null, open: [] };
  before(async () => {
    state.servers = await startServers();
  });
  after(async () => {
    for (const context of state.open) await context.close().catch(() => {});
    await state.servers?.stopAll();
  });
  return state;
}

// Opens the page in a fresh browser. senderId: start the page on this conversation id, so the interview's questions
// are known in advance (the question plan is seeded by the sender id).
export async function browse({ servers, open }, options = {}, senderId = null) {
  const session = await openBrowser({ viewport: DESKTOP, ...options });
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

export function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

export async function send(page, text) {
  await page.locator('#message').fill(text);
  await page.keyboard.press('Enter');
}

// The bot may ask one follow-up on the gap after an answer (content/scoring.yml follow_up).
export const followUps = (page) => page.locator('.message.bot', { hasText: 'Follow-up on question' });

// followUpsBefore: how many follow-ups the page showed before the answer was sent. Waits until `next` shows,
// answering a follow-up first if one comes (with `reply`, "next" by default); returns whether one came.
export async function moveOnPastFollowUp(page, followUpsBefore, next, reply = 'next') {
  const outcome = await Promise.race([
    next.waitFor().then(() => 'next', () => null),
    followUps(page).nth(followUpsBefore).waitFor().then(() => 'follow-up', () => null),
  ]);
  if (outcome === 'follow-up') {
    await send(page, reply);
    await next.waitFor();
  }
  return outcome === 'follow-up';
}

// The page's own copy of the conversation (what it saved in localStorage).
export function savedEntries(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('cx-coach:conversation')).entries);
}

// axe-core's findings that the issue counts (critical, serious, moderate), as "rule: where" lines. The script is
// evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
export async function axeFindings(page) {
  if (!await page.evaluate(() => Boolean(window.axe))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.filter((v) => ['critical', 'serious', 'moderate'].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
}

// Visible controls a finger taps (buttons, disclosure toggles, the message box) smaller than 44 x 44 px.
export function smallTargets(page) {
  return page.evaluate(() => [...document.querySelectorAll('button, summary, textarea')]
    .filter((node) => node.checkVisibility() && !node.closest('.visually-hidden'))
    .map((node) => ({ node, box: node.getBoundingClientRect() }))
    .filter(({ box }) => box.height < 44 || box.width < 44)
    .map(({ node, box }) => `${node.tagName.toLowerCase()} "${node.textContent.trim().slice(0, 30)}" `
      + `${Math.round(box.width)}x${Math.round(box.height)}`));
}
