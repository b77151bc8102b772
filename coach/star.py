"""Behavioural answers: which STAR parts (situation, task, action, result) an answer has, whether its result is
measurable, and whether it is told in the hypothetical ("I would...") instead of as a real example.

Read per sentence from the cue lists in content/answer_language.yml: plain and predictable, so the feedback can
quote the sentence that shows each part and name the one that is missing.
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from coach.answer_language import STAR_PARTS, AnswerLanguage
from coach.matching import NUMBER
from coach.scoring_parameters import ScoringParameters

# First person plus a past-tense verb ("I called", "we rolled out"): the mark of a real example.
PAST_NARRATIVE = re.compile(
    r"\b(i|we|my team|our team)\b(\s+\w+){0,3}?\s+(\w+ed|did|made|took|gave|led|ran|set|built|wrote|spoke|told|"
    r"sent|met|found|got|had|was|were|began|kept|went|came|saw|chose|felt|brought|sat|held|won|lost|paid|knew|"
    r"thought|said|put|cut|left|heard|understood|drew|fell|rose|grew|sold|bought|taught|caught|meant)\b",
    re.IGNORECASE,
)
# "I call the customer, I explain...": a story told in the present, as many non-native speakers tell one.
PRESENT_ACTION = re.compile(
    r"\b(i|we)\s+(call|explain|check|ask|tell|give|offer|send|say|listen|apologi[sz]e|escalate|refund|fix|find|"
    r"talk|speak|contact|follow|write|decide|propose|organi[sz]e|meet|take|make|go|see|start|change|create)s?\b",
    re.IGNORECASE,
)
_SCORE = re.compile(r"\b(?:nps|csat|ces|score|scores|rating|ratings|stars?|out of)\b|\bwithin\s+(?:\w+\s+){1,2}?"
                    r"(?:minutes|hours|days|weeks)\b", re.IGNORECASE)
_FROM_TO = re.compile(r"\bfrom\b[^.]{0,40}\bto\b", re.IGNORECASE)


@dataclass(frozen=True)
class StarReading:
    parts: Dict[str, Optional[str]]  # part -> the candidate's sentence that shows it, or None
    measurable: Optional[str]  # the sentence with a measurable result (a number, a before/after), or None
    hypothetical: bool  # told as what one would do, not what happened
    hypothetical_quote: Optional[str] = None
    score: float = 0.0  # 0..1: share of parts shown, with a share reserved for a measurable result
    missing: List[str] = field(default_factory=list)

    def to_dict(self) -> Dict:
        return {"parts": dict(self.parts), "missing": list(self.missing), "measurable_result": self.measurable,
                "hypothetical": self.hypothetical, "hypothetical_quote": self.hypothetical_quote,
                "score": round(self.score, 4)}


def is_behavioural_question(question_text: str, language: AnswerLanguage) -> bool:
    """'Tell me about a time...', 'Describe a situation...': questions that ask for a real example."""
    return language.has("behavioural_openers", question_text or "")


def read_star(sentences: Sequence[str], language: AnswerLanguage, parameters: ScoringParameters) -> StarReading:
    parts: Dict[str, Optional[str]] = {part: None for part in STAR_PARTS}
    for sentence in sentences:
        for part in STAR_PARTS:
            if parts[part] is None and language.star[part].search(sentence.replace("’", "'")):
                parts[part] = sentence
    narrative = [s for s in sentences if PAST_NARRATIVE.search(s) or PRESENT_ACTION.search(s)]
    if parts["action"] is None and narrative:
        parts["action"] = narrative[0]
    if parts["situation"] is None and len(narrative) >= 2:
        parts["situation"] = narrative[0]  # a story told in the past sets its own scene
    # A measured result: a number with a unit or a score, after the opening sentence (which sets the scene), in a
    # sentence that reads as a result, names a score or gives a time to resolve ("a 9 on NPS", "from 72 to 85
    # percent", "refunded within 48 hours"; not "called her back two days later").
    measurable = None
    for sentence in sentences[1:] or sentences:
        if NUMBER.search(sentence) and (language.has("measurable_units", sentence) or _FROM_TO.search(sentence)) \
                and (language.star["result"].search(sentence) or _SCORE.search(sentence)):
            measurable = sentence
            break
    if measurable and parts["result"] is None:
        parts["result"] = measurable
    hypothetical_sentences = [s for s in sentences if language.has("hypothetical_markers", s)]
    told = len(hypothetical_sentences) + len(narrative)
    hypothetical = bool(hypothetical_sentences) and len(hypothetical_sentences) / told >= parameters.hypothetical_share
    shown = sum(1 for part in STAR_PARTS if parts[part])
    bonus = parameters.measurable_bonus
    score = (shown / len(STAR_PARTS)) * (1 - bonus) + (bonus if measurable else 0)
    return StarReading(
        parts=parts,
        measurable=measurable,
        hypothetical=hypothetical,
        hypothetical_quote=hypothetical_sentences[0] if hypothetical else None,
        score=score,
        missing=[part for part in STAR_PARTS if not parts[part]],
    )
