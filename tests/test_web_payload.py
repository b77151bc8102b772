"""The structured feedback and summary the web page draws: they must agree with the coach's own assessment."""

import json

from coach import web_payload

ANSWER = (
    "Before the launch I set a baseline for NPS and CSAT. After we simplified the returns form, CSAT rose from 78 to "
    "86 percent and churn fell by two points. I shared the results every month on a dashboard for leadership."
)


def test_answer_feedback_mirrors_the_assessment(coach):
    result = coach.assess("measure_cx_success", ANSWER)
    payload = web_payload.answer_feedback(result, coach.bank, number=2, total=5)
    json.dumps(payload)  # it travels as JSON
    assert payload["kind"] == "answer_feedback"
    assert payload["score"] == result.score_percent
    assert payload["question"]["number"] == 2 and payload["question"]["total"] == 5
    assert payload["question"]["competency"] == coach.bank.competencies[result.question.competency].name
    assert [item["criterion"] for item in payload["covered"]] == [r.criterion.text for r in result.assessment.covered]
    assert [item["tip"] for item in payload["missing"]] == [r.criterion.tip for r in result.assessment.missing]
    assert payload["covered"], "a strong answer covers something"
    for item in payload["covered"]:
        assert item["evidence"].rstrip("…")[:30] in ANSWER  # the evidence quotes the candidate
    # The answer named NPS and CSAT and described churn: those are not reported missing, CES (never named) is.
    missing = [concept["abbreviation"] for concept in payload["concepts_missing"]]
    assert missing == [concept.abbreviation for concept in result.concepts_missing]
    assert "CES" in missing and "NPS" not in missing and "CSAT" not in missing


def test_interview_summary_averages_per_competency_and_keeps_skips(coach):
    results = [
        {"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.8},
        {"question_id": "gather_customer_feedback", "number": 2, "status": "skipped"},
        {"question_id": "journey_mapping", "number": 3, "status": "answered", "score": 0.455},
    ]
    payload = web_payload.interview_summary(results, coach.bank, "mid")
    json.dumps(payload)
    assert payload["level"] == coach.bank.levels["mid"].name
    assert (payload["asked"], payload["answered"]) == (3, 2)
    assert payload["average"] == round((0.8 + 0.455) / 2 * 100)
    assert [q["status"] for q in payload["questions"]] == ["answered", "skipped", "answered"]
    assert payload["questions"][1]["score"] is None
    # The same averages as the text summary's, as percentages.
    profile = coach.interview_profile(results, "mid")
    assert payload["competencies"] == [{"name": entry["name"], "score": round(entry["score"] * 100)}
                                       for entry in profile["competencies"]]


def test_each_question_carries_its_progress():
    assert web_payload.question_progress(2, 5) == {"kind": "question", "version": web_payload.PAYLOAD_VERSION,
                                                   "progress": {"number": 2, "total": 5}}


def test_interview_summary_with_nothing_answered_has_no_average(coach):
    results = [{"question_id": "measure_cx_success", "number": 1, "status": "skipped"}]
    payload = web_payload.interview_summary(results, coach.bank, "junior")
    assert payload["average"] is None and payload["competencies"] == [] and payload["answered"] == 0


def test_only_the_rest_channel_gets_payloads():
    # rasa shell ("cmdline") would print the JSON and Slack would post it; the web page uses REST.
    assert web_payload.wanted("rest")
    assert not web_payload.wanted("cmdline") and not web_payload.wanted("slack") and not web_payload.wanted(None)
