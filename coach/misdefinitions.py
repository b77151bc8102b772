"""Confident misdefinitions of CX concepts ("NPS measures how fast we close tickets") and other meanings of a
concept's name (the National Park Service is not NPS).

A sentence that names a concept and then says what it is ("NPS is...", "CES, which measures...", "FCR means...") is
compared by embedding with the concept's correct definitions and with its known misconceptions
(content/cx_concepts.yml). When it is close to a misconception and clearly closer to it than to any correct
definition, it is a misdefinition: it earns no credit for any criterion, the concept does not count as used, and the
feedback corrects it in one line. Numbers: content/scoring.yml `concepts`.
"""

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence

from coach.cx_concepts import CxConcept

# Right after the concept's name (an aside in brackets or between commas, "which", an adverb may come between), a verb
# that says what it is: "NPS is", "CES, the Customer Engagement Score, which is", "FCR basically means", "CSAT =".
_DEFINES = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,60},\s*)?(?:,\s*)?(?:which\s+|that\s+)?(?:is\s+|are\s+)?"
                      r"(?:basically\s+|simply\s+|just\s+|really\s+|actually\s+|only\s+|mainly\s+|mostly\s+)?"
                      r"(?:is|are|means?|meant|measures?|tells?|stands?\s+for|refers?\s+to|calculated?|calculates|"
                      r"shows?|tracks?|=|:)(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Misdefinition:
    concept: CxConcept
    sentence: str
    index: int  # the sentence's position in the answer


class MisdefinitionCheck:
    def __init__(self, concepts: Sequence[CxConcept], embedder, floor: float, margin: float):
        self.all_concepts = list(concepts)
        self.concepts = [concept for concept in concepts if concept.misconceptions]
        self.embedder = embedder
        self.floor = floor
        self.margin = margin
        for concept in self.concepts:  # warm the vector cache at start-up, not on the first answer
            embedder.encode_cached(self._wrong(concept))
            embedder.encode_cached(self._correct(concept))

    @staticmethod
    def _wrong(concept: CxConcept) -> List[str]:
        return [predicate(concept, text) for text in concept.misconceptions]

    @staticmethod
    def _correct(concept: CxConcept) -> List[str]:
        return [predicate(concept, text) for text in (*concept.definitions, *concept.descriptions, concept.meaning)]

    def find(self, sentences: Sequence[str], negated: Sequence[bool]) -> List[Misdefinition]:
        """The sentences that misdefine a concept (a negated sentence defines nothing)."""
        found = []
        for concept in self.concepts:
            for index, sentence in enumerate(sentences):
                definition = None if negated[index] else self.definition(concept, sentence)
                if definition is None:
                    continue
                vector = self.embedder.encode([predicate(concept, definition)])[0]
                wrong = float((self.embedder.encode_cached(self._wrong(concept)) @ vector).max())
                right = float((self.embedder.encode_cached(self._correct(concept)) @ vector).max())
                if wrong >= self.floor and wrong - right >= self.margin:
                    found.append(Misdefinition(concept, sentence, index))
        return found


    def definition(self, concept: CxConcept, sentence: str) -> Optional[str]:
        """Where the sentence names the concept and goes on to say what it is, that part of it: from the name to the
        next concept named ("NPS shows loyalty, CSAT how satisfied...": each definition is judged on its own)."""
        for match in concept.name_matches(sentence):
            if _DEFINES.search(sentence[match.end():]):
                others = [other.start() for c in self.all_concepts if c is not concept
                          for other in c.name_matches(sentence) if other.start() > match.end()]
                return sentence[match.start(): min(others, default=len(sentence))].rstrip(" ,;")
        return None


def predicate(concept: CxConcept, text: str) -> str:
    """What a text says the concept is, without the concept's own name: the name alone dominates an embedding, so
    "Net Promoter Score tells us..." would otherwise look like every other sentence that starts with it."""
    for match in reversed(concept.name_matches(text)):
        text = text[: match.start()] + text[match.end():]
    return " ".join(re.sub(r"\(\s*\)", " ", text).split())
