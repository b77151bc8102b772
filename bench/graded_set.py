"""The graded answer set (calibration/graded_answers.yml): loaded, validated, and split into fit and held-out parts.

Each answer carries the grade an experienced interviewer would give, so the scorer's output can be fitted to and
checked against human judgement. The split is by question, decided by a stable hash of its id, so held-out questions
are never seen while fitting and the split does not change between runs or machines.
"""

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from coach.content_files import ContentError, read_yaml

GRADED_SET = Path(__file__).resolve().parent.parent / "calibration" / "graded_answers.yml"

KINDS = ("strong", "partial", "weak", "off_topic", "gaming")
TRICKS = ("keyword_list", "copied_question", "filler", "gibberish", "too_short")
# Bands an interviewer would put a grade in; the scorer's bands are fitted to reproduce these.
BANDS = ("weak", "partial", "strong")
STRONG_GRADE = 7
PARTIAL_GRADE = 4
# About this share of questions is held out; the salt fixes which ones (change it only to re-draw the split).
HELD_OUT_SHARE = 0.4
SPLIT_SALT = "cx-coach-calibration-v1"
MIN_ANSWERS_PER_BANK_QUESTION = 5
MIN_ANSWERS_PER_GENERAL_QUESTION = 4


def grade_band(grade: int) -> str:
    """strong for 7-10, partial for 4-6, weak for 0-3."""
    if grade >= STRONG_GRADE:
        return "strong"
    if grade >= PARTIAL_GRADE:
        return "partial"
    return "weak"


def split_hash(key: str) -> str:
    return hashlib.sha256(f"{SPLIT_SALT}:{key}".encode("utf-8")).hexdigest()


def held_out_keys(keys) -> set:
    """The question ids held out: those whose stable hash ranks in the lowest HELD_OUT_SHARE of the list.

    Ranking (rather than a hash cut-off) keeps the share close to 40% even for 16 questions; the same ids give the
    same split on every run and machine, and adding one question moves at most one other across the line.
    """
    ranked = sorted(set(keys), key=split_hash)
    return set(ranked[:round(len(ranked) * HELD_OUT_SHARE)])


@dataclass(frozen=True)
class GradedAnswer:
    item: str            # the question id (bank) or the general item id
    domain: str          # "cx" (bank questions) or "general" (other fields)
    question: str
    answer: str
    kind: str
    trick: Optional[str]  # for gaming answers: which trick
    grade: int
    why: str
    held_out: bool
    # exactly one of these says what the answer is scored against (the JSON Lines command's fields)
    question_id: Optional[str] = None
    criteria: Optional[Tuple[str, ...]] = None
    reference: Optional[str] = None

    @property
    def band(self) -> str:
        return grade_band(self.grade)

    def score_line(self) -> Dict:
        """The answer as one line of the JSON Lines scoring command."""
        line = {"id": self.item, "question": self.question, "answer": self.answer}
        if self.question_id:
            line["question_id"] = self.question_id
        elif self.criteria:
            line["criteria"] = list(self.criteria)
        else:
            line["reference"] = self.reference
        return line


def _fields(path: Path, raw, item: str, required: Tuple[str, ...], optional: Tuple[str, ...] = ()) -> Dict:
    if not isinstance(raw, dict):
        raise ContentError(path, "must be a mapping of fields", item)
    for field in sorted(set(raw) - set(required) - set(optional)):
        raise ContentError(path, "is not a known field", item, field)
    for field in required:
        if field not in raw:
            raise ContentError(path, "is missing", item, field)
    return raw


def _text(path: Path, raw: Dict, item: str, field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, "must be non-empty text", item, field)
    return value.strip()


def _answers(path: Path, raw_answers, item: str, minimum: int) -> List[Dict]:
    if not isinstance(raw_answers, list) or len(raw_answers) < minimum:
        raise ContentError(path, f"must be a list of at least {minimum} graded answers", item, "answers")
    answers = []
    for index, raw in enumerate(raw_answers):
        where = f"{item}.answers[{index}]"
        _fields(path, raw, where, ("kind", "grade", "why", "answer"), ("trick",))
        kind = raw["kind"]
        if kind not in KINDS:
            raise ContentError(path, f"must be one of {', '.join(KINDS)}", where, "kind")
        trick = raw.get("trick")
        if (kind == "gaming") != (trick is not None):
            raise ContentError(path, "is required for gaming answers and only for them", where, "trick")
        if trick is not None and trick not in TRICKS:
            raise ContentError(path, f"must be one of {', '.join(TRICKS)}", where, "trick")
        grade = raw["grade"]
        if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 10:
            raise ContentError(path, "must be a whole number from 0 to 10", where, "grade")
        answers.append({"kind": kind, "trick": trick, "grade": grade, "why": _text(path, raw, where, "why"),
                        "answer": _text(path, raw, where, "answer")})
    kinds = {answer["kind"] for answer in answers}
    for needed in ("strong", "weak", "gaming"):
        if needed not in kinds:
            raise ContentError(path, f"needs at least one '{needed}' answer", item, "answers")
    return answers


def load_graded_set(bank_questions: Dict[str, str], path: Path = GRADED_SET) -> List[GradedAnswer]:
    """Read and check the graded set; bank_questions maps each bank question id to its text.

    Every bank question must have graded answers, so a question added to the bank without any is caught.
    """
    path = Path(path)
    document = read_yaml(path)
    for section in ("cx", "general"):
        if not isinstance(document.get(section), list) or not document[section]:
            raise ContentError(path, "must be a non-empty list", field=section)
    graded: List[GradedAnswer] = []
    seen = set()
    for index, raw in enumerate(document["cx"]):
        item = raw.get("question_id") if isinstance(raw, dict) else None
        where = str(item or f"cx[{index}]")
        _fields(path, raw, where, ("question_id", "answers"))
        if item not in bank_questions:
            raise ContentError(path, f"'{item}' is not a question of the bank", where, "question_id")
        if item in seen:
            raise ContentError(path, "appears twice", where, "question_id")
        seen.add(item)
        for answer in _answers(path, raw["answers"], where, MIN_ANSWERS_PER_BANK_QUESTION):
            graded.append(GradedAnswer(item=item, domain="cx", question=bank_questions[item], held_out=False,
                                       question_id=item, **answer))
    missing = sorted(set(bank_questions) - seen)
    if missing:
        raise ContentError(path, f"has no graded answers for bank questions: {', '.join(missing)}", field="cx")
    for index, raw in enumerate(document["general"]):
        item = raw.get("id") if isinstance(raw, dict) else None
        where = str(item or f"general[{index}]")
        _fields(path, raw, where, ("id", "field", "question", "answers"), ("criteria", "reference"))
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, "must be a non-empty id", where, "id")
        if item in seen:
            raise ContentError(path, "appears twice", where, "id")
        seen.add(item)
        _text(path, raw, where, "field")
        if ("criteria" in raw) == ("reference" in raw):
            raise ContentError(path, "give exactly one of criteria or reference", where, "criteria")
        criteria = reference = None
        if "criteria" in raw:
            criteria = raw["criteria"]
            if not isinstance(criteria, list) or not criteria or not all(isinstance(c, str) and c.strip()
                                                                         for c in criteria):
                raise ContentError(path, "must be a list of non-empty strings", where, "criteria")
            criteria = tuple(c.strip() for c in criteria)
        else:
            reference = _text(path, raw, where, "reference")
        question = _text(path, raw, where, "question")
        for answer in _answers(path, raw["answers"], where, MIN_ANSWERS_PER_GENERAL_QUESTION):
            graded.append(GradedAnswer(item=item, domain="general", question=question, held_out=False,
                                       criteria=criteria, reference=reference, **answer))
    held_out = set()
    for domain in ("cx", "general"):
        held_out |= held_out_keys(answer.item for answer in graded if answer.domain == domain)
    return [replace(answer, held_out=answer.item in held_out) for answer in graded]
