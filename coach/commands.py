"""Telling commands from answers while a question is open.

The rule is deliberately narrow: a message is a command only when the whole message is a known command phrase (or a
button payload). A message that is one bare command word ("skip", "stop") might be a command or a very short answer,
so the coach asks. Anything else is the candidate's answer, even when it starts with a command word.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

from coach.content_files import ContentError, read_yaml, top_level, unique_ids

COMMAND_IDS = ("repeat", "hint", "skip", "stop", "restart", "help", "retry")
_NOT_WORD = re.compile(r"[^\w\s']+")


@dataclass(frozen=True)
class Command:
    id: str
    intent: str
    label: str
    words: FrozenSet[str]
    phrases: FrozenSet[str]


@dataclass(frozen=True)
class Reading:
    """How a message reads while a question is open: an answer, a clear command, or a word to confirm."""

    kind: str  # "answer", "command" or "ambiguous"
    command: Optional[Command] = None


class CommandReader:
    def __init__(self, commands: List[Command], courtesy_words: FrozenSet[str]):
        self.commands = {command.id: command for command in commands}
        self.courtesy_words = courtesy_words
        self._by_intent = {command.intent: command for command in commands}
        self._phrases: Dict[str, Command] = {}
        self._words: Dict[str, Command] = {}
        for command in commands:
            for word in command.words:
                self._words[self.normalise(word)] = command
        for command in commands:
            for phrase in command.phrases:
                self._phrases[self.normalise(phrase)] = command

    def normalise(self, text: str) -> str:
        words = _NOT_WORD.sub(" ", text.lower()).replace("'", "").split()
        return " ".join(word for word in words if word not in self.courtesy_words)

    def read(self, text: str, intent: Optional[str] = None) -> Reading:
        """Read a message typed (or clicked) while a question is open."""
        stripped = (text or "").strip()
        if stripped.startswith("/") and intent in self._by_intent:
            return Reading("command", self._by_intent[intent])  # a button payload such as /skip_question
        normalised = self.normalise(stripped)
        if normalised in self._phrases:
            return Reading("command", self._phrases[normalised])
        if normalised in self._words:
            return Reading("ambiguous", self._words[normalised])
        return Reading("answer")

    def by_id(self, command_id: str) -> Command:
        return self.commands[command_id]


def load_commands(path: Path) -> CommandReader:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("courtesy_words", "commands"))
    courtesy = frozenset(word.lower().replace("'", "") for word in root.texts("courtesy_words"))
    records = root.records("commands", ("id", "intent", "label", "words", "phrases"))
    unique_ids(path, records, "command")
    commands = []
    for record in records:
        commands.append(Command(
            id=record.choice("id", COMMAND_IDS),
            intent=record.text("intent"),
            label=record.text("label"),
            words=frozenset(record.texts("words")),
            phrases=frozenset(record.texts("phrases")),
        ))
    missing = set(COMMAND_IDS) - {command.id for command in commands}
    if missing:
        raise root.error("commands", f"must define every command; missing: {', '.join(sorted(missing))}")
    reader = CommandReader(commands, courtesy)
    # A phrase that shrinks to nothing, or to a bare command word, would turn that word into a command without the
    # confirmation a one-word answer deserves.
    for command in commands:
        for phrase in command.phrases:
            normalised = reader.normalise(phrase)
            if not normalised or normalised in reader._words:
                raise ContentError(path, f"phrase '{phrase}' reads as '{normalised}' once courtesy words are dropped; "
                                         "a phrase needs more than a bare command word", command.id, "phrases")
    return reader
