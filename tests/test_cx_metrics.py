"""Recognising NPS, CSAT and CES in answers, the feedback on missing metrics, and the red flags interviewers note."""

import pytest
import yaml

METRICS_QUESTION = "measure_cx_success"


@pytest.fixture(scope="module")
def metric_content(project_root) -> dict:
    """The metrics as written in content/cx_metrics.yml, by id."""
    document = yaml.safe_load((project_root / "content" / "cx_metrics.yml").read_text(encoding="utf-8"))
    return {metric["id"]: metric for metric in document["metrics"]}


def metrics_found(coach, answer, question_id=METRICS_QUESTION):
    return coach.assess(question_id, answer).metrics_found


def raised_flags(coach, question_id, answer):
    return {raised.flag.id for raised in coach.assess(question_id, answer).red_flags}


# --- metrics by name and by description ---------------------------------------------------------------------------

@pytest.mark.parametrize("answer, metric_id", [
    ("We tracked NPS every quarter.", "nps"),
    ("I would watch our net promoter score after the change.", "nps"),
    ("Our CSAT on chat went up by six points.", "csat"),
    ("We introduced a customer effort score survey.", "ces"),
])
def test_metric_named_in_the_answer_is_found_by_name(coach, answer, metric_id):
    found = metrics_found(coach, answer)
    assert metric_id in found
    assert found[metric_id].how == "name"
    assert found[metric_id].sentence == answer


@pytest.mark.parametrize("answer, metric_id", [
    ("We tracked NPS every quarter.", "nps"),
    ("Our CSAT on chat went up by six points.", "csat"),
    ("We introduced a customer effort score survey.", "ces"),
])
def test_naming_one_metric_does_not_credit_another(coach, answer, metric_id):
    assert set(metrics_found(coach, answer)) == {metric_id}


@pytest.mark.parametrize("answer, metric_id", [
    ("We asked customers how likely they were to recommend us to a friend.", "nps"),
    ("We asked customers how easy it was to get their problem sorted out.", "ces"),
    ("Right after each call we asked customers how satisfied they were with the service.", "csat"),
])
def test_metric_described_without_its_name_is_found_by_description(coach, answer, metric_id):
    found = metrics_found(coach, answer)
    assert set(found) == {metric_id}
    assert found[metric_id].how == "description"
    assert found[metric_id].sentence == answer


@pytest.mark.parametrize("answer", [
    "On weekends I enjoy hiking in the mountains, baking bread and playing chess with my friends.",
    "I put a lot of effort into the project.",
    "I would look at how many complaints we get and talk to the team about what to improve.",
])
def test_no_metric_is_found_in_an_answer_without_one(coach, answer):
    assert metrics_found(coach, answer) == {}


def test_metric_detector_can_be_used_on_its_own(coach):
    sentences = ["We put a lot of effort into onboarding.", "Our NPS rose by ten points."]
    found = coach.metric_detector.find(sentences, coach.embedder.encode(sentences))
    assert set(found) == {"nps"}
    assert found["nps"].sentence == sentences[1]


# --- feedback on missing metrics ----------------------------------------------------------------------------------

def test_feedback_for_an_answer_without_metrics_explains_each_missing_metric(coach, metric_content):
    result = coach.assess(METRICS_QUESTION, "I would look at how many complaints we get and talk to the team.")
    feedback = coach.feedback(result)
    assert coach.texts.answer("metrics_none") in feedback
    for metric in metric_content.values():
        assert metric["abbreviation"] in feedback
        assert metric["measures"] in feedback


def test_feedback_for_an_answer_naming_only_nps_lists_csat_and_ces_as_missing(coach, metric_content):
    result = coach.assess(METRICS_QUESTION, "I would track NPS before and after the change and report it monthly.")
    feedback = coach.feedback(result)
    assert [metric.id for metric in result.metrics_missing] == ["csat", "ces"]
    assert coach.texts.answer("metrics_some", found="NPS") in feedback
    for metric_id in ("csat", "ces"):
        assert metric_content[metric_id]["measures"] in feedback
    assert metric_content["nps"]["measures"] not in feedback


def test_feedback_for_an_answer_naming_all_metrics_lists_none_as_missing(coach, metric_content):
    answer = "I would track NPS, CSAT and CES and link them to retention."
    feedback = coach.feedback(coach.assess(METRICS_QUESTION, answer))
    assert all(metric["measures"] not in feedback for metric in metric_content.values())


# --- red flags ----------------------------------------------------------------------------------------------------

def test_answer_without_empathy_raises_no_empathy(coach):
    assert "no_empathy" in raised_flags(coach, "angry_customer", "I would tell them the policy and close the ticket.")


def test_empathetic_answer_does_not_raise_no_empathy(coach):
    answer = ("I would listen without interrupting, tell them I understand how frustrating this must be, "
              "apologise for the trouble and then fix the problem.")
    assert "no_empathy" not in raised_flags(coach, "angry_customer", answer)


def test_hypothetical_answer_to_a_behavioural_question_raises_no_example(coach):
    question = coach.bank.question("above_and_beyond")
    assert question.kind == "behavioural"
    answer = "I would always try to go the extra mile and make sure the customer is happy with the result."
    assert "no_example" in raised_flags(coach, question.id, answer)


def test_past_narrative_answer_to_a_behavioural_question_does_not_raise_no_example(coach):
    answer = ("Last year a customer called me furious about a double charge. I listened, apologised and "
              "refunded the charge the same day, and she thanked me afterwards.")
    assert "no_example" not in raised_flags(coach, "above_and_beyond", answer)


def test_measuring_success_without_metrics_raises_no_metrics(coach):
    answer = "I would ask the team whether things feel better and look at the number of complaints."
    assert "no_metrics" in raised_flags(coach, METRICS_QUESTION, answer)


def test_measuring_success_with_a_metric_does_not_raise_no_metrics(coach):
    assert "no_metrics" not in raised_flags(coach, METRICS_QUESTION, "I would compare our CSAT before and after.")


def test_red_flags_are_raised_only_on_questions_they_apply_to(coach):
    question = coach.bank.question("service_vs_experience")
    assert "no_metrics" not in question.red_flags
    assert "no_metrics" not in raised_flags(coach, question.id, "Customer service is one part of the experience.")
