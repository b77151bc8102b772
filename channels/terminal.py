"""The terminal chat of `make shell`: a client of Rasa's REST channel that reads plain lines, as a person types them.

`rasa shell` turns a message's buttons into an arrow-key menu in which letters move the cursor, so "junior" typed at
the level question picked another level without a word, and a free-text answer at a follow-up went to "Move on".
Here buttons are printed as text and the line typed is sent as typed, except that
- a number picks the option with that number when the options are numbered, which they are unless an option is
  itself a number: at "How many questions?" (options 3, 5, 10) "3" means three questions, not the third option;
- an option's title typed in full ("Move on") sends that option's payload, as clicking it would.

Standard library only, no Rasa: run with any Python 3, `python -m channels.terminal --url http://127.0.0.1:5005`.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from typing import Dict, List, Optional, Sequence

EXIT_COMMAND = "/stop"
REPLY_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


def choices_of(message: Dict) -> List[Choice]:
    return [Choice(str(button.get("title", "")), str(button.get("payload", "")))
            for button in message.get("buttons") or []]


def numbered(choices: Sequence[Choice]) -> bool:
    """Options are numbered unless one of them is a number: then a typed number means itself."""
    return bool(choices) and not any(choice.title.strip().isdigit() for choice in choices)


def render(messages: Sequence[Dict]) -> str:
    """The bot's messages as the terminal shows them. Only the last message's options answer to numbers."""
    lines = []
    for position, message in enumerate(messages):
        if message.get("text"):
            lines.append(f"Coach: {message['text']}")
        if message.get("image"):
            lines.append(f"Image: {message['image']}")
        choices = choices_of(message)
        if not choices:
            continue
        if position == len(messages) - 1 and numbered(choices):
            lines.extend(f"   {number}. {choice.title}" for number, choice in enumerate(choices, start=1))
            lines.append("   (type a number, or write it your way)")
        else:
            lines.append(f"   Options: {', '.join(choice.title for choice in choices)} (or write it your way)")
    return "\n".join(lines)


def message_for(typed: str, messages: Sequence[Dict]) -> str:
    """What to send for the line typed, given the bot's last messages: a chosen option's payload, else the line."""
    text = typed.strip()
    choices = choices_of(messages[-1]) if messages else []
    for choice in choices:
        if text.casefold() == choice.title.strip().casefold():
            return choice.payload
    if numbered(choices) and text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].payload
    return text


def send(url: str, sender: str, message: str) -> List[Dict]:
    request = urllib.request.Request(f"{url.rstrip('/')}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT_SECONDS) as response:
        return json.load(response)


def chat(url: str, sender: str) -> int:
    try:
        import readline  # noqa: F401 (line editing and history for input())
    except ImportError:
        pass
    print(f'Type a message and press Enter, for example "hi". {EXIT_COMMAND} or Ctrl-D leaves.', flush=True)
    last: List[Dict] = []
    while True:
        try:
            typed = input("You: ")
        except EOFError:
            print()
            return 0
        if typed.strip() == EXIT_COMMAND:
            return 0
        if not typed.strip():
            continue
        try:
            replies = send(url, sender, message_for(typed, last))
        except urllib.error.HTTPError as error:
            if error.code != HTTPStatus.SERVICE_UNAVAILABLE:
                print(f"The Rasa server at {url} answered HTTP {error.code}. Its log says why.", file=sys.stderr)
                return 1
            # The message was not taken (no store answered, channels/not_taken.py): say so, and keep chatting.
            print(f"Coach: {json.load(error)['error']}", flush=True)
            continue
        except (urllib.error.URLError, OSError, ValueError) as error:
            print(f"The Rasa server at {url} did not answer ({error}). Its log says why.", file=sys.stderr)
            return 1
        # A number typed next refers to these replies' options, or to none when they have none.
        last = replies
        if replies:
            print(render(replies), flush=True)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    parser.add_argument("--sender", default=None, help="conversation id (default: a new one each time)")
    args = parser.parse_args(argv)
    try:
        return chat(args.url, args.sender or uuid.uuid4().hex)
    except KeyboardInterrupt:  # Ctrl-C while the bot is replying: leave quietly, as at the prompt
        print()
        return 0


if __name__ == "__main__":
    sys.exit(main())
