"""The recruiter's report on a finished screen, as plain data (JSON-ready): per question, competency profile, level
readiness and a suggested band.

A screen reuses the practice interview's core: the same questions, the same assessment of each answer (the result
records the interview form keeps), and the summary's level readings. Records are read defensively (`.get` with
defaults), because the scorer may add fields (STAR parts, quoted red flags, readiness) that this module passes on.
"""

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence

from coach.question_bank import QuestionBank
from screening.content import Band, ScreeningContent
from screening.store import CLOSED_STATUSES


def iso_utc(moment: Any) -> Optional[str]:
    """A time as ISO 8601 in UTC (2026-11-27T14:56:27Z): seconds since the epoch are converted, text is kept."""
    if isinstance(moment, (int, float)):
        return datetime.fromtimestamp(moment, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment or None


def _criterion_texts(question) -> Dict[str, str]:
    return {criterion.id: criterion.text for criterion in question.criteria} if question else {}


def _red_flags(record: Dict, bank: QuestionBank) -> List[Dict[str, Any]]:
    """Red flags as {id, name, explanation, quote}, whether the record holds ids or richer mappings."""
    flags = []
    for raw in record.get("red_flags") or []:
        flag_id = raw if isinstance(raw, str) else (raw.get("id") if isinstance(raw, dict) else None)
        flag = bank.red_flags.get(flag_id) if flag_id else None
        flags.append({
            "id": flag_id,
            "name": flag.name if flag else str(flag_id),
            "explanation": (raw.get("reason") if isinstance(raw, dict) else None) or (flag.explanation if flag else ""),
            "quote": raw.get("quote") or raw.get("evidence") if isinstance(raw, dict) else None,
        })
    return flags


def question_entry(record: Dict, bank: QuestionBank) -> Dict[str, Any]:
    question = bank.questions.get(record.get("question_id"))
    criteria = _criterion_texts(question)
    covered = []
    for item in record.get("covered") or []:
        criterion_id = item.get("id") if isinstance(item, dict) else item
        covered.append({"criterion": criteria.get(criterion_id, str(criterion_id)),
                        "evidence": item.get("evidence") if isinstance(item, dict) else None})
    missing = [criteria.get(m.get("id") if isinstance(m, dict) else m, str(m)) for m in record.get("missing") or []]
    entry = {
        "number": record.get("number"),
        "question_id": record.get("question_id"),
        "question": question.text if question else record.get("question_id"),
        "competency": bank.competencies[question.competency].name if question else None,
        "status": record.get("status", "answered"),
        "score": record.get("score") if isinstance(record.get("score"), (int, float)) else None,
        "answer": record.get("answer"),
        "covered": covered,
        "missing": missing,
        "red_flags": _red_flags(record, bank),
    }
    # Richer fields a newer scorer may add (STAR parts, readiness per answer, ...) go through unchanged.
    known = {"question_id", "number", "status", "answer", "score", "covered", "missing", "red_flags"}
    extra = {key: value for key, value in record.items() if key not in known}
    if extra:
        entry["details"] = extra
    return entry


def suggest_band(bands: Sequence[Band], average: float, answered_share: float, level_ready: bool,
                 red_flag_share: float) -> Band:
    for band in bands:
        if (average >= band.min_average and answered_share >= band.min_answered_share
                and (level_ready or not band.requires_level_ready) and red_flag_share <= band.max_red_flag_share):
            return band
    return bands[-1]


def build_report(screen: Dict[str, Any], results: Sequence[Dict], coach, content: ScreeningContent) -> Dict[str, Any]:
    """The recruiter's report, as plain data (JSON-ready): what the text, JSON and CSV exports are made from.

    `coach` is the practice interview's Coach: its bank names questions and criteria, its summary writer reads the
    experience indicators of each level from the answers.
    """
    bank = coach.bank
    plan = list(screen.get("plan") or [])
    by_question = {record.get("question_id"): record for record in results}
    questions = []
    for number, question_id in enumerate(plan, start=1):
        record = by_question.get(question_id) or {"question_id": question_id, "number": number, "status": "not_reached"}
        questions.append(question_entry(record, bank))
    answered = [q for q in questions if q["status"] == "answered" and q["score"] is not None]
    # The candidate's summary draws its conclusions from the same profile: the same averages, the same verdict.
    profile = coach.interview_profile([record for record in results if record.get("question_id") in plan],
                                      screen["level"])
    average = profile["average"] or 0.0
    level = screen["level"]
    reading = next((entry for entry in profile["readiness"]["levels"] if entry["level"] == level), None)
    met = [indicator["name"] for indicator in reading["met"]] if reading else []
    total = reading["total"] if reading else 0
    level_ready = bool(reading and reading["ready"])

    flagged = sum(1 for q in answered if q["red_flags"])
    band = suggest_band(content.bands, average, len(answered) / len(plan) if plan else 0.0, level_ready,
                        flagged / len(answered) if answered else 1.0)
    return {
        "screen_id": screen["screen_id"],
        "candidate_id": screen["candidate_id"],
        "recruiter_id": screen["recruiter_id"],
        "level": level,
        "level_name": bank.levels[level].name if level in bank.levels else level,
        "question_set": screen.get("question_set"),
        "status": screen.get("status"),
        # Cancelled or expired before the candidate finished: what was answered, the rest "not reached".
        "partial": screen.get("status") in CLOSED_STATUSES,
        "created_at": iso_utc(screen.get("created_at")),
        "finished_at": iso_utc(screen.get("finished_at")),
        "questions_asked": len(plan),
        "questions_answered": len(answered),
        "average_score": round(average, 3),
        "questions": questions,
        "competency_profile": {entry["name"]: round(entry["score"], 3) for entry in profile["competencies"]},
        "level_readiness": {"level": level, "indicators_met": met, "indicators_total": total, "ready": level_ready},
        "suggested_band": {"id": band.id, "label": band.label, "meaning": band.meaning},
    }
