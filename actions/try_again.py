""""try again" inside an interview, mixed into the interview form's validator (actions/interview_form.py).

Right after the feedback on an answer, "try again" reopens that question: the next message is scored as a new answer,
compared with the first (score before and after, points newly covered, points still missing), and the better of the
two is kept. Then the interview goes on where it was: the open question is asked again, or, when the retried question
was the one still open (its follow-up was waiting), the next one. "skip" while trying again gives up the new try.
The retried answer is in the slot `retry`: {"record": the earlier result record, "shown": asked yet}.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import InterviewProgress, answer_handling, in_thread
from bootcamp.service import get_bootcamp
from coach import web_payload
from coach.coach import get_coach
from coach.interview import with_record


def _last_answered(results: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    return next((record for record in reversed(results)
                 if record.get("status") == "answered" and isinstance(record.get("score"), (int, float))), None)


def ask_retry(tracker: Tracker, dispatcher: CollectingDispatcher) -> Optional[List[EventType]]:
    """Ask the question being tried again (or nudge when it is on screen already); None when no try is open."""
    retry = tracker.get_slot("retry")
    if not isinstance(retry, dict):
        return None
    texts = get_bootcamp().texts
    if retry.get("shown"):
        dispatcher.utter_message(text=texts("retry", "reprompt", number=retry["record"]["number"]))
        return []
    dispatcher.utter_message(text=get_bootcamp().retry_prompt(retry["record"]))
    return [SlotSet("retry", {**retry, "shown": True})]


class TryAgain:
    """The form validator's part for "try again"; uses its `_advance` and `_send_feedback`."""

    def retry_command(self, command: str, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> Dict[Text, Any]:
        """"try again" (command "retry"), or "skip" while a try is open (give it up). Slots to set; the caller adds
        its own slot's None."""
        texts = get_bootcamp().texts
        if command == "skip":
            return {"retry": None, "question_shown": None}
        if not answer_handling(tracker).feedback:
            dispatcher.utter_message(text=texts("retry", "not_in_screen"))
            return {}
        earlier = _last_answered(progress.results)
        if earlier is None:
            dispatcher.utter_message(text=texts("retry", "nothing"))
            return {}
        return {"retry": {"record": earlier, "shown": False}, "follow_up": None}

    async def take_retry_answer(self, text: str, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                                tracker: Tracker) -> Dict[Text, Any]:
        coach, bootcamp = get_coach(), get_bootcamp()
        before = tracker.get_slot("retry")["record"]
        result = await in_thread(coach.assess, before["question_id"], text)
        after = coach.result_record(result, before["number"], text)
        kept, change = await in_thread(bootcamp.retry_outcome, before, after, True)
        card = (web_payload.answer_feedback(result.without_follow_up(), coach.bank, coach.texts, before["number"],
                                            progress.total, text)
                if web_payload.wanted(tracker.get_latest_input_channel()) else None)
        dispatcher.utter_message(text=change, json_message=card)
        results = with_record(progress.results, kept)
        if before["number"] == progress.number and progress.index < progress.total:
            # The retried question was still open (its follow-up was waiting): it is answered now, move on.
            return {**self._advance(progress, results, text), "retry": None}
        return {"answer": None, "retry": None, "interview_results": results, "last_answer_text": text,
                "question_shown": None}
