"""End to end: the action server dies in the middle of an interview over REST. The real Rasa server and the real
action server (harness/bot.py); the action server is killed as a crash would, an answer is sent, the action server
is started again. What must hold (channels/action_server.py): the candidate gets a plain reply at once, the answer is
kept, it is scored as soon as the action server is back without being typed again, exactly once, and the interview
goes on.

Rasa waits CX_ACTION_SERVER_WAIT seconds for a restart before it keeps a message; 2 here, to keep the test short.
"""

import json
import sqlite3
import time

import pytest

from harness.bot import BotServers
from harness.servers import rasa_under_test, reply_texts
from tests.sample_answers import STRONG_ANSWER

pytestmark = pytest.mark.e2e

AWAY = "The coach is restarting, so I couldn't read your message just now. It is kept"
STILL_AWAY = "The coach is still restarting."
NOT_READ = "so I haven't read it as an answer"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    rasa_bin, model = rasa_under_test()
    running = BotServers(tmp_path_factory.mktemp("faults"), rasa_bin, model)
    running.env["CX_ACTION_SERVER_WAIT"] = "2"
    try:
        running.start()
        yield running
    finally:
        running.stop()


def events(servers: BotServers, sender: str):
    with sqlite3.connect(servers.workdir / "tracker.db") as db:
        return [json.loads(data) for (data,) in
                db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def user_texts(servers: BotServers, sender: str):
    return [event["text"] for event in events(servers, sender) if event["event"] == "user"]


def results(servers: BotServers, sender: str):
    """The interview's answer records as the tracker last stored them."""
    values = [event["value"] for event in events(servers, sender)
              if event["event"] == "slot" and event["name"] == "interview_results" and event["value"]]
    return values[-1] if values else []


def feedback_count(servers: BotServers, sender: str) -> int:
    return sum(((event.get("data") or {}).get("custom") or {}).get("kind") == "answer_feedback"
               for event in events(servers, sender) if event["event"] == "bot")


def start_interview(servers: BotServers, sender: str) -> None:
    servers.say(sender, "start")
    servers.say(sender, "mid")
    assert "Question 1 of 2" in reply_texts(servers.say(sender, "2"))


def test_an_answer_sent_while_the_action_server_is_down_is_kept_and_scored_once_it_is_back(servers):
    sender = "fault-candidate"
    start_interview(servers, sender)
    servers.kill_actions()
    try:
        away = reply_texts(servers.say(sender, STRONG_ANSWER))
        assert AWAY in away
        assert "Score for this answer" not in away

        # A nudge while it is still away: told the first message is kept, and not asked to send "hello?" again.
        still = reply_texts(servers.say(sender, "hello?"))
        assert STILL_AWAY in still and "“In my last role I led a project…”" in still
        assert "again once you have my reply" not in still
        # Nothing of either message is in the conversation yet: the abandoned turn was not saved.
        assert STRONG_ANSWER not in user_texts(servers, sender)
    finally:
        servers.start_actions()

    # Scored without being typed again: the Rasa server hands the kept answer over as soon as the action server
    # answers, before the candidate writes anything.
    deadline = time.monotonic() + 60
    while not results(servers, sender):
        assert time.monotonic() < deadline, "the kept answer was not scored after the action server came back"
        time.sleep(0.5)

    # Over REST the feedback comes with the candidate's next message. That message was written without seeing it,
    # so it is not taken as the next answer, and the reply says so.
    back = reply_texts(servers.say(sender, "Did you get my answer about the onboarding project?"))
    assert "Score for this answer:" in back
    assert NOT_READ in back

    # Exactly once: logged once, one record, one feedback; the messages sent meanwhile were not taken as answers.
    logged = user_texts(servers, sender)
    assert logged.count(STRONG_ANSWER) == 1
    assert "hello?" not in logged and "Did you get my answer about the onboarding project?" not in logged
    assert [(record["number"], record["answer"]) for record in results(servers, sender)] == [(1, STRONG_ANSWER)]
    assert feedback_count(servers, sender) == 1

    # The interview goes on where it was: the follow-up on question 1 if the answer left a gap, else question 2.
    if "Follow-up on question 1 of 2:" in back:
        back = reply_texts(servers.say(sender, "next"))
    assert "Question 2 of 2" in back


def test_a_message_sent_as_the_action_server_comes_back_gets_the_kept_answers_feedback(servers):
    """Whether the background hand-over or the candidate's next message handles the kept answer first, the
    candidate gets its feedback once, with that message's reply."""
    sender = "fault-candidate-2"
    start_interview(servers, sender)
    servers.kill_actions()
    try:
        assert AWAY in reply_texts(servers.say(sender, STRONG_ANSWER))
    finally:
        servers.start_actions()
    back = reply_texts(servers.say(sender, "ok"))
    assert back.count("Score for this answer:") == 1
    assert NOT_READ not in back  # "ok" is a nudge, nothing to send again
    assert user_texts(servers, sender).count(STRONG_ANSWER) == 1
    assert feedback_count(servers, sender) == 1
    assert "ok" not in user_texts(servers, sender)
