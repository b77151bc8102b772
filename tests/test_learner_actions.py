"""The learner actions and the interview form's new steps ("try again", the questions for the employer), each run
against a fresh tracker and a CollectingDispatcher, with the real coach and a progress database of their own."""

import dataclasses

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.employer_step as employer_step
import actions.learner_actions as learner_actions
import actions.try_again as try_again
from actions.employer_step import ActionAskEmployerQuestions, not_in_a_screen
from actions.interview_end import ActionFinishInterview
from actions.interview_form import ActionAskAnswer, ValidateInterviewForm
from actions.learner_actions import (
    ActionAskDeleteData,
    ActionAskLevel,
    ActionDeleteMyData,
    ActionJoinCohort,
    ActionJoinConfirmed,
    ActionShowProgress,
    learner_of,
)
from actions.tracker import InterviewProgress
from bootcamp.service import Bootcamp
from bootcamp.store import ProgressStore
from tests.bootcamp_data import START, finish, record
from tests.test_actions import DOMAIN, STRONG_METRICS_ANSWER, interview_slots, run_action, texts, tracker_for

WEB = {"learner": {"id": "3f2b-learner", "name": "  Ana \n Lee ", "channel": "web"}}


@pytest.fixture
def bootcamp(coach, tmp_path, monkeypatch):
    """A bootcamp service on a fresh database, used by every action; follow-ups off (they have their own tests)."""
    service = Bootcamp(coach, ProgressStore(f"sqlite:///{tmp_path / 'progress.db'}"))
    for module in (learner_actions, try_again, employer_step):
        monkeypatch.setattr(module, "get_bootcamp", lambda: service)
    monkeypatch.setattr(coach, "settings", dataclasses.replace(coach.settings, follow_ups=False))
    return service


def outside(text, intent, slots=None, metadata=None, input_channel="rest", sender="candidate-1"):
    """A tracker with no form active, whose latest message is `text`."""
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}},
               "input_channel": input_channel, "metadata": metadata or WEB}]
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    return Tracker(sender, all_slots, {"text": text, "intent": {"name": intent}, "entities": []}, events, False, None,
                   {}, "action_listen")


def in_form(text, slot="answer", metadata=None, intent="nlu_fallback", **overrides):
    tracker = tracker_for(text, interview_slots(**overrides), intent=intent, slot_filled=slot,
                          metadata=metadata or WEB, input_channel="rest")
    return run_action(ValidateInterviewForm(), tracker)


def at_level_question(text, intent, **overrides):
    setting_up = dict(level=None, question_count=None, question_plan=None, question_index=None,
                      interview_results=None, requested_slot="level")
    return in_form(text, slot="level", intent=intent, **{**setting_up, **overrides})


# --- who the learner is ------------------------------------------------------------------------------------------

def test_the_learner_is_the_slack_user_the_page_learner_or_the_sender():
    assert learner_of(outside("hi", "greet", input_channel="slack", sender="U123")).id == "slack:U123"
    web = learner_of(outside("hi", "greet"))
    assert (web.id, web.name) == ("web:3f2b-learner", "Ana Lee")
    terminal = {"learner": {"id": "alex-lee", "name": "Alex Lee", "channel": "terminal"}}
    assert learner_of(outside("hi", "greet", metadata=terminal)).id == "terminal:alex-lee"
    for odd in ({"learner": {"id": "../../etc"}}, {"learner": {"id": "x" * 101}}, {"learner": "web-1"}, {"other": 1}):
        assert learner_of(outside("hi", "greet", metadata=odd)).id == "rest:candidate-1"


# --- the level question -------------------------------------------------------------------------------------------

def test_the_level_question_offers_the_next_assignment_of_the_learners_class(bootcamp):
    level = lambda: run_action(ActionAskLevel(), outside("hi", "greet"))  # noqa: E731
    slots, [message] = level()
    assert [b["payload"] for b in message["buttons"]] == ["junior", "mid", "senior"] and slots == {}
    finish(bootcamp.store, bootcamp.bank, "web:3f2b-learner", [record(bootcamp.bank, "voc_program", 0.4)], START)
    _, [message] = level()
    assert message["text"].startswith("Welcome back.")
    assert [b["payload"] for b in message["buttons"]][3:] == ["/show_progress", "/practise_weak_areas"]
    cohort = bootcamp.store.create_cohort("Class")
    bootcamp.store.join(cohort.cohort_id, "web:3f2b-learner", None)
    assignment = bootcamp.store.add_assignment(cohort.cohort_id, "Metrics week", "mid", ["metrics_roi"], [], 1,
                                               "2099-01-01")
    slots, [message] = level()
    assert "“Class” has an assignment: “Metrics week”, 1 questions at mid level on Metrics" in message["text"]
    assert message["buttons"][-1] == {"title": "Start “Metrics week”", "payload": "/start_assignment"}
    assert slots == {"offered_assignment": assignment}
    assert bootcamp.store.learner("web:3f2b-learner")["display_name"] == "Ana Lee"


def test_progress_comes_as_text_with_the_chart_data_for_the_page(bootcamp):
    finish(bootcamp.store, bootcamp.bank, "web:3f2b-learner", [record(bootcamp.bank, "voc_program", 0.4)], START)
    _, messages = run_action(ActionShowProgress(), outside("my progress", "show_progress"))
    assert "Your progress so far: one interview" in texts(messages)
    assert messages[0]["custom"]["kind"] == "progress"
    _, messages = run_action(ActionShowProgress(), outside("my progress", "show_progress", input_channel="slack"))
    assert not messages[0]["custom"]  # Slack shows text only


# --- requests at the level question ------------------------------------------------------------------------------

def test_a_request_at_the_level_question_is_carried_out_and_a_level_stays_a_level(bootcamp):
    slots, messages = at_level_question("my progress", "show_progress")
    assert slots == {"level": None} and "haven't finished an interview yet" in texts(messages)
    slots, messages = at_level_question("I have 3 years in support", "show_progress")  # the NLU misread it
    assert slots == {"level": "mid"} and "progress" not in texts(messages)
    finish(bootcamp.store, bootcamp.bank, "web:3f2b-learner", [record(bootcamp.bank, "voc_program", 0.3)], START)
    slots, messages = at_level_question("/practise_weak_areas", "practise_weak_areas")
    assert "A drill on your weak areas" in texts(messages)
    assert slots["level"] == "mid" and slots["interview_kind"] == {"kind": "drill"} and slots["question_plan"]


def test_join_and_delete_at_the_level_question_wait_for_the_yes(bootcamp):
    cohort = bootcamp.store.create_cohort("Morning class")
    slots, messages = at_level_question(f"join {cohort.join_code}", "join_cohort")
    assert slots["level"] is None and slots["pending_join"]["cohort"] == "Morning class"
    tracker = tracker_for("hi", interview_slots(**{**slots, "requested_slot": "level"}), slot_filled="level")
    assert run_action(ActionAskLevel(), tracker) == ({}, [])  # the level question waits for the yes or no
    slots, messages = at_level_question("yes", "affirm", pending_join=slots["pending_join"])
    assert slots == {"level": None, "pending_join": None} and "You're in “Morning class”" in texts(messages)
    slots, _ = at_level_question("delete my data", "delete_my_data")
    assert slots == {"level": None, "pending_deletion": True}
    slots, messages = at_level_question("no", "deny", pending_deletion=True)
    assert slots == {"level": None, "pending_deletion": None} and texts(messages) == "Nothing was deleted."


# --- try again ---------------------------------------------------------------------------------------------------

ANSWERED = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.12, "band": "weak",
             "answer": "Surveys.", "covered": [], "missing": [{"id": "baseline_goal"}, {"id": "names_nps"}]}]


def test_try_again_reopens_the_last_answered_question(bootcamp):
    slots, messages = in_form("try again", intent="try_again", question_index=1, interview_results=ANSWERED)
    assert slots["answer"] is None and slots["retry"] == {"record": ANSWERED[0], "shown": False}
    tracker = tracker_for("try again", interview_slots(question_index=1, interview_results=ANSWERED, **slots))
    asked, [prompt] = run_action(ActionAskAnswer(), tracker)
    assert prompt["text"].startswith("Try again: question 1 (Metrics, measurement and ROI). Your earlier answer "
                                     "scored 12/100.")
    assert asked["retry"]["shown"] is True


def test_the_new_try_is_compared_and_the_better_kept_then_the_open_question_comes_back(bootcamp):
    retry = {"record": ANSWERED[0], "shown": True}
    slots, messages = in_form(STRONG_METRICS_ANSWER, question_index=1, interview_results=ANSWERED, retry=retry)
    said = texts(messages)
    assert said.startswith("Your new try at question 1: 12 → ")
    assert "• Now covered:" in said and "keeps the better of the two answers" in said
    assert messages[0]["custom"]["kind"] == "answer_feedback"
    [kept] = slots["interview_results"]
    assert kept["answer"] == STRONG_METRICS_ANSWER and kept["retries"] == 1 and kept["score"] > 0.12
    assert slots["retry"] is None and slots["question_shown"] is None and slots["answer"] is None


def test_try_again_before_any_answer_or_in_a_screen_explains_why_not(bootcamp):
    slots, messages = in_form("try again", intent="try_again")
    assert "There's no answer to try again yet" in texts(messages) and "retry" not in slots
    screen = tracker_for("try again", interview_slots(question_index=1, interview_results=ANSWERED, screen_id="S1"))
    dispatcher = CollectingDispatcher()
    assert ValidateInterviewForm().retry_command("retry", InterviewProgress(screen), dispatcher, screen) == {}
    assert "one answer per question" in texts(dispatcher.messages)


def test_skip_during_a_try_gives_the_try_up(bootcamp):
    slots, _ = in_form("skip this question", intent="skip_question", question_index=1, interview_results=ANSWERED,
                       retry={"record": ANSWERED[0], "shown": True})
    assert slots["retry"] is None and slots["question_shown"] is None  # question 2 is asked again
    assert "question_index" not in slots and "interview_results" not in slots  # and not skipped


# --- the questions for the employer ----------------------------------------------------------------------------

def at_employer_step(text, **overrides):
    return in_form(text, slot="employer_questions", question_index=3, interview_results=ANSWERED,
                   answer="last answer", requested_slot="employer_questions", **overrides)


def test_the_candidates_questions_are_read_for_themes(bootcamp):
    slots, messages = at_employer_step("Who would I report to, and who owns churn here?")
    assert slots["employer_questions"].startswith("Who would I report to")
    assert "Your questions touch on:" in texts(messages)


@pytest.mark.parametrize("reply, intent", [("skip", "skip_question"), ("no thanks", "deny"),
                                           ("stop the interview", "stop_interview"), ("Skip", "nlu_fallback")])
def test_skipping_the_step_goes_on_to_the_summary(bootcamp, reply, intent):
    slots, messages = at_employer_step(reply, intent=intent)
    assert slots["employer_questions"] and "No questions this time." in texts(messages)


def test_an_empty_reply_asks_again_and_try_again_works_at_this_step(bootcamp):
    slots, messages = at_employer_step("   ")
    assert slots["employer_questions"] is None and messages[0]["response"] == "utter_empty_answer"
    slots, _ = at_employer_step("try again", intent="try_again")
    assert slots["employer_questions"] is None and slots["retry"]["record"] == ANSWERED[0]
    tracker = tracker_for("try again", interview_slots(question_index=3, interview_results=ANSWERED,
                                                       requested_slot="employer_questions", **slots),
                          slot_filled="employer_questions")
    _, [prompt] = run_action(ActionAskEmployerQuestions(), tracker)
    assert prompt["text"].startswith("Try again: question 1")


def test_the_step_is_not_asked_in_a_screen(bootcamp):
    slots, _ = in_form(STRONG_METRICS_ANSWER, question_index=2)  # practice: the last answer leads to the step
    assert slots["answer"] == STRONG_METRICS_ANSWER and "employer_questions" not in slots
    assert not_in_a_screen(slots)["employer_questions"] == "(not asked)"  # a screen's last answer ends the form
    assert "employer_questions" not in not_in_a_screen({"answer": None})


def test_the_summary_keeps_the_interview_and_suggests_no_other_employer_question_after_the_step(bootcamp):
    results = [dict(ANSWERED[0], score=0.8, band="strong")]
    tracker = outside("skip", "nlu_fallback", slots=interview_slots(
        interview_results=results, employer_questions="Who owns churn?", interview_kind={"kind": "drill"}))
    _, messages = run_action(ActionFinishInterview(), tracker)
    assert "Prepare a question for them too" not in texts(messages)
    [interview] = bootcamp.store.history("web:3f2b-learner")
    assert (interview["kind"], interview["level"], interview["answered"]) == ("drill", "mid", 1)


# --- joining a class and deleting one's data ---------------------------------------------------------------------

def test_join_needs_a_known_code_and_asks_before_sharing(bootcamp):
    assert "type “join” and the code" in texts(run_action(ActionJoinCohort(), outside("join", "join_cohort"))[1])
    slots, messages = run_action(ActionJoinCohort(), outside("join ZZZZ9999", "join_cohort"))
    assert "I don't know the class code “ZZZZ9999”" in texts(messages) and slots == {"pending_join": None}
    cohort = bootcamp.store.create_cohort("Evening class")
    slots, messages = run_action(ActionJoinCohort(), outside(f"join {cohort.join_code} as <b>Bo</b>", "join_cohort"))
    assert "you, as “<b>Bo</b>”" in texts(messages)
    assert slots["pending_join"]["cohort_id"] == cohort.cohort_id
    assert bootcamp.store.members(cohort.cohort_id) == []
    _, messages = run_action(ActionJoinConfirmed(), outside("yes", "affirm", slots=slots))
    assert "You're in “Evening class”" in texts(messages)
    assert [m["display_name"] for m in bootcamp.store.members(cohort.cohort_id)] == ["<b>Bo</b>"]
    assert "no class waiting" in texts(run_action(ActionJoinConfirmed(), outside("yes", "affirm"))[1])


def test_deletion_is_refused_during_a_screen_and_needs_the_question_first(bootcamp):
    _, messages = run_action(ActionAskDeleteData(), outside("delete my data", "delete_my_data",
                                                             slots={"screen_id": "S1"}))
    assert "pre-screen open" in texts(messages)
    slots, messages = run_action(ActionDeleteMyData(), outside("yes", "affirm"))
    assert "nothing waiting to be deleted" in texts(messages) and slots == {}


def test_deletion_removes_the_rows_and_asks_the_tracker_store_to_forget_the_conversations(bootcamp):
    finish(bootcamp.store, bootcamp.bank, "web:3f2b-learner", [record(bootcamp.bank, "voc_program", 0.4)], START,
           sender_id="older-conversation")
    slots, messages = run_action(ActionAskDeleteData(), outside("delete my data", "delete_my_data"))
    said = texts(messages)
    assert "Finished interviews: 1 (scored answers: 1). Classes you are in: none. Conversations with me: 2" in said
    slots, messages = run_action(ActionDeleteMyData(), outside("yes", "affirm", slots=slots))
    assert slots["forget_conversations"] == ["candidate-1", "older-conversation"]
    assert messages[0]["custom"] == {"kind": "data_deleted", "version": 1}
    assert bootcamp.store.history("web:3f2b-learner") == []
