"""How the interview reads phrasings it was never trained on: requests, replies to its checks, levels, and answers that
look like requests (tests/nlu/held_out.yml). Reads what `rasa test nlu --successes` wrote for that file and prints
Rasa's intent figures, then what the interview form would do with each message (coach/commands.py, the thresholds
of content/commands.yml): carry a request out, check it first, or score it as an answer.

    .venv/rasa/bin/rasa test nlu --nlu tests/nlu/held_out.yml --model models/<hash>.tar.gz \\
        --out results/nlu_held_out --successes --no-plot
    .venv/actions/bin/python -m bench.commands results/nlu_held_out [--check]

`make test` runs both, with --check: the run fails under the floors below.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from coach.commands import CommandReader, Parse, load_commands  # noqa: E402

ANSWER_INTENT = "give_answer"  # the held-out file's answers that look like requests

# Floors for `--check`, set below the figures measured when the held-out file was first run (README, "Requests to
# the coach"), so that a change to the training data or the thresholds that makes things worse fails `make test`.
FLOORS = {
    "answers carried out as a request": ("at most", 0),
    "requests scored as an answer": ("at most", 0.10),
    "replies to a check not understood": ("at most", 0.15),
    "intent accuracy": ("at least", 0.80),
}


def predictions(report_dir: Path) -> List[Dict]:
    """Every held-out example with its gold intent and the NLU's prediction (nlu_fallback when it was unsure)."""
    examples = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = report_dir / name
        if path.exists():
            examples += json.loads(path.read_text(encoding="utf-8"))
    if not examples:
        raise SystemExit(f"no intent_successes.json or intent_errors.json in {report_dir}: run rasa test nlu with "
                         "--successes first")
    return examples


def outcome(reader: CommandReader, example: Dict) -> str:
    """What the interview form does with this message while a question is open; for a reply to its check, what the
    reply means; for anything else (a level), whether the NLU recognised it."""
    prediction = example["intent_prediction"]
    parse = Parse(example["text"], prediction.get("name"), float(prediction.get("confidence") or 0.0))
    gold = example["intent"]
    wanted = next((command for command in reader.commands.values() if gold in command.intents), None)
    if wanted is None and gold != ANSWER_INTENT and gold not in (reader.yes_intent, reader.no_intent):
        return "recognised" if parse.intent == gold else f"read as {parse.intent}"
    if gold in (reader.yes_intent, reader.no_intent):
        decision = reader.confirmation(parse)
        expected = gold == reader.yes_intent
        return "understood" if decision is expected else ("not understood" if decision is None else "reversed")
    reading = reader.read(parse)
    if reading.kind == "answer":
        return "scored as an answer"
    if wanted is not None and reading.command != wanted:
        return "read as another request"
    return "carried out" if reading.kind == "command" else "checked first"


def report(report_dir: Path, reader: CommandReader) -> Dict[str, float]:
    examples = predictions(report_dir)
    rasa_report = json.loads((report_dir / "intent_report.json").read_text(encoding="utf-8"))
    print(f"rasa test nlu on {len(examples)} held-out phrasings: accuracy {rasa_report['accuracy']:.3f}, "
          f"macro F1 {rasa_report['macro avg']['f1-score']:.3f}, weighted F1 {rasa_report['weighted avg']['f1-score']:.3f}")
    print(f"  {'intent':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}")
    for intent, figures in sorted(rasa_report.items()):
        if isinstance(figures, dict) and "support" in figures and not intent.endswith("avg"):
            print(f"  {intent:<16} {figures['precision']:>9.2f} {figures['recall']:>7.2f} "
                  f"{figures['f1-score']:>6.2f} {figures['support']:>4}")

    groups: Dict[str, Counter] = {}
    request_intents = {intent for command in reader.commands.values() for intent in command.intents}
    for example in examples:
        gold = example["intent"]
        if gold in request_intents:
            group = f"request: {gold}"
        elif gold in (reader.yes_intent, reader.no_intent):
            group = f"reply to a check: {gold}"
        else:
            group = gold
        groups.setdefault(group, Counter())[outcome(reader, example)] += 1
    print("\nWhat the interview form does with them while a question is open (replies: after a check):")
    for group, counts in sorted(groups.items()):
        total = sum(counts.values())
        shown = ", ".join(f"{kind} {count}" for kind, count in counts.most_common())
        print(f"  {group:<32} {total:>3}: {shown}")

    requests = sum((counts for group, counts in groups.items() if group.startswith("request")), Counter())
    replies = sum((counts for group, counts in groups.items() if group.startswith("reply")), Counter())
    figures = {
        "answers carried out as a request": groups.get(ANSWER_INTENT, Counter())["carried out"],
        "requests scored as an answer": requests["scored as an answer"] / max(1, sum(requests.values())),
        "replies to a check not understood": 1 - replies["understood"] / max(1, sum(replies.values())),
        "intent accuracy": rasa_report["accuracy"],
    }
    answers = groups.get(ANSWER_INTENT, Counter())
    print(f"\n  requests: {sum(requests.values())}, scored as an answer {requests['scored as an answer']}, "
          f"checked first {requests['checked first']}, carried out {requests['carried out']}, "
          f"another request {requests['read as another request']}")
    print(f"  answers that look like requests: {sum(answers.values())}, scored {answers['scored as an answer']}, "
          f"checked first {answers['checked first']}, carried out as a request {answers['carried out']}")
    return figures


def check(figures: Dict[str, float]) -> List[str]:
    failures = []
    for name, (direction, floor) in FLOORS.items():
        value = figures[name]
        if (direction == "at most" and value > floor) or (direction == "at least" and value < floor):
            failures.append(f"{name}: {value:.3f}, should be {direction} {floor}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report_dir", type=Path, help="the --out folder of rasa test nlu --successes")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is past its floor")
    arguments = parser.parse_args()
    figures = report(arguments.report_dir, load_commands(PROJECT_ROOT / "content" / "commands.yml"))
    if not arguments.check:
        return 0
    failures = check(figures)
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
