"""Structured copies of the feedback and the summary, for clients that draw them (the web chat page, its report).

The bot's text stays the message; these dictionaries ride along as Rasa's `custom` payload, which the REST channel
returns next to the text. Plain Python, no Rasa import. Fields only grow: the page reads them defensively and falls
back to the text when one is missing.

A feedback payload names the answer it is about with `answer_id`, made from the question, its number, the stage
(the first answer, or the reply to a follow-up) and the candidate's words. Built again from the same answer, as when
the bot sends a feedback a second time because the page sent an answer it had already scored (its reply was lost in
transit), it gets the same id, and the page updates that card in place instead of adding a second one.
"""

import hashlib
import re
from typing import Dict, List, Optional, Sequence

from coach.assessment import FollowUpOutcome, QuestionAssessment
from coach.feedback import (
    Texts,
    described_concept_lines,
    misdefinition_lines,
    reading_notes,
    shorten,
    star_lines,
    verdict_line,
)
from coach.question_bank import QuestionBank
from coach.summary import average_score, competency_scores

PAYLOAD_VERSION = 2
# Only the web page reads these, and it talks over the REST channel. Other channels would show the raw JSON:
# rasa shell prints it, and Rasa's Slack connector would post it as a message.
CHANNELS = ("rest",)
_BULLET = re.compile(r"^[•✗⚠]\s*")


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


def _item(line: str) -> str:
    """A template line without its bullet: the card draws lists itself."""
    return _BULLET.sub("", line)


def question_progress(number: int, total: int, text: Optional[str] = None, competency: Optional[str] = None) -> Dict:
    """Where the interview stands, sent with each question: the page's "Question k of N" reads this, not the wording,
    and draws the question itself apart from the chat bubbles."""
    return {"kind": "question", "version": PAYLOAD_VERSION, "progress": {"number": number, "total": total},
            "text": text, "competency": competency}


def _utf16(text: str, index: int) -> int:
    """A character offset as JavaScript counts it (UTF-16 code units), so an emoji before the words does not shift
    the highlight on the page."""
    return len(text[:index].encode("utf-16-le")) // 2


def locate(evidence: Optional[str], texts: Sequence[str]) -> List[Dict]:
    """Where the evidence's words are in the candidate's texts: [{part, start, end}], offsets in UTF-16 units.

    Evidence is a sentence, a clause or two sentences joined by a line break, with the answer's spacing collapsed
    (coach/scoring.py split_sentences), so each line is looked for word by word with any spacing between."""
    spans = []
    for piece in (evidence or "").split("\n"):
        words = piece.split()
        if not words:
            continue
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        for part, text in enumerate(texts):
            match = pattern.search(text)
            if match:
                spans.append({"part": part, "start": _utf16(text, match.start()), "end": _utf16(text, match.end())})
                break
    return spans


def answer_id(question_id: str, number: int, stage: str, *answers: str) -> str:
    words = "\x1f".join([question_id, str(number), stage, *answers])
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


def _result_fields(result: QuestionAssessment, bank: QuestionBank, texts: Texts, answers: Sequence[str]) -> Dict:
    """What a card shows of one result: score, verdict, points covered with the words that earned them (and where
    those words are in `answers`), points to add with tips, concepts, red flags and how the answer was read."""
    assessment = result.assessment
    question = result.question
    shown = {criterion.id: criterion.shown for criterion in question.criteria}
    return {
        "question": {"id": question.id, "text": question.text, "competency": _competency_name(bank, question.id)},
        "score": result.score_percent,
        "band": assessment.band,
        "verdict": verdict_line(result, texts),
        "gaming": assessment.gaming.kind if assessment.gaming else None,
        "covered": [{"id": item.criterion.id, "criterion": item.criterion.text, "shown": shown.get(item.criterion.id),
                     "evidence": shorten(item.evidence or ""), "spans": locate(item.evidence, answers)}
                    for item in assessment.covered],
        "missing": [{"id": item.criterion.id, "criterion": item.criterion.text, "tip": item.criterion.tip,
                     "unsure": item.unsure, "evidence": shorten(item.evidence) if item.unsure and item.evidence
                     else None}
                    for item in assessment.missing],
        "misdefinitions": [_item(line) for line in
                           misdefinition_lines(assessment.misdefinitions, texts, assessment.doubtful)],
        "concepts_missing": [{"abbreviation": concept.abbreviation, "name": concept.name, "meaning": concept.meaning}
                             for concept in result.concepts_missing],
        "red_flags": [{"name": raised.flag.name, "explanation": raised.flag.explanation, "quote": raised.quote,
                       "absence": None if raised.quote else texts.answer(f"absent_{raised.flag.id}")}
                      for raised in result.red_flags],
        "notes": [_item(line) for line in star_lines(result, texts) + described_concept_lines(result, texts)
                  + reading_notes(result, texts)],
        "follow_up": result.follow_up,
        "trimmed": assessment.trimmed,
        "english": result.english,
    }


def answer_feedback(result: QuestionAssessment, bank: QuestionBank, texts: Texts, number: int, total: int,
                    answer: str) -> Dict:
    """The feedback on one answer (`answer`: the candidate's words as scored)."""
    fields = _result_fields(result, bank, texts, [answer])
    fields["question"].update(number=number, total=total)
    return {"kind": "answer_feedback", "version": PAYLOAD_VERSION, "stage": "answer",
            "answer_id": answer_id(result.question.id, number, "answer", answer),
            "answers": [{"text": answer, "follow_up_question": None}], **fields}


def follow_up_feedback(outcome: FollowUpOutcome, bank: QuestionBank, texts: Texts, number: int, total: int,
                       answer: str, follow_up_question: str, reply: str) -> Dict:
    """After the reply to a follow-up: the result kept for the question (both answers read together, or the first
    alone), what changed (`change`), and both texts with the words that earned each point."""
    fields = _result_fields(outcome.kept, bank, texts, [answer, reply])
    fields["question"].update(number=number, total=total)
    newly = {item.criterion.id for item in outcome.newly_covered}
    return {"kind": "answer_feedback", "version": PAYLOAD_VERSION, "stage": "follow_up",
            "answer_id": answer_id(outcome.kept.question.id, number, "follow_up", answer, reply),
            "answers": [{"text": answer, "follow_up_question": None},
                        {"text": reply, "follow_up_question": follow_up_question}],
            "change": {"before": outcome.before.score_percent, "after": outcome.kept.score_percent,
                       "counted": outcome.counted, "newly_covered": [item["id"] for item in fields["covered"]
                                                                     if item["id"] in newly],
                       "verdict": texts.answer("follow_up_counted" if outcome.counted else "follow_up_ignored"),
                       "nothing_new": None if newly else texts.answer("follow_up_nothing_new")},
            **fields}


def interview_summary(results: Sequence[Dict], bank: QuestionBank, level: Optional[str],
                      parts: Optional[Dict] = None) -> Dict:
    """Per-question scores and the average per competency of one interview (the interview_results records), from the
    same functions as the text summary (coach/summary.py), rounded the same way, so the two never disagree. `parts`
    (SummaryWriter.parts) adds the summary's own sentences: strongest and weakest areas, level readiness, next steps.
    """
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
    payload = {
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
    if parts:
        readiness = parts["readiness"]
        payload.update(
            strongest=parts["strongest"], weakest=parts["weakest"],
            readiness={"verdict": readiness["verdict"], "levels": [_item(line) for line in readiness["levels"]],
                       "level_up": readiness["level_up"],
                       "level_up_examples": [_item(line) for line in readiness["level_up_examples"]]},
            next_steps=[_item(line) for line in parts["next_steps"]],
        )
    return payload
