"""The blind graded set (calibration/blind_set.yml): answers written without sight of the criteria, graded and
labelled criterion by criterion by other people. Loaded and checked here.

Split by question: answers to development questions are what bench/judgement.py fits on; answers to held-out
questions are never fitted on. Answers come in rounds, each written and graded by new people for the held-out
questions once the round before had been looked at. Round 1's held-out figures were looked at while the scorer was
being built; round 2's figures decided what to keep and its errors were then studied; round 3's figures chose between
the statement model's variants; round 4's figures were quoted after the misdefinition cap and its errors were then
studied; round 5's figures were quoted by the fifth session and its errors then studied. Round 6 (144 answers, four
writers, each answer graded by two graders) is frozen. Rounds 4 and 5 also added answers to the development questions
(fitted on, like round 1's).
The newest round (FROZEN_ROUND) on held-out questions is the frozen part that the figures quote: its checksum is
recorded in calibration/judgement.yml and checked by tests/test_judgement.py. Its answers were graded twice, by two
interviewers who did not see each other's grades: the first's labels are the truth, the second's (`second_grader`)
say how far two people agree.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from coach.content_files import ContentError, read_yaml

BLIND_SET = Path(__file__).resolve().parent.parent / "calibration" / "blind_set.yml"
KINDS = ("story", "story_alt", "partial", "vague", "echo", "misdefinition")
FORMS = ("non_native", "informal", "british", "concise")
COVERAGE = ("yes", "partly", "no")
SPLIT_SALT = "blind-2026-11-27"
HELD_OUT_SHARE = 0.4
FROZEN_ROUND = 6  # answers of this round to held-out questions are the frozen part; earlier rounds there are "seen"


@dataclass(frozen=True)
class BlindAnswer:
    id: str
    question_id: str
    kind: str
    answer: str
    grade: int
    criteria: Dict[str, str]  # criterion id -> yes | partly | no
    wrong: Tuple[str, ...]  # quotes of statements the grader marked wrong or harmful
    held_out: bool  # its question is a held-out question
    round: int = 1  # 1: the first set; 2 to 5: written later (held-out questions' round 5: the frozen part)
    second_grade: Optional[int] = None  # a second interviewer's grade and labels, given without sight of the first's
    second_criteria: Optional[Dict[str, str]] = None

    @property
    def part(self) -> str:
        """'development', 'held_out_seen' (an earlier round on held-out questions) or 'held_out' (the frozen part)."""
        if not self.held_out:
            return "development"
        return "held_out" if self.round == FROZEN_ROUND else "held_out_seen"

    @property
    def band(self) -> str:
        return grade_band(self.grade)

    def covered(self, criterion_id: str) -> bool:
        return self.criteria[criterion_id] == "yes"


@dataclass(frozen=True)
class Rewrite:
    id: str
    of: str  # the id of the answer it rewrites
    form: str
    answer: str


def grade_band(grade: float) -> str:
    """The band an interviewer's 0-10 grade falls in (calibration/README.md)."""
    return "strong" if grade >= 7 else "partial" if grade >= 4 else "weak"


def held_out_questions(question_ids: Sequence[str]) -> frozenset:
    """The lowest HELD_OUT_SHARE of questions by a salted hash of their id: stable, and blind to their content."""
    ranked = sorted(question_ids, key=lambda qid: hashlib.sha256(f"{SPLIT_SALT}:{qid}".encode()).hexdigest())
    return frozenset(ranked[: round(len(ranked) * HELD_OUT_SHARE)])


def load_blind_set(bank_criteria: Dict[str, Sequence[str]], path: Path = BLIND_SET
                   ) -> Tuple[List[BlindAnswer], List[Rewrite]]:
    """`bank_criteria`: question id -> its criterion ids. Every answer must label exactly its question's criteria."""
    path = Path(path)
    document = read_yaml(path)
    held = held_out_questions(sorted(bank_criteria))
    answers, seen = [], set()
    for position, raw in enumerate(document.get("answers") or []):
        item = f"answers[{position}]"
        if not isinstance(raw, dict):
            raise ContentError(path, "must be a mapping", item)
        question_id = raw.get("question_id")
        if question_id not in bank_criteria:
            raise ContentError(path, f"names unknown question '{question_id}'", item, "question_id")
        if raw.get("kind") not in KINDS:
            raise ContentError(path, f"must be one of {', '.join(KINDS)}", item, "kind")
        grade = raw.get("grade")
        if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 10:
            raise ContentError(path, "must be a whole number from 0 to 10", item, "grade")
        labels = raw.get("criteria") or {}
        if set(labels) != set(bank_criteria[question_id]):
            raise ContentError(path, "must label exactly the question's criteria", item, "criteria")
        criteria = {}
        for criterion_id, label in labels.items():
            if (label or {}).get("covered") not in COVERAGE:
                raise ContentError(path, f"must be one of {', '.join(COVERAGE)}", item, f"criteria.{criterion_id}")
            criteria[criterion_id] = label["covered"]
        if not isinstance(raw.get("answer"), str) or not raw["answer"].strip() or raw.get("id") in seen:
            raise ContentError(path, "needs a unique id and a non-empty answer", item)
        seen.add(raw["id"])
        round_number = raw.get("round", 1)
        if round_number not in range(1, FROZEN_ROUND + 1):
            raise ContentError(path, f"must be a whole number from 1 to {FROZEN_ROUND}", item, "round")
        second = raw.get("second_grader")
        if second is not None and (set((second.get("criteria") or {})) != set(labels) or not all(
                label in COVERAGE for label in second["criteria"].values()) or second.get("grade") not in range(11)):
            raise ContentError(path, "needs a grade from 0 to 10 and a yes / partly / no for every criterion", item,
                               "second_grader")
        answers.append(BlindAnswer(raw["id"], question_id, raw["kind"], raw["answer"], grade, criteria,
                                   tuple(w["quote"] for w in raw.get("wrong") or []), question_id in held,
                                   round_number, second and second["grade"], second and dict(second["criteria"])))
    rewrites = []
    for position, raw in enumerate(document.get("rewrites") or []):
        item = f"rewrites[{position}]"
        if raw.get("of") not in seen or raw.get("form") not in FORMS or not str(raw.get("answer", "")).strip():
            raise ContentError(path, f"needs 'of' (an answer id), 'form' ({', '.join(FORMS)}) and an answer", item)
        rewrites.append(Rewrite(raw["id"], raw["of"], raw["form"], raw["answer"]))
    return answers, rewrites


def held_out_checksum(answers: Sequence[BlindAnswer]) -> str:
    """SHA-256 of the frozen held-out answers (FROZEN_ROUND) and their labels, in a canonical form."""
    held = sorted((a for a in answers if a.part == "held_out"), key=lambda a: a.id)
    canonical = [[a.id, a.question_id, a.kind, a.answer, a.grade, sorted(a.criteria.items())] for a in held]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode("utf-8")).hexdigest()
