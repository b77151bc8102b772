"""A learner's own record and classes: "my progress", "practise my weak areas", "join <code>", assignments, "delete my
data", and keeping each finished interview. Thin actions over bootcamp/service.py.

Who the learner is: on Slack their user id; on the web page the learner id the page keeps in the browser (with an
optional display name) and sends as message metadata, {"learner": {"id", "name", "channel"}}; in make shell the name
given to it (`make shell NAME=...`), sent the same way; otherwise the conversation's sender id.
"""

import dataclasses
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker import came_through_slack, in_thread, latest_intent, latest_text
from bootcamp.service import JoinRequest, Learner, display_name, get_bootcamp
from coach import web_payload
from coach.coach import get_coach
from coach.interview import DEFAULT_QUESTION_COUNT, max_questions, read_level, read_question_count

_LEARNER_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")
LEARNER_CHANNELS = ("web", "terminal")
FORGET_SLOT = "forget_conversations"  # read by stores/tracker_store.py
YES, NO = "/affirm", "/deny"


def _metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


def learner_of(tracker: Tracker) -> Learner:
    """Who sent the latest message (see the module's docstring). Slack's signature proves a Slack id; an id the page
    or the terminal sends is taken as sent, as REST takes its sender ids: a web learner id is a random UUID that only
    that browser knows."""
    if came_through_slack(tracker):
        return Learner(f"slack:{tracker.sender_id}")
    given = _metadata(tracker).get("learner")
    if isinstance(given, dict) and isinstance(given.get("id"), str) and _LEARNER_ID.match(given["id"]):
        channel = given.get("channel") if given.get("channel") in LEARNER_CHANNELS else "web"
        return Learner(f"{channel}:{given['id']}", display_name(given.get("name")))
    return Learner(f"rest:{tracker.sender_id}")


def _payload(tracker: Tracker, payload: Dict) -> Optional[Dict]:
    return payload if web_payload.wanted(tracker.get_latest_input_channel()) else None


async def record_interview(tracker: Tracker, results: List[Dict], level: str) -> None:
    """Keep the finished interview in the learner's history (called by action_finish_interview)."""
    await in_thread(get_bootcamp().record_interview, learner_of(tracker), tracker.sender_id, level,
                    tracker.get_slot("interview_kind") or {}, results)


def interview_set_up(level: str, plan: List[str], kind: Dict) -> List[EventType]:
    """Slots that start the interview form on these questions (the form keeps a plan chosen before it started)."""
    slots = {"level": level, "question_count": len(plan), "question_plan": plan, "question_index": 0,
             "interview_results": [], "question_shown": None, "last_answer_text": None, "interview_stopped": False,
             "follow_up": None, "retry": None, "employer_questions": None, "interview_kind": kind}
    return [SlotSet(name, value) for name, value in slots.items()]


class ActionAskLevel(Action):
    """The interview form's level question. A returning learner is also offered their progress and a drill, and a
    cohort member their class's next open assignment. Notes which learner this conversation belongs to."""

    def name(self) -> Text:
        return "action_ask_level"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot(FORGET_SLOT):
            return []  # the learner's data was just deleted: this conversation ends here, and is not noted again
        bootcamp, learner = get_bootcamp(), learner_of(tracker)
        await in_thread(bootcamp.store.note_learner, learner.id, tracker.sender_id, learner.name)
        question = domain["responses"]["utter_ask_level"][0]
        lines, buttons = [question["text"]], list(question.get("buttons") or [])
        events: List[EventType] = []
        if tracker.get_slot("screen_id") is None:
            offer = await in_thread(bootcamp.opening_offer, learner)
            if offer.text:
                lines.insert(0, offer.text)
                buttons += offer.buttons
            if offer.assignment_id is not None:
                events.append(SlotSet("offered_assignment", offer.assignment_id))
        if tracker.get_slot("pending_join") or tracker.get_slot("pending_deletion"):
            return events  # the coach just asked a yes-or-no question: the level question waits for it
        dispatcher.utter_message(text="\n\n".join(lines), buttons=buttons)
        return events


class ActionShowProgress(Action):
    def name(self) -> Text:
        return "action_show_progress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text, payload = await in_thread(get_bootcamp().progress, learner_of(tracker))
        dispatcher.utter_message(text=text, json_message=_payload(tracker, payload))
        return []


class ActionPractiseWeakAreas(Action):
    """Plans a drill; the interview form runs it next (data/rules_learners.yml). Without a finished interview the form
    simply sets up a first one."""

    def name(self) -> Text:
        return "action_practise_weak_areas"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        plan, text = await in_thread(get_bootcamp().drill, learner_of(tracker), DEFAULT_QUESTION_COUNT)
        dispatcher.utter_message(text=text)
        if plan is None:
            return []
        return interview_set_up(plan.level, list(plan.question_ids), {"kind": "drill"})


class ActionStartAssignment(Action):
    """Starts the assignment offered at the level question (or the learner's next open one); the form runs it."""

    def name(self) -> Text:
        return "action_start_assignment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        assignment, plan, text = await in_thread(get_bootcamp().assignment_start, learner_of(tracker),
                                                 tracker.get_slot("offered_assignment"))
        dispatcher.utter_message(text=text)
        if assignment is None:
            return [SlotSet("offered_assignment", None)]
        return [SlotSet("offered_assignment", None)] + interview_set_up(
            assignment["level"], plan, {"kind": "assignment", "assignment_id": assignment["assignment_id"]})


class ActionTryAgainAfterInterview(Action):
    """"try again" with no interview open (during one, the interview form takes it: actions/try_again.py)."""

    def name(self) -> Text:
        return "action_try_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=get_bootcamp().texts("retry", "interview_over"))
        return []


class ActionJoinCohort(Action):
    """"join CODE [as Name]": says plainly what the instructor will see, and asks before joining."""

    def name(self) -> Text:
        return "action_join_cohort"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        bootcamp, learner = get_bootcamp(), learner_of(tracker)
        request, problem = await in_thread(bootcamp.read_join, latest_text(tracker))
        if request is None:
            dispatcher.utter_message(text=problem)
            return [SlotSet("pending_join", None)]
        dispatcher.utter_message(text=bootcamp.join_consent(request, learner), buttons=[
            {"title": bootcamp.texts("cohort", "join_button", cohort=request.cohort), "payload": YES},
            {"title": bootcamp.texts("cohort", "stay_out_button"), "payload": NO}])
        return [SlotSet("pending_join", dataclasses.asdict(request))]


class ActionJoinConfirmed(Action):
    def name(self) -> Text:
        return "action_join_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        bootcamp, pending = get_bootcamp(), tracker.get_slot("pending_join")
        if not isinstance(pending, dict):
            dispatcher.utter_message(text=bootcamp.texts("cohort", "nothing_pending"))
            return []
        joined = await in_thread(bootcamp.join, learner_of(tracker), tracker.sender_id, JoinRequest(**pending))
        dispatcher.utter_message(text=joined)
        return [SlotSet("pending_join", None)]


class ActionJoinDeclined(Action):
    def name(self) -> Text:
        return "action_join_declined"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending, texts = tracker.get_slot("pending_join"), get_bootcamp().texts
        dispatcher.utter_message(text=texts("cohort", "declined", cohort=pending["cohort"]) if isinstance(pending, dict)
                                 else texts("cohort", "nothing_pending"))
        return [SlotSet("pending_join", None)]


class ActionAskDeleteData(Action):
    """"delete my data": says what would be removed and asks to confirm. Not while a recruiter's screen is open in
    this conversation."""

    def name(self) -> Text:
        return "action_ask_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        bootcamp = get_bootcamp()
        if tracker.get_slot("screen_id"):
            dispatcher.utter_message(text=bootcamp.texts("deletion", "screen_open"))
            return []
        preview = await in_thread(bootcamp.deletion_preview, learner_of(tracker), tracker.sender_id)
        dispatcher.utter_message(text=preview, buttons=[
            {"title": bootcamp.texts("deletion", "confirm_button"), "payload": YES},
            {"title": bootcamp.texts("deletion", "keep_button"), "payload": NO}])
        return [SlotSet("pending_deletion", True)]


class ActionDeleteMyData(Action):
    """Removes every progress row of the learner, then has the tracker store forget their conversations, this one
    included, once this turn is saved (stores/tracker_store.py)."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        bootcamp = get_bootcamp()
        if not tracker.get_slot("pending_deletion") or tracker.get_slot("screen_id"):
            dispatcher.utter_message(text=bootcamp.texts("deletion", "nothing_pending"))
            return []
        text, conversations = await in_thread(bootcamp.delete, learner_of(tracker), tracker.sender_id)
        if came_through_slack(tracker):
            text = f"{text}\n{bootcamp.texts('deletion', 'screens_stay')}"
        dispatcher.utter_message(text=text, json_message=_payload(tracker, {"kind": "data_deleted", "version": 1}))
        return [SlotSet("pending_deletion", None), SlotSet(FORGET_SLOT, list(conversations))]


class ActionKeepMyData(Action):
    def name(self) -> Text:
        return "action_keep_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        texts = get_bootcamp().texts
        dispatcher.utter_message(text=texts("deletion", "kept") if tracker.get_slot("pending_deletion")
                                 else texts("deletion", "nothing_pending"))
        return [SlotSet("pending_deletion", None)]


# The requests the interview form reads itself at its level and count questions, and the actions that carry them out.
SETUP_REQUESTS = {"show_progress": ActionShowProgress, "practise_weak_areas": ActionPractiseWeakAreas,
                  "start_assignment": ActionStartAssignment, "join_cohort": ActionJoinCohort,
                  "delete_my_data": ActionAskDeleteData, "try_again": ActionTryAgainAfterInterview}
ANSWERS = {("pending_join", "affirm"): ActionJoinConfirmed, ("pending_join", "deny"): ActionJoinDeclined,
           ("pending_deletion", "affirm"): ActionDeleteMyData, ("pending_deletion", "deny"): ActionKeepMyData}


def _reads_as(slot: str, text: str, tracker: Tracker) -> bool:
    bank = get_coach().bank
    if slot == "level":
        return read_level(text, bank) is not None
    return read_question_count(text, max_questions(bank, tracker.get_slot("level"))) is not None


async def learner_request_in_setup(slot: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Optional[Dict[Text, Any]]:
    """At the form's level or count question, a learner's request ("my progress", the assignment button, "join ...",
    "delete my data") or the yes or no to the coach's question about it, carried out by its action: the slots to set,
    or None when the message is the level or count itself. A message that reads as a level or a count is one,
    whatever the NLU made of it."""
    text, intent = latest_text(tracker), latest_intent(tracker)
    pending = next((name for name in ("pending_join", "pending_deletion") if tracker.get_slot(name)), None)
    action = ANSWERS.get((pending, intent)) or SETUP_REQUESTS.get(intent)
    if action is None or (not text.strip().startswith("/") and _reads_as(slot, text, tracker)):
        return None
    events = await action().run(dispatcher, tracker, domain)
    return {slot: None, **{event["name"]: event["value"] for event in events if event.get("event") == "slot"}}
