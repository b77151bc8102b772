"""Which criteria an answer covers, and how sure the coach is.

Every unit of the answer (a sentence, a clause, two neighbouring sentences) is described by a few numbers: how close
it is to the criterion's text and to its examples, how much closer than to the criterion's known wrong or empty
versions (negatives) and to the question's other criteria, which of the criterion's key terms it uses, and how
specific it is (first person, a number) or empty (hypothetical, jargon), and how much its sentence reads like a wrong
statement (a misdefinition or a harmful practice; the statement model below). A logistic model fitted on graded answers
written blind to the criteria (content/judgement_model.yml, written by `python -m bench.judgement --write`) turns
those numbers into the probability that the unit demonstrates the criterion. A criterion's probability is its best
unit's. Criteria with examples and criteria without (the general path) have a model each.

The statement model is a logistic model on a sentence's embedding, fitted on the sentences the blind set's graders
marked wrong or harmful and on the wrong and correct definitions of content/cx_concepts.yml. It knows CX only, so it is
used for the bank's criteria (those with examples) and reads 0 on the general path.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from coach.content_files import ContentError, read_yaml

# The order of each row of numbers; the model file names them, and the loader checks that they match.
UNIT_FEATURES = ("text", "example_max", "example_top3", "negative_max", "over_negative", "other_criteria",
                 "over_other_criteria", "key_terms", "negation_differs", "first_person", "number", "pair", "short",
                 "hypothetical", "jargon", "answer_numbers", "wrong_statement", "answer_wrong")
ANSWER_FEATURES = ("criteria_mean", "closeness", "jargon_share", "misdefinition", "behavioural_hypothetical",
                   "wrong_statement", "covered_but_wrong")

NUMBER_COLUMN = UNIT_FEATURES.index("number")
MIN_STATEMENT_EXAMPLES = 50  # content/statement_examples.yml: at least this many harmful and sound sentences
NUMBERS_HALF = 3  # an answer giving this many numbers is half way to fully concrete (concreteness below)
FIRST_PERSON = re.compile(r"\b(?:i|we|my|our|me|us)\b", re.IGNORECASE)
# A number in words or in digits: "eighteen months" and "a fortnight" are as specific as "18 months" and "2 weeks".
# Digits are counted one by one, so a precise figure ("1,240 tickets") weighs more than a round one ("12"): counting
# each number once fitted the graders worse and moved more rewritten answers by over 10 points (round 1-4 answers).
NUMBER = re.compile(r"\d|\b(?:half|double[ds]?|twice|triple[ds]?|thirds?|quarters?|dozens?|fortnights?|one|two|three|"
                    r"four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
                    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundreds?|thousands?|millions?|billions?)\b",
                    re.IGNORECASE)


@dataclass(frozen=True)
class LogisticModel:
    """p = sigmoid(weights . (row - mean) / scale + intercept)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class LinearModel:
    weights: np.ndarray
    intercept: float

    def predict(self, row: np.ndarray) -> float:
        return float(row @ self.weights + self.intercept)


@dataclass(frozen=True)
class JudgementModel:
    with_examples: LogisticModel  # criteria that carry examples and negatives (the bank's)
    text_only: LogisticModel  # criteria given as text alone (the JSON Lines command, other fields)
    answer: LinearModel  # the answer's score (about grade / 10) from ANSWER_FEATURES, for the bank's criteria
    answer_text_only: LinearModel  # the same for criteria given as text alone
    statements: LogisticModel  # on a sentence's embedding: the probability that it states something wrong or harmful

    def to_document(self) -> Dict:
        def linear(model: LinearModel) -> Dict:
            return {"weights": _floats(model.weights), "intercept": round(float(model.intercept), 6)}

        def logistic(model: LogisticModel) -> Dict:
            return {"mean": _floats(model.mean), "scale": _floats(model.scale), "weights": _floats(model.weights),
                    "intercept": round(float(model.intercept), 6)}

        return {"version": 1, "unit_features": list(UNIT_FEATURES), "with_examples": logistic(self.with_examples),
                "text_only": logistic(self.text_only), "answer_features": list(ANSWER_FEATURES),
                "answer": linear(self.answer), "answer_text_only": linear(self.answer_text_only),
                "statements": logistic(self.statements)}


def silent_statements(dimension: int) -> LogisticModel:
    """A statement model that finds nothing wrong (probability about 0): for sentence vectors of another size than
    the fitted one's, and to fit the other models without one."""
    return LogisticModel(np.zeros(dimension), np.ones(dimension), np.zeros(dimension), -30.0)


def _floats(values) -> list:
    return [round(float(value), 6) for value in values]


def load_judgement_model(path: Path) -> JudgementModel:
    """Read content/judgement_model.yml; a missing section, a feature list that differs from the code's, or a vector
    of the wrong length raises ContentError naming it."""
    path = Path(path)
    document = read_yaml(path)
    for field, expected in (("unit_features", UNIT_FEATURES), ("answer_features", ANSWER_FEATURES)):
        if tuple(document.get(field) or ()) != expected:
            raise ContentError(path, f"must list exactly {', '.join(expected)} (refit with python -m bench.judgement "
                                     f"--write)", field=field)

    def vector(section: str, name: str, length: int) -> np.ndarray:
        values = (document.get(section) or {}).get(name)
        if not isinstance(values, list) or len(values) != length or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise ContentError(path, f"must be a list of {length} numbers", item_id=section, field=name)
        return np.array(values, dtype=float)

    def number(section: str, name: str) -> float:
        value = (document.get(section) or {}).get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ContentError(path, "must be a number", item_id=section, field=name)
        return float(value)

    def logistic(section: str, length: int = len(UNIT_FEATURES)) -> LogisticModel:
        scale = vector(section, "scale", length)
        if (scale <= 0).any():
            raise ContentError(path, "must be above 0", item_id=section, field="scale")
        return LogisticModel(vector(section, "mean", length), scale, vector(section, "weights", length),
                             number(section, "intercept"))

    dimensions = len((document.get("statements") or {}).get("weights") or [])
    if not dimensions:  # one weight per number of a sentence vector: the length comes from the file itself
        raise ContentError(path, "must be a list of numbers, one per sentence-vector dimension", item_id="statements",
                           field="weights")

    return JudgementModel(
        with_examples=logistic("with_examples"),
        text_only=logistic("text_only"),
        answer=LinearModel(vector("answer", "weights", len(ANSWER_FEATURES)), number("answer", "intercept")),
        answer_text_only=LinearModel(vector("answer_text_only", "weights", len(ANSWER_FEATURES)),
                                     number("answer_text_only", "intercept")),
        statements=logistic("statements", dimensions),
    )


def load_statement_examples(path: Path) -> Tuple[List[str], List[str]]:
    """content/statement_examples.yml: `harmful` and `sound` lists of sentences (practices stated as a candidate
    would), at least MIN_STATEMENT_EXAMPLES each."""
    document = read_yaml(path)
    lists = []
    for field in ("harmful", "sound"):
        items = document.get(field)
        if not isinstance(items, list) or len(items) < MIN_STATEMENT_EXAMPLES or not all(
                isinstance(item, str) and item.strip() for item in items):
            raise ContentError(path, f"must be a list of at least {MIN_STATEMENT_EXAMPLES} sentences", field=field)
        lists.append([" ".join(item.split()) for item in items])
    return lists[0], lists[1]


@dataclass(frozen=True)
class CriterionReferences:
    """What a criterion is compared with, as unit-length vectors."""

    texts: np.ndarray  # its text, phrasings and first-person reading
    examples: np.ndarray  # sentences that demonstrate it (may have no rows)
    negatives: np.ndarray  # on-topic sentences that do not (may have no rows)
    key_terms: frozenset
    negated: bool
    number_share: float = 0.5  # share of its examples that hold a number (0.5 without examples)


def unit_features(references: Sequence[CriterionReferences], units: Sequence, unit_vectors: np.ndarray,
                  behavioural: bool = False, wrong: Optional[np.ndarray] = None) -> np.ndarray:
    """Rows of UNIT_FEATURES, shaped [criterion, unit, feature]. `units` are the scorer's units (text, stems,
    negated, is_pair, content_words, hypothetical, jargon). "I would..." is only a weakness where the question asks
    for a real example (`behavioural`): elsewhere it is how a plan is told. `wrong`: per unit, the statement model's
    probability that it states something wrong (zeros when not given); its largest value is every unit's
    `answer_wrong`, since interviewers who hear one wrong statement credit the rest of that answer less readily."""
    count = len(units)
    table = np.zeros((len(references), count, len(UNIT_FEATURES)))
    if not count or not references:
        return table
    closeness = []
    for reference in references:
        text = (unit_vectors @ reference.texts.T).max(axis=1)
        if len(reference.examples):
            to_examples = unit_vectors @ reference.examples.T
            example_max = to_examples.max(axis=1)
            top = min(3, to_examples.shape[1])
            example_top3 = np.sort(to_examples, axis=1)[:, -top:].mean(axis=1)
        else:
            example_max = example_top3 = text
        negative = (unit_vectors @ reference.negatives.T).max(axis=1) if len(reference.negatives) else np.zeros(count)
        closeness.append((text, example_max, example_top3, negative))
    best_positive = np.stack([np.maximum(text, example_max) for text, example_max, _, _ in closeness])
    # Per unit, what does not depend on the criterion. How concrete the whole answer is (concreteness: how many
    # numbers it gives): graders credit a point told inside a concrete story more readily, whether or not that
    # sentence holds the number itself.
    answer_numbers = concreteness(units)
    shared = np.array([[float(bool(FIRST_PERSON.search(unit.text))), float(bool(NUMBER.search(unit.text))),
                        float(unit.is_pair), float(unit.content_words < 3), float(behavioural and unit.hypothetical),
                        unit.jargon / max(1, len(unit.text.split())), answer_numbers] for unit in units])
    wrong = wrong if wrong is not None else np.zeros(count)
    shared = np.column_stack([shared, wrong, np.full(count, wrong.max())])
    for index, (reference, (text, example_max, example_top3, negative)) in enumerate(zip(references, closeness)):
        positive = best_positive[index]
        others = np.delete(best_positive, index, axis=0)
        other = others.max(axis=0) if len(others) else np.zeros(count)
        terms = reference.key_terms
        key_terms = np.array([len(terms & unit.stems) / len(terms) if terms else 0.0 for unit in units])
        negation = np.array([float(unit.negated != reference.negated) for unit in units])
        table[index] = np.column_stack([text, example_max, example_top3, negative, positive - negative, other,
                                        positive - other, key_terms, negation, shared])
        # A number makes a unit specific, but only counts as far as the criterion is shown with numbers: a result
        # with a measure, yes; acknowledging how a customer feels, hardly ever.
        table[index][:, NUMBER_COLUMN] *= reference.number_share
    return table


def concreteness(units: Sequence) -> float:
    """How concrete the whole answer is, from how many numbers it gives: n / (n + NUMBERS_HALF), so 0 without any and
    0.5 at NUMBERS_HALF. A count rather than a share of sentences: the same facts told in fewer words give the same
    numbers, so a concise answer does not look more concrete than the long one it says the same as. The sentences
    are the units that come first for each sentence index (clauses and pairs follow them)."""
    seen, numbers = set(), 0
    for unit in units:
        index = unit.sentence_indexes[0]
        if not unit.is_pair and index not in seen:
            seen.add(index)
            numbers += len(NUMBER.findall(unit.text))
    return numbers / (numbers + NUMBERS_HALF)


def answer_row(probabilities: Sequence[float], table: np.ndarray, jargon_words: int, word_count: int,
               misdefined: bool, behavioural_hypothetical_share: float, wrong_statement: float = 0.0) -> np.ndarray:
    """The answer's ANSWER_FEATURES from its criteria's probabilities and the unit features `table` [criterion, unit,
    feature]. Each moves smoothly with the answer (no threshold inside), so rewording an answer cannot push its score
    over a cliff. `closeness`, the mean over criteria of the closest unit to an example, tells an on-topic answer
    that proves little from one about something else. Numbers count only inside the matching model, unit by unit, where
    min_closeness keeps units off the criterion's topic out: counted over the whole answer, a story about exam week
    would pass for a concrete CX answer."""
    probabilities = np.asarray(probabilities, dtype=float)
    criteria_mean = probabilities.mean() if len(probabilities) else 0.0
    closest = table[:, :, UNIT_FEATURES.index("example_max")].max(axis=1) if table.size else np.zeros(1)
    return np.array([
        criteria_mean,
        float(closest.mean()),
        jargon_words / max(1, word_count),
        float(misdefined),
        behavioural_hypothetical_share,
        wrong_statement,
        criteria_mean * wrong_statement,  # points made by an answer that also says something wrong count for less
    ])
