"""Rasa's SQL tracker store (endpoints.yml `type: components.tracker_store.WalSQLTrackerStore`), with SQLite writing
ahead to a log and flushing it at checkpoints rather than at every commit.

Rasa reads and saves the conversation in every turn, on the event loop every conversation shares, and with SQLite's
defaults each save waits for the disk: a rollback journal and synchronous=FULL flush two or three times per commit
(14-23 ms on this project's machine), and Rasa's engine opens and closes a connection for every query, where closing
the last connection of a database in WAL mode checkpoints it, with a flush (28 ms). Meanwhile no other conversation
moves. Here SQLite writes ahead to a log with synchronous=NORMAL, through one pooled connection (as SQLAlchemy 2.0
does by default): a query and its commit take under a millisecond, and the log is flushed at checkpoints, every
1,000 pages. SQLite's documentation: a crash of the application loses nothing, and a power cut may roll back the last
commits but cannot corrupt the database. Readers (make loadtest's check, the sqlite3 shell) no longer block the
writer either. Any other database (PostgreSQL, for several Rasa servers) is used exactly as by Rasa's own
SQLTrackerStore.

Importing this module (Rasa does, for endpoints.yml) also caches Rasa 3.6.21's `Event.resolve_by_type`: reading a
conversation back, Rasa finds each stored event's class by walking every subclass of Event, for every event of
every turn (8% of the event loop with 25 candidates at once). The classes never change once Rasa has started, so
the answer for a type name is kept.
"""

import functools
import logging
from typing import Any, Optional, Text, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event

logger = logging.getLogger(__name__)


def _write_ahead(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class WalSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects, creates the tables
        if self.engine.dialect.name != "sqlite":
            return
        url = self.engine.url
        self.engine.dispose()
        # Rasa uses the connection only from its event loop's thread; the pool may hand it to another one safely.
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _write_ahead)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        logger.info("SQLite tracker store %s: write-ahead log, synchronous=NORMAL, pooled", url.database)


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
