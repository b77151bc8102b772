// The downloadable interview report (one self-contained, printable HTML file) and the plain-text summary.
// The report is built as a DOM tree and serialised, so every answer and every bot text is escaped by the browser's
// serialiser; its own Content-Security-Policy forbids scripts as a second line of defence.

import { competencyChart } from './chart.js';
import { isFeedback } from './render.js';

const REPORT_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; color: #1f2933; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #d9e2ec; padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .25rem; }
.meta { color: #52606d; }
table { border-collapse: collapse; width: 100%; }
td:last-child { white-space: nowrap; }
.competency-chart { display: block; max-width: 40rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #d9e2ec; vertical-align: top; }
.answer, .plain { white-space: pre-wrap; overflow-wrap: anywhere; }
.answer { background: #f5f7fa; border-left: 4px solid #9aa5b1; padding: .5rem .75rem; }
.covered li::marker { content: "✓  "; color: #1e6b3a; }
.missing li::marker { content: "✗  "; color: #a61b1b; }
.question { break-inside: avoid; }
footer { margin-top: 2rem; color: #52606d; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  .question, svg { break-inside: avoid; }
}
`;

function add(doc, parent, tag, text, className) {
  const node = doc.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  parent.append(node);
  return node;
}

const str = (value) => (typeof value === 'string' ? value : '');
const items = (value) => (Array.isArray(value) ? value.filter((item) => item && typeof item === 'object') : []);

export function reportFileName(now = new Date()) {
  return `cx-interview-report-${now.toISOString().slice(0, 10)}.html`;
}

// interviewEntries: the transcript entries of this interview, in order; feedback entries carry the `answer` they
// were given for.
export function buildReport(summaryEntry, interviewEntries, now = new Date()) {
  const summary = summaryEntry.custom || {};
  const doc = document.implementation.createHTMLDocument('CX Interview Coach: interview report');
  doc.documentElement.lang = 'en';
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  const policy = doc.createElement('meta');
  policy.setAttribute('http-equiv', 'Content-Security-Policy');
  policy.setAttribute('content', "default-src 'none'; style-src 'unsafe-inline'");
  doc.head.prepend(charset, policy);

  const body = doc.body;
  add(doc, body, 'h1', 'CX Interview Coach: interview report');
  const average = Number.isFinite(Number(summary.average)) ? `${Math.round(Number(summary.average))} / 100` : 'n/a';
  add(doc, body, 'p', `${str(summary.level)} level · ${Number(summary.answered) || 0} of ${Number(summary.asked) || 0} `
    + `questions answered · average score ${average} · ${now.toLocaleDateString('en-GB', { dateStyle: 'long' })}`,
  'meta');

  add(doc, body, 'h2', 'Scores by competency');
  body.append(competencyChart(doc, summary.competencies));

  add(doc, body, 'h2', 'Questions');
  const table = add(doc, body, 'table');
  const head = add(doc, add(doc, table, 'thead'), 'tr');
  for (const title of ['#', 'Question', 'Competency', 'Score']) add(doc, head, 'th', title);
  const rows = add(doc, table, 'tbody');
  for (const question of items(summary.questions)) {
    const row = add(doc, rows, 'tr');
    add(doc, row, 'td', question.number ?? '');
    add(doc, row, 'td', str(question.text));
    add(doc, row, 'td', str(question.competency));
    add(doc, row, 'td', question.status === 'answered' ? `${question.score} / 100` : 'skipped');
  }

  const feedbacks = interviewEntries.filter(isFeedback);
  if (feedbacks.length) add(doc, body, 'h2', 'Your answers and feedback');
  for (const entry of feedbacks) {
    const feedback = entry.custom;
    const question = feedback.question && typeof feedback.question === 'object' ? feedback.question : {};
    const block = add(doc, body, 'section', null, 'question');
    add(doc, block, 'h3', `Question ${question.number ?? ''}: ${str(question.text)}`);
    add(doc, block, 'p', `${str(question.competency)} · score ${Number(feedback.score) || 0} / 100`, 'meta');
    if (entry.answer) {
      add(doc, block, 'p', 'Your answer:');
      add(doc, block, 'p', entry.answer, 'answer');
    }
    const covered = items(feedback.covered);
    if (covered.length) {
      add(doc, block, 'p', 'What you covered:');
      const list = add(doc, block, 'ul', null, 'covered');
      for (const item of covered) add(doc, list, 'li', `${str(item.criterion)}. You said: “${str(item.evidence)}”`);
    }
    const missing = items(feedback.missing);
    if (missing.length) {
      add(doc, block, 'p', 'What was missing:');
      const list = add(doc, block, 'ul', null, 'missing');
      for (const item of missing) add(doc, list, 'li', `${str(item.criterion)}. Tip: ${str(item.tip)}`);
    }
    if (feedback.follow_up) add(doc, block, 'p', `Follow-up to prepare: ${str(feedback.follow_up)}`);
  }

  if (summaryEntry.text) {
    add(doc, body, 'h2', 'Summary and next steps');
    add(doc, body, 'p', summaryEntry.text, 'plain');
  }
  add(doc, body, 'footer', 'Made by CX Interview Coach, a practice bot, on this computer. The scores come from '
    + 'comparing your words with what interviewers listen for; use them as a guide, not a verdict.');
  // The style sheet is our constant, added as text: a <style> node inside this page's DOM would trip the page's own
  // Content-Security-Policy (style-src 'self').
  const html = doc.documentElement.outerHTML.replace('</head>', `<style>${REPORT_CSS}</style></head>`);
  return `<!DOCTYPE html>\n${html}\n`;
}

// Web addresses are removed so the text can be pasted anywhere (a CV tool, a message) without links.
const LINK = /\b(?:https?:\/\/|www\.)\S+/gi;

export function summaryPlainText(summaryEntry, now = new Date()) {
  const summary = summaryEntry.custom || {};
  const lines = [`CX Interview Coach summary, ${now.toISOString().slice(0, 10)}`];
  if (summaryEntry.text) {
    lines.push(summaryEntry.text);
  } else {
    lines.push(`Average score: ${summary.average ?? 'n/a'} / 100`);
    for (const item of items(summary.competencies)) lines.push(`${str(item.name)}: ${item.score} / 100`);
  }
  return lines.join('\n').replace(LINK, '').replace(/[ \t]+$/gm, '');
}
