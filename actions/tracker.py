"""What the interview's Rasa actions read from the tracker: the latest message, where the interview stands, and how
answers are handled. Shared by the interview form, its end and the pre-screen actions."""

import asyncio
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from coach.answer_language import plain_words
from coach.commands import Parse

# The input channel name of channels.slack.RecruiterSlackInput (Rasa's SlackInput is "slack").
SLACK_CHANNEL = "slack"

# Slots that describe one interview; cleared when an interview ends or starts over.
INTERVIEW_SLOTS = ("level", "question_count", "answer", "question_plan", "question_index", "question_shown",
                   "interview_results", "pending_command", "pending_answer", "last_answer_text", "interview_stopped",
                   "follow_up", "undo_point", "last_reply", "retry", "employer_questions", "interview_kind",
                   "offered_assignment")


async def in_thread(function, *args):
    """Scoring, the screens database and Slack calls block; keep them off the action server's event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def came_through_slack(tracker: Tracker) -> bool:
    """Whether the latest message came in through the Slack channel, which checks Slack's signature on every request.
    Any other channel (REST) takes whatever sender id the client claims, so it can prove nobody's identity: recruiter
    commands and screens act only on Slack messages. The input channel is set by the Rasa server, not the client."""
    return tracker.get_latest_input_channel() == SLACK_CHANNEL


def in_direct_message(tracker: Tracker) -> bool:
    """Whether the latest message was written in a DM with the bot rather than in a channel (channels/slack.py puts
    `is_direct_message` into the message's metadata)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return bool((event.get("metadata") or {}).get("is_direct_message"))
    return False


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_parse(tracker: Tracker) -> Parse:
    """The latest message as the NLU read it: every intent it ranked (below the FallbackClassifier's threshold the
    first is nlu_fallback, and the rest still say what the NLU thought)."""
    message = tracker.latest_message
    ranking = message.get("intent_ranking") or [message.get("intent") or {}]
    return Parse(message.get("text") or "", tuple((intent.get("name"), float(intent.get("confidence") or 0.0))
                                                  for intent in ranking if intent.get("name")))


def is_answer_sent_again(tracker: Tracker, text: str) -> bool:
    """The message repeats the one just before it, which was the answer scored last: a double send, or the page
    sending it again because the reply never reached it."""
    user_texts = [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]
    previous = user_texts[-2] if len(user_texts) >= 2 else None
    last_answer = tracker.get_slot("last_answer_text")
    return bool(previous and last_answer and plain_words(previous) == plain_words(text) == plain_words(last_answer))


def send_last_reply_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """What answered that answer (its feedback, the screen's receipt, the summary if it ended the interview), again,
    then a line saying it counts once: the candidate and the page's report still get the reply, and the page, which
    knows a feedback by its answer_id, puts it right after the answer it belongs to."""
    dispatcher.messages.extend(tracker.get_slot("last_reply") or [])
    dispatcher.utter_message(response="utter_answer_resent")


@dataclass(frozen=True)
class AnswerHandling:
    """How the form treats answers: a practice interview gives feedback and may start over; a recruiter's screen
    (the screen_id slot is set) only says each answer is saved, and cannot be restarted."""

    feedback: bool = True
    restart: bool = True
    receipt_response: Optional[str] = None  # said instead of feedback
    no_restart_response: Optional[str] = None  # said instead of starting over
    skipped_response: str = "utter_skipped"
    slack_only: bool = False  # a screen's answers count only when they came through Slack (came_through_slack)


PRACTICE = AnswerHandling()
SCREEN = AnswerHandling(feedback=False, restart=False, receipt_response="utter_screen_answer_received",
                        no_restart_response="utter_screen_no_restart", skipped_response="utter_screen_skipped",
                        slack_only=True)


def answer_handling(tracker: Tracker) -> AnswerHandling:
    return SCREEN if tracker.get_slot("screen_id") else PRACTICE


class InterviewProgress:
    """A read-only view of where the interview stands, from the slots."""

    def __init__(self, tracker: Tracker):
        self.plan: List[str] = list(tracker.get_slot("question_plan") or [])
        self.index: int = int(tracker.get_slot("question_index") or 0)
        self.results: List[Dict[str, Any]] = list(tracker.get_slot("interview_results") or [])
        follow_up = tracker.get_slot("follow_up")
        # The follow-up question open on the current question, if any: {index, question, target, answer, shown}.
        self.follow_up: Optional[Dict[str, Any]] = (
            follow_up if isinstance(follow_up, dict) and follow_up.get("index") == self.index else None)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def total(self) -> int:
        return len(self.plan)

    @property
    def question_id(self) -> str:
        return self.plan[self.index]

    @property
    def is_last(self) -> bool:
        return self.index + 1 >= len(self.plan)
