"""A program in a pseudo-terminal, typed into and read as a person at a terminal would: for the test of `make shell`.
Standard library only (pty, termios), so the tests need no pexpect."""

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path
from typing import Dict, List

# Colours, cursor moves and the like: what a person sees is the text between them.
ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


class TerminalTimeout(AssertionError):
    pass


class Terminal:
    def __init__(self, command: List[str], cwd: Path, env: Dict[str, str], transcript: Path,
                 columns: int = 200, rows: int = 50):
        primary, secondary = os.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        # A session of its own with the terminal as its controlling terminal, as a login shell has.
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=secondary, stdout=secondary,
                                        stderr=secondary, start_new_session=True,
                                        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(secondary)
        self.primary = primary
        self.transcript = transcript.open("w")
        self.screen = ""  # everything shown so far, without escape sequences and carriage returns
        self.read_up_to = 0
        self.closed = False

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.primary], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self.primary, 65536).decode("utf-8", errors="replace")
        except OSError:  # EIO: the program and everything it started have closed the terminal
            chunk = ""
        if not chunk:
            self.closed = True
            return
        self.transcript.write(chunk)
        self.transcript.flush()
        self.screen += ESCAPE_SEQUENCE.sub("", chunk).replace("\r", "")

    def expect(self, text: str, timeout: float = 120) -> str:
        """Wait until `text` is shown; return what was shown from the last expect up to and including it."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.screen.find(text, self.read_up_to)
            if found >= 0:
                shown = self.screen[self.read_up_to:found + len(text)]
                self.read_up_to = found + len(text)
                return shown
            if self.closed or time.monotonic() > deadline:
                when = "before the program ended" if self.closed else f"within {timeout:.0f}s"
                raise TerminalTimeout(f"{text!r} not shown {when}; shown since the last match:\n"
                                      f"{self.screen[self.read_up_to:][-3000:]}")
            self._read(min(1.0, max(0.0, deadline - time.monotonic())))

    def type(self, line: str) -> None:
        os.write(self.primary, line.encode() + b"\r")

    def wait(self, timeout: float = 60) -> int:
        """Read until the program ends; its exit status."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self._read(1.0)
        return self.process.wait(timeout=max(1.0, deadline - time.monotonic()))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        os.close(self.primary)
        self.transcript.close()
