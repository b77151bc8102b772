"""The progress database: learners, their conversations, finished interviews and each answer's result, cohorts,
memberships and assignments. SQLAlchemy Core, so the same code runs on SQLite (the default, one file beside the
tracker store) and on PostgreSQL (CX_PROGRESS_DB_URL), which several action servers can share.

Times are seconds since the epoch (UTC). A learner id names the channel it comes from ("web:...", "slack:U...",
"terminal:...", "rest:..."), so two channels' ids never collide.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from bootcamp.settings import progress_db_url

metadata = sa.MetaData()

learners = sa.Table(
    "learners", metadata,
    sa.Column("learner_id", sa.String(200), primary_key=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("display_name", sa.String(80)),
    sa.Column("created_at", sa.Float, nullable=False),
)
# Every conversation (Rasa sender id) a learner has had: what "delete my data" removes from the tracker store.
conversations = sa.Table(
    "conversations", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.learner_id"), nullable=False, index=True),
    sa.Column("first_seen_at", sa.Float, nullable=False),
)
cohorts = sa.Table(
    "cohorts", metadata,
    sa.Column("cohort_id", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("join_code", sa.String(16), nullable=False, unique=True),
    # Only a hash of the instructor token is kept: a copy of the database does not open the instructor page.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.Float, nullable=False),
)
memberships = sa.Table(
    "memberships", metadata,
    sa.Column("cohort_id", sa.String(16), sa.ForeignKey("cohorts.cohort_id"), primary_key=True),
    sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.learner_id"), primary_key=True),
    sa.Column("display_name", sa.String(80)),
    sa.Column("joined_at", sa.Float, nullable=False),
)
assignments = sa.Table(
    "assignments", metadata,
    sa.Column("assignment_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("cohort_id", sa.String(16), sa.ForeignKey("cohorts.cohort_id"), nullable=False, index=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("competencies", sa.JSON, nullable=False),  # competency ids; empty when questions are named
    sa.Column("question_ids", sa.JSON, nullable=False),  # question ids; empty when competencies are named
    sa.Column("question_count", sa.Integer, nullable=False),
    sa.Column("due_date", sa.String(10), nullable=False),  # YYYY-MM-DD
    sa.Column("created_at", sa.Float, nullable=False),
)
interviews = sa.Table(
    "interviews", metadata,
    sa.Column("interview_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.learner_id"), nullable=False, index=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # practice, drill or assignment
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.assignment_id")),
    sa.Column("asked", sa.Integer, nullable=False),
    sa.Column("answered", sa.Integer, nullable=False),
    sa.Column("average", sa.Float),
    sa.Column("finished_at", sa.Float, nullable=False),
)
answers = sa.Table(
    "answers", metadata,
    sa.Column("answer_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("interview_id", sa.Integer, sa.ForeignKey("interviews.interview_id"), nullable=False, index=True),
    sa.Column("learner_id", sa.String(200), sa.ForeignKey("learners.learner_id"), nullable=False, index=True),
    sa.Column("question_id", sa.String(80), nullable=False),
    sa.Column("competency", sa.String(80), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # answered or skipped
    sa.Column("score", sa.Float),
    sa.Column("band", sa.String(20)),
    sa.Column("covered", sa.JSON, nullable=False),  # [{id, evidence}]: the learner's words that showed each point
    sa.Column("missing", sa.JSON, nullable=False),  # [criterion id]
    sa.Column("answer", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, default=1),  # more than 1 after "try again"
    sa.Column("answered_at", sa.Float, nullable=False),
)

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or typed from a slide
JOIN_CODE_LENGTH = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_join_code(code: str) -> str:
    return "".join(character for character in (code or "").upper() if character.isalnum())


@dataclass(frozen=True)
class NewCohort:
    cohort_id: str
    name: str
    join_code: str
    instructor_token: str  # shown once, never stored


@dataclass(frozen=True)
class LearnerRows:
    """What "delete my data" removes: counts for the learner, and the conversations to forget in the tracker store."""

    interviews: int
    answers: int
    cohorts: Tuple[str, ...]
    conversations: Tuple[str, ...]


def _row(row) -> Dict[str, Any]:
    return dict(row._mapping)


def create_progress_engine(url: Optional[str] = None) -> Engine:
    url = url or progress_db_url()
    is_sqlite = url.startswith("sqlite")
    engine = sa.create_engine(url, future=True, pool_pre_ping=not is_sqlite,
                              connect_args={"timeout": 15} if is_sqlite else {})
    if is_sqlite:
        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # the action server writes while the page server reads
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
    return engine


class ProgressStore:
    def __init__(self, url: Optional[str] = None, engine: Optional[Engine] = None):
        self.engine = engine or create_progress_engine(url)
        if self.engine.url.get_backend_name() == "sqlite" and self.engine.url.database:
            Path(self.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        metadata.create_all(self.engine)

    @property
    def where(self) -> str:
        """The database's URL with any password hidden, for logs."""
        return self.engine.url.render_as_string(hide_password=True)

    # --- learners and their conversations ---------------------------------------------------------------------

    def note_learner(self, learner_id: str, sender_id: str, display_name: Optional[str] = None) -> None:
        """Remember the learner (and a new display name) and that this conversation is theirs."""
        with self.engine.begin() as db:
            self._note(db, learner_id, sender_id, display_name)

    def _note(self, db, learner_id: str, sender_id: str, display_name: Optional[str] = None) -> None:
        now = time.time()
        known = db.execute(sa.select(learners.c.display_name).where(learners.c.learner_id == learner_id)).first()
        if known is None:
            self._insert_if_new(db, learners, learner_id=learner_id, channel=learner_id.split(":", 1)[0],
                                display_name=display_name, created_at=now)
        elif display_name and known.display_name != display_name:
            db.execute(learners.update().where(learners.c.learner_id == learner_id).values(display_name=display_name))
        self._insert_if_new(db, conversations, sender_id=sender_id, learner_id=learner_id, first_seen_at=now)

    def _insert_if_new(self, db, table: sa.Table, **values: Any) -> bool:
        """Insert a row unless one with the same key exists (another request may have added it a moment ago).
        SQLite and PostgreSQL both say it the same way: INSERT ... ON CONFLICT DO NOTHING."""
        dialect = {"sqlite": sqlite, "postgresql": postgresql}[self.engine.dialect.name]
        return db.execute(dialect.insert(table).values(**values).on_conflict_do_nothing()).rowcount == 1

    def learner(self, learner_id: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(learners).where(learners.c.learner_id == learner_id)).first()
        return _row(row) if row else None

    # --- interviews ---------------------------------------------------------------------------------------------

    def record_interview(self, learner_id: str, sender_id: str, level: str, kind: str,
                         records: Sequence[Dict[str, Any]], competency_of, average: Optional[float],
                         assignment_id: Optional[int] = None, finished_at: Optional[float] = None) -> int:
        """Keep a finished interview and one row per question from its result records (coach.result_record, or
        {question_id, number, status: skipped}). `competency_of(question_id)` names each question's competency."""
        finished_at = time.time() if finished_at is None else finished_at
        answered = [r for r in records if r.get("status") == "answered" and isinstance(r.get("score"), (int, float))]
        with self.engine.begin() as db:
            self._note(db, learner_id, sender_id)
            interview_id = db.execute(interviews.insert().values(
                learner_id=learner_id, sender_id=sender_id, level=level, kind=kind, assignment_id=assignment_id,
                asked=len(records), answered=len(answered), average=average, finished_at=finished_at,
            )).inserted_primary_key[0]
            rows = [self._answer_row(interview_id, learner_id, record, competency_of, finished_at)
                    for record in records]
            if rows:
                db.execute(answers.insert(), rows)
        return interview_id

    @staticmethod
    def _answer_row(interview_id: int, learner_id: str, record: Dict[str, Any], competency_of,
                    finished_at: float) -> Dict[str, Any]:
        scored = record.get("status") == "answered" and isinstance(record.get("score"), (int, float))
        text = record.get("answer")
        if text and record.get("follow_up_counted") and record.get("follow_up_answer"):
            text = f"{text}\n{record['follow_up_answer']}"
        return {
            "interview_id": interview_id, "learner_id": learner_id, "question_id": record["question_id"],
            "competency": competency_of(record["question_id"]), "number": int(record.get("number") or 0),
            "status": "answered" if scored else "skipped", "score": record["score"] if scored else None,
            "band": record.get("band") if scored else None,
            "covered": [{"id": item["id"], "evidence": item.get("evidence")} for item in record.get("covered", [])],
            "missing": [item["id"] if isinstance(item, dict) else item for item in record.get("missing", [])],
            "answer": text if scored else None, "attempts": 1 + int(record.get("retries") or 0),
            "answered_at": finished_at,
        }

    def history(self, learner_id: str) -> List[Dict[str, Any]]:
        """The learner's finished interviews, oldest first, each with its `answers` (by question number)."""
        with self.engine.connect() as db:
            found = [_row(row) for row in db.execute(
                sa.select(interviews).where(interviews.c.learner_id == learner_id)
                .order_by(interviews.c.finished_at, interviews.c.interview_id))]
            by_interview: Dict[int, List[Dict[str, Any]]] = {interview["interview_id"]: [] for interview in found}
            for row in db.execute(sa.select(answers).where(answers.c.learner_id == learner_id)
                                  .order_by(answers.c.interview_id, answers.c.number)):
                by_interview[row.interview_id].append(_row(row))
        for interview in found:
            interview["answers"] = by_interview[interview["interview_id"]]
        return found

    # --- deleting a learner -----------------------------------------------------------------------------------

    def count_learner(self, learner_id: str, current_sender_id: Optional[str] = None) -> LearnerRows:
        """What delete_learner would remove."""
        with self.engine.connect() as db:
            return self._learner_rows(db, learner_id, current_sender_id)

    def delete_learner(self, learner_id: str, current_sender_id: Optional[str] = None) -> LearnerRows:
        """Remove every row about the learner. Returns what was removed and every conversation of theirs (with the
        current one) for the tracker store to forget."""
        with self.engine.begin() as db:
            rows = self._learner_rows(db, learner_id, current_sender_id)
            for table in (answers, interviews, memberships, conversations, learners):
                db.execute(table.delete().where(table.c.learner_id == learner_id))
        return rows

    @staticmethod
    def _learner_rows(db, learner_id: str, current_sender_id: Optional[str]) -> LearnerRows:
        senders = {row.sender_id for row in db.execute(
            sa.select(conversations.c.sender_id).where(conversations.c.learner_id == learner_id))}
        senders |= {row.sender_id for row in db.execute(
            sa.select(interviews.c.sender_id).where(interviews.c.learner_id == learner_id))}
        if current_sender_id:
            senders.add(current_sender_id)
        cohort_names = tuple(row.name for row in db.execute(
            sa.select(cohorts.c.name).join(memberships, memberships.c.cohort_id == cohorts.c.cohort_id)
            .where(memberships.c.learner_id == learner_id).order_by(cohorts.c.name)))

        def count(table: sa.Table) -> int:
            return db.execute(sa.select(sa.func.count()).select_from(table)
                              .where(table.c.learner_id == learner_id)).scalar()

        return LearnerRows(count(interviews), count(answers), cohort_names, tuple(sorted(senders)))

    # --- cohorts ------------------------------------------------------------------------------------------------

    def create_cohort(self, name: str) -> NewCohort:
        name = " ".join((name or "").split())
        if not name:
            raise ValueError("a cohort needs a name")
        if len(name) > 120:
            raise ValueError("a cohort's name is at most 120 characters")
        token = secrets.token_urlsafe(32)
        for _ in range(10):
            cohort_id = "C" + secrets.token_hex(4).upper()
            code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            with self.engine.begin() as db:
                if self._insert_if_new(db, cohorts, cohort_id=cohort_id, name=name, join_code=code,
                                       token_hash=token_hash(token), created_at=time.time()):
                    return NewCohort(cohort_id, name, code, token)
            # the id or the join code was taken: draw again
        raise RuntimeError("could not find a free cohort id and join code")

    def cohort_by_token(self, token: str) -> Optional[Dict[str, Any]]:
        if not token:
            return None
        with self.engine.connect() as db:
            row = db.execute(sa.select(cohorts).where(cohorts.c.token_hash == token_hash(token))).first()
        return _row(row) if row else None

    def new_instructor_token(self, cohort_id: str) -> Optional[str]:
        """Replace the cohort's instructor token; the old one stops working at once. None for an unknown cohort."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            changed = db.execute(cohorts.update().where(cohorts.c.cohort_id == cohort_id)
                                 .values(token_hash=token_hash(token))).rowcount
        return token if changed else None

    def all_cohorts(self) -> List[Dict[str, Any]]:
        with self.engine.connect() as db:
            return [_row(row) for row in db.execute(sa.select(cohorts).order_by(cohorts.c.created_at))]

    def cohort_by_code(self, code: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cohorts).where(cohorts.c.join_code == normalise_join_code(code))).first()
        return _row(row) if row else None

    def cohort(self, cohort_id: str) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(cohorts).where(cohorts.c.cohort_id == cohort_id)).first()
        return _row(row) if row else None

    def join(self, cohort_id: str, learner_id: str, display_name: Optional[str]) -> bool:
        """Add the learner to the cohort; False when they were in it already (their name is updated)."""
        with self.engine.begin() as db:
            if self._insert_if_new(db, memberships, cohort_id=cohort_id, learner_id=learner_id,
                                   display_name=display_name, joined_at=time.time()):
                return True
            db.execute(memberships.update().where(
                (memberships.c.cohort_id == cohort_id) & (memberships.c.learner_id == learner_id))
                .values(display_name=display_name))
        return False

    def memberships_of(self, learner_id: str) -> List[Dict[str, Any]]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(memberships, cohorts.c.name)
                              .join(cohorts, cohorts.c.cohort_id == memberships.c.cohort_id)
                              .where(memberships.c.learner_id == learner_id).order_by(memberships.c.joined_at))
            return [_row(row) for row in rows]

    def members(self, cohort_id: str) -> List[Dict[str, Any]]:
        """The cohort's learners in the order they joined, with the name they gave (or the page's display name)."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(memberships, learners.c.display_name.label("learner_name"), learners.c.channel)
                              .join(learners, learners.c.learner_id == memberships.c.learner_id)
                              .where(memberships.c.cohort_id == cohort_id)
                              .order_by(memberships.c.joined_at, memberships.c.learner_id))
            return [_row(row) for row in rows]

    def cohort_answers(self, cohort_id: str) -> List[Dict[str, Any]]:
        """Every answer the cohort's members gave in interviews finished after they joined: all an instructor sees.
        Oldest first, with the interview's level, kind and date."""
        query = (sa.select(answers, interviews.c.level, interviews.c.kind, interviews.c.finished_at,
                           interviews.c.assignment_id)
                 .join(interviews, interviews.c.interview_id == answers.c.interview_id)
                 .join(memberships, (memberships.c.learner_id == answers.c.learner_id)
                       & (memberships.c.cohort_id == cohort_id))
                 .where(interviews.c.finished_at >= memberships.c.joined_at)
                 .order_by(interviews.c.finished_at, answers.c.interview_id, answers.c.number))
        with self.engine.connect() as db:
            return [_row(row) for row in db.execute(query)]

    # --- assignments --------------------------------------------------------------------------------------------

    def add_assignment(self, cohort_id: str, title: str, level: str, competencies: Iterable[str],
                       question_ids: Iterable[str], question_count: int, due_date: str) -> int:
        with self.engine.begin() as db:
            return db.execute(assignments.insert().values(
                cohort_id=cohort_id, title=title, level=level, competencies=list(competencies),
                question_ids=list(question_ids), question_count=question_count, due_date=due_date,
                created_at=time.time())).inserted_primary_key[0]

    def assignments_of_cohort(self, cohort_id: str) -> List[Dict[str, Any]]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(assignments).where(assignments.c.cohort_id == cohort_id)
                              .order_by(assignments.c.due_date, assignments.c.assignment_id))
            return [_row(row) for row in rows]

    def open_assignments(self, learner_id: str, today: str) -> List[Dict[str, Any]]:
        """Assignments of the learner's cohorts not yet done by them and not past due (`today` as YYYY-MM-DD),
        soonest due first, each with its cohort's name."""
        done = sa.select(interviews.c.assignment_id).where(
            (interviews.c.learner_id == learner_id) & interviews.c.assignment_id.isnot(None)
            & (interviews.c.answered > 0))
        query = (sa.select(assignments, cohorts.c.name.label("cohort_name"))
                 .join(memberships, (memberships.c.cohort_id == assignments.c.cohort_id)
                       & (memberships.c.learner_id == learner_id))
                 .join(cohorts, cohorts.c.cohort_id == assignments.c.cohort_id)
                 .where((assignments.c.due_date >= today) & assignments.c.assignment_id.notin_(done))
                 .order_by(assignments.c.due_date, assignments.c.assignment_id))
        with self.engine.connect() as db:
            return [_row(row) for row in db.execute(query)]

    def assignment(self, assignment_id: int) -> Optional[Dict[str, Any]]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(assignments).where(assignments.c.assignment_id == assignment_id)).first()
        return _row(row) if row else None

    def assignment_done_by(self, assignment_id: int) -> Dict[str, float]:
        """Who finished the assignment, and when (their first finished interview for it)."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(interviews.c.learner_id, sa.func.min(interviews.c.finished_at))
                              .where((interviews.c.assignment_id == assignment_id) & (interviews.c.answered > 0))
                              .group_by(interviews.c.learner_id))
            return {learner_id: finished_at for learner_id, finished_at in rows}
