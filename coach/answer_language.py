"""Word lists that read how an answer is written (function words, filler, hypotheticals, STAR cues, empathy...).

The lists live in content/answer_language.yml. Each list becomes one case-insensitive pattern that matches whole
words or phrases; "apolog*" matches any word starting with "apolog".
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Pattern, Sequence

from coach.content_files import ContentError, read_yaml, top_level

STAR_PARTS = ("situation", "task", "action", "result")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%")
PHRASE_LISTS = ("negations", "hypothetical_markers", "behavioural_openers", "measurable_units", "time_references",
                "empathy_cues", "dismissive_cues", "feedback_cues", "no_feedback_cues", "vague_measure_cues",
                "criterion_openers", "jargon")


def words(text: str) -> List[str]:
    """Lower-cased words of a text (apostrophes kept inside words: "didn't"); '%' counts as a word."""
    return _WORD.findall((text or "").lower().replace("’", "'"))


def plain_words(text: str) -> str:
    """The text's words alone, lower-case, one space apart: what two messages must share to count as the same
    ("Skip!" and "skip", "I don’t know" and "I dont know")."""
    return " ".join(re.sub(r"[^\w\s]+", " ", (text or "").lower().replace("'", "").replace("’", "")).split())


def phrase_pattern(phrases: Sequence[str]) -> Pattern:
    """One pattern for a list of phrases: whole words only, '*' at the end of a word for any ending."""
    alternatives = []
    for phrase in sorted(phrases, key=len, reverse=True):
        parts = []
        for word in phrase.lower().split():
            wildcard = word.endswith("*")
            word = re.escape(word.rstrip("*").replace("’", "'"))
            parts.append(word + (r"[\w']*" if wildcard else ""))
        body = r"\s+".join(parts)
        start = r"(?<![\w'])" if re.match(r"\w", phrase) else ""
        end = "" if phrase.endswith("*") or not re.search(r"\w$", phrase) else r"(?![\w])"
        alternatives.append(start + body + end)
    return re.compile("|".join(alternatives), re.IGNORECASE)


@dataclass(frozen=True)
class AnswerLanguage:
    function_words: FrozenSet[str]
    filler_words: FrozenSet[str]
    patterns: Dict[str, Pattern]  # one per PHRASE_LISTS entry
    star: Dict[str, Pattern]  # one per STAR part

    def find(self, list_name: str, text: str) -> List[str]:
        """The phrases of a list found in a text, in order (as the candidate wrote them)."""
        return [match.group(0) for match in self.patterns[list_name].finditer(text.replace("’", "'"))]

    def has(self, list_name: str, text: str) -> bool:
        return self.patterns[list_name].search(text.replace("’", "'")) is not None


def load_answer_language(path: Path) -> AnswerLanguage:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("function_words", "filler_words", "star") + PHRASE_LISTS)
    star_raw = root.raw.get("star")
    if not isinstance(star_raw, dict) or set(star_raw) != set(STAR_PARTS):
        raise ContentError(path, f"must be a mapping with exactly: {', '.join(STAR_PARTS)}", field="star")
    star = {}
    for part in STAR_PARTS:
        cues = star_raw[part]
        if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c.strip() for c in cues):
            raise ContentError(path, "must be a list of non-empty texts", item_id="star", field=part)
        star[part] = phrase_pattern(cues)
    return AnswerLanguage(
        function_words=frozenset(w.lower() for w in root.texts("function_words")),
        filler_words=frozenset(w.lower() for w in root.texts("filler_words")),
        patterns={name: phrase_pattern(root.texts(name)) for name in PHRASE_LISTS},
        star=star,
    )
