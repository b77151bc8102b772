"""Requests to the coach while a question is open, given what the NLU made of each message: the check before a
request that may be an answer, stale buttons, taking an answer back, and help while the interview is set up."""

import pytest
from rasa_sdk import Tracker

from actions.interview_end import ActionOutsideInterview
from tests.test_actions import (  # noqa: F401 (loaded_coach is an autouse fixture)
    DOMAIN,
    STRONG_METRICS_ANSWER,
    ValidateInterviewForm,
    loaded_coach,
    one_answer_per_question,
    responses,
    run_action,
    setup_tracker,
    texts,
    validate,
)
from tests.test_follow_up_actions import FOLLOW_UP_ANSWER, PARTIAL_ANSWER, open_follow_up

# --- a request is never scored ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, intent, confidence", [
    ("I'd like a hint", "ask_hint", 0.97),
    ("hnit", "ask_hint", 0.7),
    ("any tips?", "ask_hint", 0.8),
    ("sorry, what?", "repeat_question", 0.75),
    ("show me my results", "stop_interview", 0.8),
    ("I give up", "skip_question", 0.66),
    ("stpo", "stop_interview", 0.95),
])
def test_a_request_is_carried_out_or_checked_never_scored(text, intent, confidence):
    slots, messages = validate(text, intent=intent, confidence=confidence)
    assert "Score for this answer:" not in texts(messages)
    assert slots["answer"] is None and "interview_results" not in slots


@pytest.mark.parametrize("payload, intent", [("/affirm", "affirm"), ("/deny", "deny"),
                                             ("/accept_screen", "accept_screen")])
def test_a_stale_button_payload_is_never_scored(payload, intent):
    slots, messages = validate(payload, intent=intent)
    assert responses(messages) == ["utter_stale_button"]
    assert slots == {"answer": None}


# --- the one-tap check --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reply, intent", [("yes", "affirm"), ("ok", "affirm"), ("yes please", "affirm"),
                                           ("sure, go ahead", "affirm"), ("Yes, please do", "affirm"),
                                           ("/affirm", "affirm")])
def test_any_yes_to_the_check_carries_the_request_out(reply, intent):
    slots, messages = validate(reply, intent=intent, confidence=0.93, pending_command="skip",
                               pending_answer="I give up")
    assert responses(messages) == ["utter_skipped"]
    assert slots["interview_results"][0]["status"] == "skipped"
    assert slots["pending_command"] is None


@pytest.mark.parametrize("reply, intent", [("No, it's my answer", "deny"), ("/deny", "deny")])
def test_no_to_the_check_scores_the_message_as_the_answer(reply, intent):
    slots, messages = validate(reply, intent=intent, confidence=0.95, pending_command="stop", pending_answer="Stop.")
    assert "Score for this answer:" in texts(messages)
    assert slots["interview_results"][0]["answer"] == "Stop."


def test_a_longer_message_the_nlu_reads_as_a_request_is_checked_not_carried_out():
    text = "summary of the call goes into the CRM"
    slots, messages = validate(text, intent="stop_interview", confidence=0.99)
    assert responses(messages) == ["utter_confirm_command"]
    assert slots["pending_command"] == "stop" and slots["pending_answer"] == text
    assert "interview_results" not in slots and "interview_stopped" not in slots


# --- taking an answer back ----------------------------------------------------------------------------------------


def test_undo_right_after_feedback_takes_the_answer_back_and_reopens_the_question():
    scored, _ = validate(STRONG_METRICS_ANSWER)
    assert scored["question_index"] == 1 and len(scored["interview_results"]) == 1
    slots, messages = validate("that wasn't my answer", intent="undo_answer", confidence=0.98,
                               **{**scored, "question_shown": 1})
    assert responses(messages) == ["utter_answer_taken_back"]
    assert messages[0]["number"] == 1
    assert slots["interview_results"] == []  # the summary and the report have nothing to count
    assert slots["question_index"] == 0 and slots["question_shown"] is None  # question 1 is asked again
    assert slots["undo_point"] is None and slots["last_answer_text"] is None


def test_undo_after_a_follow_up_reply_restores_the_first_answer_and_reopens_the_follow_up(coach, monkeypatch):
    import dataclasses

    monkeypatch.setattr(coach, "settings", dataclasses.replace(coach.settings, follow_ups=True))
    first, _ = validate(PARTIAL_ANSWER)
    first_record = first["interview_results"][0]
    after_follow_up, _ = validate(FOLLOW_UP_ANSWER, **open_follow_up((first, None)))
    assert after_follow_up["question_index"] == 1
    slots, messages = validate("undo", intent="undo_answer", confidence=0.99,
                               **{**open_follow_up((first, None)), **after_follow_up})
    assert responses(messages) == ["utter_follow_up_reply_taken_back"]
    assert slots["interview_results"] == [first_record]
    assert slots["question_index"] == 0
    assert slots["follow_up"]["question"] == first["follow_up"]["question"] and slots["follow_up"]["shown"] is False


def test_undo_stays_possible_after_a_hint_but_not_once_the_interview_moved_on():
    scored, _ = validate(STRONG_METRICS_ANSWER)
    hint, _ = validate("hint", intent="ask_hint", **scored)
    assert "undo_point" not in hint  # a hint changes nothing, so the answer can still be taken back
    skipped, _ = validate("skip this question", intent="skip_question", **scored)
    assert skipped["undo_point"] is None
    slots, messages = validate("undo", intent="undo_answer", **{**scored, **skipped})
    assert responses(messages) == ["utter_nothing_to_undo"]
    assert slots == {"answer": None}


def test_a_doubtful_undo_with_nothing_to_take_back_is_an_answer():
    slots, messages = validate("Take it back to the team", intent="undo_answer", confidence=0.7)
    assert "Score for this answer:" in texts(messages)
    assert slots["interview_results"][0]["answer"] == "Take it back to the team"


# --- setting up ---------------------------------------------------------------------------------------------------


def test_help_while_choosing_the_level_explains_that_step():
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("help", "level", intent="ask_help"))
    assert responses(messages) == ["utter_help_level"]
    assert slots == {"level": None}


def test_help_while_choosing_the_count_explains_that_step(coach):
    tracker = setup_tracker("what do I do here?", "question_count", intent="ask_help", level="junior")
    slots, messages = run_action(ValidateInterviewForm(), tracker)
    assert responses(messages) == ["utter_help_question_count"]
    assert messages[0]["max_questions"] == min(10, len(coach.bank.questions_for_level("junior")))
    assert slots == {"question_count": None}


@pytest.mark.parametrize("text", ["-3", "1.5", "0"])
def test_a_count_that_is_not_a_whole_number_of_questions_is_asked_again(text):
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker(text, "question_count", level="mid"))
    assert responses(messages) == ["utter_count_unclear"]
    assert slots == {"question_count": None}


def test_one_question_is_announced_as_one_question():
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("1", "question_count", level="mid"))
    assert slots["question_count"] == 1
    assert responses(messages) == ["utter_interview_intro_one_question"]



# --- outside an interview -----------------------------------------------------------------------------------------


def outside(text, intent, **slots):
    """ActionOutsideInterview on `text`, read as `intent`, after the user messages `earlier` and with these slots."""
    events = [{"event": "user", "text": earlier} for earlier in slots.pop("earlier", [])]
    events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}})
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots)
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    tracker = Tracker("candidate-1", all_slots, latest, events, False, None, {}, "action_listen")
    return run_action(ActionOutsideInterview(), tracker)


def test_the_last_answer_sent_again_after_the_summary_gets_its_reply_and_the_summary_again():
    reply = [{"text": "Score for this answer: 70/100."}, {"text": "Your interview summary (Mid): ..."}]
    slots, messages = outside(STRONG_METRICS_ANSWER, "give_answer", earlier=[STRONG_METRICS_ANSWER],
                              last_answer_text=STRONG_METRICS_ANSWER, last_reply=reply)
    assert responses(messages) == ["utter_answer_resent"]
    assert messages[:-1] == reply
    assert slots == {}


@pytest.mark.parametrize("intent, response", [("give_answer", "utter_no_interview"), ("nlu_fallback", "utter_default")])
def test_anything_else_outside_an_interview_gets_a_pointer(intent, response):
    _, messages = outside("We track NPS every month", intent, earlier=["thanks"],
                          last_answer_text=STRONG_METRICS_ANSWER, last_reply=[{"text": "old feedback"}])
    assert responses(messages) == [response]
    assert "old feedback" not in texts(messages)
