"""What the channels say themselves, read from domain.yml's responses (with the bot's other replies): the messages
they answer never reach Rasa's dialogue (too long, or the action server away), so they fill the text in here."""

import functools
from pathlib import Path
from typing import Dict, List, Optional

import yaml

_DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"


@functools.lru_cache(maxsize=1)
def _responses() -> Dict[str, List[Dict]]:
    return yaml.safe_load(_DOMAIN.read_text(encoding="utf-8"))["responses"]


def channel_reply(name: str, channel: Optional[str] = None, **values: str) -> str:
    """The response's text for this input channel (a variant marked `channel: <name>`, else the one without), with
    {placeholders} filled in."""
    variants = _responses()[name]
    chosen = next((variant for variant in variants if variant.get("channel") == channel), None)
    chosen = chosen or next(variant for variant in variants if "channel" not in variant)
    return chosen["text"].format(**values)
