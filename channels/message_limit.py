"""The longest message the bot takes, on every channel, and what it says instead of taking a longer one.

| variable | default |
| --- | --- |
| CX_MAX_MESSAGE_CHARS | 20000: a longer message gets `utter_message_too_long` (domain.yml), nothing else |

A message over the limit never reaches Rasa's NLU, the tracker or the action server: the channel answers it at once,
so nothing is dropped silently and one huge message cannot hold up other users or fill the conversation store. Below
the limit a message is taken whole (the NLU reads only its start: components/capped_tokenizer.py), and the coach
scores up to CX_COACH_MAX_SCORED_CHARS of it. Slack's own maximum is 40,000 characters.
"""

import os
from typing import Optional

from channels.replies import channel_reply

DEFAULT_MAX_MESSAGE_CHARS = 20000


def max_message_chars() -> int:
    raw = os.environ.get("CX_MAX_MESSAGE_CHARS") or str(DEFAULT_MAX_MESSAGE_CHARS)
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"CX_MAX_MESSAGE_CHARS must be a positive whole number of characters, not {raw!r}")
    return int(raw)


def too_long_reply(text: Optional[str]) -> Optional[str]:
    """The reply to a message over the limit, or None when the message may go on."""
    limit = max_message_chars()
    if not isinstance(text, str) or len(text) <= limit:
        return None
    return channel_reply("utter_message_too_long", chars=f"{len(text):,}", limit=f"{limit:,}")
