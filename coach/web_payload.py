"""Structured copies of the feedback and the summary, for clients that draw them (the web chat page, its report).

The bot's text stays the message; these dictionaries ride along as Rasa's `custom` payload, which the REST channel
returns next to the text. Plain Python, no Rasa import. Fields only grow: the page reads them defensively and falls
back to the text when one is missing.
"""

from typing import Dict, List, Optional, Sequence

from coach.assessment import QuestionAssessment
from coach.feedback import shorten
from coach.question_bank import QuestionBank
from coach.summary import average_score, competency_scores

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


def question_progress(number: int, total: int) -> Dict:
    """Where the interview stands, sent with each question: the page's "Question k of N" reads this, not the wording."""
    return {"kind": "question", "version": PAYLOAD_VERSION, "progress": {"number": number, "total": total}}


def answer_feedback(result: QuestionAssessment, bank: QuestionBank, number: int, total: int) -> Dict:
    """The feedback on one answer: score, covered criteria with the candidate's words, missing ones with tips."""
    assessment = result.assessment
    question = result.question
    return {
        "kind": "answer_feedback",
        "version": PAYLOAD_VERSION,
        "question": {"id": question.id, "number": number, "total": total, "text": question.text,
                     "competency": _competency_name(bank, question.id)},
        "score": result.score_percent,
        "covered": [{"criterion": item.criterion.text, "evidence": shorten(item.evidence or "")}
                    for item in assessment.covered],
        "missing": [{"criterion": item.criterion.text, "tip": item.criterion.tip} for item in assessment.missing],
        "concepts_missing": [{"abbreviation": concept.abbreviation, "name": concept.name, "meaning": concept.meaning}
                             for concept in result.concepts_missing],
        "red_flags": [{"name": raised.flag.name, "explanation": raised.flag.explanation, "quote": raised.quote}
                      for raised in result.red_flags],
        "follow_up": result.follow_up,
        "trimmed": assessment.trimmed,
        "english": result.english,
    }


def interview_summary(results: Sequence[Dict], bank: QuestionBank, level: Optional[str]) -> Dict:
    """Per-question scores and the average per competency of one interview (the interview_results records), from the
    same functions as the text summary (coach/summary.py), rounded the same way, so the two never disagree."""
    questions: List[Dict] = []
    for record in results:
        question = bank.question(record.get("question_id", ""))
        answered = record.get("status") == "answered" and isinstance(record.get("score"), (int, float))
        questions.append({
            "number": record.get("number"),
            "text": question.text if question else None,
            "competency": _competency_name(bank, record.get("question_id", "")),
            "status": "answered" if answered else "skipped",
            "score": _percent(record["score"]) if answered else None,
        })
    average = average_score(results)
    level_info = bank.levels.get(level) if level else None
    return {
        "kind": "interview_summary",
        "version": PAYLOAD_VERSION,
        "level": level_info.name if level_info else level,
        "asked": len(questions),
        "answered": sum(1 for q in questions if q["status"] == "answered"),
        "average": _percent(average) if average is not None else None,
        "questions": questions,
        "competencies": [{"name": entry["name"], "score": _percent(entry["score"])}
                         for entry in competency_scores(results, bank)],
    }
