"""The scorer's rules, each with the real model: anti-gaming, STAR, hypothetical answers, CX concepts, red flags,
sentence-pair matching, determinism and tunable parameters. Every test would fail if its rule broke."""

import dataclasses
import json
import re

import pytest

from coach.coach import Coach
from coach.content_files import ContentError
from coach.matching import UNIT_FEATURES
from coach.scoring import CriterionSpec, criteria_from_reference
from coach.scoring_parameters import load_scoring_parameters

NEAR_ZERO = 0.1
METRICS_QUESTION = "measure_cx_success"
ANGRY_QUESTION = "angry_customer"
BEHAVIOURAL_QUESTION = "challenging_customer"
STRONG_ANGRY_ANSWER = (
    "First I let the customer talk and did not interrupt, staying calm. I told him I was really sorry and that I "
    "understood why he was so upset. I asked a few questions and looked up his account to find out what happened. "
    "I explained that I would refund the double charge today and he would see it in three days. Then I called him "
    "back the next week to check it was sorted."
)
STAR_ANSWER = (
    "Last year at my previous job a customer had been charged twice for her annual plan and was furious on the phone. "
    "My job was to fix the billing error and keep her as a customer. I listened without interrupting, apologized, "
    "refunded the charge the same day and called her back two days later to confirm the money had arrived. "
    "As a result she renewed her contract, and after we fixed the billing bug our billing complaints dropped by 20% "
    "that quarter."
)
STAR_WITHOUT_RESULT = STAR_ANSWER.split(" As a result")[0]
HYPOTHETICAL_ANSWER = (
    "I would listen to the customer carefully and apologize for the trouble. I would try to fix the problem as "
    "quickly as possible, and I would follow up afterwards to make sure they are happy with the outcome."
)


def score(coach, question_id, answer):
    return coach.assess(question_id, answer)


# --- anti-gaming ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer, kind", [
    ("NPS CSAT CES journey mapping", "keyword_list"),
    ("NPS, CSAT, CES, churn, retention, CLV, voice of customer", "keyword_list"),
    ("- NPS\n- CSAT\n- CES\n- churn", "keyword_list"),
    ("How would you show that a customer experience programme is working?", "copied_question"),
    ("um like basically um like basically you know stuff um like basically yeah", "filler"),
    ("We use NPS. We use NPS. We use NPS. We use NPS. We use NPS. We use NPS.", "filler"),
    ("asdkj qwpeoiru zmxncb asdlkfj qoweiru plkmn", "gibberish"),
    ("NPS.", "too_short"),
])
def test_gaming_answers_score_near_zero_and_say_why(coach, answer, kind):
    result = score(coach, METRICS_QUESTION, answer)
    assert result.assessment.gaming is not None and result.assessment.gaming.kind == kind
    assert result.assessment.score <= NEAR_ZERO
    assert result.assessment.covered == []
    feedback = coach.feedback(result)
    assert feedback.splitlines()[1].startswith(coach.texts.answer(f"gaming_{kind}", **(
        {} if kind == "copied_question" else {"detail": result.assessment.gaming.detail}))[:25])


def test_a_keyword_list_through_the_general_scorer_scores_near_zero(coach):
    criteria = criteria_from_reference("A stack is last in, first out. Items are pushed onto and popped off the top.")
    assessment = coach.assess_criteria("LIFO push pop top", criteria, question="What is a stack?")
    assert assessment.gaming.kind == "keyword_list" and assessment.score <= NEAR_ZERO


def test_the_question_copied_back_scores_near_zero_through_the_general_scorer(coach):
    criteria = criteria_from_reference("Seasons happen because the Earth's axis is tilted, so sunlight hits each "
                                       "hemisphere more directly for part of the year.")
    assessment = coach.assess_criteria("Why do we have seasons?", criteria, question="Why do we have seasons?")
    assert assessment.gaming.kind == "copied_question" and assessment.score <= NEAR_ZERO


@pytest.mark.parametrize("question, answer, reference", [
    ("What is the capital of France?", "Paris is the capital.", "The capital of France is Paris."),
    ("What does a mitochondrion do?", "Mitochondria produce ATP.", "Mitochondria produce energy for the cell as ATP."),
    ("Is a whale a fish?", "No, it is a mammal.", "No. A whale is a mammal, not a fish."),
])
def test_short_but_right_answers_are_not_taken_for_gaming(coach, question, answer, reference):
    assessment = coach.assess_criteria(answer, criteria_from_reference(reference), question=question)
    assert assessment.gaming is None
    assert assessment.score >= 0.5


@pytest.mark.parametrize("answer, least", [
    # a list of full sentences
    ("- We track NPS to see how likely customers are to recommend us.\n"
     "- We send a CSAT survey after each support case.\n"
     "- We compare churn and renewal revenue with those scores every quarter.", 0.4),
    # terse notes: few function words overall, but phrases that join their terms
    ("Touchpoints: signup, support, billing, renewal. CSAT per ticket, CES post-setup, NPS biannual. "
     "Tooling: Medallia, Tableau dashboards per region, plan, agent; I built the churn view linking scores "
     "with renewals. Text analytics on tickets, app reviews. Monthly readout, product owners commit fixes.", 0.3),
])
def test_a_real_answer_written_as_a_list_or_notes_is_not_gaming(coach, answer, least):
    result = score(coach, METRICS_QUESTION, answer)
    assert result.assessment.gaming is None
    assert result.assessment.score >= least


@pytest.mark.parametrize("answer", [
    "NPS CSAT CES churn retention loyalty journey mapping VoC omnichannel",
    "customer journey mapping workshops stakeholder alignment NPS CSAT, CES, churn",
])
def test_terms_run_together_are_still_a_keyword_list(coach, answer):
    assert score(coach, METRICS_QUESTION, answer).assessment.gaming.kind == "keyword_list"


def test_a_strong_answer_is_not_gaming_and_scores_high(coach):
    result = score(coach, ANGRY_QUESTION, STRONG_ANGRY_ANSWER)
    assert result.assessment.gaming is None
    assert result.assessment.score >= 0.7 and result.assessment.band == "strong"


# --- STAR and hypothetical answers ------------------------------------------------------------------------------


def test_a_strong_star_answer_scores_above_the_same_answer_without_its_result(coach):
    full = score(coach, BEHAVIOURAL_QUESTION, STAR_ANSWER).assessment
    cut = score(coach, BEHAVIOURAL_QUESTION, STAR_WITHOUT_RESULT).assessment
    assert full.star.missing == [] and full.star.measurable
    assert "result" in cut.star.missing and cut.star.measurable is None
    assert full.score > cut.score


def test_star_parts_quote_the_candidates_sentences(coach):
    star = score(coach, BEHAVIOURAL_QUESTION, STAR_ANSWER).assessment.star
    for part, sentence in star.parts.items():
        assert sentence and sentence in STAR_ANSWER, part
    assert "20%" in star.measurable


def test_a_hypothetical_answer_to_a_tell_me_about_a_time_question_is_flagged(coach):
    result = score(coach, BEHAVIOURAL_QUESTION, HYPOTHETICAL_ANSWER)
    assert result.assessment.star.hypothetical
    assert result.assessment.score <= coach.parameters.hypothetical_cap
    flags = {raised.flag.id: raised for raised in result.red_flags}
    assert "no_example" in flags and flags["no_example"].quote in HYPOTHETICAL_ANSWER
    quoted = coach.texts.answer("star_hypothetical", quote=result.assessment.star.hypothetical_quote)
    assert quoted in coach.feedback(result)


def test_a_real_story_is_not_flagged_as_hypothetical(coach):
    result = score(coach, BEHAVIOURAL_QUESTION, STAR_ANSWER)
    assert not result.assessment.star.hypothetical
    assert "no_example" not in [raised.flag.id for raised in result.red_flags]


def test_behavioural_questions_from_outside_the_bank_are_read_for_star(coach):
    assessment = coach.assess_criteria(HYPOTHETICAL_ANSWER, [CriterionSpec("Describes a real difficult customer.")],
                                       question="Tell me about a time you handled a difficult customer.")
    assert assessment.star is not None and assessment.star.hypothetical


# --- CX concepts ------------------------------------------------------------------------------------------------


def concepts_in(coach, answer):
    assessment = score(coach, METRICS_QUESTION, answer).assessment
    return coach.concept_detector.find(assessment.units, assessment.unit_vectors)


@pytest.mark.parametrize("answer, concept_id", [
    ("We track NPS every quarter.", "nps"),
    ("Our Net Promoter Score rose last year.", "nps"),
    ("We send a CSAT survey after each chat.", "csat"),
    ("Our customer satisfaction score went up.", "csat"),
    ("We added CES to the post-call survey.", "ces"),
    ("Our customer effort score improved.", "ces"),
    ("Monthly churn fell by a point.", "churn_retention"),
    ("We doubled down on customer retention.", "churn_retention"),
    ("We tracked CLV by segment.", "clv"),
    ("Customer lifetime value grew for loyal buyers.", "clv"),
    ("FCR is our main support measure.", "fcr"),
    ("We improved first contact resolution in the call centre.", "fcr"),
    ("I ran our VoC programme.", "voc"),
    ("We set up a voice of the customer programme.", "voc"),
    ("We built a journey map for onboarding.", "journey_mapping"),
    ("We closed the loop with every unhappy customer.", "closing_the_loop"),
])
def test_each_concept_is_found_by_name(coach, answer, concept_id):
    mentions = concepts_in(coach, answer)
    assert concept_id in mentions and mentions[concept_id].how == "name"


@pytest.mark.parametrize("answer, concept_id", [
    ("I would track how likely customers are to recommend us.", "nps"),
    ("After each chat we asked customers to rate how satisfied they were from one to five.", "csat"),
    ("We asked customers how easy it was to get their problem sorted out.", "ces"),
    ("We measured how many customers cancelled their subscription each month.", "churn_retention"),
    ("We estimated how much revenue each customer brings in over the whole time they stay with us.", "clv"),
    ("We tracked how often a problem was solved on the first call without the customer calling back.", "fcr"),
    ("We gathered feedback from surveys, reviews and support tickets into one programme.", "voc"),
    ("We drew every step a customer takes from first visit to renewal and marked the pain points.", "journey_mapping"),
    ("We called back every customer who gave us a low survey score to tell them what we fixed.", "closing_the_loop"),
])
def test_each_concept_is_found_by_description(coach, answer, concept_id):
    mentions = concepts_in(coach, answer)
    assert concept_id in mentions and mentions[concept_id].how == "description"
    assert mentions[concept_id].sentence in answer


@pytest.mark.parametrize("answer, concept_id", [
    ("Survey results showed customers were happier after the change.", "csat"),
    ("Customers seemed to like the new website a lot.", "nps"),
    ("The new checkout was easy to build for our developers.", "ces"),
    ("We mapped out the project plan for the quarter.", "journey_mapping"),
    ("Mr Snps joined the team; they have CESsation plans.", "nps"),
    ("Ces clients sont contents.", "ces"),
])
def test_a_near_miss_does_not_count_as_a_concept(coach, answer, concept_id):
    assert concept_id not in concepts_in(coach, answer)


def test_a_missing_expected_concept_is_named_with_its_meaning(coach):
    result = score(coach, METRICS_QUESTION, "We track NPS and report it to leadership every month with the trend.")
    missing = [concept.id for concept in result.concepts_missing]
    assert "nps" not in missing and "csat" in missing
    csat = coach.concept_detector.by_id["csat"]
    assert coach.texts.answer("concept_line", abbreviation=csat.abbreviation, name=csat.name,
                              meaning=csat.meaning) in coach.feedback(result)


# --- red flags --------------------------------------------------------------------------------------------------


def flags(result):
    return {raised.flag.id: raised for raised in result.red_flags}


def test_no_empathy_is_raised_with_the_candidates_words(coach):
    answer = ("I tell them the policy is policy and that it is not my problem, then I move on to the next call "
              "in the queue.")
    raised = flags(score(coach, ANGRY_QUESTION, answer))
    assert "no_empathy" in raised and raised["no_empathy"].quote in answer


def test_no_empathy_is_not_raised_on_a_good_answer(coach):
    assert "no_empathy" not in flags(score(coach, ANGRY_QUESTION, STRONG_ANGRY_ANSWER))


def test_no_metrics_quotes_vague_measurement(coach):
    answer = ("We look at the survey results and customers seem happy after the change, so we know it works. "
              "We also report it to leadership.")
    raised = flags(score(coach, METRICS_QUESTION, answer))
    assert "no_metrics" in raised and raised["no_metrics"].quote in answer


def test_no_metrics_is_not_raised_when_a_metric_is_named(coach):
    answer = ("I would set a baseline for NPS and CSAT before the launch and compare churn and renewal revenue "
              "with those scores every quarter.")
    assert "no_metrics" not in flags(score(coach, METRICS_QUESTION, answer))


def test_no_example_says_plainly_what_is_absent(coach):
    answer = "Customers are important and it is good to be kind to them and help them with any problems they have."
    raised = flags(score(coach, BEHAVIOURAL_QUESTION, answer))
    assert "no_example" in raised and raised["no_example"].absent
    line = [line for line in coach.feedback(score(coach, BEHAVIOURAL_QUESTION, answer)).splitlines()
            if coach.texts.answer("absent_no_example") in line]
    assert line


def test_red_flags_carry_structured_data_in_the_result_record(coach):
    answer = ("I tell them the policy is policy and that it is not my problem, then I move on to the next call "
              "in the queue.")
    record = coach.result_record(score(coach, ANGRY_QUESTION, answer), 1, answer)
    json.dumps(record)  # the record lives in a slot: it must be JSON
    flag = next(flag for flag in record["red_flags"] if flag["id"] == "no_empathy")
    assert flag["quote"] in answer and flag["text"]


# --- matching ---------------------------------------------------------------------------------------------------

SPLIT_IDEA = CriterionSpec("We cut the refund wait from ten days to two, and complaints about refunds dropped by half.")
SPLIT_ANSWER = "We cut the refund wait from ten days to two. After that, complaints about refunds dropped by half."


def test_an_idea_split_over_two_sentences_is_found_in_the_pair(coach):
    result = coach.assess_criteria(SPLIT_ANSWER, [SPLIT_IDEA]).criteria[0]
    assert result.covered and "\n" in result.evidence  # the evidence is the pair of sentences
    assert all(part in SPLIT_ANSWER for part in result.evidence.split("\n"))


def test_the_pair_of_sentences_is_closer_to_the_split_idea_than_either_sentence(coach):
    [rows] = coach.scorer.criterion_features(SPLIT_ANSWER, [SPLIT_IDEA])
    closeness = rows[:, UNIT_FEATURES.index("text")]
    sentences, pair = closeness[:2], closeness[-1]  # units: the two sentences, their clauses, then the pair
    assert pair > sentences.max()


def test_phrasings_let_a_criterion_match_how_candidates_say_it(coach):
    criterion = next(c for c in coach.bank.questions[ANGRY_QUESTION].criteria if c.id == "acknowledges_feelings")
    answer = "I told him I was really sorry and that I understood why he was so upset."
    plain = coach.assess_criteria(answer, [CriterionSpec(criterion.text)]).criteria[0].similarity
    with_phrasings = coach.assess_criteria(
        answer, [CriterionSpec(criterion.text, phrasings=criterion.phrasings)]).criteria[0]
    assert with_phrasings.covered and with_phrasings.similarity > plain


def test_the_same_answer_scored_twice_gives_the_same_result(coach):
    first = coach.result_record(score(coach, BEHAVIOURAL_QUESTION, STAR_ANSWER), 1, STAR_ANSWER)
    second = coach.result_record(score(coach, BEHAVIOURAL_QUESTION, STAR_ANSWER), 1, STAR_ANSWER)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


# --- parameters -------------------------------------------------------------------------------------------------


def test_a_coach_can_be_built_with_other_parameters(coach):
    strict = Coach(settings=coach.settings, embedder=coach.embedder,
                   parameters=dataclasses.replace(coach.parameters, coverage_threshold=0.99, unsure_from=0.99))
    assert len(strict.assess(ANGRY_QUESTION, STRONG_ANGRY_ANSWER).assessment.covered) < \
        len(coach.assess(ANGRY_QUESTION, STRONG_ANGRY_ANSWER).assessment.covered)


def test_a_bad_scoring_file_names_the_field(tmp_path, project_root):
    text = (project_root / "content" / "scoring.yml").read_text(encoding="utf-8")
    path = tmp_path / "scoring.yml"
    path.write_text(re.sub(r"coverage_threshold: [0-9.]+", "coverage_threshold: 1.7", text), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scoring_parameters(path)
    assert caught.value.field == "coverage_threshold" and caught.value.item_id == "matching"


def test_bands_follow_the_cut_points(coach):
    p = coach.parameters
    assert [p.band(p.strong), p.band(p.partial), p.band(p.partial - 0.01)] == ["strong", "partial", "weak"]


# --- last session's known errors, fixed in general ways ------------------------------------------------------------


def test_a_dismissive_one_liner_on_cx_versus_service_scores_low(coach):
    assert score(coach, "service_vs_experience", "They are the same thing really").assessment.score < 0.2


def test_the_empathetic_angry_customer_answer_covers_acknowledging_feelings(coach):
    result = score(coach, ANGRY_QUESTION, STRONG_ANGRY_ANSWER)
    covered = {item.criterion.id: item.evidence for item in result.assessment.covered}
    assert "acknowledges_feelings" in covered and "sorry" in covered["acknowledges_feelings"]


# --- the score mapping (content/scoring.yml score_mapping) ---------------------------------------------------------

def test_the_fitted_raw_cut_points_are_shown_as_the_band_cut_points(coach):
    p = coach.parameters
    assert p.shown_score(p.raw_partial) == pytest.approx(p.partial)
    assert p.shown_score(p.raw_strong) == pytest.approx(p.strong)
    assert p.shown_score(0.0) == 0.0 and p.shown_score(1.0) == pytest.approx(1.0)


def test_the_score_mapping_keeps_the_order_and_inverts(coach):
    p = coach.parameters
    raws = [step / 100 for step in range(101)]
    shown = [p.shown_score(raw) for raw in raws]
    assert all(low < high for low, high in zip(shown, shown[1:]))
    assert all(p.raw_for_shown(value) == pytest.approx(raw, abs=1e-9) for raw, value in zip(raws, shown))


def test_an_assessment_keeps_its_raw_score_and_shows_the_mapped_one(coach):
    answer = "We track NPS and CSAT every month and share them with leadership."
    assessment = coach.assess("measure_cx_success", answer).assessment
    assert assessment.raw_score > 0
    assert assessment.score == pytest.approx(coach.parameters.shown_score(assessment.raw_score), abs=1e-4)
    assert assessment.band == coach.parameters.band(assessment.score)


def test_a_one_word_answer_to_a_one_point_question_is_judged_on_its_content(coach):
    assessment = coach.assess_criteria("Paris", [CriterionSpec("The capital of France is Paris.")],
                                       question="What is the capital of France?")
    assert assessment.gaming is None and assessment.covered and assessment.band == "strong"
    wrong = coach.assess_criteria("Lyon", [CriterionSpec("The capital of France is Paris.")],
                                  question="What is the capital of France?")
    assert wrong.score < assessment.score
