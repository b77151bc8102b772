"""A local fake of the Slack Web API, Slack's request signing, and the events and button clicks Slack would send: what
the Slack end-to-end test and the webhook benchmark need next to the real servers (harness/bot.py).

The fake answers like Slack ({"ok": true, ...}) and records every call, so a test can wait for the bot's messages.
It also takes file uploads the way slack_sdk's files_upload_v2 makes them: files.getUploadURLExternal, the file's
bytes posted to the upload URL it returned, then files.completeUploadExternal sharing it into a channel.
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional

from harness.servers import free_port

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
        self.uploaded: Dict[str, bytes] = {}  # file id -> the bytes posted to its upload URL
        self.lock = threading.Lock()
        self.port = free_port()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/upload/"):
                    with fake.lock:
                        fake.uploaded[self.path.rsplit("/", 1)[-1]] = data
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = data.decode("utf-8")
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
            if method == "files.getUploadURLExternal":
                file_id = f"F{len(self.calls):08d}"
                return {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}
            if method == "files.completeUploadExternal":
                files = json.loads(body.get("files") or "[]")
                if not all(f.get("id") in self.uploaded for f in files):
                    return {"ok": False, "error": "file_not_found"}
                return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
            return {"ok": True}

    def posts(self, channel: Optional[str] = None) -> List[Dict[str, Any]]:
        with self.lock:
            return [call["body"] for call in self.calls if call["method"] == "chat.postMessage"
                    and (channel is None or call["body"].get("channel") == channel)]

    def uploads(self, channel: Optional[str] = None) -> List[Dict[str, Any]]:
        """Files shared into `channel` (any channel when None): {channel, title, comment, content}, in order."""
        with self.lock:
            shared = [call["body"] for call in self.calls if call["method"] == "files.completeUploadExternal"
                      and (channel is None or call["body"].get("channel_id") == channel)]
            return [{"channel": body.get("channel_id"), "title": item.get("title"),
                     "comment": body.get("initial_comment"), "content": self.uploaded[item["id"]].decode("utf-8")}
                    for body in shared for item in json.loads(body.get("files") or "[]")
                    if item.get("id") in self.uploaded]

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

    def environment(self) -> Dict[str, str]:
        """What the servers need to talk to this fake: the token, the signing secret and its address."""
        return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": self.url}

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


def mention_event(user: str, text: str, channel: str = "C0GENERAL") -> Dict[str, Any]:
    """An Events API envelope for `user` mentioning the bot in a channel: "<@bot> text"."""
    envelope = message_event(user, f"<@{BOT_USER}> {text}")
    envelope["event"] = {"type": "app_mention", "channel": channel, "user": user, "text": f"<@{BOT_USER}> {text}",
                         "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}"}
    return envelope


def button_click(user: str, value: str, message_ts: str) -> Dict[str, Any]:
    """An interactive (block_actions) payload: `user` pressed the button with this value on that message."""
    return {
        "type": "block_actions", "user": {"id": user}, "channel": {"id": dm_channel(user)},
        "container": {"type": "message", "message_ts": message_ts}, "message": {"ts": message_ts},
        "actions": [{"type": "button", "value": value, "action_id": value.strip("/"),
                     "action_ts": f"{time.time():.6f}"}],
    }
