"""Cohorts and assignments for instructors, and their command line (`make cohort NAME="..."`).

    python -m bootcamp.cohorts create "Spring CX bootcamp"
    python -m bootcamp.cohorts assign --cohort C1A2B3C4 --title "Metrics week" --level mid \
        --competencies metrics_roi,customer_insights --count 4 --due 2026-12-05
    python -m bootcamp.cohorts list
    python -m bootcamp.cohorts new-token C1A2B3C4

The instructor token is printed once and only its hash is kept: a lost token is replaced with `new-token`, which also
locks out the old one.
"""

import argparse
import os
import random
import sys
from datetime import date
from typing import Dict, List, Optional, Sequence

from bootcamp.store import ProgressStore
from coach.interview import MAX_QUESTION_COUNT, plan_questions
from coach.question_bank import LEVELS, QuestionBank, load_question_bank
from coach.settings import load_settings


def check_assignment(bank: QuestionBank, level: str, competencies: Sequence[str], question_ids: Sequence[str],
                     count: Optional[int], due: str) -> int:
    """Raise ValueError saying what is wrong with an assignment; return its number of questions."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if competencies and question_ids:
        raise ValueError("name competencies or questions, not both")
    unknown = [cid for cid in competencies if cid not in bank.competencies]
    if unknown:
        raise ValueError(f"unknown competencies: {', '.join(unknown)} (known: {', '.join(bank.competencies)})")
    unknown = [qid for qid in question_ids if qid not in bank.questions]
    if unknown:
        raise ValueError(f"unknown questions: {', '.join(unknown)}")
    try:
        date.fromisoformat(due)
    except ValueError:
        raise ValueError(f"the due date must be YYYY-MM-DD, not {due!r}") from None
    available = len(question_ids) if question_ids else len(_assignment_pool(bank, level, competencies))
    count = count or min(available, 5)
    if not 1 <= count <= min(available, MAX_QUESTION_COUNT):
        raise ValueError(f"the number of questions must be from 1 to {min(available, MAX_QUESTION_COUNT)}")
    return count


def _assignment_pool(bank: QuestionBank, level: str, competencies: Sequence[str]) -> List[str]:
    """The questions an assignment on competencies draws from: the level's questions in them, then other levels'."""
    others = [other for other in LEVELS if other != level]
    return [question.id for lvl in [level] + others for question in bank.questions_for_level(lvl)
            if question.competency in competencies]


def assignment_plan(bank: QuestionBank, assignment: Dict, seed: str) -> List[str]:
    """The questions a learner answers for an assignment: the named ones, else the level's questions on the named
    competencies (others' levels only when the level has too few), else a usual interview at the level."""
    count = assignment["question_count"]
    if assignment["question_ids"]:
        return [qid for qid in assignment["question_ids"] if qid in bank.questions][:count]
    if assignment["competencies"]:
        pool = _assignment_pool(bank, assignment["level"], assignment["competencies"])
        at_level = [qid for qid in pool if bank.questions[qid].level == assignment["level"]]
        random.Random(seed).shuffle(at_level)
        return (at_level + [qid for qid in pool if qid not in at_level])[:count]
    return plan_questions(bank, assignment["level"], count, seed)


def _bank() -> QuestionBank:
    return load_question_bank(load_settings().content_dir / "question_bank.yml")


def _page_address(token: str) -> str:
    # The token goes after '#': browsers never send that part to a server, so it stays out of every log.
    return f"http://127.0.0.1:{os.environ.get('WEB_PORT', '8080')}/instructor/#token={token}"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Create cohorts and assignments for the instructor page.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="a new cohort: prints its join code and instructor token")
    create.add_argument("name")
    assign = commands.add_parser("assign", help="an assignment for a cohort's learners")
    assign.add_argument("--cohort", required=True, help="the cohort's id (C...), as `create` and `list` print it")
    assign.add_argument("--title", required=True)
    assign.add_argument("--level", required=True, choices=LEVELS)
    assign.add_argument("--competencies", default="", help="comma-separated competency ids")
    assign.add_argument("--questions", default="", help="comma-separated question ids")
    assign.add_argument("--count", type=int, help="number of questions (default: 5, or as many as named)")
    assign.add_argument("--due", required=True, help="YYYY-MM-DD")
    commands.add_parser("list", help="the cohorts, their codes, members and assignments (never a token)")
    rotate = commands.add_parser("new-token", help="replace a cohort's instructor token (the old one stops working)")
    rotate.add_argument("cohort")
    args = parser.parse_args(argv)

    store = ProgressStore()
    if args.command == "create":
        try:
            cohort = store.create_cohort(args.name)
        except ValueError as error:
            parser.error(str(error))
        print(f"Cohort {cohort.cohort_id}: {cohort.name}")
        print(f"  Join code for learners:  {cohort.join_code}   (they type: join {cohort.join_code})")
        print(f"  Instructor token:        {cohort.instructor_token}")
        print(f"  Instructor page:         {_page_address(cohort.instructor_token)}")
        print("  Keep the token private: it opens this cohort's page. It is shown only now; "
              f"`python -m bootcamp.cohorts new-token {cohort.cohort_id}` replaces it.")
        print(f"  Database: {store.where}")
        return 0
    if args.command == "new-token":
        token = store.new_instructor_token(args.cohort)
        if token is None:
            parser.error(f"no cohort {args.cohort}")
        print(f"New instructor token for {args.cohort}: {token}\n  Instructor page: {_page_address(token)}")
        return 0
    if args.command == "list":
        for cohort in store.all_cohorts():
            members = store.members(cohort["cohort_id"])
            print(f"{cohort['cohort_id']}  {cohort['name']}  join code {cohort['join_code']}  {len(members)} learners")
            for assignment in store.assignments_of_cohort(cohort["cohort_id"]):
                print(f"    assignment {assignment['assignment_id']}: {assignment['title']} ({assignment['level']}, "
                      f"{assignment['question_count']} questions, due {assignment['due_date']})")
        return 0
    if store.cohort(args.cohort) is None:
        parser.error(f"no cohort {args.cohort}")
    competencies = [c.strip() for c in args.competencies.split(",") if c.strip()]
    questions = [q.strip() for q in args.questions.split(",") if q.strip()]
    try:
        count = check_assignment(_bank(), args.level, competencies, questions, args.count, args.due)
    except ValueError as error:
        parser.error(str(error))
    assignment_id = store.add_assignment(args.cohort, args.title, args.level, competencies, questions, count, args.due)
    print(f"Assignment {assignment_id} for {args.cohort}: {args.title}, {count} questions at {args.level} level, "
          f"due {args.due}. Learners of the cohort are offered it when they start an interview.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
