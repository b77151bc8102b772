"""End to end: `make shell` in a pseudo-terminal, typed into as a newcomer would, with the real action server and
Rasa server on the trained model (RASA_MODEL) and free ports.

What it guards: a word typed at the level question is taken as that level, a number picks the numbered option, a
number at the count question means that many questions, and a free-text reply at a follow-up is taken as the answer
(under `rasa shell` the buttons were an arrow-key menu that turned all of these into another choice). Also that the
start-up shows our own lines, not other libraries' warnings.
"""

import os

import pytest

from harness.servers import free_port, rasa_under_test
from harness.terminal import Terminal

pytestmark = pytest.mark.e2e

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = "You: "


@pytest.fixture
def shell(tmp_path):
    _, model = rasa_under_test()
    env = {**os.environ, "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()), "RASA_MODEL": model,
           "TRACKER_DB": str(tmp_path / "tracker.db"), "SCREEN_DB": str(tmp_path / "screens.db"),
           "LOG_DIR": str(tmp_path / "logs"), "TERM": "xterm-256color"}
    terminal = Terminal(["make", "shell"], PROJECT_ROOT, env, tmp_path / "terminal.txt")
    try:
        yield terminal
    finally:
        terminal.stop()


def say(shell: Terminal, line: str) -> str:
    """Type a line; what the bot shows before the next prompt."""
    shell.type(line)
    return shell.expect(PROMPT, timeout=180)


def test_make_shell_takes_words_numbers_and_free_text_as_typed(shell):
    start_up = shell.expect(PROMPT, timeout=420)
    assert "CX Interview Coach is running" in start_up
    assert "Warning" not in start_up  # pkg_resources, distutils, jax, pyparsing, SQLAlchemy stay in the logs

    greeting = say(shell, "hi")
    assert "Which level are you preparing for?" in greeting
    assert "1. Junior (0-2 years)" in greeting and "3. Senior (5+ years)" in greeting

    count_question = say(shell, "junior")
    assert "How many questions would you like?" in count_question
    assert "Options: 3, 5, " in count_question  # the options are numbers themselves, so they are not numbered

    first = say(shell, "3")  # three questions, not the third option (10)
    assert "3 questions at junior level" in first
    assert "Question 1 of 3" in first

    feedback = say(shell, "Customers told us the returns page was confusing, so I rewrote it with them.")
    assert "Score for this answer:" in feedback
    assert "Follow-up on question 1 of 3:" in feedback
    assert "1. Move on" in feedback

    # Free text at the follow-up is the answer, not "Move on".
    after_follow_up = say(shell, "I asked five customers to try the new page while I watched, and complaints about "
                                 "returns fell from 40 to 12 a week over the next month.")
    assert "After your follow-up:" in after_follow_up
    assert "Your first answer to question 1 keeps its score" not in after_follow_up
    assert "Question 2 of 3" in after_follow_up

    # At the level question, the number of an option picks it; at the count question, a number means itself.
    restarted = say(shell, "start over")
    assert "Which level are you preparing for?" in restarted
    assert "How many questions would you like?" in say(shell, "1")
    assert "2 questions at junior level" in say(shell, "2")

    shell.type("/stop")
    assert shell.wait(timeout=90) == 0
    assert "The Rasa server stopped" in shell.screen
