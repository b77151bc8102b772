"""The end of an interview: "Do you have any questions for us?" Reads the candidate's questions, says which themes
of content/employer_questions.yml they touch (quoting the question that did), and which they left out. Never scored.

Each sentence of the candidate's message gets a score per theme: its cosine with the theme's nearest example question
(embedding model), plus a bonus when it holds one of the theme's cue words. It counts for its best theme when that
score reaches `match_threshold` and the sentence is not closer to an off-theme question (pay, perks, logistics).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Pattern, Tuple

import numpy as np

from bootcamp.texts import LearnerTexts
from coach.answer_language import phrase_pattern, plain_words
from coach.content_files import ContentError, read_yaml, top_level, unique_ids
from coach.feedback import shorten
from coach.scoring import split_sentences


@dataclass(frozen=True)
class EmployerTheme:
    id: str
    name: str
    question: str
    reveals: str
    cues: Tuple[str, ...]
    examples: Tuple[str, ...]
    cue_pattern: Pattern  # the cues, each open at its end ("achiev" for achieve and achievement)

    def cued(self, sentence: str) -> bool:
        """Whether the sentence holds one of the theme's cues (or a word or phrase that begins like one)."""
        return bool(self.cue_pattern.search(sentence))


@dataclass(frozen=True)
class EmployerQuestionsContent:
    themes: Tuple[EmployerTheme, ...]
    match_threshold: float
    cue_bonus: float
    off_theme: Tuple[str, ...]
    skip_replies: FrozenSet[str]


@dataclass(frozen=True)
class ThemesRead:
    """Which themes the candidate's questions touched, each with the sentence that did, and which they left out."""

    covered: Tuple[Tuple[EmployerTheme, str], ...]
    missed: Tuple[EmployerTheme, ...]


def load_employer_questions(path: Path) -> EmployerQuestionsContent:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("match_threshold", "cue_bonus", "off_theme", "skip_replies", "themes"))
    numbers = {name: root.number(name) for name in ("match_threshold", "cue_bonus")}
    for name, value in numbers.items():
        if not 0 <= value < 1:
            raise root.error(name, "must be from 0 to 1")
    records = root.records("themes", ("id", "name", "question", "reveals", "cues", "examples"), minimum=2)
    unique_ids(path, records, "theme")
    themes = []
    for r in records:
        cues = tuple(cue.lower() for cue in r.texts("cues"))
        themes.append(EmployerTheme(r.text("id"), r.text("name"), r.text("question"), r.text("reveals"), cues,
                                    r.texts("examples", minimum=5), phrase_pattern([f"{cue}*" for cue in cues])))
    themes = tuple(themes)
    for theme in themes:
        if not theme.question.endswith("?"):
            raise ContentError(path, "must end with a question mark", theme.id, "question")
    skip = frozenset(plain_words(reply) for reply in root.texts("skip_replies"))
    if "" in skip:
        raise root.error("skip_replies", "has a reply with no words")
    return EmployerQuestionsContent(themes, numbers["match_threshold"], numbers["cue_bonus"], root.texts("off_theme"),
                                    skip)


class EmployerQuestionReader:
    def __init__(self, content: EmployerQuestionsContent, embedder):
        self.content = content
        self.embedder = embedder
        for texts in [theme.examples for theme in content.themes] + [content.off_theme]:
            embedder.encode_cached(list(texts))

    def is_skip(self, text: str) -> bool:
        return plain_words(text) in self.content.skip_replies

    def read(self, text: str) -> ThemesRead:
        sentences = split_sentences(text)
        themes = self.content.themes
        quoted = {}  # theme id -> (closeness, sentence): each sentence counts for its closest theme only
        if sentences:
            vectors = self.embedder.encode(sentences)
            closeness = np.stack([(vectors @ self.embedder.encode_cached(list(theme.examples)).T).max(axis=1)
                                  for theme in themes], axis=1)
            off_theme = (vectors @ self.embedder.encode_cached(list(self.content.off_theme)).T).max(axis=1)
            for position, sentence in enumerate(sentences):
                scores = [float(closeness[position, t]) + (self.content.cue_bonus if theme.cued(sentence) else 0.0)
                          for t, theme in enumerate(themes)]
                best = int(np.argmax(scores))
                value = scores[best]
                if value < self.content.match_threshold or closeness[position, best] <= off_theme[position]:
                    continue
                if value > quoted.get(themes[best].id, (0.0,))[0]:
                    quoted[themes[best].id] = (value, sentence)
        return ThemesRead(tuple((theme, quoted[theme.id][1]) for theme in themes if theme.id in quoted),
                          tuple(theme for theme in themes if theme.id not in quoted))


def describe_themes(reading: ThemesRead, texts: LearnerTexts) -> str:
    lines = []
    if reading.covered:
        lines.append(texts("employer", "covered_heading"))
        lines += [texts("employer", "covered_line", theme=theme.name, quote=shorten(sentence))
                  for theme, sentence in reading.covered]
    if reading.missed:
        lines.append(texts("employer", "missed_heading") if reading.covered else texts("employer", "none_covered"))
        lines += [texts("employer", "missed_line", theme=theme.name, question=theme.question, reveals=theme.reveals)
                  for theme in reading.missed]
    else:
        lines.append(texts("employer", "all_covered"))
    lines.append(texts("employer", "closing"))
    return "\n".join(lines)
