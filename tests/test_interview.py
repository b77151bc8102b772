"""Setting up an interview: the level and the number of questions from free text, and the questions picked."""

import pytest

from coach.interview import max_questions, plan_questions, read_level, read_question_count
from coach.question_bank import LEVELS, load_question_bank


@pytest.fixture(scope="module")
def bank(project_root):
    return load_question_bank(project_root / "content" / "question_bank.yml")


@pytest.mark.parametrize("text, level", [
    ("junior", "junior"),
    ("Mid please", "mid"),
    ("SENIOR", "senior"),
    ("I have 3 years in support", "mid"),
    ("six months in a call centre", "junior"),
    ("7 years", "senior"),
    ("1 year", "junior"),
    ("two years", "mid"),
])
def test_read_level_understands_level_names_and_experience(bank, text, level):
    assert read_level(text, bank) == level


@pytest.mark.parametrize("text", ["banana", "junior or senior", ""])
def test_read_level_returns_none_when_unclear(bank, text):
    assert read_level(text, bank) is None


@pytest.mark.parametrize("text, count", [("5", 5), ("three", 3), ("4 please", 4), ("1", 1)])
def test_read_question_count_understands_numbers(text, count):
    assert read_question_count(text, available=10) == count


@pytest.mark.parametrize("text", ["default", "", "whatever you like"])
def test_read_question_count_uses_the_default_when_asked(text):
    assert read_question_count(text, available=10) == 5


@pytest.mark.parametrize("text", ["default", ""])
def test_default_question_count_is_capped_by_the_questions_available(text):
    assert read_question_count(text, available=3) == 3


@pytest.mark.parametrize("text", ["0", "99", "banana", "-3", "1.5", "2,5"])
def test_read_question_count_rejects_unusable_numbers(text):
    assert read_question_count(text, available=10) is None


def test_read_question_count_rejects_more_than_available(bank):
    available = max_questions(bank, "junior")
    assert read_question_count(str(available), available) == available
    assert read_question_count(str(available + 1), available) is None


@pytest.mark.parametrize("level", LEVELS)
def test_plan_has_the_requested_number_of_distinct_questions_of_the_level(bank, level):
    plan = plan_questions(bank, level, 5, seed="interview-1")
    assert len(plan) == 5
    assert len(set(plan)) == 5
    assert all(bank.question(question_id).level == level for question_id in plan)


@pytest.mark.parametrize("level", LEVELS)
def test_plan_mixes_question_kinds(bank, level):
    kinds = {question.kind for question in bank.questions_for_level(level)}
    assert len(kinds) > 1, f"{level} should offer more than one kind of question"
    plan = plan_questions(bank, level, len(kinds), seed="interview-1")
    assert {bank.question(question_id).kind for question_id in plan} == kinds


def test_plan_never_repeats_a_question_even_when_asking_for_all(bank):
    available = len(bank.questions_for_level("mid"))
    plan = plan_questions(bank, "mid", available + 3, seed="interview-1")
    assert sorted(plan) == sorted(question.id for question in bank.questions_for_level("mid"))


def test_plan_is_reproducible_for_the_same_seed(bank):
    assert plan_questions(bank, "mid", 5, seed="abc") == plan_questions(bank, "mid", 5, seed="abc")


def test_plan_order_varies_between_seeds(bank):
    plans = {tuple(plan_questions(bank, "mid", 5, seed=f"interview-{n}")) for n in range(5)}
    assert len(plans) > 1


def test_planning_does_not_change_the_bank(bank):
    before = [question.id for question in bank.questions_for_level("senior")]
    plan_questions(bank, "senior", 5, seed="x")
    assert [question.id for question in bank.questions_for_level("senior")] == before
