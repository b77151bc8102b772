"""Scoring answers against criteria with the real embedding model, and the sentence splitting behind it."""

import pytest

from coach.scoring import CriterionSpec, criteria_from_reference, split_sentences

QUESTION_ID = "measure_cx_success"
STRONG_ANSWER = (
    "I would measure success with three core metrics. "
    "Net Promoter Score (NPS) tells us how likely customers are to recommend us, which reflects loyalty. "
    "CSAT, the customer satisfaction score, measures how satisfied customers are with a specific interaction "
    "right after it. "
    "Customer Effort Score (CES) measures how easy it was for customers to get their problem solved. "
    "Before launching anything I would record a baseline for each metric so we can compare before and after. "
    "Then I would tie the scores to business outcomes like churn, retention and revenue, for example showing "
    "that customers with higher NPS renew more often. "
    "Finally I would report the results to leadership every month in a dashboard."
)
PARTIAL_ANSWER = "I'd check survey results and see if customers seem happier."
OFF_TOPIC_ANSWER = (
    "On weekends I enjoy hiking in the mountains, baking sourdough bread and playing chess with my friends. "
    "I also collect old vinyl records."
)


def assess(coach, answer):
    return coach.assess(QUESTION_ID, answer).assessment


# --- ranking answers ----------------------------------------------------------------------------------------------

def test_strong_answer_beats_partial_answer_beats_off_topic_answer(coach):
    strong, partial, off_topic = (assess(coach, a) for a in (STRONG_ANSWER, PARTIAL_ANSWER, OFF_TOPIC_ANSWER))
    assert strong.score > partial.score > off_topic.score


def test_strong_answer_covers_more_criteria_than_partial_and_off_topic(coach):
    strong, partial, off_topic = (assess(coach, a) for a in (STRONG_ANSWER, PARTIAL_ANSWER, OFF_TOPIC_ANSWER))
    assert len(strong.covered) > len(partial.covered) >= len(off_topic.covered)
    assert len(strong.covered) >= len(strong.criteria) - 1


@pytest.mark.parametrize("answer", [STRONG_ANSWER, PARTIAL_ANSWER, OFF_TOPIC_ANSWER])
def test_a_criterion_is_covered_exactly_when_its_similarity_reaches_the_threshold(coach, answer):
    assessment = assess(coach, answer)
    threshold = coach.parameters.coverage_threshold
    assert all(result.covered == (result.similarity >= threshold) for result in assessment.criteria)


# --- evidence -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    STRONG_ANSWER,
    "We sent a CSAT survey after every support case and compared the results with the month before.",
    "My plan:\n- Track NPS to see how likely customers are to recommend us\n- Track CSAT after each support case\n"
    "• Compare churn and revenue with the scores every quarter",
])
def test_evidence_of_a_covered_criterion_is_the_candidates_own_words(coach, answer):
    assessment = assess(coach, answer)
    assert assessment.covered, "the answer should cover at least one criterion"
    for result in assessment.criteria:
        if result.covered or result.unsure:
            # A sentence pair's evidence is its two sentences, each the candidate's own words. An unsure criterion
            # quotes its closest words too ("partly, or not clearly: ...").
            assert result.evidence and all(part in answer for part in result.evidence.split("\n")), result
        else:
            assert result.evidence is None, result


def test_uncovered_criteria_have_no_evidence(coach):
    assessment = assess(coach, OFF_TOPIC_ANSWER)
    assert assessment.missing
    assert all(result.evidence is None for result in assessment.missing)


def test_the_same_answer_scored_twice_gives_identical_results(coach):
    first, second = assess(coach, STRONG_ANSWER), assess(coach, STRONG_ANSWER)
    assert first.score == second.score
    assert first.criteria == second.criteria


def test_empty_answer_scores_zero_and_covers_nothing(coach):
    assessment = assess(coach, "")
    assert assessment.score == 0
    assert assessment.covered == []
    assert assessment.sentences == ()


def test_very_long_answer_is_trimmed_and_still_scored(coach):
    model_answers = " ".join(question.model_answer for question in coach.bank.questions.values())
    long_answer = ("We tracked NPS and CSAT every month and linked them to churn and revenue. "
                   + model_answers * 3)[:20_000]
    assert len(long_answer) == 20_000
    result = coach.assess(QUESTION_ID, long_answer)
    assert result.assessment.trimmed is True
    assert len(" ".join(result.assessment.sentences)) <= coach.settings.max_scored_chars
    assert 0.0 < result.assessment.score <= 1.0
    assert result.answer_length == 20_000


def test_short_answer_is_not_trimmed(coach):
    assert assess(coach, STRONG_ANSWER).trimmed is False


def test_scorer_refuses_to_score_without_criteria(coach):
    with pytest.raises(ValueError):
        coach.scorer.assess("We tracked NPS.", [])


def test_custom_criteria_are_scored_and_carried_through(coach):
    criteria = [CriterionSpec(text="Mentions tracking Net Promoter Score.", id="nps"),
                CriterionSpec(text="Talks about baking bread.", id="bread")]
    assessment = coach.assess_criteria("We tracked our Net Promoter Score every quarter.", criteria)
    by_id = {result.criterion.id: result for result in assessment.criteria}
    assert by_id["nps"].covered
    assert not by_id["bread"].covered
    assert by_id["nps"].similarity > by_id["bread"].similarity


# --- splitting into sentences ------------------------------------------------------------------------------------

def test_split_on_sentence_punctuation():
    assert split_sentences("We measured NPS. It went up! Did churn fall? Yes; it did.") == [
        "We measured NPS.", "It went up!", "Did churn fall?", "Yes;", "it did."]


def test_split_on_line_breaks():
    assert split_sentences("first point without a full stop\nsecond point\n\nthird point") == [
        "first point without a full stop", "second point", "third point"]


def test_split_on_list_bullets():
    text = "My plan:\n- track NPS\n* survey after each case\n• report monthly\n  - compare with churn"
    assert split_sentences(text) == ["My plan:", "track NPS", "survey after each case", "report monthly",
                                     "compare with churn"]


def test_split_on_cjk_punctuation():
    assert split_sentences("我们跟踪了客户满意度。客户很高兴！下一步是什么？") == [
        "我们跟踪了客户满意度。", "客户很高兴！", "下一步是什么？"]


def test_emoji_only_pieces_are_dropped():
    assert split_sentences("We fixed onboarding. 😀🎉\n👍\nChurn fell.") == ["We fixed onboarding.", "Churn fell."]


def test_nothing_but_whitespace_and_emoji_gives_no_sentences():
    assert split_sentences("  \n 🎉 \n\n") == []


def test_long_unpunctuated_run_is_cut_into_short_pieces():
    words = [f"word{n}" for n in range(2000)]
    pieces = split_sentences(" ".join(words))
    assert all(len(piece.split()) <= 45 for piece in pieces)
    assert " ".join(pieces).split() == words  # nothing lost, nothing reordered
    assert len(pieces) == -(-2000 // 45)


def test_criteria_from_reference_gives_one_criterion_per_sentence():
    reference = "Name NPS, CSAT and CES. Say what each measures.\nLink them to churn and revenue!"
    criteria = criteria_from_reference(reference)
    assert [criterion.text for criterion in criteria] == [
        "Name NPS, CSAT and CES.", "Say what each measures.", "Link them to churn and revenue!"]
