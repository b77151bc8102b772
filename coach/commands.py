"""Telling requests to the coach from answers while a question is open.

The NLU (data/nlu_interview.yml) gives each message an intent and a confidence. A message may be a request only when
its intent belongs to a command, the NLU is confident enough and the message is short; every other message is the
candidate's answer. A request is carried out at once only when the NLU is sure of it and it is a few words long;
otherwise the candidate is asked first, with one tap to answer, so nothing typed as an answer is ever lost. So is one
word that might be the answer itself ("Stop."). A button payload ("/skip_question") is read by its intent alone and is
never an answer. The numbers are in content/commands.yml.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Optional

from coach.content_files import read_yaml, top_level, unique_ids

COMMAND_IDS = ("repeat", "hint", "skip", "stop", "restart", "help", "undo")
_PAYLOAD = re.compile(r"^/\w+(\{.*\})?$", re.DOTALL)


@dataclass(frozen=True)
class Parse:
    """What the NLU made of a message: its most likely intent (other than nlu_fallback) and that intent's confidence."""

    text: str
    intent: Optional[str] = None
    confidence: float = 0.0

    @property
    def is_payload(self) -> bool:
        """A button's payload such as /affirm, which Rasa reads as that intent without the NLU."""
        return bool(_PAYLOAD.match(self.text.strip()))

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Command:
    id: str
    intents: FrozenSet[str]
    label: str  # what the coach would do, as in "should I {label}?"
    may_be_an_answer: bool  # its one-word form might be an answer ("Stop."), so it is checked first


@dataclass(frozen=True)
class Reading:
    """How a message reads while a question is open."""

    kind: str  # "answer"; "command" (carry it out); "check" (ask first); "stale" (a payload meant for another moment)
    command: Optional[Command] = None


@dataclass(frozen=True)
class CommandReader:
    commands: Dict[str, Command]
    min_confidence: float
    sure_confidence: float
    max_words_at_once: int
    max_request_words: int
    yes_intent: str
    no_intent: str

    def read(self, parse: Parse) -> Reading:
        command = self._command_for(parse.intent)
        if parse.is_payload:
            return Reading("command", command) if command else Reading("stale")
        if command is None or not self._is_request(parse):
            return Reading("answer")
        sure = parse.confidence >= self.sure_confidence and parse.words <= self.max_words_at_once
        if sure and not (command.may_be_an_answer and parse.words == 1):
            return Reading("command", command)
        return Reading("check", command)

    def confirmation(self, parse: Parse) -> Optional[bool]:
        """A reply to the coach's check: True for yes (do it), False for no (it is my answer), None for neither."""
        if not (parse.is_payload or self._is_request(parse)):
            return None
        return {self.yes_intent: True, self.no_intent: False}.get(parse.intent)

    def by_id(self, command_id: str) -> Command:
        return self.commands[command_id]

    def _is_request(self, parse: Parse) -> bool:
        return parse.confidence >= self.min_confidence and parse.words <= self.max_request_words

    def _command_for(self, intent: Optional[str]) -> Optional[Command]:
        return next((command for command in self.commands.values() if intent in command.intents), None)


def load_commands(path: Path) -> CommandReader:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("min_confidence", "sure_confidence", "max_words_at_once",
                                             "max_request_words", "yes_intent", "no_intent", "commands"))
    records = root.records("commands", ("id", "intents", "label", "may_be_an_answer"))
    unique_ids(path, records, "command")
    commands = {}
    for record in records:
        command = Command(id=record.choice("id", COMMAND_IDS), intents=frozenset(record.texts("intents")),
                          label=record.text("label"), may_be_an_answer=record.flag("may_be_an_answer"))
        commands[command.id] = command
    missing = set(COMMAND_IDS) - set(commands)
    if missing:
        raise root.error("commands", f"must define every command; missing: {', '.join(sorted(missing))}")
    intents = [intent for command in commands.values() for intent in command.intents]
    if len(intents) != len(set(intents)):
        raise root.error("commands", "an intent may belong to one command only")
    min_confidence, sure_confidence = root.number("min_confidence"), root.number("sure_confidence")
    if not 0 < min_confidence <= sure_confidence <= 1:
        raise root.error("sure_confidence", "needs 0 < min_confidence <= sure_confidence <= 1")
    max_words_at_once, max_words = root.number("max_words_at_once"), root.number("max_request_words")
    if not 1 <= max_words_at_once <= max_words or max_words != int(max_words) or max_words_at_once != int(
            max_words_at_once):
        raise root.error("max_request_words", "needs whole numbers, 1 <= max_words_at_once <= max_request_words")
    yes_intent, no_intent = root.text("yes_intent"), root.text("no_intent")
    if {yes_intent, no_intent} & set(intents) or yes_intent == no_intent:
        raise root.error("no_intent", "the intents of yes and no must differ from each other and from the commands'")
    return CommandReader(commands, min_confidence, sure_confidence, int(max_words_at_once), int(max_words), yes_intent,
                         no_intent)
