"""Ends an interview: the summary of what was answered, then a clean slate for the next round. A recruiter's screen
ends through its own action (action_finish_screen, actions/screen_actions.py)."""

from typing import Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker import INTERVIEW_SLOTS, in_thread
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
            # loop, so other candidates' turns are not held up meanwhile.
            text, card = await in_thread(self._summary, results, level, completed,
                                         web_payload.wanted(tracker.get_latest_input_channel()))
            dispatcher.utter_message(text=text, json_message=card)
        else:
            dispatcher.utter_message(text=coach.texts.summary("nothing_answered"))
        return [SlotSet(slot, None) for slot in INTERVIEW_SLOTS] + [SlotSet("interviews_completed", completed + 1)]

    @staticmethod
    def _summary(results: List[Dict], level: str, completed: int, with_card: bool) -> Tuple[str, Optional[Dict]]:
        """The summary's text, and its structured copy for the chat page when the channel draws one."""
        coach = get_coach()
        card = (web_payload.interview_summary(results, coach.bank, level,
                                              coach.summary_writer.parts(results, level, completed))
                if with_card else None)
        return coach.summary(results, level, employer_question_index=completed), card
