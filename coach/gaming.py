"""Anti-gaming: answers that try to earn credit without saying anything get none, and the feedback says why.

Five patterns: a bare keyword list, the question copied back, repeated filler, gibberish, and an answer too short for
the question. Each test is narrow so that short but real answers, and answers written as lists of full sentences,
pass. The limits are in content/scoring.yml (anti_gaming).
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, List, Optional, Sequence

from coach.answer_language import AnswerLanguage, words
from coach.scoring_parameters import ScoringParameters

KINDS = ("keyword_list", "copied_question", "filler", "gibberish", "too_short")
# Distinct-word share is measured on the opening words only: long real answers reuse words too.
FILLER_WINDOW = 60
MIN_GIBBERISH_WORDS = 3
# A list whose items include one of at least this many words, this many of them function words ("I", "the", "by"),
# is notes written tersely, not a keyword list.
PHRASE_MIN_WORDS = 6
PHRASE_MIN_FUNCTION_WORDS = 2
_LIST_ITEMS = re.compile(r"[,;/|•\n.:!?()]+")


@dataclass(frozen=True)
class GamingVerdict:
    kind: str  # one of KINDS
    detail: str  # the words behind the verdict, for the feedback ("NPS CSAT CES journey mapping")


def load_vocabulary(model_location: str) -> FrozenSet[str]:
    """The embedding model's own word list (vocab.txt of a BERT-style tokenizer): the words it knows whole.

    Empty when the model has no such file; the gibberish test then falls back to a letter-shape check.
    """
    vocab = Path(model_location) / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    return frozenset(line.strip() for line in vocab.read_text(encoding="utf-8").splitlines()
                     if line.strip().isalpha() and len(line.strip()) > 1)


def _plausible_word(word: str) -> bool:
    """Letter-shape fallback: a vowel, and no run of five consonants."""
    vowels = set("aeiouy")
    if not any(letter in vowels for letter in word):
        return False
    run = 0
    for letter in word:
        run = 0 if letter in vowels else run + 1
        if run >= 5:
            return False
    return True


class GamingCheck:
    def __init__(self, language: AnswerLanguage, parameters: ScoringParameters,
                 vocabulary: FrozenSet[str] = frozenset()):
        self.language = language
        self.parameters = parameters
        self.vocabulary = vocabulary

    def verdict(self, answer: str, question: Optional[str], criteria_count: int,
                english: bool = True) -> Optional[GamingVerdict]:
        """The first gaming pattern the answer shows, or None for an answer that may be scored on its merits.

        An answer in another language has few English function words and many words the model doesn't know, which
        is not gaming: the keyword-list and gibberish tests are left out for it (the feedback notes the language).
        """
        tokens = words(answer)
        if not tokens:
            return None  # empty answers are handled before scoring
        tests = [self._filler, self._copied_question]
        if english:
            tests = [self._gibberish, self._filler, self._keyword_list, self._copied_question]
        for test in tests:
            found = test(answer, tokens, question)
            if found:
                return found
        # A question with one expected point ("What is the capital of France?") can be answered in one word.
        minimum = 1 if criteria_count <= 1 else self.parameters.words_per_criterion * criteria_count
        if len(tokens) < minimum:
            return GamingVerdict("too_short", " ".join(answer.split()))
        return None

    def _content(self, tokens: Sequence[str]) -> List[str]:
        return [t for t in tokens if t not in self.language.function_words and t.isalpha()]

    def _keyword_list(self, answer: str, tokens: List[str], question: Optional[str]) -> Optional[GamingVerdict]:
        p = self.parameters
        terms = [t for t in tokens if t.isalpha()]
        if len(terms) < p.keyword_list_min_terms:
            return None
        function_share = sum(1 for t in terms if t in self.language.function_words) / len(terms)
        # "Mitochondria produce ATP" is three terms with no function word but a real sentence; a list has 4+ terms
        # or separators between them.
        separated = any(mark in answer for mark in (",", "/", "\n", ";", "|", "•"))
        if function_share < p.keyword_list_max_function_share and (len(terms) >= 4 or separated) \
                and not any(self._reads_as_a_phrase(item) for item in _LIST_ITEMS.split(answer)):
            return GamingVerdict("keyword_list", " ".join(answer.split()))
        return None

    def _reads_as_a_phrase(self, item: str) -> bool:
        """Terse notes are still sentences: "I built the Power BI dashboard splitting scores by region" has words
        that join its terms. A keyword list's items are terms alone, however many of them run together."""
        tokens = words(item)
        joining = sum(1 for t in tokens if t in self.language.function_words)
        return len(tokens) >= PHRASE_MIN_WORDS and joining >= PHRASE_MIN_FUNCTION_WORDS

    def _copied_question(self, answer: str, tokens: List[str], question: Optional[str]) -> Optional[GamingVerdict]:
        if not question:
            return None
        content = self._content(tokens)
        if len(content) < self.parameters.copy_min_words:
            return None
        question_words = {stem(t) for t in words(question)}
        novel = [t for t in content if stem(t) not in question_words]
        if len(novel) / len(content) < self.parameters.copy_min_novel_share:
            return GamingVerdict("copied_question", " ".join(answer.split()))
        return None

    def _filler(self, answer: str, tokens: List[str], question: Optional[str]) -> Optional[GamingVerdict]:
        """Few distinct words at the start (a long real answer repeats words too, so only its opening is measured),
        mostly filler words, or the same sentence again and again."""
        p = self.parameters
        if len(tokens) < p.filler_min_words:
            return None
        opening = tokens[:FILLER_WINDOW]
        distinct_share = len(set(opening)) / len(opening)
        filler_share = sum(1 for t in tokens if t in self.language.filler_words) / len(tokens)
        sentences = [" ".join(words(s)) for s in re.split(r"[.!?\n]+", answer) if words(s)]
        repeated_share = 1 - len(set(sentences)) / len(sentences) if len(sentences) > 2 else 0.0
        if distinct_share < p.filler_min_distinct_share or filler_share > p.filler_max_filler_share \
                or repeated_share > 1 - p.filler_min_distinct_share:
            top = max(set(tokens), key=tokens.count)
            return GamingVerdict("filler", f"“{top}” {tokens.count(top)} times in {len(tokens)} words")
        return None

    def _gibberish(self, answer: str, tokens: List[str], question: Optional[str]) -> Optional[GamingVerdict]:
        acronyms = {word.lower() for word in re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b", answer)}  # NPS, CSAT, VoC
        letters = [t for t in tokens if t.isalpha() and t not in self.language.function_words and t not in acronyms]
        if len(letters) < MIN_GIBBERISH_WORDS:
            return None  # one odd word ("churn" is not whole in every tokenizer) is no sign of gibberish
        unknown = [t for t in letters if not self._known(t)]
        if len(unknown) / len(letters) > self.parameters.gibberish_max_unknown_share:
            return GamingVerdict("gibberish", " ".join(unknown[:5]))
        return None

    def _known(self, word: str) -> bool:
        if len(word) <= 2:
            return True
        if self.vocabulary:
            return (word in self.vocabulary or stem(word) in self.vocabulary
                    or _plausible_long_word(word, self.vocabulary))
        return _plausible_word(word)


def _plausible_long_word(word: str, vocabulary: FrozenSet[str]) -> bool:
    """Long real words ('omnichannel', 'onboarding') are often missing whole from a tokenizer's list; accept a word
    made of two known pieces of three letters or more."""
    return any(word[:cut] in vocabulary and word[cut:] in vocabulary for cut in range(3, len(word) - 2))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem, enough to see 'customers' and 'customer' as one word. (Remembered: the same words come back in
    every answer.)"""
    for suffix in ("ies", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word
