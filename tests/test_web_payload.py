"""The structured feedback and summary the web page draws: they must agree with the coach's own assessment."""

import json

from coach import web_payload

ANSWER = (
    "Before the launch I set a baseline for NPS and CSAT. After we simplified the returns form, CSAT rose from 78 to "
    "86 percent and churn fell by two points. I shared the results every month on a dashboard for leadership."
)


def test_answer_feedback_mirrors_the_assessment(coach):
    result = coach.assess("measure_cx_success", ANSWER)
    payload = web_payload.answer_feedback(result, coach.bank, coach.texts, number=2, total=5, answer=ANSWER)
    json.dumps(payload)  # it travels as JSON
    assert payload["kind"] == "answer_feedback" and payload["stage"] == "answer"
    assert payload["score"] == result.score_percent
    assert payload["question"]["number"] == 2 and payload["question"]["total"] == 5
    assert payload["question"]["competency"] == coach.bank.competencies[result.question.competency].name
    assert [item["criterion"] for item in payload["covered"]] == [r.criterion.text for r in result.assessment.covered]
    assert [item["tip"] for item in payload["missing"]] == [r.criterion.tip for r in result.assessment.missing]
    assert payload["covered"], "a strong answer covers something"
    criteria = {criterion.id: criterion for criterion in result.question.criteria}
    for item in payload["covered"]:
        assert item["evidence"].rstrip("…")[:30] in ANSWER  # the evidence quotes the candidate
        assert item["shown"] == criteria[item["id"]].shown  # written for the reader, not the rubric
        # The words that earned the point, located in the answer the page shows.
        assert item["spans"] and all(span["part"] == 0 for span in item["spans"])
        highlighted = " ".join(ANSWER[span["start"]:span["end"]] for span in item["spans"])
        assert highlighted.split() == item["evidence"].rstrip("…").split() or item["evidence"].endswith("…")
    assert payload["answers"] == [{"text": ANSWER, "follow_up_question": None}]
    assert payload["verdict"] == coach.texts.answer(f"verdict_{result.assessment.band}",
                                                    covered=len(result.assessment.covered),
                                                    total=len(result.assessment.criteria))
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
    assert "next_steps" not in payload  # without the summary's sentences, only the figures
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
    assert web_payload.question_progress(2, 5, "Why CX?", "Strategy") == {
        "kind": "question", "version": web_payload.PAYLOAD_VERSION, "progress": {"number": 2, "total": 5},
        "text": "Why CX?", "competency": "Strategy"}


def test_interview_summary_with_nothing_answered_has_no_average(coach):
    results = [{"question_id": "measure_cx_success", "number": 1, "status": "skipped"}]
    payload = web_payload.interview_summary(results, coach.bank, "junior")
    assert payload["average"] is None and payload["competencies"] == [] and payload["answered"] == 0


def test_only_the_rest_channel_gets_payloads():
    # rasa shell ("cmdline") would print the JSON and Slack would post it; the web page uses REST.
    assert web_payload.wanted("rest")
    assert not web_payload.wanted("cmdline") and not web_payload.wanted("slack") and not web_payload.wanted(None)


def test_highlights_are_found_across_line_breaks_and_counted_as_javascript_counts():
    answer = "😀 Hi there.\nWe   tracked\n NPS monthly.\nThen we shared it."
    spans = web_payload.locate("We tracked NPS monthly.\nThen we shared it.", [answer])
    as_utf16 = answer.encode("utf-16-le")
    words = [as_utf16[2 * s["start"]:2 * s["end"]].decode("utf-16-le") for s in spans]
    assert words == ["We   tracked\n NPS monthly.", "Then we shared it."]
    assert web_payload.locate("Never said this.", [answer]) == []
    assert web_payload.locate(None, [answer]) == []
    # A pair whose second sentence is in the follow-up reply points into that part.
    assert [s["part"] for s in web_payload.locate("Hi there.\nIt worked.", [answer, "It worked."])] == [0, 1]


def test_a_feedback_built_again_for_the_same_answer_has_the_same_id(coach):
    first = web_payload.answer_feedback(coach.assess("measure_cx_success", ANSWER), coach.bank, coach.texts, 1, 3,
                                        ANSWER)
    again = web_payload.answer_feedback(coach.assess("measure_cx_success", ANSWER), coach.bank, coach.texts, 1, 3,
                                        ANSWER)
    other = web_payload.answer_feedback(coach.assess("measure_cx_success", ANSWER + " More."), coach.bank,
                                        coach.texts, 1, 3, ANSWER + " More.")
    assert first == again
    assert other["answer_id"] != first["answer_id"]


def test_follow_up_feedback_says_what_changed_and_keeps_both_texts(coach):
    first = "We ran a survey after each support case."
    reply = "CSAT rose from 70 to 84 percent and we reported it every month on a dashboard for leadership."
    outcome = coach.assess_with_follow_up("measure_cx_success", first, reply)
    payload = web_payload.follow_up_feedback(outcome, coach.bank, coach.texts, 1, 3, first, "What changed?", reply)
    json.dumps(payload)
    assert payload["stage"] == "follow_up"
    assert [a["text"] for a in payload["answers"]] == [first, reply]
    assert payload["answers"][1]["follow_up_question"] == "What changed?"
    change = payload["change"]
    assert (change["before"], change["after"]) == (outcome.before.score_percent, outcome.kept.score_percent)
    assert change["newly_covered"] == [item.criterion.id for item in outcome.newly_covered]
    assert change["counted"] == outcome.counted and payload["score"] == outcome.kept.score_percent
    if outcome.counted:
        assert any(span["part"] == 1 for item in payload["covered"] for span in item["spans"])
    assert payload["answer_id"] != web_payload.answer_feedback(outcome.before, coach.bank, coach.texts, 1, 3,
                                                               first)["answer_id"]


def test_interview_summary_carries_the_summary_sentences_by_section(coach):
    results = [coach.result_record(coach.assess("measure_cx_success", ANSWER), 1, ANSWER),
               {"question_id": "gather_customer_feedback", "number": 2, "status": "skipped"}]
    parts = coach.summary_writer.parts(results, "mid")
    payload = web_payload.interview_summary(results, coach.bank, "mid", parts)
    json.dumps(payload)
    text = coach.summary(results, "mid")
    assert payload["next_steps"] and all(step in text for step in payload["next_steps"])
    assert payload["readiness"]["verdict"] in text
    assert all(not line.startswith("•") for line in payload["next_steps"] + payload["readiness"]["levels"])
    assert coach.texts.summary("closing") in text and coach.texts.summary("closing") not in json.dumps(payload)
