"""What an instructor sees of their cohort, and nothing of another: the roster with interviews done and last and best
scores, each learner's trend, the class average per competency week by week, the points the class misses most with
examples of answers that made them (without names), and the assignments with who did them.

Only interviews a learner finished after joining the cohort count (ProgressStore.cohort_answers). Learners appear under
the name they gave, or as "Learner N" (the order they joined); their ids never leave the server, since on the web an id
is what lets its holder act as that learner.
"""

import re
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterable, List, Sequence

from bootcamp.progress import answered_interviews, criterion_of, day, most_missed
from bootcamp.store import ProgressStore
from bootcamp.texts import LearnerTexts
from coach.feedback import shorten
from coach.question_bank import QuestionBank
from coach.summary import average_score, competency_scores

MISSED_SHOWN = 8
EXAMPLES_PER_POINT = 2
# Personal details an example answer may hold: e-mail addresses, links, Slack mentions and @handles, phone numbers.
_PERSONAL = [
    (re.compile(r"\S+@\S+\.\w+"), "[e-mail]"),
    (re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))"), "[link]"),
    (re.compile(r"<@\w+>|(?<!\w)@\w+"), "[name]"),
    (re.compile(r"\+?\d[\d ()./-]{7,}\d"), "[phone]"),
]


def anonymise(text: str, names: Iterable[str]) -> str:
    """An answer's sentence with the class's known names and personal details replaced."""
    for pattern, replacement in _PERSONAL:
        text = pattern.sub(replacement, text)
    # Whole names before their parts ("Ana Lee" before "Ana"), so a full name becomes one [name].
    terms = {term for name in names if name for term in (name, *name.split()) if len(term) > 2}
    for term in sorted(terms, key=lambda t: (-len(t), t)):
        text = re.sub(rf"\b{re.escape(term)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def _week(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc).date()
    return (moment - timedelta(days=moment.weekday())).isoformat()


def _percent(value):
    return round(value * 100) if value is not None else None


def _interviews(rows: Sequence[Dict]) -> List[Dict]:
    """Flat answer rows (cohort_answers) back into interviews, oldest first, as ProgressStore.history gives them."""
    found: Dict[int, Dict] = {}
    for row in rows:
        interview = found.setdefault(row["interview_id"], {
            "interview_id": row["interview_id"], "learner_id": row["learner_id"], "level": row["level"],
            "kind": row["kind"], "finished_at": row["finished_at"], "assignment_id": row["assignment_id"],
            "answers": []})
        interview["answers"].append(row)
    return sorted(found.values(), key=lambda interview: (interview["finished_at"], interview["interview_id"]))


def learner_labels(members: Sequence[Dict], texts: LearnerTexts) -> Dict[str, str]:
    """learner id -> what the instructor reads: the name given when joining, the page's display name, else
    "Learner N" by order of joining."""
    return {member["learner_id"]: member["display_name"] or member["learner_name"]
            or texts("cohort", "anonymous_learner", number=number)
            for number, member in enumerate(members, start=1)}


class CohortView:
    def __init__(self, store: ProgressStore, bank: QuestionBank, texts: LearnerTexts):
        self.store, self.bank, self.texts = store, bank, texts

    def overview(self, cohort: Dict) -> Dict:
        members = self.store.members(cohort["cohort_id"])
        labels = learner_labels(members, self.texts)
        rows = self.store.cohort_answers(cohort["cohort_id"])
        interviews = answered_interviews(_interviews(rows))
        return {
            "cohort": {"name": cohort["name"], "join_code": cohort["join_code"], "created": day(cohort["created_at"]),
                       "learners": len(members), "interviews": len(interviews)},
            "assignments": self._assignments(cohort, len(members)),
            "roster": [self._roster_entry(number, member, labels, interviews)
                       for number, member in enumerate(members, start=1)],
            "competencies": [{"name": entry["name"], "score": _percent(entry["score"]), "answers": entry["answers"]}
                             for entry in competency_scores(rows, self.bank)],
            "weeks": self._weeks(rows),
            "missed": self._missed(interviews, rows, labels.values()),
        }

    def _roster_entry(self, number: int, member: Dict, labels: Dict[str, str], interviews: List[Dict]) -> Dict:
        own = [interview for interview in interviews if interview["learner_id"] == member["learner_id"]]
        averages = [average_score(interview["answers"]) for interview in own]
        return {
            "number": number,
            "name": labels[member["learner_id"]],
            "joined": day(member["joined_at"]),
            "interviews": len(own),
            "answers": sum(len([a for a in i["answers"] if a["status"] == "answered"]) for i in own),
            "last": _percent(averages[-1]) if averages else None,
            "best": _percent(max(averages)) if averages else None,
            "last_active": day(own[-1]["finished_at"]) if own else None,
            "trend": [{"date": day(interview["finished_at"]), "score": _percent(average)}
                      for interview, average in zip(own, averages)],
        }

    def _assignments(self, cohort: Dict, learners: int) -> List[Dict]:
        found = []
        for assignment in self.store.assignments_of_cohort(cohort["cohort_id"]):
            focus = [self.bank.competencies[cid].name for cid in assignment["competencies"]
                     if cid in self.bank.competencies]
            focus += [self.bank.questions[qid].text for qid in assignment["question_ids"] if qid in self.bank.questions]
            found.append({"title": assignment["title"], "level": assignment["level"],
                          "questions": assignment["question_count"], "due": assignment["due_date"], "focus": focus,
                          "done": len(self.store.assignment_done_by(assignment["assignment_id"])),
                          "learners": learners})
        return found

    def _weeks(self, rows: Sequence[Dict]) -> List[Dict]:
        """The class average per competency, week by week (weeks start on Monday, UTC)."""
        by_week: Dict[str, List[Dict]] = {}
        for row in rows:
            by_week.setdefault(_week(row["finished_at"]), []).append(row)
        return [{"week": week, "competencies": [{"id": entry["id"], "name": entry["name"],
                                                 "score": _percent(entry["score"]), "answers": entry["answers"]}
                                                for entry in competency_scores(by_week[week], self.bank)]}
                for week in sorted(by_week)]

    def _missed(self, interviews: List[Dict], rows: Sequence[Dict], names: Iterable[str]) -> List[Dict]:
        names = list(names)
        found = []
        for item in most_missed(interviews, self.bank, limit=MISSED_SHOWN):
            criterion = criterion_of(self.bank, item.question_id, item.criterion_id)
            question = self.bank.questions[item.question_id]
            examples = []
            for row in reversed(rows):  # the most recent answers that made the point
                evidence = next((c.get("evidence") for c in row["covered"] if c["id"] == item.criterion_id), None) \
                    if row["question_id"] == item.question_id else None
                example = shorten(anonymise(evidence.replace("\n", " … "), names)) if evidence else None
                if example and example not in examples and len(examples) < EXAMPLES_PER_POINT:
                    examples.append(example)
            found.append({"criterion": criterion.text, "question": question.text,
                          "competency": self.bank.competencies[question.competency].name,
                          "missed": item.missed, "answered": item.answered, "examples": examples})
        return found
