"""The wording of a reply a channel sends itself, read from domain.yml, where the bot's other replies live.

A channel answers a few messages without Rasa's dialogue (one too long to take, one no store could take), so it
fills in the response's text on its own.
"""

import functools
from pathlib import Path

import yaml

_DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"


@functools.lru_cache(maxsize=None)
def domain_text(response: str) -> str:
    """The first text variant of `response` in domain.yml."""
    return yaml.safe_load(_DOMAIN.read_text(encoding="utf-8"))["responses"][response][0]["text"]
