"""Telling requests to the coach from answers while a question is open.

The NLU (data/nlu_interview.yml) ranks the intents a message may mean, each with a confidence. Leaving out the
intents that never apply to a candidate's message (a recruiter's commands), the share of that confidence that goes to
the commands' intents says how likely the message is a request at all: under `min_confidence`, or in a message longer
than `max_request_words`, it is the candidate's answer. A request is carried out at once only when the NLU itself is
sure of that one command and the message is a few words long; any other request is checked with the candidate first
(one tap either way), so nothing typed as an answer is lost. So is a single word that might be the answer itself
("Stop."). A button payload ("/skip_question") is read by its intent alone and is never an answer. The numbers are in
content/commands.yml.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Optional, Tuple

from coach.content_files import read_yaml, top_level, unique_ids

COMMAND_IDS = ("repeat", "hint", "skip", "stop", "restart", "help", "undo")
_PAYLOAD = re.compile(r"^/\w+(\{.*\})?$", re.DOTALL)


@dataclass(frozen=True)
class Parse:
    """What the NLU made of a message: the intents it may mean, most likely first, each with its confidence (Rasa's
    intent_ranking)."""

    text: str
    ranking: Tuple[Tuple[str, float], ...] = ()

    @property
    def is_payload(self) -> bool:
        """A button's payload such as /affirm, which Rasa reads as that intent without the NLU."""
        return bool(_PAYLOAD.match(self.text.strip()))

    @property
    def top_intent(self) -> Optional[str]:
        return self.ranking[0][0] if self.ranking else None

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
    ignored_intents: FrozenSet[str]
    min_confidence: float
    sure_confidence: float
    max_words_at_once: int
    max_request_words: int
    yes_intent: str
    no_intent: str

    def read(self, parse: Parse) -> Reading:
        if parse.is_payload:
            command = self._command_for(parse.top_intent)
            return Reading("command", command) if command else Reading("stale")
        shares: Dict[str, float] = {}
        for intent, share in self._shares(parse).items():
            command = self._command_for(intent)
            if command is not None:
                shares[command.id] = shares.get(command.id, 0.0) + share
        if parse.words > self.max_request_words or sum(shares.values()) < self.min_confidence:
            return Reading("answer")
        command = self.commands[max(shares, key=shares.get)]
        # Acting at once rests on the NLU's own confidence in this command, never on a share made larger by leaving
        # intents out: at worst, that share makes a check.
        confidence = max(confidence for intent, confidence in parse.ranking if intent in command.intents)
        one_word_answer = command.may_be_an_answer and parse.words == 1
        if confidence >= self.sure_confidence and parse.words <= self.max_words_at_once and not one_word_answer:
            return Reading("command", command)
        return Reading("check", command)

    def confirmation(self, parse: Parse) -> Optional[bool]:
        """A reply to the coach's check: True for yes (do it), False for no (it is my answer), None for neither."""
        if parse.is_payload:
            intent = parse.top_intent
        elif parse.words <= self.max_request_words:
            shares = self._shares(parse)
            intent = max(shares, key=shares.get) if shares else None
            if intent is not None and shares[intent] < self.min_confidence:
                intent = None
        else:
            intent = None
        return {self.yes_intent: True, self.no_intent: False}.get(intent)

    def by_id(self, command_id: str) -> Command:
        return self.commands[command_id]

    def _shares(self, parse: Parse) -> Dict[str, float]:
        """Each intent's share of the NLU's confidence, among the intents that can apply while a question is open."""
        kept = {intent: confidence for intent, confidence in parse.ranking if intent not in self.ignored_intents}
        total = sum(kept.values())
        return {intent: confidence / total for intent, confidence in kept.items()} if total > 0 else {}

    def _command_for(self, intent: Optional[str]) -> Optional[Command]:
        return next((command for command in self.commands.values() if intent in command.intents), None)


def load_commands(path: Path) -> CommandReader:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("ignored_intents", "min_confidence", "sure_confidence",
                                             "max_words_at_once", "max_request_words", "yes_intent", "no_intent",
                                             "commands"))
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
    ignored = frozenset(root.texts("ignored_intents"))
    yes_intent, no_intent = root.text("yes_intent"), root.text("no_intent")
    if ignored & (set(intents) | {yes_intent, no_intent}):
        raise root.error("ignored_intents", "must not hold the intent of a command, of yes or of no")
    if {yes_intent, no_intent} & set(intents) or yes_intent == no_intent:
        raise root.error("no_intent", "the intents of yes and no must differ from each other and from the commands'")
    min_confidence, sure_confidence = root.number("min_confidence"), root.number("sure_confidence")
    if not 0 < min_confidence <= sure_confidence <= 1:
        raise root.error("sure_confidence", "needs 0 < min_confidence <= sure_confidence <= 1")
    max_words_at_once, max_words = root.number("max_words_at_once"), root.number("max_request_words")
    if not 1 <= max_words_at_once <= max_words or max_words != int(max_words) or max_words_at_once != int(
            max_words_at_once):
        raise root.error("max_request_words", "needs whole numbers, 1 <= max_words_at_once <= max_request_words")
    return CommandReader(commands, ignored, min_confidence, sure_confidence, int(max_words_at_once), int(max_words),
                         yes_intent, no_intent)
