"""A learner's progress across interviews: per competency, the average in each of the last interviews and the change;
the criteria missed most often. Computed from the stored history (bootcamp/store.py), as data for the page's chart and
as text for the other channels."""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence, Tuple

from bootcamp.texts import LearnerTexts
from coach.question_bank import QuestionBank
from coach.summary import answered_records, competency_scores

TREND_INTERVIEWS = 5  # a trend covers the learner's last five interviews
MOST_MISSED = 5


@dataclass(frozen=True)
class CompetencyTrend:
    id: str
    name: str
    points: Tuple[Tuple[float, float], ...]  # (finished_at, average score 0-1) per interview that asked it

    @property
    def latest(self) -> float:
        return self.points[-1][1]

    @property
    def change(self) -> Optional[float]:
        return self.points[-1][1] - self.points[0][1] if len(self.points) > 1 else None


@dataclass(frozen=True)
class MissedCriterion:
    question_id: str
    criterion_id: str
    missed: int  # answers to the question that missed it
    answered: int  # answers to the question


@dataclass(frozen=True)
class Progress:
    interviews: int  # finished interviews with at least one answer
    window: Tuple[Dict, ...]  # the last TREND_INTERVIEWS of them, oldest first
    trends: Tuple[CompetencyTrend, ...]  # in the question bank's competency order
    missed: Tuple[MissedCriterion, ...]  # most often missed first


def interview_competencies(interview: Dict, bank: QuestionBank) -> List[Dict]:
    """The average per competency of one stored interview: the same function as the summary's."""
    return competency_scores(interview["answers"], bank)


def answered_interviews(history: Sequence[Dict]) -> List[Dict]:
    return [interview for interview in history if answered_records(interview["answers"])]


def learner_progress(history: Sequence[Dict], bank: QuestionBank) -> Progress:
    """`history` as ProgressStore.history returns it (oldest first)."""
    finished = answered_interviews(history)
    window = finished[-TREND_INTERVIEWS:]
    points: Dict[str, List[Tuple[float, float]]] = {}
    for interview in window:
        for entry in interview_competencies(interview, bank):
            points.setdefault(entry["id"], []).append((interview["finished_at"], entry["score"]))
    trends = tuple(CompetencyTrend(cid, bank.competencies[cid].name, tuple(points[cid]))
                   for cid in bank.competencies if cid in points)
    return Progress(len(finished), tuple(window), trends, most_missed(finished, bank))


def most_missed(history: Sequence[Dict], bank: QuestionBank, limit: int = MOST_MISSED) -> Tuple[MissedCriterion, ...]:
    """The criteria missed most often over every answer, each with how many of its question's answers missed it.
    Ties go to the criterion missed most recently."""
    missed: Dict[Tuple[str, str], int] = {}
    answered: Dict[str, int] = {}
    last_missed: Dict[Tuple[str, str], float] = {}
    for interview in history:
        for record in answered_records(interview["answers"]):
            question = bank.question(record["question_id"])
            if question is None:
                continue
            answered[question.id] = answered.get(question.id, 0) + 1
            known = {criterion.id for criterion in question.criteria}
            for criterion_id in record["missing"]:
                if criterion_id in known:
                    key = (question.id, criterion_id)
                    missed[key] = missed.get(key, 0) + 1
                    last_missed[key] = interview["finished_at"]
    ranked = sorted(missed, key=lambda key: (-missed[key], -last_missed[key], key))
    return tuple(MissedCriterion(qid, cid, missed[(qid, cid)], answered[qid]) for qid, cid in ranked[:limit])


def criterion_of(bank: QuestionBank, question_id: str, criterion_id: str):
    question = bank.question(question_id)
    return next((criterion for criterion in question.criteria if criterion.id == criterion_id), None) \
        if question else None


def day(timestamp: float) -> str:
    """A stored time as the date learners and instructors read (UTC)."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def _percent(score: float) -> int:
    return round(score * 100)


def describe_progress(progress: Progress, bank: QuestionBank, texts: LearnerTexts) -> str:
    """The progress as text: the heading, one line per competency, the most missed points."""
    if not progress.interviews:
        return texts("progress", "nothing_yet")
    latest = day(progress.window[-1]["finished_at"])
    lines = [texts("progress", "heading_one", date=latest) if progress.interviews == 1 else
             texts("progress", "heading", shown=len(progress.window), total=progress.interviews, date=latest)]
    for trend in progress.trends:
        if trend.change is None:
            lines.append(texts("progress", "single_line", competency=trend.name, score=_percent(trend.latest)))
            continue
        change = _percent(trend.latest) - _percent(trend.points[0][1])
        wording = (texts("progress", "change_up", points=change) if change > 0 else
                   texts("progress", "change_down", points=-change) if change < 0 else
                   texts("progress", "change_none"))
        lines.append(texts("progress", "trend_line", competency=trend.name, change=wording,
                           scores=" → ".join(str(_percent(score)) for _, score in trend.points)))
    lines.append(texts("progress", "missed_heading") if progress.missed else texts("progress", "nothing_missed"))
    for item in progress.missed:
        criterion = criterion_of(bank, item.question_id, item.criterion_id)
        lines.append(texts("progress", "missed_line", criterion=criterion.text, tip=criterion.tip,
                           question=bank.questions[item.question_id].text, missed=item.missed,
                           answered=item.answered))
    lines.append(texts("progress", "closing"))
    return "\n".join(lines)


def _labels(window: Sequence[Dict]) -> Dict[float, str]:
    """Each interview's label on the chart: its date, and its number that day when there were several."""
    days = [day(interview["finished_at"]) for interview in window]
    labels = {}
    for position, interview in enumerate(window):
        same_day = days[:position + 1].count(days[position])
        several = days.count(days[position]) > 1
        labels[interview["finished_at"]] = f"{days[position]} #{same_day}" if several else days[position]
    return labels


def progress_payload(progress: Progress, bank: QuestionBank) -> Dict:
    """The same as data for the chat page's chart (Rasa's custom payload on the REST channel)."""
    labels = _labels(progress.window)
    return {
        "kind": "progress",
        "version": 1,
        "interviews": progress.interviews,
        "window": [{"label": labels[interview["finished_at"]], "level": interview["level"], "kind": interview["kind"],
                    "average": _percent(interview["average"]) if interview["average"] is not None else None}
                   for interview in progress.window],
        "competencies": [{"id": trend.id, "name": trend.name, "latest": _percent(trend.latest),
                          "points": [{"label": labels[moment], "score": _percent(score)}
                                     for moment, score in trend.points]}
                         for trend in progress.trends],
        "missed": [{"criterion": criterion_of(bank, item.question_id, item.criterion_id).text,
                    "question": bank.questions[item.question_id].text, "missed": item.missed,
                    "answered": item.answered} for item in progress.missed],
    }
