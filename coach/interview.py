"""Setting up an interview (reading the level and the number of questions from free text, picking questions) and
keeping its results."""

import random
import re
from typing import Any, Dict, List, Optional

from coach.question_bank import LEVELS, QuestionBank

DEFAULT_QUESTION_COUNT = 5
MAX_QUESTION_COUNT = 10

_LEVEL_WORDS = {
    "junior": ("junior", "entry", "entry-level", "beginner", "graduate", "new", "starting", "intern", "trainee", "jr"),
    "mid": ("mid", "mid-level", "middle", "intermediate", "experienced", "specialist", "analyst"),
    "senior": ("senior", "lead", "leader", "manager", "head", "director", "principal", "executive", "vp", "sr",
               "chief"),
}
_NUMBER_WORDS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_YEARS = re.compile(r"(\d+(?:[.,]\d+)?|\b(?:" + "|".join(_NUMBER_WORDS) + r"))\s*\+?\s*(?:years?|yrs?)\b",
                    re.IGNORECASE)
_MONTHS = re.compile(r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s*months?\b", re.IGNORECASE)
# A number as written, sign and decimals included, so that "-3" and "1.5" are read as what they are (not 3 and 1).
_WRITTEN_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:[.,]\d+)?")
_DEFAULT_WORDS = re.compile(r"\b(default|you choose|you pick|whatever|any|usual|standard|dunno|don'?t know)\b",
                            re.IGNORECASE)


def _number(token: str) -> float:
    token = token.lower().replace(",", ".")
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def read_level(text: str, bank: QuestionBank) -> Optional[str]:
    """'mid', 'Senior please', 'I have 3 years in support' or 'six months' -> a level id; None if unclear."""
    lowered = (text or "").lower()
    years = _YEARS.search(lowered)
    if years:
        return level_for_years(_number(years.group(1)), bank)
    if _MONTHS.search(lowered):
        return level_for_years(0, bank)
    words = set(re.findall(r"[a-z][a-z-]*", lowered))
    found = [level for level in LEVELS if words & set(_LEVEL_WORDS[level])]
    return found[0] if len(found) == 1 else None


def level_for_years(years: float, bank: QuestionBank) -> str:
    eligible = [level for level in bank.levels.values() if years >= level.min_years]
    return max(eligible, key=lambda level: level.min_years).id if eligible else LEVELS[0]


def read_question_count(text: str, available: int) -> Optional[int]:
    """'5', 'three', 'default' -> how many questions to ask; None when it is not a usable number ('-3', '1.5', '0')."""
    cleaned = (text or "").strip().lower()
    if not cleaned or _DEFAULT_WORDS.search(cleaned):
        return min(DEFAULT_QUESTION_COUNT, available)
    numbers = _WRITTEN_NUMBER.findall(cleaned)
    if numbers:
        if not numbers[0].isdigit():
            return None
        count = int(numbers[0])
    else:
        words = [word for word in re.findall(r"[a-z]+", cleaned)
                 if word in _NUMBER_WORDS and word not in ("a", "an", "no")]
        if not words:
            return None
        count = _NUMBER_WORDS[words[0]]
    if 1 <= count <= min(available, MAX_QUESTION_COUNT):
        return count
    return None


def plan_questions(bank: QuestionBank, level: str, count: int, seed: str) -> List[str]:
    """Pick `count` questions of the level, mixing kinds, in an order that varies from interview to interview.

    The seed makes the choice reproducible (the same seed, the same interview), which tests and resumed sessions need.
    """
    rng = random.Random(seed)
    by_kind: Dict[str, List[str]] = {}
    for question in bank.questions_for_level(level):
        by_kind.setdefault(question.kind, []).append(question.id)
    for ids in by_kind.values():
        rng.shuffle(ids)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    plan: List[str] = []
    while len(plan) < count and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(plan) < count:
                plan.append(by_kind[kind].pop())
    return plan


def max_questions(bank: QuestionBank, level: str) -> int:
    return min(MAX_QUESTION_COUNT, len(bank.questions_for_level(level)))


def with_record(results: List[Dict[str, Any]], record: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The results with this question's record added, or put in place of the one kept for the same question number
    (the first answer's record, kept while a follow-up was open)."""
    return [kept for kept in results if kept.get("number") != record["number"]] + [record]
