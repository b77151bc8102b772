// The instructor's class page: opened with the cohort's instructor token and nothing else. The token comes from the
// address's #token=... (which browsers never send to a server) or the form, is kept in this tab's sessionStorage only,
// and goes to the page server in an Authorization header. Everything shown is text (textContent), never markup.

import { el } from '../render.js';
import { sparkline, trendChart } from '../trend_chart.js';

const KEY = 'cx-coach:instructor-token';
const API = '/instructor/api/';

const form = document.getElementById('token-form');
const tokenInput = document.getElementById('token');
const tokenStatus = document.getElementById('token-status');
const actions = document.getElementById('actions');
const cohortSection = document.getElementById('cohort');

class Refused extends Error {}

function token() {
  return sessionStorage.getItem(KEY) || '';
}

async function call(resource) {
  const response = await fetch(`${API}${resource}`, {
    headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store',
  });
  if (response.status === 401) throw new Refused('refused');
  if (!response.ok) throw new Error(`the page server answered ${response.status}`);
  return response;
}

const score = (value) => (value === null || value === undefined ? '–' : String(value));

function table(headings, rows) {
  return el('table', {}, [
    el('thead', {}, [el('tr', {}, headings.map(([text, number]) => el('th', {
      text, className: number ? 'number' : '', attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map(([content, kind]) => {
      const cell = el('td', { className: kind === true ? 'number' : kind || '' });
      if (content instanceof Node) cell.append(content); else cell.textContent = content;
      return cell;
    })))),
  ]);
}

function showAssignments(assignments) {
  const target = document.getElementById('assignments');
  if (!assignments.length) {
    target.replaceChildren(el('p', { className: 'empty', text: 'No assignment yet. `python -m bootcamp.cohorts assign` sets one.' }));
    return;
  }
  target.replaceChildren(table(
    [['Assignment'], ['Level'], ['Questions', true], ['Focus'], ['Due'], ['Done', true]],
    assignments.map((a) => [[a.title], [a.level], [String(a.questions), true], [a.focus.join('; ') || 'a usual interview'],
      [a.due, 'date'], [`${a.done} of ${a.learners}`, true]]),
  ));
}

function showRoster(roster) {
  const target = document.getElementById('roster');
  if (!roster.length) {
    target.replaceChildren(el('p', { className: 'empty', text: 'Nobody has joined yet. Learners type “join” and the join code.' }));
    return;
  }
  target.replaceChildren(table(
    [['Learner'], ['Joined'], ['Interviews', true], ['Answers', true], ['Last', true], ['Best', true], ['Last active'],
      ['Trend']],
    roster.map((learner) => [[learner.name], [learner.joined, 'date'], [String(learner.interviews), true],
      [String(learner.answers), true], [score(learner.last), true], [score(learner.best), true],
      [learner.last_active || '–', 'date'], [sparkline(document, learner.trend.map((p) => p.score), `${learner.name}'s interviews`)]]),
  ));
}

function showWeeks(weeks) {
  const target = document.getElementById('weeks');
  if (!weeks.length) {
    target.replaceChildren(el('p', { className: 'empty', text: 'No answers yet.' }));
    return;
  }
  const series = new Map();
  for (const week of weeks) {
    for (const entry of week.competencies) {
      if (!series.has(entry.name)) series.set(entry.name, { name: entry.name, points: [] });
      series.get(entry.name).points.push({ label: week.week, score: entry.score });
    }
  }
  target.replaceChildren(trendChart(document, [...series.values()], 'Class average per competency, week by week',
    target.clientWidth));
}

function showMissed(missed) {
  const target = document.getElementById('missed');
  if (!missed.length) {
    target.replaceChildren(el('p', { className: 'empty', text: 'Nothing missed yet.' }));
    return;
  }
  target.replaceChildren(el('ul', { className: 'missed' }, missed.map((item) => el('li', {}, [
    el('span', { className: 'criterion', text: item.criterion }),
    el('span', { className: 'question', text: `${item.competency} · “${item.question}”` }),
    el('span', { className: 'count', text: `Missed in ${item.missed} of ${item.answered} answers` }),
    ...item.examples.map((example) => el('q', { text: example })),
  ]))));
}

let shownWeeks = [];

function showCohort(overview) {
  const { cohort } = overview;
  form.hidden = true;
  actions.hidden = false;
  cohortSection.hidden = false; // first, so the chart can measure the room it has
  document.title = `${cohort.name} · CX Interview Coach`;
  document.getElementById('cohort-name').textContent = cohort.name;
  document.getElementById('cohort-facts').textContent = `Join code ${cohort.join_code} · ${cohort.learners} learners · `
    + `${cohort.interviews} interviews · created ${cohort.created}`;
  showAssignments(overview.assignments);
  showRoster(overview.roster);
  shownWeeks = overview.weeks;
  showWeeks(shownWeeks);
  showMissed(overview.missed);
}

function askForToken(message = '') {
  sessionStorage.removeItem(KEY);
  cohortSection.hidden = true;
  actions.hidden = true;
  form.hidden = false;
  tokenStatus.textContent = message;
  document.getElementById('cohort-name').textContent = 'Class page';
  document.getElementById('cohort-facts').textContent = '';
  tokenInput.focus();
}

async function load() {
  if (!token()) {
    askForToken();
    return;
  }
  try {
    showCohort(await (await call('cohort')).json());
  } catch (error) {
    askForToken(error instanceof Refused ? 'That token opens no class. Check it, or ask for a new one (new-token).'
      : `The class could not be loaded: ${error.message}.`);
  }
}

async function download(resource) {
  try {
    const response = await call(resource);
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '')?.[1] || resource;
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { attrs: { href: url, download: name } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    askForToken(error instanceof Refused ? 'That token no longer opens this class.' : error.message);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, tokenInput.value.trim());
  tokenInput.value = '';
  load();
});
document.getElementById('roster-csv').addEventListener('click', () => download('roster.csv'));
document.getElementById('answers-csv').addEventListener('click', () => download('answers.csv'));
let resizing;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => { if (!cohortSection.hidden) showWeeks(shownWeeks); }, 150);
});
document.getElementById('sign-out').addEventListener('click', () => askForToken('Closed. The token is forgotten in this tab.'));

const fromAddress = new URLSearchParams(window.location.hash.slice(1)).get('token');
if (fromAddress) {
  sessionStorage.setItem(KEY, fromAddress);
  // Out of the address bar, the history and any screenshot.
  window.history.replaceState(null, '', window.location.pathname);
}
load();
