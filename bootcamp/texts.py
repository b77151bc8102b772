"""The wording of content/learners.yml: every template and the placeholders it must use, checked on load."""

from pathlib import Path
from typing import Dict, Tuple

from coach.feedback import read_templates

TEMPLATE_FIELDS: Dict[str, Dict[str, Tuple[str, ...]]] = {
    "progress": {
        "nothing_yet": (),
        "heading": ("shown", "total", "date"),
        "heading_one": ("date",),
        "trend_line": ("competency", "scores", "change"),
        "single_line": ("competency", "score"),
        "change_up": ("points",),
        "change_down": ("points",),
        "change_none": (),
        "missed_heading": (),
        "missed_line": ("criterion", "question", "missed", "answered", "tip"),
        "nothing_missed": (),
        "closing": (),
        "returning": (),
        "button": (),
    },
    "drill": {
        "no_history": (),
        "intro": ("count", "level", "competencies"),
        "brought_back_heading": (),
        "brought_back_line": ("question", "score", "date"),
        "how": (),
        "button": (),
    },
    "retry": {
        "nothing": (),
        "interview_over": (),
        "not_in_screen": (),
        "reopen": ("number", "competency", "score", "question_text"),
        "reprompt": ("number",),
        "change": ("number", "before", "after", "band"),
        "newly_covered": ("criterion", "evidence"),
        "nothing_new": (),
        "still_missing": ("criterion", "tip"),
        "lost": ("criterion",),
        "all_covered": (),
        "kept": ("score",),
        "after_interview": (),
    },
    "employer": {
        "ask": (),
        "skip_button": (),
        "skipped": (),
        "covered_heading": (),
        "covered_line": ("theme", "quote"),
        "none_covered": (),
        "missed_heading": (),
        "missed_line": ("theme", "question", "reveals"),
        "all_covered": (),
        "closing": (),
    },
    "cohort": {
        "join_usage": (),
        "join_unknown": ("code",),
        "join_consent": ("cohort", "who"),
        "who_named": ("name",),
        "who_anonymous": ("code",),
        "join_button": ("cohort",),
        "stay_out_button": (),
        "joined": ("cohort",),
        "already_in": ("cohort",),
        "renamed": ("cohort", "name"),
        "declined": ("cohort",),
        "nothing_pending": (),
        "none": (),
        "classes": ("cohorts",),
        "anonymous_learner": ("number",),
    },
    "assignment": {
        "offer": ("cohort", "title", "count", "level", "due"),
        "offer_focused": ("cohort", "title", "count", "level", "competencies", "due"),
        "button": ("title",),
        "starting": ("title", "count", "level"),
        "gone": (),
    },
    "deletion": {
        "confirm": ("interviews", "answers", "cohorts", "conversations"),
        "no_cohort": (),
        "confirm_button": (),
        "keep_button": (),
        "done": ("interviews", "answers", "cohorts", "conversations"),
        "instructor_note": (),
        "kept": (),
        "nothing_pending": (),
        "screen_open": (),
        "screens_stay": (),
    },
}


class LearnerTexts:
    """texts("progress", "heading", shown=3, total=5, date="2026-11-27")"""

    def __init__(self, templates: Dict[str, Dict[str, str]]):
        self._templates = templates

    def __call__(self, section: str, key: str, **values) -> str:
        return self._templates[section][key].format(**values)


def load_learner_texts(path: Path) -> LearnerTexts:
    return LearnerTexts(read_templates(path, TEMPLATE_FIELDS))
