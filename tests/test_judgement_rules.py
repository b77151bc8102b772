"""What a fair interviewer expects of the coach's judgement, on answers written for these tests (the quality figures
come from the blind set: tests/test_judgement.py). Each test names the rule it holds the coach to."""

import numpy as np
import pytest

from coach.scoring import CriterionSpec

BILLING_STORY = (
    "A customer was billed twice for the same invoice and got bounced between support and finance for a week. "
    "I set up a short call with billing and the engineer who owned the invoicing job, and we found the job had run "
    "twice after a retry. The customer was refunded within 48 hours, and the engineer added a check so it could not "
    "happen again. They renewed in the spring and gave us a 9 on NPS."
)


def assess(coach, question_id, answer):
    return coach.assess(question_id, answer)


def test_a_story_with_a_time_to_resolve_and_a_score_has_a_measured_result(coach):
    result = assess(coach, "multi_department_collaboration", BILLING_STORY)
    assert result.assessment.star.measurable is not None
    assert coach.texts.answer("star_not_measurable") not in coach.feedback(result)


def test_a_confident_misdefinition_earns_nothing_and_is_corrected(coach):
    answer = ("I would track NPS, which measures how fast we close support tickets, and report it to leadership every "
              "month next to churn and renewal revenue.")
    result = assess(coach, "measure_cx_success", answer)
    [wrong] = result.assessment.misdefinitions
    assert wrong.concept.id == "nps"
    assert "nps" not in result.concepts_found
    criteria = {r.criterion.id: r for r in result.assessment.criteria}
    assert not criteria["names_nps"].covered and criteria["names_nps"].credit == 0
    feedback = coach.feedback(result)
    assert "NPS" in feedback and wrong.concept.meaning in feedback


def test_a_correct_definition_is_not_taken_for_a_misdefinition(coach):
    answer = ("Net Promoter Score (NPS) tells us how likely customers are to recommend us, CSAT how satisfied they "
              "were with one interaction, and CES how easy it was to get help.")
    result = assess(coach, "measure_cx_success", answer)
    assert result.assessment.misdefinitions == ()
    assert {"nps", "csat", "ces"} <= set(result.concepts_found)
    covered = {r.criterion.id for r in result.assessment.covered}
    assert {"names_nps", "names_csat", "names_ces"} <= covered  # the criteria agree with the concepts line


@pytest.mark.parametrize("answer, concept", [
    # an abbreviation spelled out as something else
    ("Every month I reported CES, the Customer Engagement Score, next to NPS and CSAT.", "ces"),
    ("We tracked CES (Customer Experience Satisfaction) after every chat, and CSAT after every call.", "ces"),
    # a score put in the wrong band
    ("Our NPS improved because detractors, meaning people who scored us 0 to 4, fell by a third.", "nps"),
    ("She gave us a 6 on the survey, which in NPS terms makes her a passive, so I called her.", "nps"),
    # one metric defined as another
    ("I'd standardise on Net Promoter Score, which measures how satisfied a customer was with their most recent "
     "interaction on a 1 to 5 scale.", "nps"),
])
def test_a_misdefinition_by_name_band_or_confusion_is_caught(coach, answer, concept):
    result = assess(coach, "measure_cx_success", answer)
    assert concept in {wrong.concept.id for wrong in result.assessment.misdefinitions}
    assert concept not in result.concepts_found


@pytest.mark.parametrize("answer", [
    "NPS (Net Promoter Score) is promoters, who answer 9 or 10, minus detractors (0-6); passives (7 or 8) don't count.",
    "We added a Customer Effort Score (CES) question and CSAT (customer satisfaction) after each chat.",
    "We called 40 detractors within 2 days and turned 5 of them into promoters; NPS rose from 20 to 35.",
    "She scored us 3, a detractor, so I called her the same afternoon, and First Call Resolution (FCR) rose to 80%.",
    "My team once organised a volunteering day with the NPS, the National Park Service, cleaning a trail.",
])
def test_correct_facts_about_scores_and_names_are_not_misdefinitions(coach, answer):
    assert assess(coach, "measure_cx_success", answer).assessment.misdefinitions == ()


@pytest.mark.parametrize("answer", [
    "I have never used NPS in any of my jobs, we only looked at ticket volumes.",
    "My team once organised a volunteering day with the NPS, the National Park Service, cleaning a trail.",
])
def test_a_negated_mention_or_another_meaning_is_not_a_use(coach, answer):
    result = assess(coach, "measure_cx_success", answer)
    assert "nps" not in result.concepts_found
    assert "names_nps" not in {r.criterion.id for r in result.assessment.covered}


@pytest.mark.parametrize("answer", [
    "After we rewrote the claims letters, 71% of customers said they were satisfied with how their claim was handled, "
    "up from 58% the quarter before.",
    "Eight in ten guests rated their stay four or five out of five for how pleased they were with the front desk.",
])
def test_a_metric_described_without_its_name_counts(coach, answer):
    result = assess(coach, "measure_cx_success", answer)
    assert "csat" in result.concepts_found and result.concepts_found["csat"].how == "description"


def test_rubric_echo_scores_below_a_concrete_partial_answer(coach):
    echo = ("It's important to align stakeholders and drive customer-centric outcomes. I would leverage holistic "
            "insights across the end-to-end journey to ensure a seamless, best-in-class experience that empowers "
            "every team to own the customer.")
    partial = ("At my last job our returns page confused people, so I rewrote it with the warehouse team and added "
               "photos of how to pack an item. Calls about returns went down after that.")
    question = "improve_process_policy"
    echo_result, partial_result = assess(coach, question, echo), assess(coach, question, partial)
    assert echo_result.assessment.band == "weak"
    assert partial_result.assessment.score > echo_result.assessment.score + 0.1


def test_a_behavioural_question_without_a_real_example_cannot_reach_strong(coach):
    answer = ("I would always listen to both teams first, then I would set up a joint call, agree on one owner, and "
              "I would follow up with the customer every day until it is solved, and I would report the result.")
    result = assess(coach, "multi_department_collaboration", answer)
    assert result.assessment.star.hypothetical
    assert result.assessment.band != "strong"


def test_an_unsure_point_is_reported_as_such_with_the_closest_words(coach):
    result = assess(coach, "measure_cx_success", "I'd check survey results and see if customers seem happier, "
                                                  "and talk about it with my manager sometimes.")
    feedback = coach.feedback(result)
    unsure = [r for r in result.assessment.criteria if r.unsure]
    if unsure:
        assert coach.texts.answer("unsure_heading") in feedback
        assert all(r.evidence and r.criterion.text in feedback for r in unsure)
    assert all((r.evidence is None) == (not r.covered and not r.unsure) for r in result.assessment.criteria)


# The statement model (content/judgement_model.yml `statements`): how likely a sentence is to state something wrong.
WRONG_STATEMENTS = [
    "Customer Effort Score is how much money a customer spends with us each year, so higher is always better.",
    "Net Promoter Score is the average of the 1 to 5 ratings customers give the agent after a chat.",
]
SOUND_STATEMENTS = [
    "I called the customer back the next morning to confirm the refund had reached her account.",
    "We set a baseline of 31 before launch and reached 44 after six months, which I reported to the board.",
]


def test_the_statement_model_finds_wrong_statements_likelier_than_sound_ones(coach):
    statements = coach.scorer.model.statements
    wrong = statements.probability(coach.embedder.encode(WRONG_STATEMENTS))
    sound = statements.probability(coach.embedder.encode(SOUND_STATEMENTS))
    assert wrong.min() > 0.8 and sound.max() < 0.5, (wrong, sound)


def test_a_doubtful_statement_is_pointed_out_and_a_sound_answer_has_none(coach):
    wrong = "Closing the loop means closing the ticket as fast as possible so it does not count against us."
    result = assess(coach, "voc_program", f"We watched the numbers every week. {wrong} I shared it with my manager.")
    assert result.assessment.doubtful == (wrong,)
    assert wrong in coach.feedback(result)

    sound = assess(coach, "multi_department_collaboration", BILLING_STORY)
    assert sound.assessment.doubtful == ()


def test_a_correct_definition_of_a_metric_is_never_doubted_and_a_wrong_one_still_is(coach):
    # The statement model alone reads a right definition of NPS, CSAT or CES much like a wrong one (about 0.88).
    right = ["Net Promoter Score (NPS) tells us how likely customers are to recommend us, which reflects loyalty.",
             "CSAT, the customer satisfaction score, measures how satisfied customers are with a specific interaction "
             "right after it.",
             "Customer Effort Score (CES) measures how easy it was for customers to get their problem solved."]
    answer = " ".join(right) + " I report all three to leadership every month."
    result = assess(coach, "measure_cx_success", answer)
    assert result.assessment.doubtful == () and not result.assessment.misdefinitions
    assert coach.scorer.model.statements.probability(coach.embedder.encode(right)).min() > 0.5  # what it guards
    assert len(result.assessment.covered) >= 3

    wrong = "CES measures how much the customer spends with us in a year."
    misdefined = assess(coach, "measure_cx_success", f"{right[0]} {wrong}")
    assert "ces" in {found.concept.id for found in misdefined.assessment.misdefinitions}


def test_the_general_path_reads_no_statement_probability(coach):
    from coach.matching import ANSWER_FEATURES

    result = coach.assess_criteria("Boil the egg for six minutes, then cool it in cold water.",
                                   [CriterionSpec(text="Boils the egg for about six minutes.")],
                                   "How do you make a soft-boiled egg?")
    assert result.answer_features[ANSWER_FEATURES.index("wrong_statement")] == 0.0
    assert result.doubtful == ()


@pytest.mark.parametrize("answer, concept", [
    ("To prove it worked I used Net Promoter Score, which is basically the average of everyone's answer to the 0-10 "
     "question, expressed out of 100.", "nps"),
    ("NPS is promoters minus passives, and we pushed it up every quarter.", "nps"),
    ("We tracked eNPS, which is the score customers give the individual agent who served them.", "enps"),
])
def test_a_wrong_formula_is_a_misdefinition_even_when_it_reads_close_to_the_right_one(coach, answer, concept):
    result = assess(coach, "measure_cx_success", answer)
    assert concept in {wrong.concept.id for wrong in result.assessment.misdefinitions}


@pytest.mark.parametrize("answer", [
    "Our NPS is 45, well above the industry average of 30, and we report it every month.",
    "NPS is the percentage of promoters minus the percentage of detractors, on the usual 0 to 10 question.",
    "eNPS asks our own staff how likely they are to recommend us as a place to work.",
])
def test_the_right_formula_or_a_comparison_with_an_average_is_no_misdefinition(coach, answer):
    assert assess(coach, "measure_cx_success", answer).assessment.misdefinitions == ()


def test_a_statement_model_of_another_size_is_left_out_with_a_warning(coach, caplog):
    import dataclasses

    from coach.coach import Coach
    from coach.matching import silent_statements

    model = dataclasses.replace(coach.scorer.model, statements=silent_statements(coach.embedder.dimension + 1))
    other = Coach(settings=coach.settings, embedder=coach.embedder, model=model)
    assert "statement model" in caplog.text
    result = other.assess("measure_cx_success", "We tracked NPS every quarter and reported it to the board.")
    assert result.assessment.doubtful == ()


def test_an_answer_that_misdefines_a_concept_stays_weak_however_much_else_it_covers(coach):
    answer = (
        "At a telecom with 2 million customers, before the self-service launch I agreed the goal with the COO: cut "
        "repeat calls by 20 percent against a baseline of 31 percent. We ran CSAT after each chat, which went from 71% "
        "to 84%, and CES after onboarding, which dropped from 4.1 to 2.9. We also tracked NPS every quarter; it rose "
        "from 12 to 27. NPS measures how fast we close support tickets. Customers with a CSAT of 4 or 5 renewed at 93% "
        "against 78%, which finance valued at 2.4 million a year in kept revenue. I reported it monthly on a Power BI "
        "dashboard to the leadership team."
    )
    result = assess(coach, "measure_cx_success", answer)
    assert [wrong.concept.id for wrong in result.assessment.misdefinitions] == ["nps"]
    parameters = coach.parameters
    uncapped = parameters.shown_score(coach.scorer.model.answer.predict(np.array(result.assessment.answer_features)))
    assert len(result.assessment.covered) >= 4 and uncapped > parameters.misdefinition_cap  # the cap is what binds
    assert result.assessment.band == "weak" and result.assessment.score <= parameters.misdefinition_cap
    assert coach.texts.answer("misdefinition_cap") in coach.feedback(result)
