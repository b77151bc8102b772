"""A message Rasa could not take because a store did not answer, and what the sender is told then.

The conversation store (stores/tracker_store.py, after its own retries) and Rasa's Redis lock store raise these, and
so does any other read or write of the conversations' database that loses its connection (the kept messages of
channels/action_server.py). The REST channel answers such a message with a 503, the Slack channel with
`utter_message_not_taken`, so the sender always knows to send it again; Rasa's own channels log the error and answer
as if nothing had happened.
"""

import redis.exceptions
import sqlalchemy.exc
from rasa.core.lock_store import LockError

from channels.replies import channel_reply
from stores.tracker_store import StoreUnavailable

STORES_UNAVAILABLE = (StoreUnavailable, LockError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                      sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


def not_taken_text() -> str:
    return channel_reply("utter_message_not_taken")
