"""Rasa's SQL tracker store (conversations in SQLite or PostgreSQL), made to fail loudly instead of forgetting.

endpoints.yml names it (`type: stores.tracker_store.CheckedSQLTrackerStore`, `url:` an SQLAlchemy URL). Rasa 3.6.21
loses conversations without a word in two places when its database cannot be reached:

1. At start-up, `SQLTrackerStore.__init__` (rasa/core/tracker_store.py) catches the OperationalError of creating its
   table ("Could not create tables", meant for two servers creating it at once) and carries on, so the server
   starts and answers with nowhere to keep anything.
2. Then `Agent._create_tracker_store` (rasa/core/agent.py) wraps every tracker store in `FailSafeTrackerStore`,
   which answers a failed read with "no conversation" (Rasa starts a new, empty one for that sender: the candidate
   is greeted again and their answer taken for something else) and keeps a failed save in memory only
   (`InMemoryTrackerStore`), where it is lost, or written back into the middle of the real conversation later.

This store instead waits up to DATABASE_WAIT_SECONDS at start-up and then stops Rasa with an error naming the
database; checks a pooled connection before using it, so a database restart costs one reconnection; retries a read
or a save for up to DATABASE_WAIT_SECONDS; and then raises StoreUnavailable, which Rasa's wrapper passes on (it is
given an error handler that raises) instead of falling back to memory. The REST channel answers such a message with a
503, so the sender knows it was not taken (channels/rest.py).

An SQLite file is opened with a write-ahead log and synchronous=NORMAL, through one pooled connection (as SQLAlchemy
2.0 does by default). Rasa reads and saves the conversation in every turn on the event loop every conversation
shares; with SQLite's defaults each commit waited for two or three disk flushes (14-23 ms on this project's
machine), and Rasa's engine opened and closed a connection per query, where closing the last connection of a WAL
database checkpoints it (28 ms). Now a commit waits for no flush; the log is flushed at checkpoints. SQLite's
documentation: a crash of the application loses nothing, and a power cut may roll back the last commits but cannot
corrupt the database. (make loadtest, the plain bot: 11 turns/s with SQLite's defaults, 35 with these.)

It also forgets conversations on request. "delete my data" (actions/learner_actions.py) sets the slot
`forget_conversations` to the learner's conversation ids. An action cannot delete the conversation it runs in: Rasa
saves the turn's events after the actions ran, and SQLTrackerStore.save stores every event beyond those already in the
table, so a conversation deleted mid-turn would be written back whole. So saving a tracker with that slot set deletes
every event of those conversations, this one included, instead of saving; the next message starts a new conversation.

Importing this module (Rasa does, for endpoints.yml) also caches Rasa 3.6.21's `Event.resolve_by_type`: reading a
conversation back, Rasa finds each stored event's class by walking every subclass of Event, for every event of
every turn (8% of the event loop with 25 candidates at once). The classes never change once Rasa has started, so
the answer for a type name is kept.
"""

import asyncio
import functools
import inspect
import logging
import time
from typing import Any, Awaitable, Callable, Iterable, Optional, Set, Text, Type, TypeVar, Union

import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException

from database.sql import shown_url, wait_seconds

logger = logging.getLogger(__name__)
Result = TypeVar("Result")
FORGET_SLOT = "forget_conversations"  # set by actions/learner_actions.py


class StoreUnavailable(ConnectionException):
    """The conversation store did not answer within DATABASE_WAIT_SECONDS: the message was not taken."""


def _raise(error: Exception) -> None:
    raise error


async def patiently(what: str, step: Callable[[], Union[Result, Awaitable[Result]]], where: str,
                    wait: Optional[float] = None) -> Result:
    """Run `step` (a function, or one returning an awaitable), retrying while the database `where` cannot be reached,
    for up to `wait` seconds (DATABASE_WAIT_SECONDS); then raise StoreUnavailable. Without blocking the event loop,
    so a database restart only delays the messages that need it. The kept messages (channels/action_server.py) use
    it too, on the same database."""
    wait = wait_seconds() if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        try:
            result = step()
            return await result if inspect.isawaitable(result) else result
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
            if time.monotonic() >= deadline:
                logger.error("Could not %s in %s for %.0fs: %s", what, where, wait, error.orig)
                raise StoreUnavailable(f"could not {what}: the conversation store does not answer") from error
            logger.warning("Could not %s in %s, retrying: %s", what, where, error.orig)
            await asyncio.sleep(0.5)


class CheckedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, host: Optional[Text] = None, **kwargs: Any) -> None:
        self.wait = wait_seconds()
        url = self.get_db_url(host=host, **{k: kwargs[k] for k in ("dialect", "port", "db", "username", "password",
                                                                  "login_db", "query") if k in kwargs})
        self.shown = shown_url(str(url)) if isinstance(url, str) else repr(url)
        try:
            self._wait_for_database(url)
            super().__init__(host=host, **kwargs)
            rasa_engine, self.engine = self.engine, _engine(self.engine.url)
            rasa_engine.dispose()
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            if not sa.inspect(self.engine).has_table(self.SQLEvent.__tablename__):
                raise StoreUnavailable(f"the conversation store {self.shown} has no table "
                                       f"'{self.SQLEvent.__tablename__}' and Rasa could not create it (see above)")
        except StoreUnavailable:
            raise
        except Exception as error:
            # Rasa turns an ImportError or AttributeError of a custom store into a warning and an in-memory store.
            raise StoreUnavailable(f"cannot open the conversation store {self.shown}: {error}") from error
        logger.info("Conversations are kept in %s", self.shown)

    def _wait_for_database(self, url: Any) -> None:
        engine = sa.create_engine(url, **create_engine_kwargs(url))
        deadline = time.monotonic() + self.wait
        try:
            while True:
                try:
                    with engine.connect():
                        return
                except sa.exc.OperationalError as error:
                    if time.monotonic() >= deadline:
                        raise StoreUnavailable(
                            f"cannot reach the conversation store {self.shown} (waited {self.wait:.0f}s, "
                            f"DATABASE_WAIT_SECONDS); Rasa will not start without it: {error.orig}") from error
                    logger.warning("Waiting for the conversation store %s: %s", self.shown, error.orig)
                    time.sleep(1)
        finally:
            engine.dispose()

    async def _patiently(self, what: str, step: Callable[[], Awaitable[Result]]) -> Result:
        return await patiently(what, step, self.shown, self.wait)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._patiently("read a conversation", lambda: SQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._patiently("read a conversation",
                                     lambda: SQLTrackerStore.retrieve_full_tracker(self, sender_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        forget = tracker.slots.get(FORGET_SLOT)
        if forget is not None and forget.value:
            await self._patiently("forget conversations", lambda: self._forget({*forget.value, tracker.sender_id}))
            return
        # A save that failed was rolled back, and one that went through is not repeated: Rasa writes only the events
        # the database does not have yet.
        await self._patiently("save a conversation", lambda: SQLTrackerStore.save(self, tracker))

    async def _forget(self, senders: Set[Text]) -> None:
        with self.session_scope() as session:
            removed = (session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(sorted(senders)))
                       .delete(synchronize_session=False))
            session.commit()
        logger.info("Forgot %d conversations (%d events) at the learner's request", len(senders), removed)

    async def keys(self) -> Iterable[Text]:
        return await self._patiently("list conversations", lambda: SQLTrackerStore.keys(self))


def _engine(url: Any) -> sa.engine.Engine:
    """Rasa's engine, plus a check of each pooled connection as it is taken out (after a database restart the pool
    holds connections to a server that is gone); for an SQLite file, a write-ahead log on one pooled connection."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # Rasa uses the connection from its event loop's thread only; the pool may hand it to another one safely.
        engine = sa.create_engine(url, pool_pre_ping=True, poolclass=sa.pool.QueuePool,
                                  connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _write_ahead)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))


def _write_ahead(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _wrap_without_fallback(store: Any, domain: Any) -> FailSafeTrackerStore:
    """Agent._create_tracker_store, with an error handler that raises instead of falling back to memory."""
    if not isinstance(store, CheckedSQLTrackerStore):
        return _rasa_wrap(store, domain)
    store.domain = domain
    return FailSafeTrackerStore(store, on_tracker_store_error=_raise)


# Rasa imports this module (endpoints.yml names the class) before it builds the Agent that wraps the store.
_rasa_wrap = Agent._create_tracker_store
Agent._create_tracker_store = staticmethod(_wrap_without_fallback)


_resolve_by_type = Event.resolve_by_type


@functools.lru_cache(maxsize=None)
def _event_class(type_name: Text) -> Optional[Type[Event]]:
    return _resolve_by_type(type_name)


def _resolve_by_type_cached(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    try:
        return _event_class(type_name)
    except ValueError:  # an unknown name: Rasa's own answer (the default, or the error), never cached
        return _resolve_by_type(type_name, default)


Event.resolve_by_type = staticmethod(_resolve_by_type_cached)
