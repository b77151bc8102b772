"""make loadtest's integrity check: first on conversations made up to hold each fault it must count, then ten
candidates doing whole interviews at once against the real servers, which must lose, double and mix nothing.
Speed is not checked here: the figures are make loadtest's to print."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.loadtest import Candidate, answer_text, check_conversations
from harness.servers import rasa_under_test

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _candidate(index: int) -> Candidate:
    candidate = Candidate(index, f"lt-test-c{index}", "http://unused", questions=2, deadline=0)
    candidate.answers = {1: answer_text(index, 1, candidate.tag), 2: answer_text(index, 2, candidate.tag)}
    candidate.sent = ["hi", "mid", "2", candidate.answers[1], "next", candidate.answers[2]]
    return candidate


def _conversation(candidate: Candidate, answers=None, feedback=(1, 2)):
    """The events a correct run leaves: every message logged once, one feedback per answer, the results slot."""
    answers = answers or candidate.answers
    events = [{"event": "user", "text": text} for text in candidate.sent]
    events += [{"event": "bot", "data": {"custom": {"kind": "answer_feedback", "question": {"number": number}}}}
               for number in feedback]
    results = [{"number": number, "status": "answered", "answer": text} for number, text in answers.items()]
    events += [{"event": "slot", "name": "interview_results", "value": results[:1]},
               {"event": "slot", "name": "interview_results", "value": results},
               {"event": "slot", "name": "interview_results", "value": None}]
    return events


def test_a_clean_run_has_nothing_to_report():
    first, second = _candidate(0), _candidate(1)
    found = check_conversations([first, second], {first.sender: _conversation(first),
                                                  second.sender: _conversation(second)})
    assert (found.lost, found.duplicated, found.cross_talk) == (0, 0, 0), found.details


def test_lost_duplicated_and_crossed_answers_are_counted():
    first, second = _candidate(0), _candidate(1)
    # First: answer 2 never recorded nor given feedback, and its message logged twice.
    lost = _conversation(first, answers={1: first.answers[1]}, feedback=(1,))
    lost.append({"event": "user", "text": "hi"})
    # Second: answer 1 recorded with the first candidate's text.
    crossed = _conversation(second, answers={1: first.answers[1], 2: second.answers[2]})
    found = check_conversations([first, second], {first.sender: lost, second.sender: crossed})
    assert found.lost == 2  # not in the results, no feedback
    assert found.duplicated == 1  # "hi" logged twice
    assert found.cross_talk == 2  # another's answer text, and its reference tag, in the second conversation


def test_a_message_resent_after_an_error_may_be_logged_once_more_and_no_more():
    candidate = _candidate(0)
    candidate.resent[candidate.answers[1]] = 1  # the first try got a 502, the candidate sent it again
    taken_twice = _conversation(candidate)
    taken_twice.insert(4, {"event": "user", "text": candidate.answers[1]})  # both tries reached Rasa
    assert check_conversations([candidate], {candidate.sender: taken_twice}).duplicated == 0
    taken_three_times = taken_twice + [{"event": "user", "text": candidate.answers[1]}]
    assert check_conversations([candidate], {candidate.sender: taken_three_times}).duplicated == 1


def test_a_conversation_missing_from_the_store_counts_every_message_lost():
    candidate = _candidate(0)
    found = check_conversations([candidate], {})
    assert found.lost == len(candidate.sent) + 2 * len(candidate.answers)


@pytest.mark.e2e
def test_ten_candidates_at_once_lose_double_and_mix_nothing(tmp_path):
    rasa_bin, model = rasa_under_test()
    rasa_python = os.environ.get("RASA_PYTHON") or str(Path(rasa_bin).parent / "python")
    figures = tmp_path / "loadtest.json"
    finished = subprocess.run(
        [rasa_python, "-m", "bench.loadtest", "--candidates", "10", "--questions", "2", "--no-plain-bot",
         "--time-limit", "300", "--json", str(figures)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_MODEL": model, "RASA_BIN": rasa_bin, "ACTIONS_PYTHON": sys.executable},
        capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    (load,) = json.loads(figures.read_text())["loads"]
    assert load["coach"]["unfinished"] == 0
    assert load["coach"]["turns"] >= 10 * 5  # hi, level, count and two answers each, at least
    assert (load["integrity"]["lost"], load["integrity"]["duplicated"], load["integrity"]["cross_talk"]) == (0, 0, 0)
