"""Rasa's REST channel (the web chat page, `make shell`, any HTTP client) with two guards of its own.

Unchanged from rasa.core.channels.rest.RestInput (same name "rest", same /webhooks/rest/webhook) except that:
- a POST to the webhook must say `Content-Type: application/json`. Rasa reads the body as JSON whatever the type, and
  a browser sends a cross-site `text/plain` POST in `no-cors` mode without asking the server first (no CORS
  preflight), so any web page a candidate visits could otherwise fill the conversation store. Such a request gets a
  415 and goes no further;
- a message over CX_MAX_MESSAGE_CHARS is answered at once with the reply saying so (channels/message_limit.py), in
  the REST reply format, and goes no further;
- a message that arrives while the action server is away is kept and read when it is back
  (channels/action_server.py); its replies come with the sender's next request.
"""

import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.action_server import KeptMessages
from channels.message_limit import too_long_reply

logger = logging.getLogger(__name__)

JSON_ONLY_REPLY = "This webhook takes JSON only: send the message with Content-Type: application/json."


def is_json(content_type: Optional[str]) -> bool:
    """Whether a Content-Type header names JSON (`application/json`, with or without parameters such as charset)."""
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/json"


class LimitedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kept_messages = KeptMessages(self.name(), on_new_message, lambda _metadata: CollectingOutputChannel())
        blueprint = super().blueprint(kept_messages)
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
