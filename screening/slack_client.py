"""The few Slack Web API calls the action server makes itself, through slack_sdk's WebClient: opening a DM, posting
into it, and uploading a file into it.

Used where a reply cannot or must not go through Rasa's Slack channel, which only answers the conversation a message
came from: inviting a candidate (the recruiter's message starts a conversation with someone else), and everything a
recruiter reads about screens (reports, lists, exports), which goes only to the recruiter's DM even when asked for in
a channel. WebClient does the three-step file upload (files.getUploadURLExternal, the upload, then
files.completeUploadExternal), retries on rate limits and connection errors, and raises on `ok: false`. The address
comes from SLACK_API_URL (screening/settings.py), so tests point it at a local fake of the API.
"""

import logging
from typing import Any, Dict, List, Optional

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10

# Slack's limits: a section block's text holds at most 3,000 characters, a message at most 50 blocks; a message's
# `text` is cut at 40,000 characters, and Slack advises keeping it under 4,000.
SECTION_MAX_CHARS = 3000
MAX_BLOCKS = 50
TEXT_MAX_CHARS = 4000


class SlackError(RuntimeError):
    """Slack could not be reached or answered ok: false; the message says which call and why."""


def escape(text: Any) -> str:
    """Text someone typed, made inert in Slack's markup: `<!channel>`, `<@U123>` and `<https://...>` are shown as
    written instead of pinging people or linking. Slack asks for exactly these three characters to be escaped."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class SlackClient:
    def __init__(self, token: Optional[str], api_url: str):
        self.token = token
        self.web = WebClient(token=token, base_url=api_url, timeout=TIMEOUT_SECONDS,
                             retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler()])

    def _call(self, method: str, call, **fields: Any) -> Dict[str, Any]:
        if not self.token:
            raise SlackError(f"{method}: SLACK_BOT_TOKEN is not set")
        try:
            return call(**fields).data
        except SlackApiError as error:
            raise SlackError(f"{method}: {error.response.get('error', error)}") from error
        except (SlackClientError, OSError, ValueError) as error:
            raise SlackError(f"{method}: {error}") from error

    def open_dm(self, user_id: str) -> str:
        """The id of the bot's direct-message channel with this user (Slack creates it if needed)."""
        return self._call("conversations.open", self.web.conversations_open, users=user_id)["channel"]["id"]

    def post(self, channel: str, text: str, blocks: Optional[List[Dict[str, Any]]] = None) -> str:
        fields: Dict[str, Any] = {"channel": channel, "text": clip(text, TEXT_MAX_CHARS)}
        if blocks:
            fields["blocks"] = blocks[:MAX_BLOCKS]
        return self._call("chat.postMessage", self.web.chat_postMessage, **fields).get("ts", "")

    def message_user(self, user_id: str, text: str, blocks: Optional[List[Dict[str, Any]]] = None) -> str:
        """Post into the user's DM with the bot; returns the DM channel's id."""
        channel = self.open_dm(user_id)
        self.post(channel, text, blocks)
        return channel

    def send_file_to_user(self, user_id: str, filename: str, content: str, comment: str) -> str:
        """Upload `content` as a file into the user's DM, with a comment; returns the DM channel's id. A file arrives
        whole, whatever it holds: no code block to break out of, no message length to split at."""
        channel = self.open_dm(user_id)
        self._call("files.uploadV2", self.web.files_upload_v2, channel=channel, filename=filename, title=filename,
                   content=content, initial_comment=comment)
        return channel


def sections(texts: List[str]) -> List[Dict[str, Any]]:
    """Block Kit sections, one per text, each within Slack's limits."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX_CHARS)}}
            for text in texts if text.strip()][:MAX_BLOCKS]


def buttons_message(text: str, buttons: List[Dict[str, str]]) -> List[Dict[str, Any]]:
    """Block Kit for a text with buttons, in the form Rasa's Slack channel sends and reads back (value = payload)."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": b["title"]}, "value": b["payload"],
             "action_id": b["payload"].strip("/")} for b in buttons
        ]},
    ]
