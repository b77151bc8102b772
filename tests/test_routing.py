"""Which conversation a request belongs to, as nginx reads it to keep each conversation on one Rasa server
(the `map $request_body $conversation` of deploy/nginx/cx-coach.conf, and the same map for Kubernetes' ingress in
deploy/helm/ingress-nginx-values.yml). The map's regular expressions are run here with Python's re, which reads them
as PCRE does; make test-cluster runs them in nginx itself."""

import json
import re
import urllib.parse
from pathlib import Path
from typing import List, Optional, Tuple

import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAP_START = "map $request_body $conversation {"


def map_entries(text: str) -> List[Tuple[str, str]]:
    """The map's lines (pattern as nginx reads it, value), in order, from a config text."""
    body = text[text.index(MAP_START) + len(MAP_START):]
    body = body[:body.index("}\n")]
    entries = []
    for line in body.strip().splitlines():
        match = re.fullmatch(r'\s*(?:"((?:[^"\\]|\\.)*)"|(default))\s+(\$\w+);\s*', line)
        assert match, f"not a map line: {line!r}"
        pattern = re.sub(r'\\(["\\])', r"\1", match.group(1)) if match.group(1) else "default"  # nginx unescapes
        entries.append((pattern, match.group(3)))
    return entries


NGINX_MAP = map_entries((PROJECT_ROOT / "deploy" / "nginx" / "cx-coach.conf").read_text())


def conversation(body: str) -> Optional[str]:
    """The key nginx hashes for this body; None where it falls back to $request_id (any server)."""
    for pattern, value in NGINX_MAP:
        if pattern == "default":
            return None
        flags = re.IGNORECASE if pattern.startswith("~*") else 0
        found = re.search(pattern.lstrip("~*").replace("(?<", "(?P<"), body, flags | re.DOTALL)
        if found:
            assert value == "$id"
            return found.group("id")
    return None


def slack_click(user: str) -> str:
    payload = {"type": "block_actions", "user": {"id": user, "username": "x"}, "container": {"message_ts": "1.2"},
               "actions": [{"value": "start", "text": {"text": "\"user\": {\"id\": \"U0OTHER\"}"}}]}
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize("body, expected", [
    (json.dumps({"sender": "anna", "message": "hi"}), "anna"),
    (json.dumps({"message": "I manage NPS", "sender": "ben"}), "ben"),
    # A message that holds the words of another sender field cannot move the conversation: quotes inside a JSON
    # string are escaped.
    (json.dumps({"message": 'my "sender": "zed" answer', "sender": "cleo"}), "cleo"),
    (json.dumps({"metadata": {"user": "U0META"}, "sender": "dan"}), "dan"),
    (json.dumps({"sender": 'e"v', "message": "m"}), 'e\\"v'),
    (json.dumps({"sender": "émile-✓", "message": "m"}, ensure_ascii=False), "émile-✓"),
    (json.dumps({"token": "t", "team_id": "T1", "event": {"type": "message", "user": "U0CAND",
                                                          "text": '"user": "U0OTHER"'}, "event_id": "Ev1"}), "U0CAND"),
    (slack_click("U0REC"), "U0REC"),
    (json.dumps({"message": "no sender"}), None),
    ("", None),
])
def test_the_conversation_nginx_hashes_on(body, expected):
    assert conversation(body) == expected


def test_a_long_message_still_routes_by_its_sender():
    body = json.dumps({"message": "word " * 4000 + '"sender": "x"', "sender": "long-sender"})
    assert len(body) > 20_000 and conversation(body) == "long-sender"


def test_kubernetes_ingress_reads_the_same_map():
    values = yaml.safe_load((PROJECT_ROOT / "deploy" / "helm" / "ingress-nginx-values.yml").read_text())
    assert map_entries(values["controller"]["config"]["http-snippet"]) == NGINX_MAP
    rasa = yaml.safe_load((PROJECT_ROOT / "deploy" / "helm" / "rasa-values.yml").read_text())
    assert rasa["ingress"]["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$conversation"
    assert rasa["applicationSettings"]["endpoints"]["trackerStore"]["type"] == \
        yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())["tracker_store"]["type"]
