"""Rasa actions of the recruiter pre-screen: start a screen, accept or decline it, finish it, read reports.

Thin: the allowlist, commands, database and report live in actions/screening.py, screen_store.py, screen_report.py;
Slack calls of our own in actions/slack_client.py. How a recruiter's message reaches the candidate: the action posts
the consent notice into the candidate's DM itself (conversations.open, chat.postMessage). The candidate's button
click then comes back through Rasa's Slack channel as the candidate's own conversation (sender id = their Slack user
id), and the screen is found by candidate in the database. So no Rasa HTTP API call, no shared conversation.
"""

import asyncio
import functools
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.coach import get_coach
from actions.interview_form import INTERVIEW_SLOTS, latest_text
from actions.screen_report import render_text, to_csv, to_json
from actions.screen_store import FINISHED_STATUSES, CandidateBusy, ScreenStore
from actions.screening import (ScreeningContent, build_report, is_recruiter, load_screening_content,
                               load_screening_settings, plan_screen, read_report_request, read_screen_request)
from actions.slack_client import SlackClient, SlackError, buttons_message

logger = logging.getLogger(__name__)


class Screening:
    """Settings, content, database and Slack client, made once per process."""

    def __init__(self):
        self.settings = load_screening_settings()
        self.content: ScreeningContent = load_screening_content(self.settings.content_path)
        self.store = ScreenStore(self.settings.db_path)
        self.slack = SlackClient(self.settings.slack_token, self.settings.slack_api_url)


@functools.lru_cache(maxsize=1)
def get_screening() -> Screening:
    return Screening()


async def in_thread(function, *args):
    """Slack calls and report building block; keep them off the action server's event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


class ActionStartScreen(Action):
    def name(self) -> Text:
        return "action_start_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        screening, recruiter = get_screening(), tracker.sender_id
        if not is_recruiter(recruiter, screening.settings):
            dispatcher.utter_message(response="utter_screen_not_allowed")
            return []
        bank = get_coach().bank
        request = read_screen_request(latest_text(tracker), bank, screening.content)
        if request is None:
            dispatcher.utter_message(response="utter_screen_usage",
                                     question_sets=", ".join(screening.content.question_sets))
            return []
        try:
            screen = screening.store.create(recruiter, request.candidate_id, request.level, request.question_set.id,
                                            lambda screen_id: plan_screen(bank, request, screen_id))
        except CandidateBusy as busy:
            dispatcher.utter_message(response="utter_screen_candidate_busy", candidate=mention(request.candidate_id),
                                     screen_id=busy.screen_id)
            return []
        content = screening.content
        invitation = content.text("invitation", candidate=request.candidate_id, recruiter=recruiter,
                                  level=bank.levels[request.level].name.lower(), count=len(screen["plan"]))
        blocks = buttons_message(invitation, [{"title": content.text("start_button"), "payload": "/accept_screen"},
                                              {"title": content.text("decline_button"), "payload": "/decline_screen"}])
        try:
            channel = await in_thread(screening.slack.message_user, request.candidate_id, invitation, blocks)
        except SlackError as error:
            logger.error("Screen %s: inviting %s failed: %s", screen["screen_id"], request.candidate_id, error)
            screening.store.failed(screen["screen_id"])
            dispatcher.utter_message(response="utter_screen_invite_failed", candidate=mention(request.candidate_id))
            return []
        screening.store.invited(screen["screen_id"], channel)
        dispatcher.utter_message(response="utter_screen_invited", screen_id=screen["screen_id"],
                                 candidate=mention(request.candidate_id), level=bank.levels[request.level].name.lower(),
                                 count=len(screen["plan"]), question_set=request.question_set.id)
        return []


class ActionAcceptScreen(Action):
    """The candidate pressed Start: load the screen's questions into the interview form's slots and run the form."""

    def name(self) -> Text:
        return "action_accept_screen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        store = get_screening().store
        screen = store.open_for_candidate(tracker.sender_id, "invited")
        if screen is None or not store.start(screen["screen_id"]):
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
        screening = get_screening()
        screen = screening.store.open_for_candidate(tracker.sender_id, "invited")
        if screen is None or not screening.store.decline(screen["screen_id"]):
            dispatcher.utter_message(response="utter_screen_none_open")
            return []
        notice = screening.content.text("declined_notice", candidate=screen["candidate_id"],
                                        screen_id=screen["screen_id"])
        try:
            await in_thread(screening.slack.message_user, screen["recruiter_id"], notice)
        except SlackError as error:
            logger.error("Screen %s: telling the recruiter about the decline failed: %s", screen["screen_id"], error)
        dispatcher.utter_message(response="utter_screen_declined")
        return []


async def finish_screen(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """End of a screen (called by action_finish_interview): save the report, send it to the recruiter, thank the
    candidate. The candidate sees no score; a report that Slack fails to deliver stays readable in the database."""
    screening = get_screening()
    screen_id = tracker.get_slot("screen_id")
    clear = [SlotSet(slot, None) for slot in INTERVIEW_SLOTS] + [SlotSet("screen_id", None)]
    screen = screening.store.get(screen_id)
    if screen is None or screen["status"] != "in_progress":
        logger.error("Screen %s ended but is not in progress in the database (%s)", screen_id,
                     screen["status"] if screen else "missing")
        dispatcher.utter_message(response="utter_screen_finished")
        return clear
    status = "stopped" if tracker.get_slot("interview_stopped") else "completed"
    results = tracker.get_slot("interview_results") or []
    report = await in_thread(build_report, {**screen, "status": status}, results, get_coach(), screening.content)
    if screening.store.finish(screen_id, status, report):
        report = screening.store.get(screen_id)["report"] or report
        text = render_text(report, screening.content)
        try:
            await in_thread(screening.slack.message_user, screen["recruiter_id"], text)
        except SlackError as error:
            logger.error("Screen %s: sending the report to the recruiter failed: %s", screen_id, error)
    dispatcher.utter_message(response="utter_screen_finished")
    return clear


class ActionScreenReport(Action):
    """'screen report S1A2B3C', 'export S1A2B3C csv', 'screens': recruiters only; anyone else learns nothing."""

    def name(self) -> Text:
        return "action_screen_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        screening = get_screening()
        if not is_recruiter(tracker.sender_id, screening.settings):
            dispatcher.utter_message(response="utter_screen_not_allowed")
            return []
        text = latest_text(tracker)
        screen_id, export_format = read_report_request(text)
        content = screening.content
        if screen_id is None:
            if export_format or "report" in text.lower():
                dispatcher.utter_message(response="utter_screen_report_usage")
                return []
            dispatcher.utter_message(text=self._listing(screening))
            return []
        screen = screening.store.get(screen_id)
        if screen is None:
            dispatcher.utter_message(response="utter_screen_report_missing", screen_id=screen_id)
        elif screen["status"] == "declined":
            dispatcher.utter_message(text=content.text("report_declined", candidate=screen["candidate_id"],
                                                       screen_id=screen_id))
        elif screen["status"] not in FINISHED_STATUSES or not screen["report"]:
            dispatcher.utter_message(text=content.text("report_pending", screen_id=screen_id,
                                                       candidate=screen["candidate_id"],
                                                       status=screen["status"].replace("_", " ")))
        elif export_format == "json":
            dispatcher.utter_message(text=f"```{to_json(screen['report'])}```")
        elif export_format == "csv":
            dispatcher.utter_message(text=f"```{to_csv([screen['report']])}```")
        else:
            dispatcher.utter_message(text=render_text(screen["report"], content))
        return []

    @staticmethod
    def _listing(screening: Screening) -> str:
        screens = screening.store.recent()
        content = screening.content
        if not screens:
            return content.text("list_empty")
        lines = [content.text("list_heading")]
        for screen in screens:
            band = (screen["report"] or {}).get("suggested_band", {}).get("label")
            lines.append(content.text("list_line", screen_id=screen["screen_id"], candidate=screen["candidate_id"],
                                      level=screen["level"], status=screen["status"].replace("_", " "),
                                      band=content.text("list_band", band=band) if band else ""))
        return "\n".join(lines)
