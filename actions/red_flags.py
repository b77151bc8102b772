"""Red flags interviewers watch for, raised only on questions where they apply and only when the answer shows them."""

import re
from dataclasses import dataclass
from typing import Dict, List, Sequence

import numpy as np

from actions.question_bank import Question, RedFlag

# An answer sentence this close to one of a flag's signals shows the flag does not apply.
SIGNAL_THRESHOLD = 0.45
# First person plus a past-tense verb ("I called", "we rolled out"): the mark of a real example.
_PAST_NARRATIVE = re.compile(
    r"\b(i|we|my team|our team)\b(\s+\w+){0,3}?\s+(\w+ed|did|made|took|gave|led|ran|set|built|wrote|spoke|told|"
    r"sent|met|found|got|had|was|were|began|kept|went|came|saw|chose|felt|brought|sat|held|won|lost|paid)\b",
    re.IGNORECASE,
)
NO_METRICS = "no_metrics"
NO_EXAMPLE = "no_example"


@dataclass(frozen=True)
class RaisedFlag:
    flag: RedFlag
    reason: str


class RedFlagDetector:
    def __init__(self, red_flags: Dict[str, RedFlag], embedder):
        self.red_flags = red_flags
        self.embedder = embedder
        for flag in red_flags.values():
            embedder.encode_cached(list(flag.signals))

    def raised(self, question: Question, sentences: Sequence[str], sentence_vectors: np.ndarray,
               metric_ids_found: Sequence[str]) -> List[RaisedFlag]:
        raised = []
        for flag_id in question.red_flags:
            flag = self.red_flags[flag_id]
            if flag_id == NO_METRICS:
                if not metric_ids_found:
                    raised.append(RaisedFlag(flag, "the answer names no customer metric, such as NPS, CSAT or CES"))
                continue
            if self._shows_signal(flag, sentence_vectors):
                continue
            if flag_id == NO_EXAMPLE:
                if not any(_PAST_NARRATIVE.search(sentence) for sentence in sentences):
                    raised.append(RaisedFlag(flag, "no sentence tells what you actually did in a real situation"))
                continue
            raised.append(RaisedFlag(flag, "no sentence in the answer shows it"))
        return raised

    def _shows_signal(self, flag: RedFlag, sentence_vectors: np.ndarray) -> bool:
        if not len(sentence_vectors):
            return False
        similarities = sentence_vectors @ self.embedder.encode_cached(list(flag.signals)).T
        return float(similarities.max()) >= SIGNAL_THRESHOLD
