"""The coach: loads the content and the embedding model once, then assesses answers and writes feedback and summaries.

This is the one object the Rasa actions and the command-line tools talk to. It has no Rasa import.
"""

import functools
import logging
import time
from typing import Dict, List, Optional, Sequence

import numpy as np

from actions.commands import CommandReader, load_commands
from actions.cx_metrics import MetricDetector, load_cx_metrics
from actions.embedding import Embedder
from actions.feedback import QuestionAssessment, Texts, compose_answer_feedback, load_texts
from actions.question_bank import Question, QuestionBank, load_question_bank
from actions.red_flags import RedFlagDetector
from actions.scoring import AnswerAssessment, AnswerScorer, CriterionSpec, looks_english
from actions.settings import Settings, load_settings
from actions.summary import SummaryWriter

logger = logging.getLogger(__name__)


class Content:
    """Every content file, loaded and validated. Cheap: no model involved."""

    def __init__(self, settings: Settings):
        directory = settings.content_dir
        self.bank: QuestionBank = load_question_bank(directory / "question_bank.yml")
        self.metrics = load_cx_metrics(directory / "cx_metrics.yml")
        self.texts: Texts = load_texts(directory / "feedback.yml")
        self.commands: CommandReader = load_commands(directory / "commands.yml")


class Coach:
    def __init__(self, settings: Optional[Settings] = None, embedder: Optional[Embedder] = None):
        self.settings = settings or load_settings()
        started = time.perf_counter()
        self.content = Content(self.settings)
        self.bank = self.content.bank
        self.texts = self.content.texts
        self.commands = self.content.commands
        self.embedder = embedder or Embedder(self.settings.embedding_model)
        self.scorer = AnswerScorer(self.embedder, self.settings.coverage_threshold, self.settings.max_scored_chars)
        self.metric_detector = MetricDetector(self.content.metrics, self.embedder)
        self.red_flag_detector = RedFlagDetector(self.bank.red_flags, self.embedder)
        self.summary_writer = SummaryWriter(self.bank, self.embedder, self.texts)
        # Embed every criterion and follow-up now, so the first answer is as fast as the rest.
        for question in self.bank.questions.values():
            self.embedder.encode_cached([criterion.text for criterion in question.criteria])
            self.embedder.encode_cached(list(question.follow_ups))
        logger.info("Coach ready in %.1f s with %d questions", time.perf_counter() - started, len(self.bank.questions))

    # --- assessing answers -------------------------------------------------------------------------------------

    def assess_criteria(self, answer: str, criteria: Sequence[CriterionSpec]) -> AnswerAssessment:
        """Score any answer against any criteria: the general scorer behind the JSON Lines command."""
        return self.scorer.assess(answer, criteria)

    def assess(self, question_id: str, answer: str) -> QuestionAssessment:
        question = self.bank.questions[question_id]
        specs = [CriterionSpec(text=c.text, id=c.id, tip=c.tip) for c in question.criteria]
        assessment = self.scorer.assess(answer, specs)
        found = self.metric_detector.find(assessment.sentences, assessment.sentence_vectors)
        missing_metrics = [metric for metric in self.metric_detector.metrics if metric.id not in found]
        flags = self.red_flag_detector.raised(question, assessment.sentences, assessment.sentence_vectors, list(found))
        return QuestionAssessment(
            question=question,
            assessment=assessment,
            metrics_found=found,
            metrics_missing=missing_metrics,
            red_flags=flags,
            answer_length=len(answer),
            scored_limit=self.settings.max_scored_chars,
            follow_up=self._follow_up_for_gap(question, assessment),
            english=looks_english(answer[: self.settings.max_scored_chars]),
        )

    def _follow_up_for_gap(self, question: Question, assessment: AnswerAssessment) -> Optional[str]:
        """The follow-up question that best targets the most important missing criterion (criteria come in order)."""
        missing = assessment.missing
        if not missing or not question.follow_ups:
            return None
        gap = self.embedder.encode_cached([missing[0].criterion.text])
        follow_ups = self.embedder.encode_cached(list(question.follow_ups))
        return question.follow_ups[int(np.argmax(follow_ups @ gap.T))]

    def feedback(self, result: QuestionAssessment) -> str:
        return compose_answer_feedback(result, self.texts)

    @staticmethod
    def result_record(result: QuestionAssessment, number: int, answer: str) -> Dict:
        """What the interview keeps of an answer (JSON, stored in a slot): enough for the summary and reports."""
        return {
            "question_id": result.question.id,
            "number": number,
            "status": "answered",
            "answer": answer,
            "score": result.assessment.score,
            "covered": [{"id": r.criterion.id, "evidence": r.evidence, "similarity": r.similarity}
                        for r in result.assessment.covered],
            "missing": [r.criterion.id for r in result.assessment.missing],
            "metrics": sorted(result.metrics_found),
            "red_flags": [raised.flag.id for raised in result.red_flags],
            "trimmed": result.assessment.trimmed,
        }

    def summary(self, results: List[Dict], level: str, employer_question_index: int = 0) -> str:
        return self.summary_writer.write(results, level, employer_question_index)


@functools.lru_cache(maxsize=1)
def get_coach() -> Coach:
    """The process-wide coach; the first call loads the model (a few seconds), later calls are free."""
    return Coach()
