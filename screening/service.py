"""What a recruiter's pre-screen does, step by step, with no Rasa in it: invite a candidate, accept or decline,
finish with a report for the recruiter, and answer report requests.

The Rasa actions in actions/screen_actions.py read the tracker, call these methods and say the outcome. Here live
the database (store.py), the report (report.py, exports.py) and the Slack Web API calls the action server makes
itself (slack_client.py): the consent notice goes into the candidate's DM, which a reply through Rasa's Slack channel
cannot reach, and everything a recruiter reads about screens (reports, lists, exports) goes to the recruiter's DM,
never into a channel, and only about the screens they started (admins: all).

A screen the candidate does not finish does not stay open forever: the recruiter can cancel it ("cancel screen
S..."), and one with no answer for SCREEN_EXPIRY_DAYS expires, the recruiter getting the partial report. Expiry is
checked at every screen action (`expire_idle`: any recruiter command, a candidate's Start or Decline, a screen's end),
so `screens` always shows the truth and sends what has expired since.
"""

import functools
import logging
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from screening.allowlist import is_admin
from screening.content import ScreeningContent, load_screening_content
from screening.exports import report_sections, to_csv, to_json
from screening.recruiter_commands import ScreenRequest, plan_screen
from screening.report import build_report
from screening.settings import load_screening_settings
from screening.slack_client import SlackClient, SlackError, buttons_message, escape, sections
from screening.store import CLOSED_STATUSES, FINISHED_STATUSES, OPEN_STATUSES, CandidateBusy, ScreenStore

logger = logging.getLogger(__name__)
LIST_PAGE_SIZE = 15


@dataclass(frozen=True)
class Invitation:
    outcome: str  # "invited", "busy" (the candidate has an open screen: screen_id is that one) or "failed" (Slack)
    screen_id: str
    question_count: int = 0


class Screening:
    """Settings, content, database and Slack client, made once per process, and the steps of a screen."""

    def __init__(self):
        self.settings = load_screening_settings()
        self.content: ScreeningContent = load_screening_content(self.settings.content_path)
        self.store = ScreenStore(self.settings.database)
        self.slack = SlackClient(self.settings.slack_token, self.settings.slack_api_url)

    def invite(self, recruiter_id: str, request: ScreenRequest, bank) -> Invitation:
        """Create the screen and post the consent notice (Start / Decline) into the candidate's DM."""
        try:
            screen = self.store.create(recruiter_id, request.candidate_id, request.level, request.question_set.id,
                                       lambda screen_id: plan_screen(bank, request, screen_id))
        except CandidateBusy as busy:
            return Invitation("busy", busy.screen_id)
        count = len(screen["plan"])
        notice = self.content.text("invitation", candidate=request.candidate_id, recruiter=recruiter_id,
                                   level=bank.levels[request.level].name.lower(), count=count)
        blocks = buttons_message(notice, [
            {"title": self.content.text("start_button"), "payload": "/accept_screen"},
            {"title": self.content.text("decline_button"), "payload": "/decline_screen"}])
        try:
            channel = self.slack.message_user(request.candidate_id, notice, blocks)
        except SlackError as error:
            logger.error("Screen %s: inviting %s failed: %s", screen["screen_id"], request.candidate_id, error)
            self.store.failed(screen["screen_id"])
            return Invitation("failed", screen["screen_id"], count)
        self.store.invited(screen["screen_id"], channel)
        return Invitation("invited", screen["screen_id"], count)

    def accept(self, candidate_id: str) -> Optional[Dict[str, Any]]:
        """The candidate pressed Start: the screen now in progress, or None when no invitation is open."""
        screen = self.store.open_for_candidate(candidate_id, "invited")
        if screen is None or not self.store.start(screen["screen_id"]):
            return None
        return screen

    def decline(self, candidate_id: str) -> bool:
        """The candidate pressed Decline: record it and tell the recruiter. False when no invitation is open."""
        screen = self.store.open_for_candidate(candidate_id, "invited")
        if screen is None or not self.store.decline(screen["screen_id"]):
            return False
        notice = self.content.text("declined_notice", candidate=screen["candidate_id"], screen_id=screen["screen_id"])
        self._tell(screen["recruiter_id"], notice, f"Screen {screen['screen_id']}: telling the recruiter about the "
                                                   "decline")
        return True

    def is_in_progress(self, screen_id: Optional[str]) -> bool:
        """Whether answers to this screen are still taken (not cancelled or expired meanwhile)."""
        screen = self.store.get(screen_id) if screen_id else None
        return bool(screen and screen["status"] == "in_progress")

    def save_answers(self, screen_id: str, results: List[Dict[str, Any]]) -> bool:
        """Keep the answers so far, so a screen cancelled or expired mid-way has them. False when it is closed."""
        return self.store.save_results(screen_id, results)

    def finish(self, screen_id: str, stopped: bool, results: List[Dict[str, Any]], coach) -> bool:
        """Save the report and send it to the recruiter. A report that Slack fails to deliver stays readable in the
        database ('screen report <id>'). False when the screen was no longer in progress (cancelled, expired)."""
        screen = self.store.get(screen_id)
        if screen is None or screen["status"] != "in_progress":
            logger.info("Screen %s ended but is not in progress in the database (%s)", screen_id,
                        screen["status"] if screen else "missing")
            return False
        status, finished_at = ("stopped" if stopped else "completed"), time.time()
        report = build_report({**screen, "status": status, "finished_at": finished_at}, results, coach, self.content)
        if not self.store.finish(screen_id, status, report, finished_at):
            return False
        try:
            self._send_report(screen["recruiter_id"], report)
        except SlackError as error:
            logger.error("Screen %s: sending the report to the recruiter failed: %s", screen_id, error)
        return True

    def _close(self, screen: Dict[str, Any], status: str, coach,
               unless_answered_since: Optional[float] = None) -> Optional[Dict[str, Any]]:
        """Cancel or expire an open screen with a partial report of the answers saved so far (none when it was never
        started). The closed screen, or None when it was not open any more (finished or closed meanwhile)."""
        finished_at = time.time()
        report = None
        if screen["status"] == "in_progress":
            report = build_report({**screen, "status": status, "finished_at": finished_at}, screen["results"], coach,
                                  self.content)
        if not self.store.close(screen["screen_id"], status, report, finished_at, unless_answered_since):
            return None
        return {**screen, "status": status, "report": report, "finished_at": finished_at}

    def cancel(self, viewer_id: str, screen_id: str, coach) -> Tuple[str, Optional[Dict[str, Any]]]:
        """'cancel screen S...': ("cancelled", screen), ("ended", screen) when it had finished or closed already, or
        ("missing", None) (unknown, or not the viewer's). The candidate is told when they had the invitation; the
        candidate can be screened again at once."""
        screen = self.readable(viewer_id, screen_id)
        if screen is None:
            return "missing", None
        closed = self._close(screen, "cancelled", coach) if screen["status"] in OPEN_STATUSES else None
        if closed is None:
            return "ended", self.store.get(screen_id)
        if screen["candidate_channel"]:
            self._tell(screen["candidate_id"], self.content.text("cancelled_candidate_notice"),
                       f"Screen {screen_id}: telling the candidate about the cancel")
        return "cancelled", closed

    def expire_idle(self, coach) -> List[str]:
        """Expire the open screens with no invitation, start or answer for SCREEN_EXPIRY_DAYS: the recruiter gets the
        partial report (or, never started, a notice), the candidate a notice. The ids expired."""
        cutoff = time.time() - self.settings.expiry_days * 24 * 3600
        expired = []
        for screen in self.store.idle_since(cutoff):
            closed = self._close(screen, "expired", coach, unless_answered_since=screen["last_activity_at"])
            if closed is None:  # the candidate answered, or another action expired it, in the meantime
                continue
            expired.append(screen["screen_id"])
            logger.info("Screen %s expired (%s)", screen["screen_id"], screen["status"])
            try:
                if closed["report"]:
                    self._send_report(screen["recruiter_id"], closed["report"])
                else:
                    self.slack.message_user(screen["recruiter_id"], self.content.text(
                        "expired_unstarted_notice", candidate=screen["candidate_id"], screen_id=screen["screen_id"],
                        days=f"{self.settings.expiry_days:g}"))
            except SlackError as error:  # the report stays readable: "screen report S..."
                logger.error("Screen %s: telling the recruiter it expired failed: %s", screen["screen_id"], error)
            if screen["candidate_channel"]:
                self._tell(screen["candidate_id"], self.content.text("expired_candidate_notice"),
                           f"Screen {screen['screen_id']}: telling the candidate it expired")
        return expired

    def readable(self, viewer_id: str, screen_id: str) -> Optional[Dict[str, Any]]:
        """The screen, if `viewer_id` may read it: the recruiter who started it, or an admin. Else None, exactly as
        for a screen that does not exist, so nobody learns which screen ids are in use."""
        screen = self.store.get(screen_id)
        if screen is None or (screen["recruiter_id"] != viewer_id and not is_admin(viewer_id, self.settings)):
            return None
        return screen

    def send_report(self, viewer_id: str, screen_id: str, export_format: Optional[str]) -> str:
        """Send a screen's report, or its JSON or CSV export as a file, to the viewer's DM; or why there is none yet.
        Returns "sent", "missing" (unknown, or not theirs to read) or "failed" (Slack)."""
        screen = self.readable(viewer_id, screen_id)
        if screen is None:
            return "missing"
        try:
            if screen["status"] == "declined":
                self.slack.message_user(viewer_id, self.content.text(
                    "report_declined", candidate=screen["candidate_id"], screen_id=screen_id))
            elif screen["status"] in CLOSED_STATUSES and not screen["report"]:
                self.slack.message_user(viewer_id, self.content.text(
                    "report_closed_unstarted", screen_id=screen_id, candidate=screen["candidate_id"],
                    status=screen["status"]))
            elif screen["status"] not in FINISHED_STATUSES or not screen["report"]:
                self.slack.message_user(viewer_id, self.content.text(
                    "report_pending", screen_id=screen_id, candidate=screen["candidate_id"],
                    status=screen["status"].replace("_", " ")))
            elif export_format:
                exported = to_json(screen["report"]) if export_format == "json" else to_csv([screen["report"]])
                self.slack.send_file_to_user(viewer_id, f"screen-{screen_id}.{export_format}", exported,
                                             self.content.text("export_comment", screen_id=screen_id,
                                                               format=export_format.upper()))
            else:
                self._send_report(viewer_id, screen["report"])
        except SlackError as error:
            logger.error("Screen %s: sending it to %s failed: %s", screen_id, viewer_id, error)
            return "failed"
        return "sent"

    def _send_report(self, user_id: str, report: Dict[str, Any]) -> None:
        """The report as Block Kit sections (one per question), what the candidate wrote escaped; the heading is the
        message's plain text, which notifications show."""
        parts = report_sections(report, self.content, quote=escape)
        self.slack.message_user(user_id, parts[0], sections(parts))

    def listing(self, viewer_id: str, page: int = 1) -> str:
        """The viewer's screens (an admin's: everyone's), newest first, one line each with the suggested band once
        finished; LIST_PAGE_SIZE a page, with how to ask for the next."""
        owner = None if is_admin(viewer_id, self.settings) else viewer_id
        page = max(1, page)
        screens = self.store.recent(LIST_PAGE_SIZE + 1, (page - 1) * LIST_PAGE_SIZE, owner)
        if not screens:
            return self.content.text("list_empty")
        lines = [self.content.text("list_heading")]
        for screen in screens[:LIST_PAGE_SIZE]:
            band = (screen["report"] or {}).get("suggested_band", {}).get("label")
            lines.append(self.content.text(
                "list_line", screen_id=screen["screen_id"], candidate=screen["candidate_id"], level=screen["level"],
                status=screen["status"].replace("_", " "),
                band=self.content.text("list_band", band=band) if band else ""))
        if len(screens) > LIST_PAGE_SIZE:
            lines.append(self.content.text("list_more", page=page + 1))
        return "\n".join(lines)

    def send_listing(self, viewer_id: str, page: int = 1) -> str:
        """The list of screens, sent to the viewer's DM: "sent" or "failed"."""
        try:
            self.slack.message_user(viewer_id, self.listing(viewer_id, page))
        except SlackError as error:
            logger.error("Sending the list of screens to %s failed: %s", viewer_id, error)
            return "failed"
        return "sent"

    def _tell(self, user_id: str, text: str, what: str) -> None:
        try:
            self.slack.message_user(user_id, text)
        except SlackError as error:
            logger.error("%s failed: %s", what, error)


@functools.lru_cache(maxsize=1)
def get_screening() -> Screening:
    return Screening()
