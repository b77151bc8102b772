"""channels/action_server.py's changes to Rasa's RemoteAction, checked inside the Rasa environment (RASA_PYTHON, as
`make test` sets it): the reply check still refuses what Rasa's schema refuses, with the same error and Rasa's hint,
from validators built once, and checking each event by the branch it names decides as the whole schema does; and
which failures count as the action server being away (the end-to-end test of a crash is tests/test_e2e_faults.py)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CHECKS = r'''
import json
import aiohttp, jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError
import channels.action_server as link

action = RemoteAction("action_anything", None)
good = {"events": [{"event": "slot", "name": "answer", "value": None}, {"event": "bot", "text": "Hi"}],
        "responses": [{"text": "Hello"}]}
bad = {"events": [{"event": "slot", "name": "answer", "timestamp": "yesterday"}], "responses": "Hello"}
accepted = [action._validate_action_result(good) for _ in range(3)]
try:
    action._validate_action_result(bad)
    refused = None
except jsonschema.ValidationError as error:
    refused = error.message
try:
    jsonschema.validate(bad, RemoteAction.action_response_format_spec())
except jsonschema.ValidationError as error:
    rasa_would_say = error.message

def failure(cause, chained):
    try:
        try:
            raise cause
        except Exception as error:
            if chained:
                raise RasaException("failed") from error
            raise RasaException("failed")
    except RasaException as error:
        return link._unreachable(error)

replies = [good, bad, {}, {"events": []}, {"events": "x"}, {"events": [{"event": "nope"}]},
           {"events": [{"event": "slot", "value": 1}]}, {"events": [{"event": "slot", "name": 3, "value": 1}]},
           {"events": [{"event": "user", "text": 5}]}, {"events": [{"event": "action", "confidence": "high"}]},
           {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_x"}]},
           {"events": [{"event": 5}]}, {"events": [{"name": "answer"}]}, {"responses": [1]}, [], "text"]
whole = link._response_validator()
print(json.dumps({
    "branches": len(link._validators_by_event()[1]),
    "by_event_vs_whole": [[link._valid_by_event(reply), whole.is_valid(reply)] for reply in replies],
    "accepted": accepted, "refused": refused, "rasa_would_say": rasa_would_say,
    "validators_built": link._response_validator.cache_info().misses,
    "refused_connection": failure(aiohttp.ClientConnectionError("refused"), chained=False),
    "proxy_502": failure(ClientResponseError(502, "Bad Gateway", "down"), chained=True),
    "action_500": failure(ClientResponseError(500, "Internal Server Error", "bug"), chained=True),
    "no_cause": failure(ValueError("other"), chained=False),
}))
'''


@pytest.fixture(scope="module")
def checked():
    rasa_python = os.environ.get("RASA_PYTHON")
    if not rasa_python:
        if os.environ.get("CX_REQUIRE_E2E"):
            pytest.fail("needs RASA_PYTHON (run it through `make test`)")
        pytest.skip("needs RASA_PYTHON (run it through `make test`)")
    finished = subprocess.run([rasa_python, "-c", CHECKS], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_replies_are_checked_against_rasas_schema_by_a_validator_built_once(checked):
    assert checked["accepted"] == [True, True, True]
    assert checked["validators_built"] == 1
    # The same error jsonschema.validate() gives, with Rasa's pointer to the format appended.
    assert checked["refused"].startswith(checked["rasa_would_say"])
    assert "Failed to validate Action server response from API" in checked["refused"]


def test_each_event_checked_against_the_branch_it_names_decides_as_the_whole_schema_does(checked):
    assert checked["branches"] == 23  # Rasa 3.6.21's event schema, recognised
    decisions = checked["by_event_vs_whole"]
    assert decisions[0] == [True, True] and decisions[1] == [False, False]
    # The same decision on every reply, valid (4 of them) or not; anything the shortcut refuses goes through the whole
    # schema anyway, for jsonschema's own error.
    assert all(by_event == whole for by_event, whole in decisions)
    assert sum(whole for _, whole in decisions) == 4


def test_only_an_unreachable_action_server_counts_as_away(checked):
    assert checked["refused_connection"] is True
    assert checked["proxy_502"] is True
    assert checked["action_500"] is False  # a bug in an action is not a restart to wait for
    assert checked["no_cause"] is False
