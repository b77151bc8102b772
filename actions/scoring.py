"""Scores a free-text answer against expected-answer criteria by sentence-embedding similarity.

An answer is split into sentences. Each criterion is covered when its closest sentence reaches the coverage
threshold, and that sentence is kept as the evidence. The score is the mean credit over criteria: full credit for a
covered criterion, and a little partial credit for a near miss, so that a close answer beats an off-topic one.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np

# How far below the threshold a near miss still earns (partial) credit, and how much at most.
NEAR_MISS_MARGIN = 0.2
NEAR_MISS_CREDIT = 0.5
# A run of words with no sentence punctuation is cut into pieces of this many words.
MAX_SENTENCE_WORDS = 45

# Clauses inside a sentence: one sentence often makes two or three separate points.
_CLAUSE_BREAKS = re.compile(r"\s*[,;:–—]\s+|\s+(?:and|but|while|whereas|so)\s+", re.IGNORECASE)
MIN_CLAUSE_WORDS = 4
_BREAKS = re.compile(r"\n+|(?<=[.!?;。！？])\s+|(?<=[。！？])|^\s*[-*•]\s+", re.MULTILINE)
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class CriterionSpec:
    """What to look for: the text that is matched, and optional id and tip carried through to the result."""

    text: str
    id: Optional[str] = None
    tip: Optional[str] = None


@dataclass(frozen=True)
class CriterionResult:
    criterion: CriterionSpec
    similarity: float
    covered: bool
    evidence: Optional[str]  # the candidate's words (a sentence or one clause of it) that cover it; None if not covered


@dataclass(frozen=True)
class AnswerAssessment:
    score: float
    criteria: Tuple[CriterionResult, ...]
    sentences: Tuple[str, ...]
    trimmed: bool  # the answer was longer than the scoring limit and only its start was scored
    # One unit-length row per sentence, kept so that other checks (metrics, red flags) need not embed again.
    sentence_vectors: np.ndarray = field(default=None, repr=False, compare=False)

    @property
    def covered(self) -> List[CriterionResult]:
        return [result for result in self.criteria if result.covered]

    @property
    def missing(self) -> List[CriterionResult]:
        return [result for result in self.criteria if not result.covered]


def split_sentences(text: str) -> List[str]:
    """Split an answer into sentences: on sentence punctuation, line breaks and list bullets.

    Long unpunctuated runs are cut into pieces, so one giant 'sentence' cannot match everything. Pieces with no
    letter or digit (emoji, punctuation) are dropped.
    """
    sentences = []
    for piece in _BREAKS.split(text or ""):
        piece = " ".join(piece.split()) if piece else ""
        if not piece or not _HAS_WORD.search(piece):
            continue
        words = piece.split(" ")
        for start in range(0, len(words), MAX_SENTENCE_WORDS):
            sentences.append(" ".join(words[start:start + MAX_SENTENCE_WORDS]))
    return sentences


def clauses(sentence: str) -> List[str]:
    """The clauses of a sentence worth matching on their own (at least a few words each); empty for a one-idea sentence."""
    parts = [part.strip() for part in _CLAUSE_BREAKS.split(sentence) if part and part.strip()]
    parts = [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []


_ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an and or but to of in on for with is are was were be been i we you they he she it my our your their "
    "this that these those have has had do did not so as at by from if when what how would will can could".split()
)
_LETTER = re.compile(r"[^\W\d_]")


def looks_english(text: str) -> bool:
    """A cheap guess, good enough to warn the candidate: mostly Latin letters and some common English words.

    The embedding model is English-only, so an answer in another language scores low for reasons unrelated to CX.
    """
    letters = _LETTER.findall(text)
    if not letters:
        return True
    latin = sum(1 for letter in letters if letter.isascii())
    if latin / len(letters) < 0.7:
        return False
    words = re.findall(r"[a-z']+", text.lower())
    if len(words) < 6:
        return True  # too short to tell
    return sum(1 for word in words if word in _ENGLISH_FUNCTION_WORDS) / len(words) >= 0.12


def trim_for_scoring(text: str, max_chars: int) -> Tuple[str, bool]:
    """Cut a very long answer at a word boundary before max_chars; say whether anything was cut."""
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    last_space = cut.rfind(" ")
    if last_space > max_chars * 0.8:
        cut = cut[:last_space]
    return cut, True


def criteria_from_reference(reference: str) -> List[CriterionSpec]:
    """One criterion per sentence of a reference answer, for questions that come with an answer instead of criteria."""
    return [CriterionSpec(text=sentence) for sentence in split_sentences(reference)]


class AnswerScorer:
    def __init__(self, embedder, coverage_threshold: float, max_scored_chars: int):
        self.embedder = embedder
        self.coverage_threshold = coverage_threshold
        self.max_scored_chars = max_scored_chars

    def assess(self, answer: str, criteria: Sequence[CriterionSpec]) -> AnswerAssessment:
        if not criteria:
            raise ValueError("an answer can only be scored against at least one criterion")
        scored_text, trimmed = trim_for_scoring(answer or "", self.max_scored_chars)
        sentences = split_sentences(scored_text)
        criterion_vectors = self.embedder.encode_cached([criterion.text for criterion in criteria])
        # Match criteria against whole sentences and against their clauses.
        units = list(sentences)
        for sentence in sentences:
            units.extend(clauses(sentence))
        unit_vectors = self.embedder.encode(units)
        sentence_vectors = unit_vectors[: len(sentences)]
        similarities = unit_vectors @ criterion_vectors.T  # one row per unit, one column per criterion

        results = []
        for column, criterion in enumerate(criteria):
            if sentences:
                best_unit = int(np.argmax(similarities[:, column]))
                best = float(similarities[best_unit, column])
            else:
                best_unit, best = -1, 0.0
            covered = best >= self.coverage_threshold
            results.append(CriterionResult(
                criterion=criterion,
                similarity=round(best, 4),
                covered=covered,
                evidence=units[best_unit] if covered else None,
            ))
        score = sum(self._credit(result.similarity) for result in results) / len(results)
        return AnswerAssessment(
            score=round(score, 4),
            criteria=tuple(results),
            sentences=tuple(sentences),
            trimmed=trimmed,
            sentence_vectors=sentence_vectors,
        )

    def _credit(self, similarity: float) -> float:
        if similarity >= self.coverage_threshold:
            return 1.0
        floor = self.coverage_threshold - NEAR_MISS_MARGIN
        return NEAR_MISS_CREDIT * min(1.0, max(0.0, (similarity - floor) / NEAR_MISS_MARGIN))
