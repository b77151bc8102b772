"""Starting and stopping the real servers that the end-to-end tests and the Slack benchmark talk to."""

import socket
import subprocess
import time
from pathlib import Path

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
