// Draws transcript entries as DOM nodes. Every piece of user or bot text goes in through textContent: nothing the
// candidate types or the bot says is ever parsed as HTML. A node is made once per entry; later changes (a message's
// sending status, buttons no longer current) are made in place, so a screen reader hears each message once.

import { competencyChart } from './chart.js';
import { highlightedAnswer, listedPoints, marksFor } from './highlight.js';

export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [key, value] of Object.entries(options.attrs || {})) node.setAttribute(key, value);
  node.append(...children.filter(Boolean));
  return node;
}

export const list = (items) => (Array.isArray(items) ? items.filter((item) => item && typeof item === 'object') : []);
export const str = (value) => (typeof value === 'string' ? value : '');
const strings = (items) => (Array.isArray(items) ? items.filter((item) => typeof item === 'string' && item) : []);

export function isFeedback(entry) {
  return entry?.custom?.kind === 'answer_feedback';
}

export function isSummary(entry) {
  return entry?.custom?.kind === 'interview_summary';
}

function isQuestion(entry) {
  return entry?.custom?.kind === 'question';
}

export const PRACTISE_AGAIN = { title: 'Practise again', payload: '/start_interview' };
const STATUS_LABELS = { queued: 'waiting to send', sending: 'sending…', failed: 'not sent yet' };

function section(title, content, className = '') {
  if (!content) return null;
  return el('section', { className: `card-section ${className}`.trim() }, [el('h3', { text: title }), content]);
}

function bulletList(items, className = '') {
  return items.length ? el('ul', { className }, items) : null;
}

export function scoreBand(score, band) {
  if (['strong', 'partial', 'weak'].includes(band)) return band;
  return score >= 70 ? 'strong' : score >= 40 ? 'partial' : 'weak';
}

function scoreBadge(score, band, before = null) {
  const value = Number.isFinite(Number(score)) ? Math.round(Number(score)) : null;
  if (value === null) return null;
  const from = before !== null && before !== undefined && Number.isFinite(Number(before))
    ? `${Math.round(Number(before))} → ` : '';
  return el('p', { className: `score score-${scoreBand(value, band)}` }, [
    from ? el('span', { className: 'score-before', text: from }) : null,
    el('span', { className: 'score-value', text: value }),
    el('span', { className: 'score-scale', text: ' / 100' }),
  ]);
}

function where(question) {
  const parts = [];
  if (question.number && question.total) parts.push(`Question ${question.number} of ${question.total}`);
  if (question.competency) parts.push(str(question.competency));
  return parts.join(' · ');
}

function cardHeader(title, kicker, badge) {
  return el('header', { className: 'card-header' }, [
    el('div', {}, [kicker ? el('p', { className: 'kicker', text: kicker }) : null, el('h2', { text: title })]),
    badge,
  ]);
}

function coveredList(items) {
  return items.length ? el('ol', { className: 'points' }, items.map((item) => el('li', {}, [
    el('span', { text: str(item.shown) || str(item.criterion) }),
  ]))) : null;
}

function toAddList(items) {
  return bulletList(items.map((item) => el('li', {}, [
    item.unsure ? el('span', { className: 'partly', text: 'Partly there. ' }) : null,
    el('span', { text: str(item.tip) || str(item.criterion) }),
    item.unsure && item.evidence ? el('q', { className: 'closest', text: str(item.evidence) }) : null,
  ])));
}

function redFlagList(flags) {
  // As in the text: the flag's name, what the whole answer lacks (when no words show it), then why it matters.
  return bulletList(flags.map((flag) => el('li', {}, [
    el('strong', { text: str(flag.name) }),
    el('span', { text: !flag.quote && flag.absence ? `: ${str(flag.absence)} ` : '. ' }),
    el('span', { text: str(flag.explanation) }),
    flag.quote ? el('q', { className: 'flag-quote', text: str(flag.quote) }) : null,
  ])), 'flags');
}

function conceptList(concepts) {
  return bulletList(concepts.map((concept) => el('li', {}, [
    el('strong', { text: str(concept.abbreviation) }),
    el('span', { text: ` (${str(concept.name)}): ${str(concept.meaning)}` }),
  ])));
}

function answerSection(feedback, part, title, ids = null) {
  const answer = list(feedback.answers)[part];
  if (!answer || !str(answer.text)) return null;
  return section(title, highlightedAnswer(document, answer.text, marksFor(feedback, part, ids)), 'your-answer');
}

function asText(entry) {
  if (!entry.text) return null;
  return el('details', { className: 'as-text' }, [
    el('summary', { text: 'This feedback as plain text' }), el('p', { className: 'plain', text: entry.text }),
  ]);
}

function feedbackCard(entry) {
  const feedback = entry.custom;
  const question = feedback.question && typeof feedback.question === 'object' ? feedback.question : {};
  const covered = listedPoints(feedback);
  const missing = list(feedback.missing);
  const heading = question.number && question.total
    ? `Feedback on question ${question.number} of ${question.total}` : 'Feedback on your answer';
  return el('article', { className: 'card feedback-card', attrs: { 'aria-label': heading } }, [
    cardHeader('Feedback on your answer', where(question), scoreBadge(feedback.score, feedback.band)),
    feedback.verdict ? el('p', { className: 'verdict', text: str(feedback.verdict) }) : null,
    section('What you did well', coveredList(covered), 'did-well'),
    answerSection(feedback, 0, 'Your answer, with the words that earned each point'),
    section('What to add', toAddList(missing), 'to-add'),
    section('Careful', bulletList(strings(feedback.misdefinitions).map((text) => el('li', { text }))), 'careful'),
    section('What an interviewer might note', redFlagList(list(feedback.red_flags)), 'red-flags'),
    section('CX concepts you could bring in', conceptList(list(feedback.concepts_missing))),
    section('How your answer was read', bulletList(strings(feedback.notes).map((text) => el('li', { text })))),
    feedback.follow_up ? el('p', { className: 'follow-up' }, [
      el('strong', { text: 'A follow-up to prepare: ' }), el('span', { text: str(feedback.follow_up) }),
    ]) : null,
    asText(entry),
  ]);
}

// After the reply to a follow-up: what changed, not the whole card again.
function followUpCard(entry) {
  const feedback = entry.custom;
  const change = feedback.change && typeof feedback.change === 'object' ? feedback.change : {};
  const question = feedback.question && typeof feedback.question === 'object' ? feedback.question : {};
  const newly = strings(change.newly_covered);
  const covered = listedPoints(feedback, newly);
  const missing = list(feedback.missing);
  const heading = question.number ? `After your follow-up on question ${question.number}` : 'After your follow-up';
  return el('article', { className: 'card feedback-card follow-up-card', attrs: { 'aria-label': heading } }, [
    cardHeader('After your follow-up', where(question), scoreBadge(change.after ?? feedback.score, feedback.band,
      change.before)),
    change.verdict ? el('p', { className: 'verdict', text: str(change.verdict) }) : null,
    section('Newly covered', coveredList(covered), 'did-well')
      ?? (change.nothing_new ? el('p', { text: str(change.nothing_new) }) : null),
    answerSection(feedback, 1, 'Your reply, with the words that earned each point', newly),
    section(missing.length ? 'Still to add' : 'Nothing left to add', toAddList(missing), 'to-add'),
    asText(entry),
  ]);
}

function summaryCard(entry, actions) {
  const summary = entry.custom;
  const average = Number.isFinite(Number(summary.average)) ? `average ${Math.round(Number(summary.average))} / 100`
    : 'no average yet';
  const questions = list(summary.questions).map((question) => el('li', {}, [
    el('span', { className: 'q-score',
      text: question.status === 'answered' ? `${Number(question.score) || 0} / 100` : 'skipped' }),
    el('span', { text: ` ${str(question.text)}` }),
    question.competency ? el('span', { className: 'muted', text: ` (${str(question.competency)})` }) : null,
  ]));
  const readiness = summary.readiness && typeof summary.readiness === 'object' ? summary.readiness : null;
  const areas = strings([summary.strongest, summary.weakest]);
  const download = el('button', { className: 'primary', text: 'Download report (HTML)', attrs: { type: 'button' } });
  download.addEventListener('click', () => actions.onDownload(entry));
  const copy = el('button', { className: 'secondary', text: 'Copy summary as text', attrs: { type: 'button' } });
  copy.addEventListener('click', () => actions.onCopy(entry, copy));
  const again = el('button', { className: 'secondary', text: PRACTISE_AGAIN.title, attrs: { type: 'button' } });
  again.addEventListener('click', () => actions.onButton(entry, PRACTISE_AGAIN));
  const hasParts = Boolean(readiness || strings(summary.next_steps).length);
  return el('article', { className: 'card summary-card', attrs: { 'aria-label': 'Interview summary' } }, [
    cardHeader('Your interview summary', `${str(summary.level)} level · ${Number(summary.answered) || 0} of `
      + `${Number(summary.asked) || 0} answered · ${average}`, scoreBadge(summary.average)),
    section('Scores per question', questions.length ? el('ol', { className: 'question-scores' }, questions) : null),
    section('Scores by competency', competencyChart(document, summary.competencies)),
    section('Strongest and weakest areas', bulletList(areas.map((text) => el('li', { text })))),
    readiness ? section('Level readiness', el('div', {}, [
      el('p', { text: str(readiness.verdict) }),
      bulletList(strings(readiness.levels).map((text) => el('li', { text }))),
      readiness.level_up ? el('p', { text: str(readiness.level_up) }) : null,
      bulletList(strings(readiness.level_up_examples).map((text) => el('li', { text }))),
    ])) : null,
    section('Next steps', bulletList(strings(summary.next_steps).map((text) => el('li', { text })))),
    hasParts || !entry.text ? null : el('p', { className: 'plain', text: entry.text }),
    el('div', { className: 'card-actions' }, [download, copy, again]),
  ]);
}

function questionBody(entry) {
  const progress = entry.custom.progress && typeof entry.custom.progress === 'object' ? entry.custom.progress : {};
  const text = str(entry.custom.text);
  if (!text || !progress.number) return el('p', { className: 'plain', text: entry.text });
  return el('div', { className: 'question-body' }, [
    el('h2', { className: 'question-label', text: where({ ...progress, competency: entry.custom.competency }) }),
    el('p', { className: 'question-text', text }),
  ]);
}

function buttonRow(entry, actions) {
  if (!entry.buttons?.length) return null;
  const group = el('div', { className: 'choices', attrs: { role: 'group', 'aria-label': 'Choices' } });
  for (const button of entry.buttons) {
    const node = el('button', { className: 'choice', text: button.title, attrs: { type: 'button' } });
    node.addEventListener('click', () => actions.onButton(entry, button));
    group.append(node);
  }
  return group;
}

// A bot message's content, and the class that sizes its bubble: cards and questions take the full width.
function botBody(entry, actions) {
  if (isFeedback(entry)) return [entry.custom.stage === 'follow_up' ? followUpCard(entry) : feedbackCard(entry), 'with-card'];
  if (isSummary(entry)) return [summaryCard(entry, actions), 'with-card'];
  if (isQuestion(entry)) return [questionBody(entry), 'question'];
  return [el('p', { className: 'plain', text: entry.text }), ''];
}

export function renderEntry(entry, actions) {
  let node;
  if (entry.role === 'user') {
    node = el('div', { attrs: { 'data-entry': entry.id } }, [
      el('span', { className: 'visually-hidden', text: 'You said: ' }),
      el('p', { className: 'plain', text: entry.text }),
      el('span', { className: 'status' }, [document.createTextNode('')]),
    ]);
  } else if (entry.role === 'note') {
    const retry = entry.retry ? el('button', { className: 'secondary', text: 'Retry', attrs: { type: 'button' } })
      : null;
    retry?.addEventListener('click', () => actions.onRetry());
    node = el('div', { className: 'message note', attrs: { 'data-entry': entry.id } }, [el('p', { text: entry.text }),
      retry]);
  } else {
    const [body, kind] = botBody(entry, actions);
    node = el('div', { className: `message bot ${kind}`.trim(), attrs: { 'data-entry': entry.id } }, [
      el('span', { className: 'visually-hidden', text: 'Coach: ' }), body, buttonRow(entry, actions),
    ]);
  }
  updateEntry(node, entry, actions);
  return node;
}

// What may change on a message already shown: its sending status, whether its buttons are still current. Text
// changes in place (a text node's data), never a new node, so the live log does not announce the message again.
export function updateEntry(node, entry, actions) {
  if (entry.role === 'user') {
    node.className = `message user ${entry.status || ''}`.trim();
    const status = node.querySelector('.status').firstChild;
    const label = STATUS_LABELS[entry.status] || '';
    if (status.data !== label) status.data = label;
  }
  const current = actions.isLatestBot(entry);
  for (const button of node.querySelectorAll('.choices button')) {
    button.disabled = Boolean(entry.buttonsUsed) || !current;
  }
  const again = [...node.querySelectorAll('.card-actions button')].find((b) => b.textContent === PRACTISE_AGAIN.title);
  if (again) again.disabled = Boolean(entry.buttonsUsed) || !current;
}
