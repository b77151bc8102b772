"""The end-of-interview summary: scores per question and competency, level readiness (which junior, mid and senior
indicators the answers showed, and what would move the candidate up a level), and next steps.

`interview_profile` gives the same conclusions as plain data (for the recruiter report); `write` renders them.
"""

from typing import Dict, List, Optional, Sequence

from coach.feedback import Texts
from coach.question_bank import LEVELS, QuestionBank
from coach.scoring import split_sentences
from coach.scoring_parameters import ScoringParameters

LEVEL_UP_AVERAGE = 0.75
MAX_NEXT_STEPS = 3
MAX_LEVEL_UP_EXAMPLES = 2


def _average(values: Sequence[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def answered_records(results: Sequence[Dict]) -> List[Dict]:
    """The records of answered questions with a score: what every average of an interview or a screen is taken over."""
    return [r for r in results
            if r.get("status", "answered") == "answered" and isinstance(r.get("score"), (int, float))]


def average_score(results: Sequence[Dict]) -> Optional[float]:
    """The mean score of the answered questions, None when nothing was answered."""
    return _average([r["score"] for r in answered_records(results)])


def competency_scores(results: Sequence[Dict], bank: QuestionBank) -> List[Dict]:
    """The average score per competency, strongest first: [{id, name, score, answers}], unrounded.

    The one computation behind the summary's "By competency", the chat page's chart and the recruiter report.
    """
    by_competency: Dict[str, List[float]] = {}
    for record in answered_records(results):
        question = bank.question(record.get("question_id", ""))
        if question is not None:
            by_competency.setdefault(question.competency, []).append(record["score"])
    competencies = [{"id": cid, "name": bank.competencies[cid].name if cid in bank.competencies else cid,
                     "score": _average(scores), "answers": len(scores)} for cid, scores in by_competency.items()]
    competencies.sort(key=lambda c: -c["score"])
    return competencies


class SummaryWriter:
    def __init__(self, bank: QuestionBank, embedder, texts: Texts, parameters: ScoringParameters, concepts=()):
        self.bank = bank
        self.embedder = embedder
        self.texts = texts
        self.parameters = parameters
        self.concepts = {concept.id: concept for concept in concepts}
        for level in bank.levels.values():
            for indicator in level.indicators:
                embedder.encode_cached(list(indicator.signals))

    # --- conclusions as data ------------------------------------------------------------------------------------

    def level_readiness(self, answers: Sequence[str], average: Optional[float] = None) -> Dict:
        """Which indicators of each level the answers showed (with the sentence that showed it), the level they
        best match, and the next level's indicators still to show.

        A level is `shown` when at least `verdict_share` of its indicators are; it is `ready` when shown and the
        average score (when given) is not weak: talking about senior work is not the same as answering like a senior.
        The candidate's summary and the recruiter's report both read their verdict from here."""
        weak_average = average is not None and average < self.parameters.partial
        sentences = [sentence for answer in answers for sentence in split_sentences(answer)]
        vectors = self.embedder.encode(sentences) if sentences else None
        levels = []
        verdict = None
        for level_id in LEVELS:
            level = self.bank.levels[level_id]
            met, missing = [], []
            for indicator in level.indicators:
                evidence = None
                if vectors is not None:
                    similarity = (vectors @ self.embedder.encode_cached(list(indicator.signals)).T).max(axis=1)
                    best = int(similarity.argmax())
                    if float(similarity[best]) >= self.parameters.indicator_threshold:
                        evidence = sentences[best]
                entry = {"id": indicator.id, "name": indicator.name, "evidence": evidence,
                         "example": indicator.signals[0]}
                (met if evidence else missing).append(entry)
            shown = bool(met) and len(met) >= self.parameters.verdict_share * len(level.indicators)
            levels.append({"level": level_id, "name": level.name, "years": level.years, "met": met,
                           "missing": missing, "total": len(level.indicators), "shown": shown,
                           "ready": shown and not weak_average})
            if shown:
                verdict = level_id
        next_level = LEVELS[0] if verdict is None else (
            LEVELS[LEVELS.index(verdict) + 1] if verdict != LEVELS[-1] else None)
        to_move_up = next(entry["missing"] for entry in levels if entry["level"] == next_level) if next_level else []
        return {"levels": levels, "verdict": verdict, "weak_average": weak_average, "next_level": next_level,
                "to_move_up": to_move_up}

    def interview_profile(self, results: Sequence[Dict], level: str) -> Dict:
        """Per-interview conclusions as JSON-ready data: competency profile and level readiness."""
        answered = answered_records(results)
        competencies = [dict(entry, score=round(entry["score"], 4)) for entry in competency_scores(results, self.bank)]
        average = average_score(results)
        return {
            "level": level,
            "answered": len(answered),
            "asked": len(results),
            "average": round(average, 4) if average is not None else None,
            "band": self.parameters.band(average) if average is not None else None,
            "competencies": competencies,
            "readiness": self.level_readiness([r["answer"] for r in answered if r.get("answer")], average),
        }

    # --- rendering ----------------------------------------------------------------------------------------------

    def write(self, results: Sequence[Dict], level: str, employer_question_index: Optional[int] = 0) -> str:
        """Render the summary for the interview's results (the records kept in the interview_results slot).
        `employer_question_index` picks the question for the employer a next step may suggest; None when the
        interview already ended with the candidate's own questions."""
        return self.render(self.parts(results, level, employer_question_index))

    def render(self, parts: Optional[Dict]) -> str:
        """The summary's text from its parts (see `parts`), for a caller that needs both: reading level readiness
        embeds every sentence of the interview, which is worth doing once."""
        texts = self.texts
        if parts is None:
            return texts.summary("nothing_answered")
        lines = [parts["heading"], texts.summary("questions_heading"), *parts["questions"],
                 texts.summary("competencies_heading"), *parts["competencies"]]
        lines.extend(line for line in (parts["strongest"], parts["weakest"]) if line)
        readiness = parts["readiness"]
        lines.extend([texts.summary("levels_heading"), *readiness["levels"], readiness["verdict"]])
        lines.extend(line for line in [readiness["level_up"], *readiness["level_up_examples"]] if line)
        lines.extend([texts.summary("next_steps_heading"), *parts["next_steps"], texts.summary("closing")])
        return "\n".join(lines)

    def parts(self, results: Sequence[Dict], level: str, employer_question_index: Optional[int] = 0) -> Optional[Dict]:
        """The summary's sentences by section (None when nothing was answered): what `write` joins into the text
        and what the chat page's summary card shows under its own headings."""
        texts = self.texts
        answered = answered_records(results)
        if not answered:
            return None
        profile = self.interview_profile(results, level)
        level_name = self.bank.levels[level].name if level in self.bank.levels else level
        questions = []
        for record in results:
            question = self.bank.question(record["question_id"])
            competency = self.bank.competencies[question.competency].name
            if record.get("status") == "answered":
                questions.append(texts.summary("question_line", number=record["number"], competency=competency,
                                               score=round(record["score"] * 100), text=question.text))
            else:
                questions.append(texts.summary("skipped_line", number=record["number"], competency=competency,
                                               text=question.text))
        competencies = profile["competencies"]
        strongest = weakest = None
        if len(competencies) > 1:
            strongest = texts.summary("strongest", competency=competencies[0]["name"],
                                      score=round(competencies[0]["score"] * 100))
            weakest = texts.summary("weakest", competency=competencies[-1]["name"],
                                    score=round(competencies[-1]["score"] * 100))
        return {
            "heading": texts.summary("heading", level=level_name, answered=len(answered), asked=len(results),
                                     average=round(profile["average"] * 100)),
            "questions": questions,
            "competencies": [texts.summary("competency_line", competency=entry["name"],
                                           score=round(entry["score"] * 100)) for entry in competencies],
            "strongest": strongest,
            "weakest": weakest,
            "readiness": self._readiness(profile["readiness"], profile["average"]),
            "next_steps": self.next_steps(results, level, profile["average"], employer_question_index),
        }

    def _readiness(self, readiness: Dict, average: Optional[float]) -> Dict:
        """Level readiness in words: a line per level, the verdict, and what would move the candidate up."""
        texts = self.texts
        levels = []
        for entry in readiness["levels"]:
            if entry["met"]:
                levels.append(texts.summary("level_line", level=entry["name"], years=entry["years"],
                                            met=len(entry["met"]), total=entry["total"],
                                            names=", ".join(m["name"] for m in entry["met"])))
            else:
                levels.append(texts.summary("level_line_none", level=entry["name"], years=entry["years"]))
        verdict = readiness["verdict"]
        if verdict and readiness["weak_average"]:  # a weak average overrides the level verdict
            verdict_line = texts.summary("level_verdict_low_score", level=self.bank.levels[verdict].name,
                                         score=round(average * 100))
        else:
            verdict_line = (texts.summary("level_verdict", level=self.bank.levels[verdict].name) if verdict
                            else texts.summary("level_verdict_none"))
        level_up, examples = None, []
        if readiness["next_level"] is None:
            level_up = texts.summary("level_top")
        elif readiness["to_move_up"]:
            missing = readiness["to_move_up"]
            level_up = texts.summary("level_up", level=self.bank.levels[readiness["next_level"]].name,
                                     indicators=", ".join(m["name"].lower() for m in missing))
            examples = [texts.summary("level_up_example", indicator=entry["name"], example=entry["example"])
                        for entry in missing[:MAX_LEVEL_UP_EXAMPLES]]
        return {"levels": levels, "verdict": verdict_line, "level_up": level_up, "level_up_examples": examples}

    def next_steps(self, results: Sequence[Dict], level: str, average: float,
                   employer_question_index: Optional[int]) -> List[str]:
        texts = self.texts
        steps: List[str] = []
        answered = sorted((r for r in results if r.get("status") == "answered"), key=lambda r: r["score"])
        missing_concepts: List[str] = []
        for record in answered:
            for concept_id in record.get("concepts_missing", []):
                if concept_id in self.concepts and concept_id not in missing_concepts:
                    missing_concepts.append(concept_id)
        if missing_concepts:
            names = ", ".join(self.concepts[cid].abbreviation for cid in missing_concepts[:4])
            steps.append(texts.summary("next_step_concepts", concepts=names))
        if any((r.get("star") or {}).get("missing") or (r.get("star") and not r["star"].get("measurable_result"))
               for r in answered):
            steps.append(texts.summary("next_step_star"))
        for record in answered:
            if len(steps) >= MAX_NEXT_STEPS - 1:
                break
            question = self.bank.question(record["question_id"])
            tips = {criterion.id: criterion.tip for criterion in question.criteria}
            missing = [item["id"] if isinstance(item, dict) else item for item in record.get("missing", [])]
            missing = [criterion_id for criterion_id in missing if criterion_id in tips]
            if missing:
                steps.append(texts.summary("next_step_criterion", question=question.text, tip=tips[missing[0]]))
        if any(r.get("status") != "answered" for r in results):
            steps.append(texts.summary("next_step_skipped"))
        elif average >= LEVEL_UP_AVERAGE and level != LEVELS[-1]:
            steps.append(texts.summary("next_step_level_up", level=LEVELS[LEVELS.index(level) + 1]))
        elif self.bank.questions_to_ask and employer_question_index is not None:
            employer = self.bank.questions_to_ask[employer_question_index % len(self.bank.questions_to_ask)]
            steps.append(texts.summary("next_step_ask_employer", question=employer.text))
        return steps[:MAX_NEXT_STEPS]
