"""Ends an interview: the summary of what was answered, kept in the learner's history, then a clean slate for the next
round. A recruiter's screen ends through its own action (action_finish_screen, actions/screen_actions.py). Also what
answers a message with no interview running that the NLU reads as an answer, or cannot read."""

from typing import Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.learner_actions import record_interview
from actions.tracker import (
    INTERVIEW_SLOTS,
    in_thread,
    is_answer_sent_again,
    latest_intent,
    latest_text,
    send_last_reply_again,
)
from coach import web_payload
from coach.coach import get_coach


class ActionFinishInterview(Action):
    def name(self) -> Text:
        return "action_finish_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("screen_id"):  # a recruiter's screen: its own action reports to the recruiter
            return [FollowupAction("action_finish_screen")]
        results = tracker.get_slot("interview_results") or []
        level = tracker.get_slot("level")
        completed = int(tracker.get_slot("interviews_completed") or 0)
        coach = get_coach()
        if level in coach.bank.levels:
            # The summary matches every answer against each level's indicators (about 100 ms of CPU): off the event
            # loop, so other candidates' turns are not held up meanwhile. After the candidate's own questions for the
            # employer, it does not suggest another.
            employer_index = None if tracker.get_slot("employer_questions") is not None else completed
            text, card = await in_thread(self._summary, results, level, employer_index,
                                         web_payload.wanted(tracker.get_latest_input_channel()))
            dispatcher.utter_message(text=text, json_message=card)
            await record_interview(tracker, results, level)  # the learner's history: progress, drills, their class
        else:
            dispatcher.utter_message(text=coach.texts.summary("nothing_answered"))
        # Kept after the end: the last answer, and all that answered it with this summary, for the case where the
        # page sends that answer again because the reply never reached it (action_outside_interview).
        last_reply = (tracker.get_slot("last_reply") or []) + dispatcher.messages
        return [SlotSet(slot, None) for slot in INTERVIEW_SLOTS] + [
            SlotSet("last_answer_text", tracker.get_slot("last_answer_text")), SlotSet("last_reply", last_reply),
            SlotSet("interviews_completed", completed + 1)]

    @staticmethod
    def _summary(results: List[Dict], level: str, employer_index: Optional[int],
                 with_card: bool) -> Tuple[str, Optional[Dict]]:
        """The summary's text, and its structured copy for the chat page when the channel draws one."""
        coach = get_coach()
        parts = coach.summary_writer.parts(results, level, employer_index)  # once for both: it embeds every answer
        card = web_payload.interview_summary(results, coach.bank, level, parts) if with_card else None
        return coach.summary_writer.render(parts), card


class ActionOutsideInterview(Action):
    """A message that reads as an answer, or that the NLU cannot read, with no interview running. The interview's last
    answer sent again gets its reply again, summary included; anything else a pointer to what the coach does."""

    def name(self) -> Text:
        return "action_outside_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if is_answer_sent_again(tracker, latest_text(tracker)):
            send_last_reply_again(dispatcher, tracker)
        elif latest_intent(tracker) == "give_answer":
            dispatcher.utter_message(response="utter_no_interview")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
