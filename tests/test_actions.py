"""The Rasa actions, run against a fresh tracker and a CollectingDispatcher each, with the real coach behind them."""

import asyncio
import dataclasses
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.interview_end import ActionFinishInterview
from actions.interview_form import ActionAskAnswer, ActionAskQuestionCount, ValidateInterviewForm
from actions.screen_actions import ActionFinishScreen, ActionRestart
from actions.tracker import INTERVIEW_SLOTS

DOMAIN = yaml.safe_load((Path(__file__).resolve().parent.parent / "domain.yml").read_text())
PLAN = ["measure_cx_success", "gather_customer_feedback", "journey_mapping"]
STRONG_METRICS_ANSWER = (
    "Before the launch I set a baseline for NPS, CSAT and CES. NPS shows how likely customers are to recommend us, "
    "CSAT how satisfied they were with an interaction, and CES how easy it was to get help. After the change, CES "
    "improved and churn fell by two points, which protected renewal revenue. I shared the results every month on a "
    "dashboard for the leadership team."
)


def interview_slots(**overrides: Any) -> Dict[str, Any]:
    """The slots of a mid-level interview on its first question, with any overrides."""
    slots = {name: None for name in DOMAIN["slots"]}
    slots.update(level="mid", question_count=3, question_plan=list(PLAN), question_index=0, question_shown=0,
                 interview_results=[], interview_stopped=False, interviews_completed=0,
                 requested_slot="answer")
    slots.update(overrides)
    return slots


def tracker_for(text: str, slots: Dict[str, Any], intent: str = "nlu_fallback",
                earlier_user_texts: Optional[List[str]] = None, slot_filled: str = "answer",
                input_channel: Optional[str] = None, metadata: Optional[Dict[str, Any]] = None,
                confidence: float = 1.0) -> Tracker:
    """A tracker whose latest user message is `text`, which the NLU read as `intent` with `confidence`, which the
    form's from_text mapping put into `slot_filled`, and which came in through `input_channel` (Rasa's name for it:
    "slack", "rest") with that message metadata."""
    events: List[Dict[str, Any]] = [{"event": "user", "text": earlier} for earlier in earlier_user_texts or []]
    events += [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}},
         "input_channel": input_channel, "metadata": metadata or {}},
        {"event": "slot", "name": slot_filled, "value": text},
    ]
    slots = dict(slots, **{slot_filled: text})
    # What the NLU did not give the intent it gave to reading the message as an answer.
    ranking = [{"name": intent, "confidence": confidence}] + (
        [{"name": "give_answer", "confidence": 1 - confidence}] if confidence < 1 else [])
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranking,
              "entities": []}
    return Tracker("candidate-1", slots, latest, events, False, None, {"name": "interview_form"}, "action_listen")


def run_action(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    return slots, dispatcher.messages


def responses(messages: List[Dict[str, Any]]) -> List[str]:
    return [message.get("response") for message in messages if message.get("response")]


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


@pytest.fixture(scope="module", autouse=True)
def loaded_coach(coach):
    return coach  # load the model once before the first action runs


@pytest.fixture(autouse=True)
def one_answer_per_question(coach, monkeypatch):
    """These tests cover one answer per question; the follow-up flow has its own tests (test_follow_up_actions.py)."""
    monkeypatch.setattr(coach, "settings", dataclasses.replace(coach.settings, follow_ups=False))


def validate(text: str, intent: str = "nlu_fallback", input_channel: Optional[str] = None, confidence: float = 1.0,
             **slot_overrides):
    return run_action(ValidateInterviewForm(), tracker_for(text, interview_slots(**slot_overrides), intent,
                                                           input_channel=input_channel, confidence=confidence))


# --- answers ----------------------------------------------------------------------------------------------------


def test_an_answer_is_scored_with_feedback_and_the_interview_moves_on():
    slots, messages = validate(STRONG_METRICS_ANSWER)
    feedback = texts(messages)
    assert "Score for this answer:" in feedback
    assert "You said:" in feedback  # covered criteria quote the candidate
    assert slots["answer"] is None  # not the last question: the form asks the next one
    assert slots["question_index"] == 1
    [record] = slots["interview_results"]
    assert record["question_id"] == "measure_cx_success"
    assert record["status"] == "answered"
    assert record["answer"] == STRONG_METRICS_ANSWER
    assert 0.5 < record["score"] <= 1.0
    assert {"nps", "csat", "ces"} <= set(record["concepts"])
    # Evidence is the candidate's words: a sentence, a clause, or two neighbouring sentences (split by a line break).
    assert all(part in STRONG_METRICS_ANSWER for item in record["covered"] for part in item["evidence"].split("\n"))


def test_an_answer_that_starts_with_a_command_word_is_an_answer():
    slots, messages = validate("stop churn by fixing onboarding", intent="give_answer", confidence=0.9)
    assert "Score for this answer:" in texts(messages)
    assert slots["interview_results"][0]["answer"] == "stop churn by fixing onboarding"
    assert "requested_slot" not in slots and not slots.get("interview_stopped")


def test_no_on_its_own_is_an_answer():
    slots, messages = validate("no", intent="deny")
    assert slots["interview_results"][0]["status"] == "answered"
    assert "utter_confirm_command" not in responses(messages)


def test_the_last_answer_fills_the_slot_so_the_form_ends():
    slots, _ = validate(STRONG_METRICS_ANSWER, question_index=2, interview_results=[
        {"question_id": "measure_cx_success", "number": 1, "status": "skipped"},
        {"question_id": "gather_customer_feedback", "number": 2, "status": "skipped"},
    ])
    assert slots["answer"] == STRONG_METRICS_ANSWER
    assert len(slots["interview_results"]) == 3


# --- commands ---------------------------------------------------------------------------------------------------


def test_a_clear_skip_command_skips_the_question():
    slots, messages = validate("skip this question", intent="skip_question", confidence=0.97)
    assert responses(messages) == ["utter_skipped"]
    assert slots["interview_results"] == [{"question_id": "measure_cx_success", "number": 1, "status": "skipped"}]
    assert slots["question_index"] == 1


def test_a_skip_button_payload_skips_the_question():
    slots, messages = validate("/skip_question", intent="skip_question")
    assert responses(messages) == ["utter_skipped"]
    assert slots["interview_results"][0]["status"] == "skipped"


def test_a_bare_command_word_is_confirmed_before_anything_happens():
    slots, messages = validate("skip", intent="skip_question")
    assert responses(messages) == ["utter_confirm_command"]
    assert slots["pending_command"] == "skip"
    assert slots["pending_answer"] == "skip"
    assert slots["answer"] is None
    assert "interview_results" not in slots


def test_confirming_a_pending_command_runs_it():
    slots, messages = validate("/affirm", intent="affirm", pending_command="skip", pending_answer="skip")
    assert responses(messages) == ["utter_skipped"]
    assert slots["pending_command"] is None
    assert slots["interview_results"][0]["status"] == "skipped"


def test_declining_a_pending_command_scores_the_word_as_the_answer():
    slots, messages = validate("no", intent="deny", pending_command="stop", pending_answer="stop")
    assert "Score for this answer:" in texts(messages)
    assert slots["interview_results"][0]["answer"] == "stop"
    assert slots["pending_command"] is None
    assert not slots.get("interview_stopped")


def test_a_new_answer_while_a_command_is_pending_is_taken_as_the_answer():
    slots, messages = validate(STRONG_METRICS_ANSWER, pending_command="skip", pending_answer="skip")
    assert slots["interview_results"][0]["answer"] == STRONG_METRICS_ANSWER
    assert slots["pending_command"] is None


def test_repeat_shows_the_question_again():
    slots, messages = validate("repeat the question", intent="repeat_question")
    assert messages == []
    assert slots == {"answer": None, "question_shown": None}


def test_hint_gives_the_question_hint(coach):
    slots, messages = validate("give me a hint", intent="ask_hint")
    assert responses(messages) == ["utter_hint"]
    assert messages[0]["hint"] == coach.bank.questions["measure_cx_success"].hint
    assert slots["answer"] is None


def test_stop_ends_the_form_and_keeps_what_was_answered():
    earlier = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.5}]
    slots, messages = validate("stop the interview", intent="stop_interview", question_index=1,
                               interview_results=earlier)
    assert responses(messages) == ["utter_stopping"]
    assert slots["requested_slot"] is None
    assert slots["interview_stopped"] is True
    assert "interview_results" not in slots  # untouched: the summary uses what was answered


def test_start_over_clears_the_interview():
    slots, messages = validate("start over", intent="start_over")
    assert responses(messages) == ["utter_starting_over"]
    assert all(slots[name] is None for name in INTERVIEW_SLOTS)


@pytest.mark.parametrize("text", ["help", "How does this work?"])
def test_help_explains_the_commands_at_once(text):
    slots, messages = validate(text, intent="ask_help")  # "help", advertised in the intro, needs no check
    assert responses(messages) == ["utter_help_in_interview"]
    assert slots == {"answer": None}


# --- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_answer_is_not_scored(text):
    slots, messages = validate(text)
    assert responses(messages) == ["utter_empty_answer"]
    assert slots["answer"] is None and "interview_results" not in slots


def test_an_emoji_only_answer_is_asked_again_in_words():
    slots, messages = validate("🙂👍🔥")
    assert responses(messages) == ["utter_no_words"]
    assert "interview_results" not in slots


def test_a_double_send_gets_the_same_feedback_again_and_counts_once():
    first_slots, first_messages = validate(STRONG_METRICS_ANSWER)
    tracker = tracker_for(STRONG_METRICS_ANSWER, interview_slots(**first_slots),
                          earlier_user_texts=[STRONG_METRICS_ANSWER])
    slots, messages = run_action(ValidateInterviewForm(), tracker)
    assert responses(messages) == ["utter_answer_resent"]
    assert messages[:-1] == first_messages  # the feedback, text and card, as the first reply had it
    assert "Score for this answer:" in texts(messages)
    # Counted once, and the question the first reply went on to ask is asked again in full.
    assert slots == {"answer": None, "question_shown": None}


def test_the_same_words_after_a_different_message_are_an_answer():
    answered = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.8}]
    tracker = tracker_for(STRONG_METRICS_ANSWER, interview_slots(question_index=1, interview_results=answered,
                                                                 last_answer_text=STRONG_METRICS_ANSWER),
                          earlier_user_texts=[STRONG_METRICS_ANSWER, "repeat the question"])
    slots, _ = run_action(ValidateInterviewForm(), tracker)
    assert len(slots["interview_results"]) == 2


def test_a_huge_answer_is_scored_and_the_feedback_says_it_was_trimmed():
    huge = (STRONG_METRICS_ANSWER + " ") * 60
    huge = huge[:20000]
    slots, messages = validate(huge)
    assert "20,000 characters" in texts(messages)
    record = slots["interview_results"][0]
    assert record["trimmed"] is True
    assert record["answer"] == huge  # the full text is kept, only scoring is trimmed


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script> I would track NPS and CSAT.",
    "<img src=x onerror=alert(1)> We measured CES after every chat.",
    "SELECT * FROM customers; -- we used CSAT surveys",
    "Mediríamos el NPS y la satisfacción del cliente después de cada llamada.",
    "我们会用净推荐值来衡量客户体验。",
])
def test_markup_code_and_other_languages_are_scored_as_text(text):
    slots, messages = validate(text)
    assert "Score for this answer:" in texts(messages)
    assert slots["interview_results"][0]["answer"] == text


@pytest.mark.parametrize("text, warned", [
    ("Mediríamos el NPS y la satisfacción del cliente después de cada llamada con una encuesta corta.", True),
    ("我们会用净推荐值来衡量客户体验。", True),
    ("We would measure NPS and customer satisfaction after every call with a short survey.", False),
])
def test_an_answer_in_another_language_gets_a_note_about_the_score(text, warned):
    _, messages = validate(text)
    assert ("isn't in English" in texts(messages)) is warned


# --- setting up -------------------------------------------------------------------------------------------------


def setup_tracker(text: str, slot_filled: str, intent: str = "nlu_fallback", **overrides) -> Tracker:
    slots = {name: None for name in DOMAIN["slots"]}
    slots.update(interviews_completed=0, requested_slot=slot_filled, **overrides)
    return tracker_for(text, slots, intent=intent, slot_filled=slot_filled)


def test_free_text_years_of_experience_choose_the_level():
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("I have 3 years in support", "level"))
    assert slots["level"] == "mid" and messages == []


def test_an_unclear_level_is_asked_again():
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("bananas", "level"))
    assert slots["level"] is None
    assert responses(messages) == ["utter_level_unclear"]


def test_the_question_count_sets_up_the_plan(coach):
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("three", "question_count", level="senior"))
    assert slots["question_count"] == 3
    assert len(slots["question_plan"]) == 3
    assert all(coach.bank.questions[qid].level == "senior" for qid in slots["question_plan"])
    assert slots["question_index"] == 0 and slots["interview_results"] == []
    assert responses(messages) == ["utter_interview_intro"]


def test_stop_during_set_up_ends_the_form():
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("stop", "level", intent="stop_interview"))
    assert slots["requested_slot"] is None and slots["interview_stopped"] is True


@pytest.mark.parametrize("slot", ["level", "question_count"])
def test_start_over_during_set_up_asks_for_the_level_again(slot):
    slots, messages = run_action(ValidateInterviewForm(), setup_tracker("start over", slot, intent="start_over",
                                                                        level="mid"))
    assert slots["level"] is None and slots[slot] is None
    assert responses(messages) == ["utter_starting_over"]


def test_asking_for_the_count_offers_what_the_level_has(coach):
    tracker = setup_tracker("mid", "level", level="mid")
    _, messages = run_action(ActionAskQuestionCount(), tracker)
    assert responses(messages) == ["utter_question_count_choices"]
    assert messages[0]["max_questions"] == min(10, len(coach.bank.questions_for_level("mid")))


# --- asking and finishing ---------------------------------------------------------------------------------------


def test_the_question_is_shown_as_question_k_of_n(coach):
    tracker = tracker_for("mid", interview_slots(question_index=1, question_shown=None))
    slots, messages = run_action(ActionAskAnswer(), tracker)
    assert responses(messages) == ["utter_question"]
    assert messages[0]["number"] == 2 and messages[0]["total"] == 3
    assert messages[0]["question_text"] == coach.bank.questions[PLAN[1]].text
    assert slots == {"question_shown": 1}


def test_a_question_already_on_screen_gets_a_short_reprompt():
    tracker = tracker_for("hint", interview_slots(question_index=0, question_shown=0))
    _, messages = run_action(ActionAskAnswer(), tracker)
    assert responses(messages) == ["utter_question_reprompt"]


def test_nothing_is_asked_while_a_command_waits_for_confirmation():
    tracker = tracker_for("skip", interview_slots(pending_command="skip", question_shown=None))
    _, messages = run_action(ActionAskAnswer(), tracker)
    assert messages == []


def test_finishing_gives_the_summary_and_clears_the_interview(coach):
    result = coach.assess("measure_cx_success", STRONG_METRICS_ANSWER)
    results = [coach.result_record(result, 1, STRONG_METRICS_ANSWER),
               {"question_id": "gather_customer_feedback", "number": 2, "status": "skipped"}]
    tracker = tracker_for("stop the interview", interview_slots(interview_results=results, interviews_completed=2))
    slots, messages = run_action(ActionFinishInterview(), tracker)
    summary = texts(messages)
    assert "1 of 2 questions answered" in summary
    assert "skipped" in summary
    assert all(slots[name] is None for name in INTERVIEW_SLOTS if name not in ("last_answer_text", "last_reply"))
    assert slots["last_reply"] == messages  # sent again if the page sends the last answer again
    assert slots["interviews_completed"] == 3


def test_a_screen_ends_through_its_own_action_with_no_summary_for_the_candidate():
    tracker = tracker_for("stop the interview", interview_slots(screen_id="S0A0B0C", interview_results=[]))
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFinishInterview().run(dispatcher, tracker, DOMAIN))
    assert events == [{"event": "followup", "timestamp": None, "name": "action_finish_screen"}]
    assert dispatcher.messages == []


@pytest.fixture
def screens(tmp_path, monkeypatch):
    """A screens database of this test's own (the screen actions' service, made afresh), and one screen in it in
    progress with the interview's plan; its id."""
    from screening.service import get_screening

    monkeypatch.setenv("SCREEN_DB", str(tmp_path / "screens.db"))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)  # no Slack: notices fail quietly
    get_screening.cache_clear()
    service = get_screening()
    screen = service.store.create("U0REC", "candidate-1", "mid", "short", lambda screen_id: list(PLAN))
    service.store.start(screen["screen_id"])
    yield service, screen["screen_id"]
    get_screening.cache_clear()


def test_a_screen_answer_is_saved_without_feedback_or_follow_up(coach, screens):
    service, screen_id = screens
    slots, messages = validate(STRONG_METRICS_ANSWER, screen_id=screen_id, input_channel="slack")
    assert responses(messages) == ["utter_screen_answer_received"]
    assert not texts(messages) and slots["follow_up"] is None
    assert slots["interview_results"][0]["status"] == "answered"
    # Saved as it comes, so a screen cancelled or expired later still has it.
    assert service.store.get(screen_id)["results"] == slots["interview_results"]


@pytest.mark.parametrize("text", [STRONG_METRICS_ANSWER, "skip this question"])
def test_a_cancelled_or_expired_screen_takes_no_more_answers_and_ends(coach, screens, text):
    service, screen_id = screens
    service.cancel("U0REC", screen_id, coach)
    slots, messages = validate(text, screen_id=screen_id, input_channel="slack")
    assert slots == {"answer": None, "requested_slot": None} and messages == []
    # The form's end tells the candidate, and clears the screen.
    tracker = tracker_for(text, interview_slots(screen_id=screen_id), input_channel="slack")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFinishScreen().run(dispatcher, tracker, DOMAIN))
    assert responses(dispatcher.messages) == ["utter_screen_closed"]
    assert {"event": "slot", "timestamp": None, "name": "screen_id", "value": None} in events
    # A click on a new invitation's Start (it lands in the old form first) is acted on.
    tracker = tracker_for("/accept_screen", interview_slots(screen_id=screen_id), intent="accept_screen",
                          input_channel="slack")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFinishScreen().run(dispatcher, tracker, DOMAIN))
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_accept_screen"}
    assert dispatcher.messages == []


def test_restart_cannot_wipe_a_screen_in_progress(screens):
    _, screen_id = screens
    tracker = tracker_for("/restart", interview_slots(screen_id=screen_id), intent="restart", input_channel="slack")
    slots, messages = run_action(ActionRestart(), tracker)
    assert responses(messages) == ["utter_screen_no_restart"]
    assert slots == {"answer": None}  # the form asks the question again instead of ending on "/restart"
    practice = tracker_for("/restart", interview_slots(), intent="restart")
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ActionRestart().run(dispatcher, practice, DOMAIN)) == [{"event": "restart", "timestamp": None}]


@pytest.mark.parametrize("text", [STRONG_METRICS_ANSWER, "stop the interview", "skip this question"])
def test_a_screen_takes_nothing_that_did_not_come_through_slack(text):
    # Over REST anyone can claim the candidate's sender id: no answer, no command, no stop.
    slots, messages = validate(text, screen_id="S0A0B0C", input_channel="rest")
    assert responses(messages) == ["utter_screen_slack_only"]
    assert slots == {"answer": None}


def test_a_skipped_screen_question_promises_no_summary(screens):
    slots, messages = validate("skip this question", intent="skip_question", screen_id=screens[1],
                               input_channel="slack")
    assert responses(messages) == ["utter_screen_skipped"]
    assert "summary" not in DOMAIN["responses"]["utter_screen_skipped"][0]["text"]
