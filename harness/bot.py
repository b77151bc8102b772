"""The bot under test: the real action server and the real Rasa server on free ports, each with its logs, and one
tracker database and one screens database in a working folder. One class for the REST end-to-end test, the Slack
end-to-end test and the Slack webhook benchmark.

Over REST by default (credentials.yml). Given a FakeSlack (harness/slack.py), Rasa also listens on its Slack channel
(credentials.slack.yml), the action server posts to the fake, and `recruiters` may start screens.
"""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import requests

from harness.servers import free_port, stop, wait_until_healthy
from harness.slack import FakeSlack, signed_headers

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPLY_TIMEOUT_SECONDS = 120


class BotServers:
    def __init__(self, workdir: Path, rasa_bin: str, model: str, slack: Optional[FakeSlack] = None,
                 recruiters: Sequence[str] = (), actions_python: str = sys.executable):
        self.workdir, self.rasa_bin, self.model, self.slack = workdir, rasa_bin, model, slack
        self.actions_python = actions_python  # the action server's environment (.venv/actions)
        self.action_port, self.rasa_port = free_port(), free_port()
        self.screen_db = workdir / "screens.db"
        self.tracker_db = workdir / "tracker.db"  # tracker_db_url names it
        self.progress_db = workdir / "progress.db"
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            # The project's tracker store (endpoints.yml): Rasa's SQL store, failing loudly when the file is unusable.
            f'tracker_store:\n  type: stores.tracker_store.CheckedSQLTrackerStore\n  url: "{self.tracker_db_url}"\n'
        )
        recruiters_file = workdir / "recruiters.yml"
        recruiters_file.write_text("version: 1\nrecruiters:\n" + "".join(f"  - slack_id: {r}\n" for r in recruiters))
        self.env = {**os.environ, "SCREEN_DB": str(self.screen_db), "CX_COACH_RECRUITERS_FILE": str(recruiters_file),
                    "CX_PROGRESS_DB_URL": f"sqlite:///{self.progress_db}", "CX_COACH_RECRUITERS": "",
                    "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    # Both servers import the project's packages (actions, channels) from the project root.
                    "PYTHONPATH": str(PROJECT_ROOT)}
        for variable in ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS"):
            self.env.setdefault(variable, "1")  # as scripts/common.sh sets them for make run
        self.credentials = PROJECT_ROOT / "credentials.yml"
        if slack is not None:
            self.env.update(slack.environment())
            self.credentials = PROJECT_ROOT / "credentials.slack.yml"
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.rasa_starts = 0

    def _start(self, command: List[str], log: Path, health_url: str) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=self.workdir, env=self.env, stdout=log.open("w"),
                                   stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, health_url, log)
        except BaseException:
            stop(process)
            raise
        return process

    def start(self) -> None:
        self.start_actions()
        self.start_rasa()

    def start_actions(self) -> None:
        self.actions = self._start([self.actions_python, "-m", "actions.server", "--port", str(self.action_port)],
                                   self.workdir / "actions.log", f"http://127.0.0.1:{self.action_port}/health")

    def kill_actions(self) -> None:
        """Kill the action server at once, as a crash would."""
        self.actions.kill()
        self.actions.wait()

    def start_rasa(self) -> None:
        self.rasa_starts += 1
        self.rasa = self._start([self.rasa_bin, "run", "--model", self.model, "--endpoints", str(self.endpoints),
                                 "--credentials", str(self.credentials), "--port", str(self.rasa_port),
                                 "--interface", "127.0.0.1"],
                                self.workdir / f"rasa-{self.rasa_starts}.log", f"http://127.0.0.1:{self.rasa_port}/")

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again: the conversations must survive (SQLite tracker store)."""
        stop(self.rasa)
        self.start_rasa()

    @property
    def tracker_db_url(self) -> str:
        """The tracker store as an SQLAlchemy URL (bench/loadtest.py reads the conversations from it)."""
        return f"sqlite:///{self.tracker_db}"

    def say(self, sender: str, message: str, metadata: Optional[Dict[str, Any]] = None) -> List[Dict]:
        """One message over the REST channel (with the message metadata the web page sends, if given); the replies."""
        body = {"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}
        reply = requests.post(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook", json=body,
                              timeout=REPLY_TIMEOUT_SECONDS)
        reply.raise_for_status()
        return reply.json()

    @property
    def webhook(self) -> str:
        """Rasa's Slack webhook, where the events and clicks of a FakeSlack's workspace arrive."""
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/slack/webhook"

    def post_event(self, envelope: Dict[str, Any], headers: Optional[Dict[str, str]] = None,
                   timestamp: Optional[int] = None) -> requests.Response:
        body = json.dumps(envelope).encode()
        signed = signed_headers(body, "application/json", timestamp)
        return requests.post(self.webhook, data=body, headers={**signed, **(headers or {})}, timeout=30)

    def post_signed(self, body: bytes, content_type: str) -> requests.Response:
        """Any body, properly signed: what the webhook does with bodies Slack would never send."""
        return requests.post(self.webhook, data=body, headers=signed_headers(body, content_type), timeout=30)

    def post_click(self, payload: Dict[str, Any]) -> requests.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return requests.post(self.webhook, data=body,
                             headers=signed_headers(body, "application/x-www-form-urlencoded"), timeout=30)

    def stop(self) -> None:
        for process in (self.rasa, self.actions):
            if process is not None:
                stop(process)
        if self.slack is not None:
            self.slack.stop()
