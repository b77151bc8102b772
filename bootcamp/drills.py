"""Choosing the questions of a weak-area drill from a learner's history.

A drill mixes two kinds of question:
- questions answered weakly before, brought back spaced out: never in the interview straight after the one that
  asked it, and each further time only after more interviews in between (1, then 2, then 3). A question the learner
  has since answered strongly no longer comes back;
- questions not asked before (or asked longest ago) from the competencies the learner scores lowest on, those with
  the most missed criteria first.
Nothing asked in the learner's last interview is asked again in the drill.
"""

import math
import random
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from bootcamp.progress import TREND_INTERVIEWS, answered_interviews, day, interview_competencies
from bootcamp.texts import LearnerTexts
from coach.question_bank import LEVELS, QuestionBank
from coach.summary import answered_records

DRILL_QUESTIONS = 5
MAX_GAP = 3  # the most interviews a weak question waits before it may come back
WEAK_COMPETENCIES = 3  # new questions come from the learner's three weakest competencies


@dataclass(frozen=True)
class BroughtBack:
    question_id: str
    score: float  # the latest score on it
    finished_at: float  # when it was last answered


@dataclass(frozen=True)
class DrillPlan:
    level: str
    question_ids: Tuple[str, ...]
    weak_competencies: Tuple[str, ...]  # weakest first
    brought_back: Tuple[BroughtBack, ...]


@dataclass
class _QuestionHistory:
    asked_in: List[int]  # positions (in the learner's interview list) of the interviews that asked it
    scores: List[Tuple[int, float, float]]  # (position, score, finished_at) of its answers


def _question_histories(history: Sequence[Dict]) -> Dict[str, _QuestionHistory]:
    found: Dict[str, _QuestionHistory] = {}
    for position, interview in enumerate(history):
        for record in interview["answers"]:
            entry = found.setdefault(record["question_id"], _QuestionHistory([], []))
            if not entry.asked_in or entry.asked_in[-1] != position:
                entry.asked_in.append(position)
        for record in answered_records(interview["answers"]):
            found[record["question_id"]].scores.append((position, record["score"], interview["finished_at"]))
    return found


def due_weak_questions(history: Sequence[Dict], strong: float) -> List[BroughtBack]:
    """Weakly answered questions whose spacing has passed, lowest latest score first. A question asked n times
    waits min(n, MAX_GAP) interviews after the last one that asked it."""
    due = []
    count = len(history)
    for question_id, entry in _question_histories(history).items():
        if not entry.scores:
            continue
        _, latest_score, finished_at = entry.scores[-1]
        interviews_since = count - 1 - entry.asked_in[-1]
        if latest_score < strong and interviews_since >= min(len(entry.asked_in), MAX_GAP):
            due.append(BroughtBack(question_id, latest_score, finished_at))
    due.sort(key=lambda item: (item.score, item.finished_at, item.question_id))
    return due


def weakest_competencies(history: Sequence[Dict], bank: QuestionBank) -> List[str]:
    """Competencies by the learner's average over their last interviews, lowest first; then by missed criteria."""
    scores: Dict[str, List[float]] = {}
    misses: Dict[str, int] = {}
    for interview in answered_interviews(history)[-TREND_INTERVIEWS:]:
        for entry in interview_competencies(interview, bank):
            scores.setdefault(entry["id"], []).append(entry["score"])
        for record in answered_records(interview["answers"]):
            question = bank.question(record["question_id"])
            if question:
                misses[question.competency] = misses.get(question.competency, 0) + len(record["missing"])
    return sorted(scores, key=lambda cid: (sum(scores[cid]) / len(scores[cid]), -misses.get(cid, 0), cid))


def _nearby_levels(level: str) -> List[str]:
    """The learner's level, then the levels next to it: a junior's drill may borrow a mid question on a weak
    competency the junior questions barely cover, never a senior one."""
    position = LEVELS.index(level)
    return [level] + [other for other in LEVELS if abs(LEVELS.index(other) - position) == 1]


def plan_drill(history: Sequence[Dict], bank: QuestionBank, strong: float, count: int = DRILL_QUESTIONS,
               seed: str = "", level: Optional[str] = None) -> Optional[DrillPlan]:
    """The drill's questions, or None when the learner has no answered interview yet. `history` is oldest first,
    `strong` the score from which an answer is strong (content/scoring.yml)."""
    finished = answered_interviews(history)
    if not finished:
        return None
    level = level or finished[-1]["level"]
    rng = random.Random(f"drill:{seed}:{len(history)}")
    last_asked = {record["question_id"] for record in history[-1]["answers"]} if history else set()
    weak = weakest_competencies(history, bank)[:WEAK_COMPETENCIES]

    brought_back = [item for item in due_weak_questions(history, strong)
                    if item.question_id not in last_asked and bank.question(item.question_id)]
    brought_back = brought_back[:math.ceil(count / 2)]
    chosen = [item.question_id for item in brought_back]

    last_position = {qid: entry.asked_in[-1] for qid, entry in _question_histories(history).items()}
    for new in _fresh_questions(bank, weak, level, set(chosen) | last_asked, last_position, rng):
        if len(chosen) >= count:
            break
        chosen.append(new)
    # Brought-back questions spread through the drill rather than bunched at the start.
    fresh = chosen[len(brought_back):]
    back = [item.question_id for item in brought_back]
    ordered: List[str] = []
    for position in range(max(len(fresh), len(back))):
        ordered += fresh[position:position + 1] + back[position:position + 1]
    return DrillPlan(level, tuple(ordered), tuple(weak), tuple(brought_back))


def _fresh_questions(bank: QuestionBank, weak: Sequence[str], level: str, excluded: set,
                     last_position: Dict[str, int], rng: random.Random) -> List[str]:
    """Candidates in order of preference: weak competencies round-robin (never asked before first, then asked
    longest ago), the learner's level before the levels next to it; then anything else at the learner's level."""
    def ranked(questions) -> List[str]:
        ids = [question.id for question in questions if question.id not in excluded]
        rng.shuffle(ids)
        return sorted(ids, key=lambda qid: last_position.get(qid, -1))

    queues = []
    for competency in weak:
        queue: List[str] = []
        for other_level in _nearby_levels(level):
            queue += ranked(q for q in bank.questions_for_level(other_level) if q.competency == competency)
        queues.append(queue)
    picked: List[str] = []
    while any(queues):
        for queue in queues:
            while queue and queue[0] in picked:
                queue.pop(0)
            if queue:
                picked.append(queue.pop(0))
    picked += [qid for qid in ranked(bank.questions_for_level(level)) if qid not in picked]
    return picked


def describe_drill(plan: DrillPlan, bank: QuestionBank, texts: LearnerTexts) -> str:
    names = [f"“{bank.competencies[cid].name}”" for cid in plan.weak_competencies]
    lines = [texts("drill", "intro", count=len(plan.question_ids), level=bank.levels[plan.level].name.lower(),
                   competencies=" and ".join(filter(None, [", ".join(names[:-1]), names[-1]])))]
    if plan.brought_back:
        lines.append(texts("drill", "brought_back_heading"))
        lines += [texts("drill", "brought_back_line", question=bank.questions[item.question_id].text,
                        score=round(item.score * 100), date=day(item.finished_at)) for item in plan.brought_back]
    lines.append(texts("drill", "how"))
    return "\n".join(lines)
