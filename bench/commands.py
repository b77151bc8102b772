"""How the interview reads phrasings it was never trained on: requests, replies to its checks, levels, and answers that
look like requests (tests/nlu/held_out*.yml: the first round, which the training data was tuned on, and a second,
unseen one). Runs in the Rasa environment: loads the model, runs Rasa's own NLU evaluation on each file (what `rasa
test nlu --successes --errors` runs, reports in --out) and prints its intent figures, then reads each phrasing's whole
intent ranking and prints what the interview form would do with it (coach/commands.py, the thresholds of
content/commands.yml): carry a request out, check it first, or score it as an answer.

    .venv/rasa/bin/python -m bench.commands [--model models/<hash>.tar.gz] [--out results/nlu_held_out] [--check]

`make test` runs it with --check: the run fails past the floors below. Without --model it takes RASA_MODEL, or the
newest models/*.tar.gz.
"""

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from coach.commands import CommandReader, Parse, load_commands  # noqa: E402

HELD_OUT = sorted((PROJECT_ROOT / "tests" / "nlu").glob("held_out*.yml"))
ANSWER_INTENT = "give_answer"  # the held-out file's answers that look like requests
# The right outcomes for each kind of phrasing; any other is listed phrasing by phrasing.
RIGHT = {"request": {"carried out", "checked first"}, ANSWER_INTENT: {"scored as an answer"},
         "reply to a check": {"understood"}}

# Floors for `--check`, on each file, set below the figures measured (README, "Requests to the coach"), so that a
# change to the training data or the thresholds that makes things worse fails `make test`.
FLOORS = {
    "answers carried out as a request": ("at most", 0),
    "requests scored as an answer": ("at most", 0.08),
    "replies to a check not understood": ("at most", 0.10),
    "intent accuracy": ("at least", 0.85),
}


async def evaluate(model: Path, out: Path) -> List[Tuple[Path, Dict, List[Tuple[str, str, Parse]]]]:
    """For each held-out file: Rasa's intent report, and each example as (gold intent, text, the NLU's ranking)."""
    from rasa.core.agent import Agent
    from rasa.nlu.test import run_evaluation
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # Rasa's own log lines would bury the figures
    configure_structlog(logging.WARNING)
    agent = Agent.load(model_path=str(model))
    evaluated = []
    for held_out in HELD_OUT:
        results = await run_evaluation(str(held_out), agent.processor, output_directory=str(out / held_out.stem),
                                       successes=True, errors=True, disable_plotting=True, report_as_dict=True)
        examples = []
        for message in load_data(str(held_out)).intent_examples:
            text = message.get("text")
            parsed = await agent.parse_message(text)
            ranking = tuple((intent["name"], intent["confidence"]) for intent in parsed["intent_ranking"])
            examples.append((message.get("intent"), text, Parse(text, ranking)))
        evaluated.append((held_out, results["intent_evaluation"]["report"], examples))
    return evaluated


def outcome(reader: CommandReader, gold: str, parse: Parse) -> str:
    """What the interview form does with this message while a question is open; for a reply to its check, what the
    reply means; for anything else (a level), whether the NLU recognised it."""
    wanted = next((command for command in reader.commands.values() if gold in command.intents), None)
    if wanted is None and gold != ANSWER_INTENT and gold not in (reader.yes_intent, reader.no_intent):
        return "recognised" if parse.top_intent == gold else f"read as {parse.top_intent}"
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


def report(held_out: Path, rasa_report: Dict, examples: List[Tuple[str, str, Parse]],
           reader: CommandReader) -> Dict[str, float]:
    macro, weighted = rasa_report["macro avg"]["f1-score"], rasa_report["weighted avg"]["f1-score"]
    print(f"\n{held_out.relative_to(PROJECT_ROOT)}, {len(examples)} phrasings. Rasa's NLU evaluation (rasa test nlu): "
          f"accuracy {rasa_report['accuracy']:.3f}, macro F1 {macro:.3f}, weighted F1 {weighted:.3f}")
    print(f"  {'intent':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}")
    for intent, figures in sorted(rasa_report.items()):
        if isinstance(figures, dict) and "support" in figures and not intent.endswith("avg"):
            print(f"  {intent:<16} {figures['precision']:>9.2f} {figures['recall']:>7.2f} "
                  f"{figures['f1-score']:>6.2f} {figures['support']:>4}")

    groups: Dict[str, Counter] = {}
    request_intents = {intent for command in reader.commands.values() for intent in command.intents}
    misread = []
    for gold, text, parse in examples:
        if gold in request_intents:
            group = f"request: {gold}"
        elif gold in (reader.yes_intent, reader.no_intent):
            group = f"reply to a check: {gold}"
        else:
            group = gold
        result = outcome(reader, gold, parse)
        groups.setdefault(group, Counter())[result] += 1
        if result not in RIGHT.get(group.split(":")[0], {"recognised"}):
            misread.append(f"{group}: {text!r} {result}")
    print("\nWhat the interview form does with them while a question is open (replies: after a check):")
    for group, counts in sorted(groups.items()):
        total = sum(counts.values())
        shown = ", ".join(f"{kind} {count}" for kind, count in counts.most_common())
        print(f"  {group:<32} {total:>3}: {shown}")
    print("  Misread:" if misread else "  Nothing misread.")
    for line in misread:
        print(f"    {line}")

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


def newest_model() -> Path:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise SystemExit("no model: run `make train` first, or give --model")
    return models[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=os.environ.get("RASA_MODEL"))
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "nlu_held_out",
                        help="where Rasa's reports go (intent_report.json, intent_errors.json, ...)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a figure is past its floor")
    arguments = parser.parse_args()
    reader = load_commands(PROJECT_ROOT / "content" / "commands.yml")
    failures = []
    for held_out, rasa_report, examples in asyncio.run(evaluate(arguments.model or newest_model(), arguments.out)):
        figures = report(held_out, rasa_report, examples, reader)
        failures += [f"{held_out.name}: {failure}" for failure in check(figures)]
    if not arguments.check:
        return 0
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
