"""Rasa's REST channel (the web chat page, `make shell`, any HTTP client) with the bot's hard limit on message length.

Unchanged from rasa.core.channels.rest.RestInput (same name "rest", same /webhooks/rest/webhook) except that
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


class LimitedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kept_messages = KeptMessages(self.name(), on_new_message, lambda _metadata: CollectingOutputChannel())
        blueprint = super().blueprint(kept_messages)
        kept_messages.attach(blueprint)

        @blueprint.middleware("request")
        async def refuse_too_long(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
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
