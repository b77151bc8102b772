"""The question bank: competencies, levels, red flags and interview questions, loaded from YAML and validated."""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from coach.content_files import ContentError, read_yaml, top_level, unique_ids

LEVELS = ("junior", "mid", "senior")
KINDS = ("technical", "behavioural", "scenario")
SOURCES = ("seed", "indicator")
MIN_CRITERIA, MAX_CRITERIA = 3, 7
MIN_QUESTIONS_PER_LEVEL = 6


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class LevelIndicator:
    id: str
    name: str
    signals: Tuple[str, ...]


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    years: str
    min_years: float
    indicators: Tuple[LevelIndicator, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    name: str
    explanation: str
    signals: Tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    tip: str
    phrasings: Tuple[str, ...] = ()  # other ways a candidate might say it; matched like the text
    concept: Optional[str] = None  # a CX concept (cx_concepts.yml) whose correct use covers the criterion
    examples: Tuple[str, ...] = ()  # sentences that demonstrate it (criterion_examples.yml)
    negatives: Tuple[str, ...] = ()  # on-topic sentences that do not
    # What a covered criterion tells the candidate, in the second person ("You showed how you got the teams
    # talking"); `text` is the rubric the judgement reads, `shown` is what the feedback card leads with.
    shown: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    level: str
    kind: str
    competency: str
    source: str
    text: str
    hint: str
    model_answer: str
    criteria: Tuple[Criterion, ...]
    follow_ups: Tuple[str, ...] = ()
    concepts: Tuple[str, ...] = ()  # ids from cx_concepts.yml that a strong answer brings in
    red_flags: Tuple[str, ...] = ()

    @property
    def expects_example(self) -> bool:
        """A behavioural question wants a real past example, not what the candidate would do."""
        return self.kind == "behavioural"


@dataclass(frozen=True)
class EmployerQuestion:
    id: str
    text: str
    why: str


@dataclass(frozen=True)
class QuestionBank:
    competencies: Dict[str, Competency]
    levels: Dict[str, Level]
    red_flags: Dict[str, RedFlag]
    questions: Dict[str, Question]
    questions_to_ask: Tuple[EmployerQuestion, ...]

    def questions_for_level(self, level: str) -> List[Question]:
        return [question for question in self.questions.values() if question.level == level]

    def question(self, question_id: str) -> Optional[Question]:
        return self.questions.get(question_id)


QUESTION_FIELDS = ("id", "level", "kind", "competency", "source", "text", "hint", "model_answer", "criteria")
QUESTION_OPTIONAL_FIELDS = ("follow_ups", "concepts", "red_flags")


def load_question_bank(path: Path) -> QuestionBank:
    """Read and validate the bank; any problem raises ContentError naming the file, question id and field."""
    path = Path(path)
    root = top_level(path, read_yaml(path), ("competencies", "levels", "red_flags", "questions", "questions_to_ask"))

    competency_records = root.records("competencies", ("id", "name", "description"))
    unique_ids(path, competency_records, "competency")
    competencies = {
        r.text("id"): Competency(r.text("id"), r.text("name"), r.text("description")) for r in competency_records
    }

    level_records = root.records("levels", ("id", "name", "years", "min_years", "indicators"), minimum=3, maximum=3)
    unique_ids(path, level_records, "level")
    levels = {}
    for record in level_records:
        level_id = record.choice("id", LEVELS)
        indicator_records = record.records("indicators", ("id", "name", "signals"))
        unique_ids(path, indicator_records, "indicator")
        indicators = tuple(
            LevelIndicator(r.text("id"), r.text("name"), r.texts("signals")) for r in indicator_records
        )
        levels[level_id] = Level(level_id, record.text("name"), record.text("years"), record.number("min_years"),
                                 indicators)

    flag_records = root.records("red_flags", ("id", "name", "explanation", "signals"))
    unique_ids(path, flag_records, "red flag")
    red_flags = {
        r.text("id"): RedFlag(r.text("id"), r.text("name"), r.text("explanation"), r.texts("signals"))
        for r in flag_records
    }

    question_records = root.records("questions", QUESTION_FIELDS, QUESTION_OPTIONAL_FIELDS)
    unique_ids(path, question_records, "question")
    questions = {}
    for record in question_records:
        question = _read_question(record, competencies, red_flags)
        questions[question.id] = question

    for level_id in LEVELS:
        count = sum(1 for question in questions.values() if question.level == level_id)
        if count < MIN_QUESTIONS_PER_LEVEL:
            raise ContentError(path, f"level '{level_id}' has {count} questions, "
                                     f"needs at least {MIN_QUESTIONS_PER_LEVEL}",
                               field="questions")

    ask_records = root.records("questions_to_ask", ("id", "text", "why"))
    unique_ids(path, ask_records, "question to ask")
    questions_to_ask = tuple(EmployerQuestion(r.text("id"), r.text("text"), r.text("why")) for r in ask_records)

    return QuestionBank(competencies, levels, red_flags, questions, questions_to_ask)


def _read_question(record, competencies: Dict[str, Competency], red_flags: Dict[str, RedFlag]) -> Question:
    kind = record.choice("kind", KINDS)
    criterion_records = record.records("criteria", ("id", "text", "tip", "shown"), ("phrasings", "concept"),
                                       minimum=MIN_CRITERIA, maximum=MAX_CRITERIA)
    unique_ids(record.path, criterion_records, "criterion")
    criteria = tuple(Criterion(r.text("id"), r.text("text"), r.text("tip"), r.texts("phrasings", minimum=0, default=[]),
                               r.text("concept") if "concept" in r.raw else None, shown=r.text("shown"))
                     for r in criterion_records)
    if kind == "behavioural":
        follow_ups = record.texts("follow_ups")
    else:
        follow_ups = record.texts("follow_ups", minimum=0, default=[])
    flags = record.texts("red_flags", minimum=0, default=[])
    for flag in flags:
        if flag not in red_flags:
            raise record.error("red_flags", f"names unknown red flag '{flag}'")
    return Question(
        id=record.text("id"),
        level=record.choice("level", LEVELS),
        kind=kind,
        competency=record.choice("competency", competencies),
        source=record.choice("source", SOURCES),
        text=record.text("text"),
        hint=record.text("hint"),
        model_answer=record.text("model_answer"),
        criteria=criteria,
        follow_ups=follow_ups,
        concepts=record.texts("concepts", minimum=0, default=[]),
        red_flags=flags,
    )


MIN_EXAMPLES, MIN_NEGATIVES = 5, 1


def attach_criterion_examples(bank: QuestionBank, path: Path) -> QuestionBank:
    """The bank with each criterion's examples and negatives from criterion_examples.yml. Every criterion of the bank
    needs them, and every question and criterion the file names must exist in the bank."""
    path = Path(path)
    root = top_level(path, read_yaml(path), ("questions",))
    found: Dict[Tuple[str, str], Tuple[tuple, tuple]] = {}
    for record in root.records("questions", ("question_id", "criteria")):
        question = bank.questions.get(record.text("question_id"))
        if question is None:
            raise record.error("question_id", f"names unknown question '{record.text('question_id')}'")
        known = {criterion.id for criterion in question.criteria}
        for criterion in record.records("criteria", ("id", "examples", "negatives")):
            if criterion.text("id") not in known:
                raise criterion.error("id", f"is not a criterion of question '{question.id}'")
            found[(question.id, criterion.text("id"))] = (criterion.texts("examples", minimum=MIN_EXAMPLES),
                                                          criterion.texts("negatives", minimum=MIN_NEGATIVES))
    questions = {}
    for question in bank.questions.values():
        criteria = []
        for criterion in question.criteria:
            if (question.id, criterion.id) not in found:
                raise ContentError(path, "has no examples for this criterion", f"{question.id}/{criterion.id}")
            examples, negatives = found[(question.id, criterion.id)]
            criteria.append(replace(criterion, examples=examples, negatives=negatives))
        questions[question.id] = replace(question, criteria=tuple(criteria))
    return replace(bank, questions=questions)
