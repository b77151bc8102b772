"""The blind set (calibration/blind_set.yml) and the coach's agreement with it (calibration/judgement.yml).

The frozen held-out part was written and graded by people who saw neither the criteria, the examples nor the scorer;
nothing is fitted on it, and its checksum makes any change to it fail here. Its floors are checked by scoring each of
its answers once (144 answers and 192 rewrites, about ten seconds). If this fails after a scorer change, run
`python -m bench.judgement` for the figures.
"""

import re

import pytest
import yaml

from bench.blind_set import BLIND_SET, KINDS, held_out_checksum, held_out_questions, load_blind_set
from bench.judgement import ROOT, bank_criteria, check_floors, load_record, report
from coach.content_files import ContentError


@pytest.fixture(scope="module")
def blind(coach):
    return load_blind_set(bank_criteria(coach))


@pytest.fixture(scope="module")
def frozen_figures(coach, blind):
    answers, rewrites = blind
    held = [answer for answer in answers if answer.part == "held_out"]
    ids = {answer.id for answer in held}
    return report(coach, held, [rewrite for rewrite in rewrites if rewrite.of in ids])


def test_every_bank_question_has_blind_answers_of_every_kind(coach, blind):
    answers, _ = blind
    for question_id in coach.bank.questions:
        assert {a.kind for a in answers if a.question_id == question_id and a.round == 1} == set(KINDS), question_id


def test_every_held_out_question_has_a_frozen_answer_of_every_kind(coach, blind):
    answers, _ = blind
    for question_id in held_out_questions(sorted(coach.bank.questions)):
        assert {a.kind for a in answers if a.question_id == question_id and a.part == "held_out"} == set(KINDS)


def test_the_split_is_by_question_and_about_forty_percent(coach, blind):
    answers, _ = blind
    held = held_out_questions(sorted(coach.bank.questions))
    assert 0.35 <= len(held) / len(coach.bank.questions) <= 0.45
    assert held == held_out_questions(sorted(coach.bank.questions, reverse=True))  # input order does not matter
    assert all(answer.held_out == (answer.question_id in held) for answer in answers)


def test_the_frozen_held_out_part_is_unchanged(blind):
    answers, _ = blind
    assert held_out_checksum(answers) == load_record()["held_out_checksum"]


def test_frozen_held_out_figures_stay_above_the_floors(frozen_figures):
    floors = load_record()["floors"]
    assert {"criteria_f1", "spearman", "band_agreement", "echo_in_weak_band"} <= set(floors)
    assert check_floors(frozen_figures, floors) == []


def test_the_bot_scores_with_what_was_fitted(coach):
    fitted = load_record()["fitted"]
    p = coach.parameters
    assert (p.coverage_threshold, p.unsure_from, p.raw_partial, p.raw_strong) == pytest.approx(
        (fitted["coverage_threshold"], fitted["unsure_from"], fitted["raw_partial"], fitted["raw_strong"]))


def test_check_floors_names_each_broken_floor(frozen_figures):
    floors = {"spearman": 1.01, "criteria_f1": 0.0, "largest_form_mean_shift_max": -1, "typo": 0.5}
    broken = check_floors(frozen_figures, floors)
    assert len(broken) == 3
    assert any("spearman" in line for line in broken) and any("typo" in line for line in broken)


def test_the_statement_model_reads_non_native_english_no_likelier_to_be_wrong(coach, blind):
    """The same facts in non-native English are no likelier to be read as wrong than in the original: the statement
    model is fitted blind to the direction non-native rewrites move sentence vectors in (bench/judgement.py). Fitted
    on the vectors as they were, its likeliest wrong sentence read 0.076 higher in these held-out answers' rewrites."""
    answers, rewrites = blind
    by_id = {answer.id: answer for answer in answers}
    statements = coach.scorer.model.statements

    def likeliest_wrong(question_id: str, text: str) -> float:
        vectors = coach.assess(question_id, text).assessment.sentence_vectors
        return float(statements.probability(vectors).max())

    shifts = [likeliest_wrong(by_id[r.of].question_id, r.answer) - likeliest_wrong(by_id[r.of].question_id,
                                                                                    by_id[r.of].answer)
              for r in rewrites if r.form == "non_native" and by_id[r.of].part == "held_out_seen"]
    assert len(shifts) >= 80
    assert abs(sum(shifts) / len(shifts)) < 0.03


def test_blind_texts_share_no_eight_word_run_with_a_seed_document(seeds_dir):
    seed_words = " ".join(re.findall(r"[a-z0-9']+", " ".join(
        path.read_text(encoding="utf-8").lower() for path in sorted(seeds_dir.glob("*.txt")))))
    runs = set()
    words = seed_words.split()
    for start in range(len(words) - 7):
        runs.add(" ".join(words[start:start + 8]))
    text_words = re.findall(r"[a-z0-9']+", BLIND_SET.read_text(encoding="utf-8").lower())
    shared = {" ".join(text_words[i:i + 8]) for i in range(len(text_words) - 7)} & runs
    assert not shared


def test_an_answer_that_labels_the_wrong_criteria_is_rejected(tmp_path, coach):
    path = tmp_path / "blind.yml"
    path.write_text("version: 1\nanswers:\n  - {id: x1, question_id: measure_cx_success, kind: story, grade: 7,\n"
                    "     answer: We set a baseline., criteria: {baseline_goal: {covered: 'yes'}}}\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_blind_set(bank_criteria(coach), path)
    assert caught.value.field == "criteria" and caught.value.item_id == "answers[0]"


def test_statement_examples_with_too_few_sentences_are_rejected(tmp_path):
    from coach.matching import load_statement_examples

    path = tmp_path / "statement_examples.yml"
    path.write_text("version: 1\nharmful:\n- We drop every score below 4 before reporting.\nsound: []\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_statement_examples(path)
    assert caught.value.field == "harmful"


def test_a_judgement_model_without_a_statement_model_is_rejected_by_name(tmp_path):
    from coach.matching import load_judgement_model

    document = yaml.safe_load((ROOT / "content" / "judgement_model.yml").read_text(encoding="utf-8"))
    del document["statements"]
    path = tmp_path / "judgement_model.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_judgement_model(path)
    assert caught.value.item_id == "statements" and caught.value.field == "weights"
