"""How well scores agree with interviewers' grades: Spearman rank correlation, band agreement, a confusion table.

Plain Python on purpose (no scipy): a few hundred numbers, and the definitions are short enough to read.
"""

from typing import Dict, List, Sequence, Tuple

BANDS = ("weak", "partial", "strong")


def ranks(values: Sequence[float]) -> List[float]:
    """1-based ranks; tied values share the mean of the ranks they span (as Spearman's rho requires)."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho: the Pearson correlation of the ranks. 0.0 when either side has no spread."""
    if len(xs) != len(ys):
        raise ValueError("spearman needs two sequences of the same length")
    if len(xs) < 2:
        return 0.0
    rx, ry = ranks(xs), ranks(ys)
    mean_x, mean_y = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mean_x) * (b - mean_y) for a, b in zip(rx, ry))
    var_x = sum((a - mean_x) ** 2 for a in rx)
    var_y = sum((b - mean_y) ** 2 for b in ry)
    if var_x == 0 or var_y == 0:
        return 0.0
    return cov / (var_x * var_y) ** 0.5


def score_band(score: float, partial_from: float, strong_from: float) -> str:
    if score >= strong_from:
        return "strong"
    if score >= partial_from:
        return "partial"
    return "weak"


def band_agreement(pairs: Sequence[Tuple[str, str]]) -> float:
    """Share of (expected band, scored band) pairs that match; 0.0 for no pairs."""
    return sum(1 for expected, scored in pairs if expected == scored) / len(pairs) if pairs else 0.0


def confusion(pairs: Sequence[Tuple[str, str]]) -> Dict[str, Dict[str, int]]:
    """confusion[expected][scored] = how many answers."""
    table = {expected: {scored: 0 for scored in BANDS} for expected in BANDS}
    for expected, scored in pairs:
        table[expected][scored] += 1
    return table


def fit_cut_points(scores: Sequence[float], bands: Sequence[str], grid: Sequence[float], min_gap: float = 0.0
                   ) -> Tuple[float, float, float]:
    """The (partial_from, strong_from) cut points from the grid, at least min_gap apart, that maximise band
    agreement, and that agreement.

    Ties go to the pair whose cuts sit closest to the middle of their tied range, so a small change in the data
    does not swing a cut to the edge of a gap.
    """
    best, tied = -1.0, []
    for low_index, low in enumerate(grid):
        for high in grid[low_index + 1:]:
            if high - low < min_gap - 1e-9:
                continue
            agreement = band_agreement([(band, score_band(score, low, high)) for score, band in zip(scores, bands)])
            if agreement > best + 1e-12:
                best, tied = agreement, [(low, high)]
            elif abs(agreement - best) <= 1e-12:
                tied.append((low, high))
    lows = sorted({low for low, _ in tied})
    low = lows[len(lows) // 2]
    highs = sorted(high for tied_low, high in tied if tied_low == low)
    return low, highs[len(highs) // 2], best
