"""The coach: loads the content and the embedding model once, then assesses answers and writes feedback and summaries.

This is the one object the Rasa actions and the command-line tools talk to. It has no Rasa import. A calibration
script can build one with other scoring numbers: Coach(parameters=dataclasses.replace(parameters, ...)).
"""

import dataclasses
import functools
import logging
import time
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from coach.answer_language import AnswerLanguage, load_answer_language
from coach.assessment import FollowUpOutcome, QuestionAssessment
from coach.commands import CommandReader, load_commands
from coach.cx_concepts import ConceptDetector, check_concept_ids, load_cx_concepts
from coach.embedding import Embedder
from coach.feedback import Texts, compose_answer_feedback, compose_follow_up_feedback, load_texts, red_flag_line
from coach.gaming import load_vocabulary
from coach.matching import JudgementModel, load_judgement_model, silent_statements
from coach.misdefinitions import MisdefinitionCheck
from coach.question_bank import Question, QuestionBank, attach_criterion_examples, load_question_bank
from coach.red_flags import RedFlagDetector
from coach.scoring import AnswerAssessment, AnswerScorer, CriterionSpec
from coach.scoring_parameters import ScoringParameters, check_parameters, load_scoring_parameters
from coach.settings import Settings, load_settings
from coach.summary import SummaryWriter

logger = logging.getLogger(__name__)


class Content:
    """Every content file, loaded and validated. Cheap: no model involved."""

    def __init__(self, settings: Settings):
        directory = settings.content_dir
        self.bank: QuestionBank = attach_criterion_examples(load_question_bank(directory / "question_bank.yml"),
                                                            directory / "criterion_examples.yml")
        self.concepts = load_cx_concepts(directory / "cx_concepts.yml")
        check_concept_ids(directory / "question_bank.yml",
                          {q.id: q.concepts + tuple(c.concept for c in q.criteria if c.concept)
                           for q in self.bank.questions.values()}, self.concepts)
        self.texts: Texts = load_texts(directory / "feedback.yml")
        self.commands: CommandReader = load_commands(directory / "commands.yml")
        self.language: AnswerLanguage = load_answer_language(directory / "answer_language.yml")
        self.parameters: ScoringParameters = load_scoring_parameters(directory / "scoring.yml")


def criterion_specs(question: Question) -> List[CriterionSpec]:
    return [CriterionSpec(text=c.text, id=c.id, tip=c.tip, phrasings=c.phrasings, examples=c.examples,
                          negatives=c.negatives, concept=c.concept) for c in question.criteria]


class Coach:
    def __init__(self, settings: Optional[Settings] = None, embedder: Optional[Embedder] = None,
                 parameters: Optional[ScoringParameters] = None, model: Optional[JudgementModel] = None):
        self.settings = settings or load_settings()
        started = time.perf_counter()
        self.content = Content(self.settings)
        self.bank = self.content.bank
        self.texts = self.content.texts
        self.commands = self.content.commands
        self.parameters = parameters or self.content.parameters
        check_parameters(self.parameters)
        self.embedder = embedder or Embedder(self.settings.embedding_model, backend=self.settings.embedding_backend)
        vocabulary = load_vocabulary(getattr(self.embedder, "location", "") or "")
        self.concept_detector = ConceptDetector(self.content.concepts, self.embedder,
                                                self.parameters.description_threshold,
                                                self.content.language.patterns["negations"])
        misdefinitions = MisdefinitionCheck(self.content.concepts, self.embedder, self.parameters.misdefinition_floor,
                                            self.parameters.misdefinition_margin)
        model = model or load_judgement_model(self.settings.content_dir / "judgement_model.yml")
        if len(model.statements.weights) != self.embedder.dimension:
            logger.warning("The statement model was fitted on %d-number sentence vectors and %s gives %d: it is left "
                           "out (refit with python -m bench.judgement --write)", len(model.statements.weights),
                           self.settings.embedding_model, self.embedder.dimension)
            model = dataclasses.replace(model, statements=silent_statements(self.embedder.dimension))
        self.scorer = AnswerScorer(self.embedder, self.parameters, self.content.language,
                                   self.settings.max_scored_chars, model, vocabulary, misdefinitions,
                                   self.concept_detector)
        self.red_flag_detector = RedFlagDetector(self.bank.red_flags, self.embedder, self.content.language,
                                                 self.parameters)
        self.summary_writer = SummaryWriter(self.bank, self.embedder, self.texts, self.parameters,
                                            self.content.concepts)
        # Embed every criterion and follow-up now, so the first answer is as fast as the rest.
        for question in self.bank.questions.values():
            self.scorer.warm(criterion_specs(question))
            self.embedder.encode_cached(list(question.follow_ups))
        logger.info("Coach ready in %.1f s with %d questions", time.perf_counter() - started, len(self.bank.questions))

    # --- assessing answers -------------------------------------------------------------------------------------

    def assess_criteria(self, answer: str, criteria: Sequence[CriterionSpec],
                        question: Optional[str] = None) -> AnswerAssessment:
        """Score any answer against any criteria: the general scorer behind the JSON Lines command. With the
        question's text, a copied-back question earns nothing and "tell me about a time" answers are read for STAR."""
        return self.scorer.assess(answer, criteria, question=question)

    def assess(self, question_id: str, answer: str) -> QuestionAssessment:
        question = self.bank.questions[question_id]
        assessment = self.scorer.assess(answer, criterion_specs(question), question=question.text,
                                        behavioural=question.expects_example)
        concepts = assessment.concepts
        missing_concepts = [self.concept_detector.by_id[cid] for cid in question.concepts if cid not in concepts]
        if assessment.gaming is not None:
            flags = []
        else:
            flags = self.red_flag_detector.raised(question, assessment.sentences, assessment.sentence_vectors,
                                                  concepts, assessment.star)
        follow_up, target = self._follow_up_for_gap(question, assessment)
        return QuestionAssessment(
            question=question,
            assessment=assessment,
            concepts_found=concepts,
            concepts_missing=missing_concepts,
            red_flags=flags,
            answer_length=len(answer),
            scored_limit=self.settings.max_scored_chars,
            follow_up=follow_up,
            english=assessment.gaming is not None or assessment.english,
            follow_up_target=target,
        )

    def assess_with_follow_up(self, question_id: str, answer: str, follow_up_answer: str) -> FollowUpOutcome:
        """Rescore an answer together with the candidate's reply to the follow-up; keep whichever reads better.

        A reply that is itself gaming (a keyword list, filler...) never lifts the score.
        """
        original = self.assess(question_id, answer)
        question = self.bank.questions[question_id]
        if self.scorer.gaming.verdict(follow_up_answer, question.text, 1) is not None:
            return FollowUpOutcome(original, original, False)
        combined = self.assess(question_id, f"{answer}\n{follow_up_answer}")
        if combined.assessment.score < original.assessment.score:
            return FollowUpOutcome(original, original, False)
        return FollowUpOutcome(original, combined, True)

    def _follow_up_for_gap(self, question: Question, assessment: AnswerAssessment
                           ) -> Tuple[Optional[str], Optional[str]]:
        """One follow-up aimed at the most important missing criterion (criteria are listed most important first):
        the bank follow-up closest to it, or a question built from its tip when none fits."""
        missing = assessment.missing
        if not missing or assessment.gaming is not None or assessment.score >= self.parameters.max_score:
            return None, None
        gap = missing[0].criterion
        if question.follow_ups:
            similarity = self.embedder.encode_cached(list(question.follow_ups)) @ self.embedder.encode_cached(
                self.scorer.criterion_texts(gap)).T
            best = int(np.argmax(similarity.max(axis=1)))
            if float(similarity[best].max()) >= self.parameters.min_fit:
                return question.follow_ups[best], gap.id
        return self.texts.answer("follow_up_from_tip", tip=gap.tip), gap.id

    def feedback(self, result: QuestionAssessment) -> str:
        return compose_answer_feedback(result, self.texts)

    def follow_up_feedback(self, outcome: FollowUpOutcome) -> str:
        """What the reply to a follow-up changed, and what is still missing (not the first feedback again)."""
        return compose_follow_up_feedback(outcome, self.texts)

    def result_record(self, result: QuestionAssessment, number: int, answer: str,
                      follow_up_answer: Optional[str] = None, follow_up_counted: Optional[bool] = None) -> Dict:
        """What the interview keeps of an answer (JSON, stored in a slot): everything the summary and the recruiter
        report need, with the candidate's words as evidence. After a follow-up, also its answer and whether it counted
        (see assess_with_follow_up)."""
        assessment = result.assessment
        record = {
            "question_id": result.question.id,
            "number": number,
            "status": "answered",
            "answer": answer,
            "score": assessment.score,
            "band": assessment.band,
            "criteria_score": assessment.criteria_score,
            "covered": [{"id": r.criterion.id, "evidence": r.evidence, "similarity": r.similarity}
                        for r in assessment.covered],
            "missing": [{"id": r.criterion.id, "similarity": r.similarity, "tip": r.criterion.tip}
                        for r in assessment.missing],
            "concepts": {cid: {"how": m.how, "sentence": m.sentence} for cid, m in result.concepts_found.items()},
            "concepts_missing": [concept.id for concept in result.concepts_missing],
            "red_flags": [dict(raised.to_dict(), text=red_flag_line(raised, self.texts))
                          for raised in result.red_flags],
            "star": assessment.star.to_dict() if assessment.star else None,
            "gaming": ({"kind": assessment.gaming.kind, "detail": assessment.gaming.detail}
                       if assessment.gaming else None),
            "follow_up": result.follow_up,
            "follow_up_target": result.follow_up_target,
            "trimmed": assessment.trimmed,
            "english": result.english,
        }
        if follow_up_answer is not None:
            record.update(follow_up_answer=follow_up_answer, follow_up_counted=bool(follow_up_counted))
        return record

    def summary(self, results: List[Dict], level: str, employer_question_index: Optional[int] = 0) -> str:
        return self.summary_writer.write(results, level, employer_question_index)

    def interview_profile(self, results: List[Dict], level: str) -> Dict:
        """Per-interview conclusions as data (competency profile, level readiness) for reports."""
        return self.summary_writer.interview_profile(results, level)


@functools.lru_cache(maxsize=1)
def get_coach() -> Coach:
    """The process-wide coach; the first call loads the model (a few seconds), later calls are free."""
    return Coach()
