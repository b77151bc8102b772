"""The end of an interview, mixed into the interview form's validator: "Do you have any questions for us?"

After the last answer the form asks for the slot `employer_questions`. The candidate's reply is read for the themes
that tell most about a CX role (bootcamp/employer_questions.py); "skip" (or "no", "stop"...) passes. Never scored.
Not asked in a recruiter's screen (not_in_a_screen) or an interview the candidate stopped. "try again" still works
here, on the last answer.
"""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker import (
    INTERVIEW_SLOTS,
    InterviewProgress,
    in_thread,
    is_answer_sent_again,
    latest_parse,
    latest_text,
    send_last_reply_again,
)
from actions.try_again import ask_retry
from bootcamp.service import get_bootcamp
from coach import web_payload
from coach.coach import get_coach

SLOT = "employer_questions"
NOT_ASKED = "(not asked)"
GO_ON_COMMANDS = ("skip", "stop", "help", "hint", "repeat")  # all mean "go on" at this step


def not_in_a_screen(slots: Dict[Text, Any]) -> Dict[Text, Any]:
    """A screen's last answer fills the step's slot too, so the form ends without asking (a stopped interview ends
    anyway: its validator sets requested_slot to None)."""
    return {**slots, SLOT: NOT_ASKED} if slots.get("answer") else slots


class EmployerQuestionsStep:
    async def validate_employer_questions(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                          domain: DomainDict) -> Dict[Text, Any]:
        text = latest_text(tracker)
        progress = InterviewProgress(tracker)
        reading = get_coach().commands.read(latest_parse(tracker))
        command = reading.command.id if reading.command and reading.kind in ("command", "check") else None
        if tracker.get_slot("retry"):
            if command == "skip":
                return {SLOT: None, **self.retry_command("skip", progress, dispatcher, tracker)}
            if text.strip():
                slots = await self.take_retry_answer(text, progress, dispatcher, tracker)
                return {SLOT: None, **{k: v for k, v in slots.items() if k in ("retry", "interview_results")}}
            return {SLOT: None}
        if is_answer_sent_again(tracker, text):  # the last answer again: its reply was lost on the way
            send_last_reply_again(dispatcher, tracker)
            return {SLOT: None}  # and the question for the employer again
        if command == "retry":
            return {SLOT: None, **self.retry_command("retry", progress, dispatcher, tracker)}
        if command == "restart" and reading.kind == "command":
            dispatcher.utter_message(response="utter_starting_over")
            return {slot: None for slot in INTERVIEW_SLOTS}
        if not text.strip():
            dispatcher.utter_message(response="utter_empty_answer")
            return {SLOT: None}
        bootcamp = get_bootcamp()
        if command in GO_ON_COMMANDS and not bootcamp.employer.read(text).covered:
            text = "skip"
        dispatcher.utter_message(text=await in_thread(bootcamp.employer_reply, text))
        # This reply ends the interview: sent again after a lost reply, it gets this reply and the summary again
        # (action_outside_interview), as a last answer does.
        return {SLOT: text, "last_answer_text": latest_text(tracker), "last_reply": dispatcher.messages[-1:]}


class ActionAskEmployerQuestions(Action):
    def name(self) -> Text:
        return "action_ask_employer_questions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        retried = ask_retry(tracker, dispatcher)
        if retried is not None:
            return retried
        texts = get_bootcamp().texts
        # The step as data too, so a client knows it without reading the wording (bench/loadtest.py does).
        step = ({"kind": "employer_questions", "version": 1}
                if web_payload.wanted(tracker.get_latest_input_channel()) else None)
        dispatcher.utter_message(text=texts("employer", "ask"), json_message=step,
                                 buttons=[{"title": texts("employer", "skip_button"), "payload": "skip"}])
        return []
