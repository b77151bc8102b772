"""Rasa's REST channel (the web chat page, `make shell`, any HTTP client) with guards of its own.

Unchanged from rasa.core.channels.rest.RestInput (same name "rest", same /webhooks/rest/webhook) except that:
- a POST to the webhook must say `Content-Type: application/json`. Rasa reads the body as JSON whatever the type, and
  a browser sends a cross-site `text/plain` POST in `no-cors` mode without asking the server first (no CORS
  preflight), so any web page a candidate visits could otherwise fill the conversation store. Such a request gets a
  415 and goes no further;
- a message over CX_MAX_MESSAGE_CHARS is answered at once with the reply saying so (channels/message_limit.py), in
  the REST reply format, and goes no further;
- a message that arrives while the action server is away is kept and read when it is back
  (channels/action_server.py); its replies come with the sender's next request;
- a message Rasa could not take because the conversation store or the lock store does not answer gets a 503 (with
  `{"error": ...}`), where Rasa's own handler answers 200 with no reply: the sender knows to send it again (the chat
  page keeps it, with a Retry button). See channels/not_taken.py;
- a message may take up to RESPONSE_TIMEOUT_SECONDS. Without --enable-api Rasa leaves Sanic's 60-second response
  timeout, and a message held longer (waiting for the lock of a server that died while handling the conversation,
  or for an action server under load) was cut off, with Rasa's handler answering 200 and no reply. A message cut off
  all the same now ends in Sanic's 503 instead.
"""

import asyncio
import logging
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Optional, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels.action_server import KeptMessages
from channels.message_limit import too_long_reply
from channels.not_taken import STORES_UNAVAILABLE, not_taken_text

logger = logging.getLogger(__name__)

JSON_ONLY_REPLY = "This webhook takes JSON only: send the message with Content-Type: application/json."


def is_json(content_type: Optional[str]) -> bool:
    """Whether a Content-Type header names JSON (`application/json`, with or without parameters such as charset)."""
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/json"


# As long as nginx waits for a reply (deploy/nginx/cx-coach.conf, proxy_read_timeout).
RESPONSE_TIMEOUT_SECONDS = 300


class LimitedRestInput(RestInput):
    def _routes(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's two routes (RestInput.blueprint), with a 503 for a message no store could take."""
        blueprint = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @blueprint.listener("before_server_start")
        async def allow_slow_replies(app: Sanic, _loop: Any) -> None:
            app.config.RESPONSE_TIMEOUT = max(app.config.RESPONSE_TIMEOUT, RESPONSE_TIMEOUT_SECONDS)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            input_channel = self._extract_input_channel(request)
            metadata = self.get_metadata(request)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(self.stream_response(on_new_message, text, sender_id, input_channel, metadata),
                                       content_type="text/event-stream")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender_id, input_channel=input_channel,
                                                 metadata=metadata))
            except asyncio.CancelledError:
                # The reply took too long or the client left: not a 200 with nothing in it.
                logger.error("REST: a message from %s was cut off before it was answered", sender_id)
                raise
            except STORES_UNAVAILABLE as error:
                logger.error("REST: a message from %s was not taken: %s", sender_id, error)
                return response.json({"error": not_taken_text()}, status=HTTPStatus.SERVICE_UNAVAILABLE)
            except Exception:  # noqa: BLE001 (as Rasa does: the replies sent so far, and the error in the log)
                logger.exception("REST: a message from %s failed", sender_id)
            return response.json(collector.messages)

        return blueprint

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kept_messages = KeptMessages(self.name(), on_new_message, lambda _metadata: CollectingOutputChannel())
        blueprint = self._routes(kept_messages)
        kept_messages.attach(blueprint)

        @blueprint.middleware("request")
        async def guard_webhook(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            if not is_json(request.headers.get("content-type")):
                logger.info("REST: a POST with Content-Type %r refused (JSON only)",
                            request.headers.get("content-type"))
                return response.json({"error": JSON_ONLY_REPLY}, status=415)
            try:
                body = request.json
            except Exception:  # noqa: BLE001 (not JSON: Rasa's own handler answers it as before)
                return None
            reply = too_long_reply(body.get("message")) if isinstance(body, dict) else None
            if reply is None:
                return None
            logger.info("REST: a %d-character message from %s refused as too long", len(body["message"]),
                        body.get("sender"))
            return response.json([{"recipient_id": body.get("sender") or "default", "text": reply}])

        return blueprint
