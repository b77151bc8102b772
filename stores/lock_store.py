"""Rasa's two lock stores (endpoints.yml: `type: stores.lock_store.${LOCK_STORE}`), with one fix to how a message
waits for its conversation's lock.

Rasa handles one message of a conversation at a time: each message takes a numbered ticket, which expires after
TICKET_LOCK_LIFETIME (60 s), and `LockStore._acquire_lock` (rasa/core/lock_store.py) checks once a second whether the
first live ticket is its own. A Rasa server that dies while handling a message never releases its ticket; the server
that takes the conversation over waits behind it until it expires. When the waiting message's own ticket was issued
less than a second after the dead one, both expire between two checks: no live ticket is left, the first live ticket
is never its own, and the message waits until the response timeout, then gets a 503. On a quiet cluster that is
about every other message in flight when a server dies (make test-cluster shows it). Here a message goes ahead as
soon as no live ticket is ahead of its own, whether or not its own ticket has expired meanwhile.
"""

import asyncio
from typing import Optional, Text

import redis.exceptions
from rasa.core import lock_store as rasa_locks
from rasa.core.lock import TicketLock
from rasa.shared.exceptions import ConnectionException
from rasa.utils.endpoints import EndpointConfig


class _ServedWhenNoneAhead:
    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id) or self.create_lock(conversation_id)
            if not any(other.number < ticket and not other.has_expired() for other in lock.tickets):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)


class InMemoryLockStore(_ServedWhenNoneAhead, rasa_locks.InMemoryLockStore):
    """Rasa's in-memory lock store: the locks of one Rasa server (make run)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        super().__init__()


class RedisLockStore(_ServedWhenNoneAhead, rasa_locks.RedisLockStore):
    """Rasa's Redis lock store: the locks shared by several Rasa servers (url, port, password, db as in Rasa). Rasa
    connects at the first message; this one checks at start-up, so a Redis that cannot be reached stops the start."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        try:
            self.red.ping()
        except redis.exceptions.RedisError as error:
            raise ConnectionException(f"cannot reach the lock store's Redis at {endpoint_config.url}:"
                                      f"{endpoint_config.kwargs.get('port')} ({error}); Rasa will not start without "
                                      "it") from error
