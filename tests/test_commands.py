"""Telling commands from answers while a question is open, with the real content/commands.yml."""

from pathlib import Path

import pytest
import yaml

from coach.commands import load_commands

COMMANDS_FILE = Path(__file__).resolve().parent.parent / "content" / "commands.yml"
COMMANDS = yaml.safe_load(COMMANDS_FILE.read_text(encoding="utf-8"))["commands"]
PHRASES = [(command["id"], phrase) for command in COMMANDS for phrase in command["phrases"]]
WORDS = [(command["id"], word) for command in COMMANDS for word in command["words"]]


@pytest.fixture(scope="module")
def reader():
    return load_commands(COMMANDS_FILE)


@pytest.mark.parametrize("message", [
    "stop churn by fixing onboarding",
    "no",
    "skip the small talk and fix onboarding first",
    "I would repeat the survey every quarter and give the team a hint of what to fix.",
    "Next, I would map the journey.",
])
def test_answer_that_uses_command_words_reads_as_an_answer(reader, message):
    reading = reader.read(message)
    assert reading.kind == "answer"
    assert reading.command is None


@pytest.mark.parametrize("message, command_id", [
    ("skip", "skip"),
    ("Stop", "stop"),
    ("Skip!", "skip"),
    ("done", "stop"),
])
def test_bare_command_word_is_ambiguous(reader, message, command_id):
    reading = reader.read(message)
    assert reading.kind == "ambiguous"
    assert reading.command.id == command_id


@pytest.mark.parametrize("message, command_id", [
    ("skip this question", "skip"),
    ("Can you repeat the question, please?", "repeat"),
    ("give me a hint", "hint"),
    ("stop the interview", "stop"),
    ("start over", "restart"),
    ("Let's move on", "skip"),
])
def test_whole_command_phrase_reads_as_that_command(reader, message, command_id):
    reading = reader.read(message)
    assert reading.kind == "command"
    assert reading.command.id == command_id


def test_button_payload_with_its_intent_is_a_command(reader):
    reading = reader.read("/skip_question", intent="skip_question")
    assert reading.kind == "command"
    assert reading.command.id == "skip"


@pytest.mark.parametrize("intent", ["nlu_fallback", None])
def test_payload_typed_with_an_unknown_intent_is_not_a_command(reader, intent):
    assert reader.read("/skip_question", intent=intent).kind == "answer"


def test_intent_alone_does_not_make_typed_text_a_command(reader):
    assert reader.read("skip the small talk and fix onboarding first", intent="skip_question").kind == "answer"


def test_every_command_in_the_file_is_loaded(reader):
    assert set(reader.commands) == {command["id"] for command in COMMANDS}


@pytest.mark.parametrize("command_id, phrase", PHRASES, ids=[f"{c}:{p}" for c, p in PHRASES])
def test_every_phrase_reads_as_its_command(reader, command_id, phrase):
    reading = reader.read(phrase)
    assert reading.kind == "command"
    assert reading.command.id == command_id


@pytest.mark.parametrize("command_id, word", WORDS, ids=[f"{c}:{w}" for c, w in WORDS])
def test_every_word_reads_as_ambiguous_for_its_command(reader, command_id, word):
    reading = reader.read(word)
    assert reading.kind == "ambiguous"
    assert reading.command.id == command_id
