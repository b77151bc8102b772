"""What the learner actions do, step by step, with no Rasa inside: each method takes who is asking and what they typed,
reads and writes the progress database, and returns what to say (text, and data for the chat page)."""

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence, Tuple

from bootcamp.attempts import compare_attempts, describe_change, kept_attempt
from bootcamp.cohorts import assignment_plan
from bootcamp.drills import DrillPlan, describe_drill, plan_drill
from bootcamp.employer_questions import EmployerQuestionReader, describe_themes, load_employer_questions
from bootcamp.progress import describe_progress, learner_progress, progress_payload
from bootcamp.store import ProgressStore
from bootcamp.texts import LearnerTexts, load_learner_texts
from coach.coach import Coach, get_coach
from coach.question_bank import Question
from coach.summary import answered_records, average_score

NAME_MAX_CHARS = 60
# "join K7QXM2PD", "join K7QX-M2PD as Alex Lee", "join class k7qxm2pd"
_JOIN = re.compile(r"^\s*(?:please\s+)?join\s+(?:the\s+)?(?:class|cohort|group)?\s*(?:code\s+)?"
                   r"(?P<code>[A-Za-z0-9][A-Za-z0-9 -]{5,14}?)\s*(?:\bas\s+(?P<name>.+?))?\s*[.!]?\s*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Learner:
    """Who is practising: `id` names the channel ("web:<id kept in the browser>", "slack:<user id>",
    "terminal:<name>", "rest:<sender id>"); `name` is the display name they gave, if any."""

    id: str
    name: Optional[str] = None


@dataclass(frozen=True)
class JoinRequest:
    cohort_id: str
    cohort: str
    code: str
    name: Optional[str]


def display_name(raw) -> Optional[str]:
    """A display name as given, without control characters, spaces collapsed, at most NAME_MAX_CHARS."""
    if not isinstance(raw, str):
        return None
    name = " ".join(_CONTROL.sub(" ", raw).split())[:NAME_MAX_CHARS].strip()
    return name or None


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class OpeningOffer:
    """What the level question leads with for a learner (opening_offer): a line and its buttons, and the assignment
    offered, if any."""

    text: Optional[str] = None
    buttons: Tuple[Dict, ...] = ()
    assignment_id: Optional[int] = None


class Bootcamp:
    def __init__(self, coach: Coach, store: Optional[ProgressStore] = None):
        content = coach.settings.content_dir
        self.coach, self.bank = coach, coach.bank
        self.store = store or ProgressStore()
        self.texts: LearnerTexts = load_learner_texts(content / "learners.yml")
        self.employer = EmployerQuestionReader(load_employer_questions(content / "employer_questions.yml"),
                                               coach.embedder)

    # --- progress and drills ------------------------------------------------------------------------------------

    def progress(self, learner: Learner) -> Tuple[str, Dict]:
        progress = learner_progress(self.store.history(learner.id), self.bank)
        return describe_progress(progress, self.bank, self.texts), progress_payload(progress, self.bank)

    def drill(self, learner: Learner, count: int) -> Tuple[Optional[DrillPlan], str]:
        plan = plan_drill(self.store.history(learner.id), self.bank, self.coach.parameters.strong, count=count,
                          seed=learner.id)
        if plan is None:
            return None, self.texts("drill", "no_history")
        return plan, describe_drill(plan, self.bank, self.texts)

    def record_interview(self, learner: Learner, sender_id: str, level: str, kind: Dict,
                         results: Sequence[Dict]) -> Optional[int]:
        """Keep a finished interview that has at least one answer. `kind`: {"kind": practice|drill|assignment, and
        for an assignment its "assignment_id"}."""
        if not answered_records(results):
            return None
        return self.store.record_interview(
            learner.id, sender_id, level, kind.get("kind", "practice"), results,
            lambda qid: self.bank.questions[qid].competency, average_score(results),
            assignment_id=kind.get("assignment_id"))

    # --- trying again --------------------------------------------------------------------------------------------

    def retry_prompt(self, record: Dict) -> str:
        question = self.bank.questions[record["question_id"]]
        return self.texts("retry", "reopen", number=record["number"], score=round(record["score"] * 100),
                          competency=self.bank.competencies[question.competency].name, question_text=question.text)

    def retry_outcome(self, before: Dict, after: Dict, in_interview: bool) -> Tuple[Dict, str]:
        """The record the interview keeps and what the new try changed, as text."""
        kept = kept_attempt(before, after)
        question: Question = self.bank.questions[after["question_id"]]
        band = self.coach.texts.answer(f"band_{self.coach.parameters.band(after['score'])}")
        kept_score = kept["score"] if in_interview else None
        text = describe_change(compare_attempts(before, after), after["number"], kept_score, question, band, self.texts)
        return kept, text

    # --- the questions for the employer --------------------------------------------------------------------------

    def employer_reply(self, text: str) -> str:
        if self.employer.is_skip(text):
            return self.texts("employer", "skipped")
        return describe_themes(self.employer.read(text), self.texts)

    # --- cohorts and assignments ---------------------------------------------------------------------------------

    def read_join(self, text: str) -> Tuple[Optional[JoinRequest], str]:
        """A join request from "join CODE [as Name]": the cohort, or why not (as the text to say)."""
        found = _JOIN.match(text or "")
        if not found:
            return None, self.texts("cohort", "join_usage")
        code = found.group("code").strip()
        cohort = self.store.cohort_by_code(code)
        if cohort is None:
            return None, self.texts("cohort", "join_unknown", code=code.upper()[:20])
        return JoinRequest(cohort["cohort_id"], cohort["name"], cohort["join_code"],
                           display_name(found.group("name"))), ""

    def join_consent(self, request: JoinRequest, learner: Learner) -> str:
        name = request.name or learner.name
        who = (self.texts("cohort", "who_named", name=name) if name
               else self.texts("cohort", "who_anonymous", code=request.code))
        return self.texts("cohort", "join_consent", cohort=request.cohort, who=who)

    def join(self, learner: Learner, sender_id: str, request: JoinRequest) -> str:
        self.store.note_learner(learner.id, sender_id, learner.name)
        name = request.name or learner.name
        if self.store.join(request.cohort_id, learner.id, name):
            return self.texts("cohort", "joined", cohort=request.cohort)
        return (self.texts("cohort", "renamed", cohort=request.cohort, name=name) if name
                else self.texts("cohort", "already_in", cohort=request.cohort))

    def next_assignment(self, learner: Learner) -> Optional[Dict]:
        found = self.store.open_assignments(learner.id, today())
        return found[0] if found else None

    def opening_offer(self, learner: Learner) -> "OpeningOffer":
        """What the level question leads with: the class's next open assignment, else, for a learner with finished
        interviews, their progress and a drill; else nothing."""
        assignment = self.next_assignment(learner)
        if assignment is not None:
            offer, title = self.assignment_offer(assignment)
            return OpeningOffer(offer, ({"title": title, "payload": "/start_assignment"},),
                                assignment["assignment_id"])
        if self.store.history(learner.id):
            return OpeningOffer(self.texts("progress", "returning"), (
                {"title": self.texts("progress", "button"), "payload": "/show_progress"},
                {"title": self.texts("drill", "button"), "payload": "/practise_weak_areas"}))
        return OpeningOffer()

    def assignment_offer(self, assignment: Dict) -> Tuple[str, str]:
        """What the learner reads about an open assignment, and its button's title."""
        competencies = [self.bank.competencies[cid].name for cid in assignment["competencies"]
                        if cid in self.bank.competencies]
        facts = {"cohort": assignment["cohort_name"], "title": assignment["title"],
                 "count": assignment["question_count"], "level": assignment["level"], "due": assignment["due_date"]}
        return (self.texts("assignment", "offer_focused", competencies="; ".join(competencies), **facts)
                if competencies else self.texts("assignment", "offer", **facts),
                self.texts("assignment", "button", title=assignment["title"]))

    def assignment_start(self, learner: Learner, assignment_id: Optional[int]) -> Tuple[Optional[Dict], List[str], str]:
        """The assignment (if it is still open for the learner; without an id, their next open one), its questions
        and the text that starts it."""
        if assignment_id is None:
            upcoming = self.next_assignment(learner)
            assignment_id = upcoming["assignment_id"] if upcoming else None
        assignment = next((a for a in self.store.open_assignments(learner.id, today())
                           if a["assignment_id"] == assignment_id), None)
        if assignment is None:
            return None, [], self.texts("assignment", "gone")
        plan = assignment_plan(self.bank, assignment, f"{learner.id}:{assignment_id}")
        return assignment, plan, self.texts("assignment", "starting", title=assignment["title"], count=len(plan),
                                            level=assignment["level"])

    # --- deleting a learner's data ---------------------------------------------------------------------------------

    def deletion_preview(self, learner: Learner, sender_id: str) -> str:
        counts = self.store.count_learner(learner.id, sender_id)
        return self.texts("deletion", "confirm", interviews=counts.interviews, answers=counts.answers,
                          cohorts=self._cohort_names(counts.cohorts), conversations=len(counts.conversations))

    def delete(self, learner: Learner, sender_id: str) -> Tuple[str, Tuple[str, ...]]:
        """Remove the learner's rows; returns what to say and the conversations the tracker store must forget."""
        deletion = self.store.delete_learner(learner.id, current_sender_id=sender_id)
        said = self.texts("deletion", "done", interviews=deletion.interviews, answers=deletion.answers,
                          cohorts=self._cohort_names(deletion.cohorts), conversations=len(deletion.conversations))
        if deletion.cohorts:
            said = f"{said} {self.texts('deletion', 'instructor_note')}"
        return said, deletion.conversations

    def _cohort_names(self, names: Sequence[str]) -> str:
        return ", ".join(f"“{name}”" for name in names) or self.texts("deletion", "no_cohort")


@functools.lru_cache(maxsize=1)
def get_bootcamp() -> Bootcamp:
    """The process-wide bootcamp service, on the process-wide coach and the progress database."""
    return Bootcamp(get_coach())
