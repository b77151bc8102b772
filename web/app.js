// The chat page: keeps the conversation (store.js), sends queued messages to Rasa one at a time in order (rasa.js),
// draws the transcript (render.js) and offers the report (report.js).

import { freshConversation, loadConversation, saveConversation } from './store.js';
import { repliesToEntries, sendToRasa } from './rasa.js';
import { isFeedback, isSummary, renderEntry, updateEntry } from './render.js';
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
let sending = false;

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

// The entries of the interview a summary closes (or of the interview under way, for null): everything after the
// previous summary.
function interviewEntriesBefore(summaryEntry) {
  const end = summaryEntry ? conversation.entries.indexOf(summaryEntry) : conversation.entries.length;
  let start = end;
  while (start > 0 && !isSummary(conversation.entries[start - 1])) start -= 1;
  return conversation.entries.slice(start, end);
}

// A feedback the bot sends again for an answer it had already scored (the page sent the answer twice, or its first
// reply was lost in transit) updates the card of that answer where it stands instead of adding a second card.
function addReply(entry) {
  if (isFeedback(entry) && entry.custom.answer_id) {
    const interview = interviewEntriesBefore(null);
    const shown = interview.find((other) => isFeedback(other) && other.custom.answer_id === entry.custom.answer_id);
    if (shown) {
      if (JSON.stringify(shown.custom) !== JSON.stringify(entry.custom)) {
        Object.assign(shown, { text: entry.text, custom: entry.custom, version: (shown.version || 0) + 1 });
      }
      return;
    }
  }
  addEntry(entry);
}

const actions = {
  isLatestBot: (entry) => entry === latestBot(),
  onButton(entry, button) {
    entry.buttonsUsed = true;
    enqueue(button.title, button.payload);
    textarea.focus(); // the clicked button is now disabled; keep keyboard users where they type
  },
  onRetry() {
    pump();
    textarea.focus();
  },
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

// Draw new entries and update the others in place. A node is replaced only when its entry's content was replaced
// (a resent feedback that differs), so the live log announces each message once, not at every status change.
function render({ scroll = true } = {}) {
  const seen = new Set();
  const added = [];
  for (const entry of conversation.entries) {
    if (entry.hidden) continue;
    seen.add(String(entry.id));
    const existing = transcript.querySelector(`[data-entry="${entry.id}"]`);
    const version = String(entry.version || 0);
    if (existing && existing.dataset.version === version) {
      updateEntry(existing, entry, actions);
      continue;
    }
    const node = renderEntry(entry, actions);
    node.dataset.version = version;
    if (existing) existing.replaceWith(node);
    else {
      transcript.append(node);
      added.push(node);
    }
  }
  for (const node of [...transcript.children]) {
    if (!seen.has(node.dataset.entry)) node.remove();
  }
  typing.hidden = !sending;
  updateProgress();
  if (scroll && added.length) showNew(added);
}

// Bring new messages into view. The newest one (the next question, a follow-up) must be fully visible: after
// feedback the candidate reads on to what comes next. Only a card that ends the batch alone (the summary) is shown
// from its start.
function showNew(added) {
  const last = added[added.length - 1];
  const view = transcript.parentElement;
  if (last.querySelector('.summary-card') && last.getBoundingClientRect().height > view.clientHeight - 40) {
    last.scrollIntoView({ block: 'start' });
    return;
  }
  (typing.hidden ? last : typing).scrollIntoView({ block: 'end' });
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
    const replies = await sendToRasa(rasaUrl, senderId, next.message ?? next.text);
    if (senderId !== conversation.senderId) return; // the candidate started over meanwhile
    next.status = 'sent';
    for (const entry of repliesToEntries(replies)) addReply(entry);
    if (next.hidden) conversation.entries = conversation.entries.filter((entry) => entry !== next);
  } catch (error) {
    if (senderId !== conversation.senderId) return;
    next.status = 'failed';
    addEntry({ role: 'note', retry: true, text: problemText(error, next) });
  } finally {
    if (senderId === conversation.senderId) {
      sending = false;
      save();
      render();
    }
  }
  if (next.status === 'sent') pump();
}

// What went wrong, in plain words, and what happens to the message.
function problemText(error, message) {
  const what = {
    unreachable: 'The coach is not answering. If you started it with make run, check that it is still running.',
    timeout: 'The coach took too long to answer.',
    refused: 'The coach could not take that message.',
    unreadable: 'The coach sent an answer this page cannot read.',
  }[error.kind] || 'Something went wrong while sending.';
  const kept = message.hidden ? 'Press Retry to try again.'
    : 'Your message is kept: press Retry to send it again.';
  return `${what} ${kept}`;
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
