// Rasa's REST channel: POST a message, get the bot's replies back in the response.

// kind: unreachable (no answer at all), timeout, refused (an HTTP error status), unreadable (not a message list).
export class RasaError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

export async function sendToRasa(rasaUrl, senderId, message, { timeoutMs = 180000 } = {}) {
  let response;
  try {
    response = await fetch(`${rasaUrl}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender: senderId, message }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const kind = error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
    throw new RasaError(kind, `could not reach the coach (${error.name})`);
  }
  if (!response.ok) {
    throw new RasaError('refused', `the coach answered with HTTP ${response.status}`);
  }
  const replies = await response.json().catch(() => null);
  if (!Array.isArray(replies)) {
    throw new RasaError('unreadable', 'the coach sent a reply this page cannot read');
  }
  return replies;
}

// Turn Rasa's message list into transcript entries. A `custom` payload (feedback, summary) follows the text it
// belongs to; it is attached to that text so the page can draw a card and still keep the plain text.
export function repliesToEntries(replies) {
  const entries = [];
  for (const reply of replies) {
    if (!reply || typeof reply !== 'object') continue;
    const custom = reply.custom && typeof reply.custom === 'object' ? reply.custom : null;
    if (custom) {
      const previous = entries[entries.length - 1];
      if (previous && previous.role === 'bot' && !previous.custom) {
        previous.custom = custom;
      } else {
        entries.push({ role: 'bot', text: '', custom });
      }
      continue;
    }
    const text = typeof reply.text === 'string' ? reply.text : '';
    const buttons = Array.isArray(reply.buttons)
      ? reply.buttons
        .filter((button) => button && typeof button.payload === 'string')
        .map((button) => ({ title: String(button.title ?? button.payload), payload: button.payload }))
      : [];
    if (!text && !buttons.length) continue;
    entries.push({ role: 'bot', text, buttons });
  }
  return entries;
}
