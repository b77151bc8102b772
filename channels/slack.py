"""Rasa's own Slack connector, with the additions the recruiter pre-screen needs.

1. The Slack Web API address comes from SLACK_API_URL (default Slack's real one), so tests can run against a local
   fake of the API. Everything else about sending (threads, buttons, message splitting) is Rasa's SlackBot.
2. Each Slack event is handled once. Rasa answers the webhook at once and processes the message in the background,
   so Slack's timeout retries do not happen in normal running, and Rasa drops retries whose reason is listed in
   `errors_ignore_retry` ("http_timeout" by default). A retry for any other reason (Slack saw a connection error or
   a 5xx from a proxy) would otherwise be processed again: a second reply, and the same answer taken twice. So the
   event's `event_id`, which Slack keeps across retries, is recorded in the screens database (SQLite, or the
   PostgreSQL of DATABASE_URL, which every Rasa server of a cluster shares) and a repeat is acknowledged without
   processing. A button click is recorded by user and message: a message's buttons take one click, so a double
   click on "Start" cannot land in the interview as an answer. Because of that record, no retry is dropped for its
   reason alone: Rasa's default drops "http_timeout" retries, which loses the message when the first delivery never
   arrived and the retry is the first copy seen.
3. Each message's metadata says whether it was written in a DM with the bot (`is_direct_message`), so the actions
   can keep reports out of channels.
4. A signed body that is not what Slack sends (a JSON array, null, an empty body, a click without a user) gets a
   400, not a 500 with a traceback.
5. A message over the bot's hard limit (CX_MAX_MESSAGE_CHARS, channels/message_limit.py) is answered with the reply
   saying so and goes no further; Slack allows 40,000 characters.
6. A message that arrives while the action server is away is kept, and read and answered in the same place as soon
   as it is back (channels/action_server.py).
7. A message no store could take (channels/not_taken.py: the database or Redis does not answer) is answered with
   `utter_message_not_taken`, so the sender knows to send it again.

Signature checks (X-Slack-Signature over v0:timestamp:body, at most five minutes old), sender ids and everything
else are unchanged from rasa.core.channels.slack.SlackInput.
"""

import asyncio
import json
import logging
import time
from http import HTTPStatus
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.action_server import KeptMessages
from channels.message_limit import too_long_reply
from channels.not_taken import STORES_UNAVAILABLE, not_taken_text
from database.sql import Database
from screening.settings import screen_database, slack_api_url

logger = logging.getLogger(__name__)

# Slack retries an event for at most about an hour; a day of event ids is plenty and keeps the table small.
KEEP_EVENTS_SECONDS = 24 * 3600


class HandledEvents:
    """Which Slack deliveries were already handled, in the screens database, so it holds across Rasa restarts and
    across the Rasa servers of a cluster."""

    def __init__(self, location: Optional[Union[str, Path]] = None):
        self.database = Database(location or screen_database())
        with self.database.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS slack_deliveries ("
                       "delivery_key TEXT PRIMARY KEY, received_at DOUBLE PRECISION NOT NULL)")

    def first_time(self, key: str) -> bool:
        """Record the delivery; False when it was recorded before (a retry or a double click)."""
        now = time.time()
        # The check runs before the webhook answers Slack, on the Rasa server's event loop: one short transaction.
        with self.database.transaction() as db:
            db.execute("DELETE FROM slack_deliveries WHERE received_at < ?", (now - KEEP_EVENTS_SECONDS,))
            inserted = db.execute("INSERT INTO slack_deliveries VALUES (?, ?) ON CONFLICT DO NOTHING",
                                  (key, now)).rowcount
        return inserted == 1


def malformed(request: Request) -> Optional[str]:
    """Why a webhook request's body is not one Rasa's SlackInput can read, or None when it can."""
    content_type = request.headers.get("content-type")
    if content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return "the body is not JSON"
        if not isinstance(body, dict):
            return "the body is not a JSON object"
        if not isinstance(body.get("event", {}), dict):
            return "the event is not an object"
        return None
    if content_type == "application/x-www-form-urlencoded":
        try:
            payload = json.loads(request.form["payload"][0])
        except (KeyError, IndexError, TypeError, ValueError):
            return "no JSON payload"
        if not isinstance(payload, dict):
            return "the payload is not an object"
        actions, user = payload.get("actions"), payload.get("user")
        if actions is not None and not (isinstance(actions, list) and actions and isinstance(actions[0], dict)
                                        and isinstance(user, dict) and user.get("id")):
            return "a click without its action or user"
        return None
    return None


def delivery_key(request: Request) -> Optional[str]:
    """What identifies one delivery: the event id of an event, user and message of a button click."""
    content_type = request.headers.get("content-type")
    if content_type == "application/json":
        event_id = (request.json or {}).get("event_id")
        return f"event:{event_id}" if event_id else None
    if content_type == "application/x-www-form-urlencoded":
        try:
            payload = json.loads(request.form["payload"][0])
        except (KeyError, IndexError, ValueError):
            return None
        user = (payload.get("user") or {}).get("id")
        message_ts = (payload.get("container") or {}).get("message_ts") or (payload.get("message") or {}).get("ts")
        return f"click:{user}:{message_ts}" if user and message_ts else None
    return None


class RecruiterSlackInput(SlackInput):
    """SlackInput with a configurable Web API address and once-only handling of each delivery."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handled = HandledEvents()
        self.replies_in_flight = set()  # references to the too-long replies being sent, as asyncio asks
        # Repeats are recognised by event id (HandledEvents), so no retry is dropped for its reason alone.
        self.errors_ignore_retry = ()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kept_messages = KeptMessages(self.name(), on_new_message, self._output_channel_of)
        blueprint = super().blueprint(kept_messages)
        kept_messages.attach(blueprint)

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> Optional[HTTPResponse]:
            reason = malformed(request) if request.method == "POST" else None
            if reason:
                logger.warning("Slack webhook: refused a request whose body Slack would not send (%s)", reason)
                return response.text(f"Bad request: {reason}", status=HTTPStatus.BAD_REQUEST)
            return None

        return blueprint

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if metadata:
            channel_type = None
            if request.headers.get("content-type") == "application/json":
                channel_type = ((request.json or {}).get("event") or {}).get("channel_type")
            channel = str(metadata.get("out_channel") or "")
            # Events in a DM say channel_type "im"; mentions and clicks carry only the channel, and DM ids start with D.
            metadata["is_direct_message"] = channel_type == "im" or (channel_type is None and channel.startswith("D"))
        return metadata

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        key = delivery_key(request)
        if key and not self.handled.first_time(key):
            logger.info("Slack delivery %s was already handled; acknowledged without processing it again", key)
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        reply = too_long_reply(text)
        if reply is not None:
            logger.info("Slack: a %d-character message from %s refused as too long", len(text), sender_id)
            bot = self._output_channel_of(metadata or {})
            # Sent in the background, as Rasa handles messages, so the webhook is answered at once.
            task = asyncio.create_task(bot.send_text_message(sender_id, reply))
            self.replies_in_flight.add(task)
            task.add_done_callback(self.replies_in_flight.discard)
            return response.text("")
        return await super().process_message(request, self._told_when_not_taken(on_new_message), text, sender_id,
                                             metadata)

    @staticmethod
    def _told_when_not_taken(on_new_message: Callable[[UserMessage], Awaitable[Any]]
                             ) -> Callable[[UserMessage], Awaitable[Any]]:
        async def handle(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except STORES_UNAVAILABLE as error:
                logger.error("Slack: a message from %s was not taken: %s", message.sender_id, error)
                await message.output_channel.send_text_message(message.sender_id, not_taken_text())

        return handle

    def _output_channel_of(self, metadata: Dict) -> OutputChannel:
        """Where the replies to a message with this metadata go: its channel, and its thread if threads are used."""
        return self.get_output_channel(metadata.get("out_channel"),
                                       metadata.get("thread_id") if self.use_threads else None)

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        bot: SlackBot = super().get_output_channel(channel, thread_id)
        bot.client = AsyncWebClient(self.slack_token, base_url=slack_api_url(), proxy=self.proxy)
        return bot
