"""Scores a free-text answer against expected-answer criteria, as a fair interviewer would read it.

An answer is split into units: its sentences, the clauses inside them, and pairs of neighbouring sentences (one idea
often spans two). Each sentence goes through the embedding model once; a clause's or a pair's vector is pooled from
its sentences' token vectors (Embedder.encode_spans). For each criterion, coach/matching.py describes every unit by
its closeness to the criterion's text and examples, to its negatives and to the question's other criteria, its key
terms and how specific it is, and a fitted model gives the probability that the unit demonstrates the criterion.
A criterion's probability is its best unit's: covered from `coverage_threshold`, shown as "partly, or not clearly"
from `unsure_from`. A sentence that misdefines a CX concept (coach/misdefinitions.py) is evidence for nothing.

The answer's score estimates an interviewer's grade / 10 from the criteria's probabilities, the share of sentences
with a number, jargon, misdefinitions and, for behavioural questions, how much of it is told in the hypothetical
(coach/matching.py ANSWER_FEATURES); a behavioural answer with no real example is capped, and gaming scores zero.
Every number comes from content/scoring.yml and content/judgement_model.yml. Deterministic: no sampling, ties broken
by position.
"""

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from coach.answer_language import AnswerLanguage, words
from coach.cx_concepts import ConceptDetector, ConceptMention
from coach.gaming import GamingCheck, GamingVerdict, stem
from coach.matching import NUMBER, UNIT_FEATURES, CriterionReferences, JudgementModel, answer_row, unit_features
from coach.misdefinitions import DefinitionReading, Misdefinition, MisdefinitionCheck
from coach.scoring_parameters import ScoringParameters
from coach.star import StarReading, is_behavioural_question, read_star

# A run of words with no sentence punctuation is cut into pieces of this many words.
MAX_SENTENCE_WORDS = 45

# Clauses inside a sentence: one sentence often makes two or three separate points.
# "so" only where it joins clauses ("so I called him"), not where it means "very" ("so upset").
_CLAUSE_BREAKS = re.compile(
    r"\s*[,;:–—]\s+|\s+(?:and|but|while|whereas)\s+|\s+so\s+(?=(?:i|we|he|she|they|it|the|that)\b)", re.IGNORECASE)
MIN_CLAUSE_WORDS = 4
_BREAKS = re.compile(r"\n+|(?<=[.!?;。！？])\s+|(?<=[。！？])|^\s*[-*•]\s+", re.MULTILINE)
_HAS_WORD = re.compile(r"\w")
# A list item's number or letter ("1.", "2)", "(3)", "b)"): how the list is laid out, not a number the answer gives.
_ENUMERATOR = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-h]\))(?:\s+|$)")
_TEXT_COLUMN = UNIT_FEATURES.index("text")
_CLOSENESS_COLUMNS = [UNIT_FEATURES.index("text"), UNIT_FEATURES.index("example_max")]
# How far below min_closeness a unit's probability fades to nothing (content/scoring.yml matching.min_closeness).
CLOSENESS_RAMP = 0.1
# At most this many doubtful sentences are pointed out, the likeliest first.
MAX_DOUBTFUL = 2
# A clause is quoted as its whole sentence when the sentence's probability is at most this much lower.
CLAUSE_QUOTE_MARGIN = 0.15


@dataclass(frozen=True)
class CriterionSpec:
    """What to look for: the text that is matched, and optional id and tip carried through to the result."""

    text: str
    id: Optional[str] = None
    tip: Optional[str] = None
    phrasings: Tuple[str, ...] = ()  # other ways to say it, matched like the text
    examples: Tuple[str, ...] = ()  # sentences that demonstrate it (content/criterion_examples.yml)
    negatives: Tuple[str, ...] = ()  # on-topic sentences that do not
    concept: Optional[str] = None  # a CX concept id: using it correctly covers the criterion, misdefining it does not


@dataclass(frozen=True)
class CriterionResult:
    criterion: CriterionSpec
    similarity: float  # the probability (0..1) that the answer demonstrates the criterion
    covered: bool
    evidence: Optional[str]  # the candidate's words (a sentence, clause or sentence pair) that show it; else None
    semantic: float = 0.0  # the evidence unit's embedding closeness to the criterion's own text
    matched_terms: Tuple[str, ...] = ()  # the criterion's key terms found in the evidence
    credit: float = 0.0  # what this criterion adds to the criteria score, 0..1
    unsure: bool = False  # not covered, but close: the feedback says "partly, or not clearly" and quotes evidence

    def to_dict(self) -> Dict:
        return {"criterion": self.criterion.text, "id": self.criterion.id, "similarity": self.similarity,
                "covered": self.covered, "unsure": self.unsure, "evidence": self.evidence, "semantic": self.semantic,
                "matched_terms": list(self.matched_terms), "credit": round(self.credit, 4)}


@dataclass(frozen=True)
class AnswerAssessment:
    score: float
    criteria: Tuple[CriterionResult, ...]
    sentences: Tuple[str, ...]
    trimmed: bool  # the answer was longer than the scoring limit and only its start was scored
    band: str = "weak"  # strong | partial | weak (content/scoring.yml bands)
    raw_score: float = 0.0  # before the score mapping (content/scoring.yml score_mapping)
    criteria_score: float = 0.0  # the mean criterion credit, before everything else
    gaming: Optional[GamingVerdict] = None  # set when the answer tries to earn credit without content
    star: Optional[StarReading] = None  # set for behavioural questions
    misdefinitions: Tuple[Misdefinition, ...] = ()  # sentences that define a CX concept wrongly
    doubtful: Tuple[str, ...] = ()  # other sentences the statement model finds likely to be wrong or harmful
    answer_features: Tuple[float, ...] = ()  # the answer model's input (coach/matching.py ANSWER_FEATURES)
    concepts: Dict[str, ConceptMention] = field(default_factory=dict)  # CX concepts used, by name or description
    english: bool = True  # False when the answer looks like another language (the model reads English well only)
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
        """Criteria not covered, the unsure ones included (they are not credited as covered)."""
        return [result for result in self.criteria if not result.covered]


def split_sentences(text: str) -> List[str]:
    """Split an answer into sentences: on sentence punctuation, line breaks and list bullets.

    Long unpunctuated runs are cut into pieces, so one giant 'sentence' cannot match everything. A list item's
    number ("1.", "2)") is dropped, and so are pieces with no letter or digit left (emoji, punctuation).
    """
    sentences = []
    for piece in _BREAKS.split(text or ""):
        piece = _ENUMERATOR.sub("", " ".join(piece.split())) if piece else ""
        if not piece or not _HAS_WORD.search(piece):
            continue
        words = piece.split(" ")
        for start in range(0, len(words), MAX_SENTENCE_WORDS):
            sentences.append(" ".join(words[start:start + MAX_SENTENCE_WORDS]))
    return sentences


def clauses(sentence: str) -> List[str]:
    """The clauses of a sentence worth matching on their own (at least a few words each); empty for a one-idea
    sentence."""
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
    hypothetical: bool
    jargon: int  # how many jargon words (content/answer_language.yml) it uses

    @property
    def sentence_indexes(self) -> Tuple[int, ...]:
        return tuple(index for index, _, _ in self.spans)


class AnswerScorer:
    """Scores answers against criteria with the given parameters and model; holds no state between answers."""

    def __init__(self, embedder, parameters: ScoringParameters, language: AnswerLanguage, max_scored_chars: int,
                 model: JudgementModel, vocabulary: frozenset = frozenset(),
                 misdefinitions: Optional[MisdefinitionCheck] = None, concepts: Optional[ConceptDetector] = None):
        self.embedder = embedder
        self.parameters = parameters
        self.language = language
        self.max_scored_chars = max_scored_chars
        self.model = model
        self.misdefinitions = misdefinitions
        self.concepts = concepts
        self.gaming = GamingCheck(language, parameters, vocabulary)
        # Criteria come back with every answer to their question: read their words and gather their vectors once.
        self._criterion_words = functools.lru_cache(maxsize=4096)(self._read_criterion_words)
        self.references = functools.lru_cache(maxsize=4096)(self._references)

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

    def _references(self, criterion: CriterionSpec, question: Optional[str]) -> CriterionReferences:
        """The vectors a criterion is compared with and its key terms (remembered per criterion and question as
        `references`)."""
        terms, negated = self._criterion_words(criterion.text, question)
        return CriterionReferences(
            texts=self.embedder.encode_cached(self.criterion_texts(criterion)),
            examples=self.embedder.encode_cached(list(criterion.examples)),
            negatives=self.embedder.encode_cached(list(criterion.negatives)),
            key_terms=terms,
            negated=negated,
            number_share=(sum(1 for example in criterion.examples if NUMBER.search(example)) / len(criterion.examples)
                          if criterion.examples else 0.5),
        )

    def warm(self, criteria: Sequence[CriterionSpec]) -> None:
        """Embed the criteria's texts, examples and negatives now, so the first answer is as fast as the rest."""
        for criterion in criteria:
            self.references(criterion, None)

    # --- scoring ------------------------------------------------------------------------------------------------

    def criterion_features(self, answer: str, criteria: Sequence[CriterionSpec], question: Optional[str] = None,
                           behavioural: Optional[bool] = None) -> np.ndarray:
        """The matching model's input for every criterion and unit of the answer: [criterion, unit, feature].
        What bench/judgement.py fits the model on."""
        _, _, sentences, units, unit_vectors = self._read(answer)
        if behavioural is None:
            behavioural = is_behavioural_question(question or "", self.language)
        wrong = self._wrong_statements(units, unit_vectors[: len(sentences)], bank=any(c.examples for c in criteria),
                                       defined_rightly=self._definitions(sentences, units).defined_rightly)
        return unit_features([self.references(c, question) for c in criteria], units, unit_vectors, behavioural,
                             wrong)

    def _read(self, answer: str):
        """The scored text (trimmed to the limit), whether it was trimmed, its sentences, units and unit vectors."""
        scored_text, trimmed = trim_for_scoring(answer or "", self.max_scored_chars)
        sentences = split_sentences(scored_text)
        units = self._units(sentences)
        unit_vectors = self.embedder.encode_spans(sentences, [unit.spans for unit in units])
        return scored_text, trimmed, sentences, units, unit_vectors

    def assess(self, answer: str, criteria: Sequence[CriterionSpec], question: Optional[str] = None,
               behavioural: Optional[bool] = None) -> AnswerAssessment:
        """Score an answer. `question` (its text) enables the copied-question check and, unless `behavioural` says
        otherwise, STAR reading for "tell me about a time" questions."""
        if not criteria:
            raise ValueError("an answer can only be scored against at least one criterion")
        p = self.parameters
        scored_text, trimmed, sentences, units, unit_vectors = self._read(answer)
        sentence_vectors = unit_vectors[: len(sentences)]

        definitions = self._definitions(sentences, units)
        misdefinitions = definitions.misdefinitions
        misdefined_sentences = {found.index for found in misdefinitions}
        blocked = np.array([bool(misdefined_sentences & set(unit.sentence_indexes)) for unit in units], dtype=bool)
        if behavioural is None:
            behavioural = is_behavioural_question(question or "", self.language)
        references = [self.references(criterion, question) for criterion in criteria]
        wrong = self._wrong_statements(units, sentence_vectors, bank=any(c.examples for c in criteria),
                                       defined_rightly=definitions.defined_rightly)
        table = unit_features(references, units, unit_vectors, behavioural, wrong)
        likeliest = np.argsort(-wrong[: len(sentences)], kind="stable")[:MAX_DOUBTFUL]
        doubtful = tuple(sentences[index] for index in likeliest
                         if wrong[index] >= p.doubtful_from and index not in misdefined_sentences)
        results = [self._result(criterion, reference, table[index], units, blocked, len(sentences))
                   for index, (criterion, reference) in enumerate(zip(criteria, references))]
        concepts: Dict[str, ConceptMention] = {}
        if self.concepts is not None and units:
            misdefined = {found.concept.id for found in misdefinitions}
            concepts = self.concepts.find([unit.text for unit in units], unit_vectors, len(sentences), misdefined)
            results = [self._with_concept(result, concepts, misdefined) for result in results]
        criteria_score = sum(result.credit for result in results) / len(results)

        star = read_star(sentences, self.language, p) if behavioural else None
        hypothetical_share = (sum(1 for unit in units[: len(sentences)] if unit.hypothetical) / len(sentences)
                              if behavioural and sentences else 0.0)
        row = answer_row([result.credit for result in results], table,
                         sum(unit.jargon for unit in units[: len(sentences)]), len(words(scored_text)),
                         bool(misdefinitions), hypothetical_share, float(wrong[: len(sentences)].max(initial=0.0)))
        answer_model = self.model.answer if any(c.examples for c in criteria) else self.model.answer_text_only
        score = answer_model.predict(row)
        if star is not None and star.hypothetical:
            score = min(score, p.raw_for_shown(p.hypothetical_cap))  # the cap is on the shown scale
        if misdefinitions:  # an interviewer grades a confident wrong definition weak, whatever else is right
            score = min(score, p.raw_for_shown(p.misdefinition_cap))

        english = looks_english(scored_text)
        # Gibberish typed on an English keyboard is no other language: only real letters outside ASCII spare an
        # answer the English-only gaming checks.
        gaming = self.gaming.verdict(scored_text, question, len(criteria),
                                     english or not _HAS_ACCENTED_OR_OTHER_SCRIPT.search(scored_text)
                                     ) if sentences else None
        if gaming is not None:
            # Name-dropping earns nothing: keep the probabilities for transparency, drop coverage and credit.
            results = [CriterionResult(r.criterion, r.similarity, False, None, r.semantic, (), 0.0) for r in results]
            score = 0.0
        if not sentences:
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
            misdefinitions=tuple(misdefinitions),
            doubtful=doubtful if gaming is None else (),
            concepts=concepts,
            answer_features=tuple(round(float(value), 6) for value in row),
            english=english,
            sentence_vectors=sentence_vectors,
            units=tuple(unit.text for unit in units),
            unit_vectors=unit_vectors,
        )

    def _definitions(self, sentences: Sequence[str], units: Sequence[_Unit]) -> DefinitionReading:
        """What the misdefinition check reads in the answer's sentences (nothing without a check)."""
        if self.misdefinitions is None or not sentences:
            return DefinitionReading([], [])
        return self.misdefinitions.read(sentences, [unit.negated for unit in units[: len(sentences)]])

    def _wrong_statements(self, units: Sequence[_Unit], sentence_vectors: np.ndarray, bank: bool,
                          defined_rightly: Sequence[int]) -> np.ndarray:
        """Per unit, the statement model's probability that its sentence (for a pair, the likelier of its two)
        states something wrong or harmful; zeros on the general path, which the model knows nothing of, and for the
        sentences the misdefinition check found to define a CX concept correctly."""
        if not bank or not len(sentence_vectors):
            return np.zeros(len(units))
        by_sentence = self.model.statements.probability(sentence_vectors)
        by_sentence[list(defined_rightly)] = 0.0
        return np.array([max(by_sentence[index] for index in unit.sentence_indexes) for unit in units])

    def _quoted_unit(self, best: int, rows: np.ndarray, units: Sequence[_Unit], probabilities: np.ndarray,
                     sentence_count: int) -> int:
        """What the feedback quotes for the best unit: a whole sentence rather than a clause cut out of it, and one
        sentence of a pair when it alone is as close to the criterion as the pair. The quote then reads as the
        candidate's own words, and holds both halves of a two-part point when it takes two sentences."""
        closeness = rows[:, _CLOSENESS_COLUMNS].max(axis=1)
        if units[best].is_pair:
            alone = max(units[best].sentence_indexes, key=lambda index: closeness[index])
            return alone if closeness[alone] >= closeness[best] else best
        if best >= sentence_count:  # a clause: quote its sentence when that is as likely to show the point
            sentence = units[best].sentence_indexes[0]
            if probabilities[sentence] >= self.parameters.coverage_threshold or \
                    probabilities[sentence] >= probabilities[best] - CLAUSE_QUOTE_MARGIN:
                return sentence
        return best

    def _with_concept(self, result: CriterionResult, concepts: Dict[str, ConceptMention], misdefined: set
                      ) -> CriterionResult:
        """A criterion about one CX concept agrees with the concepts the answer uses: covered when the answer uses it
        correctly (quoting that sentence), never when it misdefines it."""
        concept = result.criterion.concept
        if concept in misdefined:
            return replace(result, similarity=0.0, covered=False, unsure=False, evidence=None, matched_terms=(),
                           credit=0.0)
        if concept in concepts and not result.covered:
            probability = max(result.similarity, self.parameters.coverage_threshold)
            return replace(result, similarity=probability, covered=True, unsure=False,
                           evidence=concepts[concept].sentence, credit=probability)
        return result

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
        units: List[_Unit] = []
        for text, spans, is_pair in pieces:
            if is_pair:
                # A pair's words are its two sentences' words: read them off those, not with the patterns again.
                first, second = units[spans[0][0]], units[spans[1][0]]
                units.append(replace(first, text=text, spans=spans, is_pair=True, stems=first.stems | second.stems,
                                     negated=first.negated or second.negated,
                                     content_words=first.content_words + second.content_words,
                                     hypothetical=first.hypothetical or second.hypothetical,
                                     jargon=first.jargon + second.jargon))
                continue
            tokens = words(text)
            units.append(_Unit(
                text=text,
                spans=spans,
                is_pair=is_pair,
                stems=frozenset(stem(t) for t in tokens),
                negated=self.language.has("negations", text),
                content_words=sum(1 for t in tokens if t.isalpha() and t not in self.language.function_words),
                hypothetical=self.language.has("hypothetical_markers", text),
                jargon=len(self.language.find("jargon", text)),
            ))
        return units

    def _result(self, criterion: CriterionSpec, reference: CriterionReferences, rows: np.ndarray,
                units: Sequence[_Unit], blocked: np.ndarray, sentence_count: int) -> CriterionResult:
        p = self.parameters
        if not units:
            return CriterionResult(criterion, 0.0, False, None)
        model = self.model.with_examples if criterion.examples else self.model.text_only
        # A unit that is not about the criterion at all shows nothing, whatever else the model reads in it: its
        # probability fades to 0 over CLOSENESS_RAMP below min_closeness (a ramp, not a cliff, so that rewording a
        # sentence cannot take a point away all at once).
        closeness = rows[:, _CLOSENESS_COLUMNS].max(axis=1)
        on_topic = np.clip((closeness - p.min_closeness) / CLOSENESS_RAMP + 1.0, 0.0, 1.0)
        probabilities = np.where(blocked, 0.0, model.probability(rows) * on_topic)
        best = int(np.argmax(probabilities))  # the first unit wins a tie
        probability = round(float(probabilities[best]), 4)
        quoted = self._quoted_unit(best, rows, units, probabilities, sentence_count)
        covered = probability >= p.coverage_threshold
        unsure = not covered and probability >= p.unsure_from
        return CriterionResult(
            criterion=criterion,
            similarity=probability,
            covered=covered,
            evidence=units[quoted].text if covered or unsure else None,
            semantic=round(float(rows[quoted, _TEXT_COLUMN]), 4),
            matched_terms=tuple(sorted(reference.key_terms & units[quoted].stems)) if covered else (),
            credit=probability,
            unsure=unsure,
        )
