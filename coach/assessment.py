"""What the coach concluded about one answer to one bank question: the result that feedback, the chat page payload
and the interview's records are all made from."""

from dataclasses import dataclass, replace
from typing import Dict, List, Optional

from coach.cx_concepts import ConceptMention, CxConcept
from coach.question_bank import Question
from coach.red_flags import RaisedFlag
from coach.scoring import AnswerAssessment


@dataclass(frozen=True)
class QuestionAssessment:
    """Everything the coach concluded about one answer to one bank question."""

    question: Question
    assessment: AnswerAssessment
    concepts_found: Dict[str, ConceptMention]
    concepts_missing: List[CxConcept]  # concepts the question expects that the answer did not bring in
    red_flags: List[RaisedFlag]
    answer_length: int
    scored_limit: int
    follow_up: Optional[str]  # a follow-up question aimed at the most important gap, if there is one
    english: bool = True  # False when the answer looks like another language (the model only reads English well)
    follow_up_target: Optional[str] = None  # the id of the missing criterion the follow-up aims at

    def without_follow_up(self) -> "QuestionAssessment":
        """The same result with no follow-up to prepare: what is shown when the bot asks the follow-up itself next."""
        return replace(self, follow_up=None)

    @property
    def score_percent(self) -> int:
        return round(self.assessment.score * 100)


@dataclass(frozen=True)
class FollowUpOutcome:
    """The first answer's result, the result kept after the candidate's reply to the follow-up (the two answers read
    together, or the first alone when the reply added nothing), and whether the reply counted."""

    before: QuestionAssessment
    kept: QuestionAssessment
    counted: bool

    @property
    def newly_covered(self) -> List:
        already = {result.criterion.id for result in self.before.assessment.covered}
        return [result for result in self.kept.assessment.covered if result.criterion.id not in already]
