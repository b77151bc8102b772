"""End to end over Slack: the real Rasa server with its Slack connector (channels.slack.RecruiterSlackInput), the real
action server and the real embedding model, events signed as Slack signs them, and a local fake of the Slack Web API
that records what the bot posts. Needs RASA_BIN and RASA_MODEL, as `make test` provides.

Rasa answers Slack's webhook at once and replies later through the Web API, so each step waits for the posts.
"""

import json
import sqlite3
import time

import pytest
import requests

from harness.bot import BotServers
from harness.servers import rasa_under_test, reply_texts
from harness.slack import FakeSlack, button_click, dm_channel, mention_event, message_event

pytestmark = pytest.mark.e2e

RECRUITER = "U0RECRUIT"
OUTSIDER = "U0OUTSIDE"
NOT_ALLOWED = "only open to the recruiters"
SAVED = "Thank you, your answer is saved."
ANSWERS = {
    "A": [
        "In my last role I set up a quarterly NPS survey and a CSAT question after each support ticket. I tracked "
        "both on a dashboard, compared them with churn, and we cut repeat contacts by a fifth.",
        "When a refund policy kept upsetting customers, I collected forty tickets as evidence, showed the cost to my "
        "manager and we changed the rule; complaints about refunds fell by half within two months.",
        "A customer was furious about a late delivery. I listened, apologised, explained what went wrong and sent "
        "a replacement the same day; she later left a five-star review.",
    ],
    "B": [
        "I like helping people and I am a good listener who stays calm on the phone with customers.",
        "I would ask my team lead what to do and follow the steps we were given for that kind of case.",
        "I read the customer's message carefully and answered every question they asked, step by step. "
        "<!channel> <!here> <@U0BOSS99> see <https://evil.example/login> & ```} ]```",
    ],
}
SLACK_ONLY = "work only through Slack"
SENT_TO_DM = "sent that to you in a direct message"


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    rasa_bin, model = rasa_under_test()
    servers = BotServers(tmp_path_factory.mktemp("slack"), rasa_bin, model, slack=FakeSlack(), recruiters=[RECRUITER])
    servers.env["CX_ACTION_SERVER_WAIT"] = "2"  # how long Rasa waits for a restart before it keeps a message
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def say(slack, user, text, until, **event):
    """Send a DM from `user` and return the bot's posts to them up to the first that contains `until`."""
    channel = dm_channel(user)
    before = len(slack.slack.posts(channel))
    reply = slack.post_event(message_event(user, text, **event))
    assert reply.status_code == 200, reply.text
    return slack.slack.wait_for(channel, lambda posts: until in reply_texts(posts), after=before)


def click(slack, user, value, message_ts, until):
    channel = dm_channel(user)
    before = len(slack.slack.posts(channel))
    assert slack.post_click(button_click(user, value, message_ts)).status_code == 200
    return slack.slack.wait_for(channel, lambda posts: until in reply_texts(posts), after=before)


def invitation(slack, candidate):
    """The consent notice posted to the candidate, once it is there."""
    return slack.slack.wait_for(dm_channel(candidate), lambda posts: any(p.get("blocks") for p in posts))[-1]


def shown(post):
    """What Slack shows of a post: its text and its sections' texts."""
    return "\n".join([post.get("text") or ""] + [block["text"]["text"] for block in post.get("blocks") or []
                                                  if block.get("type") == "section"])


def export(slack, user, screen_id, export_format):
    """Ask for an export in the user's DM; the file that arrives there."""
    channel = dm_channel(user)
    before = len(slack.slack.uploads(channel))
    assert slack.post_event(message_event(user, f"export {screen_id} {export_format}")).status_code == 200
    deadline = time.monotonic() + 120
    while len(slack.slack.uploads(channel)) <= before:
        assert time.monotonic() < deadline, f"no {export_format} export of {screen_id} arrived"
        time.sleep(0.2)
    return slack.slack.uploads(channel)[before]


def screens(slack):
    """Every screen in the database; none when no screen was ever started (the table is made with the first)."""
    with sqlite3.connect(slack.screen_db) as db:
        db.row_factory = sqlite3.Row
        if not db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'screens'").fetchone():
            return []
        return [dict(row) for row in db.execute("SELECT * FROM screens")]


# --- signatures ------------------------------------------------------------------------------------------------------

def test_forged_stale_and_missing_signatures_are_rejected(slack):
    envelope = message_event(RECRUITER, "screens")
    body = json.dumps(envelope).encode()
    posted_before = len(slack.slack.posts())
    forged = requests.post(slack.webhook, data=body, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64}, timeout=30)
    assert forged.status_code == 400
    assert slack.post_event(message_event(RECRUITER, "screens"), timestamp=int(time.time()) - 600).status_code == 400
    assert requests.post(slack.webhook, data=body, headers={"Content-Type": "application/json"},
                         timeout=30).status_code == 400
    # The same request properly signed goes through: the three above failed for their signature alone.
    assert slack.slack.posts() == slack.slack.posts()[:posted_before]
    assert "for a report" in reply_texts(say(slack, RECRUITER, "screen report", until="for a report"))


# --- who may screen --------------------------------------------------------------------------------------------------

def test_someone_not_on_the_list_can_neither_start_nor_read_a_screen(slack):
    refusal = reply_texts(say(slack, OUTSIDER, "screen <@U0VICTIM1> mid", until=NOT_ALLOWED))
    assert "U0VICTIM1" not in refusal
    assert "U0VICTIM1" not in slack.slack.opened()
    assert not [s for s in screens(slack) if s["candidate_id"] == "U0VICTIM1"]
    for command in ("screens", "screen report S0A1B2C", "export S0A1B2C csv"):
        reply = reply_texts(say(slack, OUTSIDER, command, until=NOT_ALLOWED))
        assert "S0A1B2C" not in reply and "Pre-screen" not in reply


# --- a whole screen, two candidates at once, a retry, a double click -------------------------------------------------

def test_two_candidates_screened_at_once_each_report_goes_to_the_recruiter(slack):
    candidates = {"A": "U0CANDAAA", "B": "U0CANDBBB"}
    recruiter_dm = dm_channel(RECRUITER)
    reports_before = len(slack.slack.posts(recruiter_dm))
    started = reply_texts(say(slack, RECRUITER, f"screen <@{candidates['A']}> mid short", until="is on its way"))
    assert "mid level, 3 questions" in started
    say(slack, RECRUITER, f"screen <@{candidates['B']}|bea> junior short", until=f"on its way to <@{candidates['B']}>")
    # A second screen for a candidate who has one open is refused.
    assert "already has screen" in reply_texts(say(slack, RECRUITER, f"screen <@{candidates['A']}> senior",
                                              until="already has screen"))
    ids = {key: next(s["screen_id"] for s in screens(slack) if s["candidate_id"] == user)
           for key, user in candidates.items()}

    for user in candidates.values():
        notice = invitation(slack, user)
        assert "software, not by a person" in notice["text"] and "a person makes every decision" in notice["text"]
        values = [element["value"] for element in notice["blocks"][1]["elements"]]
        assert values == ["/accept_screen", "/decline_screen"]

    # Candidate A double-clicks Start on the consent notice: one start, and no "/accept_screen" taken as an answer.
    notice_a = invitation(slack, candidates["A"])
    ts_a = f"{time.time():.6f}"
    first_question = reply_texts(click(slack, candidates["A"], "/accept_screen", ts_a, until="Question 1 of 3"))
    assert "There are 3 questions" in first_question
    assert slack.post_click(button_click(candidates["A"], "/accept_screen", ts_a)).status_code == 200
    click(slack, candidates["B"], "/accept_screen", f"{time.time():.6f}", until="Question 1 of 3")
    assert notice_a["channel"] == dm_channel(candidates["A"])

    # Interleave the answers; candidate A's second answer also arrives twice (a Slack retry of the same event).
    for number in range(3):
        for key, user in candidates.items():
            until = f"Question {number + 2} of 3" if number < 2 else "end of the pre-screen"
            event_id = f"Ev-{key}-{number}"
            posts = say(slack, user, ANSWERS[key][number], until=until, event_id=event_id)
            assert SAVED in reply_texts(posts)
            assert "Score" not in reply_texts(posts) and "You said" not in reply_texts(posts)
            if key == "A" and number == 1:
                retry = slack.post_event(message_event(user, ANSWERS[key][number], event_id=event_id),
                                         headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
                assert retry.status_code == 200 and retry.headers.get("X-Slack-No-Retry") == "1"

    for key, user in candidates.items():
        conversation = reply_texts(slack.slack.posts(dm_channel(user)))
        assert conversation.count(SAVED) == 3, f"candidate {key}: {conversation}"
        assert conversation.count("There are 3 questions") == 1
        for number in (1, 2, 3):
            assert conversation.count(f"Question {number} of 3") == 1
        assert "Score" not in conversation and "summary" not in conversation.lower()

    reports = slack.slack.wait_for(recruiter_dm, lambda posts: reply_texts(posts).count("*Pre-screen") >= 2,
                                   after=reports_before)
    for key, user in candidates.items():
        report = next(shown(p) for p in reports if f"*Pre-screen {ids[key]}*" in p.get("text", ""))
        assert f"for <@{user}>" in report and "3 of 3 questions answered" in report
        assert "Suggested band:" in report and "Level readiness" in report and "Competency profile" in report
        assert ANSWERS[key][0][:60] in report  # its own candidate's words...
        other = "B" if key == "A" else "A"
        assert all(answer[:60] not in report for answer in ANSWERS[other])  # ...and never the other's
        assert "reject" not in report.lower()
    stored = {s["candidate_id"]: s for s in screens(slack)}
    assert stored[candidates["A"]]["status"] == stored[candidates["B"]]["status"] == "completed"
    report_json = json.loads(stored[candidates["A"]]["report"])
    assert [q["answer"] for q in report_json["questions"]] == ANSWERS["A"]
    # The Slack report shows exactly the covered criteria of the stored report, each quoting the candidate. (Which
    # criteria are covered depends on the questions drawn, which the random screen id seeds.)
    report_a = next(shown(p) for p in reports if f"*Pre-screen {ids['A']}*" in p.get("text", ""))
    covered = [item for question in report_json["questions"] for item in question["covered"]]
    assert report_a.count("✓ ") == len(covered)
    for item in covered:
        first_line = item["evidence"].split("\n")[0]
        assert first_line in " ".join(ANSWERS["A"])
        assert f"✓ {item['criterion']}: “{first_line[:30]}" in report_a

    # What candidate B wrote pings nobody and links nowhere in the report: Slack's markup arrives escaped.
    report_b = json.dumps([p for p in reports if f"*Pre-screen {ids['B']}*" in p.get("text", "")])
    for live in ("<!channel>", "<!here>", "<@U0BOSS99>", "<https://"):
        assert live not in report_b
    assert "&lt;!channel&gt;" in report_b

    # Exports for an applicant tracking system, on request in Slack, arrive whole as files in the recruiter's DM (a
    # code fence or a blank line in an answer cannot break them); a non-recruiter still gets nothing.
    exported = export(slack, RECRUITER, ids["A"], "json")
    assert json.loads(exported["content"])["screen_id"] == ids["A"]
    csv_file = export(slack, RECRUITER, ids["B"], "csv")
    csv_text = csv_file["content"]
    assert csv_text.count(ids["B"]) == 3 and "suggested_band" in csv_text
    exported_b = json.loads(export(slack, RECRUITER, ids["B"], "json")["content"])
    assert exported_b["questions"][2]["answer"] == ANSWERS["B"][2]
    assert ids["A"] not in reply_texts(say(slack, OUTSIDER, f"screen report {ids['A']}", until=NOT_ALLOWED))
    assert ids["A"] in reply_texts(say(slack, RECRUITER, "screens", until="Screens, newest first"))


def test_a_candidate_who_declines_is_asked_nothing_and_the_recruiter_is_told(slack):
    candidate = "U0CANDCCC"
    say(slack, RECRUITER, f"screen <@{candidate}> senior", until="is on its way")
    invitation(slack, candidate)
    declined = reply_texts(click(slack, candidate, "/decline_screen", f"{time.time():.6f}", until="no pre-screen"))
    assert "Question" not in declined
    screen = next(s for s in screens(slack) if s["candidate_id"] == candidate)
    assert screen["status"] == "declined"
    slack.slack.wait_for(dm_channel(RECRUITER),
                         lambda posts: f"declined screen {screen['screen_id']}" in reply_texts(posts))
    # Pressing Start afterwards (on another copy of the notice) finds nothing waiting, and starts no questions.
    late = reply_texts(click(slack, candidate, "/accept_screen", f"{time.time():.6f}", until="no pre-screen waiting"))
    assert "Question" not in late
    assert next(s for s in screens(slack) if s["candidate_id"] == candidate)["status"] == "declined"


def test_a_practice_interview_over_slack_is_reported_to_no_one(slack):
    learner = "U0PRACTICE"
    recruiter_posts = len(slack.slack.posts(dm_channel(RECRUITER)))
    say(slack, learner, "start", until="Which level")
    say(slack, learner, "mid", until="How many questions")
    say(slack, learner, "1", until="Question 1 of 1")
    # Practice gives feedback, and this thin answer gets one follow-up on its gap; "next" moves on to the summary.
    feedback = reply_texts(say(slack, learner, ANSWERS["A"][0], until="Follow-up on question 1 of 1"))
    assert "Score for this answer" in feedback
    summary = reply_texts(say(slack, learner, "next", until="Next steps"))
    assert "Your interview summary" in summary
    assert not [s for s in screens(slack) if s["candidate_id"] == learner]
    # Nothing was posted anywhere but the learner's own conversation.
    assert len(slack.slack.posts(dm_channel(RECRUITER))) == recruiter_posts


# --- only the signed Slack channel speaks for a recruiter or a candidate ------------------------------------------

def test_the_rest_channel_cannot_act_as_a_recruiter_or_a_candidate(slack):
    candidate = "U0CANDREST"
    say(slack, RECRUITER, f"screen <@{candidate}> mid short", until="is on its way")
    invitation(slack, candidate)
    screen_id = next(s["screen_id"] for s in screens(slack) if s["candidate_id"] == candidate)
    before, posted, opened, uploaded = screens(slack), len(slack.slack.posts()), slack.slack.opened(), len(
        slack.slack.uploads())

    # Rasa's REST channel is still on with Slack (credentials.slack.yml) and trusts the sender id it is sent.
    for command in ("screens", f"screen report {screen_id}", f"export {screen_id} csv", "screen <@U0NEWUSER> mid"):
        reply = reply_texts(slack.say(RECRUITER, command))
        assert SLACK_ONLY in reply, command
        assert screen_id not in reply and "Pre-screen" not in reply and "U0NEWUSER" not in reply
    for message in ("/accept_screen", "/decline_screen"):
        assert SLACK_ONLY in reply_texts(slack.say(candidate, message))
    assert screens(slack) == before and slack.slack.opened() == opened
    assert len(slack.slack.posts()) == posted and len(slack.slack.uploads()) == uploaded

    # The candidate starts through Slack; answers and commands over REST in their name are not taken.
    click(slack, candidate, "/accept_screen", f"{time.time():.6f}", until="Question 1 of 3")
    started = screens(slack)
    for message in (ANSWERS["A"][0], "skip this question", "stop the interview"):
        reply = reply_texts(slack.say(candidate, message))
        assert SLACK_ONLY in reply and SAVED not in reply, message
    assert screens(slack) == started
    assert next(s for s in screens(slack) if s["screen_id"] == screen_id)["status"] == "in_progress"
    # Through Slack the same candidate's answer still counts.
    assert SAVED in reply_texts(say(slack, candidate, ANSWERS["A"][0], until=SAVED))


def test_a_report_or_list_asked_for_in_a_channel_goes_to_the_recruiters_dm(slack):
    channel, recruiter_dm = "C0GENERAL", dm_channel(RECRUITER)
    screen_id = next(s["screen_id"] for s in screens(slack) if s["recruiter_id"] == RECRUITER)
    for command in ("screens", f"screen report {screen_id}"):
        in_channel, in_dm = len(slack.slack.posts(channel)), len(slack.slack.posts(recruiter_dm))
        assert slack.post_event(mention_event(RECRUITER, command, channel)).status_code == 200
        slack.slack.wait_for(channel, lambda posts: SENT_TO_DM in reply_texts(posts), after=in_channel)
        sent = slack.slack.wait_for(recruiter_dm, lambda posts: screen_id in json.dumps(posts), after=in_dm)
        assert SENT_TO_DM not in reply_texts(sent)
    assert all(screen_id not in json.dumps(post) for post in slack.slack.posts(channel))


# --- odd deliveries ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, content_type", [
    (b"[]", "application/json"), (b"null", "application/json"), (b"", "application/json"),
    (b'{"type": "event_callback", "event": []}', "application/json"),
    (b"", "application/x-www-form-urlencoded"), (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    (b"payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%5D%7D", "application/x-www-form-urlencoded"),
])
def test_signed_bodies_slack_would_never_send_are_refused_without_a_server_error(slack, body, content_type):
    reply = slack.post_signed(body, content_type)
    assert reply.status_code == 400, reply.text
    assert "Traceback" not in reply.text


def test_a_first_delivery_marked_as_a_timeout_retry_is_still_answered_once(slack):
    # The original never arrived; Slack's first retry (reason http_timeout) is the first copy the bot sees.
    user, channel = "U0RETRYER", dm_channel("U0RETRYER")
    envelope = message_event(user, "help")
    first = slack.post_event(envelope, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status_code == 200
    answered = slack.slack.wait_for(channel, lambda posts: bool(posts))
    again = slack.post_event(envelope, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})
    assert again.status_code == 200 and again.headers.get("X-Slack-No-Retry") == "1"
    time.sleep(3)
    assert len(slack.slack.posts(channel)) == len(answered)


# --- screens that never finish: /restart, cancel, expiry --------------------------------------------------------------

def started(slack, candidate):
    """Screen `candidate` (short set) and press Start; the screen's id."""
    say(slack, RECRUITER, f"screen <@{candidate}> mid short", until="is on its way")
    invitation(slack, candidate)
    click(slack, candidate, "/accept_screen", f"{time.time():.6f}", until="Question 1 of 3")
    return next(s["screen_id"] for s in screens(slack) if s["candidate_id"] == candidate
                and s["status"] == "in_progress")


def test_restart_is_refused_in_a_screen_and_a_cancelled_screen_can_be_sent_again(slack):
    candidate, recruiter_dm = "U0CANDCXL", dm_channel(RECRUITER)
    screen_id = started(slack, candidate)
    say(slack, candidate, ANSWERS["A"][0], until=SAVED)
    # Rasa's "/restart" would wipe the conversation and leave the screen open for ever: refused, question 2 stays.
    refused = reply_texts(say(slack, candidate, "/restart", until="question 2 of 3"))
    assert "can't be started over" in refused
    assert next(s for s in screens(slack) if s["screen_id"] == screen_id)["status"] == "in_progress"

    cancelled = reply_texts(say(slack, RECRUITER, f"cancel screen {screen_id}", until="is cancelled"))
    assert "answered 1 of 3 questions" in cancelled
    slack.slack.wait_for(dm_channel(candidate), lambda posts: "cancelled this pre-screen" in reply_texts(posts))
    stored = next(s for s in screens(slack) if s["screen_id"] == screen_id)
    assert stored["status"] == "cancelled" and json.loads(stored["report"])["partial"] is True
    before = len(slack.slack.posts(recruiter_dm))
    say(slack, RECRUITER, f"screen report {screen_id}", until="")
    report = slack.slack.wait_for(recruiter_dm, lambda posts: "Partial report" in json.dumps(posts), after=before)
    assert ANSWERS["A"][0][:40] in json.dumps(report)
    assert "already ended" in reply_texts(say(slack, RECRUITER, f"cancel screen {screen_id}", until="already ended"))

    # The recruiter screens the candidate again; the candidate's click on the new Start lands in the old screen's
    # conversation, which ends and starts the new screen.
    say(slack, RECRUITER, f"screen <@{candidate}> mid short", until="is on its way")
    invitation(slack, candidate)
    click(slack, candidate, "/accept_screen", f"{time.time():.6f}", until="Question 1 of 3")
    again = [s for s in screens(slack) if s["candidate_id"] == candidate]
    assert sorted(s["status"] for s in again) == ["cancelled", "in_progress"]


def test_a_screen_left_idle_expires_with_a_partial_report_at_the_recruiters_next_command(slack):
    candidate, recruiter_dm = "U0CANDEXP", dm_channel(RECRUITER)
    screen_id = started(slack, candidate)
    say(slack, candidate, ANSWERS["B"][0], until=SAVED)
    with sqlite3.connect(slack.screen_db) as db:  # the candidate walked away eight days ago (SCREEN_EXPIRY_DAYS: 7)
        db.execute("UPDATE screens SET last_activity_at = last_activity_at - 8 * 86400 WHERE screen_id = ?",
                   (screen_id,))
    before = len(slack.slack.posts(recruiter_dm))
    say(slack, RECRUITER, "screens", until="")
    posts = slack.slack.wait_for(recruiter_dm, lambda posts: "Partial report:* the screen expired" in json.dumps(posts)
                                 and "Screens, newest first" in reply_texts(posts), after=before)
    assert f"*Pre-screen {screen_id}*" in reply_texts(posts)
    assert f"{screen_id} <@{candidate}> mid, expired" in reply_texts(posts)
    slack.slack.wait_for(dm_channel(candidate), lambda posts: "has closed" in reply_texts(posts))
    # The candidate coming back is told it closed; the recruiter can screen them again.
    assert "has been closed" in reply_texts(say(slack, candidate, ANSWERS["B"][1], until="has been closed"))
    assert "is on its way" in reply_texts(say(slack, RECRUITER, f"screen <@{candidate}> mid short",
                                             until="is on its way"))


# --- message length --------------------------------------------------------------------------------------------------

def test_a_message_over_the_limit_gets_a_plain_reply_and_the_webhook_answers_at_once(slack):
    user = "U0LONGWRITER"
    sent_at = time.perf_counter()
    reply = slack.post_event(message_event(user, ("We fixed the courier hand-over." * 1300)[:40_000]))
    assert reply.status_code == 200 and time.perf_counter() - sent_at < 3
    posted = slack.slack.wait_for(dm_channel(user), lambda posts: "characters long" in reply_texts(posts))
    assert "40,000 characters long, more than the 20,000 I can take" in reply_texts(posted)


# --- the action server away ------------------------------------------------------------------------------------------

def test_an_answer_sent_while_the_action_server_is_down_is_answered_in_the_dm_once_it_is_back(slack):
    learner = "U0PATIENT"
    say(slack, learner, "start", until="Which level")
    say(slack, learner, "mid", until="How many questions")
    say(slack, learner, "1", until="Question 1 of 1")
    slack.kill_actions()
    try:
        kept = reply_texts(say(slack, learner, ANSWERS["A"][1], until="The coach is restarting"))
        assert "I'll read it and reply here as soon as the coach is back" in kept
        assert "Score for this answer" not in kept
    finally:
        before = len(slack.slack.posts(dm_channel(learner)))
        slack.start_actions()
    # No message needed: the feedback is posted in the DM by itself once the action server is back, once.
    scored = slack.slack.wait_for(dm_channel(learner), lambda posts: "Score for this answer" in reply_texts(posts),
                                  after=before)
    time.sleep(2)  # anything posted twice would be there by now
    assert reply_texts(slack.slack.posts(dm_channel(learner))[before:]).count("Score for this answer") == 1
    assert "Follow-up on question 1 of 1" in reply_texts(scored) or "Your interview summary" in reply_texts(scored)
