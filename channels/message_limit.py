"""The longest message the bot takes, on every channel, and what it says instead of taking a longer one.

| variable | default |
| --- | --- |
| CX_MAX_MESSAGE_CHARS | 20000: a longer message gets `utter_message_too_long` (domain.yml), nothing else |

A message over the limit never reaches Rasa's NLU, the tracker or the action server: the channel answers it at once,
so nothing is dropped silently and one huge message cannot hold up other users or fill the conversation store. Below
the limit a message is taken whole (the NLU reads only its start: components/capped_tokenizer.py), and the coach
scores up to CX_COACH_MAX_SCORED_CHARS of it. Slack's own maximum is 40,000 characters.
"""

import functools
import os
from pathlib import Path
from typing import Optional

import yaml

DEFAULT_MAX_MESSAGE_CHARS = 20000
_DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"


def max_message_chars() -> int:
    raw = os.environ.get("CX_MAX_MESSAGE_CHARS") or str(DEFAULT_MAX_MESSAGE_CHARS)
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"CX_MAX_MESSAGE_CHARS must be a positive whole number of characters, not {raw!r}")
    return int(raw)


@functools.lru_cache(maxsize=1)
def _reply_template() -> str:
    # The wording lives with the bot's other replies; the channel fills it in itself because the message never
    # reaches Rasa's dialogue.
    return yaml.safe_load(_DOMAIN.read_text(encoding="utf-8"))["responses"]["utter_message_too_long"][0]["text"]


def too_long_reply(text: Optional[str]) -> Optional[str]:
    """The reply to a message over the limit, or None when the message may go on."""
    limit = max_message_chars()
    if not isinstance(text, str) or len(text) <= limit:
        return None
    return _reply_template().format(chars=f"{len(text):,}", limit=f"{limit:,}")
