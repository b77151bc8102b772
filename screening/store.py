"""The screens database (SQLite, or PostgreSQL when DATABASE_URL is set: database/sql.py): who screens whom, at
which level, with which questions, and the finished report.

One row per screen, keyed by its id. A candidate has at most one open screen (invited or in progress), enforced by a
unique index, so a candidate's Slack conversation always maps to exactly one screen and two candidates screened at
the same time never share a row. The answers given so far are saved with every answer (`results`), so a screen that
is cancelled or expires mid-way still has what the candidate wrote. The Rasa server's Slack channel keeps its
handled-delivery table in the same file.
"""

import json
import secrets
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from database.sql import Database

OPEN_STATUSES = ("invited", "in_progress")
# Closed before the candidate finished: by the recruiter ("cancel screen S..."), or after SCREEN_EXPIRY_DAYS without
# an answer. Such a screen has a partial report when the candidate had started.
CLOSED_STATUSES = ("cancelled", "expired")
FINISHED_STATUSES = ("completed", "stopped") + CLOSED_STATUSES
STATUSES = OPEN_STATUSES + FINISHED_STATUSES + ("declined", "failed")

_TABLE = f"""
CREATE TABLE IF NOT EXISTS screens (
    screen_id TEXT PRIMARY KEY,
    recruiter_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    level TEXT NOT NULL,
    question_set TEXT NOT NULL,
    plan TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
    candidate_channel TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    started_at DOUBLE PRECISION,
    finished_at DOUBLE PRECISION,
    report TEXT,
    results TEXT,
    last_activity_at DOUBLE PRECISION
);
"""
_INDEX = """
CREATE UNIQUE INDEX IF NOT EXISTS one_open_screen_per_candidate
    ON screens (candidate_id) WHERE status IN ('invited', 'in_progress');
"""
_OLD_COLUMNS = ("screen_id, recruiter_id, candidate_id, level, question_set, plan, status, candidate_channel, "
                "created_at, started_at, finished_at, report")


class CandidateBusy(Exception):
    """The candidate already has an open screen; `screen_id` names it."""

    def __init__(self, screen_id: str):
        super().__init__(f"candidate already has open screen {screen_id}")
        self.screen_id = screen_id


class ScreenStore:
    def __init__(self, location: Union[str, Path]):
        """`location`: the SQLite file, or a postgresql:// URL."""
        self.database = Database(location)
        with self.database.transaction() as db:
            if self.database.dialect == "sqlite":
                self._upgrade_sqlite(db)
            db.script(_TABLE + _INDEX)

    @staticmethod
    def _upgrade_sqlite(db) -> None:
        old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'screens'").fetchone()
        if old and "last_activity_at" not in old["sql"]:
            # A database from before cancel and expiry: its CHECK constraint lists fewer statuses, and SQLite
            # cannot change a constraint in place, so the table is copied into the new shape once.
            db.script(
                f"BEGIN; ALTER TABLE screens RENAME TO screens_before_expiry; {_TABLE}"
                f"INSERT INTO screens ({_OLD_COLUMNS}, last_activity_at) SELECT {_OLD_COLUMNS}, "
                "COALESCE(started_at, created_at) FROM screens_before_expiry; DROP TABLE screens_before_expiry; "
                f"{_INDEX} COMMIT;")

    @staticmethod
    def _row(row: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        if row is None:
            return None
        screen = dict(row)
        screen["plan"] = json.loads(screen["plan"])
        screen["report"] = json.loads(screen["report"]) if screen["report"] else None
        screen["results"] = json.loads(screen["results"]) if screen["results"] else []
        return screen

    def create(self, recruiter_id: str, candidate_id: str, level: str, question_set: str, plan_for) -> Dict[str, Any]:
        """A new invited screen. `plan_for(screen_id)` picks its questions. Raises CandidateBusy."""
        with self.database.transaction() as db:
            existing = db.execute("SELECT screen_id FROM screens WHERE candidate_id = ? AND status IN (?, ?)",
                                  (candidate_id, *OPEN_STATUSES)).fetchone()
            if existing:
                raise CandidateBusy(existing["screen_id"])
            for _ in range(5):
                screen_id = "S" + secrets.token_hex(3).upper()
                try:
                    now = time.time()
                    with db.savepoint():
                        db.execute("INSERT INTO screens (screen_id, recruiter_id, candidate_id, level, question_set,"
                                   " plan, status, created_at, last_activity_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, 'invited', ?, ?)",
                                   (screen_id, recruiter_id, candidate_id, level, question_set,
                                    json.dumps(plan_for(screen_id)), now, now))
                    break
                except self.database.IntegrityError as error:
                    busy = db.execute("SELECT screen_id FROM screens WHERE candidate_id = ? AND status IN (?, ?)",
                                      (candidate_id, *OPEN_STATUSES)).fetchone()
                    if busy:  # another request opened one for this candidate in the meantime
                        raise CandidateBusy(busy["screen_id"]) from error
            else:
                raise RuntimeError("could not find a free screen id")
        return self.get(screen_id)

    def get(self, screen_id: str) -> Optional[Dict[str, Any]]:
        with self.database.transaction() as db:
            return self._row(db.execute("SELECT * FROM screens WHERE screen_id = ?", (screen_id,)).fetchone())

    def open_for_candidate(self, candidate_id: str, status: Optional[str] = None) -> Optional[Dict[str, Any]]:
        statuses = (status,) if status else OPEN_STATUSES
        marks = ", ".join("?" for _ in statuses)
        with self.database.transaction() as db:
            row = db.execute(f"SELECT * FROM screens WHERE candidate_id = ? AND status IN ({marks})",
                             (candidate_id, *statuses)).fetchone()
        return self._row(row)

    def recent(self, limit: int = 15, offset: int = 0, recruiter_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Screens newest first, `limit` from `offset`; only those `recruiter_id` started, when given."""
        where, values = ("WHERE recruiter_id = ?", (recruiter_id,)) if recruiter_id else ("", ())
        with self.database.transaction() as db:
            rows = db.execute(f"SELECT * FROM screens {where} ORDER BY created_at DESC, screen_id DESC "
                              "LIMIT ? OFFSET ?", (*values, limit, offset)).fetchall()
        return [self._row(row) for row in rows]

    def finished(self) -> List[Dict[str, Any]]:
        """Screens with a report, oldest first (a cancelled or expired screen has one once the candidate started)."""
        marks = ", ".join("?" for _ in FINISHED_STATUSES)
        with self.database.transaction() as db:
            rows = db.execute(f"SELECT * FROM screens WHERE status IN ({marks}) AND report IS NOT NULL "
                              "ORDER BY finished_at", FINISHED_STATUSES).fetchall()
        return [self._row(row) for row in rows]

    def idle_since(self, moment: float) -> List[Dict[str, Any]]:
        """Open screens with no invitation, start or answer since `moment`: the ones to expire."""
        with self.database.transaction() as db:
            rows = db.execute("SELECT * FROM screens WHERE status IN (?, ?) AND last_activity_at < ? "
                              "ORDER BY last_activity_at", (*OPEN_STATUSES, moment)).fetchall()
        return [self._row(row) for row in rows]

    def _move(self, screen_id: str, from_statuses, **fields: Any) -> bool:
        """Change a screen only if it is in one of `from_statuses`: a second click or a late message changes nothing."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        marks = ", ".join("?" for _ in from_statuses)
        with self.database.transaction() as db:
            changed = db.execute(f"UPDATE screens SET {assignments} WHERE screen_id = ? AND status IN ({marks})",
                                 (*fields.values(), screen_id, *from_statuses)).rowcount
        return changed == 1

    def invited(self, screen_id: str, candidate_channel: str) -> bool:
        return self._move(screen_id, ("invited",), candidate_channel=candidate_channel)

    def failed(self, screen_id: str) -> bool:
        return self._move(screen_id, ("invited",), status="failed", finished_at=time.time())

    def start(self, screen_id: str) -> bool:
        now = time.time()
        return self._move(screen_id, ("invited",), status="in_progress", started_at=now, last_activity_at=now)

    def save_results(self, screen_id: str, results: List[Dict[str, Any]]) -> bool:
        """Keep the answers given so far. False when the screen is no longer in progress (cancelled or expired)."""
        return self._move(screen_id, ("in_progress",), results=json.dumps(results), last_activity_at=time.time())

    def decline(self, screen_id: str) -> bool:
        return self._move(screen_id, ("invited",), status="declined", finished_at=time.time())

    def finish(self, screen_id: str, status: str, report: Dict[str, Any], finished_at: float) -> bool:
        """Store the report; `finished_at` is the time the report itself states, so the two agree."""
        if status not in FINISHED_STATUSES or status in CLOSED_STATUSES:
            raise ValueError(f"a screen finishes as completed or stopped, not {status!r}")
        return self._move(screen_id, ("in_progress",), status=status, finished_at=finished_at,
                          report=json.dumps(report))

    def close(self, screen_id: str, status: str, report: Optional[Dict[str, Any]], finished_at: float,
              unless_answered_since: Optional[float] = None) -> bool:
        """Cancel or expire an open screen, with its partial report (None when it was never started). Given the
        `last_activity_at` the caller read, only if nothing happened since: a screen whose candidate has just
        answered does not expire."""
        if status not in CLOSED_STATUSES:
            raise ValueError(f"a screen closes as one of {CLOSED_STATUSES}, not {status!r}")
        fields = {"status": status, "finished_at": finished_at, "report": json.dumps(report) if report else None}
        assignments = ", ".join(f"{name} = ?" for name in fields)
        since = unless_answered_since
        unchanged = " AND last_activity_at = ?" if since is not None else ""
        with self.database.transaction() as db:
            changed = db.execute(f"UPDATE screens SET {assignments} WHERE screen_id = ? AND status IN (?, ?)"
                                 f"{unchanged}", (*fields.values(), screen_id, *OPEN_STATUSES,
                                                  *((since,) if since is not None else ())))
        return changed.rowcount == 1
