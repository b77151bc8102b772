"""Rasa actions of the recruiter pre-screen: start a screen, accept or decline it, finish it, read reports.

Thin: each reads the tracker, calls screening/service.py (which holds the database, the report and the Slack
calls the action server makes itself) and says the outcome. How a recruiter's message reaches the candidate: the
service posts the consent notice into the candidate's DM. The candidate's button click then comes back through
Rasa's Slack channel as the candidate's own conversation (sender id = their Slack user id), and the screen is found
by candidate in the database. So no Rasa HTTP API call, no shared conversation.

Every action here acts only on messages that came in through the signed Slack channel (`came_through_slack`): the
REST channel trusts the sender id its client sends, so over REST anyone could claim to be a recruiter or a candidate.
Reports, lists and exports go to the recruiter's DM, never into the channel they were asked for in.

Every screen action first expires the screens left idle too long (`expire_screens`), so no open screen outlives
SCREEN_EXPIRY_DAYS by more than the time until the next screen action, and a recruiter's "screens" always sweeps.
"""

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker import (
    INTERVIEW_SLOTS,
    came_through_slack,
    in_direct_message,
    in_thread,
    latest_intent,
    latest_text,
)
from coach.coach import get_coach
from screening.allowlist import is_recruiter
from screening.recruiter_commands import read_list_page, read_report_request, read_screen_request
from screening.service import get_screening

logger = logging.getLogger(__name__)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def refused_off_slack(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """True (and says why) when the message did not come through Slack: then the action does nothing else."""
    if came_through_slack(tracker):
        return False
    dispatcher.utter_message(response="utter_screen_slack_only")
    return True


async def expire_screens() -> None:
    """Expire idle screens (partial reports to their recruiters). A failure here must not stop the action itself."""
    try:
        await in_thread(get_screening().expire_idle, get_coach())
    except Exception:  # noqa: BLE001 (logged; the next screen action tries again)
        logger.exception("Expiring idle screens failed")


def screen_recruiter(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """True when the sender may run recruiter commands; otherwise says no."""
    if is_recruiter(tracker.sender_id, get_screening().settings):
        return True
    dispatcher.utter_message(response="utter_screen_not_allowed")
    return False


async def recruiter_may_act(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """What every recruiter command checks first: it came through the signed Slack channel, and its sender may
    screen (each refusal is said). Screens past their expiry are closed on the way, so the command sees the truth."""
    if refused_off_slack(tracker, dispatcher):
        return False
    await expire_screens()
    return screen_recruiter(tracker, dispatcher)


class ActionStartScreen(Action):
    def name(self) -> Text:
        return "action_start_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not await recruiter_may_act(tracker, dispatcher):
            return []
        screening, recruiter = get_screening(), tracker.sender_id
        bank = get_coach().bank
        request = read_screen_request(latest_text(tracker), bank, screening.content)
        if request is None:
            dispatcher.utter_message(response="utter_screen_usage",
                                     question_sets=", ".join(screening.content.question_sets))
            return []
        invitation = await in_thread(screening.invite, recruiter, request, bank)
        candidate = mention(request.candidate_id)
        if invitation.outcome == "busy":
            dispatcher.utter_message(response="utter_screen_candidate_busy", candidate=candidate,
                                     screen_id=invitation.screen_id)
        elif invitation.outcome == "failed":
            dispatcher.utter_message(response="utter_screen_invite_failed", candidate=candidate)
        else:
            dispatcher.utter_message(response="utter_screen_invited", screen_id=invitation.screen_id,
                                     candidate=candidate, level=bank.levels[request.level].name.lower(),
                                     count=invitation.question_count, question_set=request.question_set.id)
        return []


class ActionAcceptScreen(Action):
    """The candidate pressed Start: load the screen's questions into the interview form's slots and run the form."""

    def name(self) -> Text:
        return "action_accept_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if refused_off_slack(tracker, dispatcher):
            return []
        await expire_screens()
        screen = await in_thread(get_screening().accept, tracker.sender_id)
        if screen is None:
            dispatcher.utter_message(response="utter_screen_none_open")
            return []
        dispatcher.utter_message(response="utter_screen_begin", count=len(screen["plan"]))
        slots: Dict[str, Any] = {slot: None for slot in INTERVIEW_SLOTS}
        slots.update(screen_id=screen["screen_id"], level=screen["level"], question_count=len(screen["plan"]),
                     question_plan=screen["plan"], question_index=0, interview_results=[], interview_stopped=False)
        return [SlotSet(name, value) for name, value in slots.items()] + [FollowupAction("interview_form")]


class ActionDeclineScreen(Action):
    def name(self) -> Text:
        return "action_decline_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if refused_off_slack(tracker, dispatcher):
            return []
        await expire_screens()
        if not await in_thread(get_screening().decline, tracker.sender_id):
            dispatcher.utter_message(response="utter_screen_none_open")
            return []
        dispatcher.utter_message(response="utter_screen_declined")
        return []


class ActionFinishScreen(Action):
    """End of a screen (action_finish_interview hands over to it): the report goes to the recruiter; the candidate is
    thanked and sees no score. A screen that was cancelled or expired meanwhile ends here too, on the candidate's
    next message: they are told it closed, and a click on a new invitation's Start or Decline is then acted on."""

    def name(self) -> Text:
        return "action_finish_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        results = tracker.get_slot("interview_results") or []
        finished = await in_thread(get_screening().finish, tracker.get_slot("screen_id"),
                                   bool(tracker.get_slot("interview_stopped")), results, get_coach())
        await expire_screens()  # after finishing: a candidate back after a long pause still finishes their own
        cleared = [SlotSet(slot, None) for slot in INTERVIEW_SLOTS] + [SlotSet("screen_id", None)]
        if finished:
            dispatcher.utter_message(response="utter_screen_finished")
            return cleared
        follow_up = {"accept_screen": "action_accept_screen", "decline_screen": "action_decline_screen"}.get(
            latest_intent(tracker))
        if follow_up:  # a click on a new invitation: that is what the candidate is doing now
            return cleared + [FollowupAction(follow_up)]
        dispatcher.utter_message(response="utter_screen_closed")
        return cleared


class ActionCancelScreen(Action):
    """'cancel screen S1A2B3C': the recruiter who started it (or an admin) closes an open screen; the candidate is told
    and can be screened again; what was answered stays readable as a partial report."""

    def name(self) -> Text:
        return "action_cancel_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not await recruiter_may_act(tracker, dispatcher):
            return []
        screen_id, _ = read_report_request(latest_text(tracker))
        if screen_id is None:
            dispatcher.utter_message(response="utter_screen_cancel_usage")
            return []
        outcome, screen = await in_thread(get_screening().cancel, tracker.sender_id, screen_id, get_coach())
        if outcome == "missing":
            dispatcher.utter_message(response="utter_screen_report_missing", screen_id=screen_id)
        elif outcome == "ended":
            dispatcher.utter_message(response="utter_screen_cancel_ended", screen_id=screen_id,
                                     status=screen["status"].replace("_", " "))
        elif screen["report"] is None:  # the candidate had not started it
            dispatcher.utter_message(response="utter_screen_cancelled_unstarted", screen_id=screen_id,
                                     candidate=mention(screen["candidate_id"]))
        else:
            dispatcher.utter_message(response="utter_screen_cancelled", screen_id=screen_id,
                                     candidate=mention(screen["candidate_id"]),
                                     answered=screen["report"]["questions_answered"], asked=len(screen["plan"]))
        return []


class ActionRestart(Action):
    """Rasa's action_restart (the "/restart" command), replaced so that it cannot wipe a screen in progress: the
    screen would stay open in the database with its conversation gone. Inside a screen it is refused like "start
    over"; the candidate can still stop the screen, and the recruiter can cancel it. Anywhere else it restarts."""

    def name(self) -> Text:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("screen_id") and tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_screen_no_restart")
            # The slot mappings already took "/restart" as the answer; without this the form would end on it.
            return [SlotSet("answer", None)]
        return [Restarted()]


class ActionScreenReport(Action):
    """'screen report S1A2B3C', 'export S1A2B3C csv', 'screens': recruiters only, and only their own screens (admins:
    all); anyone else learns nothing. What is asked for goes to the recruiter's DM; asked in a channel, the bot says
    so there."""

    def name(self) -> Text:
        return "action_screen_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not await recruiter_may_act(tracker, dispatcher):
            return []
        screening, recruiter = get_screening(), tracker.sender_id
        text = latest_text(tracker)
        screen_id, export_format = read_report_request(text)
        if screen_id is None and (export_format or "report" in text.lower()):
            dispatcher.utter_message(response="utter_screen_report_usage")
            return []
        if screen_id is None:
            outcome = await in_thread(screening.send_listing, recruiter, read_list_page(text))
        else:
            outcome = await in_thread(screening.send_report, recruiter, screen_id, export_format)
        if outcome == "missing":
            dispatcher.utter_message(response="utter_screen_report_missing", screen_id=screen_id)
        elif outcome == "failed":
            dispatcher.utter_message(response="utter_screen_send_failed")
        elif not in_direct_message(tracker):
            dispatcher.utter_message(response="utter_screen_sent_to_dm")
        return []
