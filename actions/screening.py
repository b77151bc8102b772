"""Recruiter pre-screening: its settings, content (question sets, bands, texts), the recruiter allowlist, reading
recruiter commands, and turning a screen's answers into the recruiter's report. No Rasa import.

A screen reuses the practice interview's core: the same questions, the same assessment of each answer (the result
records the interview form keeps), and the summary's level readings. Records are read defensively (`.get` with
defaults), because the scorer may add fields (STAR parts, quoted red flags, readiness) that this module passes on.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Tuple

from actions.content_files import ContentError, read_yaml, top_level
from actions.interview import plan_questions, read_level
from actions.question_bank import QuestionBank
from actions.settings import PROJECT_ROOT
from actions.summary import LEVEL_VERDICT_SHARE

# Every text template and the placeholders it must use.
TEXT_FIELDS: Dict[str, Tuple[str, ...]] = {
    "invitation": ("candidate", "recruiter", "level", "count"),
    "start_button": (),
    "decline_button": (),
    "declined_notice": ("candidate", "screen_id"),
    "report_heading": ("screen_id", "candidate", "level", "question_set", "answered", "asked", "average"),
    "report_stopped": (),
    "report_question": ("number", "competency", "question"),
    "report_score": ("score",),
    "report_answer": ("answer",),
    "report_covered": ("criterion", "evidence"),
    "report_missing": ("criterion",),
    "report_red_flag": ("name", "explanation"),
    "report_skipped": (),
    "report_not_reached": (),
    "report_competencies": ("profile",),
    "report_competency": ("competency", "score"),
    "report_readiness_ready": ("level", "met", "total", "names"),
    "report_readiness_partly": ("level", "met", "total", "names"),
    "report_readiness_none": ("level", "total"),
    "report_band": ("band", "meaning"),
    "report_exports": ("screen_id",),
    "report_pending": ("screen_id", "candidate", "status"),
    "report_declined": ("candidate", "screen_id"),
    "list_heading": (),
    "list_line": ("screen_id", "candidate", "level", "status", "band"),
    "list_band": ("band",),
    "list_empty": (),
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SCREEN_ID = re.compile(r"\bS[0-9A-F]{6}\b", re.IGNORECASE)
EXPORT_FORMATS = ("json", "csv")


# --- settings --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScreeningSettings:
    """Where screens are kept, who may run them, and how to reach Slack. All from the environment.

    | variable | default |
    | --- | --- |
    | SCREEN_DB | screens.db next to TRACKER_DB, else .rasa/screens.db |
    | CX_COACH_RECRUITERS_FILE | recruiters.yml at the project root |
    | CX_COACH_RECRUITERS | (none) extra recruiter Slack ids, comma-separated |
    | SLACK_BOT_TOKEN | (none) without it screens cannot be sent |
    | SLACK_API_URL | https://slack.com/api/ |
    """

    db_path: Path
    recruiters_file: Path
    extra_recruiters: Tuple[str, ...]
    slack_token: Optional[str]
    slack_api_url: str
    content_path: Path


def screen_db_path() -> Path:
    if os.environ.get("SCREEN_DB"):
        return Path(os.environ["SCREEN_DB"])
    if os.environ.get("TRACKER_DB"):
        return Path(os.environ["TRACKER_DB"]).parent / "screens.db"
    return PROJECT_ROOT / ".rasa" / "screens.db"


def load_screening_settings() -> ScreeningSettings:
    content_dir = Path(os.environ.get("CX_COACH_CONTENT_DIR", PROJECT_ROOT / "content"))
    return ScreeningSettings(
        db_path=screen_db_path(),
        recruiters_file=Path(os.environ.get("CX_COACH_RECRUITERS_FILE", PROJECT_ROOT / "recruiters.yml")),
        extra_recruiters=tuple(i.strip() for i in os.environ.get("CX_COACH_RECRUITERS", "").split(",") if i.strip()),
        slack_token=os.environ.get("SLACK_BOT_TOKEN") or None,
        slack_api_url=os.environ.get("SLACK_API_URL") or "https://slack.com/api/",
        content_path=content_dir / "screening.yml",
    )


# --- the recruiter allowlist -----------------------------------------------------------------------------------------

def load_recruiters(path: Path, extra: Sequence[str] = ()) -> FrozenSet[str]:
    """The Slack user ids allowed to start screens and read reports. A missing file means no recruiters."""
    ids = set()
    if Path(path).exists():
        root = top_level(path, read_yaml(path), ["recruiters"])
        raw = root.raw["recruiters"] or []
        if not isinstance(raw, list):
            raise ContentError(path, "must be a list of {slack_id, name}", field="recruiters")
        for position, entry in enumerate(raw, start=1):
            slack_id = entry.get("slack_id") if isinstance(entry, dict) else entry
            if not isinstance(slack_id, str) or not _SLACK_USER_ID.match(slack_id):
                raise ContentError(path, "must be a Slack user id such as U0123ABC", f"#{position}", "slack_id")
            ids.add(slack_id)
    for slack_id in extra:
        if not _SLACK_USER_ID.match(slack_id):
            raise ValueError(f"CX_COACH_RECRUITERS: '{slack_id}' is not a Slack user id such as U0123ABC")
        ids.add(slack_id)
    return frozenset(ids)


def is_recruiter(user_id: Optional[str], settings: ScreeningSettings) -> bool:
    # Read at every request so that editing the list needs no restart; the file is a few lines.
    return bool(user_id) and user_id in load_recruiters(settings.recruiters_file, settings.extra_recruiters)


# --- content ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionSet:
    id: str
    count: int
    description: str


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    meaning: str
    min_average: float
    min_answered_share: float = 0.0
    requires_level_ready: bool = False
    max_red_flag_share: float = 1.0


@dataclass(frozen=True)
class ScreeningContent:
    question_sets: Dict[str, QuestionSet]
    default_question_set: str
    bands: Tuple[Band, ...]
    templates: Dict[str, str]

    def text(self, key: str, **values: Any) -> str:
        return self.templates[key].format(**values)


def load_screening_content(path: Path) -> ScreeningContent:
    path = Path(path)
    root = top_level(path, read_yaml(path), ["default_question_set", "question_sets", "bands", "texts"])
    question_sets = {}
    for record in root.records("question_sets", ["id", "count", "description"]):
        count = record.number("count")
        if int(count) != count or not 1 <= count <= 10:
            raise record.error("count", "must be a whole number from 1 to 10")
        question_sets[record.text("id")] = QuestionSet(record.text("id"), int(count), record.text("description"))
    default = root.text("default_question_set")
    if default not in question_sets:
        raise root.error("default_question_set", f"'{default}' is not one of the question_sets")

    bands = []
    conditions = ("min_answered_share", "requires_level_ready", "max_red_flag_share")
    for record in root.records("bands", ["id", "label", "meaning", "min_average"], conditions, minimum=2):
        shares = {field: record.number(field) for field in ("min_average", "min_answered_share", "max_red_flag_share")
                  if field in record.raw}
        for field, value in shares.items():
            if not 0 <= value <= 1:
                raise record.error(field, "must be between 0 and 1")
        bands.append(Band(record.text("id"), record.text("label"), record.text("meaning"), **shares,
                          requires_level_ready=record.flag("requires_level_ready")))
    if bands[-1].min_average != 0 or any(field in root.raw["bands"][-1] for field in conditions):
        raise ContentError(path, "the last band must fit every screen (min_average 0, no other condition)",
                           bands[-1].id, "min_average")
    if any(band.id == "reject" for band in bands):
        raise ContentError(path, "a band suggests, it never rejects", "reject", "id")

    raw_texts = root.raw["texts"]
    if not isinstance(raw_texts, dict):
        raise ContentError(path, "must be a mapping of templates", field="texts")
    templates = {}
    for key, fields in TEXT_FIELDS.items():
        value = raw_texts.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(path, "is missing or empty", "texts", key)
        used = set(_PLACEHOLDER.findall(value))
        if used != set(fields):
            raise ContentError(path, f"must use the placeholders {sorted(fields)}, uses {sorted(used)}", "texts", key)
        templates[key] = value.strip()
    for key in sorted(set(raw_texts) - set(TEXT_FIELDS)):
        raise ContentError(path, "is not a known text", "texts", key)
    return ScreeningContent(question_sets, default, tuple(bands), templates)


# --- recruiter commands ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScreenRequest:
    candidate_id: str
    level: str
    question_set: QuestionSet


def read_screen_request(text: str, bank: QuestionBank, content: ScreeningContent) -> Optional[ScreenRequest]:
    """'screen <@U123> mid short' -> who, which level, which set; None when the mention or the level is missing."""
    mention = _MENTION.search(text or "")
    if not mention:
        return None
    rest = (text[: mention.start()] + " " + text[mention.end():]).lower()
    words = re.findall(r"[\w-]+", rest)
    question_set = next((content.question_sets[w] for w in words if w in content.question_sets),
                        content.question_sets[content.default_question_set])
    level = next((w for w in words if w in bank.levels), None) or read_level(rest, bank)
    if level is None:
        return None
    return ScreenRequest(mention.group(1), level, question_set)


def read_report_request(text: str) -> Tuple[Optional[str], Optional[str]]:
    """'export S1A2B3C csv' -> ('S1A2B3C', 'csv'); 'screen report S1A2B3C' -> ('S1A2B3C', None)."""
    found = SCREEN_ID.search(text or "")
    words = set(re.findall(r"\w+", (text or "").lower()))
    export_format = next((f for f in EXPORT_FORMATS if f in words), None)
    return (found.group(0).upper() if found else None), export_format


def plan_screen(bank: QuestionBank, request: ScreenRequest, screen_id: str) -> List[str]:
    return plan_questions(bank, request.level, request.question_set.count, seed=f"screen:{screen_id}")


# --- the report ------------------------------------------------------------------------------------------------------

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
    average = sum(q["score"] for q in answered) / len(answered) if answered else 0.0

    competencies: Dict[str, List[float]] = {}
    for entry in answered:
        competencies.setdefault(entry["competency"], []).append(entry["score"])
    profile = {name: round(sum(scores) / len(scores), 3) for name, scores in competencies.items()}

    level = screen["level"]
    readings = coach.summary_writer.level_readings([q["answer"] for q in answered if q["answer"]])
    reading = next((r for r in readings if r.level == level), None)
    met = list(reading.met) if reading else []
    total = reading.total if reading else 0
    level_ready = bool(total) and len(met) >= LEVEL_VERDICT_SHARE * total

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
        "created_at": screen.get("created_at"),
        "finished_at": screen.get("finished_at"),
        "questions_asked": len(plan),
        "questions_answered": len(answered),
        "average_score": round(average, 3),
        "questions": questions,
        "competency_profile": profile,
        "level_readiness": {"level": level, "indicators_met": met, "indicators_total": total, "ready": level_ready},
        "suggested_band": {"id": band.id, "label": band.label, "meaning": band.meaning},
    }
