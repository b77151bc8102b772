"""Rasa's SQL tracker store (SQLite here, PostgreSQL as configured), which can also forget conversations.

"delete my data" (actions/learner_actions.py) sets the slot `forget_conversations` to the learner's conversation ids.
An action cannot delete the current conversation itself: Rasa saves the turn's events after the actions ran, and
SQLTrackerStore.save stores every event beyond those already in the table, so a conversation deleted mid-turn would be
written back whole. Here, saving a tracker with that slot set deletes every event of those conversations, this one
included, instead of saving. The next message starts a new conversation.

endpoints.yml: `type: channels.tracker_store.ForgettingSQLTrackerStore`, with SQLTrackerStore's own settings.
"""

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
FORGET_SLOT = "forget_conversations"


class ForgettingSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        forget = tracker.slots.get(FORGET_SLOT)
        senders = set(forget.value or []) if forget is not None else set()
        if not senders:
            await super().save(tracker)
            return
        senders.add(tracker.sender_id)
        with self.session_scope() as session:
            removed = (session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(sorted(senders)))
                       .delete(synchronize_session=False))
            session.commit()
        logger.info("Forgot %d conversations (%d events) at the learner's request", len(senders), removed)
