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
from typing import List, Optional, Sequence, Tuple

from coach.cx_concepts import CxConcept

# Right after the concept's name (an aside in brackets or between commas, "which", an adverb may come between), a verb
# that says what it is: "NPS is", "CES, the Customer Engagement Score, which is", "FCR basically means", "CSAT =".
_DEFINES = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,60},\s*)?(?:,\s*)?(?:which\s+|that\s+)?(?:is\s+|are\s+)?"
                      r"(?:basically\s+|simply\s+|just\s+|really\s+|actually\s+|only\s+|mainly\s+|mostly\s+)?"
                      r"(?:is|are|means?|meant|measures?|tells?|stands?\s+for|refers?\s+to|calculated?|calculates|"
                      r"shows?|tracks?|=|:)(?![\w-])", re.IGNORECASE)

# The words that end "VoC is just our", "CES is the", "eNPS is the same as": the concept named next is what the
# first one is said to be, part of its definition, not the start of a definition of its own.
_SAID_TO_BE = re.compile(r"(?<![\w-])(?:the|a|an|our|their|its|just|basically|simply|really|actually|as|for)\s+$",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Misdefinition:
    concept: CxConcept
    sentence: str
    index: int  # the sentence's position in the answer


@dataclass(frozen=True)
class DefinitionReading:
    misdefinitions: List[Misdefinition]
    defined_rightly: List[int]  # the positions of the sentences that define a concept correctly


class MisdefinitionCheck:
    def __init__(self, concepts: Sequence[CxConcept], embedder, floor: float, margin: float):
        self.all_concepts = list(concepts)
        self.embedder = embedder
        self.floor = floor
        self.margin = margin
        for concept in self.all_concepts:  # warm the vector cache at start-up, not on the first answer
            embedder.encode_cached(self._wrong(concept))
            embedder.encode_cached(self._correct(concept))

    @staticmethod
    def _wrong(concept: CxConcept) -> List[str]:
        return [predicate(concept, text) for text in concept.misconceptions]

    @staticmethod
    def _correct(concept: CxConcept) -> List[str]:
        return [predicate(concept, text) for text in (*concept.definitions, *concept.descriptions, concept.meaning)]

    def read(self, sentences: Sequence[str], negated: Sequence[bool]) -> DefinitionReading:
        """Every concept's definitions in the answer, each read once: the sentences that misdefine a concept, and
        those that define one rightly (a negated sentence defines nothing)."""
        misdefinitions: List[Misdefinition] = []
        rightly: List[int] = []
        for concept in self.all_concepts:
            for index, sentence in enumerate(sentences):
                if negated[index] or concept.other_meaning_in(sentence):
                    continue
                verdict = self._verdict(concept, sentence)
                if verdict == "wrong":
                    misdefinitions.append(Misdefinition(concept, sentence, index))
                elif verdict == "right" and index not in rightly:
                    rightly.append(index)
        return DefinitionReading(misdefinitions, sorted(rightly))

    def _verdict(self, concept: CxConcept, sentence: str) -> Optional[str]:
        """"wrong": the abbreviation spelled out wrongly, a score in the wrong band, or a definition of the concept
        that holds one of its wrong phrases ("NPS is basically the average of...") or is clearly closer to a
        misconception or a confused concept. "right": a definition clearly closer to the concept's own definitions;
        the statement model, which judges a sentence by its topic and tone alone, reads a right definition of NPS
        much like a wrong one, and this check knows better. None: the sentence does not say what the concept is."""
        if wrong_expansion(concept, sentence) or wrong_score_band(concept, sentence):
            return "wrong"
        definition = self.definition(concept, sentence)
        if definition is None:
            return None
        if any(pattern.search(definition) for pattern in concept.wrong_phrases):
            return "wrong"
        right, wrong = self._closeness(concept, definition)
        if concept.misconceptions and wrong >= self.floor and wrong - right >= self.margin:
            return "wrong"
        return "right" if right >= self.floor and right - wrong >= self.margin else None

    def _closeness(self, concept: CxConcept, definition: str) -> Tuple[float, float]:
        """How close a definition comes to the concept's correct definitions, and to its misconceptions or a
        confused concept's definitions."""
        vector = self.embedder.encode([predicate(concept, definition)])[0]
        right = float((self.embedder.encode_cached(self._correct(concept)) @ vector).max())
        wrong = max(float((self.embedder.encode_cached(self._wrong(concept)) @ vector).max())
                    if concept.misconceptions else 0.0, self._closest_other(concept, vector))
        return right, wrong

    def _closest_other(self, concept: CxConcept, vector) -> float:
        """How close a definition comes to another concept's correct definitions: saying that NPS is what CSAT is
        ("how satisfied a customer was with one interaction, 1 to 5") confuses the two."""
        others = [text for other in self.all_concepts if other.id in concept.confused_with
                  for text in self._correct(other)]
        return float((self.embedder.encode_cached(others) @ vector).max()) if others else 0.0

    def definition(self, concept: CxConcept, sentence: str) -> Optional[str]:
        """Where the sentence names the concept and goes on to say what it is, that part of it: from the name to the
        next concept named ("NPS shows loyalty, CSAT how satisfied...": each definition is judged on its own), unless
        that concept is what this one is said to be ("VoC is just our NPS survey", "CES is the average handle time")."""
        for match in concept.name_matches(sentence):
            if _DEFINES.search(sentence[match.end():]):
                others = [other.start() for c in self.all_concepts if c is not concept
                          for other in c.name_matches(sentence) if other.start() > match.end()
                          and not _SAID_TO_BE.search(sentence[match.end(): other.start()])]
                return sentence[match.start(): min(others, default=len(sentence))].rstrip(" ,;")
        return None


def wrong_expansion(concept: CxConcept, sentence: str) -> bool:
    """The abbreviation spelled out as something else: "CES, the Customer Engagement Score", "Customer Service Agent
    Time (CSAT)". Only words whose initials spell the abbreviation count as a spelling-out, so "CSAT (customer
    satisfaction)" or "NPS, which we ran quarterly" are never taken for one."""
    abbreviation = concept.abbreviation
    if abbreviation not in sentence or not re.fullmatch(r"[A-Za-z]{2,5}", abbreviation):
        return False
    known = {_plain(name) for name in concept.names}
    word = r"[A-Za-z][A-Za-z'-]*"
    count = len(abbreviation)
    spelled = (rf"(?<![\w-]){abbreviation}(?![\w-])\s*(?:[(,:=]|-|–|\s)\s*(?:the\s+|i\.e\.\s+|aka\s+)?"
               rf"(?:(?:which\s+)?stands\s+for\s+|means\s+)?((?:{word}\s+){{{count - 1}}}{word})",
               rf"((?:{word}\s+){{{count - 1}}}{word})\s*\(\s*{abbreviation}\s*\)")
    for pattern in spelled:
        for match in re.finditer(pattern, sentence):
            words = match.group(1).split()
            initials = "".join(w[0] for w in words).lower()
            if initials == abbreviation.lower() and _plain(match.group(1)) not in known:
                return True
    return False


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


# A number after words that give a score ("gave us a 6", "scoring 9"), or a range ("0 to 4", "9-10", "7 or 8"), not
# followed by a unit: "within 2 days" or "from 8 to 5 percent" give no score.
_UNIT = r"(?!\s*(?:%|percent|per cent|points?|days?|hours?|minutes?|weeks?|months?|years?|times?)\b)(?![\w%-])(?!\.\d)"
_SCORE_RANGE = re.compile(rf"(?<![\w.])(?<!from )(\d{{1,2}})\s*(?:-|–|to|through|or|and)\s*(\d{{1,2}}){_UNIT}",
                          re.IGNORECASE)
_SCORE = re.compile(rf"\b(?:an?|scored|scoring|scores?\s+of|rated(?:\s+us)?|rating\s+of|gave(?:\s+(?:us|me|it))?"
                    rf"(?:\s+an?)?|gives?(?:\s+(?:us|me|it))?(?:\s+an?)?|answered|chose|picked)\s+(\d{{1,2}}){_UNIT}",
                    re.IGNORECASE)
WHOLE_SCALES = {(0, 10), (1, 10)}
_NEAR = 60  # characters between a band's name and the score that goes with it


def wrong_score_band(concept: CxConcept, sentence: str) -> bool:
    """A score put in the wrong band: "detractors, people scoring 0 to 4" (they are 0-6), "she gave us a 6, which
    makes her a passive" (6 is a detractor). The bands are the concept's `score_bands`."""
    if not concept.score_bands:
        return False
    scores = [(m, (int(m.group(1)), int(m.group(2)))) for m in _SCORE_RANGE.finditer(sentence)]
    scores += [(m, (int(m.group(1)),) * 2) for m in _SCORE.finditer(sentence)
               if not any(r.start() <= m.start(1) < r.end() for r, _ in scores)]
    for band, (low, high) in concept.score_bands.items():
        for named in re.finditer(rf"\b{band}s?\b", sentence, re.IGNORECASE):
            near = [(_distance(m, named), span) for m, span in scores if _distance(m, named) <= _NEAR]
            if not near:
                continue
            first, last = min(near)[1]  # the score closest to the band's name
            if last > 10 or (first, last) in WHOLE_SCALES:  # not a 0-10 score, or the scale itself ("0 to 10")
                continue
            if (first, last) != (low, high) if first != last else not low <= first <= high:
                return True
    return False


def _distance(a: re.Match, b: re.Match) -> int:
    return max(0, a.start() - b.end(), b.start() - a.end())


def predicate(concept: CxConcept, text: str) -> str:
    """What a text says the concept is, without the concept's own name: the name alone dominates an embedding, so
    "Net Promoter Score tells us..." would otherwise look like every other sentence that starts with it."""
    for match in reversed(concept.name_matches(text)):
        text = text[: match.start()] + text[match.end():]
    return " ".join(re.sub(r"\(\s*\)", " ", text).split())
