"""The few Slack Web API calls the action server makes itself: opening a DM and posting into it.

Used where a reply cannot go through Rasa's Slack channel, which only answers the conversation a message came from:
inviting a candidate (the recruiter's message starts a conversation with someone else) and sending the finished
report to the recruiter. The address comes from SLACK_API_URL (screening/settings.py), so tests point it at a local
fake of the API.
"""

import logging
from typing import Any, Dict, List, Optional

import requests

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class SlackError(RuntimeError):
    """Slack could not be reached or answered ok: false; the message says which call and why."""


class SlackClient:
    def __init__(self, token: Optional[str], api_url: str):
        self.token = token
        self.api_url = api_url  # ends in a slash (screening/settings.py)

    def call(self, method: str, **fields: Any) -> Dict[str, Any]:
        if not self.token:
            raise SlackError(f"{method}: SLACK_BOT_TOKEN is not set")
        try:
            reply = requests.post(self.api_url + method, json=fields, timeout=TIMEOUT_SECONDS,
                                  headers={"Authorization": f"Bearer {self.token}"})
            body = reply.json()
        except (requests.RequestException, ValueError) as error:
            raise SlackError(f"{method}: {error}") from error
        if not body.get("ok"):
            raise SlackError(f"{method}: {body.get('error', f'HTTP {reply.status_code}')}")
        return body

    def open_dm(self, user_id: str) -> str:
        """The id of the bot's direct-message channel with this user (Slack creates it if needed)."""
        return self.call("conversations.open", users=user_id)["channel"]["id"]

    def post(self, channel: str, text: str, blocks: Optional[List[Dict[str, Any]]] = None) -> str:
        fields: Dict[str, Any] = {"channel": channel, "text": text}
        if blocks:
            fields["blocks"] = blocks
        return self.call("chat.postMessage", **fields).get("ts", "")

    def message_user(self, user_id: str, text: str, blocks: Optional[List[Dict[str, Any]]] = None) -> str:
        """Post into the user's DM with the bot; returns the DM channel's id."""
        channel = self.open_dm(user_id)
        self.post(channel, text, blocks)
        return channel


def buttons_message(text: str, buttons: List[Dict[str, str]]) -> List[Dict[str, Any]]:
    """Block Kit for a text with buttons, in the form Rasa's Slack channel sends and reads back (value = payload)."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": b["title"]}, "value": b["payload"],
             "action_id": b["payload"].strip("/")} for b in buttons
        ]},
    ]
