"""Feedback after an answer: the score, what was covered (with the candidate's sentence), what is missing, metrics
the answer left out, red flags, and a follow-up question aimed at the gap. Wording comes from content/feedback.yml."""

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from actions.content_files import ContentError, read_yaml, top_level
from actions.cx_metrics import CxMetric, MetricMention
from actions.question_bank import Question
from actions.red_flags import RaisedFlag
from actions.scoring import AnswerAssessment

# Every template and the placeholders it must use; the loader rejects a file that drifts from this.
TEMPLATE_FIELDS: Dict[str, Dict[str, Tuple[str, ...]]] = {
    "answer": {
        "score": ("score",),
        "covered_heading": ("count", "total"),
        "covered_item": ("criterion", "evidence"),
        "nothing_covered": (),
        "missing_heading": (),
        "missing_item": ("criterion", "tip"),
        "all_covered": (),
        "metrics_none": (),
        "metrics_some": ("found",),
        "metric_line": ("abbreviation", "name", "measures"),
        "metric_described": ("abbreviation", "sentence"),
        "red_flag": ("name", "explanation"),
        "trimmed": ("length", "limit"),
        "not_english": (),
        "follow_up": ("follow_up",),
    },
    "summary": {
        "heading": ("level", "answered", "asked", "average"),
        "nothing_answered": (),
        "questions_heading": (),
        "question_line": ("number", "competency", "score", "text"),
        "skipped_line": ("number", "competency", "text"),
        "competencies_heading": (),
        "competency_line": ("competency", "score"),
        "strongest": ("competency", "score"),
        "weakest": ("competency", "score"),
        "levels_heading": (),
        "level_line": ("level", "years", "met", "total", "names"),
        "level_line_none": ("level", "years"),
        "level_verdict": ("level",),
        "level_verdict_none": (),
        "next_steps_heading": (),
        "next_step_criterion": ("question", "tip"),
        "next_step_metrics": (),
        "next_step_level_up": ("level",),
        "next_step_skipped": (),
        "next_step_ask_employer": ("question",),
        "closing": (),
    },
}
EVIDENCE_MAX_CHARS = 220


class Texts:
    """The wording of feedback and summaries: texts.answer('score', score=80)."""

    def __init__(self, templates: Dict[str, Dict[str, str]]):
        self._templates = templates

    def answer(self, key: str, **values) -> str:
        return self._templates["answer"][key].format(**values)

    def summary(self, key: str, **values) -> str:
        return self._templates["summary"][key].format(**values)


def load_texts(path: Path) -> Texts:
    path = Path(path)
    root = top_level(path, read_yaml(path), TEMPLATE_FIELDS.keys())
    templates: Dict[str, Dict[str, str]] = {}
    for section, fields in TEMPLATE_FIELDS.items():
        raw = root.raw[section]
        if not isinstance(raw, dict):
            raise ContentError(path, "must be a mapping of templates", field=section)
        for key in sorted(set(raw) - set(fields)):
            raise ContentError(path, "is not a known template", item_id=section, field=key)
        templates[section] = {}
        for key, placeholders in fields.items():
            template = raw.get(key)
            if not isinstance(template, str) or not template.strip():
                raise ContentError(path, "must be non-empty text", item_id=section, field=key)
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            if used != set(placeholders):
                expected = ", ".join("{" + p + "}" for p in placeholders) or "no placeholders"
                raise ContentError(path, f"must use exactly {expected}", item_id=section, field=key)
            templates[section][key] = template.strip()
    return Texts(templates)


@dataclass(frozen=True)
class QuestionAssessment:
    """Everything the coach concluded about one answer to one bank question."""

    question: Question
    assessment: AnswerAssessment
    metrics_found: Dict[str, MetricMention]
    metrics_missing: List[CxMetric]
    red_flags: List[RaisedFlag]
    answer_length: int
    scored_limit: int
    follow_up: Optional[str]  # a follow-up question aimed at the most important gap, if there is one
    english: bool = True  # False when the answer looks like another language (the model only reads English well)

    @property
    def score_percent(self) -> int:
        return round(self.assessment.score * 100)


def shorten(sentence: str, limit: int = EVIDENCE_MAX_CHARS) -> str:
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def compose_answer_feedback(result: QuestionAssessment, texts: Texts) -> str:
    lines: List[str] = [texts.answer("score", score=result.score_percent)]
    assessment = result.assessment
    covered, missing = assessment.covered, assessment.missing
    if covered:
        lines.append(texts.answer("covered_heading", count=len(covered), total=len(assessment.criteria)))
        for item in covered:
            lines.append(texts.answer("covered_item", criterion=item.criterion.text, evidence=shorten(item.evidence)))
    else:
        lines.append(texts.answer("nothing_covered"))
    if missing:
        lines.append(texts.answer("missing_heading"))
        for item in missing:
            lines.append(texts.answer("missing_item", criterion=item.criterion.text, tip=item.criterion.tip))
    else:
        lines.append(texts.answer("all_covered"))

    if result.question.checks_metrics and result.metrics_missing:
        if result.metrics_found:
            found = ", ".join(mention.metric.abbreviation for mention in result.metrics_found.values())
            lines.append(texts.answer("metrics_some", found=found))
        else:
            lines.append(texts.answer("metrics_none"))
        for metric in result.metrics_missing:
            lines.append(texts.answer("metric_line", abbreviation=metric.abbreviation, name=metric.name,
                                      measures=metric.measures))
    for mention in result.metrics_found.values():
        if mention.how == "description":
            lines.append(texts.answer("metric_described", abbreviation=mention.metric.abbreviation,
                                      sentence=shorten(mention.sentence)))

    for raised in result.red_flags:
        lines.append(texts.answer("red_flag", name=raised.flag.name, explanation=raised.flag.explanation))
    if not result.english:
        lines.append(texts.answer("not_english"))
    if assessment.trimmed:
        lines.append(texts.answer("trimmed", length=f"{result.answer_length:,}", limit=f"{result.scored_limit:,}"))
    if result.follow_up:
        lines.append(texts.answer("follow_up", follow_up=result.follow_up))
    return "\n".join(lines)
