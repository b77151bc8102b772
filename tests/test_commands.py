"""Telling requests from answers, given what the NLU made of a message, with the real content/commands.yml."""

from pathlib import Path

import pytest
import yaml

from coach.commands import Parse, load_commands

COMMANDS_FILE = Path(__file__).resolve().parent.parent / "content" / "commands.yml"
SETTINGS = yaml.safe_load(COMMANDS_FILE.read_text(encoding="utf-8"))
SURE = SETTINGS["sure_confidence"]
UNSURE = (SETTINGS["min_confidence"] + SETTINGS["sure_confidence"]) / 2
TOO_LOW = SETTINGS["min_confidence"] - 0.01


@pytest.fixture(scope="module")
def reader():
    return load_commands(COMMANDS_FILE)


def nlu(text, intent, confidence):
    """A message the NLU read as `intent` with `confidence`, and as an answer with the rest."""
    return Parse(text, ((intent, confidence), ("give_answer", round(1 - confidence, 6))))


@pytest.mark.parametrize("text, intent, command_id", [
    ("hint", "ask_hint", "hint"),
    ("help", "ask_help", "help"),
    ("I'd like a hint", "ask_hint", "hint"),
    ("repaet the question", "repeat_question", "repeat"),
    ("I'm ready", "start_interview", "repeat"),  # with a question open, "let's start" shows the question
    ("skip this question", "skip_question", "skip"),
    ("stop teh interview", "stop_interview", "stop"),
    ("start over", "start_over", "restart"),
    ("that wasn't my answer", "undo_answer", "undo"),
    ("undo", "undo_answer", "undo"),  # one word, but not one an interview question is answered with
])
def test_a_short_request_the_nlu_is_sure_of_is_carried_out(reader, text, intent, command_id):
    reading = reader.read(nlu(text, intent, SURE))
    assert (reading.kind, reading.command.id) == ("command", command_id)


@pytest.mark.parametrize("text, intent", [("skip", "skip_question"), ("Stop.", "stop_interview"),
                                          ("restrat", "start_over")])
def test_one_word_that_could_be_the_answer_is_checked_first_however_sure_the_nlu_is(reader, text, intent):
    assert reader.read(nlu(text, intent, 0.999)).kind == "check"


@pytest.mark.parametrize("text, intent", [("I give up", "skip_question"), ("hnit", "ask_hint"),
                                          ("scrap that answer", "undo_answer")])
def test_a_request_the_nlu_is_unsure_of_is_checked_first(reader, text, intent):
    assert reader.read(nlu(text, intent, UNSURE)).kind == "check"


@pytest.mark.parametrize("text, intent", [("summary of the call goes into the CRM", "stop_interview"),
                                          ("I'd give the agent a hint about tone", "ask_hint")])
def test_a_request_of_more_than_a_few_words_is_checked_first_however_sure_the_nlu_is(reader, text, intent):
    assert reader.read(nlu(text, intent, 0.999)).kind == "check"


@pytest.mark.parametrize("parse", [
    nlu("stop churn by fixing onboarding", "stop_interview", TOO_LOW),  # not confident enough
    nlu("We track NPS", "give_answer", 0.99),  # not a request at all
    nlu("hint", "nlu_fallback", 0.5),
    nlu("Skip the small talk, greet the customer by name and fix the billing page first", "skip_question", 0.99),
])
def test_anything_else_is_an_answer(reader, parse):
    assert reader.read(parse).kind == "answer"


def test_the_word_limits(reader):
    at_once, at_most = SETTINGS["max_words_at_once"], SETTINGS["max_request_words"]
    assert reader.read(nlu("please stop " * at_once, "stop_interview", 0.99)).kind == "check"  # 2 x at_once
    assert reader.read(nlu("stop now " + "please " * (at_once - 2), "stop_interview", 0.99)).kind == "command"
    assert reader.read(nlu("stop " * at_most, "stop_interview", 0.99)).kind == "check"
    assert reader.read(nlu("stop " * (at_most + 1), "stop_interview", 0.99)).kind == "answer"


def test_a_command_payload_is_that_command_and_never_an_answer(reader):
    reading = reader.read(nlu("/skip_question", "skip_question", 1.0))
    assert (reading.kind, reading.command.id) == ("command", "skip")


@pytest.mark.parametrize("payload, intent", [("/affirm", "affirm"), ("/deny", "deny"),
                                             ("/accept_screen", "accept_screen"), ("/anything", "anything")])
def test_any_other_payload_is_stale_not_an_answer(reader, payload, intent):
    assert reader.read(nlu(payload, intent, 1.0)).kind == "stale"


@pytest.mark.parametrize("parse, decision", [
    (nlu("yes please", "affirm", 0.95), True),
    (nlu("Yes, please do", "affirm", 0.99), True),
    (nlu("/affirm", "affirm", 1.0), True),
    (nlu("No, it's my answer", "deny", 0.99), False),
    (nlu("/deny", "deny", 1.0), False),
    (nlu("ok", "affirm", TOO_LOW), None),
    (nlu("skip", "skip_question", 0.99), None),
    (nlu("yes, because we measured NPS every quarter and tied every detractor to a call back", "affirm", 0.9),
     None),
])
def test_replies_to_a_check(reader, parse, decision):
    assert reader.confirmation(parse) is decision


def test_every_command_in_the_file_is_loaded(reader):
    assert set(reader.commands) == {command["id"] for command in SETTINGS["commands"]}


def test_the_intents_of_the_commands_yes_and_no_are_in_the_domain(project_root):
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8"))
    intents = {intent for command in SETTINGS["commands"] for intent in command["intents"]}
    intents |= {SETTINGS["yes_intent"], SETTINGS["no_intent"]}
    assert intents <= set(domain["intents"])


def test_a_recruiters_intents_are_left_out_before_the_confidence_is_shared(reader):
    # What the NLU made of "stop teh interview" once: most of it a likeness with "stop screen S1A2B3C".
    typo = Parse("stop teh interview", (("nlu_fallback", 0.5), ("cancel_screen", 0.42), ("stop_interview", 0.27),
                                        ("start_over", 0.16), ("bot_challenge", 0.05)))
    reading = reader.read(typo)
    assert (reading.kind, reading.command.id) == ("check", "stop")


def test_a_share_made_large_by_leaving_intents_out_never_acts_without_a_check(reader):
    reading = reader.read(Parse("cancel the order", (("cancel_screen", 0.9), ("stop_interview", 0.1))))
    assert (reading.kind, reading.command.id) == ("check", "stop")


def test_requests_share_the_confidence_between_them(reader):
    # "I need help": neither intent alone is enough, together they make a request, checked as the likelier one.
    reading = reader.read(Parse("I need help", (("ask_hint", 0.57), ("ask_help", 0.35), ("give_answer", 0.08))))
    assert (reading.kind, reading.command.id) == ("check", "hint")
