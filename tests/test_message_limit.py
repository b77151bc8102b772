"""How long a message may be: the channels' hard limit (channels/message_limit.py), and the NLU tokenizer that reads
only the start of a message (components/capped_tokenizer.py, run in the Rasa environment through RASA_PYTHON)."""

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from channels.message_limit import DEFAULT_MAX_MESSAGE_CHARS, max_message_chars, too_long_reply

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_a_message_up_to_the_limit_goes_on_and_a_longer_one_gets_a_plain_reply(monkeypatch):
    monkeypatch.delenv("CX_MAX_MESSAGE_CHARS", raising=False)
    assert max_message_chars() == DEFAULT_MAX_MESSAGE_CHARS == 20000
    assert too_long_reply("x" * 20000) is None and too_long_reply("short") is None and too_long_reply(None) is None
    reply = too_long_reply("x" * 40000)
    assert "40,000 characters" in reply and "20,000" in reply and "{" not in reply
    monkeypatch.setenv("CX_MAX_MESSAGE_CHARS", "100")
    assert too_long_reply("x" * 101) and too_long_reply("x" * 100) is None
    for wrong in ("0", "-5", "lots"):
        monkeypatch.setenv("CX_MAX_MESSAGE_CHARS", wrong)
        with pytest.raises(ValueError, match="CX_MAX_MESSAGE_CHARS"):
            max_message_chars()


def test_every_channel_the_bot_listens_on_has_the_limit():
    for name in ("credentials.yml", "credentials.slack.yml"):
        channels = yaml.safe_load((PROJECT_ROOT / name).read_text())
        assert "rest" not in channels and "channels.rest.LimitedRestInput" in channels, name
    assert "channels.slack.RecruiterSlackInput" in yaml.safe_load((PROJECT_ROOT / "credentials.slack.yml").read_text())


def test_the_nlu_pipeline_tokenizes_with_the_capped_tokenizer():
    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]
    assert pipeline[0]["name"] == "components.capped_tokenizer.CappedWhitespaceTokenizer"
    assert not any(step["name"] == "WhitespaceTokenizer" for step in pipeline)


TOKENIZE = """
import json, sys
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from components.capped_tokenizer import CappedWhitespaceTokenizer

capped = CappedWhitespaceTokenizer({**CappedWhitespaceTokenizer.get_default_config(), "max_chars": 2000})
plain = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
long_text = "I listened to the customer and fixed the courier hand-over. " * 700
short = "skip this question please"
tokens = capped.tokenize(Message(data={"text": long_text}), "text")
message = Message(data={"text": long_text})
capped.process([message])
print(json.dumps({
    "long_tokens": len(tokens), "last_end": tokens[-1].end, "text_kept": message.get("text") == long_text,
    "short_same": [t.text for t in capped.tokenize(Message(data={"text": short}), "text")]
                  == [t.text for t in plain.tokenize(Message(data={"text": short}), "text")],
    "uncapped_tokens": len(plain.tokenize(Message(data={"text": long_text}), "text")),
}))
"""


def test_the_nlu_reads_only_the_start_of_a_long_message_and_keeps_the_message_whole():
    rasa_python = os.environ.get("RASA_PYTHON")
    if not rasa_python:
        message = "needs RASA_PYTHON, the Rasa environment's python (run it through `make test`)"
        if os.environ.get("CX_REQUIRE_E2E"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([rasa_python, "-c", TOKENIZE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["last_end"] <= 2000 and result["long_tokens"] < 400 < result["uncapped_tokens"]
    assert result["text_kept"] and result["short_same"]
