// The downloadable interview report (one self-contained, printable HTML file that reads well on a phone) and the
// plain-text summary. The report is built as a DOM tree and serialised, so every answer and every bot text is
// escaped by the browser's serialiser; its own Content-Security-Policy forbids scripts as a second line of defence.

import { competencyChart } from './chart.js';
import { highlightedAnswer, listedPoints, marksFor } from './highlight.js';
import { isFeedback, list, str } from './render.js';

const REPORT_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; color: #1f2933; max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #d9e2ec; padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .25rem; }
h4 { font-size: 1rem; margin: .75rem 0 .25rem; }
.meta { color: #52606d; }
ol.question-scores li { margin-bottom: .4rem; }
.answer-text, .plain { white-space: pre-wrap; overflow-wrap: anywhere; }
.answer-text { background: #f5f7fa; border-left: 4px solid #9aa5b1; padding: .5rem .75rem; margin: .25rem 0; }
mark { background: #fdf1b8; color: inherit; padding: 0 .1em; }
.point-ref { color: #1e6b3a; font-weight: 700; }
.covered li::marker { color: #1e6b3a; font-weight: 700; }
.flags li { border-left: 4px solid #a61b1b; padding-left: .5rem; list-style: none; }
.flags { padding-left: 0; }
.question { break-inside: avoid; }
.competency-chart { list-style: none; padding: 0; max-width: 40rem; }
.competency-chart li { display: grid; grid-template-columns: 1fr auto; gap: .1rem .75rem; margin-bottom: .6rem; }
.bar-value { font-weight: 700; }
.bar-track { grid-column: 1 / -1; height: .9rem; background: #e4e7eb; border-radius: 3px; }
.bar { display: block; height: 100%; background: #1d5fa8; border-radius: 3px;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { margin-top: 2rem; color: #52606d; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  .question, .competency-chart { break-inside: avoid; }
}
`;

function add(doc, parent, tag, text, className) {
  const node = doc.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  parent.append(node);
  return node;
}

function addList(doc, parent, lines, className, tag = 'ul') {
  const items = lines.filter((line) => typeof line === 'string' && line);
  if (!items.length) return null;
  const node = add(doc, parent, tag, null, className);
  for (const line of items) add(doc, node, 'li', line);
  return node;
}

export function reportFileName(now = new Date()) {
  return `cx-interview-report-${now.toISOString().slice(0, 10)}.html`;
}

function averageText(summary) {
  return Number.isFinite(Number(summary.average)) ? `${Math.round(Number(summary.average))} / 100` : 'n/a';
}

// The feedback the report shows for each question number: the latest of each stage (a resent feedback replaces the
// first copy; the reply to a follow-up belongs to its question, not to a block of its own).
function feedbackByQuestion(interviewEntries) {
  const byNumber = new Map();
  for (const entry of interviewEntries.filter(isFeedback)) {
    const number = entry.custom.question?.number;
    const stages = byNumber.get(number) || {};
    stages[entry.custom.stage === 'follow_up' ? 'followUp' : 'answer'] = entry.custom;
    byNumber.set(number, stages);
  }
  return byNumber;
}

function questionBlock(doc, parent, question, stages) {
  const block = add(doc, parent, 'section', null, 'question');
  add(doc, block, 'h3', `Question ${question.number ?? ''}: ${str(question.text)}`);
  const final = stages.followUp || stages.answer;
  if (question.status !== 'answered' || !final) {
    add(doc, block, 'p', `${str(question.competency)} · skipped`, 'meta');
    return;
  }
  const change = stages.followUp?.change;
  const score = change && change.before !== change.after ? `${change.before} → ${change.after}` : `${question.score}`;
  add(doc, block, 'p', `${str(question.competency)} · score ${score} / 100`, 'meta');
  if (final.verdict) add(doc, block, 'p', final.verdict);

  list(final.answers).forEach((answer, part) => {
    if (answer.follow_up_question) {
      add(doc, block, 'h4', 'Follow-up question');
      add(doc, block, 'p', answer.follow_up_question);
      add(doc, block, 'h4', 'Your reply');
    } else {
      add(doc, block, 'h4', 'Your answer');
    }
    block.append(highlightedAnswer(doc, answer.text, marksFor(final, part)));
  });
  const points = listedPoints(final);
  if (points.length) {
    add(doc, block, 'h4', 'What you did well');
    const covered = add(doc, block, 'ol', null, 'covered');
    for (const item of points) add(doc, covered, 'li', `${str(item.shown) || str(item.criterion)} You said: “${str(item.evidence)}”`);
  }
  const missing = list(final.missing);
  if (missing.length) {
    add(doc, block, 'h4', 'What to add');
    addList(doc, block, missing.map((item) => (item.unsure ? `Partly there. ${str(item.tip)}` : str(item.tip))));
  }
  const flags = list(final.red_flags).map((flag) => (flag.quote
    ? `${str(flag.name)}. ${str(flag.explanation)} You wrote: “${str(flag.quote)}”`
    : `${str(flag.name)}: ${str(flag.absence)} ${str(flag.explanation)}`));
  if (flags.length) {
    add(doc, block, 'h4', 'What an interviewer might note');
    addList(doc, block, flags, 'flags');
  }
  const concepts = list(final.concepts_missing).map((c) => `${str(c.abbreviation)} (${str(c.name)}): ${str(c.meaning)}`);
  if (concepts.length) {
    add(doc, block, 'h4', 'CX concepts you could bring in');
    addList(doc, block, concepts);
  }
  const notes = [...(final.misdefinitions || []), ...(final.notes || [])];
  if (notes.some((note) => typeof note === 'string' && note)) {
    add(doc, block, 'h4', 'How your answer was read');
    addList(doc, block, notes);
  }
  if (stages.answer?.follow_up && !stages.followUp) add(doc, block, 'p', `A follow-up to prepare: ${str(stages.answer.follow_up)}`);
}

// interviewEntries: the transcript entries of this interview, in order.
export function buildReport(summaryEntry, interviewEntries, now = new Date()) {
  const summary = summaryEntry.custom || {};
  const doc = document.implementation.createHTMLDocument('CX Interview Coach: interview report');
  doc.documentElement.lang = 'en';
  const meta = (attributes) => {
    const node = doc.createElement('meta');
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  };
  doc.head.prepend(meta({ charset: 'utf-8' }),
    meta({ name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    meta({ 'http-equiv': 'Content-Security-Policy', content: "default-src 'none'; style-src 'unsafe-inline'" }));

  const body = doc.body;
  const header = add(doc, body, 'header');
  add(doc, header, 'h1', 'CX Interview Coach: interview report');
  add(doc, header, 'p', `${str(summary.level)} level · ${Number(summary.answered) || 0} of `
    + `${Number(summary.asked) || 0} questions answered · average score ${averageText(summary)} · `
    + `${now.toLocaleDateString('en-GB', { dateStyle: 'long' })}`, 'meta');
  const main = add(doc, body, 'main');

  add(doc, main, 'h2', 'Scores per question');
  addList(doc, main, list(summary.questions).map((question) => `${question.status === 'answered'
    ? `${question.score} / 100` : 'skipped'} · ${str(question.text)} (${str(question.competency)})`),
  'question-scores', 'ol');

  add(doc, main, 'h2', 'Scores by competency');
  main.append(competencyChart(doc, summary.competencies));
  const areas = [summary.strongest, summary.weakest];
  if (areas.some(Boolean)) {
    add(doc, main, 'h2', 'Strongest and weakest areas');
    addList(doc, main, areas);
  }
  const readiness = summary.readiness && typeof summary.readiness === 'object' ? summary.readiness : null;
  if (readiness) {
    add(doc, main, 'h2', 'Level readiness');
    add(doc, main, 'p', str(readiness.verdict));
    addList(doc, main, readiness.levels || []);
    if (readiness.level_up) add(doc, main, 'p', str(readiness.level_up));
    addList(doc, main, readiness.level_up_examples || []);
  }
  if (Array.isArray(summary.next_steps) && summary.next_steps.length) {
    add(doc, main, 'h2', 'Next steps');
    addList(doc, main, summary.next_steps);
  } else if (summaryEntry.text) {
    add(doc, main, 'h2', 'Summary');
    add(doc, main, 'p', summaryEntry.text, 'plain');
  }

  const feedback = feedbackByQuestion(interviewEntries);
  add(doc, main, 'h2', 'Your answers and feedback');
  for (const question of list(summary.questions)) questionBlock(doc, main, question, feedback.get(question.number) || {});

  add(doc, body, 'footer', 'Made by CX Interview Coach, a practice bot, on this computer. The scores come from '
    + 'comparing your words with what interviewers listen for; use them as a guide, not a verdict.');
  // The style sheet is our constant, added as text: a <style> node inside this page's DOM would trip the page's own
  // Content-Security-Policy (style-src 'self').
  const html = doc.documentElement.outerHTML.replace('</head>', `<style>${REPORT_CSS}</style></head>`);
  return `<!DOCTYPE html>\n${html}\n`;
}

// Web addresses are removed so the text can be pasted anywhere (a CV tool, a message) without links.
const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

// The summary as plain text, from the same data as the card (not the bot's message, which ends with chat advice).
export function summaryPlainText(summaryEntry, now = new Date()) {
  const summary = summaryEntry.custom || {};
  const lines = [`CX Interview Coach summary, ${now.toISOString().slice(0, 10)}`,
    `${str(summary.level)} level: ${Number(summary.answered) || 0} of ${Number(summary.asked) || 0} questions `
    + `answered, average score ${averageText(summary)}`];
  const block = (title, items) => {
    const kept = items.filter((item) => typeof item === 'string' && item);
    if (kept.length) lines.push('', title, ...kept.map((item) => `- ${item}`));
  };
  block('Scores per question', list(summary.questions).map((question) => `Q${question.number ?? ''}: `
    + `${question.status === 'answered' ? `${question.score}/100` : 'skipped'}. ${str(question.text)}`));
  block('Scores by competency', list(summary.competencies).map((item) => `${str(item.name)}: ${item.score}/100`));
  block('Strongest and weakest areas', [summary.strongest, summary.weakest]);
  const readiness = summary.readiness || {};
  block('Level readiness', [readiness.verdict, ...(readiness.levels || []), readiness.level_up]);
  block('Next steps', summary.next_steps || []);
  return lines.join('\n').replace(LINK, '').replace(/[ \t]+$/gm, '');
}
