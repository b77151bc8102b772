"""How the coach agrees with the graded set in calibration/graded_answers.yml: bank questions (including off-topic and
gaming answers, which the blind set has none of) and short questions from other fields (the criteria / reference
path). Nothing is fitted here any more: the judgement model and its thresholds are fitted on the blind set
(`python -m bench.judgement`), which was written without sight of the criteria. This set was written by the hands
that wrote the criteria, so its figures are a regression check, not a measure of quality.

    python -m bench.calibrate           # report on the held-out part and check the committed floors
    python -m bench.calibrate --write   # also write the figures to calibration/fitted.yml (floors kept)
"""

import argparse
import functools
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from bench.agreement import BANDS, band_agreement, confusion, spearman
from bench.graded_set import KINDS, TRICKS, GradedAnswer, load_graded_set
from bench.records import write_keeping_floors

FITTED = Path(__file__).resolve().parent.parent / "calibration" / "fitted.yml"


def remember_embeddings(coach) -> None:
    """Memoise the coach's embedder per call, so scoring the same answers again only redoes the arithmetic. Keyed by
    the exact arguments, so the vectors are identical to an uncached call."""
    for name in ("encode", "encode_spans"):
        method = getattr(coach.embedder, name, None)
        if method is not None:
            setattr(coach.embedder, name, _memoised(method))


def _memoised(method):
    memo: Dict = {}

    @functools.wraps(method)
    def remembered(*args):
        key = repr(args)
        if key not in memo:
            memo[key] = method(*args)
        return memo[key]

    return remembered


def score_answers(coach, answers: Sequence[GradedAnswer]) -> List[float]:
    """Each answer's shown score (0..1), through the JSON Lines command's path: a bank question as the bot scores it
    (Coach.assess), any other against its criteria or reference answer."""
    from coach.score_cli import assess_line

    return [float(assess_line(answer.score_line(), coach)[0].score) for answer in answers]


def agreement_report(coach, answers: Sequence[GradedAnswer], scores: Sequence[float]) -> Dict:
    """Spearman, band agreement, confusion table and mean score per kind (and per gaming trick)."""
    pairs = [(answer.band, coach.parameters.band(score)) for answer, score in zip(answers, scores)]

    def mean_by(key) -> Dict[str, float]:
        groups: Dict[str, List[float]] = {}
        for answer, score in zip(answers, scores):
            if key(answer):
                groups.setdefault(key(answer), []).append(score)
        return {name: round(sum(values) / len(values), 3) for name, values in groups.items()}

    gaming = [score for answer, score in zip(answers, scores) if answer.kind == "gaming"]
    return {
        "answers": len(answers),
        "questions": len({answer.item for answer in answers}),
        "spearman": round(spearman(scores, [answer.grade for answer in answers]), 3),
        "band_agreement": round(band_agreement(pairs), 3),
        "confusion": confusion(pairs),
        "mean_score_by_kind": {kind: value for kind, value in sorted(mean_by(lambda a: a.kind).items(),
                                                                     key=lambda item: KINDS.index(item[0]))},
        "mean_score_by_trick": {trick: value for trick, value in sorted(mean_by(lambda a: a.trick).items(),
                                                                        key=lambda item: TRICKS.index(item[0]))},
        "max_gaming_score": round(max(gaming), 3) if gaming else None,
    }


def report_by_domain(coach, answers: Sequence[GradedAnswer], scores: Sequence[float]) -> Dict:
    report = {}
    for name, wanted in (("cx", {"cx"}), ("general", {"general"}), ("all", {"cx", "general"})):
        chosen = [(answer, score) for answer, score in zip(answers, scores) if answer.domain in wanted]
        report[name] = agreement_report(coach, [a for a, _ in chosen], [s for _, s in chosen])
    return report


def load_floors(path: Path = FITTED) -> Dict[str, float]:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    try:
        return {key: float(value) for key, value in document["floors"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{path}: missing or malformed floors ({error})") from error


NOTE = """\
# Written by `python -m bench.calibrate --write` (the agreement it measured on the held-out part of
# graded_answers.yml), except `floors`: those are set by hand, a little below the figures reached, and checked by
# tests/test_calibration.py in `make test`. This set was written by the hands that wrote the criteria: a regression
# check (gaming, off-topic, other fields), not a measure of quality. The quality figures come from the blind set
# (calibration/judgement.yml, `python -m bench.judgement`).
"""


def write_figures(path: Path, held_out: Dict, model: str, backend: str) -> None:
    """Write the figures; the hand-set `floors` block (with its comments) is kept as it was."""
    write_keeping_floors(path, NOTE, {
        "version": 1,
        "measured_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "model": model,
        "backend": backend,  # what ran the model (CX_COACH_EMBEDDING_BACKEND); int8 weights shift similarities a little
        "held_out": held_out,
    })


def print_report(title: str, report: Dict) -> None:
    print(f"\n{title}")
    print(f"  {'':8} {'answers':>7} {'questions':>9} {'Spearman':>8} {'band agreement':>14}  max gaming score")
    for name, figures in report.items():
        print(f"  {name:8} {figures['answers']:>7} {figures['questions']:>9} {figures['spearman']:>8.3f} "
              f"{figures['band_agreement']:>14.1%}  {figures['max_gaming_score']}")
    for name, figures in report.items():
        print(f"\n  {name}: band confusion (rows: interviewer's band, columns: scorer's band)")
        print("    " + f"{'':10}" + "".join(f"{band:>9}" for band in BANDS))
        for expected in BANDS:
            counts = figures["confusion"][expected]
            print("    " + f"{expected:10}" + "".join(f"{counts[scored]:>9}" for scored in BANDS))
        kinds = ", ".join(f"{kind} {value:.2f}" for kind, value in figures["mean_score_by_kind"].items())
        tricks = ", ".join(f"{trick} {value:.2f}" for trick, value in figures["mean_score_by_trick"].items())
        print(f"    mean score by kind: {kinds}")
        print(f"    mean score by gaming trick: {tricks}")


def check_floors(held_out: Dict, floors: Dict) -> List[str]:
    """Which committed floors the held-out figures break (the same rules tests/test_calibration.py asserts)."""
    broken = []
    for name in ("cx", "general", "all"):
        for figure in ("spearman", "band_agreement"):
            floor = floors.get(f"{name}_{figure}")
            if floor is not None and held_out[name][figure] < floor:
                broken.append(f"{name} {figure} {held_out[name][figure]:.3f} < floor {floor:.3f}")
    ceiling = floors.get("gaming_mean_score_max")
    gaming = held_out["all"]["mean_score_by_kind"].get("gaming")
    if ceiling is not None and gaming is not None and gaming > ceiling:
        broken.append(f"mean gaming score {gaming:.3f} > ceiling {ceiling:.3f}")
    return broken


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"write the figures to {FITTED}")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from coach.coach import get_coach

    coach = get_coach()
    remember_embeddings(coach)
    answers = load_graded_set({qid: question.text for qid, question in coach.bank.questions.items()})
    held_out = [answer for answer in answers if answer.held_out]
    print(f"Graded set (not blind): {len(answers)} answers; held out {len(held_out)} answers on "
          f"{len({a.item for a in held_out})} questions (split by a stable hash of the question id)")
    report = report_by_domain(coach, held_out, score_answers(coach, held_out))
    print_report("Held-out agreement (questions nothing was fitted on):", report)
    if FITTED.exists():
        broken = check_floors(report, load_floors(FITTED))
        print(f"\nCommitted floors ({FITTED.name}): " + ("all held" if not broken else "BROKEN: " + "; ".join(broken)))
    if args.write:
        write_figures(FITTED, report, coach.settings.embedding_model, coach.embedder.backend)
        print(f"Wrote {FITTED}")
    print(f"\nCalibration took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
