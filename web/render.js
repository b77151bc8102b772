// Draws transcript entries as DOM nodes. Every piece of user or bot text goes in through textContent: nothing the
// candidate types or the bot says is ever parsed as HTML.

import { competencyChart } from './chart.js';
import { trendChart } from './trend_chart.js';

export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [key, value] of Object.entries(options.attrs || {})) node.setAttribute(key, value);
  node.append(...children.filter(Boolean));
  return node;
}

const list = (items) => (Array.isArray(items) ? items.filter((item) => item && typeof item === 'object') : []);
const str = (value) => (typeof value === 'string' ? value : '');

export function isFeedback(entry) {
  return entry?.custom?.kind === 'answer_feedback';
}

export function isSummary(entry) {
  return entry?.custom?.kind === 'interview_summary';
}

export function isProgress(entry) {
  return entry?.custom?.kind === 'progress';
}

function section(title, items) {
  if (!items.length) return null;
  return el('section', { className: 'card-section' }, [el('h4', { text: title }), el('ul', {}, items)]);
}

function scoreBadge(score) {
  const value = Number.isFinite(Number(score)) ? Math.round(Number(score)) : null;
  if (value === null) return null;
  const band = value >= 70 ? 'good' : value >= 40 ? 'fair' : 'low';
  return el('p', { className: `score score-${band}` }, [
    el('span', { className: 'score-value', text: value }),
    el('span', { className: 'score-scale', text: ' / 100' }),
  ]);
}

function feedbackCard(entry) {
  const feedback = entry.custom;
  const question = feedback.question && typeof feedback.question === 'object' ? feedback.question : {};
  const heading = question.number && question.total
    ? `Feedback on question ${question.number} of ${question.total}` : 'Feedback on your answer';
  const covered = list(feedback.covered).map((item) => el('li', {}, [
    el('span', { className: 'criterion', text: str(item.criterion) }),
    item.evidence ? el('q', { className: 'evidence', text: str(item.evidence) }) : null,
  ]));
  const missing = list(feedback.missing).map((item) => el('li', {}, [
    el('span', { className: 'criterion', text: str(item.criterion) }),
    item.tip ? el('span', { className: 'tip', text: `Tip: ${str(item.tip)}` }) : null,
  ]));
  const concepts = list(feedback.concepts_missing).map((concept) => el('li', {
    text: `${str(concept.abbreviation)} (${str(concept.name)}): ${str(concept.meaning)}`,
  }));
  const flags = list(feedback.red_flags).map((flag) => el('li', {}, [
    el('span', { className: 'criterion', text: str(flag.name) }), el('span', { text: ` ${str(flag.explanation)}` }),
    flag.quote ? el('q', { className: 'evidence', text: str(flag.quote) }) : null,
  ]));
  const card = el('article', { className: 'card feedback-card', attrs: { 'aria-label': heading } }, [
    el('header', { className: 'card-header' }, [
      el('h3', { text: heading }),
      scoreBadge(feedback.score),
    ]),
    question.competency ? el('p', { className: 'competency', text: str(question.competency) }) : null,
    section(`Covered (${covered.length})`, covered),
    section(`Missing (${missing.length})`, missing),
    section('CX concepts you could add', concepts),
    section('An interviewer might note', flags),
    feedback.follow_up ? el('p', { className: 'follow-up' }, [
      el('strong', { text: 'Follow-up to prepare: ' }), el('span', { text: str(feedback.follow_up) }),
    ]) : null,
  ]);
  if (entry.text) {
    card.append(el('details', { className: 'as-text' }, [
      el('summary', { text: 'All feedback as text' }), el('p', { className: 'plain', text: entry.text }),
    ]));
  }
  return card;
}

function summaryCard(entry, actions) {
  const summary = entry.custom;
  const average = Number.isFinite(Number(summary.average)) ? `${Math.round(Number(summary.average))} / 100` : 'n/a';
  const card = el('article', { className: 'card summary-card', attrs: { 'aria-label': 'Interview summary' } }, [
    el('header', { className: 'card-header' }, [el('h3', { text: 'Your interview summary' }), scoreBadge(summary.average)]),
    el('p', { className: 'competency', text: `${str(summary.level)} level · ${Number(summary.answered) || 0} of `
      + `${Number(summary.asked) || 0} answered · average ${average}` }),
  ]);
  const download = el('button', { className: 'primary', text: 'Download report (HTML)', attrs: { type: 'button' } });
  download.addEventListener('click', () => actions.onDownload(entry));
  const copy = el('button', { className: 'secondary', text: 'Copy summary as text', attrs: { type: 'button' } });
  copy.addEventListener('click', () => actions.onCopy(entry, copy));
  card.append(
    el('h4', { text: 'Scores by competency' }),
    competencyChart(document, summary.competencies),
    el('div', { className: 'card-actions' }, [download, copy]),
    entry.text ? el('p', { className: 'plain summary-text', text: entry.text }) : null,
  );
  return card;
}

// "my progress": the average per competency over the last interviews as a line chart, and the points missed most.
function progressCard(entry) {
  const progress = entry.custom;
  const series = list(progress.competencies).map((item) => ({
    name: str(item.name), points: list(item.points).map((point) => ({ label: str(point.label), score: point.score })),
  }));
  const missed = list(progress.missed).map((item) => el('li', {}, [
    el('span', { className: 'criterion', text: str(item.criterion) }),
    el('span', { className: 'tip', text: `Missed in ${Number(item.missed) || 0} of ${Number(item.answered) || 0} `
      + `answers to “${str(item.question)}”` }),
  ]));
  const room = document.getElementById('transcript')?.clientWidth || 640;
  const card = el('article', { className: 'card progress-card', attrs: { 'aria-label': 'Your progress' } }, [
    el('header', { className: 'card-header' }, [el('h3', { text: 'Your progress' })]),
    el('p', { className: 'competency', text: `Interviews finished: ${Number(progress.interviews) || 0}; `
      + `shown: the last ${list(progress.window).length}` }),
    series.length ? trendChart(document, series, 'Your average per competency, interview by interview', room - 64)
      : null,
    section('The points you miss most', missed),
  ]);
  if (entry.text) {
    card.append(el('details', { className: 'as-text' }, [
      el('summary', { text: 'Your progress as text' }), el('p', { className: 'plain', text: entry.text }),
    ]));
  }
  return card;
}

function buttonRow(entry, actions) {
  if (!entry.buttons?.length) return null;
  const group = el('div', { className: 'choices', attrs: { role: 'group', 'aria-label': 'Choices' } });
  for (const button of entry.buttons) {
    const node = el('button', { className: 'choice', text: button.title, attrs: { type: 'button' } });
    node.disabled = Boolean(entry.buttonsUsed) || !actions.isLatestBot(entry);
    node.addEventListener('click', () => actions.onButton(entry, button));
    group.append(node);
  }
  return group;
}

export function renderEntry(entry, actions) {
  if (entry.role === 'user') {
    const label = { queued: 'waiting to send', failed: 'not sent yet' }[entry.status];
    const status = label ? el('span', { className: 'status', text: label }) : null;
    return el('div', { className: `message user ${entry.status || ''}`, attrs: { 'data-entry': entry.id } }, [
      el('span', { className: 'visually-hidden', text: 'You said: ' }),
      el('p', { className: 'plain', text: entry.text }),
      status,
    ]);
  }
  if (entry.role === 'note') {
    const retry = entry.retry ? el('button', { className: 'secondary', text: 'Retry now', attrs: { type: 'button' } })
      : null;
    retry?.addEventListener('click', () => actions.onRetry());
    return el('div', { className: 'message note', attrs: { 'data-entry': entry.id } }, [
      el('p', { text: entry.text }), retry,
    ]);
  }
  let body;
  if (isFeedback(entry)) body = feedbackCard(entry);
  else if (isSummary(entry)) body = summaryCard(entry, actions);
  else if (isProgress(entry) && entry.custom.interviews) body = progressCard(entry);
  else body = el('p', { className: 'plain', text: entry.text });
  return el('div', { className: 'message bot', attrs: { 'data-entry': entry.id } }, [
    el('span', { className: 'visually-hidden', text: 'Coach: ' }),
    body,
    buttonRow(entry, actions),
  ]);
}
