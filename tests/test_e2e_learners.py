"""End to end over REST with the real servers: a learner across two interviews (trying an answer again, the questions
for the employer), their progress, a weak-area drill, joining a class and its assignment, the instructor's view of it,
and "delete my data", checked in the progress database and in Rasa's tracker store afterwards."""

import sqlite3

import pytest
import sqlalchemy as sa

from bootcamp import store as tables
from bootcamp.instructor_http import InstructorApi
from bootcamp.store import ProgressStore
from coach.interview import plan_questions
from harness.bot import BotServers
from harness.servers import rasa_under_test, reply_texts
from tests.sample_answers import STRONG_ANSWER

pytestmark = pytest.mark.e2e

THIN_METRICS = "I would look at the survey scores every month."
GOOD_METRICS = ("Before the launch I set a baseline for NPS, CSAT and CES and a goal for each. NPS shows how likely "
                "customers are to recommend us, CSAT how satisfied they were, CES how easy it was to get help. After "
                "the change churn fell by two points, which protected renewal revenue, and I reported the results "
                "every month to the leadership team.")
EMPLOYER_QUESTIONS = "Who would I report to? And how will you judge whether this role is a success after a year?"


def learner(learner_id, name=None):
    return {"learner": {"id": learner_id, "name": name, "channel": "web"}}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    rasa_bin, model = rasa_under_test()
    running = BotServers(tmp_path_factory.mktemp("e2e-learners"), rasa_bin, model)
    running.env["CX_COACH_FOLLOW_UPS"] = "off"  # one answer per question: follow-ups have their own tests
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def progress_store(servers):
    return ProgressStore(f"sqlite:///{servers.progress_db}")


class Conversation:
    def __init__(self, servers, sender, metadata):
        self.servers, self.sender, self.metadata = servers, sender, metadata
        self.last = []

    def say(self, text):
        self.last = self.servers.say(self.sender, text, self.metadata)
        return reply_texts(self.last)

    def custom(self, kind):
        return next((m["custom"] for m in self.last if (m.get("custom") or {}).get("kind") == kind), None)


def interview(chat, answers, employer_reply="skip", level="mid"):
    """A whole interview from "start": level, count, one answer each, the employer step; returns the summary."""
    chat.say("start")
    chat.say(level)
    assert f"Question 1 of {len(answers)}" in chat.say(str(len(answers)))
    for answer in answers:
        replies = chat.say(answer)
        assert "Score for this answer:" in replies
    assert "Do you have any questions for us?" in replies
    return chat.say(employer_reply)


def test_two_interviews_try_again_employer_questions_progress_and_a_drill(servers, progress_store, coach):
    chat = Conversation(servers, "web-conversation-1", learner("learner-pat", "Pat Doe"))
    # The questions are chosen from the conversation's id and how many interviews it finished.
    first_question = coach.bank.questions[plan_questions(coach.bank, "mid", 2, "web-conversation-1:0")[0]]
    greeting = chat.say("hi")
    assert "Which level are you preparing for?" in greeting and "Welcome back" not in greeting
    # A request at the level question is read as one; a level, however the NLU reads it, as the level.
    nothing_yet = chat.say("my progress")
    assert "haven't finished an interview yet" in nothing_yet and "Which level are you preparing for?" in nothing_yet

    chat.say("I have 3 years in support")
    assert "Question 1 of 2" in chat.say("2")
    first = chat.say(THIN_METRICS)
    assert "Score for this answer:" in first and "Question 2 of 2" in first
    # "try again" right after the feedback reopens question 1; the new answer is compared with the first.
    reopened = chat.say("try again")
    assert "Try again: question 1" in reopened and "Your earlier answer scored" in reopened
    compared = chat.say(first_question.model_answer)
    assert "Your new try at question 1:" in compared and "→" in compared
    assert "Now covered:" in compared
    assert "keeps the better of the two answers" in compared
    assert "Question 2 of 2" in compared  # back to where the interview was

    # After the last answer: "Do you have any questions for us?", read for themes, never scored.
    last = chat.say(STRONG_ANSWER)
    assert "Do you have any questions for us?" in last
    themes = chat.say(EMPLOYER_QUESTIONS)
    assert "Your questions touch on:" in themes
    assert "Where the role sits and who it reports to" in themes and "How success is defined" in themes
    assert "You could also ask about:" in themes and "Who owns retention" in themes
    assert "Your interview summary (Mid): 2 of 2 questions answered" in themes

    history = progress_store.history("web:learner-pat")
    assert len(history) == 1
    kept = history[0]["answers"][0]
    assert kept["attempts"] == 2 and kept["answer"] == first_question.model_answer  # the better try is kept

    # A second interview: the level question now offers progress and a drill.
    chat.say("start")
    assert "Welcome back" in reply_texts(chat.last) or "Welcome back" in chat.say("hi")
    assert [b["payload"] for b in chat.last[-1]["buttons"]][-2:] == ["/show_progress", "/practise_weak_areas"]
    chat.say("mid")
    assert "Question 1 of 2" in chat.say("2")
    chat.say("We send a survey after each chat and read the comments every week.")
    assert "Do you have any questions for us?" in chat.say(THIN_METRICS)
    assert "No questions this time." in chat.say("no thanks")
    assert len(progress_store.history("web:learner-pat")) == 2

    progress = chat.say("my progress")
    assert "Your progress over your last 2 interviews (2 in all" in progress
    assert "The points you miss most often:" in progress
    payload = chat.custom("progress")
    assert payload["interviews"] == 2 and payload["competencies"] and payload["missed"]

    drill = chat.say("practise my weak areas")
    assert "A drill on your weak areas:" in drill and "Question 1 of" in drill
    assert "Score for this answer:" in chat.say(STRONG_ANSWER)
    assert "Your interview summary" in chat.say("stop the interview")  # stopped: no questions for the employer
    kinds = [interview["kind"] for interview in progress_store.history("web:learner-pat")]
    assert kinds == ["practice", "practice", "drill"]


def test_joining_a_class_says_what_the_instructor_sees_and_the_assignment_follows(servers, progress_store):
    cohort = progress_store.create_cohort("E2E spring class")
    other = progress_store.create_cohort("E2E other class")
    chat = Conversation(servers, "web-conversation-join", learner("learner-sam"))
    chat.say("hi")
    consent = chat.say(f"join {cohort.join_code.lower()} as Sam Reyes")
    assert "exactly what they will see" in consent and "you, as “Sam Reyes”" in consent
    assert "“delete my data” removes all of it" in consent
    assert [b["payload"] for b in chat.last[-1]["buttons"]] == ["/affirm", "/deny"]
    assert progress_store.members(cohort.cohort_id) == []  # nothing shared before the yes
    progress_store.add_assignment(cohort.cohort_id, "Metrics week", "mid", ["metrics_roi"], [], 1, "2099-12-31")
    joined = chat.say("yes")
    # Joined at the level question: the set-up goes on, and offers the class's assignment.
    assert "You're in “E2E spring class”" in joined and "has an assignment: “Metrics week”" in joined
    assert chat.last[-1]["buttons"][-1]["payload"] == "/start_assignment"
    started = chat.say("/start_assignment")
    assert "Starting the assignment “Metrics week”" in started and "Question 1 of 1" in started
    assert "Do you have any questions for us?" in chat.say(GOOD_METRICS)
    chat.say("skip")
    assert progress_store.open_assignments("web:learner-sam", "2026-01-01") == []

    # The instructor's token shows Sam's interview; the other class's token shows nothing of it.
    api = InstructorApi(progress_store)
    mine = api.handle("/instructor/api/answers.csv", f"Bearer {cohort.instructor_token}").body.decode()
    theirs = api.handle("/instructor/api/answers.csv", f"Bearer {other.instructor_token}").body.decode()
    assert "Sam Reyes" in mine and "measure_cx_success" in mine
    assert "Sam Reyes" not in theirs and "measure_cx_success" not in theirs
    assert api.handle("/instructor/api/cohort", None).status == 401

    # "no" to a join shares nothing.
    stranger = Conversation(servers, "web-conversation-no", learner("learner-no"))
    stranger.say("hi")
    stranger.say(f"join {other.join_code}")
    assert "Nothing was shared" in stranger.say("no")
    assert progress_store.members(other.cohort_id) == []


def test_delete_my_data_asks_then_removes_progress_rows_and_every_conversation(servers, progress_store):
    cohort = progress_store.create_cohort("Deletion class")
    gone = learner("learner-gone", "Gone Person")
    first = Conversation(servers, "web-gone-1", gone)
    first.say("hi")
    first.say(f"join {cohort.join_code}")
    first.say("yes")
    interview(first, [GOOD_METRICS], level="mid")
    # "Start over" on the page: the same learner in a new conversation.
    second = Conversation(servers, "web-gone-2", gone)
    second.say("hi")
    bystander = Conversation(servers, "web-bystander", learner("learner-stays"))
    bystander.say("hi")

    preview = second.say("delete my data")
    assert "Finished interviews: 1 (scored answers: 1). Classes you are in: “Deletion class”." in preview
    assert "Conversations with me: 2, this one included" in preview
    assert "Nothing was deleted." in second.say("no")
    assert len(progress_store.history("web:learner-gone")) == 1

    second.say("delete my data")
    done = second.say("yes")
    assert "Deleted. Finished interviews: 1 (scored answers: 1). Classes left: “Deletion class”." in done
    assert "Your instructor's class page no longer shows you." in done
    assert second.custom("data_deleted") is not None

    with progress_store.engine.connect() as db:
        for table in (tables.learners, tables.conversations, tables.memberships, tables.interviews, tables.answers):
            left = db.execute(sa.select(sa.func.count()).select_from(table)
                              .where(table.c.learner_id == "web:learner-gone")).scalar()
            assert left == 0, table.name
    with sqlite3.connect(servers.tracker_db) as db:
        kept = {sender for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert "web-gone-1" not in kept and "web-gone-2" not in kept
    assert "web-bystander" in kept and "web-conversation-1" in kept

    # Writing again starts from scratch.
    assert "I'm CX Interview Coach, a bot" in second.say("hi")
