// The chat page: keeps the conversation (store.js), sends queued messages to Rasa one at a time in order (rasa.js),
// draws the transcript (render.js) and offers the report (report.js).

import {
  forgetLearner, freshConversation, loadConversation, loadLearner, saveConversation, saveLearner,
} from './store.js';
import { repliesToEntries, sendToRasa } from './rasa.js';
import { isFeedback, isSummary, renderEntry } from './render.js';
import { buildReport, reportFileName, summaryPlainText } from './report.js';

const OPENING_MESSAGE = '/greet'; // sent for the candidate when a conversation starts; not shown

const transcript = document.getElementById('transcript');
const typing = document.getElementById('typing');
const form = document.getElementById('composer');
const textarea = document.getElementById('message');
const composerStatus = document.getElementById('composer-status');
const progress = document.getElementById('progress');

let rasaUrl = '';
let conversation = loadConversation();
let learner = loadLearner();
let sending = false;
const nameInput = document.getElementById('learner-name');

function save() {
  if (!saveConversation(conversation)) {
    composerStatus.textContent = 'This browser would not save the conversation, so a reload will start afresh.';
  }
}

function addEntry(entry) {
  const stored = { id: conversation.nextId++, ...entry };
  conversation.entries.push(stored);
  return stored;
}

function latestBot() {
  for (let i = conversation.entries.length - 1; i >= 0; i -= 1) {
    if (conversation.entries[i].role === 'bot') return conversation.entries[i];
  }
  return null;
}

// The entries of the interview a summary closes: everything after the previous summary.
function interviewEntriesBefore(summaryEntry) {
  const end = conversation.entries.indexOf(summaryEntry);
  let start = end;
  while (start > 0 && !isSummary(conversation.entries[start - 1])) start -= 1;
  return conversation.entries.slice(start, end);
}

const actions = {
  isLatestBot: (entry) => entry === latestBot(),
  onButton(entry, button) {
    entry.buttonsUsed = true;
    enqueue(button.title, button.payload);
    textarea.focus(); // the clicked button is now disabled; keep keyboard users where they type
  },
  onRetry: () => pump(),
  onDownload(entry) {
    const html = buildReport(entry, interviewEntriesBefore(entry));
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = reportFileName();
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    composerStatus.textContent = `Report saved as ${link.download} in your downloads.`;
  },
  async onCopy(entry, button) {
    const text = summaryPlainText(entry);
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Summary copied';
      composerStatus.textContent = 'The summary is on your clipboard as plain text.';
    } catch {
      composerStatus.textContent = 'This browser blocked copying. Download the report instead.';
    }
  },
};

function updateProgress() {
  let label = 'Not started';
  for (const entry of conversation.entries) {
    if (entry.role !== 'bot') continue;
    const where = entry.custom?.kind === 'question' ? entry.custom.progress : null;
    if (where && where.number && where.total) label = `Question ${where.number} of ${where.total}`;
    if (isSummary(entry)) label = 'Interview finished';
  }
  if (progress.textContent !== label) progress.textContent = label;
}

// Redraw only what changed: existing nodes are replaced when their entry changed, new ones appended, so a screen
// reader hears each new message once.
function render({ scroll = true } = {}) {
  const seen = new Set();
  let firstNew = null;
  for (const entry of conversation.entries) {
    if (entry.hidden) continue;
    const key = JSON.stringify(entry) + (actions.isLatestBot(entry) ? ':latest' : '');
    seen.add(String(entry.id));
    const existing = transcript.querySelector(`[data-entry="${entry.id}"]`);
    if (existing && existing.dataset.key === key) continue;
    const node = renderEntry(entry, actions);
    node.dataset.key = key;
    if (existing) existing.replaceWith(node);
    else {
      transcript.append(node);
      firstNew ??= node;
    }
  }
  for (const node of [...transcript.children]) {
    if (!seen.has(node.dataset.entry)) node.remove();
  }
  typing.hidden = !sending;
  updateProgress();
  if (scroll && firstNew) showFrom(firstNew);
}

// Bring new messages into view; when they are taller than the view (a feedback card), show their start.
function showFrom(node) {
  const view = transcript.parentElement;
  const last = transcript.lastElementChild;
  const span = last.getBoundingClientRect().bottom - node.getBoundingClientRect().top;
  if (span > view.clientHeight - 40) node.scrollIntoView({ block: 'start' });
  else (typing.hidden ? last : typing).scrollIntoView({ block: 'end' });
}

function enqueue(display, message = display) {
  addEntry({ role: 'user', text: display, message, status: 'queued' });
  save();
  render();
  pump();
}

// Send queued messages one at a time, in the order they were typed. A message stays queued until Rasa answered it.
async function pump() {
  if (sending || !rasaUrl) return;
  const next = conversation.entries.find((entry) => entry.status === 'queued' || entry.status === 'failed'
    || entry.status === 'sending');
  if (!next) return;
  sending = true;
  next.status = 'sending';
  conversation.entries = conversation.entries.filter((entry) => !(entry.role === 'note' && entry.retry));
  save();
  render();
  const senderId = conversation.senderId;
  try {
    const replies = await sendToRasa(rasaUrl, senderId, next.message ?? next.text,
      { metadata: { learner: { id: learner.id, name: learner.name, channel: 'web' } } });
    if (senderId !== conversation.senderId) return; // the candidate started over meanwhile
    next.status = 'sent';
    const entries = repliesToEntries(replies);
    if (entries.some((entry) => entry.custom?.kind === 'data_deleted')) {
      forgetEverything(entries);
      return;
    }
    for (const entry of entries) {
      if (isFeedback(entry)) entry.answer = next.text;
      addEntry(entry);
    }
    if (next.hidden) conversation.entries = conversation.entries.filter((entry) => entry !== next);
  } catch (error) {
    if (senderId !== conversation.senderId) return;
    next.status = 'failed';
    addEntry({ role: 'note', retry: true,
      text: `Your message is kept but not sent yet: ${error.message}. Is the coach (make run) still running?` });
  } finally {
    if (senderId === conversation.senderId) {
      sending = false;
      save();
      render();
    }
  }
  if (next.status === 'sent') pump();
}

// "delete my data" done: the coach forgot this learner, and so does this browser. Only the coach's last message,
// which says what was removed, stays on screen; the next message starts afresh as a new learner.
function forgetEverything(entries) {
  forgetLearner();
  learner = loadLearner();
  nameInput.value = '';
  conversation = freshConversation();
  transcript.replaceChildren();
  for (const entry of entries) addEntry({ ...entry, custom: null });
  sending = false;
  save();
  render();
}

function startConversation() {
  addEntry({ role: 'user', text: '', message: OPENING_MESSAGE, status: 'queued', hidden: true });
  save();
  pump();
}

function growTextarea() {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, Math.round(window.innerHeight * 0.4))}px`;
}

function submit() {
  const text = textarea.value;
  if (!text.trim()) {
    composerStatus.textContent = 'Nothing to send yet: type your answer first.';
    return;
  }
  composerStatus.textContent = sending ? 'Sent after the coach answers your previous message.' : '';
  textarea.value = '';
  growTextarea();
  enqueue(text);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
  textarea.focus();
});
textarea.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
textarea.addEventListener('input', growTextarea);

document.getElementById('start-over').addEventListener('click', () => {
  const started = conversation.entries.some((entry) => entry.role === 'user' && !entry.hidden);
  if (started && !window.confirm('Start a new interview? This page forgets the current conversation.')) return;
  conversation = freshConversation();
  sending = false;
  transcript.replaceChildren();
  composerStatus.textContent = 'Started a new interview.';
  save();
  render();
  startConversation();
  textarea.focus();
});

nameInput.value = learner.name;
nameInput.addEventListener('change', () => {
  learner = { ...learner, name: nameInput.value.trim().slice(0, 60) };
  saveLearner(learner);
  composerStatus.textContent = learner.name ? `The coach will call you ${learner.name}.` : 'Your name is cleared.';
});

async function main() {
  render({ scroll: false });
  transcript.lastElementChild?.scrollIntoView({ block: 'end' });
  try {
    const config = await (await fetch('config.json', { cache: 'no-store' })).json();
    rasaUrl = String(config.rasaUrl || '').replace(/\/+$/, '');
  } catch {
    rasaUrl = '';
  }
  if (!rasaUrl) {
    addEntry({ role: 'note', text: 'This page cannot find the coach: config.json is missing. Start it with make run.' });
    render();
    return;
  }
  if (!conversation.entries.length) startConversation();
  else pump(); // messages typed before a reload, or one in flight when the tab closed, go out now
  textarea.focus();
}

main();
