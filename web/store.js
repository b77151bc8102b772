// What survives a reload or a closed tab: the sender id (which conversation Rasa resumes) and the page's copy of
// the transcript, including messages typed but not yet answered. Kept in localStorage, on this computer only.

const KEY = 'cx-coach:conversation';

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
