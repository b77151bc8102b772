"""Rules for the content files that the loaders don't check: originality against the seed documents, and wording."""

import re
from pathlib import Path

import pytest
import yaml

RUN_LENGTH = 8
# Openings of an interview prompt that is a request rather than a question ("Tell me about a time ...").
PROMPT_OPENINGS = ("tell me", "describe", "give an example", "give me an example", "share an example",
                   "walk me through", "talk me through", "explain")


def words(text: str):
    return re.findall(r"[^\W\d_]+", text.lower())


def runs(text: str, length: int = RUN_LENGTH):
    tokens = words(text)
    return {tuple(tokens[start:start + length]) for start in range(len(tokens) - length + 1)}


def string_values(node, where: str):
    """Every string value in a YAML document, with a readable location such as questions[3].model_answer."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from string_values(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from string_values(value, f"{where}[{index}]")


def content_files(project_root: Path):
    return sorted((project_root / "content").glob("*.yml"))


def is_question_or_prompt(text: str) -> bool:
    text = text.strip()
    return text.endswith("?") or (text.endswith(".") and text.lower().startswith(PROMPT_OPENINGS))


@pytest.fixture(scope="module")
def bank_document(project_root):
    return yaml.safe_load((project_root / "content" / "question_bank.yml").read_text(encoding="utf-8"))


# --- originality --------------------------------------------------------------------------------------------------

def test_run_finder_sees_a_shared_run_of_eight_words():
    seed = "Look for answers that show they can manage large-scale changes across the business."
    copied = "We look for answers that show they can manage large scale changes."
    reworded = "Strong candidates describe how they handled big changes."
    assert runs(copied) & runs(seed)
    assert not runs(reworded) & runs(seed)


def test_no_content_text_shares_eight_consecutive_words_with_a_seed_document(project_root, seeds_dir):
    seed_runs = {}
    for seed in sorted(seeds_dir.iterdir()):
        if seed.is_file():
            for run in runs(seed.read_text(encoding="utf-8", errors="replace")):
                seed_runs.setdefault(run, seed.name)
    assert seed_runs, f"no text found in {seeds_dir}"

    copied = []
    for path in content_files(project_root):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in string_values(document, ""):
            for run in sorted(runs(text) & seed_runs.keys()):
                copied.append(f"{path.name} {where}: '{' '.join(run)}' (from {seed_runs[run]})")
    assert not copied, "text copied from the seed documents:\n" + "\n".join(copied)


# --- wording ------------------------------------------------------------------------------------------------------

def test_every_question_is_a_question_or_a_prompt(bank_document):
    wrong = [question["id"] for question in bank_document["questions"] if not is_question_or_prompt(question["text"])]
    assert not wrong


def test_every_follow_up_is_a_question_or_a_prompt(bank_document):
    wrong = [follow_up for question in bank_document["questions"] for follow_up in question.get("follow_ups", [])
             if not is_question_or_prompt(follow_up)]
    assert not wrong


def test_every_question_to_ask_the_employer_ends_with_a_question_mark(bank_document):
    wrong = [question["id"] for question in bank_document["questions_to_ask"] if not question["text"].endswith("?")]
    assert not wrong


@pytest.mark.parametrize("text, expected", [
    ("How would you handle an angry customer?", True),
    ("Tell me about a time you said no to a customer.", True),
    ("Share an example of feedback you acted on.", True),
    ("The customer is angry.", False),
    ("Tell me about a time you said no to a customer", False),
])
def test_question_or_prompt_rule(text, expected):
    assert is_question_or_prompt(text) is expected
