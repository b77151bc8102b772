"""Trying a question again: what changed between two attempts at the same question, from their result records
(coach.Coach.result_record): the score before and after, points newly covered (with the learner's new words), points
still missing, and points the first attempt had that the new one lost."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from bootcamp.texts import LearnerTexts
from coach.feedback import quote
from coach.question_bank import Question


@dataclass(frozen=True)
class AttemptChange:
    question_id: str
    before: float
    after: float
    newly_covered: Tuple[Tuple[str, str], ...]  # (criterion id, evidence) in the order of the question's criteria
    still_missing: Tuple[str, ...]
    lost: Tuple[str, ...]  # covered before, not now

    @property
    def improved(self) -> bool:
        return self.after > self.before


def _covered(record: Dict) -> Dict[str, str]:
    return {item["id"]: item.get("evidence") or "" for item in record.get("covered", [])}


def _missing(record: Dict) -> List[str]:
    return [item["id"] if isinstance(item, dict) else item for item in record.get("missing", [])]


def compare_attempts(before: Dict, after: Dict) -> AttemptChange:
    if before["question_id"] != after["question_id"]:
        raise ValueError("two attempts compare only on the same question")
    covered_before, covered_after = _covered(before), _covered(after)
    return AttemptChange(
        question_id=after["question_id"],
        before=before["score"],
        after=after["score"],
        newly_covered=tuple((cid, evidence) for cid, evidence in covered_after.items() if cid not in covered_before),
        still_missing=tuple(cid for cid in _missing(after) if cid not in covered_before),
        lost=tuple(cid for cid in covered_before if cid not in covered_after),
    )


def kept_attempt(before: Dict, after: Dict) -> Dict:
    """The record the interview keeps for the question: the better attempt (the new one on a tie), counting the
    tries, so a retry never lowers the score and the history knows the question was tried again."""
    kept = after if after["score"] >= before["score"] else before
    return {**kept, "retries": int(before.get("retries") or 0) + 1}


def describe_change(change: AttemptChange, number: int, kept_score: Optional[float], question: Question,
                    band: str, texts: LearnerTexts) -> str:
    """What the new try changed; `kept_score` is the score the interview keeps (None after the interview ended)."""
    criteria = {criterion.id: criterion for criterion in question.criteria}
    lines = [texts("retry", "change", number=number, before=round(change.before * 100),
                   after=round(change.after * 100), band=band)]
    lines += [texts("retry", "newly_covered", criterion=criteria[cid].text, evidence=quote(evidence))
              for cid, evidence in change.newly_covered if cid in criteria]
    if not change.newly_covered:
        lines.append(texts("retry", "nothing_new"))
    lines += [texts("retry", "lost", criterion=criteria[cid].text) for cid in change.lost if cid in criteria]
    lines += [texts("retry", "still_missing", criterion=criteria[cid].text, tip=criteria[cid].tip)
              for cid in change.still_missing if cid in criteria]
    if not change.still_missing and not change.lost:
        lines.append(texts("retry", "all_covered"))
    lines.append(texts("retry", "kept", score=round(kept_score * 100)) if kept_score is not None
                 else texts("retry", "after_interview"))
    return "\n".join(lines)
