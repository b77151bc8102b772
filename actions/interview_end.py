"""Ends an interview: the summary of what was answered, kept in the learner's history, then a clean slate for the next
round. A recruiter's screen ends through its own action (action_finish_screen, actions/screen_actions.py)."""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.learner_actions import record_interview
from actions.tracker import INTERVIEW_SLOTS
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
            card = (web_payload.interview_summary(results, coach.bank, level,
                                                  coach.summary_writer.parts(results, level, completed))
                    if web_payload.wanted(tracker.get_latest_input_channel()) else None)
            # After the candidate's own questions for the employer, the summary does not suggest another.
            asked_employer = tracker.get_slot("employer_questions") is not None
            dispatcher.utter_message(text=coach.summary(results, level, None if asked_employer else completed),
                                     json_message=card)
            await record_interview(tracker, results, level)  # the learner's history: progress, drills, their class
        else:
            dispatcher.utter_message(text=coach.texts.summary("nothing_answered"))
        return [SlotSet(slot, None) for slot in INTERVIEW_SLOTS] + [SlotSet("interviews_completed", completed + 1)]
