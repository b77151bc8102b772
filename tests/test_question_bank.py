"""The question bank and the other content files: the real files load, and broken copies fail with a precise error."""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coach.commands import load_commands
from coach.content_files import ContentError
from coach.cx_concepts import load_cx_concepts
from coach.feedback import load_texts
from coach.question_bank import LEVELS, MAX_CRITERIA, MIN_QUESTIONS_PER_LEVEL, load_question_bank

# The fifteen behavioural questions of the seed interview guide, plus the senior transformation question.
BEHAVIOURAL_SEED_QUESTIONS = (
    "lead_cx_transformation",
    "challenging_customer",
    "improve_process_policy",
    "explain_complex_product",
    "saying_no",
    "multi_department_collaboration",
    "feedback_driven_improvement",
    "managing_expectations",
    "above_and_beyond",
    "high_volume",
    "spotting_trend",
    "adapting_communication",
    "technology_tools",
    "negative_to_positive",
    "balance_customer_business",
    "foster_customer_centric_culture",
)
QUESTION_ID = "measure_cx_success"


@pytest.fixture(scope="module")
def content_dir(project_root) -> Path:
    return project_root / "content"


@pytest.fixture(scope="module")
def bank(content_dir):
    return load_question_bank(content_dir / "question_bank.yml")


@pytest.fixture
def bank_document(content_dir) -> dict:
    """A fresh, modifiable copy of the real question bank as a Python structure."""
    return yaml.safe_load((content_dir / "question_bank.yml").read_text(encoding="utf-8"))


def write_yaml(directory: Path, name: str, document) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def question_in(document: dict, question_id: str) -> dict:
    return next(question for question in document["questions"] if question["id"] == question_id)


def load_broken_bank(tmp_path: Path, document: dict) -> ContentError:
    path = write_yaml(tmp_path, "question_bank.yml", document)
    with pytest.raises(ContentError) as caught:
        load_question_bank(path)
    return caught.value


def assert_points_at(error: ContentError, path: Path, item_id=None, field=None) -> None:
    """The error carries the file, item and field, and its message names each of them."""
    message = str(error)
    assert error.path == path
    assert str(path) in message
    assert error.item_id == item_id
    if item_id is not None:
        assert f"'{item_id}'" in message
    assert error.field == field
    if field is not None:
        assert f"'{field}'" in message


# --- the real bank ------------------------------------------------------------------------------------------------

def test_real_bank_has_all_three_levels(bank):
    assert set(bank.levels) == set(LEVELS)


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_has_at_least_six_questions(bank, level):
    assert len(bank.questions_for_level(level)) >= 6


def test_every_question_has_three_to_seven_criteria(bank):
    counts = {question.id: len(question.criteria) for question in bank.questions.values()}
    assert all(3 <= count <= 7 for count in counts.values()), counts


def test_behavioural_seed_questions_are_present_with_follow_ups(bank):
    for question_id in BEHAVIOURAL_SEED_QUESTIONS:
        question = bank.question(question_id)
        assert question is not None, question_id
        assert question.kind == "behavioural", question_id
        assert question.source == "seed", question_id
        assert question.follow_ups, question_id


def test_bank_has_at_least_fourteen_behavioural_questions_all_with_follow_ups(bank):
    behavioural = [question for question in bank.questions.values() if question.kind == "behavioural"]
    assert len(behavioural) >= 14
    assert all(question.follow_ups for question in behavioural)


def test_question_ids_are_unique_in_the_file(content_dir):
    document = yaml.safe_load((content_dir / "question_bank.yml").read_text(encoding="utf-8"))
    ids = [question["id"] for question in document["questions"]]
    assert len(ids) == len(set(ids))


def test_criterion_ids_are_unique_within_each_question(bank):
    for question in bank.questions.values():
        ids = [criterion.id for criterion in question.criteria]
        assert len(ids) == len(set(ids)), question.id


def test_every_criterion_says_to_the_candidate_what_covering_it_showed(bank):
    # The card leads with `shown`, written for the reader ("You showed how you got the teams talking"), not the
    # rubric sentence the judgement reads ("Describes how they...").
    for question in bank.questions.values():
        for criterion in question.criteria:
            where = f"{question.id}/{criterion.id}"
            assert criterion.shown.startswith("You "), where
            assert criterion.shown.endswith("."), where
            assert criterion.shown != criterion.text and criterion.shown != criterion.tip, where
            assert len(criterion.shown.split()) <= 20, where


# --- broken question banks ----------------------------------------------------------------------------------------

def test_unknown_question_field_names_file_question_and_field(tmp_path, bank_document):
    question_in(bank_document, QUESTION_ID)["difficulty"] = "hard"
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "difficulty")
    assert "not a known field" in str(error)


def test_missing_question_field_names_file_question_and_field(tmp_path, bank_document):
    del question_in(bank_document, QUESTION_ID)["hint"]
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "hint")
    assert "missing" in str(error)


def test_missing_criterion_tip_names_question_and_criterion(tmp_path, bank_document):
    criterion = question_in(bank_document, QUESTION_ID)["criteria"][0]
    del criterion["tip"]
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", f"{QUESTION_ID}/{criterion['id']}", "tip")


def test_missing_criterion_shown_names_question_and_criterion(tmp_path, bank_document):
    criterion = question_in(bank_document, QUESTION_ID)["criteria"][1]
    del criterion["shown"]
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", f"{QUESTION_ID}/{criterion['id']}", "shown")


def test_duplicate_question_id_is_rejected(tmp_path, bank_document):
    bank_document["questions"].append(copy.deepcopy(question_in(bank_document, QUESTION_ID)))
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "id")
    assert "duplicate" in str(error)


def test_empty_criteria_list_is_rejected(tmp_path, bank_document):
    question_in(bank_document, QUESTION_ID)["criteria"] = []
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "criteria")
    assert "has 0" in str(error)


def test_more_than_seven_criteria_is_rejected(tmp_path, bank_document):
    question = question_in(bank_document, QUESTION_ID)
    template = question["criteria"][0]
    question["criteria"] = [dict(template, id=f"criterion_{n}") for n in range(MAX_CRITERIA + 1)]
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "criteria")
    assert f"has {MAX_CRITERIA + 1}" in str(error)


def test_unknown_level_is_rejected(tmp_path, bank_document):
    question_in(bank_document, QUESTION_ID)["level"] = "expert"
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "level")
    assert "'expert'" in str(error)


def test_unknown_competency_is_rejected(tmp_path, bank_document):
    question_in(bank_document, QUESTION_ID)["competency"] = "juggling"
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "competency")
    assert "'juggling'" in str(error)


def test_unknown_red_flag_is_rejected(tmp_path, bank_document):
    question_in(bank_document, QUESTION_ID)["red_flags"] = ["no_metrics", "talks_too_fast"]
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", QUESTION_ID, "red_flags")
    assert "'talks_too_fast'" in str(error)


def test_level_with_too_few_questions_is_rejected(tmp_path, bank_document):
    junior = [question for question in bank_document["questions"] if question["level"] == "junior"]
    for question in junior[MIN_QUESTIONS_PER_LEVEL - 1:]:
        bank_document["questions"].remove(question)
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", None, "questions")
    assert f"level 'junior' has {MIN_QUESTIONS_PER_LEVEL - 1} questions" in str(error)


def test_invalid_yaml_is_rejected(tmp_path):
    path = tmp_path / "question_bank.yml"
    path.write_text("version: 1\nquestions: [unclosed\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_question_bank(path)
    assert_points_at(caught.value, path)
    assert "not valid YAML" in str(caught.value)


def test_missing_file_is_rejected(tmp_path):
    path = tmp_path / "no_such_bank.yml"
    with pytest.raises(ContentError) as caught:
        load_question_bank(path)
    assert_points_at(caught.value, path)
    assert "cannot be read" in str(caught.value)


def test_version_other_than_one_is_rejected(tmp_path, bank_document):
    bank_document["version"] = 2
    error = load_broken_bank(tmp_path, bank_document)
    assert_points_at(error, tmp_path / "question_bank.yml", None, "version")


# --- the other content files --------------------------------------------------------------------------------------

def test_concept_without_meaning_is_rejected(tmp_path, content_dir):
    document = yaml.safe_load((content_dir / "cx_concepts.yml").read_text(encoding="utf-8"))
    del document["concepts"][0]["meaning"]
    path = write_yaml(tmp_path, "cx_concepts.yml", document)
    with pytest.raises(ContentError) as caught:
        load_cx_concepts(path)
    assert_points_at(caught.value, path, document["concepts"][0]["id"], "meaning")


@pytest.mark.parametrize("field, value", [
    ("confused_with", ["no_such_concept"]),
    ("score_bands", {"detractor": [6, 0]}),
    ("score_bands", {"detractor": [0, 11]}),
])
def test_concept_with_a_broken_confusion_or_band_is_rejected(tmp_path, content_dir, field, value):
    document = yaml.safe_load((content_dir / "cx_concepts.yml").read_text(encoding="utf-8"))
    document["concepts"][0][field] = value
    path = write_yaml(tmp_path, "cx_concepts.yml", document)
    with pytest.raises(ContentError) as caught:
        load_cx_concepts(path)
    assert_points_at(caught.value, path, document["concepts"][0]["id"], field)


def test_feedback_template_with_wrong_placeholder_is_rejected(tmp_path, content_dir):
    document = yaml.safe_load((content_dir / "feedback.yml").read_text(encoding="utf-8"))
    document["answer"]["score"] = "Score for this answer: {points}/100."
    path = write_yaml(tmp_path, "feedback.yml", document)
    with pytest.raises(ContentError) as caught:
        load_texts(path)
    assert_points_at(caught.value, path, "answer", "score")
    assert "{score}" in str(caught.value)


def test_commands_file_missing_a_command_is_rejected(tmp_path, content_dir):
    document = yaml.safe_load((content_dir / "commands.yml").read_text(encoding="utf-8"))
    document["commands"] = [command for command in document["commands"] if command["id"] != "hint"]
    path = write_yaml(tmp_path, "commands.yml", document)
    with pytest.raises(ContentError) as caught:
        load_commands(path)
    assert_points_at(caught.value, path, None, "commands")
    assert "missing: hint" in str(caught.value)


# --- the validation command ---------------------------------------------------------------------------------------

def run_validate_content(project_root: Path, content_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CX_COACH_CONTENT_DIR=str(content_dir))
    return subprocess.run([sys.executable, "-m", "coach.validate_content"], cwd=project_root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_validate_content_passes_on_the_real_content(project_root, content_dir):
    completed = run_validate_content(project_root, content_dir)
    assert completed.returncode == 0, completed.stderr
    assert "Content OK" in completed.stdout


def test_validate_content_exits_1_and_reports_a_broken_file_on_stderr(tmp_path, project_root, content_dir,
                                                                      bank_document):
    broken_dir = tmp_path / "content"
    shutil.copytree(content_dir, broken_dir)
    question_in(bank_document, QUESTION_ID)["competency"] = "juggling"
    write_yaml(broken_dir, "question_bank.yml", bank_document)

    completed = run_validate_content(project_root, broken_dir)

    assert completed.returncode == 1
    assert str(broken_dir / "question_bank.yml") in completed.stderr
    assert f"'{QUESTION_ID}'" in completed.stderr
    assert "'competency'" in completed.stderr
    assert "Content OK" not in completed.stdout
