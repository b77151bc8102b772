"""End to end: `make run` itself, twice at once in this checkout, on free ports and the trained model (RASA_MODEL).

What it guards: each instance writes its servers' logs to a folder of its own (LOG_DIR/port-<RASA_PORT>/), so
neither truncates the other's; a third instance on a Rasa port in use stops at once with a clear message, touching
no log; and an action server that crashes under `make run` is started again by its supervisor
(scripts/supervise.sh) while Rasa and the page keep running, and the conversation goes on.
"""

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, Optional

import pytest
import requests

from harness.servers import free_port, rasa_under_test, reply_texts

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RUNNING = "CX Interview Coach is running"


class MakeRun:
    """One `make run` in a process group of its own (stopped like Ctrl-C would stop it), its console in a file."""

    def __init__(self, tmp_path: Path, name: str, logs: Path, model: str, rasa_port: int = 0):
        self.ports = {"RASA_PORT": rasa_port or free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
        self.console = tmp_path / f"{name}.console"
        env = {**os.environ, **{key: str(port) for key, port in self.ports.items()}, "RASA_MODEL": model,
               "TRACKER_DB": str(tmp_path / name / "tracker.db"), "LOG_DIR": str(logs)}
        self.process = subprocess.Popen(["make", "run"], cwd=PROJECT_ROOT, env=env, stdout=self.console.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.logs = logs / f"port-{self.ports['RASA_PORT']}"

    def output(self) -> str:
        return self.console.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 420) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.process.poll() is None, f"make run exited ({self.process.returncode}):\n{self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"no {text!r} after {timeout:.0f}s:\n{self.output()[-3000:]}"
            time.sleep(0.5)

    def say(self, sender: str, message: str):
        reply = requests.post(f"http://127.0.0.1:{self.ports['RASA_PORT']}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message}, timeout=120)
        reply.raise_for_status()
        return reply.json()

    def log(self, name: str) -> str:
        return (self.logs / name).read_text(errors="replace")

    def stop(self) -> None:
        """Ctrl-C, as a person would stop it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def action_server_pid(port: int) -> Optional[int]:
    """The process of `python -m actions.server --port <port>`: the one this test's make run started, if running."""
    wanted = ["-m", "actions.server", "--port", str(port)]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                arguments = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if arguments[1:5] == wanted:  # the Python process itself, not its supervisor, which names it too
                return int(entry.name)
    return None


@pytest.fixture
def instances(tmp_path):
    started: Dict[str, MakeRun] = {}
    yield started
    for instance in started.values():
        instance.stop()


def test_two_instances_keep_their_own_logs_and_a_crashed_action_server_comes_back(tmp_path, instances):
    _, model = rasa_under_test()
    logs = tmp_path / "logs"  # one LOG_DIR for both, as two `make run` in one checkout share logs/
    first = instances["first"] = MakeRun(tmp_path, "first", logs, model)
    second = instances["second"] = MakeRun(tmp_path, "second", logs, model)
    first.wait_for(RUNNING)
    second.wait_for(RUNNING)

    for instance in (first, second):
        # Each folder has its own instance's start-up from the first line on: nothing truncated, nothing mixed.
        assert f"listening on http://127.0.0.1:{instance.ports['ACTION_PORT']}" in instance.log("actions.log")
        assert f"Starting Rasa server on http://127.0.0.1:{instance.ports['RASA_PORT']}" in instance.log("rasa.log")
    assert first.logs != second.logs

    # A third instance on the first one's Rasa port stops before it starts anything, and leaves its logs alone.
    rasa_log_before = first.log("rasa.log")
    third = instances["third"] = MakeRun(tmp_path, "third", logs, model, rasa_port=first.ports["RASA_PORT"])
    assert third.process.wait(timeout=120) != 0
    assert "another instance of the bot is using RASA_PORT" in third.output()
    assert first.log("rasa.log").startswith(rasa_log_before)

    # The action server crashes mid-interview: its supervisor starts it again; Rasa and the page never stop.
    sender = "make-run-candidate"
    first.say(sender, "start")
    first.say(sender, "mid")
    assert "Question 1 of 2" in reply_texts(first.say(sender, "2"))
    crashed = action_server_pid(first.ports["ACTION_PORT"])
    assert crashed is not None
    os.kill(crashed, signal.SIGKILL)
    first.wait_for("restarting it in", timeout=60)
    health = f"http://127.0.0.1:{first.ports['ACTION_PORT']}/health"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(health, timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, f"the action server did not come back:\n{first.log('actions.log')[-3000:]}"
        time.sleep(0.5)
    assert action_server_pid(first.ports["ACTION_PORT"]) not in (None, crashed)
    assert requests.get(f"http://127.0.0.1:{first.ports['WEB_PORT']}/config.json", timeout=10).status_code == 200
    answered = reply_texts(first.say(sender, "I set up a weekly review of CSAT comments with the support team, and "
                                             "we fixed the three most common complaints within a month."))
    assert "Score for this answer:" in answered
    assert first.process.poll() is None and second.process.poll() is None

    # Ctrl-C still stops everything, the supervised action server included.
    first.stop()
    assert "The action server stopped" in first.output()
    assert action_server_pid(first.ports["ACTION_PORT"]) is None
