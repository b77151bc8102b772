// What survives a reload or a closed tab: the sender id (which conversation Rasa resumes) and the page's copy of
// the transcript, including messages typed but not yet answered. Kept in localStorage, on this computer only.

const KEY = 'cx-coach:conversation';
// The learner across conversations: an id this browser makes up once, and the name they choose to give (optional).
// Sent with every message, so the coach keeps their interviews and progress (actions/learner_actions.py).
const LEARNER_KEY = 'cx-coach:learner';

function newSenderId() {
  return `web-${crypto.randomUUID()}`;
}

export function freshConversation() {
  return { senderId: newSenderId(), entries: [], nextId: 1 };
}

export function loadConversation(storage = window.localStorage) {
  try {
    const saved = JSON.parse(storage.getItem(KEY) || 'null');
    if (saved && typeof saved.senderId === 'string' && Array.isArray(saved.entries)) {
      return { nextId: saved.entries.length + 1, ...saved };
    }
  } catch {
    // A damaged copy is no reason to stop: start a new conversation below.
  }
  return freshConversation();
}

export function saveConversation(conversation, storage = window.localStorage) {
  try {
    storage.setItem(KEY, JSON.stringify(conversation));
    return true;
  } catch {
    return false; // storage full or disabled: the conversation still works, it just won't survive a reload
  }
}

export function loadLearner(storage = window.localStorage) {
  try {
    const saved = JSON.parse(storage.getItem(LEARNER_KEY) || 'null');
    if (saved && typeof saved.id === 'string' && saved.id) return { id: saved.id, name: String(saved.name || '') };
  } catch {
    // A damaged copy: a new learner id below.
  }
  const learner = { id: crypto.randomUUID(), name: '' };
  saveLearner(learner, storage);
  return learner;
}

export function saveLearner(learner, storage = window.localStorage) {
  try {
    storage.setItem(LEARNER_KEY, JSON.stringify(learner));
    return true;
  } catch {
    return false;
  }
}

// After "delete my data": this browser forgets the learner and the conversation too.
export function forgetLearner(storage = window.localStorage) {
  try {
    storage.removeItem(LEARNER_KEY);
    storage.removeItem(KEY);
  } catch {
    // nothing stored, or storage disabled: nothing to forget
  }
}
