"""Starting and stopping server processes for the end-to-end tests and the benchmarks: free ports, health checks,
stopping; and which Rasa and model a test runs against."""

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Tuple

import requests

START_DEADLINE_SECONDS = 300


class ServerDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(process: subprocess.Popen, url: str, log: Path,
                       deadline_seconds: float = START_DEADLINE_SECONDS) -> None:
    """Poll `url` until it answers 200; fail with the end of the server's log if it exits or takes too long."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(f"{log.name}: exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise ServerDidNotStart(f"{log.name}: {url} not healthy after {deadline_seconds:.0f}s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the process is still there after 30 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def unavailable(message: str, required_by: str) -> None:
    """Skip the test for want of something (a model, a database), or fail it where the variable `required_by` is set:
    the make target that provides the thing sets it, so that a run meant to test it never passes unchecked."""
    import pytest

    if os.environ.get(required_by):
        pytest.fail(message)
    pytest.skip(message)


def rasa_under_test() -> Tuple[str, str]:
    """The Rasa executable and trained model that `make test` passes in (RASA_BIN, RASA_MODEL). Without them an
    end-to-end test is skipped, or fails when CX_REQUIRE_E2E is set (as `make test` does)."""
    rasa_bin, model = os.environ.get("RASA_BIN"), os.environ.get("RASA_MODEL")
    if not rasa_bin or not model:
        unavailable("needs RASA_BIN and RASA_MODEL (run it through `make test`)", "CX_REQUIRE_E2E")
    return rasa_bin, model


def reply_texts(messages: List[Dict]) -> str:
    """The text of the bot's messages (REST replies or Slack posts), one per line."""
    return "\n".join(message.get("text") or "" for message in messages)
