"""The "Do you have any questions for us?" step with the real embedding model: which themes a candidate's questions
touch. The questions below were written after the themes' examples and are not among them."""

import pytest

from bootcamp.employer_questions import EmployerQuestionReader, describe_themes, load_employer_questions
from bootcamp.texts import load_learner_texts
from coach.content_files import ContentError


@pytest.fixture(scope="module")
def reader(project_root, coach):
    return EmployerQuestionReader(load_employer_questions(project_root / "content" / "employer_questions.yml"),
                                  coach.embedder)


@pytest.fixture(scope="module")
def texts(project_root):
    return load_learner_texts(project_root / "content" / "learners.yml")


# Written after the themes' examples were fixed, and not among them. Thresholds were not tuned on these.
THEME_PROBES = [
    ("To whom would I report day to day?", "reporting_line"),
    ("Is this job inside the support organisation or somewhere else?", "reporting_line"),
    ("Which VP does the customer team answer to?", "reporting_line"),
    ("Would I sit with the operations group or with marketing?", "reporting_line"),
    ("What would you need to see from me in the first six months to call it a success?", "success_definition"),
    ("How do you define a successful customer experience here?", "success_definition"),
    ("What outcomes is this hire expected to deliver by the end of next year?", "success_definition"),
    ("How will my performance be judged?", "success_definition"),
    ("Do sales and support leaders share the same view of what this job is for?", "panel_alignment"),
    ("Is the whole leadership team behind the customer experience work, or only some of them?", "panel_alignment"),
    ("Would the people I met today describe this role the same way you did?", "panel_alignment"),
    ("Who is responsible for reducing churn, and what numbers do they watch?", "retention_ownership"),
    ("Which customer measures are discussed in your monthly business reviews?", "retention_ownership"),
    ("Who decides what to do when renewal rates drop?", "retention_ownership"),
    ("How satisfied are the agents who handle customer calls?", "employee_engagement"),
    ("What do your reviews on Glassdoor say about the place?", "employee_engagement"),
    ("How long do people usually stay on the support team?", "employee_engagement"),
]
OFF_THEME_PROBES = ["What is the salary for this position?", "Can I work from home on Fridays?",
                    "When will I hear back from you?", "Is there a company car?", "Do you sponsor visas?",
                    "How big is the office?", "Quelle est la date de début ?", "🙂🙂", "<script>alert(1)</script>", ""]
THEME_FLOOR = 0.8  # share of theme probes read for exactly their theme
OFF_THEME_CEILING = 1  # off-theme probes read for some theme


def test_questions_are_read_for_their_theme_and_off_theme_ones_for_none(reader):
    right = [question for question, theme in THEME_PROBES
             if [t.id for t, _ in reader.read(question).covered] == [theme]]
    wrong_off = [question for question in OFF_THEME_PROBES if reader.read(question).covered]
    print(f"themes read right: {len(right)} of {len(THEME_PROBES)}; off-theme questions given a theme: "
          f"{len(wrong_off)} of {len(OFF_THEME_PROBES)} {wrong_off}")
    assert len(right) >= THEME_FLOOR * len(THEME_PROBES), sorted(set(q for q, _ in THEME_PROBES) - set(right))
    assert len(wrong_off) <= OFF_THEME_CEILING, wrong_off


def test_a_theme_quotes_the_question_that_touched_it(reader):
    question = "Who would I be reporting to?"
    reading = reader.read(f"Thanks for your time. {question}")
    assert reading.covered[0][1] == question
    assert "reporting_line" not in [theme.id for theme in reading.missed]


def test_several_questions_in_one_message_each_count_and_the_rest_are_suggested(reader, texts):
    reading = reader.read("Thanks! Two things. Who would I be working for? And how do your people feel about working "
                          "here, honestly?")
    assert [theme.id for theme, _ in reading.covered] == ["reporting_line", "employee_engagement"]
    assert [theme.id for theme in reading.missed] == ["success_definition", "panel_alignment", "retention_ownership"]
    text = describe_themes(reading, texts)
    assert "Your questions touch on:" in text and "“Who would I be working for?”" in text
    assert "You could also ask about:" in text and "What the answer shows:" in text
    assert text.endswith("None of this counts toward your score. Here is your summary.")


def test_no_theme_touched_gets_every_suggestion(reader, texts):
    text = describe_themes(reader.read("Is there free parking?"), texts)
    assert text.startswith("I couldn't link your questions")
    assert text.count("What the answer shows:") == 5


@pytest.mark.parametrize("reply, skip", [("skip", True), ("No.", True), ("no thanks!", True), ("I'm good", True),
                                         ("Nope", True), ("No questions from me", True),
                                         ("No, but who owns churn here?", False), ("Who would I report to?", False)])
def test_skipping_is_recognised_only_for_a_whole_no(reader, reply, skip):
    assert reader.is_skip(reply) is skip


def test_a_broken_themes_file_is_rejected(project_root, tmp_path):
    text = (project_root / "content" / "employer_questions.yml").read_text()
    path = tmp_path / "employer_questions.yml"
    path.write_text(text.replace("question: Who would this role report to, and which part of the company is it part "
                                 "of?", "question: Ask who the boss is."))
    with pytest.raises(ContentError, match="question mark"):
        load_employer_questions(path)
