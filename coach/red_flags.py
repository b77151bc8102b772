"""Red flags interviewers watch for, raised only on questions where they apply and only when the answer shows them.

A raised flag carries the candidate's words that show it (a quote) or, when the flag is about something missing, the
key of a plain statement of what is absent (its wording is in content/feedback.yml, answer.absent_<flag id>).
"""

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np

from coach.answer_language import AnswerLanguage, words
from coach.cx_concepts import ConceptMention
from coach.question_bank import Question, RedFlag
from coach.scoring_parameters import ScoringParameters
from coach.star import PAST_NARRATIVE, StarReading

NO_METRICS = "no_metrics"
NO_EMPATHY = "no_empathy"
NO_FEEDBACK_PRACTICE = "no_feedback_practice"
NO_EXAMPLE = "no_example"
_NUMBER_OR_NAME = re.compile(r"\d|(?<=[a-z,;] )[A-Z][a-z]+")


@dataclass(frozen=True)
class RaisedFlag:
    flag: RedFlag
    quote: Optional[str] = None  # the candidate's words that show the flag
    absent: bool = False  # True when the flag is raised for what the whole answer leaves out

    def to_dict(self) -> Dict:
        return {"id": self.flag.id, "name": self.flag.name, "quote": self.quote, "absent": self.absent}


class RedFlagDetector:
    def __init__(self, red_flags: Dict[str, RedFlag], embedder, language: AnswerLanguage,
                 parameters: ScoringParameters):
        self.red_flags = red_flags
        self.embedder = embedder
        self.language = language
        self.parameters = parameters
        for flag in red_flags.values():
            embedder.encode_cached(list(flag.signals))

    def raised(self, question: Question, sentences: Sequence[str], sentence_vectors: np.ndarray,
               concepts: Dict[str, ConceptMention], star: Optional[StarReading]) -> List[RaisedFlag]:
        """The question's red flags this answer shows. Answers too short to judge raise none."""
        if len(words(" ".join(sentences))) < self.parameters.min_words:
            return []
        raised = []
        for flag_id in question.red_flags:
            flag = self.red_flags[flag_id]
            check = {NO_METRICS: self._no_metrics, NO_EMPATHY: self._no_empathy,
                     NO_FEEDBACK_PRACTICE: self._no_feedback_practice, NO_EXAMPLE: self._no_example}[flag_id]
            found = check(flag, sentences, sentence_vectors, concepts, star)
            if found:
                raised.append(found)
        return raised

    def _first_with(self, list_name: str, sentences: Sequence[str]) -> Optional[str]:
        return next((s for s in sentences if self.language.has(list_name, s)), None)

    def _shows_signal(self, flag: RedFlag, sentence_vectors: np.ndarray) -> bool:
        if not len(sentence_vectors):
            return False
        similarities = sentence_vectors @ self.embedder.encode_cached(list(flag.signals)).T
        return float(similarities.max()) >= self.parameters.signal_threshold

    def _no_metrics(self, flag, sentences, vectors, concepts, star) -> Optional[RaisedFlag]:
        if any(mention.concept.kind == "metric" for mention in concepts.values()):
            return None
        vague = self._first_with("vague_measure_cues", sentences)
        if vague:  # measuring by feel, and no metric anywhere: the candidate's own words show it
            return RaisedFlag(flag, quote=vague)
        return None if self._shows_signal(flag, vectors) else RaisedFlag(flag, absent=True)

    def _no_empathy(self, flag, sentences, vectors, concepts, star) -> Optional[RaisedFlag]:
        return self._quoted_or_absent(flag, sentences, vectors, against="dismissive_cues", shown_by="empathy_cues")

    def _no_feedback_practice(self, flag, sentences, vectors, concepts, star) -> Optional[RaisedFlag]:
        return self._quoted_or_absent(flag, sentences, vectors, against="no_feedback_cues", shown_by="feedback_cues")

    def _quoted_or_absent(self, flag, sentences, vectors, against: str, shown_by: str) -> Optional[RaisedFlag]:
        """Raised with the candidate's words when a sentence says it ("I don't really do surveys"); not raised when
        a sentence shows the opposite, by cue words or by meaning (the flag's signals); else raised as absent."""
        quote = self._first_with(against, sentences)
        if quote:
            return RaisedFlag(flag, quote=quote)
        if self._first_with(shown_by, sentences) or self._shows_signal(flag, vectors):
            return None
        return RaisedFlag(flag, absent=True)

    def _no_example(self, flag, sentences, vectors, concepts, star) -> Optional[RaisedFlag]:
        if star is not None and star.hypothetical:
            return RaisedFlag(flag, quote=star.hypothetical_quote)
        if any(PAST_NARRATIVE.search(s) for s in sentences):
            return None
        text = " ".join(sentences)
        if _NUMBER_OR_NAME.search(text) or self.language.has("time_references", text):
            return None
        return RaisedFlag(flag, absent=True)
