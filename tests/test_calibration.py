"""The graded set (calibration/graded_answers.yml, not blind) and the scorer's agreement with it on held-out questions:
a regression check with floors in calibration/fitted.yml, for gaming, off-topic answers and other fields. The blind
set's figures are checked in tests/test_judgement.py. If this fails after a scorer change, run
`python -m bench.calibrate` to see the figures.
"""

import re
from pathlib import Path

import pytest
import yaml

from bench.agreement import fit_cut_points, ranks, spearman
from bench.calibrate import FITTED, check_floors, load_floors, report_by_domain, score_answers
from bench.graded_set import GRADED_SET, held_out_keys, load_graded_set
from coach.content_files import ContentError


@pytest.fixture(scope="module")
def bank_questions(project_root):
    document = yaml.safe_load((project_root / "content" / "question_bank.yml").read_text(encoding="utf-8"))
    return {question["id"]: question["text"] for question in document["questions"]}


@pytest.fixture(scope="module")
def graded(bank_questions):
    return load_graded_set(bank_questions)


# --- the graded set -----------------------------------------------------------------------------------------------

def test_every_bank_question_has_graded_answers_of_every_kind(graded, bank_questions):
    for question_id in bank_questions:
        kinds = {answer.kind for answer in graded if answer.item == question_id}
        assert {"strong", "partial", "weak", "off_topic", "gaming"} <= kinds, question_id


def test_general_part_has_15_questions_from_several_fields(graded):
    general = {answer.item for answer in graded if answer.domain == "general"}
    assert len(general) >= 15
    assert all(sum(1 for answer in graded if answer.item == item) >= 4 for item in general)


def test_answers_come_in_varied_lengths(graded):
    lengths = [len(answer.answer.split()) for answer in graded if answer.domain == "cx"]
    assert min(lengths) <= 5
    assert sum(1 for length in lengths if 40 <= length <= 70) >= 5
    assert sum(1 for length in lengths if 120 <= length <= 200) >= 5
    assert sum(1 for length in lengths if length >= 350) >= 2


def test_split_is_by_question_stable_and_about_forty_percent(graded):
    for domain in ("cx", "general"):
        items = {answer.item for answer in graded if answer.domain == domain}
        held = {answer.item for answer in graded if answer.domain == domain and answer.held_out}
        assert 0.3 <= len(held) / len(items) <= 0.5
        assert held == held_out_keys(sorted(items, reverse=True))  # order of the input does not matter
    # every answer of a question is on the same side
    sides = {}
    for answer in graded:
        assert sides.setdefault(answer.item, answer.held_out) == answer.held_out


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "graded.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_GENERAL = """
general:
  - id: egg
    field: cooking
    question: How do you boil an egg?
    criteria: [Put it in boiling water.]
    answers:
      - {kind: strong, grade: 8, why: ok, answer: Boil water and cook it.}
      - {kind: weak, grade: 2, why: ok, answer: Eggs are nice.}
      - {kind: off_topic, grade: 0, why: ok, answer: I like trains.}
      - {kind: gaming, trick: too_short, grade: 0, why: ok, answer: Egg.}
"""


def _cx_entry(question_id: str, grade="9", kind="strong") -> str:
    return f"""
  - question_id: {question_id}
    answers:
      - {{kind: {kind}, grade: {grade}, why: ok, answer: A full answer.}}
      - {{kind: partial, grade: 5, why: ok, answer: Half an answer.}}
      - {{kind: weak, grade: 2, why: ok, answer: Not much.}}
      - {{kind: off_topic, grade: 0, why: ok, answer: Something else.}}
      - {{kind: gaming, trick: filler, grade: 0, why: ok, answer: um um um.}}
"""


def test_a_valid_small_file_loads(tmp_path):
    path = _write(tmp_path, "version: 1\ncx:" + _cx_entry("q1") + GOOD_GENERAL)
    loaded = load_graded_set({"q1": "Question one?"}, path)
    assert len(loaded) == 9
    assert {answer.domain for answer in loaded} == {"cx", "general"}


@pytest.mark.parametrize("cx_entry, bank, item, field", [
    (_cx_entry("q1", grade="11"), {"q1": "?"}, "q1.answers[0]", "grade"),
    (_cx_entry("q1", kind="brilliant"), {"q1": "?"}, "q1.answers[0]", "kind"),
    (_cx_entry("nope"), {"q1": "?"}, "nope", "question_id"),
    (_cx_entry("q1"), {"q1": "?", "q2": "?"}, None, "cx"),  # a bank question without graded answers
])
def test_a_bad_file_names_file_item_and_field(tmp_path, cx_entry, bank, item, field):
    path = _write(tmp_path, "version: 1\ncx:" + cx_entry + GOOD_GENERAL)
    with pytest.raises(ContentError) as raised:
        load_graded_set(bank, path)
    assert raised.value.path == path and raised.value.field == field and raised.value.item_id == item
    assert str(path) in str(raised.value)


def test_gaming_answer_without_trick_is_rejected(tmp_path):
    text = "version: 1\ncx:" + _cx_entry("q1").replace("trick: filler, ", "") + GOOD_GENERAL
    with pytest.raises(ContentError, match="trick"):
        load_graded_set({"q1": "?"}, _write(tmp_path, text))


def test_graded_answers_share_no_eight_word_run_with_a_seed_document(project_root, seeds_dir):

    def runs(text):
        tokens = re.findall(r"[^\W\d_]+", text.lower())
        return {tuple(tokens[start:start + 8]) for start in range(len(tokens) - 7)}

    seed_runs = set()
    for seed in sorted(seeds_dir.iterdir()):
        if seed.is_file():
            seed_runs |= runs(seed.read_text(encoding="utf-8", errors="replace"))
    copied = sorted(" ".join(run) for run in runs(GRADED_SET.read_text(encoding="utf-8")) & seed_runs)
    assert not copied, f"{GRADED_SET.name} copies the seed documents: {copied}"


# --- the statistics -----------------------------------------------------------------------------------------------

def test_ranks_share_ties():
    assert ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]


@pytest.mark.parametrize("xs, ys, expected", [
    ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
    ([1, 2, 3, 4], [40, 30, 20, 10], -1.0),
    ([1, 2, 3, 4, 5], [5, 6, 7, 8, 7], 0.8208),   # scipy.stats.spearmanr gives 0.8207826816681233
    ([1, 1, 1], [1, 2, 3], 0.0),
])
def test_spearman(xs, ys, expected):
    assert spearman(xs, ys) == pytest.approx(expected, abs=1e-4)


def test_cut_points_separate_bands_when_scores_allow():
    scores = [0.05, 0.1, 0.45, 0.5, 0.8, 0.9]
    bands = ["weak", "weak", "partial", "partial", "strong", "strong"]
    low, high, agreement = fit_cut_points(scores, bands, [round(0.05 * step, 2) for step in range(1, 20)])
    assert agreement == 1.0
    assert 0.1 < low <= 0.45 and 0.5 < high <= 0.8


def test_cut_points_keep_the_gap_they_are_given():
    scores = [0.3, 0.35, 0.45, 0.5, 0.52, 0.55]  # the three bands within 0.25 of each other
    bands = ["weak", "weak", "partial", "partial", "strong", "strong"]
    grid = [round(0.01 * step, 2) for step in range(1, 100)]
    assert fit_cut_points(scores, bands, grid)[2] == 1.0
    low, high, agreement = fit_cut_points(scores, bands, grid, min_gap=0.3)
    assert high - low >= 0.3 - 1e-9 and agreement < 1.0


# --- agreement with interviewers on held-out questions ------------------------------------------------------------

@pytest.fixture(scope="module")
def held_out_report(coach, graded):
    held_out = [answer for answer in graded if answer.held_out]
    scores = score_answers(coach, held_out)
    return report_by_domain(coach, held_out, scores), load_floors(FITTED), held_out, scores


def test_committed_floors_cover_cx_general_and_gaming():
    floors = load_floors(FITTED)
    for name in ("cx", "general", "all"):
        assert floors[f"{name}_spearman"] > 0.5
        assert floors[f"{name}_band_agreement"] > 0.5
    assert floors["gaming_mean_score_max"] <= 0.3
    assert floors["gaming_score_max"] <= 0.35


def test_held_out_agreement_stays_above_the_committed_floors(held_out_report):
    report, floors, _, _ = held_out_report
    assert check_floors(report, floors) == []


def test_gaming_answers_score_low_on_held_out_questions(held_out_report):
    _, floors, held_out, scores = held_out_report
    gaming = {answer.answer: score for answer, score in zip(held_out, scores) if answer.kind == "gaming"}
    assert gaming, "the held-out part has no gaming answers"
    too_high = {answer: score for answer, score in gaming.items() if score > floors["gaming_score_max"]}
    assert not too_high


def test_off_topic_answers_score_below_the_partial_band(held_out_report, coach):
    _, _, held_out, scores = held_out_report
    off_topic = [score for answer, score in zip(held_out, scores) if answer.kind == "off_topic"]
    assert off_topic and max(off_topic) < coach.parameters.partial


def test_check_floors_reports_each_broken_floor():
    figures = {"spearman": 0.5, "band_agreement": 0.7, "mean_score_by_kind": {"gaming": 0.4}}
    report = {"cx": figures, "general": figures, "all": figures}
    broken = check_floors(report, {"cx_spearman": 0.6, "all_band_agreement": 0.65, "gaming_mean_score_max": 0.3})
    assert len(broken) == 2
    assert any("cx spearman" in line for line in broken) and any("gaming" in line for line in broken)
