"""Every tunable number of the scorer, read from content/scoring.yml into one frozen dataclass.

Flat on purpose: a calibration script can try other values with dataclasses.replace(parameters, coverage_threshold=0.5)
and pass the result to Coach(parameters=...), without editing files. The YAML groups the fields by section.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from coach.content_files import ContentError, read_yaml


@dataclass(frozen=True)
class ScoringParameters:
    # matching criteria against the answer: probabilities from the judgement model (content/judgement_model.yml)
    coverage_threshold: float = 0.45
    unsure_from: float = 0.3
    min_closeness: float = 0.35
    # CX concepts
    description_threshold: float = 0.55
    misdefinition_floor: float = 0.5
    misdefinition_margin: float = 0.05
    doubtful_from: float = 0.85
    misdefinition_cap: float = 0.39
    # behavioural answers (STAR)
    measurable_bonus: float = 0.25
    hypothetical_share: float = 0.5
    hypothetical_cap: float = 0.4
    # anti-gaming
    keyword_list_max_function_share: float = 0.15
    keyword_list_min_terms: float = 3
    copy_min_novel_share: float = 0.25
    copy_min_words: float = 2
    filler_min_distinct_share: float = 0.35
    filler_max_filler_share: float = 0.5
    filler_min_words: float = 6
    gibberish_max_unknown_share: float = 0.5
    words_per_criterion: float = 1.0
    # red flags
    signal_threshold: float = 0.5
    min_words: float = 12
    # score bands
    strong: float = 0.7
    partial: float = 0.4
    # score mapping: the raw scores (fitted by bench/calibrate.py) that are shown as the partial and strong cut points
    raw_partial: float = 0.4
    raw_strong: float = 0.7
    # level readiness
    indicator_threshold: float = 0.5
    verdict_share: float = 0.5
    # follow-up questions
    max_score: float = 0.85
    min_fit: float = 0.35

    def shown_score(self, raw: float) -> float:
        """The raw score mapped onto the scale people read, piecewise linear and rising: the fitted raw cut points
        land on the band cut points (e.g. 0.4 and 0.7), so "70 or more is strong" holds whatever the raw scale."""
        return _through_points(raw, self._mapping_points())

    def raw_for_shown(self, shown: float) -> float:
        """The raw score that shown_score maps onto `shown` (its inverse), for caps stated on the shown scale."""
        return _through_points(shown, [(y, x) for x, y in self._mapping_points()])

    def _mapping_points(self) -> List[Tuple[float, float]]:
        return [(0.0, 0.0), (self.raw_partial, self.partial), (self.raw_strong, self.strong), (1.0, 1.0)]

    def band(self, score: float) -> str:
        """'strong', 'partial' or 'weak' for a score from 0 to 1."""
        if score >= self.strong:
            return "strong"
        if score >= self.partial:
            return "partial"
        return "weak"


def _through_points(x: float, points: Sequence[Tuple[float, float]]) -> float:
    """The y of the broken line through `points` (sorted by x, rising) at x."""
    for (x_low, y_low), (x_high, y_high) in zip(points, points[1:]):
        if x <= x_high:
            share = (x - x_low) / (x_high - x_low) if x_high > x_low else 1.0
            return y_low + share * (y_high - y_low)
    return points[-1][1]


# Which YAML section holds which fields, and the allowed range of each section's values.
SECTIONS: Dict[str, Tuple[str, ...]] = {
    "matching": ("coverage_threshold", "unsure_from", "min_closeness"),
    "concepts": ("description_threshold", "misdefinition_floor", "misdefinition_margin", "doubtful_from",
                 "misdefinition_cap"),
    "star": ("measurable_bonus", "hypothetical_share", "hypothetical_cap"),
    "anti_gaming": ("keyword_list_max_function_share", "keyword_list_min_terms", "copy_min_novel_share",
                    "copy_min_words", "filler_min_distinct_share", "filler_max_filler_share", "filler_min_words",
                    "gibberish_max_unknown_share", "words_per_criterion"),
    "red_flags": ("signal_threshold", "min_words"),
    "bands": ("strong", "partial"),
    "score_mapping": ("raw_partial", "raw_strong"),
    "levels": ("indicator_threshold", "verdict_share"),
    "follow_up": ("max_score", "min_fit"),
}
# Counts and word numbers may exceed 1; every other field is a similarity, share or score between 0 and 1.
UNBOUNDED = {"keyword_list_min_terms", "copy_min_words", "filler_min_words", "words_per_criterion",
             "min_words"}


def load_scoring_parameters(path: Path) -> ScoringParameters:
    """Read content/scoring.yml; a missing, unknown or out-of-range field raises ContentError naming it."""
    path = Path(path)
    document = read_yaml(path)
    for section in sorted(set(document) - set(SECTIONS) - {"version"}):
        raise ContentError(path, "is not a known section", field=section)
    values = {}
    for section, names in SECTIONS.items():
        raw = document.get(section)
        if not isinstance(raw, dict):
            raise ContentError(path, "must be a mapping of parameters", field=section)
        for name in sorted(set(raw) - set(names)):
            raise ContentError(path, "is not a known parameter", item_id=section, field=name)
        for name in names:
            value = raw.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ContentError(path, "must be a number", item_id=section, field=name)
            upper = float("inf") if name in UNBOUNDED else 1.0
            if not 0 <= value <= upper:
                raise ContentError(path, f"must be between 0 and {upper:g}", item_id=section, field=name)
            values[name] = float(value)
    parameters = ScoringParameters(**values)
    check_parameters(parameters, path)
    return parameters


def check_parameters(parameters: ScoringParameters, path: Path = Path("scoring parameters")) -> None:
    """Relations between fields that single-field ranges can't express."""
    if parameters.unsure_from > parameters.coverage_threshold:
        raise ContentError(path, "must not be above coverage_threshold", item_id="matching", field="unsure_from")
    if parameters.partial >= parameters.strong:
        raise ContentError(path, "must be below strong", item_id="bands", field="partial")
    if not 0 < parameters.raw_partial < parameters.raw_strong < 1:
        raise ContentError(path, "must be above 0 and below raw_strong (itself below 1)", item_id="score_mapping",
                           field="raw_partial")

