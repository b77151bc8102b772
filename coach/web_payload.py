"""Structured copies of the feedback and the summary, for clients that draw them (the web chat page, its report).

The bot's text stays the message; these dictionaries ride along as Rasa's `custom` payload, which the REST channel
returns next to the text. Plain Python, no Rasa import. Fields only grow: the page reads them defensively and falls
back to the text when one is missing.
"""

from typing import Dict, List, Optional, Sequence

from coach.feedback import QuestionAssessment, shorten
from coach.question_bank import QuestionBank

PAYLOAD_VERSION = 1
# Only the web page reads these, and it talks over the REST channel. Other channels would show the raw JSON:
# rasa shell prints it, and Rasa's Slack connector would post it as a message.
CHANNELS = ("rest",)


def wanted(input_channel: Optional[str]) -> bool:
    """Whether the conversation's channel draws structured payloads (the channel of the latest user message)."""
    return input_channel in CHANNELS


def _percent(score: float) -> int:
    return round(score * 100)


def _competency_name(bank: QuestionBank, question_id: str) -> Optional[str]:
    question = bank.question(question_id)
    if question is None:
        return None
    competency = bank.competencies.get(question.competency)
    return competency.name if competency else question.competency


def answer_feedback(result: QuestionAssessment, bank: QuestionBank, number: int, total: int) -> Dict:
    """The feedback on one answer: score, covered criteria with the candidate's words, missing ones with tips."""
    assessment = result.assessment
    question = result.question
    metrics_missing = result.metrics_missing if question.checks_metrics else []
    return {
        "kind": "answer_feedback",
        "version": PAYLOAD_VERSION,
        "question": {"id": question.id, "number": number, "total": total, "text": question.text,
                     "competency": _competency_name(bank, question.id)},
        "score": result.score_percent,
        "covered": [{"criterion": item.criterion.text, "evidence": shorten(item.evidence or "")}
                    for item in assessment.covered],
        "missing": [{"criterion": item.criterion.text, "tip": item.criterion.tip} for item in assessment.missing],
        "metrics_missing": [{"abbreviation": metric.abbreviation, "name": metric.name, "measures": metric.measures}
                            for metric in metrics_missing],
        "red_flags": [{"name": raised.flag.name, "explanation": raised.flag.explanation, "quote": raised.quote}
                      for raised in result.red_flags],
        "follow_up": result.follow_up,
        "trimmed": assessment.trimmed,
        "english": result.english,
    }


def interview_summary(results: Sequence[Dict], bank: QuestionBank, level: Optional[str]) -> Dict:
    """Per-question scores and the average per competency of one interview (the interview_results records)."""
    questions: List[Dict] = []
    by_competency: Dict[str, List[float]] = {}
    for record in results:
        question = bank.question(record.get("question_id", ""))
        competency = _competency_name(bank, record.get("question_id", ""))
        answered = record.get("status") == "answered" and isinstance(record.get("score"), (int, float))
        questions.append({
            "number": record.get("number"),
            "text": question.text if question else None,
            "competency": competency,
            "status": "answered" if answered else "skipped",
            "score": _percent(record["score"]) if answered else None,
        })
        if answered and competency:
            by_competency.setdefault(competency, []).append(record["score"])
    raw_scores = [score for values in by_competency.values() for score in values]
    competencies = [{"name": name, "score": _percent(sum(values) / len(values))}
                    for name, values in sorted(by_competency.items())]
    level_info = bank.levels.get(level) if level else None
    return {
        "kind": "interview_summary",
        "version": PAYLOAD_VERSION,
        "level": level_info.name if level_info else level,
        "asked": len(questions),
        "answered": sum(1 for q in questions if q["status"] == "answered"),
        # The same rounding as the text summary, so the two never disagree by a point.
        "average": _percent(sum(raw_scores) / len(raw_scores)) if raw_scores else None,
        "questions": questions,
        "competencies": competencies,
    }
