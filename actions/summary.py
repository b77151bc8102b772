"""The end-of-interview summary: scores per question and competency, level indicators met, and next steps."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np

from actions.feedback import Texts
from actions.question_bank import LEVELS, QuestionBank
from actions.scoring import split_sentences

# An answer sentence this close to one of an indicator's signals shows the indicator.
INDICATOR_THRESHOLD = 0.5
# An indicator counts for a level verdict when at least this share of the level's indicators was shown.
LEVEL_VERDICT_SHARE = 0.5
LEVEL_UP_AVERAGE = 0.75
MAX_NEXT_STEPS = 3


@dataclass(frozen=True)
class LevelReading:
    level: str
    met: List[str]  # names of the indicators the answers showed
    total: int


def _average(values: Sequence[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


class SummaryWriter:
    def __init__(self, bank: QuestionBank, embedder, texts: Texts):
        self.bank = bank
        self.embedder = embedder
        self.texts = texts
        for level in bank.levels.values():
            for indicator in level.indicators:
                embedder.encode_cached(list(indicator.signals))

    def level_readings(self, answers: Sequence[str]) -> List[LevelReading]:
        sentences = [sentence for answer in answers for sentence in split_sentences(answer)]
        vectors = self.embedder.encode(sentences) if sentences else None
        readings = []
        for level_id in LEVELS:
            level = self.bank.levels[level_id]
            met = []
            for indicator in level.indicators:
                if vectors is None:
                    continue
                similarity = vectors @ self.embedder.encode_cached(list(indicator.signals)).T
                if float(similarity.max()) >= INDICATOR_THRESHOLD:
                    met.append(indicator.name)
            readings.append(LevelReading(level_id, met, len(level.indicators)))
        return readings

    def write(self, results: Sequence[Dict], level: str, employer_question_index: int = 0) -> str:
        """Render the summary for the interview's results (the records kept in the interview_results slot)."""
        texts = self.texts
        answered = [r for r in results if r.get("status") == "answered"]
        if not answered:
            return texts.summary("nothing_answered")
        level_name = self.bank.levels[level].name if level in self.bank.levels else level
        average = _average([r["score"] for r in answered])
        lines = [texts.summary("heading", level=level_name, answered=len(answered), asked=len(results),
                               average=round(average * 100)), texts.summary("questions_heading")]
        by_competency: Dict[str, List[float]] = {}
        for record in results:
            question = self.bank.question(record["question_id"])
            competency = self.bank.competencies[question.competency].name
            if record.get("status") == "answered":
                by_competency.setdefault(competency, []).append(record["score"])
                lines.append(texts.summary("question_line", number=record["number"], competency=competency,
                                           score=round(record["score"] * 100), text=question.text))
            else:
                lines.append(texts.summary("skipped_line", number=record["number"], competency=competency,
                                           text=question.text))

        competency_scores = {name: _average(scores) for name, scores in by_competency.items()}
        lines.append(texts.summary("competencies_heading"))
        for name, score in sorted(competency_scores.items(), key=lambda item: -item[1]):
            lines.append(texts.summary("competency_line", competency=name, score=round(score * 100)))
        if len(competency_scores) > 1:
            strongest = max(competency_scores, key=competency_scores.get)
            weakest = min(competency_scores, key=competency_scores.get)
            lines.append(texts.summary("strongest", competency=strongest, score=round(competency_scores[strongest] * 100)))
            lines.append(texts.summary("weakest", competency=weakest, score=round(competency_scores[weakest] * 100)))

        readings = self.level_readings([r["answer"] for r in answered])
        lines.append(texts.summary("levels_heading"))
        verdict = None
        for reading in readings:
            level_info = self.bank.levels[reading.level]
            if reading.met:
                lines.append(texts.summary("level_line", level=level_info.name, years=level_info.years,
                                           met=len(reading.met), total=reading.total, names=", ".join(reading.met)))
            else:
                lines.append(texts.summary("level_line_none", level=level_info.name, years=level_info.years))
            if len(reading.met) >= LEVEL_VERDICT_SHARE * reading.total:
                verdict = level_info.name
        lines.append(texts.summary("level_verdict", level=verdict) if verdict else texts.summary("level_verdict_none"))

        lines.append(texts.summary("next_steps_heading"))
        lines.extend(self.next_steps(results, level, average, employer_question_index))
        lines.append(texts.summary("closing"))
        return "\n".join(lines)

    def next_steps(self, results: Sequence[Dict], level: str, average: float, employer_question_index: int) -> List[str]:
        texts = self.texts
        steps: List[str] = []
        answered = sorted((r for r in results if r.get("status") == "answered"), key=lambda r: r["score"])
        metrics_gap = any(
            self.bank.question(r["question_id"]).checks_metrics and not r.get("metrics") for r in answered
        )
        if metrics_gap:
            steps.append(texts.summary("next_step_metrics"))
        for record in answered:
            if len(steps) >= MAX_NEXT_STEPS - 1:
                break
            question = self.bank.question(record["question_id"])
            tips = {criterion.id: criterion.tip for criterion in question.criteria}
            missing = [criterion_id for criterion_id in record.get("missing", []) if criterion_id in tips]
            if missing:
                steps.append(texts.summary("next_step_criterion", question=question.text, tip=tips[missing[0]]))
        if any(r.get("status") != "answered" for r in results):
            steps.append(texts.summary("next_step_skipped"))
        elif average >= LEVEL_UP_AVERAGE and level != LEVELS[-1]:
            steps.append(texts.summary("next_step_level_up", level=LEVELS[LEVELS.index(level) + 1]))
        elif self.bank.questions_to_ask:
            employer = self.bank.questions_to_ask[employer_question_index % len(self.bank.questions_to_ask)]
            steps.append(texts.summary("next_step_ask_employer", question=employer.text))
        return steps[:MAX_NEXT_STEPS]
