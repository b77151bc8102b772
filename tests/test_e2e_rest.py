"""End to end: the real action server and the real Rasa server, a whole interview over Rasa's REST channel.

Needs a trained model and the Rasa virtual environment: `make test` provides both through RASA_BIN and RASA_MODEL.
The Rasa server is restarted in the middle of the interview to prove the SQLite tracker store resumes it.
"""

import pytest

from harness.bot import BotServers
from harness.servers import rasa_under_test, reply_texts
from tests.sample_answers import STRONG_ANSWER

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    rasa_bin, model = rasa_under_test()
    running = BotServers(tmp_path_factory.mktemp("e2e"), rasa_bin, model)
    running.env["DATABASE_WAIT_SECONDS"] = "2"  # how long the tracker store waits for a lost database
    try:
        running.start()
        yield running
    finally:
        running.stop()


def test_a_whole_interview_over_rest_survives_a_rasa_restart(servers):
    sender = "e2e-candidate"
    greeting = servers.say(sender, "hi")
    assert "I'm CX Interview Coach, a bot" in reply_texts(greeting)
    level_prompt = greeting[-1]
    assert [button["payload"] for button in level_prompt["buttons"]] == ["junior", "mid", "senior"]

    count_prompt = servers.say(sender, "I have 3 years in support")
    assert "How many questions" in reply_texts(count_prompt)

    first = reply_texts(servers.say(sender, "2"))
    assert "Question 1 of 2" in first

    # A bare command word is confirmed, not obeyed; declining keeps the interview on question 1.
    confirm = servers.say(sender, "skip")
    assert "is \"skip\" your answer?" in reply_texts(confirm)
    assert [button["payload"] for button in confirm[-1]["buttons"]] == ["/affirm", "/deny"]

    # The candidate moves on with a real answer instead.
    after_first = reply_texts(servers.say(sender, STRONG_ANSWER))
    assert "Score for this answer:" in after_first
    assert "You said: “" in after_first
    # The answer is about a project, not this question's map, so it leaves gaps: one follow-up comes first.
    assert "Follow-up on question 1 of 2:" in after_first
    assert "Question 2 of 2" not in after_first

    # The same message again is a double send, not the answer to the follow-up: its feedback comes again (the first
    # reply may never have arrived), and the follow-up is asked again.
    double = reply_texts(servers.say(sender, STRONG_ANSWER))
    assert "You had sent that answer already, so it counts once" in double
    assert double.count("Score for this answer:") == 1
    assert "Follow-up on question 1 of 2:" in double

    # "next" declines the follow-up: the first answer keeps its score and question 2 comes.
    moved_on = reply_texts(servers.say(sender, "next"))
    assert "Question 2 of 2" in moved_on
    assert "Score for this answer:" not in moved_on

    # Restart the Rasa server mid-interview: the SQLite tracker store brings the candidate back to question 2.
    servers.restart_rasa()
    repeat = reply_texts(servers.say(sender, "repeat the question"))
    assert "Question 2 of 2" in repeat

    # A thin answer to question 2 gets one follow-up aimed at its biggest gap, on the same question.
    thin = reply_texts(servers.say(
        sender, "Customers told us the returns page was confusing, so I rewrote it with them."))
    assert "Score for this answer:" in thin
    assert "Follow-up on question 2 of 2:" in thin
    assert "Your interview summary" not in thin

    # The reply to the follow-up counts toward question 2, and then the interview ends.
    final = reply_texts(servers.say(sender, "The tool was a chatbot on our help page that answered order questions at "
                                      "night. I set it up with the support team, and CSAT for night contacts rose "
                                      "from 70 to 80 percent in two months."))
    assert "After your follow-up:" in final  # what the reply changed, not the first feedback again
    assert "Score for this answer:" not in final
    assert "I read your follow-up together with your first answer" in final
    # After the last question the coach asks for the candidate's own questions; "skip" goes to the summary.
    assert "Do you have any questions for us?" in final
    final = reply_texts(servers.say(sender, "skip"))
    assert "Your interview summary (Mid): 2 of 2 questions answered" in final
    assert "By competency:" in final
    assert "Next steps:" in final
    assert final.count("• Q") == 2

    # After the summary the interview is over: commands get a pointer to start again.
    assert "no interview running" in reply_texts(servers.say(sender, "skip"))


def test_stopping_midway_summarises_only_what_was_answered(servers):
    sender = "e2e-stopper"
    servers.say(sender, "start")
    servers.say(sender, "senior")
    assert "Question 1 of 3" in reply_texts(servers.say(sender, "3"))
    # This answer leaves gaps, so a follow-up is open: stopping still works and keeps the answer.
    thin = "In my last role I ran monthly sessions where every team listened to a few customer calls."
    assert "Follow-up on question 1 of 3:" in reply_texts(servers.say(sender, thin))
    summary = reply_texts(servers.say(sender, "stop the interview"))
    assert "1 of 1 questions answered" in summary


def test_a_long_answer_is_scored_whole_and_one_over_the_limit_gets_a_plain_reply(servers):
    import concurrent.futures
    import time

    sender = "e2e-long"
    servers.say(sender, "start")
    servers.say(sender, "mid")
    assert "Question 1 of 2" in reply_texts(servers.say(sender, "2"))

    # Over the hard limit (20,000 characters; Slack allows 40,000, REST anything): a reply that says so, at once,
    # and the interview still waits on question 1.
    for size in (40_000, 1_000_000):
        started = time.perf_counter()
        refused = reply_texts(servers.say(sender, ("I fixed the courier hand-over. " * (size // 31 + 1))[:size]))
        assert f"{size:,} characters long, more than the 20,000 I can take" in refused
        assert time.perf_counter() - started < 5
    assert "Question 1 of 2" in reply_texts(servers.say(sender, "repeat the question"))

    # Up to the limit the whole answer reaches the scorer (which reads its first CX_COACH_MAX_SCORED_CHARS), and the
    # NLU reads only its start, so another user's message is not held up meanwhile.
    topics = ["refund", "courier", "invoice", "login", "delivery", "warranty", "billing", "upgrade", "password"]
    cases = " ".join(f"Case {n}: a {topics[n % 9]} complaint from customer C{n:05d} was answered within {n % 7 + 2} "
                     "hours and logged for the weekly review." for n in range(400))
    long_answer = (STRONG_ANSWER + " " + cases)[:19_000]  # real sentences, none repeated: scored, not flagged
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        scored = pool.submit(servers.say, sender, long_answer)
        time.sleep(0.2)
        started = time.perf_counter()
        assert "I'm CX Interview Coach" in reply_texts(servers.say("e2e-bystander", "hi"))
        bystander_seconds = time.perf_counter() - started
        feedback = reply_texts(scored.result())
    assert f"Your answer ran to {len(long_answer):,} characters, so I scored the first 6,000" in feedback
    assert "Score for this answer:" in feedback
    assert bystander_seconds < 3, bystander_seconds  # Slack's webhook limit, on a shared 2-core machine


# --- requests to the coach, in anyone's words -----------------------------------------------------------------------


def start_practice(servers, sender, level="mid", count="3"):
    servers.say(sender, "start")
    servers.say(sender, level)
    first = reply_texts(servers.say(sender, count))
    assert f"Question 1 of {count}" in first
    return first


def test_requests_in_anyones_words_are_never_scored(servers):
    sender = "e2e-requests"
    start_practice(servers, sender)
    # Each is carried out or checked first ("Just checking"); none is ever scored. A check left unanswered is
    # dropped by the next message, which is read in its own right. Buttons with nothing to act on are stale.
    handled = ("Question", "Just checking", "Hint:", "Type your answer as a message", "belongs to an earlier",
               "Skipped question")
    for request in ["hint", "help", "I'd like a hint", "any tips?", "I need help", "sorry, what?", "hnit", "hlep",
                    "repaet the question", "/affirm", "/deny", "skp", "restrat", "stpo", "I give up"]:
        reply = reply_texts(servers.say(sender, request))
        assert "Score for this answer:" not in reply, request
        assert any(sign in reply for sign in handled), (request, reply)
    assert "of 3 (" in reply_texts(servers.say(sender, "repeat the question"))  # a question is still open
    assert "You didn't answer any questions this time" in reply_texts(servers.say(sender, "stop the interview"))


@pytest.mark.parametrize("request_to_stop", ["show me my results", "stop teh interview", "I'd like to stop now"])
def test_a_request_to_stop_in_anyones_words_stops_with_nothing_scored(servers, request_to_stop):
    sender = f"e2e-stop-{request_to_stop}"
    start_practice(servers, sender)
    stopped = reply_texts(servers.say(sender, request_to_stop))
    if "Just checking" in stopped:  # carried out at once, or after one tap: either way never scored
        stopped = reply_texts(servers.say(sender, "sure, go ahead"))
    assert "You didn't answer any questions this time" in stopped


def test_a_check_is_confirmed_by_a_typed_yes_the_label_or_the_button(servers):
    sender = "e2e-confirm"
    start_practice(servers, sender)
    for confirmation in ["yes please", "Yes, please do", "/affirm"]:
        check = servers.say(sender, "skip")
        assert "Just checking: should I skip this question" in reply_texts(check)
        assert [button["payload"] for button in check[-1]["buttons"]] == ["/affirm", "/deny"]
        assert "Skipped question" in reply_texts(servers.say(sender, confirmation))


def test_no_to_a_check_scores_what_was_typed(servers):
    sender = "e2e-keep"
    start_practice(servers, sender)
    assert "Just checking" in reply_texts(servers.say(sender, "Stop."))
    kept = reply_texts(servers.say(sender, "No, it's my answer"))  # a one-word answer is never thrown away
    assert "Score for this answer:" in kept
    assert "“Stop.”" in kept


def test_undo_takes_the_last_answer_back_and_the_summary_does_not_count_it(servers):
    sender = "e2e-undo"
    start_practice(servers, sender, count="2")
    assert "Score for this answer:" in reply_texts(servers.say(sender, STRONG_ANSWER))
    taken_back = reply_texts(servers.say(sender, "that wasn't my answer"))
    assert "your answer to question 1 is taken back" in taken_back
    assert "Question 1 of 2" in taken_back
    assert "Score for this answer:" not in taken_back
    summary = reply_texts(servers.say(sender, "stop the interview"))
    assert "didn't answer any questions" in summary


def test_a_level_typed_first_or_after_a_summary_starts_a_practice_at_that_level(servers):
    sender = "e2e-level"
    count_prompt = reply_texts(servers.say(sender, "senior"))
    assert "only open to the recruiters" not in count_prompt
    assert "How many questions would you like?" in count_prompt
    assert "Great: one question at senior level" in reply_texts(servers.say(sender, "1"))
    summary = reply_texts(servers.say(sender, STRONG_ANSWER))
    assert "Score for this answer:" in summary
    if "Follow-up on question 1 of 1" in summary:
        summary = reply_texts(servers.say(sender, "next"))  # declines the follow-up
    assert "Do you have any questions for us?" in summary
    summary = reply_texts(servers.say(sender, "skip"))
    assert "Your interview summary (Senior): 1 of 1 questions answered" in summary
    again = reply_texts(servers.say(sender, "junior"))
    assert "How many questions would you like?" in again
    assert "Great: 2 questions at junior level" in reply_texts(servers.say(sender, "2"))


def test_help_while_setting_up_explains_that_step_and_odd_counts_are_asked_again(servers):
    sender = "e2e-setup-help"
    servers.say(sender, "start")
    assert "the level of the job you're preparing for" in reply_texts(servers.say(sender, "help"))
    servers.say(sender, "mid")
    assert "how many questions to ask" in reply_texts(servers.say(sender, "help"))
    for odd in ["-3", "1.5"]:
        assert "Please give me a number from 1 to" in reply_texts(servers.say(sender, odd))
    assert "Great: 3 questions at mid level" in reply_texts(servers.say(sender, "3"))


def test_an_answer_resent_after_a_lost_reply_gets_its_feedback_again(servers):
    sender = "e2e-resend"
    start_practice(servers, sender, count="2")
    first = reply_texts(servers.say(sender, STRONG_ANSWER))
    feedback = first[first.index("Score for this answer:"):].split("\n\n")[0]
    again = reply_texts(servers.say(sender, STRONG_ANSWER))  # the page resends: the first reply never arrived
    assert "You had sent that answer already, so it counts once" in again
    assert feedback in again
    assert "Follow-up on question 1 of 2:" in again  # and what came after the feedback
    summary = reply_texts(servers.say(sender, "stop the interview"))
    assert "1 of 1 questions answered" in summary  # counted once


def test_the_last_message_resent_after_a_lost_summary_gets_its_reply_and_the_summary_again(servers):
    sender = "e2e-resend-last"
    start_practice(servers, sender, count="1")
    final = reply_texts(servers.say(sender, STRONG_ANSWER))
    if "Follow-up on question 1 of 1" in final:  # answer the follow-up: then that reply is the last answer
        final = reply_texts(servers.say(
            sender, "We measured it with CSAT after every chat, and it rose from 70 to 82 percent in a quarter."))
    assert "Do you have any questions for us?" in final
    questions = "Who would I report to, and how is success measured for this role?"
    final = reply_texts(servers.say(sender, questions))
    assert "Your interview summary (Mid): 1 of 1 questions answered" in final
    # The summary answers the message after the last answer, the questions for the employer: the page resends that
    # one when the summary never arrived.
    again = reply_texts(servers.say(sender, questions))
    assert "Your questions touch on:" in again
    assert "You had sent that answer already, so it counts once" in again
    assert "Your interview summary (Mid): 1 of 1 questions answered" in again
    assert "no interview running" not in again


def test_a_message_the_conversation_store_cannot_take_gets_a_503_and_is_taken_when_sent_again(servers):
    import sqlite3
    import time

    import requests

    sender = "e2e-store-down"
    servers.say(sender, "start")
    assert "How many questions" in reply_texts(servers.say(sender, "junior"))
    database = servers.workdir / "tracker.db"
    # Another process holds the database's write lock (SQLite keeps the file open through a pooled connection, so
    # moving the file away would change nothing): the coach can still read the conversation but cannot save it.
    blocker = sqlite3.connect(database, timeout=1, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        refused = requests.post(f"http://127.0.0.1:{servers.rasa_port}/webhooks/rest/webhook",
                                json={"sender": sender, "message": "2"}, timeout=60)
        waited = time.perf_counter() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    # Not a 200 with a fresh greeting (Rasa's fallback to memory): a 503 that says the message was not taken.
    assert refused.status_code == 503
    assert "haven't taken that message" in refused.json()["error"]
    assert 2 <= waited < 30  # DATABASE_WAIT_SECONDS of retries, then the answer
    # Sent again, it is taken where the conversation was: the count, not a new greeting.
    assert "Question 1 of 2" in reply_texts(servers.say(sender, "2"))
    with sqlite3.connect(database) as db:
        texts = [row[0] for row in db.execute("SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? "
                                              "AND type_name = 'user' ORDER BY id", (sender,))]
    assert texts == ["start", "junior", "2"]
