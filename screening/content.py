"""The pre-screen's content (content/screening.yml): question sets, suggested bands and the recruiter's texts,
validated on load."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Tuple

from coach.content_files import ContentError, read_yaml, top_level

# Every text template and the placeholders it must use.
TEXT_FIELDS: Dict[str, Tuple[str, ...]] = {
    "invitation": ("candidate", "recruiter", "level", "count"),
    "start_button": (),
    "decline_button": (),
    "declined_notice": ("candidate", "screen_id"),
    "report_heading": ("screen_id", "candidate", "level", "question_set", "answered", "asked", "average"),
    "report_stopped": (),
    "report_partial_cancelled": (),
    "report_partial_expired": (),
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
    "report_closed_unstarted": ("screen_id", "candidate", "status"),
    "list_heading": (),
    "list_line": ("screen_id", "candidate", "level", "status", "band"),
    "list_band": ("band",),
    "list_more": ("page",),
    "list_empty": (),
    "export_comment": ("screen_id", "format"),
    "cancelled_candidate_notice": (),
    "expired_candidate_notice": (),
    "expired_unstarted_notice": ("candidate", "screen_id", "days"),
}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


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
        templates[key] = value.strip("\n").rstrip()  # leading spaces indent a report line: keep them
    for key in sorted(set(raw_texts) - set(TEXT_FIELDS)):
        raise ContentError(path, "is not a known text", "texts", key)
    return ScreeningContent(question_sets, default, tuple(bands), templates)
