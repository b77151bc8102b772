"""Reading a recruiter's messages: 'screen <@U123> mid short', 'screen report S1A2B3C' / 'export S1A2B3C csv',
'screens page 2'; and the questions a screen asks."""

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from coach.interview import plan_questions, read_level
from coach.question_bank import QuestionBank
from screening.content import QuestionSet, ScreeningContent

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
SCREEN_ID = re.compile(r"\bS[0-9A-F]{6}\b", re.IGNORECASE)
EXPORT_FORMATS = ("json", "csv")


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


def read_list_page(text: str) -> int:
    """'screens page 2' -> 2; the first page otherwise."""
    found = re.search(r"\bpage\s*(\d{1,4})\b", (text or "").lower())
    return max(1, int(found.group(1))) if found else 1


def plan_screen(bank: QuestionBank, request: ScreenRequest, screen_id: str) -> List[str]:
    return plan_questions(bank, request.level, request.question_set.count, seed=f"screen:{screen_id}")
