"""Scores a free-text answer against expected-answer criteria: sentence embeddings plus lexical evidence.

An answer is split into units: its sentences, the clauses inside them, and pairs of neighbouring sentences (one idea
often spans two). Each sentence goes through the embedding model once; a clause's or a pair's vector is pooled from
its sentences' token vectors (Embedder.encode_spans). Each criterion (its text, its optional phrasings, and the text read in the first person) is
compared with every unit; the similarity is the embedding cosine, plus a little for the criterion's key terms found in
the unit, minus a little when the two disagree on negation. A criterion is covered when its best unit reaches the
coverage threshold, and that unit is the evidence. The score is the mean credit over criteria (full for covered, a
share for a near miss), then adjusted for behavioural answers (STAR) and set to zero for gaming. Every number comes
from content/scoring.yml (ScoringParameters). Deterministic: no sampling, ties broken by position.
"""

import functools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from coach.answer_language import AnswerLanguage, words
from coach.gaming import GamingCheck, GamingVerdict, stem
from coach.scoring_parameters import ScoringParameters
from coach.star import StarReading, is_behavioural_question, read_star

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
    phrasings: Tuple[str, ...] = ()  # other ways to say it, matched like the text


@dataclass(frozen=True)
class CriterionResult:
    criterion: CriterionSpec
    similarity: float
    covered: bool
    evidence: Optional[str]  # the candidate's words (a sentence, clause or sentence pair) that cover it; else None
    semantic: float = 0.0  # the embedding part of the similarity, before lexical evidence and negation
    matched_terms: Tuple[str, ...] = ()  # the criterion's key terms found in the evidence
    credit: float = 0.0  # what this criterion adds to the score, 0..1

    def to_dict(self) -> Dict:
        return {"criterion": self.criterion.text, "id": self.criterion.id, "similarity": self.similarity,
                "covered": self.covered, "evidence": self.evidence, "semantic": self.semantic,
                "matched_terms": list(self.matched_terms), "credit": round(self.credit, 4)}


@dataclass(frozen=True)
class AnswerAssessment:
    score: float
    criteria: Tuple[CriterionResult, ...]
    sentences: Tuple[str, ...]
    trimmed: bool  # the answer was longer than the scoring limit and only its start was scored
    band: str = "weak"  # strong | partial | weak (content/scoring.yml bands)
    raw_score: float = 0.0  # before the score mapping (content/scoring.yml score_mapping); what calibration fits
    criteria_score: float = 0.0  # the mean criterion credit, before STAR and gaming
    gaming: Optional[GamingVerdict] = None  # set when the answer tries to earn credit without content
    star: Optional[StarReading] = None  # set for behavioural questions
    # One unit-length row per sentence, kept so that other checks (concepts, red flags) need not embed again.
    sentence_vectors: np.ndarray = field(default=None, repr=False, compare=False)
    # Sentences, then clauses, then sentence pairs, with their vectors: what concept descriptions are matched against.
    units: Tuple[str, ...] = ()
    unit_vectors: np.ndarray = field(default=None, repr=False, compare=False)

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
    """One criterion per sentence of a reference answer, for questions that come with an answer instead of criteria.

    A sentence of one or two words ("No.", "Yes, mostly.") says nothing alone, so it joins the sentence after it.
    """
    criteria: List[str] = []
    carried = ""
    for sentence in split_sentences(reference):
        sentence = f"{carried} {sentence}".strip()
        if len(sentence.split()) < 3:
            carried = sentence
            continue
        criteria.append(sentence)
        carried = ""
    if carried and criteria:
        criteria[-1] = f"{criteria[-1]} {carried}"
    elif carried:
        criteria.append(carried)
    return [CriterionSpec(text=text) for text in criteria]


# Letters outside plain ASCII (accents, other scripts): the mark of a real language other than English, which
# gibberish typed on an English keyboard never has.
_HAS_ACCENTED_OR_OTHER_SCRIPT = re.compile(r"[^\W\d_a-zA-Z]")
_THIRD_TO_FIRST = {"they": "I", "their": "my", "them": "me", "themselves": "myself", "theirs": "mine"}
_THIRD_PERSON = re.compile(r"\b(they|their|them|themselves|theirs)\b", re.IGNORECASE)
_LINKING_WORD = re.compile(r"^(?:how|what|that|why|when|where|which|whether)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class _Unit:
    text: str
    spans: Tuple[Tuple[int, int, int], ...]  # where its words are: (sentence index, first character, end character)
    is_pair: bool
    stems: frozenset
    negated: bool
    content_words: int


class AnswerScorer:
    """Scores answers against criteria with the given parameters; holds no state between answers."""

    def __init__(self, embedder, parameters: ScoringParameters, language: AnswerLanguage, max_scored_chars: int,
                 vocabulary: frozenset = frozenset()):
        self.embedder = embedder
        self.parameters = parameters
        self.language = language
        self.max_scored_chars = max_scored_chars
        self.gaming = GamingCheck(language, parameters, vocabulary)
        # Criteria come back with every answer to their question: read their words once.
        self._criterion_words = functools.lru_cache(maxsize=4096)(self._read_criterion_words)

    # --- what a criterion is matched as -------------------------------------------------------------------------

    def criterion_texts(self, criterion: CriterionSpec) -> List[str]:
        """The criterion's text, its phrasings, and the text in the candidate's voice ("Describes how they fixed
        it" -> "I fixed it"), which an embedding finds much closer to what a candidate actually writes."""
        texts = [criterion.text, *criterion.phrasings]
        first_person = self.first_person(criterion.text)
        if first_person and first_person not in texts:
            texts.append(first_person)
        return texts

    def first_person(self, text: str) -> Optional[str]:
        opener = self.language.patterns["criterion_openers"].match(text)
        if not opener:
            return None
        rest = _LINKING_WORD.sub("", text[opener.end():].strip())
        rest = _THIRD_PERSON.sub(lambda m: _THIRD_TO_FIRST[m.group(0).lower()], rest)
        return rest[:1].upper() + rest[1:] if len(rest.split()) >= 2 else None

    def key_terms(self, text: str, question: Optional[str]) -> frozenset:
        """Content words of a criterion text, minus the question's own words (repeating the question proves nothing)."""
        skip = self.language.function_words
        asked = {stem(w) for w in words(question or "")}
        openers = {stem(w) for w in words(" ".join(self.language.find("criterion_openers", text)))}
        return frozenset(stem(w) for w in words(text)
                         if w.isalpha() and len(w) > 2 and w not in skip and stem(w) not in asked | openers)

    def _read_criterion_words(self, text: str, question: Optional[str]) -> Tuple[frozenset, bool]:
        return self.key_terms(text, question), self.language.has("negations", text)

    # --- scoring ------------------------------------------------------------------------------------------------

    def assess(self, answer: str, criteria: Sequence[CriterionSpec], question: Optional[str] = None,
               behavioural: Optional[bool] = None) -> AnswerAssessment:
        """Score an answer. `question` (its text) enables the copied-question check and, unless `behavioural` says
        otherwise, STAR reading for "tell me about a time" questions."""
        if not criteria:
            raise ValueError("an answer can only be scored against at least one criterion")
        p = self.parameters
        scored_text, trimmed = trim_for_scoring(answer or "", self.max_scored_chars)
        sentences = split_sentences(scored_text)
        units = self._units(sentences)
        unit_vectors = self.embedder.encode_spans(sentences, [unit.spans for unit in units])
        sentence_vectors = unit_vectors[: len(sentences)]

        results = [self._match(criterion, units, unit_vectors, question) for criterion in criteria]
        criteria_score = sum(result.credit for result in results) / len(results)
        score = criteria_score

        if behavioural is None:
            behavioural = is_behavioural_question(question or "", self.language)
        star = read_star(sentences, self.language, p) if behavioural else None
        if star is not None:
            score = (1 - p.weight) * criteria_score + p.weight * star.score
            if star.hypothetical:
                score = min(score, p.raw_for_shown(p.hypothetical_cap))  # the cap is on the shown scale

        english = looks_english(scored_text) or not _HAS_ACCENTED_OR_OTHER_SCRIPT.search(scored_text)
        gaming = self.gaming.verdict(scored_text, question, len(criteria), english) if sentences else None
        if gaming is not None:
            # Name-dropping earns nothing: keep the similarities for transparency, drop coverage and credit.
            results = [CriterionResult(r.criterion, r.similarity, False, None, r.semantic, (), 0.0) for r in results]
            score = 0.0
        raw_score = round(min(1.0, max(0.0, score)), 4)
        score = round(p.shown_score(raw_score), 4)
        return AnswerAssessment(
            score=score,
            raw_score=raw_score,
            criteria=tuple(results),
            sentences=tuple(sentences),
            trimmed=trimmed,
            band=p.band(score),
            criteria_score=round(criteria_score, 4),
            gaming=gaming,
            star=star,
            sentence_vectors=sentence_vectors,
            units=tuple(unit.text for unit in units),
            unit_vectors=unit_vectors,
        )

    def _units(self, sentences: Sequence[str]) -> List[_Unit]:
        """Sentences first (their rows double as sentence vectors), then clauses, then neighbouring pairs."""
        def whole(index: int) -> Tuple[int, int, int]:
            return index, 0, len(sentences[index])

        pieces = [(sentence, (whole(index),), False) for index, sentence in enumerate(sentences)]
        for index, sentence in enumerate(sentences):
            position = 0
            for clause in clauses(sentence):
                start = sentence.index(clause, position)
                position = start + len(clause)
                pieces.append((clause, ((index, start, position),), False))
        # A pair keeps a line break between its sentences, so its evidence still splits back into the candidate's words.
        pieces.extend((f"{sentences[index]}\n{sentences[index + 1]}", (whole(index), whole(index + 1)), True)
                      for index in range(len(sentences) - 1))
        units = []
        for text, spans, is_pair in pieces:
            tokens = words(text)
            units.append(_Unit(
                text=text,
                spans=spans,
                is_pair=is_pair,
                stems=frozenset(stem(t) for t in tokens),
                negated=self.language.has("negations", text),
                content_words=sum(1 for t in tokens if t.isalpha() and t not in self.language.function_words),
            ))
        return units

    def _match(self, criterion: CriterionSpec, units: Sequence[_Unit], unit_vectors: np.ndarray,
               question: Optional[str]) -> CriterionResult:
        p = self.parameters
        texts = self.criterion_texts(criterion)
        if not units:
            return CriterionResult(criterion, 0.0, False, None)
        semantic = unit_vectors @ self.embedder.encode_cached(texts).T  # units x texts
        terms, negated = zip(*(self._criterion_words(text, question) for text in texts))
        best = (-1.0, 0, 0.0, ())  # combined, unit index, semantic, matched terms
        for row, unit in enumerate(units):
            for column in range(len(texts)):
                similarity = float(semantic[row, column])
                if unit.content_words < p.short_unit_words:
                    similarity *= p.short_unit_factor
                if unit.is_pair:
                    similarity -= p.pair_penalty
                matched = tuple(sorted(terms[column] & unit.stems))
                lexical = len(matched) / len(terms[column]) if terms[column] else 0.0
                combined = similarity + p.lexical_weight * lexical
                if unit.negated != negated[column]:
                    combined -= p.negation_penalty
                if combined > best[0] + 1e-9:
                    best = (combined, row, float(semantic[row, column]), matched)
        combined, row, raw, matched = best
        combined = min(1.0, max(0.0, combined))
        covered = combined >= p.coverage_threshold
        return CriterionResult(
            criterion=criterion,
            similarity=round(combined, 4),
            covered=covered,
            evidence=units[row].text if covered else None,
            semantic=round(raw, 4),
            matched_terms=matched if covered else (),
            credit=self.credit(combined),
        )

    def credit(self, similarity: float) -> float:
        """Full credit at the coverage threshold; a near miss earns a linear share of near_miss_credit."""
        p = self.parameters
        if similarity >= p.coverage_threshold:
            return 1.0
        if similarity <= p.credit_floor:
            return 0.0
        return p.near_miss_credit * (similarity - p.credit_floor) / (p.coverage_threshold - p.credit_floor)
