"""What the Slack end-to-end test and the webhook benchmark share: a local fake of the Slack Web API, Slack's request
signing, and the real action server plus the real Rasa server with the Slack channel (credentials.slack.yml).

The fake answers like Slack ({"ok": true, ...}) and records every call, so a test can wait for the bot's messages.
"""

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import requests

from tests.servers import free_port, stop, wait_until_healthy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "U0BOTUSER"


def dm_channel(user_id: str) -> str:
    """The fake's DM channel id for a user (Slack's are D...)."""
    return "D" + user_id


class FakeSlack:
    """A local Slack Web API: conversations.open, chat.postMessage and anything else, recorded in order."""

    def __init__(self):
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {key: values[0] for key, values in urllib.parse.parse_qs(raw).items()}
                method = self.path.rstrip("/").rsplit("/", 1)[-1]
                reply = fake.record(method, body, self.headers.get("Authorization"))
                payload = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except BrokenPipeError:  # the client gave up (a server shutting down); nothing to answer
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def record(self, method: str, body: Dict[str, Any], authorization: Optional[str]) -> Dict[str, Any]:
        with self.lock:
            self.calls.append({"method": method, "body": body, "authorization": authorization})
            if authorization != f"Bearer {BOT_TOKEN}":
                return {"ok": False, "error": "invalid_auth"}
            if method == "conversations.open":
                return {"ok": True, "channel": {"id": dm_channel(str(body.get("users")))}}
            if method == "chat.postMessage":
                return {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}{len(self.calls)}",
                        "message": {"text": body.get("text")}}
            return {"ok": True}

    def posts(self, channel: Optional[str] = None) -> List[Dict[str, Any]]:
        with self.lock:
            return [call["body"] for call in self.calls if call["method"] == "chat.postMessage"
                    and (channel is None or call["body"].get("channel") == channel)]

    def opened(self) -> List[str]:
        with self.lock:
            return [call["body"].get("users") for call in self.calls if call["method"] == "conversations.open"]

    def wait_for(self, channel: str, condition: Callable[[List[Dict]], bool], after: int = 0,
                 timeout: float = 180) -> List[Dict[str, Any]]:
        """The posts to `channel` after the first `after`, once `condition(posts)` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = self.posts(channel)[after:]
            if condition(posts):
                return posts
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting on {channel}; posts after {after}: "
                             f"{[post.get('text') for post in self.posts(channel)[after:]]}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def signed_headers(body: bytes, content_type: str, timestamp: Optional[int] = None,
                   secret: str = SIGNING_SECRET) -> Dict[str, str]:
    """Slack's signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": f"v0={digest}"}


_event_counter = iter(range(10**9))


def message_event(user: str, text: str, event_id: Optional[str] = None) -> Dict[str, Any]:
    """An Events API envelope for a direct message from `user` to the bot."""
    number = next(_event_counter)
    return {
        "token": "unused", "team_id": "T0TEAM", "api_app_id": "A0APP", "type": "event_callback",
        "event_id": event_id or f"Ev{number:08d}", "event_time": int(time.time()),
        "authorizations": [{"user_id": BOT_USER}],
        "event": {"type": "message", "channel_type": "im", "channel": dm_channel(user), "user": user, "text": text,
                  "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}"},
    }


def button_click(user: str, value: str, message_ts: str) -> Dict[str, Any]:
    """An interactive (block_actions) payload: `user` pressed the button with this value on that message."""
    return {
        "type": "block_actions", "user": {"id": user}, "channel": {"id": dm_channel(user)},
        "container": {"type": "message", "message_ts": message_ts}, "message": {"ts": message_ts},
        "actions": [{"type": "button", "value": value, "action_id": value.strip("/"),
                     "action_ts": f"{time.time():.6f}"}],
    }


class SlackServers:
    """The fake Slack API, the action server and the Rasa server with the Slack channel, in a temporary folder."""

    def __init__(self, workdir: Path, rasa_bin: str, model: str, recruiters: List[str]):
        self.workdir, self.rasa_bin, self.model = workdir, rasa_bin, model
        self.slack = FakeSlack()
        self.action_port, self.rasa_port = free_port(), free_port()
        self.screen_db = workdir / "screens.db"
        recruiters_file = workdir / "recruiters.yml"
        recruiters_file.write_text("version: 1\nrecruiters:\n" + "".join(f"  - slack_id: {r}\n" for r in recruiters))
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "tracker.db"}"\n'
        )
        self.env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": self.slack.url, "SCREEN_DB": str(self.screen_db),
                    "CX_COACH_RECRUITERS_FILE": str(recruiters_file), "CX_COACH_RECRUITERS": "",
                    "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    # Rasa imports channels.slack from the project root, whatever its working directory.
                    "PYTHONPATH": str(PROJECT_ROOT)}
        self.processes: List[subprocess.Popen] = []

    def _start(self, command: List[str], log_name: str, health_url: str) -> None:
        log = self.workdir / log_name
        process = subprocess.Popen(command, cwd=self.workdir, env=self.env, stdout=log.open("w"),
                                   stderr=subprocess.STDOUT)
        self.processes.append(process)
        wait_until_healthy(process, health_url, log)

    def start(self) -> None:
        self._start([sys.executable, "-m", "actions.server", "--port", str(self.action_port)], "actions.log",
                    f"http://127.0.0.1:{self.action_port}/health")
        self._start([self.rasa_bin, "run", "--model", self.model, "--endpoints", str(self.endpoints),
                     "--credentials", str(PROJECT_ROOT / "credentials.slack.yml"), "--port", str(self.rasa_port),
                     "--interface", "127.0.0.1"], "rasa.log", f"http://127.0.0.1:{self.rasa_port}/webhooks/slack/")

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/slack/webhook"

    def post_event(self, envelope: Dict[str, Any], headers: Optional[Dict[str, str]] = None,
                   timestamp: Optional[int] = None) -> requests.Response:
        body = json.dumps(envelope).encode()
        signed = signed_headers(body, "application/json", timestamp)
        return requests.post(self.webhook, data=body, headers={**signed, **(headers or {})}, timeout=30)

    def post_click(self, payload: Dict[str, Any]) -> requests.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return requests.post(self.webhook, data=body,
                             headers=signed_headers(body, "application/x-www-form-urlencoded"), timeout=30)

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        self.slack.stop()
