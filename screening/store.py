"""The screens database (SQLite): who screens whom, at which level, with which questions, and the finished report.

One row per screen, keyed by its id. A candidate has at most one open screen (invited or in progress), enforced by a
unique index, so a candidate's Slack conversation always maps to exactly one screen and two candidates screened at
the same time never share a row. The Rasa server's Slack channel keeps its handled-delivery table in the same file.
"""

import json
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

OPEN_STATUSES = ("invited", "in_progress")
FINISHED_STATUSES = ("completed", "stopped")
STATUSES = OPEN_STATUSES + FINISHED_STATUSES + ("declined", "failed")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS screens (
    screen_id TEXT PRIMARY KEY,
    recruiter_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    level TEXT NOT NULL,
    question_set TEXT NOT NULL,
    plan TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
    candidate_channel TEXT,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    report TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS one_open_screen_per_candidate
    ON screens (candidate_id) WHERE status IN ('invited', 'in_progress');
"""


class CandidateBusy(Exception):
    """The candidate already has an open screen; `screen_id` names it."""

    def __init__(self, screen_id: str):
        super().__init__(f"candidate already has open screen {screen_id}")
        self.screen_id = screen_id


class ScreenStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: actions run in threads, and SQLite connections must not cross threads.
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        return db

    @staticmethod
    def _row(row: Optional[sqlite3.Row]) -> Optional[Dict[str, Any]]:
        if row is None:
            return None
        screen = dict(row)
        screen["plan"] = json.loads(screen["plan"])
        screen["report"] = json.loads(screen["report"]) if screen["report"] else None
        return screen

    def create(self, recruiter_id: str, candidate_id: str, level: str, question_set: str, plan_for) -> Dict[str, Any]:
        """A new invited screen. `plan_for(screen_id)` picks its questions. Raises CandidateBusy."""
        with self._connect() as db:
            existing = db.execute("SELECT screen_id FROM screens WHERE candidate_id = ? AND status IN (?, ?)",
                                  (candidate_id, *OPEN_STATUSES)).fetchone()
            if existing:
                raise CandidateBusy(existing["screen_id"])
            for _ in range(5):
                screen_id = "S" + secrets.token_hex(3).upper()
                try:
                    db.execute("INSERT INTO screens (screen_id, recruiter_id, candidate_id, level, question_set, plan,"
                               " status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'invited', ?)",
                               (screen_id, recruiter_id, candidate_id, level, question_set,
                                json.dumps(plan_for(screen_id)), time.time()))
                    break
                except sqlite3.IntegrityError as error:
                    busy = db.execute("SELECT screen_id FROM screens WHERE candidate_id = ? AND status IN (?, ?)",
                                      (candidate_id, *OPEN_STATUSES)).fetchone()
                    if busy:  # another request opened one for this candidate in the meantime
                        raise CandidateBusy(busy["screen_id"]) from error
            else:
                raise RuntimeError("could not find a free screen id")
        return self.get(screen_id)

    def get(self, screen_id: str) -> Optional[Dict[str, Any]]:
        with self._connect() as db:
            return self._row(db.execute("SELECT * FROM screens WHERE screen_id = ?", (screen_id,)).fetchone())

    def open_for_candidate(self, candidate_id: str, status: Optional[str] = None) -> Optional[Dict[str, Any]]:
        statuses = (status,) if status else OPEN_STATUSES
        marks = ", ".join("?" for _ in statuses)
        with self._connect() as db:
            row = db.execute(f"SELECT * FROM screens WHERE candidate_id = ? AND status IN ({marks})",
                             (candidate_id, *statuses)).fetchone()
        return self._row(row)

    def recent(self, limit: int = 15, offset: int = 0, recruiter_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Screens newest first, `limit` from `offset`; only those `recruiter_id` started, when given."""
        where, values = ("WHERE recruiter_id = ?", (recruiter_id,)) if recruiter_id else ("", ())
        with self._connect() as db:
            rows = db.execute(f"SELECT * FROM screens {where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                              (*values, limit, offset)).fetchall()
        return [self._row(row) for row in rows]

    def finished(self) -> List[Dict[str, Any]]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM screens WHERE status IN (?, ?) ORDER BY finished_at",
                              FINISHED_STATUSES).fetchall()
        return [self._row(row) for row in rows]

    def _move(self, screen_id: str, from_statuses, **fields: Any) -> bool:
        """Change a screen only if it is in one of `from_statuses`: a second click or a late message changes nothing."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        marks = ", ".join("?" for _ in from_statuses)
        with self._connect() as db:
            changed = db.execute(f"UPDATE screens SET {assignments} WHERE screen_id = ? AND status IN ({marks})",
                                 (*fields.values(), screen_id, *from_statuses)).rowcount
        return changed == 1

    def invited(self, screen_id: str, candidate_channel: str) -> bool:
        return self._move(screen_id, ("invited",), candidate_channel=candidate_channel)

    def failed(self, screen_id: str) -> bool:
        return self._move(screen_id, ("invited",), status="failed", finished_at=time.time())

    def start(self, screen_id: str) -> bool:
        return self._move(screen_id, ("invited",), status="in_progress", started_at=time.time())

    def decline(self, screen_id: str) -> bool:
        return self._move(screen_id, ("invited",), status="declined", finished_at=time.time())

    def finish(self, screen_id: str, status: str, report: Dict[str, Any], finished_at: float) -> bool:
        """Store the report; `finished_at` is the time the report itself states, so the two agree."""
        if status not in FINISHED_STATUSES:
            raise ValueError(f"a screen finishes as one of {FINISHED_STATUSES}, not {status!r}")
        return self._move(screen_id, ("in_progress",), status=status, finished_at=finished_at,
                          report=json.dumps(report))
