"""The Rasa server's side of its link to the action server (the coach): each reply checked against a schema validator
built once, a wait while the action server restarts, and the message of anyone who writes while it is away kept
and read when it is back, so no answer is lost and none is read twice.

Two methods of Rasa 3.6.21's rasa.core.actions.action.RemoteAction are replaced when this module is imported. Our
channels (channels/rest.py, channels/slack.py) import it, and Rasa imports them at start-up (credentials.yml), so
every Rasa server of this project runs with both:

1. `_validate_action_result` checks each reply of the action server against the same schema, with validators
   built once. Rasa called `jsonschema.validate()`, which first checks the schema itself against its metaschema: about
   20 ms of the event loop per reply (100 ms on a busy machine), two replies per answer, for a check whose result
   never changes. Then, an event is checked against the `oneOf` branch its `event` names rather than against all 23
   in turn (0.5 ms per event, a dozen events per reply): every branch names a different event with `const`, so
   the one it names is the only one that can match, and `oneOf` holds exactly when that one does. A reply that
   fails, or has an event no branch names, goes through the whole schema, so the errors are jsonschema's own (the
   best match, with Rasa's hint appended).
2. `run` waits when the action server cannot be reached (connection refused or dropped, or a proxy's 502, 503 or
   504): it polls the action server's /health until it answers or CX_ACTION_SERVER_WAIT seconds (default 10) have
   passed since it went away, then calls again. A restart under `make run` takes a few seconds, so most messages
   just take longer. Past the wait it raises ActionServerAway, which abandons the whole turn: Rasa saves the
   conversation only at the end of a turn, so nothing of the message is stored (Rasa itself would log the error,
   drop the action's events, answer nothing, and move on without the answer).

The channels wrap Rasa's message handler in KeptMessages: a message whose turn was abandoned is kept in the
held_messages table beside the conversations (the tracker store's database, so it survives a restart and is shared
by several Rasa servers), and the sender is told so (utter_coach_away). When the action server answers again, the
message is handled as if it had just arrived: at once by a background task (Slack gets the reply as a message;
over REST the replies wait for the sender's next request, the only way REST can deliver them), or when the sender
writes again, whichever comes first. A claim in the table makes sure one server handles it once. While a message is
kept, the sender's later messages are not taken: they were written without seeing the reply (see the responses
utter_coach_still_away, utter_message_not_kept and utter_message_not_read in domain.yml).

An action call dropped half-way is made again in full once the action server is back: actions must not mind that
(ours keep their state in the conversation, and the screens database writes are idempotent).
"""

import asyncio
import functools
import json
import logging
import os
import re
import time
import urllib.parse
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import aiohttp
import jsonschema
import sqlalchemy as sa
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import UserUttered
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from sanic import Blueprint, Sanic

from channels.replies import channel_reply
from stores.tracker_store import patiently

logger = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 10.0
POLL_SECONDS = 0.5
# A claim on a kept message older than this belongs to a server that stopped while handling it.
STALE_CLAIM_SECONDS = 300
# A message of up to this many words, sent while a reply was waiting, is a nudge ("ok", "are you back?").
NUDGE_WORDS = 3
PROXY_UNAVAILABLE = {502, 503, 504}


class ActionServerAway(BaseException):
    """The action server stayed unreachable past the wait. A BaseException, like asyncio.CancelledError, because
    Rasa's MessageProcessor catches every Exception an action raises and carries on with the turn; this one must end
    the turn unsaved, up to the channel, which keeps the message."""


def wait_seconds() -> float:
    raw = os.environ.get("CX_ACTION_SERVER_WAIT") or str(DEFAULT_WAIT_SECONDS)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise ValueError(f"CX_ACTION_SERVER_WAIT must be a number of seconds, 0 or more, not {raw!r}")
    return seconds


# --- the two changes to RemoteAction -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _response_validator() -> jsonschema.protocols.Validator:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate() did on every call
    return validator_class(schema)


Validator = jsonschema.protocols.Validator


@functools.lru_cache(maxsize=1)
def _validators_by_event() -> Tuple[Optional[Validator], Dict[str, Validator]]:
    """The reply schema with any events, and for each event name its `oneOf` branch with what all events share.
    (None, {}) when the schema is not of that shape (another Rasa version): every reply then takes the whole schema."""
    schema = _response_validator().schema
    validator_class = type(_response_validator())
    event = schema["properties"]["events"]["items"]
    names = [branch.get("properties", {}).get("event", {}).get("const") for branch in event.get("oneOf", [])]
    if not names or None in names or len(set(names)) != len(names) or "event" not in event.get("required", []):
        return None, {}
    shared = {key: value for key, value in event.items() if key != "oneOf"}
    any_events = {**schema, "properties": {**schema["properties"], "events": {"type": "array"}}}
    return validator_class(any_events), {
        name: validator_class({"allOf": [shared, branch]}) for name, branch in zip(names, event["oneOf"])}


def _valid_by_event(result: Any) -> bool:
    reply, by_event = _validators_by_event()
    events = result.get("events", []) if isinstance(result, dict) else None
    if reply is None or not isinstance(events, list) or not reply.is_valid(result):
        return False
    return all(isinstance(event, dict) and isinstance(event.get("event"), str) and event["event"] in by_event
               and by_event[event["event"]].is_valid(event) for event in events)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    if _valid_by_event(result):
        return True
    error = jsonschema.exceptions.best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (". Failed to validate Action server response from API, make sure your response from the "
                          f"Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def _unreachable(error: RasaException) -> bool:
    """Whether RemoteAction.run failed because the action server could not be reached (it turns the aiohttp error
    into a RasaException, keeping the original as the cause or the context)."""
    cause = error.__cause__ or error.__context__
    if isinstance(cause, aiohttp.ClientConnectionError):
        return True
    return isinstance(cause, (ClientResponseError, aiohttp.ClientResponseError)) and cause.status in PROXY_UNAVAILABLE


class ActionServerLink:
    """Whether the action server is away, shared by every conversation of this Rasa server: the wait runs from the
    moment it went away, so everyone who writes then waits for the same restart, and once that wait is over the
    next messages are kept at once."""

    def __init__(self) -> None:
        self.away_since: Optional[float] = None

    async def reachable(self, endpoint: Optional[EndpointConfig]) -> bool:
        if endpoint is None:
            return False
        health = urllib.parse.urljoin(endpoint.url, "health")
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
                async with session.get(health) as response:
                    up = response.status not in PROXY_UNAVAILABLE
        except (aiohttp.ClientError, asyncio.TimeoutError):
            up = False
        if up and self.away_since is not None:
            logger.info("The action server answers again, after %.1f s", time.monotonic() - self.away_since)
            self.away_since = None
        return up

    async def wait_until_back(self, endpoint: EndpointConfig) -> bool:
        if self.away_since is None:
            self.away_since = time.monotonic()
            logger.warning("The action server at %s cannot be reached; waiting up to %.0f s for it", endpoint.url,
                           wait_seconds())
        deadline = self.away_since + wait_seconds()
        while not await self.reachable(endpoint):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(POLL_SECONDS)
        return True


LINK = ActionServerLink()
_rasa_run = RemoteAction.run


async def _run_waiting_for_the_action_server(self: RemoteAction, *args: Any, **kwargs: Any) -> List:
    while True:
        try:
            return await _rasa_run(self, *args, **kwargs)
        except RasaException as error:
            if self.action_endpoint is None or not _unreachable(error):
                raise
            if not await LINK.wait_until_back(self.action_endpoint):
                raise ActionServerAway(f"action server away while running {self.name()}") from error


RemoteAction._validate_action_result = _validate_action_result
RemoteAction.run = _run_waiting_for_the_action_server


# --- keeping messages while the action server is away --------------------------------------------------------------

HELD, REPLAYING, ANSWERED = "held", "replaying", "answered"


class HeldMessages:
    """The held_messages table: at most one kept message per sender, with its state (held, replaying: claimed by a
    server handling it, answered: its replies wait for the sender's next REST request)."""

    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine
        schema = sa.MetaData()
        self.table = sa.Table(
            "held_messages", schema,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("sender_id", sa.String(255), nullable=False, index=True),
            sa.Column("input_channel", sa.String(255)),
            sa.Column("message_id", sa.String(255)),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("message_metadata", sa.Text),
            sa.Column("held_at", sa.Float, nullable=False),
            sa.Column("state", sa.String(16), nullable=False),
            sa.Column("claimed_at", sa.Float),
            sa.Column("replies", sa.Text),
        )
        schema.create_all(engine)

    def hold(self, message: UserMessage) -> None:
        with self.engine.begin() as connection:
            connection.execute(self.table.insert().values(
                sender_id=message.sender_id, input_channel=message.input_channel, message_id=message.message_id,
                text=message.text or "", message_metadata=json.dumps(message.metadata or {}), held_at=time.time(),
                state=HELD))

    def of_sender(self, sender_id: str) -> Optional[sa.engine.Row]:
        with self.engine.connect() as connection:
            return connection.execute(self.table.select().where(self.table.c.sender_id == sender_id)
                                      .order_by(self.table.c.id).limit(1)).first()

    def waiting(self, input_channel: str) -> List[sa.engine.Row]:
        """Messages of this channel still to handle: held, or claimed by a server that stopped meanwhile."""
        table = self.table
        with self.engine.connect() as connection:
            return list(connection.execute(table.select().where(
                table.c.input_channel == input_channel,
                (table.c.state == HELD) | ((table.c.state == REPLAYING) & self._stale())).order_by(table.c.id)))

    def _stale(self):
        return self.table.c.claimed_at < time.time() - STALE_CLAIM_SECONDS

    def claim(self, row: sa.engine.Row) -> bool:
        """Take the message for handling; False when another server or request has it."""
        table = self.table
        with self.engine.begin() as connection:
            return connection.execute(table.update().where(
                table.c.id == row.id, (table.c.state == HELD) | ((table.c.state == REPLAYING) & self._stale()))
                .values(state=REPLAYING, claimed_at=time.time())).rowcount == 1

    def release(self, row: sa.engine.Row) -> None:
        self._set(row, state=HELD, claimed_at=None)

    def answered(self, row: sa.engine.Row, replies: List[Dict]) -> None:
        self._set(row, state=ANSWERED, replies=json.dumps(replies))

    def _set(self, row: sa.engine.Row, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(self.table.update().where(self.table.c.id == row.id).values(**values))

    def remove(self, row: sa.engine.Row, state: Optional[str] = None) -> bool:
        """Delete the row (only while in `state`, if given); False when it was gone or had moved on."""
        condition = self.table.c.id == row.id
        if state is not None:
            condition &= self.table.c.state == state
        with self.engine.begin() as connection:
            return connection.execute(self.table.delete().where(condition)).rowcount == 1


def _words(text: str) -> List[str]:
    return re.findall(r"\w+", (text or "").lower())


def _more_than_a_nudge(message: UserMessage, kept: sa.engine.Row) -> bool:
    """Whether a message sent while another was kept says something of its own: not the kept one again (a resend),
    and longer than "ok" or "are you back?"."""
    words = _words(message.text)
    return words != _words(kept.text) and len(words) > NUDGE_WORDS


def _opening(text: str, words: int = 8) -> str:
    """The first words of a message, to remind the sender which one is meant."""
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


class KeptMessages:
    """A channel's message handler (Rasa's on_new_message) that keeps a message whose turn the action server's
    absence abandoned, and handles it once the action server is back. `output_channel_for` rebuilds, from a kept
    message's metadata, where its replies go when no request of the sender is waiting for them."""

    def __init__(self, input_channel: str, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                 output_channel_for: Callable[[Dict], OutputChannel]):
        self.input_channel = input_channel
        self.on_new_message = on_new_message
        self.output_channel_for = output_channel_for
        self.app: Optional[Sanic] = None
        self.store: Optional[HeldMessages] = None
        self.watcher: Optional[asyncio.Task] = None

    def attach(self, blueprint: Blueprint) -> None:
        """Open the table and start the background task with the server; stop the task with it."""

        @blueprint.listener("after_server_start")
        async def start(_app: Sanic, _loop: Any) -> None:
            self._open()
            self.watcher = asyncio.create_task(self.watch())

        @blueprint.listener("before_server_stop")
        async def stop(_app: Sanic, _loop: Any) -> None:
            if self.watcher is not None:
                self.watcher.cancel()

    def _open(self) -> None:
        # Rasa loads its agent (and so the tracker store) as the server starts; a request can come in first.
        if self.store is None:
            self.app = Sanic.get_app()
            self.store = HeldMessages(_engine_of(self.app.ctx.agent.tracker_store))

    @property
    def endpoint(self) -> Optional[EndpointConfig]:
        return self.app.ctx.agent.action_endpoint

    async def __call__(self, message: UserMessage) -> None:
        self._open()
        kept = await self._kept_of(message.sender_id)
        while kept is not None and kept.state == REPLAYING and not self._stale(kept):
            await asyncio.sleep(POLL_SECONDS)  # being handled right now: its replies are for this request
            kept = await self._kept_of(message.sender_id)
        if kept is None:
            await self._handle(message)
        elif kept.state == ANSWERED:
            if not self.store.remove(kept, state=ANSWERED):
                return await self(message)  # another request of the sender took the replies meanwhile
            await _deliver(message, json.loads(kept.replies))
            await self._note_unread(message, kept)
        elif await LINK.reachable(self.endpoint) and self.store.claim(kept):
            if await self._replay(kept, message.output_channel):
                self.store.remove(kept)
                await self._note_unread(message, kept)
            else:
                await self._still_away(message, kept)
        else:
            await self._still_away(message, kept)

    async def _kept_of(self, sender_id: str) -> Optional[sa.engine.Row]:
        """The sender's kept message, read before every message: a database restart is waited out, as the tracker
        store waits it out (stores/tracker_store.py), rather than failing the message."""
        return await patiently("read the kept messages", lambda: self.store.of_sender(sender_id),
                               repr(self.store.engine.url))

    @staticmethod
    def _stale(kept: sa.engine.Row) -> bool:
        return kept.claimed_at is not None and kept.claimed_at < time.time() - STALE_CLAIM_SECONDS

    async def _handle(self, message: UserMessage) -> None:
        try:
            await self.on_new_message(message)
        except ActionServerAway:
            if isinstance(message.output_channel, CollectingOutputChannel):
                message.output_channel.messages.clear()  # what the abandoned turn said before it stopped
            # Kept, or, with the database down too, a StoreUnavailable: a 503, so the sender knows it was not taken.
            await patiently("keep a message", lambda: self.store.hold(message), repr(self.store.engine.url))
            logger.warning("Kept a message of %s until the action server is back", message.sender_id)
            await self._say(message, "utter_coach_away")

    async def _replay(self, kept: sa.engine.Row, output_channel: OutputChannel) -> bool:
        """Handle a kept message as if it had just arrived; False (and kept again) when the action server went away
        again meanwhile."""
        if kept.claimed_at is not None and await self._already_handled(kept):
            return True  # a server stopped after handling it, before it could say so
        message = UserMessage(kept.text, output_channel, kept.sender_id, input_channel=kept.input_channel,
                              message_id=kept.message_id, metadata=json.loads(kept.message_metadata or "{}"))
        try:
            await self.on_new_message(message)
        except ActionServerAway:
            self.store.release(kept)
            return False
        logger.info("Handled the kept message of %s", kept.sender_id)
        return True

    async def _already_handled(self, kept: sa.engine.Row) -> bool:
        tracker = await self.app.ctx.agent.tracker_store.retrieve(kept.sender_id)
        return tracker is not None and any(
            isinstance(event, UserUttered) and event.message_id == kept.message_id for event in tracker.events)

    async def watch(self) -> None:
        """Handle kept messages as soon as the action server answers, without waiting for their senders."""
        while True:
            await asyncio.sleep(POLL_SECONDS * 2)
            try:
                waiting = self.store.waiting(self.input_channel)
                if not waiting or not await LINK.reachable(self.endpoint):
                    continue
                for kept in waiting:
                    if not self.store.claim(kept):
                        continue
                    output = self.output_channel_for(json.loads(kept.message_metadata or "{}"))
                    if not await self._replay(kept, output):
                        break
                    if isinstance(output, CollectingOutputChannel):
                        self.store.answered(kept, output.messages)
                    else:
                        self.store.remove(kept)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 (logged; the next round tries again)
                logger.exception("Handling the messages kept while the action server was away failed")

    async def _still_away(self, message: UserMessage, kept: sa.engine.Row) -> None:
        await self._say(message, "utter_coach_still_away", kept=_opening(kept.text))
        if _more_than_a_nudge(message, kept):
            await self._say(message, "utter_message_not_kept", start=_opening(message.text))

    async def _note_unread(self, message: UserMessage, kept: sa.engine.Row) -> None:
        """The sender wrote this without seeing the kept message's replies, so it was not read as an answer."""
        if _more_than_a_nudge(message, kept):
            await self._say(message, "utter_message_not_read", start=_opening(message.text))

    @staticmethod
    async def _say(message: UserMessage, response: str, **values: str) -> None:
        text = channel_reply(response, channel=message.input_channel, **values)
        await message.output_channel.send_text_message(message.sender_id, text)


async def _deliver(message: UserMessage, replies: List[Dict]) -> None:
    """Replies collected earlier, given with this message's."""
    if isinstance(message.output_channel, CollectingOutputChannel):
        message.output_channel.messages.extend(replies)
    else:
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, reply)


def _engine_of(tracker_store: Any) -> sa.engine.Engine:
    """The tracker store's database, where the kept messages go too. Rasa wraps its store in a FailSafeTrackerStore;
    a store without SQL (Rasa's in-memory default) gets an in-memory SQLite database, lost with the server."""
    store = getattr(tracker_store, "_tracker_store", tracker_store)
    engine = getattr(store, "engine", None)
    if engine is None:
        logger.warning("The tracker store is not SQL: messages kept while the action server is away live in memory")
        engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool,
                                  connect_args={"check_same_thread": False})
    return engine
