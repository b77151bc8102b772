"""The follow-up aimed at the gap: after an answer that misses something the form asks one follow-up on the same
question; its answer is scored together with the first one; commands still work and the candidate can decline."""

import json

import pytest

from actions.interview_form import ActionAskAnswer
from tests.test_actions import PLAN, interview_slots, loaded_coach, responses, run_action, texts, tracker_for, validate  # noqa: F401

PARTIAL_ANSWER = "I would look at NPS every quarter and share it with the leadership team."
FOLLOW_UP_ANSWER = ("Before the launch I would record a baseline for NPS, CSAT and CES, and afterwards compare churn "
                    "and renewal revenue with those scores.")


@pytest.fixture
def after_first_answer(coach):
    """The slots after PARTIAL_ANSWER to the first question: the follow-up is open."""
    slots, messages = validate(PARTIAL_ANSWER)
    return slots, messages


def open_follow_up(after_first_answer, shown=True, **overrides):
    slots, _ = after_first_answer
    follow_up = dict(slots["follow_up"], shown=shown)
    return interview_slots(interview_results=slots["interview_results"], follow_up=follow_up,
                           last_answer_text=PARTIAL_ANSWER, **overrides)


def test_an_answer_with_a_gap_opens_one_follow_up_on_the_same_question(coach, after_first_answer):
    slots, messages = after_first_answer
    assert slots["answer"] is None and "question_index" not in slots  # still on question 1
    [record] = slots["interview_results"]  # the first answer is kept already (a stop now still reports it)
    assert record["status"] == "answered" and record["answer"] == PARTIAL_ANSWER
    follow_up = slots["follow_up"]
    assert follow_up["index"] == 0 and follow_up["answer"] == PARTIAL_ANSWER and follow_up["shown"] is False
    question = coach.bank.questions[PLAN[0]]
    assert follow_up["target"] == record["missing"][0]["id"]  # aimed at the most important missing criterion
    assert follow_up["question"] in question.follow_ups or follow_up["question"].startswith(
        coach.texts.answer("follow_up_from_tip", tip="")[:10])
    assert coach.texts.answer("follow_up", follow_up=follow_up["question"]) not in texts(messages)
    json.dumps(slots)  # slots must stay JSON


def test_the_follow_up_is_asked_then_reprompted(after_first_answer):
    tracker = tracker_for(PARTIAL_ANSWER, open_follow_up(after_first_answer, shown=False))
    slots, messages = run_action(ActionAskAnswer(), tracker)
    assert responses(messages) == ["utter_follow_up"]
    assert messages[0]["follow_up"] == after_first_answer[0]["follow_up"]["question"]
    assert slots["follow_up"]["shown"] is True
    tracker = tracker_for("hint", open_follow_up(after_first_answer, shown=True))
    _, messages = run_action(ActionAskAnswer(), tracker)
    assert responses(messages) == ["utter_follow_up_reprompt"]


def test_the_follow_up_answer_counts_toward_the_same_question(coach, after_first_answer):
    first_score = after_first_answer[0]["interview_results"][0]["score"]
    slots, messages = validate(FOLLOW_UP_ANSWER, **open_follow_up(after_first_answer))
    [record] = slots["interview_results"]  # replaced, not added
    assert record["number"] == 1 and record["follow_up_answer"] == FOLLOW_UP_ANSWER and record["follow_up_counted"]
    assert record["score"] > first_score
    assert slots["question_index"] == 1 and slots["follow_up"] is None
    assert coach.texts.answer("follow_up_counted") in texts(messages)
    # Evidence can come from either answer: both are the candidate's words.
    assert all(any(part in PARTIAL_ANSWER + FOLLOW_UP_ANSWER for part in item["evidence"].split("\n"))
               for item in record["covered"])


def test_a_gaming_follow_up_never_lowers_or_lifts_the_score(coach, after_first_answer):
    first = after_first_answer[0]["interview_results"][0]
    slots, messages = validate("CSAT CES churn revenue baseline", **open_follow_up(after_first_answer))
    [record] = slots["interview_results"]
    assert record["score"] == first["score"] and record["follow_up_counted"] is False
    assert coach.texts.answer("follow_up_ignored") in texts(messages)


@pytest.mark.parametrize("text, intent", [("no thanks", "deny"), ("next", "skip_question"),
                                          ("skip this question", "skip_question"), ("/skip_question", "skip_question")])
def test_the_candidate_can_decline_the_follow_up(after_first_answer, text, intent):
    first = after_first_answer[0]["interview_results"]
    slots, messages = validate(text, intent=intent, **open_follow_up(after_first_answer))
    assert responses(messages) == ["utter_follow_up_declined"]
    assert slots["interview_results"] == first  # the first answer and its score stand; nothing marked skipped
    assert slots["question_index"] == 1 and slots["follow_up"] is None


def test_stop_at_a_follow_up_keeps_the_first_answer(after_first_answer):
    slots, messages = validate("stop the interview", intent="stop_interview", **open_follow_up(after_first_answer))
    assert responses(messages) == ["utter_stopping"]
    assert slots["interview_stopped"] is True and slots["requested_slot"] is None


def test_repeat_at_a_follow_up_shows_the_follow_up_again(after_first_answer):
    slots, _ = validate("repeat the question", intent="repeat_question", **open_follow_up(after_first_answer))
    assert slots["follow_up"]["shown"] is False and slots["answer"] is None


def test_a_follow_up_on_the_last_question_ends_the_form_once_answered(after_first_answer):
    slots, _ = validate(FOLLOW_UP_ANSWER, **open_follow_up(after_first_answer, question_index=0,
                                                          question_plan=[PLAN[0]], question_count=1))
    assert slots["answer"] == FOLLOW_UP_ANSWER  # the form's last slot is filled: the interview ends


def test_a_strong_answer_gets_no_follow_up(coach):
    strong = coach.assess(PLAN[0], FOLLOW_UP_ANSWER + " " + PARTIAL_ANSWER + (
        " I would put the results on a monthly dashboard for leadership, and tie CES to repeat calls."))
    if strong.assessment.score >= coach.parameters.max_score or not strong.assessment.missing:
        assert strong.follow_up is None  # nothing to follow up on
    else:
        assert strong.follow_up is not None and strong.follow_up_target == strong.assessment.missing[0].criterion.id


def test_feedback_after_the_follow_up_says_what_changed_not_the_first_block_again(coach, after_first_answer):
    _, first_messages = after_first_answer
    _, messages = validate(FOLLOW_UP_ANSWER, **open_follow_up(after_first_answer))
    feedback = texts(messages)
    outcome = coach.assess_with_follow_up(PLAN[0], PARTIAL_ANSWER, FOLLOW_UP_ANSWER)
    assert outcome.counted and outcome.newly_covered
    assert feedback.startswith(coach.texts.answer(
        "follow_up_change", before=outcome.before.score_percent, after=outcome.kept.score_percent,
        band=coach.texts.answer(f"band_{outcome.kept.assessment.band}")))
    for item in outcome.newly_covered:  # each point the reply added, quoted from the candidate's words
        assert item.criterion.text in feedback and item.evidence.split("\n")[0][:40] in feedback
    # The first answer's "What you covered" block is not repeated.
    assert coach.texts.answer("covered_heading", count=1, total=1).split("(")[0] not in feedback


def test_a_baseline_given_in_the_follow_up_turns_that_point_covered(coach):
    first = "We tracked CSAT on onboarding tickets and I reported it monthly to leadership."
    reply = "Before launch we agreed the goal: cut onboarding effort by 20 percent against the current baseline."
    outcome = coach.assess_with_follow_up("measure_cx_success", first, reply)
    before = {r.criterion.id for r in outcome.before.assessment.covered}
    after = {r.criterion.id for r in outcome.kept.assessment.covered}
    assert "baseline_goal" not in before and "baseline_goal" in after
