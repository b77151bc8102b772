"""The bot's own tables (recruiter screens, handled Slack deliveries) in one SQL database: a SQLite file by default,
PostgreSQL when DATABASE_URL is set, which is then the database Rasa keeps its conversations in too.

Statements are written once, in SQL both understand, with SQLite's `?` placeholders (turned into `%s` for PostgreSQL's
driver, so a statement must hold no `%` of its own), and rows come back as dicts. No Rasa here: the action server and
the Rasa server's Slack channel both use it, and so does the tracker store (stores/tracker_store.py) for the URL.

A PostgreSQL restart is ridden out: a transaction takes a pooled connection only after checking it still answers,
and a new connection is retried for up to DATABASE_WAIT_SECONDS; only then does DatabaseUnavailable say so.
"""

import os
import queue
import sqlite3
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Sequence, Union

DEFAULT_WAIT_SECONDS = 15.0
POSTGRESQL_SCHEMES = ("postgresql", "postgresql+psycopg2")


class DatabaseUnavailable(ConnectionError):
    """The database did not answer within the wait: nothing was read or written."""


def database_url() -> Optional[str]:
    """DATABASE_URL when it names a PostgreSQL database (postgresql://user:password@host:port/database), else None:
    unset, or a sqlite:/// URL (Rasa's conversations in that file), the bot's own tables stay in their SQLite files."""
    url = os.environ.get("DATABASE_URL") or ""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme in POSTGRESQL_SCHEMES:
        return url
    if url and scheme != "sqlite":
        raise ValueError(f"DATABASE_URL must be postgresql://user:password@host:port/database or sqlite:///file, "
                         f"not {shown_url(url)!r}")
    return None


def wait_seconds() -> float:
    """DATABASE_WAIT_SECONDS (default 15): how long a start-up or a request waits for an unreachable database."""
    raw = os.environ.get("DATABASE_WAIT_SECONDS") or str(DEFAULT_WAIT_SECONDS)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(f"DATABASE_WAIT_SECONDS must be a number of seconds (0 or more), not {raw!r}")
    return seconds


def shown_url(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def is_postgresql(location: Union[str, Path]) -> bool:
    return isinstance(location, str) and urllib.parse.urlsplit(location).scheme in POSTGRESQL_SCHEMES


class Database:
    """A SQLite file (a Path) or a PostgreSQL database (a postgresql:// URL)."""

    def __init__(self, location: Union[str, Path], wait: Optional[float] = None):
        self.wait = wait_seconds() if wait is None else wait
        if is_postgresql(location):
            import psycopg2  # only needed, and only installed with the servers, for PostgreSQL
            import psycopg2.extras

            self.dialect = "postgresql"
            self.url = str(location).replace("postgresql+psycopg2://", "postgresql://", 1)
            self.name = shown_url(self.url)
            self._driver, self._dict_cursor = psycopg2, psycopg2.extras.RealDictCursor
            self._idle: "queue.LifoQueue" = queue.LifoQueue()
        else:
            self.dialect = "sqlite"
            self.path = Path(location)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.name = str(self.path)
            self._driver = sqlite3
        # Fail now, at start-up, rather than on the first screen.
        with self.transaction() as db:
            db.execute("SELECT 1")

    @property
    def IntegrityError(self) -> type:  # noqa: N802 (named like the DB-API exception it is)
        return self._driver.IntegrityError

    @contextmanager
    def transaction(self) -> Iterator["Transaction"]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        connection = self._connect()
        try:
            yield Transaction(self, connection)
            connection.commit()
        except BaseException:
            self._discard(connection)
            raise
        self._release(connection)

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            # A connection per transaction: actions run in threads, and SQLite connections must not cross threads.
            connection = sqlite3.connect(self.path, timeout=10)
            connection.row_factory = sqlite3.Row
            # WAL with synchronous=NORMAL: commits without waiting for an fsync (the Slack channel records a delivery
            # before it answers the webhook), and still no corruption on a crash.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            return connection
        while True:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                return self._new_postgresql_connection()
            if self._answers(connection):
                return connection

    def _answers(self, connection: Any) -> bool:
        """Whether a pooled connection still works (after a database restart it does not); closes it when not."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            connection.rollback()
            return True
        except self._driver.Error:
            connection.close()
            return False

    def _new_postgresql_connection(self) -> Any:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return self._driver.connect(self.url, connect_timeout=5)
            except self._driver.OperationalError as error:
                if time.monotonic() >= deadline:
                    raise DatabaseUnavailable(f"cannot reach the database {self.name} (waited {self.wait:.0f}s): "
                                              f"{str(error).strip()}") from error
                time.sleep(0.5)

    def _release(self, connection: Any) -> None:
        if self.dialect == "sqlite":
            connection.close()
        else:
            self._idle.put(connection)

    def _discard(self, connection: Any) -> None:
        try:
            connection.rollback()
        except self._driver.Error:
            connection.close()
            return
        self._release(connection)


class Transaction:
    """What a `with database.transaction() as db:` block gets: `db.execute(sql, values)` returns a cursor."""

    def __init__(self, database: Database, connection: Any):
        self.database, self.connection = database, connection

    def execute(self, sql: str, values: Sequence[Any] = ()) -> Any:
        if self.database.dialect == "sqlite":
            return self.connection.execute(sql, values)
        assert "%" not in sql, "statements hold no % of their own (psycopg2 reads it as a placeholder)"
        cursor = self.connection.cursor(cursor_factory=self.database._dict_cursor)
        cursor.execute(sql.replace("?", "%s"), tuple(values))
        return cursor

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part that may fail alone: PostgreSQL refuses every further statement of a transaction after an error."""
        self.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK TO SAVEPOINT part")
            raise
        self.execute("RELEASE SAVEPOINT part")

    def script(self, sql: str) -> None:
        """Several statements separated by semicolons (table definitions)."""
        if self.database.dialect == "sqlite":
            self.connection.executescript(sql)
            return
        with self.connection.cursor() as cursor:
            # Servers starting together would race to create the same table; one at a time, the others see it made.
            cursor.execute("SELECT pg_advisory_xact_lock(1642)")
            cursor.execute(sql)


def as_dict(row: Any) -> Optional[Dict[str, Any]]:
    return None if row is None else dict(row)
