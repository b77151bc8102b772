"""Building learners' histories for the bootcamp tests: result records shaped like Coach.result_record's, for real
bank questions, and finished interviews recorded at chosen dates."""

from typing import Dict, List, Optional, Sequence

from coach.question_bank import QuestionBank
from coach.summary import average_score

DAY = 86400.0
START = 1_795_000_000.0  # 2026-11-18, a Wednesday


def record(bank: QuestionBank, question_id: str, score: Optional[float], covered: Sequence[str] = (),
           number: int = 1, answer: str = "", evidence: Optional[Dict[str, str]] = None) -> Dict:
    """An answered question (or a skipped one when score is None) covering the named criteria and missing the rest."""
    if score is None:
        return {"question_id": question_id, "number": number, "status": "skipped"}
    question = bank.questions[question_id]
    evidence = evidence or {}
    return {
        "question_id": question_id, "number": number, "status": "answered", "score": score,
        "band": "strong" if score >= 0.7 else "partial" if score >= 0.4 else "weak",
        "answer": answer or f"My answer to {question_id}.",
        "covered": [{"id": cid, "evidence": evidence.get(cid, f"words for {cid}"), "similarity": 0.9}
                    for cid in covered],
        "missing": [{"id": c.id, "similarity": 0.1, "tip": c.tip} for c in question.criteria if c.id not in covered],
    }


def finish(store, bank: QuestionBank, learner_id: str, records: List[Dict], when: float, level: str = "mid",
           kind: str = "practice", sender_id: Optional[str] = None, assignment_id: Optional[int] = None) -> int:
    for number, item in enumerate(records, start=1):
        item["number"] = number
    return store.record_interview(learner_id, sender_id or f"sender-of-{learner_id}", level, kind, records,
                                  lambda qid: bank.questions[qid].competency, average_score(records),
                                  assignment_id=assignment_id, finished_at=when)
