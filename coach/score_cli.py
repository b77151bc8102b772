"""Score answers from JSON Lines on standard input; write one JSON Lines result per input line to standard output.

Each input line: {"id": ..., "question": "...", "answer": "...", and one of
    "question_id": "<a question bank id>" | "criteria": ["...", ...] | "reference": "<one expected answer>"}
Each output line: {"id": ..., "score": 0.0-1.0, "criteria": [{"id", "criterion", "similarity", "covered", "unsure",
    "evidence"}], "misdefinitions": [{"concept", "sentence"}],
    "band": "strong|partial|weak", "trimmed": bool, "gaming": null | {"kind", "detail"},
    "star": null | {"parts", "missing", "measurable_result", "hypothetical", ...}, "concepts": {"nps": "name", ...}}
The question's text, when given, lets the scorer spot a copied-back question and read "tell me about a time"
answers for STAR.
A line that can't be scored gets {"id": ..., "error": "..."} and the run goes on. Logs go to standard error only.

    make score < answers.jsonl > scores.jsonl
"""

import json
import logging
import sys
from typing import Dict, List, TextIO, Tuple

from coach.cx_concepts import ConceptMention
from coach.scoring import AnswerAssessment, CriterionSpec, criteria_from_reference

logger = logging.getLogger("score_cli")


def _criteria(line: Dict) -> List[CriterionSpec]:
    """The criteria of a line that gives them (`criteria`) or one expected answer (`reference`)."""
    if "criteria" in line and line["criteria"] not in (None, "", []):
        criteria = line["criteria"]
        if not isinstance(criteria, list) or not all(isinstance(c, str) and c.strip() for c in criteria):
            raise ValueError("criteria must be a list of non-empty strings")
        return [CriterionSpec(text=c.strip()) for c in criteria]
    reference = line["reference"]
    if not isinstance(reference, str) or not criteria_from_reference(reference):
        raise ValueError("reference must be a non-empty string")
    return criteria_from_reference(reference)


def assess_line(line: Dict, coach) -> Tuple[AnswerAssessment, Dict[str, ConceptMention]]:
    """A line's assessment and the CX concepts found: the one path for `make score`, the calibration and the bench."""
    answer = line.get("answer")
    if not isinstance(answer, str):
        raise ValueError("answer must be a string")
    given = [key for key in ("question_id", "criteria", "reference") if line.get(key) not in (None, "", [])]
    if len(given) != 1:
        raise ValueError("give exactly one of question_id, criteria or reference")
    if given[0] == "question_id":
        # A bank question is scored exactly as the bot scores it: Coach.assess, with the bank's text and flags.
        if coach.bank.question(str(line["question_id"])) is None:
            raise ValueError(f"unknown question_id {line['question_id']!r}")
        result = coach.assess(str(line["question_id"]), answer)
        assessment, concepts = result.assessment, result.concepts_found
    else:
        question = line.get("question")
        question = question if isinstance(question, str) and question.strip() else None
        assessment = coach.assess_criteria(answer, _criteria(line), question=question)
        concepts = assessment.concepts
    return assessment, concepts


def score_line(line: Dict, coach) -> Dict:
    assessment, concepts = assess_line(line, coach)
    return {
        "id": line.get("id"),
        "score": assessment.score,
        "band": assessment.band,
        "trimmed": assessment.trimmed,
        "criteria": [
            {"id": r.criterion.id, "criterion": r.criterion.text, "similarity": r.similarity, "covered": r.covered,
             "unsure": r.unsure, "evidence": r.evidence}
            for r in assessment.criteria
        ],
        "misdefinitions": [{"concept": m.concept.id, "sentence": m.sentence} for m in assessment.misdefinitions],
        "gaming": {"kind": assessment.gaming.kind, "detail": assessment.gaming.detail} if assessment.gaming else None,
        "star": assessment.star.to_dict() if assessment.star else None,
        "concepts": {concept_id: mention.how for concept_id, mention in concepts.items()},
    }


def run(stdin: TextIO, stdout: TextIO, coach) -> int:
    """Score every line; return how many lines failed."""
    failures = 0
    for number, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        line_id = None
        try:
            line = json.loads(raw)
            if not isinstance(line, dict):
                raise ValueError("each line must be a JSON object")
            line_id = line.get("id")
            result = score_line(line, coach)
        except (ValueError, json.JSONDecodeError) as error:
            failures += 1
            logger.error("line %d: %s", number, error)
            result = {"id": line_id, "error": str(error)}
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return failures


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints while loading goes to stderr, not into the JSON Lines
    try:
        from coach.coach import get_coach

        coach = get_coach()
    finally:
        sys.stdout = real_stdout
    failures = run(sys.stdin, sys.stdout, coach)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
