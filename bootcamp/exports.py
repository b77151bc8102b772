"""The instructor's CSV files: the roster, and every scored answer of the cohort. Every cell is quoted and a cell a
spreadsheet would run as a formula is turned into text (screening/exports.py's guard)."""

import csv
import io
from typing import Dict, Iterable, List, Sequence

from bootcamp.instructor import learner_labels
from bootcamp.store import ProgressStore
from bootcamp.texts import LearnerTexts
from coach.question_bank import QuestionBank
from screening.exports import spreadsheet_cell
from screening.report import iso_utc

ROSTER_FIELDS = ("learner_number", "learner", "joined_at", "interviews", "answers", "last_score", "best_score",
                 "average_score", "last_active_at")
ANSWER_FIELDS = ("learner_number", "learner", "interview", "finished_at", "level", "kind", "assignment",
                 "question_number", "question_id", "question", "competency", "status", "score", "band",
                 "covered_criteria", "missing_criteria", "attempts", "answer")


def _csv(fields: Sequence[str], rows: Iterable[Dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({field: spreadsheet_cell(value) for field, value in row.items()})
    return buffer.getvalue()


def _numbers(members: Sequence[Dict]) -> Dict[str, int]:
    return {member["learner_id"]: number for number, member in enumerate(members, start=1)}


def roster_csv(overview: Dict) -> str:
    """From CohortView.overview, so the file and the page agree."""
    rows = []
    for entry in overview["roster"]:
        scores = [point["score"] for point in entry["trend"] if point["score"] is not None]
        rows.append({"learner_number": entry["number"], "learner": entry["name"], "joined_at": entry["joined"],
                     "interviews": entry["interviews"], "answers": entry["answers"],
                     "last_score": "" if entry["last"] is None else entry["last"],
                     "best_score": "" if entry["best"] is None else entry["best"],
                     "average_score": round(sum(scores) / len(scores)) if scores else "",
                     "last_active_at": entry["last_active"] or ""})
    return _csv(ROSTER_FIELDS, rows)


def answers_csv(store: ProgressStore, cohort: Dict, bank: QuestionBank, texts: LearnerTexts) -> str:
    members = store.members(cohort["cohort_id"])
    labels, numbers = learner_labels(members, texts), _numbers(members)
    titles = {a["assignment_id"]: a["title"] for a in store.assignments_of_cohort(cohort["cohort_id"])}
    rows: List[Dict] = []
    for row in store.cohort_answers(cohort["cohort_id"]):
        question = bank.question(row["question_id"])
        criteria = {criterion.id: criterion.text for criterion in question.criteria} if question else {}
        rows.append({
            "learner_number": numbers[row["learner_id"]], "learner": labels[row["learner_id"]],
            "interview": row["interview_id"], "finished_at": iso_utc(row["finished_at"]), "level": row["level"],
            "kind": row["kind"], "assignment": titles.get(row["assignment_id"], ""),
            "question_number": row["number"], "question_id": row["question_id"],
            "question": question.text if question else "", "competency": row["competency"], "status": row["status"],
            "score": "" if row["score"] is None else round(row["score"] * 100), "band": row["band"] or "",
            "covered_criteria": " | ".join(criteria.get(c["id"], c["id"]) for c in row["covered"]),
            "missing_criteria": " | ".join(criteria.get(cid, cid) for cid in row["missing"]),
            "attempts": row["attempts"], "answer": row["answer"] or "",
        })
    return _csv(ANSWER_FIELDS, rows)
