"""Feedback after an answer: the score and band, why an answer earned nothing (gaming), what was covered (with the
candidate's words), what is missing, STAR parts, CX concepts the answer left out, red flags with the words that show
them, and a follow-up question aimed at the gap. Wording comes from content/feedback.yml."""

import string
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from coach.assessment import FollowUpOutcome, QuestionAssessment
from coach.content_files import ContentError, read_yaml, top_level
from coach.red_flags import RaisedFlag

# Every template and the placeholders it must use; the loader rejects a file that drifts from this.
TEMPLATE_FIELDS: Dict[str, Dict[str, Tuple[str, ...]]] = {
    "answer": {
        "score": ("score", "band"),
        "band_strong": (),
        "band_partial": (),
        "band_weak": (),
        "verdict_strong": ("covered", "total"),
        "verdict_partial": ("covered", "total"),
        "verdict_weak": ("covered", "total"),
        "gaming_keyword_list": ("detail",),
        "gaming_copied_question": (),
        "gaming_filler": ("detail",),
        "gaming_gibberish": ("detail",),
        "gaming_too_short": ("detail",),
        "covered_heading": ("count", "total"),
        "covered_item": ("criterion", "evidence"),
        "nothing_covered": (),
        "unsure_heading": (),
        "unsure_item": ("criterion", "evidence", "tip"),
        "missing_heading": (),
        "missing_item": ("criterion", "tip"),
        "misdefinition": ("quote", "abbreviation", "name", "meaning"),
        "doubtful": ("quote",),
        "misdefinition_cap": (),
        "all_covered": (),
        "concepts_none": (),
        "concepts_some": ("found",),
        "concept_line": ("abbreviation", "name", "meaning"),
        "concept_described": ("abbreviation", "sentence"),
        "star_parts": ("shown", "missing"),
        "star_complete": (),
        "star_not_measurable": (),
        "star_hypothetical": ("quote",),
        "red_flag_quote": ("name", "quote", "explanation"),
        "red_flag_absent": ("name", "absence", "explanation"),
        "absent_no_metrics": (),
        "absent_no_empathy": (),
        "absent_no_feedback_practice": (),
        "absent_no_example": (),
        "trimmed": ("length", "limit"),
        "not_english": (),
        "follow_up": ("follow_up",),
        "follow_up_from_tip": ("tip",),
        "follow_up_counted": (),
        "follow_up_ignored": (),
        "follow_up_change": ("before", "after", "band"),
        "follow_up_newly_covered": ("criterion", "evidence"),
        "follow_up_nothing_new": (),
        "follow_up_still_missing": ("criteria",),
        "follow_up_all_covered": (),
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
        "level_verdict_low_score": ("level", "score"),
        "level_verdict_none": (),
        "level_up": ("level", "indicators"),
        "level_up_example": ("indicator", "example"),
        "level_top": (),
        "next_steps_heading": (),
        "next_step_criterion": ("question", "tip"),
        "next_step_concepts": ("concepts",),
        "next_step_star": (),
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
    return Texts(read_templates(path, TEMPLATE_FIELDS))


def read_templates(path: Path, template_fields: Dict[str, Dict[str, Tuple[str, ...]]]) -> Dict[str, Dict[str, str]]:
    """The templates of a wording file, section by section: every template of `template_fields` present, none
    other, each using exactly its placeholders."""
    path = Path(path)
    root = top_level(path, read_yaml(path), template_fields.keys())
    templates: Dict[str, Dict[str, str]] = {}
    for section, fields in template_fields.items():
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
    return templates


def shorten(sentence: str, limit: int = EVIDENCE_MAX_CHARS) -> str:
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def red_flag_line(raised: RaisedFlag, texts: Texts) -> str:
    if raised.quote:
        return texts.answer("red_flag_quote", name=raised.flag.name, quote=shorten(raised.quote).rstrip(".!?"),
                            explanation=raised.flag.explanation)
    return texts.answer("red_flag_absent", name=raised.flag.name, absence=texts.answer(f"absent_{raised.flag.id}"),
                        explanation=raised.flag.explanation)


def quote(evidence: str) -> str:
    """The candidate's words, shortened, with a sentence pair's line break shown as an ellipsis."""
    return shorten(evidence.replace("\n", " … "))


def compose_follow_up_feedback(outcome: FollowUpOutcome, texts: Texts) -> str:
    """After the reply to a follow-up: the score before and after, the points the reply added, what is still missing.
    Not the first feedback again: the candidate has read it."""
    kept = outcome.kept.assessment
    lines = [texts.answer("follow_up_change", before=outcome.before.score_percent, after=outcome.kept.score_percent,
                          band=texts.answer(f"band_{kept.band}"))]
    newly = outcome.newly_covered
    for item in newly:
        lines.append(texts.answer("follow_up_newly_covered", criterion=item.criterion.text,
                                  evidence=quote(item.evidence)))
    if not newly:
        lines.append(texts.answer("follow_up_nothing_new"))
    if kept.missing:
        lines.append(texts.answer("follow_up_still_missing",
                                  criteria="; ".join(item.criterion.tip for item in kept.missing)))
    else:
        lines.append(texts.answer("follow_up_all_covered"))
    lines.extend(misdefinition_lines(kept.misdefinitions, texts, kept.doubtful))
    lines.append(texts.answer("follow_up_counted" if outcome.counted else "follow_up_ignored"))
    return "\n".join(lines)


def verdict_line(result: QuestionAssessment, texts: Texts) -> str:
    """One plain sentence that opens the feedback card: how the answer did, or why it earned nothing."""
    assessment = result.assessment
    if assessment.gaming is not None:
        return gaming_line(assessment.gaming, texts)
    return texts.answer(f"verdict_{assessment.band}", covered=len(assessment.covered), total=len(assessment.criteria))


def gaming_line(gaming, texts: Texts) -> str:
    values = {} if gaming.kind == "copied_question" else {"detail": shorten(gaming.detail, 120)}
    return texts.answer(f"gaming_{gaming.kind}", **values)


def misdefinition_lines(misdefinitions, texts: Texts, doubtful: Sequence[str] = ()) -> List[str]:
    """The misdefinitions, each corrected, then the sentences the statement model doubts, pointed out."""
    lines = [texts.answer("misdefinition", quote=quote(wrong.sentence), abbreviation=wrong.concept.abbreviation,
                          name=wrong.concept.name, meaning=wrong.concept.meaning) for wrong in misdefinitions]
    if misdefinitions:
        lines.append(texts.answer("misdefinition_cap"))
    return lines + [texts.answer("doubtful", quote=quote(sentence)) for sentence in doubtful]


def star_lines(result: QuestionAssessment, texts: Texts) -> List[str]:
    """What a "tell me about a time" answer showed of situation, task, action and result."""
    assessment = result.assessment
    star = assessment.star
    if star is None or assessment.gaming is not None:
        return []
    if star.hypothetical:
        lines = [texts.answer("star_hypothetical", quote=shorten(star.hypothetical_quote))]
    elif star.missing:
        shown = [part for part in star.parts if star.parts[part]]
        lines = [texts.answer("star_parts", shown=", ".join(shown) or "none", missing=", ".join(star.missing))]
    else:
        lines = [texts.answer("star_complete")]
    if not star.measurable and not star.hypothetical:
        lines.append(texts.answer("star_not_measurable"))
    return lines


def described_concept_lines(result: QuestionAssessment, texts: Texts) -> List[str]:
    if result.assessment.gaming is not None:
        return []
    return [texts.answer("concept_described", abbreviation=mention.concept.abbreviation,
                         sentence=shorten(mention.sentence))
            for mention in result.concepts_found.values() if mention.how == "description"]


def reading_notes(result: QuestionAssessment, texts: Texts) -> List[str]:
    """How the answer was read: in another language, or cut because it was very long."""
    lines = [] if result.english else [texts.answer("not_english")]
    if result.assessment.trimmed:
        lines.append(texts.answer("trimmed", length=f"{result.answer_length:,}", limit=f"{result.scored_limit:,}"))
    return lines


def compose_answer_feedback(result: QuestionAssessment, texts: Texts) -> str:
    assessment = result.assessment
    lines: List[str] = [texts.answer("score", score=result.score_percent,
                                     band=texts.answer(f"band_{assessment.band}"))]
    if assessment.gaming is not None:
        lines.append(gaming_line(assessment.gaming, texts))
    covered = assessment.covered
    unsure = [item for item in assessment.missing if item.unsure]
    missing = [item for item in assessment.missing if not item.unsure]
    if covered:
        lines.append(texts.answer("covered_heading", count=len(covered), total=len(assessment.criteria)))
        for item in covered:
            lines.append(texts.answer("covered_item", criterion=item.criterion.text, evidence=quote(item.evidence)))
    elif assessment.gaming is None:
        lines.append(texts.answer("nothing_covered"))
    if unsure:
        lines.append(texts.answer("unsure_heading"))
        for item in unsure:
            lines.append(texts.answer("unsure_item", criterion=item.criterion.text, evidence=quote(item.evidence),
                                      tip=item.criterion.tip))
    if missing:
        lines.append(texts.answer("missing_heading"))
        for item in missing:
            lines.append(texts.answer("missing_item", criterion=item.criterion.text, tip=item.criterion.tip))
    elif not unsure:
        lines.append(texts.answer("all_covered"))
    lines.extend(misdefinition_lines(assessment.misdefinitions, texts, assessment.doubtful))
    lines.extend(star_lines(result, texts))

    if result.concepts_missing and assessment.gaming is None:
        expected_found = [m for cid, m in result.concepts_found.items() if cid in result.question.concepts]
        if expected_found:
            found = ", ".join(mention.concept.abbreviation for mention in expected_found)
            lines.append(texts.answer("concepts_some", found=found))
        else:
            lines.append(texts.answer("concepts_none"))
        for concept in result.concepts_missing:
            lines.append(texts.answer("concept_line", abbreviation=concept.abbreviation, name=concept.name,
                                      meaning=concept.meaning))
    lines.extend(described_concept_lines(result, texts))
    lines.extend(red_flag_line(raised, texts) for raised in result.red_flags)
    lines.extend(reading_notes(result, texts))
    if result.follow_up:
        lines.append(texts.answer("follow_up", follow_up=result.follow_up))
    return "\n".join(lines)
