"""Fit the judgement model on the development part of the blind set, and report how the coach agrees with the
interviewers on the held-out part, which nothing is fitted on.

    python -m bench.judgement           # report on the held-out part (and, for reference, the development part)
    python -m bench.judgement --write   # refit on the development part, then write content/judgement_model.yml,
                                        # the thresholds in content/scoring.yml and calibration/judgement.yml

Fitting, all on development questions only:
- the statement model (coach/matching.py): logistic regression on sentence embeddings, the sentences the graders
  marked wrong or harmful against the rest, with the wrong and correct definitions of content/cx_concepts.yml and the
  criteria's examples added, blind to the direction non-native rewrites move sentence vectors in; the unit models are
  fitted on its out-of-fold probabilities;
- the matching models (coach/matching.py): logistic regression on the best unit of each labelled (answer, criterion)
  pair, re-chosen with the model of the round before (the labels say whether an answer covers a criterion, not which
  words do); one model with the criteria's examples, one with their text alone (the general path);
- the covered threshold: the one with the best F1 on out-of-fold probabilities (five folds by question);
- the answer model: ridge regression of grade / 10 on the answer's features, from out-of-fold probabilities;
- the band cut points: those that put the most development answers in their grade's band.
"""

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from bench.agreement import band_agreement, fit_cut_points, spearman
from bench.blind_set import FROZEN_ROUND, KINDS, BlindAnswer, Rewrite, grade_band, held_out_checksum, load_blind_set
from bench.records import write_keeping_floors

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = ROOT / "content" / "judgement_model.yml"
SCORING_FILE = ROOT / "content" / "scoring.yml"
RECORD = ROOT / "calibration" / "judgement.yml"
FOLDS = 5
PARTS = {
    "held_out": f"Held-out questions, round {FROZEN_ROUND} (frozen; never fitted on, figures not seen while building)",
    "held_out_seen": f"Held-out questions, rounds before {FROZEN_ROUND} (never fitted on, but their figures were seen "
                     "while building)",
    "development": "Development questions (fitted on: for reference only)",
}
THRESHOLD_GRID = tuple(round(0.2 + 0.025 * step, 3) for step in range(21))  # 0.20 .. 0.70
CUT_GRID = tuple(round(0.02 * step, 2) for step in range(1, 50))
STATEMENT_C = 0.3  # the statement model's inverse regularisation strength
STYLE_BLIND_FORM = "non_native"  # the statement model is fitted blind to the way this form moves sentence vectors
MIN_CUT_GAP = 0.2  # raw cut points this far apart at least: the middle of the mapping is at most 1.5 times as steep


def bank_criteria(coach) -> Dict[str, List[str]]:
    return {qid: [c.id for c in question.criteria] for qid, question in coach.bank.questions.items()}


# --- fitting -----------------------------------------------------------------------------------------------------

def feature_tables(coach, answers: Sequence[BlindAnswer], with_examples: bool) -> Dict[str, np.ndarray]:
    from coach.coach import criterion_specs

    tables = {}
    for answer in answers:
        question = coach.bank.questions[answer.question_id]
        specs = criterion_specs(question)
        if not with_examples:
            specs = [replace(spec, examples=(), negatives=()) for spec in specs]
        tables[answer.id] = coach.scorer.criterion_features(answer.answer, specs, question.text,
                                                            question.expects_example)
    return tables


def fit_unit_model(tables: Dict[str, np.ndarray], answers: Sequence[BlindAnswer], criterion_ids, rounds: int = 3):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from coach.matching import UNIT_FEATURES, LogisticModel

    start = UNIT_FEATURES.index("example_max")
    model = None
    for _ in range(rounds):
        rows, labels = [], []
        for answer in answers:
            table = tables[answer.id]
            if table.shape[1] == 0:
                continue
            for index, criterion_id in enumerate(criterion_ids[answer.question_id]):
                scores = table[index][:, start] if model is None else model.probability(table[index])
                rows.append(table[index][int(np.argmax(scores))])
                labels.append(int(answer.covered(criterion_id)))
        rows = np.array(rows)
        scaler = StandardScaler().fit(rows)
        scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
        fitted = LogisticRegression(C=1.0, max_iter=5000).fit((rows - scaler.mean_) / scale, labels)
        model = LogisticModel(scaler.mean_, scale, fitted.coef_[0], float(fitted.intercept_[0]))
    return model


def fit_text_only_answer_model(coach, unit_models, answer_model, statement_model):
    """The answer model for criteria given as text alone (other fields, the JSON Lines command), fitted on the fit
    part of calibration/graded_answers.yml's general questions: the blind set has bank questions only."""
    from sklearn.linear_model import Ridge

    from bench.graded_set import load_graded_set
    from coach.matching import JudgementModel, LinearModel
    from coach.score_cli import assess_line

    fitted_coach = coach_with(coach, JudgementModel(*unit_models, answer_model, answer_model, statement_model))
    graded = load_graded_set({qid: question.text for qid, question in coach.bank.questions.items()})
    general = [answer for answer in graded if answer.domain == "general" and not answer.held_out]
    rows = [assess_line(answer.score_line(), fitted_coach)[0].answer_features for answer in general]
    ridge = Ridge(alpha=0.1).fit(np.array(rows), [answer.grade / 10 for answer in general])
    return LinearModel(ridge.coef_, float(ridge.intercept_))


def off_topic_answers(coach, question_ids) -> List[Tuple[str, str, str]]:
    """(key, question id, answer) of the graded set's off-topic answers to these bank questions."""
    from bench.graded_set import load_graded_set

    graded = load_graded_set({qid: question.text for qid, question in coach.bank.questions.items()})
    # Only from the graded set's own fit part, so that bench/calibrate.py's held-out figures stay unfitted.
    return [(f"off_topic_{index}", answer.question_id, answer.answer) for index, answer in enumerate(graded)
            if answer.kind == "off_topic" and answer.question_id in question_ids and not answer.held_out]


def folds_by_question(answers: Sequence[BlindAnswer]) -> List[frozenset]:
    questions = sorted({answer.question_id for answer in answers})
    return [frozenset(questions[start::FOLDS]) for start in range(FOLDS)]


def coach_with(coach, model, parameters=None):
    from coach.coach import Coach

    return Coach(settings=coach.settings, embedder=coach.embedder, parameters=parameters or coach.parameters,
                 model=model)


def quoted(sentence: str, quotes: Sequence[str]) -> bool:
    """Whether a grader's quote (verbatim, but perhaps a part of the sentence or spanning two) is this sentence."""
    sentence_words = set(re.findall(r"\w+", sentence.lower()))
    for quote in quotes:
        quote_words = set(re.findall(r"\w+", quote.lower()))
        if quote_words and len(quote_words & sentence_words) >= 0.6 * min(len(quote_words), len(sentence_words)):
            return True
    return False


def style_direction(coach, answers: Sequence[BlindAnswer], rewrites: Sequence[Rewrite], form: str) -> np.ndarray:
    """The unit-length direction in which writing an answer in `form` moves its mean sentence vector: the mean, over
    the rewrites of `answers` in that form, of (rewrite's mean sentence vector - original's). Zeros without any."""
    from coach.scoring import split_sentences

    by_id = {answer.id: answer for answer in answers}
    pairs = [(by_id[r.of].answer, r.answer) for r in rewrites if r.form == form and r.of in by_id]
    if not pairs:
        return np.zeros(coach.embedder.dimension)

    def mean_vector(text: str) -> np.ndarray:
        return coach.embedder.encode(split_sentences(text)).mean(axis=0)

    direction = np.mean([mean_vector(rewritten) - mean_vector(original) for original, rewritten in pairs], axis=0)
    return direction / np.linalg.norm(direction)


def fit_statement_model(coach, answers: Sequence[BlindAnswer], rewrites: Sequence[Rewrite]):
    """Logistic regression on sentence embeddings: is the sentence wrong or harmful? Positives: the sentences of
    `answers` their graders quoted as wrong, the concepts' misconceptions and the harmful practices of
    content/statement_examples.yml; negatives: their other sentences, the concepts' correct definitions and
    descriptions, the sound practices and every criterion's examples.

    Blind to non-native English: fitted without the direction in which the non-native rewrites of `answers` move
    sentence vectors (STYLE_BLIND_FORM), and its weights hold no part of that direction. Fitted on the vectors as
    they are, the model read the same facts in non-native English as likelier to be wrong, and each such rewrite lost
    points."""
    from sklearn.linear_model import LogisticRegression

    from coach.matching import LogisticModel, load_statement_examples
    from coach.scoring import split_sentences

    texts, labels = [], []
    for answer in answers:
        for sentence in split_sentences(answer.answer):
            texts.append(sentence)
            labels.append(int(quoted(sentence, answer.wrong)))
    for concept in coach.content.concepts:
        texts += [*concept.misconceptions, *concept.definitions, *concept.descriptions]
        labels += [1] * len(concept.misconceptions) + [0] * (len(concept.definitions) + len(concept.descriptions))
    harmful, sound = load_statement_examples(coach.settings.content_dir / "statement_examples.yml")
    texts += harmful + sound
    labels += [1] * len(harmful) + [0] * len(sound)
    for question in coach.bank.questions.values():
        for criterion in question.criteria:
            texts += list(criterion.examples)
            labels += [0] * len(criterion.examples)
    style = style_direction(coach, answers, rewrites, STYLE_BLIND_FORM)
    vectors = coach.embedder.encode(texts)
    vectors = vectors - np.outer(vectors @ style, style)
    fitted = LogisticRegression(C=STATEMENT_C, class_weight="balanced", max_iter=5000).fit(vectors, labels)
    weights = fitted.coef_[0] - (fitted.coef_[0] @ style) * style  # w . x then equals w . (x without the style part)
    dimension = vectors.shape[1]
    return LogisticModel(np.zeros(dimension), np.ones(dimension), weights, float(fitted.intercept_[0]))


def fit_unit_models(tables_with, tables_text, answers, criterion_ids):
    return (fit_unit_model(tables_with, answers, criterion_ids), fit_unit_model(tables_text, answers, criterion_ids))


def neutral_model(dimension: int):
    """A judgement model that knows nothing yet: every unit at probability 0.5, every answer at 0.5, no sentence
    wrong. What the fitting reads features with, before any model is fitted."""
    from coach.matching import (
        ANSWER_FEATURES,
        UNIT_FEATURES,
        JudgementModel,
        LinearModel,
        LogisticModel,
        silent_statements,
    )

    units = LogisticModel(np.zeros(len(UNIT_FEATURES)), np.ones(len(UNIT_FEATURES)), np.zeros(len(UNIT_FEATURES)), 0.0)
    answer = LinearModel(np.zeros(len(ANSWER_FEATURES)), 0.5)
    return JudgementModel(units, units, answer, answer, silent_statements(dimension))


def fit(coach, answers: Sequence[BlindAnswer], rewrites: Sequence[Rewrite]) -> Tuple[object, Dict[str, float]]:
    """Fit on the development answers; returns the model and the thresholds and cut points for scoring.yml."""
    from coach.matching import JudgementModel, LinearModel

    development = [answer for answer in answers if answer.part == "development"]
    criterion_ids = bank_criteria(coach)
    neutral = neutral_model(coach.embedder.dimension)

    # Off-topic answers (grade 0) from calibration/graded_answers.yml for the same questions: the blind set has none,
    # and without them the answer model would give an answer about something else entirely a score above zero.
    off_topic = off_topic_answers(coach, {answer.question_id for answer in development})

    # The statement model of each fold, fitted without its questions; every development answer's unit features are
    # read with its fold's, so that the unit models learn how much an unseen question's statement probability says.
    folds = folds_by_question(development)
    statements = {fold: fit_statement_model(coach, [a for a in development if a.question_id not in fold], rewrites)
                  for fold in folds}
    with_examples, text_only = {}, {}
    for fold in folds:
        reader = coach_with(coach, replace(neutral, statements=statements[fold]))
        chosen = [answer for answer in development if answer.question_id in fold]
        with_examples.update(feature_tables(reader, chosen, True))
        text_only.update(feature_tables(reader, chosen, False))

    # Out-of-fold: each development answer scored by models fitted without its question.
    out_of_fold: Dict[str, Tuple[np.ndarray, np.ndarray]] = {}
    for fold in folds:
        training = [answer for answer in development if answer.question_id not in fold]
        fold_model = JudgementModel(*fit_unit_models(with_examples, text_only, training, criterion_ids),
                                    neutral.answer, neutral.answer, statements[fold])
        fold_coach = coach_with(coach, fold_model)
        for key, question_id, text in [(a.id, a.question_id, a.answer) for a in development] + off_topic:
            if question_id in fold:
                assessment = fold_coach.assess(question_id, text).assessment
                out_of_fold[key] = (np.array([r.similarity for r in assessment.criteria]),
                                    np.array(assessment.answer_features))

    curve = {t: criteria_agreement(development, criterion_ids, {
        answer.id: out_of_fold[answer.id][0] >= t for answer in development}) for t in THRESHOLD_GRID}
    # The best F1; among thresholds within 0.01 of it, the highest, since a point wrongly credited misleads the
    # candidate more than one reported as "partly, or not clearly" (the unsure band below the threshold).
    best_f1 = max(figures["f1"] for figures in curve.values())
    threshold = max(t for t, figures in curve.items() if figures["f1"] >= best_f1 - 0.01)
    rows = [out_of_fold[answer.id][1] for answer in development] + [out_of_fold[key][1] for key, _, _ in off_topic]
    from sklearn.linear_model import Ridge

    grades = np.array([answer.grade / 10 for answer in development] + [0.0] * len(off_topic))
    ridge = Ridge(alpha=0.1).fit(np.array(rows), grades)
    predicted = np.clip(ridge.predict(np.array(rows)), 0, 1)
    # The shown score maps the raw cut points onto 0.4 and 0.7; cut points close together would make that mapping
    # steep, and a steep mapping turns a small change of wording into a large change of score.
    partial_from, strong_from, _ = fit_cut_points(list(predicted), [a.band for a in development]
                                                  + ["weak"] * len(off_topic), CUT_GRID, MIN_CUT_GAP)
    unit_models = fit_unit_models(with_examples, text_only, development, criterion_ids)
    statement_model = fit_statement_model(coach, development, rewrites)
    answer_model = LinearModel(ridge.coef_, float(ridge.intercept_))
    model = JudgementModel(*unit_models, answer_model,
                           fit_text_only_answer_model(coach, unit_models, answer_model, statement_model),
                           statement_model)
    blind_rows = np.array(rows[: len(development)])
    predicted_grades = np.clip(answer_model.weights @ blind_rows.T + answer_model.intercept, 0, 1)
    print(f"Out of fold on the development part: criteria F1 {curve[threshold]['f1']:.3f} "
          f"(precision {curve[threshold]['precision']:.2f}, recall {curve[threshold]['recall']:.2f}); "
          f"Spearman {spearman(list(predicted_grades), [a.grade for a in development]):.3f}", file=sys.stderr)
    values = {"coverage_threshold": threshold, "unsure_from": round(max(0.05, threshold - 0.15), 3),
              "raw_partial": partial_from, "raw_strong": strong_from}
    return model, values


# --- reporting ---------------------------------------------------------------------------------------------------

def criteria_agreement(answers: Sequence[BlindAnswer], criterion_ids, predicted: Dict[str, np.ndarray]) -> Dict:
    """Precision, recall and F1 of 'covered' against the graders' 'yes'."""
    counts = np.zeros(3)  # true positives, false positives, false negatives
    for answer in answers:
        for index, criterion_id in enumerate(criterion_ids[answer.question_id]):
            truth, said = answer.covered(criterion_id), bool(predicted[answer.id][index])
            counts += (truth and said, said and not truth, truth and not said)
    tp, fp, fn = (float(count) for count in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "labels": int(tp + fn)}


def report(coach, answers: Sequence[BlindAnswer], rewrites) -> Dict:
    criterion_ids = bank_criteria(coach)
    results = {answer.id: coach.assess(answer.question_id, answer.answer).assessment for answer in answers}
    covered = {aid: np.array([r.covered for r in result.criteria]) for aid, result in results.items()}
    everything = {aid: np.ones(len(result.criteria), dtype=bool) for aid, result in results.items()}
    scores = [results[answer.id].score for answer in answers]
    bands = [(answer.band, results[answer.id].band) for answer in answers]
    majority = max(("weak", "partial", "strong"), key=lambda band: sum(1 for b, _ in bands if b == band))
    echo = [results[a.id].band == "weak" for a in answers if a.kind == "echo"]
    by_kind = {}
    for kind in KINDS:
        chosen = [answer for answer in answers if answer.kind == kind]
        if chosen:
            by_kind[kind] = dict(criteria_agreement(chosen, criterion_ids, covered),
                                 mean_score=round(100 * float(np.mean([results[a.id].score for a in chosen])), 1),
                                 mean_grade=round(float(np.mean([a.grade for a in chosen])), 1))
    return {
        "answers": len(answers),
        "questions": len({answer.question_id for answer in answers}),
        "criteria": criteria_agreement(answers, criterion_ids, covered),
        "criteria_baseline_all_covered": criteria_agreement(answers, criterion_ids, everything),
        "spearman": round(spearman(scores, [answer.grade for answer in answers]), 3),
        "band_agreement": round(band_agreement(bands), 3),
        "band_baseline_majority": {"band": majority,
                                   "agreement": round(band_agreement([(b, majority) for b, _ in bands]), 3)},
        "echo_in_weak_band": round(float(np.mean(echo)), 3) if echo else None,
        "genuine_answers_flagged_as_gaming": sum(1 for r in results.values() if r.gaming is not None),
        "by_kind": by_kind,
        "form_changes": form_changes(coach, answers, rewrites, results) if rewrites else None,
        "second_interviewer": second_interviewer(answers, criterion_ids),
    }


def second_interviewer(answers: Sequence[BlindAnswer], criterion_ids) -> Optional[Dict]:
    """How a second interviewer, grading the same answers without sight of the first's grades, agrees with the first
    (whose labels are the truth above): what 'agreeing with an interviewer' can reach."""
    graded = [answer for answer in answers if answer.second_grade is not None]
    if not graded:
        return None
    said = {answer.id: np.array([answer.second_criteria[cid] == "yes" for cid in criterion_ids[answer.question_id]])
            for answer in graded}
    return {"answers": len(graded), "criteria": criteria_agreement(graded, criterion_ids, said),
            "spearman": round(spearman([a.second_grade for a in graded], [a.grade for a in graded]), 3),
            "band_agreement": round(band_agreement([(a.band, grade_band(a.second_grade)) for a in graded]), 3)}


def form_changes(coach, answers, rewrites, results) -> Dict:
    """How much the score (0-100) moves when the same facts are written in another form."""
    by_id = {answer.id: answer for answer in answers}
    shifts: Dict[str, List[float]] = {}
    for rewrite in rewrites:
        original = by_id.get(rewrite.of)
        if original is None:
            continue
        score = coach.assess(original.question_id, rewrite.answer).assessment.score
        shifts.setdefault(rewrite.form, []).append(100 * (score - results[original.id].score))
    every = [abs(value) for values in shifts.values() for value in values]
    return {
        "rewrites": len(every),
        "largest_mean_shift": round(max(abs(float(np.mean(v))) for v in shifts.values()), 1) if every else None,
        "largest_shift": round(max(every), 1) if every else None,
        "over_10_points": sum(1 for value in every if value > 10),
        "by_form": {form: {"mean_shift": round(float(np.mean(v)), 1), "largest": round(float(max(np.abs(v))), 1)}
                    for form, v in sorted(shifts.items())},
    }


def print_report(title: str, figures: Dict) -> None:
    c, base = figures["criteria"], figures["criteria_baseline_all_covered"]
    print(f"\n{title}: {figures['answers']} answers on {figures['questions']} questions, {c['labels']} points made")
    print(f"  criteria covered   precision {c['precision']:.2f}  recall {c['recall']:.2f}  F1 {c['f1']:.2f}"
          f"   (baseline 'all covered': {base['precision']:.2f} / {base['recall']:.2f} / {base['f1']:.2f})")
    print(f"  score vs grade     Spearman {figures['spearman']:.3f}   (baseline: a constant score, 0)")
    majority = figures["band_baseline_majority"]
    print(f"  bands              agreement {figures['band_agreement']:.1%}   (baseline: always '{majority['band']}', "
          f"{majority['agreement']:.1%})")
    if figures["echo_in_weak_band"] is not None:
        print(f"  rubric echo        in the weak band {figures['echo_in_weak_band']:.0%}")
    print(f"  gaming flags on these genuine answers: {figures['genuine_answers_flagged_as_gaming']}")
    print("  by kind            precision / recall / F1, mean score vs mean grade x 10")
    for kind, values in figures["by_kind"].items():
        print(f"    {kind:14s}   {values['precision']:.2f} / {values['recall']:.2f} / {values['f1']:.2f}"
              f"   {values['mean_score']:5.1f} vs {10 * values['mean_grade']:5.1f}")
    second = figures.get("second_interviewer")
    if second:
        c = second["criteria"]
        print(f"  a second interviewer against the first, on the same {second['answers']} answers: criteria "
              f"{c['precision']:.2f} / {c['recall']:.2f} / {c['f1']:.2f}, Spearman {second['spearman']:.3f}, "
              f"bands {second['band_agreement']:.1%}")
    forms = figures.get("form_changes")
    if forms:
        print(f"  same facts, another form ({forms['rewrites']} rewrites): largest mean shift of a form "
              f"{forms['largest_mean_shift']:.1f} points, largest single shift {forms['largest_shift']:.1f}, "
              f"{forms['over_10_points']} over 10")
        for form, values in forms["by_form"].items():
            print(f"    {form:11s} mean {values['mean_shift']:+5.1f}, largest {values['largest']:4.1f}")


# --- files -------------------------------------------------------------------------------------------------------

def write_model(model) -> None:
    header = ("# The judgement model: fitted by `python -m bench.judgement --write` on the development part of\n"
              "# calibration/blind_set.yml (see coach/matching.py for what each number does). Do not edit by hand.\n")
    MODEL_FILE.write_text(header + yaml.safe_dump(model.to_document(), sort_keys=False, width=120), encoding="utf-8")


def write_scoring_values(values: Dict[str, float]) -> None:
    """Replace `name: value` lines in content/scoring.yml, keeping its comments."""
    text = SCORING_FILE.read_text(encoding="utf-8")
    for name, value in values.items():
        text, count = re.subn(rf"(?m)^(\s+{name}:\s*)[0-9.]+", rf"\g<1>{value:g}", text)
        if count != 1:
            raise SystemExit(f"content/scoring.yml: expected one '{name}:' line, found {count}")
    SCORING_FILE.write_text(text, encoding="utf-8")


RECORD_NOTE = """\
# Written by `python -m bench.judgement --write`: the figures on the blind set with the model fitted then, and the
# checksum of the frozen held-out part. `floors` is set by hand, a little below the frozen held-out figures, and
# checked by tests/test_judgement.py in `make test`; the write keeps it as it was. Never lower a floor to make a
# failing test pass.
"""


def check_floors(figures: Dict, floors: Dict) -> List[str]:
    """Which floors (calibration/judgement.yml) the frozen held-out figures break; tests/test_judgement.py asserts
    none."""
    values = {
        "criteria_precision": figures["criteria"]["precision"],
        "criteria_recall": figures["criteria"]["recall"],
        "criteria_f1": figures["criteria"]["f1"],
        "story_recall": figures["by_kind"]["story"]["recall"],
        "spearman": figures["spearman"],
        "band_agreement": figures["band_agreement"],
        "echo_in_weak_band": figures["echo_in_weak_band"],
    }
    broken = [f"{name} {values[name]:.3f} < floor {floor:.3f}" for name, floor in floors.items()
              if name in values and values[name] < floor]
    ceilings = {"largest_form_mean_shift": (figures.get("form_changes") or {}).get("largest_mean_shift"),
                "genuine_answers_flagged_as_gaming": figures["genuine_answers_flagged_as_gaming"]}
    for name, value in ceilings.items():
        ceiling = floors.get(f"{name}_max")
        if ceiling is not None and value is not None and value > ceiling:
            broken.append(f"{name} {value} > ceiling {ceiling}")
    unknown = set(floors) - set(values) - {f"{name}_max" for name in ceilings}
    broken += [f"unknown floor {name}" for name in sorted(unknown)]
    return broken


def load_record() -> Dict:
    return yaml.safe_load(RECORD.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="refit on the development part and write the files")
    parser.add_argument("--hide-frozen", action="store_true",
                        help="do not measure the frozen part (while choosing between variants on the others)")
    args = parser.parse_args(argv)

    from coach.coach import Coach

    fitted_values = None
    if args.write:
        from coach.embedding import Embedder
        from coach.settings import load_settings

        settings = load_settings()
        embedder = Embedder(settings.embedding_model, backend=settings.embedding_backend)
        coach = Coach(settings=settings, embedder=embedder, model=neutral_model(embedder.dimension))
        answers, rewrites = load_blind_set(bank_criteria(coach))
        model, fitted_values = fit(coach, answers, rewrites)
        write_model(model)
        write_scoring_values(fitted_values)
        print("Fitted and written: " + ", ".join(f"{name} {value:g}" for name, value in fitted_values.items()))
    coach = Coach()
    answers, rewrites = load_blind_set(bank_criteria(coach))
    figures = {}
    for part in PARTS:
        if part == "held_out" and args.hide_frozen:
            continue
        chosen = [answer for answer in answers if answer.part == part]
        ids = {answer.id for answer in chosen}
        if chosen:
            figures[part] = report(coach, chosen, [r for r in rewrites if r.of in ids])
            print_report(PARTS[part], figures[part])
    if args.write and args.hide_frozen:
        return 0  # nothing recorded without the frozen part's figures
    if args.write:
        broken = check_floors(figures["held_out"], load_record().get("floors") or {}) if RECORD.exists() else []
        record = {"held_out_checksum": held_out_checksum(answers), "fitted": fitted_values, **figures}
        write_keeping_floors(RECORD, RECORD_NOTE, record)
        if broken:
            print("\nBROKEN floors: " + "; ".join(broken))
        written = ", ".join(str(path.relative_to(ROOT)) for path in (MODEL_FILE, SCORING_FILE, RECORD))
        print(f"\nWrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
