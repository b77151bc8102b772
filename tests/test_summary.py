"""The end-of-interview summary, built from records of real assessments."""

import copy

import pytest

ANSWERS = {
    "measure_cx_success": "I would track NPS and CSAT before and after the change, tie them to churn and report "
                          "monthly to leadership.",
    "journey_mapping": "I mapped the onboarding journey step by step with the team and found where customers gave up.",
    "gather_customer_feedback": "I like pizza.",
}
SKIPPED_QUESTION = "voc_program"


@pytest.fixture(scope="module")
def answered_records(coach):
    records = []
    for number, (question_id, answer) in enumerate(ANSWERS.items(), start=1):
        records.append(coach.result_record(coach.assess(question_id, answer), number, answer))
    return records


@pytest.fixture
def records(answered_records):
    """A fresh copy for each test, so no test can change what another sees."""
    return copy.deepcopy(answered_records)


@pytest.fixture
def records_with_skip(records):
    return records + [{"question_id": SKIPPED_QUESTION, "number": len(records) + 1, "status": "skipped"}]


def competency_name(coach, question_id):
    return coach.bank.competencies[coach.bank.question(question_id).competency].name


def next_step_lines(coach, summary):
    lines = summary.splitlines()
    start = lines.index(coach.texts.summary("next_steps_heading"))
    end = lines.index(coach.texts.summary("closing"))
    return lines[start + 1:end]


def test_summary_lists_each_question_with_its_score(coach, records):
    summary = coach.summary(records, "mid")
    for record in records:
        question = coach.bank.question(record["question_id"])
        expected = coach.texts.summary("question_line", number=record["number"],
                                       competency=competency_name(coach, question.id),
                                       score=round(record["score"] * 100), text=question.text)
        assert expected in summary.splitlines()


def test_summary_heading_counts_answered_and_asked_questions(coach, records_with_skip):
    summary = coach.summary(records_with_skip, "mid")
    answered = [r for r in records_with_skip if r["status"] == "answered"]
    average = round(sum(r["score"] for r in answered) / len(answered) * 100)
    assert summary.splitlines()[0] == coach.texts.summary(
        "heading", level=coach.bank.levels["mid"].name, answered=3, asked=4, average=average)


def test_summary_gives_the_average_score_per_competency(coach, records):
    summary = coach.summary(records, "mid")
    lines = summary.splitlines()
    assert coach.texts.summary("competencies_heading") in lines
    for record in records:
        line = coach.texts.summary("competency_line", competency=competency_name(coach, record["question_id"]),
                                   score=round(record["score"] * 100))
        assert line in lines  # each question here is the only one of its competency


def test_competency_average_combines_questions_of_the_same_competency(coach, records):
    first = records[0]
    second = dict(first, number=2, score=0.0)  # a second answer on the same competency, scoring nothing
    summary = coach.summary([first, second], "mid")
    line = coach.texts.summary("competency_line", competency=competency_name(coach, first["question_id"]),
                               score=round(first["score"] / 2 * 100))
    assert line in summary.splitlines()


def test_summary_names_strongest_and_weakest_area(coach, records):
    summary = coach.summary(records, "mid")
    best = max(records, key=lambda r: r["score"])
    worst = min(records, key=lambda r: r["score"])
    assert best["score"] > worst["score"]
    lines = summary.splitlines()
    assert coach.texts.summary("strongest", competency=competency_name(coach, best["question_id"]),
                               score=round(best["score"] * 100)) in lines
    assert coach.texts.summary("weakest", competency=competency_name(coach, worst["question_id"]),
                               score=round(worst["score"] * 100)) in lines


def test_summary_with_one_competency_names_no_strongest_or_weakest_area(coach, records):
    record = records[0]
    summary_lines = coach.summary([record], "mid").splitlines()
    values = dict(competency=competency_name(coach, record["question_id"]), score=round(record["score"] * 100))
    assert coach.texts.summary("strongest", **values) not in summary_lines
    assert coach.texts.summary("weakest", **values) not in summary_lines


def test_summary_reports_each_level_against_its_indicators(coach, records):
    lines = coach.summary(records, "mid").splitlines()
    assert coach.texts.summary("levels_heading") in lines
    readings = coach.summary_writer.level_readiness([record["answer"] for record in records])["levels"]
    assert [reading["level"] for reading in readings] == ["junior", "mid", "senior"]
    for reading in readings:
        level = coach.bank.levels[reading["level"]]
        names = [met["name"] for met in reading["met"]]
        if names:
            expected = coach.texts.summary("level_line", level=level.name, years=level.years, met=len(names),
                                           total=reading["total"], names=", ".join(names))
        else:
            expected = coach.texts.summary("level_line_none", level=level.name, years=level.years)
        assert expected in lines
        for met in reading["met"]:  # each indicator shown is backed by one of the candidate's sentences
            assert any(met["evidence"] in record["answer"] for record in records)
    # The journey-mapping answer shows a mid-level indicator in nearly the bank's own words.
    mid = next(reading for reading in readings if reading["level"] == "mid")
    assert "Customer journey mapping" in [met["name"] for met in mid["met"]]


def test_level_indicators_are_not_shown_by_an_off_topic_answer(coach):
    readiness = coach.summary_writer.level_readiness(["I like pizza and long walks on the beach."])
    assert all(reading["met"] == [] for reading in readiness["levels"])
    assert readiness["verdict"] is None and readiness["next_level"] == "junior"


def test_summary_gives_two_or_three_next_steps(coach, records):
    steps = next_step_lines(coach, coach.summary(records, "mid"))
    assert 2 <= len(steps) <= 3, steps


def test_summary_with_one_answer_still_gives_two_or_three_next_steps(coach, records):
    steps = next_step_lines(coach, coach.summary(records[:1], "mid"))
    assert 2 <= len(steps) <= 3, steps


def test_summary_mentions_skipped_questions(coach, records_with_skip):
    summary = coach.summary(records_with_skip, "mid")
    question = coach.bank.question(SKIPPED_QUESTION)
    skipped_line = coach.texts.summary("skipped_line", number=4, competency=competency_name(coach, SKIPPED_QUESTION),
                                       text=question.text)
    assert skipped_line in summary.splitlines()
    assert coach.texts.summary("next_step_skipped") in next_step_lines(coach, summary)


def test_summary_without_skips_does_not_mention_skipping(coach, records):
    assert coach.texts.summary("next_step_skipped") not in coach.summary(records, "mid")


@pytest.mark.parametrize("results", [
    [],
    [{"question_id": "voc_program", "number": 1, "status": "skipped"}],
])
def test_summary_with_nothing_answered_says_so(coach, results):
    assert coach.summary(results, "mid") == coach.texts.summary("nothing_answered")


def test_summary_does_not_repeat_the_word_level(coach, records):
    assert "level level" not in coach.summary(records, "mid").lower()


def test_summary_says_what_would_move_the_candidate_up_a_level(coach, records):
    readiness = coach.summary_writer.level_readiness([record["answer"] for record in records])
    summary = coach.summary(records, "mid").splitlines()
    next_level = readiness["next_level"]
    assert next_level is not None and readiness["to_move_up"]
    names = ", ".join(item["name"].lower() for item in readiness["to_move_up"])
    assert coach.texts.summary("level_up", level=coach.bank.levels[next_level].name, indicators=names) in summary
    first = readiness["to_move_up"][0]
    assert coach.texts.summary("level_up_example", indicator=first["name"], example=first["example"]) in summary
    # What is still to show is exactly the next level's indicators the answers did not show.
    level = next(entry for entry in readiness["levels"] if entry["level"] == next_level)
    assert [item["id"] for item in readiness["to_move_up"]] == [item["id"] for item in level["missing"]]


def test_a_senior_verdict_has_no_level_above(coach):
    senior_answers = [signal for indicator in coach.bank.levels["senior"].indicators for signal in indicator.signals]
    readiness = coach.summary_writer.level_readiness(senior_answers)
    assert readiness["verdict"] == "senior" and readiness["next_level"] is None
    records = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.8,
                "answer": " ".join(senior_answers)}]
    assert coach.texts.summary("level_top") in coach.summary(records, "senior").splitlines()


def test_interview_profile_is_json_data_for_reports(coach, records_with_skip):
    import json

    profile = coach.interview_profile(records_with_skip, "mid")
    json.dumps(profile)
    assert profile["answered"] == 3 and profile["asked"] == 4
    assert {entry["id"] for entry in profile["competencies"]} == {
        coach.bank.question(qid).competency for qid in ANSWERS}
    assert profile["band"] in ("strong", "partial", "weak")
    assert profile["readiness"]["levels"][0]["level"] == "junior"


def test_a_weak_average_overrides_a_level_verdict(coach):
    """Mentioning senior work with a low average must not be told "you match Senior level"."""
    answer = ("I set the three-year CX strategy with the executive team and owned a budget of two million. "
              "I led the change programme across support, product and sales, and reported to the board.")
    assert coach.summary_writer.level_readiness([answer])["verdict"], "the answer shows some level's indicators"
    results = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": 0.12,
                "answer": answer}]
    text = coach.summary(results, "senior")
    assert "best match what interviewers expect" not in text
    assert "averaged 12/100" in text


def test_the_recruiter_report_and_the_summary_reach_the_same_verdict_on_the_same_answers(coach):
    """One source: a weak average holds back the level in the recruiter's report as it does in the summary."""
    from screening.content import load_screening_content
    from screening.report import build_report

    answer = ("I set the three-year CX strategy with the executive team and owned a budget of two million. "
              "I led the change programme across support, product and sales, and reported to the board.")
    readiness = coach.summary_writer.level_readiness([answer])
    shown = [entry["level"] for entry in readiness["levels"] if entry["shown"]]
    assert shown, "the answer shows some level's indicators"
    content = load_screening_content(coach.settings.content_dir / "screening.yml")
    for score in (0.12, 0.9):
        results = [{"question_id": "measure_cx_success", "number": 1, "status": "answered", "score": score,
                    "answer": answer}]
        screen = {"screen_id": "S0A0B0C", "candidate_id": "U0CAND1", "recruiter_id": "U0REC", "level": shown[0],
                  "plan": ["measure_cx_success"]}
        report = build_report(screen, results, coach, content)
        profile = coach.interview_profile(results, shown[0])
        summary_level = next(e for e in profile["readiness"]["levels"] if e["level"] == shown[0])
        assert report["level_readiness"]["ready"] == summary_level["ready"] == (score >= coach.parameters.partial)
        assert report["competency_profile"] == {e["name"]: round(e["score"], 3) for e in profile["competencies"]}
        assert report["average_score"] == round(profile["average"], 3)
