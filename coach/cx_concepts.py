"""The CX concepts (NPS, CSAT, CES, churn, CLV, FCR, VoC, journey mapping, AHT, SLA, root cause analysis and the
rest of content/cx_concepts.yml): recognising them in an answer by name or by description.

A name counts wherever it appears as a whole word, except inside a longer name of another concept ("NPS" in
"employee NPS", "retention" in "net revenue retention"). A description counts only when a sentence is close to one of
the concept's descriptions by embedding AND contains a cue word from each of the concept's cue groups, so "customers
were happier after the survey" (close to CSAT, but no rating) is not taken for CSAT.
"""

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Dict, List, Optional, Pattern, Sequence, Tuple

import numpy as np

from coach.answer_language import phrase_pattern
from coach.content_files import ContentError, read_yaml, top_level, unique_ids

KINDS = ("metric", "practice")


@dataclass(frozen=True)
class CxConcept:
    id: str
    abbreviation: str
    name: str
    kind: str
    names: Tuple[str, ...]
    acronyms: Tuple[str, ...]
    descriptions: Tuple[str, ...]
    cues: Tuple[Pattern, ...]  # one pattern per cue group; a description needs a hit in every group
    meaning: str
    definitions: Tuple[str, ...] = ()  # correct ways to say what it is
    misconceptions: Tuple[str, ...] = ()  # confident wrong ones (coach/misdefinitions.py)
    other_meanings: Tuple[str, ...] = ()  # other things its name stands for ("National Park Service")
    confused_with: Tuple[str, ...] = ()  # ids of concepts it is often mistaken for (NPS for CSAT)
    score_bands: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # "detractor": (0, 6), for NPS
    # Phrases that make a definition of it wrong whatever else it says ("the average of" for NPS): errors of
    # arithmetic or substance that an embedding reads as close to the right definition.
    wrong_phrases: Tuple[Pattern, ...] = ()
    longer_names: Tuple[str, ...] = ()  # other concepts' names that hold one of its names ("employee NPS" for NPS)

    def named_in(self, text: str) -> bool:
        return bool(self.name_matches(text))

    def name_matches(self, text: str) -> List[re.Match]:
        inside = [m.span() for m in _names_pattern(self.longer_names, ()).finditer(text)] if self.longer_names else []
        return [match for match in _names_pattern(self.names, self.acronyms).finditer(text)
                if not any(start <= match.start() and match.end() <= end for start, end in inside)]

    def other_meaning_in(self, text: str) -> bool:
        lowered = text.lower()
        return any(meaning.lower() in lowered for meaning in self.other_meanings)

    def cues_hold(self, text: str) -> bool:
        return all(group.search(text) for group in self.cues)


_NAME_PATTERNS: Dict[Tuple[Tuple[str, ...], Tuple[str, ...]], Pattern] = {}


def _names_pattern(names: Tuple[str, ...], acronyms: Tuple[str, ...]) -> Pattern:
    """Names in any case, acronyms in their exact case, both as whole words (so 'nps' inside 'snps' is no hit)."""
    key = (names, acronyms)
    if key not in _NAME_PATTERNS:
        parts = [rf"(?i:{re.escape(name)})" for name in sorted(names, key=len, reverse=True)]
        parts += [re.escape(acronym) for acronym in acronyms]
        _NAME_PATTERNS[key] = re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")
    return _NAME_PATTERNS[key]


@dataclass(frozen=True)
class ConceptMention:
    concept: CxConcept
    how: str  # "name" or "description"
    sentence: str  # the candidate's sentence that names or describes it


def load_cx_concepts(path: Path) -> List[CxConcept]:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("concepts",))
    records = root.records("concepts", ("id", "abbreviation", "name", "kind", "names", "acronyms", "descriptions",
                                        "cues", "meaning"), ("definitions", "misconceptions", "other_meanings",
                                                             "confused_with", "score_bands", "wrong_phrases"))
    unique_ids(path, records, "concept")
    concepts = []
    for record in records:
        cue_groups = record.raw.get("cues")
        if not isinstance(cue_groups, list) or not cue_groups or not all(
                isinstance(group, list) and group and all(isinstance(cue, str) and cue.strip() for cue in group)
                for group in cue_groups):
            raise record.error("cues", "must be a list of groups, each a non-empty list of words")
        names = record.texts("names")
        acronyms = record.texts("acronyms", minimum=0)
        for acronym in acronyms:
            if not re.fullmatch(r"[A-Za-z]{2,6}", acronym):
                raise record.error("acronyms", f"'{acronym}' must be 2-6 letters")
        concepts.append(CxConcept(
            id=record.text("id"),
            abbreviation=record.text("abbreviation"),
            name=record.text("name"),
            kind=record.choice("kind", KINDS),
            names=names,
            acronyms=acronyms,
            descriptions=record.texts("descriptions"),
            cues=tuple(phrase_pattern(group) for group in cue_groups),
            meaning=record.text("meaning"),
            definitions=record.texts("definitions", minimum=0, default=[]),
            misconceptions=record.texts("misconceptions", minimum=0, default=[]),
            other_meanings=record.texts("other_meanings", minimum=0, default=[]),
            confused_with=record.texts("confused_with", minimum=0, default=[]),
            score_bands=_score_bands(record),
            wrong_phrases=_wrong_phrases(record),
        ))
    known = {concept.id for concept in concepts}
    for record, concept in zip(records, concepts):
        unknown = [other for other in concept.confused_with if other not in known or other == concept.id]
        if unknown:
            raise record.error("confused_with", f"names no other concept: {', '.join(unknown)}")
    return [dataclasses.replace(concept, longer_names=_longer_names(concept, concepts)) for concept in concepts]


def _wrong_phrases(record) -> Tuple[Pattern, ...]:
    """`wrong_phrases`: regular expressions, matched case-insensitively within a definition of the concept."""
    patterns = []
    for text in record.texts("wrong_phrases", minimum=0, default=[]):
        try:
            patterns.append(re.compile(text, re.IGNORECASE))
        except re.error as error:
            raise record.error("wrong_phrases", f"'{text}' is not a valid regular expression: {error}") from None
    return tuple(patterns)


def _longer_names(concept: CxConcept, concepts: Sequence[CxConcept]) -> Tuple[str, ...]:
    """The other concepts' names in which one of this concept's names appears: "employee NPS" holds "NPS"."""
    pattern = _names_pattern(concept.names, concept.acronyms)
    own = {name.lower() for name in (*concept.names, *concept.acronyms)}
    return tuple(name for other in concepts if other is not concept for name in (*other.names, *other.acronyms)
                 if pattern.search(name) and name.lower() not in own)


def _score_bands(record) -> Dict[str, Tuple[int, int]]:
    """`score_bands`: band name -> [lowest, highest] score, e.g. detractor: [0, 6]."""
    raw = record.raw.get("score_bands") or {}
    if not isinstance(raw, dict):
        raise record.error("score_bands", "must map a band's name to [lowest, highest]")
    bands = {}
    for name, span in raw.items():
        if not (isinstance(name, str) and re.fullmatch(r"[a-z]+", name) and isinstance(span, list) and len(span) == 2
                and all(isinstance(value, int) and not isinstance(value, bool) for value in span)
                and 0 <= span[0] <= span[1] <= 10):
            raise record.error("score_bands", f"'{name}' must be a lower-case word mapped to [lowest, highest] in 0-10")
        bands[name] = (span[0], span[1])
    return bands


class ConceptDetector:
    def __init__(self, concepts: Sequence[CxConcept], embedder, description_threshold: float,
                 negations: Optional[Pattern] = None):
        self.concepts = list(concepts)
        self.negations = negations  # "never used NPS": a name right after one of these is not a use
        self.by_id = {concept.id: concept for concept in self.concepts}
        self.embedder = embedder
        self.description_threshold = description_threshold
        self._descriptions = [d for concept in self.concepts for d in concept.descriptions]
        self._owner = np.array([i for i, concept in enumerate(self.concepts) for _ in concept.descriptions])
        embedder.encode_cached(self._descriptions)  # warm the cache at start-up, not on the first answer

    def find(self, units: Sequence[str], unit_vectors: np.ndarray, sentence_count: Optional[int] = None,
             misdefined: Collection[str] = ()) -> Dict[str, ConceptMention]:
        """Map concept id to the first unit that names it or, failing that, the unit that describes it best.

        The units are an answer's sentences first, then parts of them (clauses, pairs of sentences): give
        `sentence_count` and names are looked for in the sentences only, which hold every word their parts have.
        A name counts only as a use: not negated ("we never had NPS") and not another meaning of the name (the
        National Park Service). A concept the answer misdefines (`misdefined`, concept ids) is not found at all: the
        feedback corrects it instead of praising its use.
        """
        named_in = units[:sentence_count] if sentence_count is not None else units
        concepts = [concept for concept in self.concepts if concept.id not in misdefined]
        mentions: Dict[str, ConceptMention] = {}
        for concept in concepts:
            for unit in named_in:
                if self._used_by_name(concept, unit):
                    mentions[concept.id] = ConceptMention(concept, "name", unit)
                    break
        if not len(units):
            return mentions
        similarities = unit_vectors @ self.embedder.encode_cached(self._descriptions).T
        best: Dict[str, Tuple[float, str]] = {}
        for index, concept in enumerate(self.concepts):
            if concept.id in mentions or concept.id in misdefined:
                continue
            closest = similarities[:, self._owner == index].max(axis=1)  # per unit, its closest description
            for row in np.flatnonzero(closest >= self.description_threshold):
                if concept.cues_hold(units[row]) and closest[row] > best.get(concept.id, (0.0, ""))[0]:
                    best[concept.id] = (float(closest[row]), units[row])
        for concept in self.concepts:
            if concept.id in best:
                mentions[concept.id] = ConceptMention(concept, "description", best[concept.id][1])
        return {concept.id: mentions[concept.id] for concept in self.concepts if concept.id in mentions}

    def _used_by_name(self, concept: CxConcept, sentence: str) -> bool:
        if concept.other_meaning_in(sentence):
            return False
        for match in concept.name_matches(sentence):
            before = " ".join(sentence[: match.start()].split()[-4:])
            if self.negations is None or not self.negations.search(before):
                return True
        return False


def check_concept_ids(path: Path, expected: Dict[str, Sequence[str]], concepts: Sequence[CxConcept]) -> None:
    """Every concept a question expects must exist in cx_concepts.yml."""
    known = {concept.id for concept in concepts}
    for question_id, concept_ids in expected.items():
        for concept_id in concept_ids:
            if concept_id not in known:
                raise ContentError(path, f"names unknown concept '{concept_id}' (see cx_concepts.yml)",
                                   question_id, "concepts")
