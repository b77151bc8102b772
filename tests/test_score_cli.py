"""The JSON Lines scoring command, run as a real subprocess: `python -m coach.score_cli < in.jsonl > out.jsonl`.

Each run loads the embedding model (several seconds), so the module runs the command twice and checks both outputs.
"""

import json
import subprocess
import sys

import pytest

from coach.question_bank import load_question_bank

GOOD_LINES = [
    {"id": "bank", "question_id": "measure_cx_success",
     "answer": "We tracked NPS and CSAT every month and tied them to churn and revenue."},
    {"id": 2, "question": "How do you measure success?",
     "criteria": ["Mentions tracking Net Promoter Score.", "Talks about baking bread."],
     "answer": "We tracked our Net Promoter Score every quarter."},
    {"id": "ref", "question": "What is the difference between service and experience?",
     "reference": "Customer service is one part of the experience. Experience covers every touchpoint.",
     "answer": "Service is just one piece of the whole customer experience."},
]
BAD_LINES = [
    {"id": "unknown", "question_id": "no_such_question", "answer": "Anything."},
]
NOT_JSON = "this line is not JSON"


def run_score_cli(project_root, input_lines):
    completed = subprocess.run([sys.executable, "-m", "coach.score_cli"], cwd=project_root,
                               input="\n".join(input_lines) + "\n", capture_output=True, text=True, timeout=300)
    return completed


@pytest.fixture(scope="module")
def mixed_run(project_root):
    lines = [json.dumps(line) for line in GOOD_LINES + BAD_LINES] + [NOT_JSON]
    return lines, run_score_cli(project_root, lines)


@pytest.fixture(scope="module")
def clean_run(project_root):
    lines = [json.dumps(line) for line in GOOD_LINES]
    return lines, run_score_cli(project_root, lines)


def output_records(completed):
    return [json.loads(line) for line in completed.stdout.splitlines()]


@pytest.mark.parametrize("run", ["mixed_run", "clean_run"])
def test_stdout_has_exactly_one_json_object_per_input_line(request, run):
    lines, completed = request.getfixturevalue(run)
    stdout_lines = completed.stdout.splitlines()
    assert len(stdout_lines) == len(lines), completed.stderr[-2000:]
    assert all(isinstance(json.loads(line), dict) for line in stdout_lines)


def test_ids_are_echoed_in_order(mixed_run):
    _, completed = mixed_run
    assert [record["id"] for record in output_records(completed)] == ["bank", 2, "ref", "unknown", None]


def test_scored_lines_have_a_band_for_their_score_and_per_criterion_details(mixed_run, coach):
    _, completed = mixed_run
    scored = output_records(completed)[:len(GOOD_LINES)]
    for record in scored:
        assert "error" not in record, record
        assert record["band"] == coach.parameters.band(record["score"])
        assert record["criteria"]
        for criterion in record["criteria"]:
            assert set(criterion) == {"id", "criterion", "similarity", "covered", "unsure", "evidence"}
            assert (criterion["evidence"] is not None) == (criterion["covered"] or criterion["unsure"])
            assert not (criterion["covered"] and criterion["unsure"])


def test_criteria_come_from_the_bank_the_line_or_the_reference(mixed_run, project_root):
    _, completed = mixed_run
    bank_line, criteria_line, reference_line = output_records(completed)[:3]
    bank = load_question_bank(project_root / "content" / "question_bank.yml")
    bank_criteria = [c.text for c in bank.question("measure_cx_success").criteria]
    assert [c["criterion"] for c in bank_line["criteria"]] == bank_criteria
    assert [c["criterion"] for c in criteria_line["criteria"]] == GOOD_LINES[1]["criteria"]
    assert [c["criterion"] for c in reference_line["criteria"]] == [
        "Customer service is one part of the experience.", "Experience covers every touchpoint."]


def test_a_matching_criterion_is_covered_and_an_unrelated_one_is_not(mixed_run):
    _, completed = mixed_run
    nps, bread = output_records(completed)[1]["criteria"]
    assert nps["covered"] is True
    assert nps["evidence"] == GOOD_LINES[1]["answer"]
    assert bread["covered"] is False


def test_bad_lines_get_an_error_and_no_score(mixed_run):
    _, completed = mixed_run
    unknown, not_json = output_records(completed)[len(GOOD_LINES):]
    assert "no_such_question" in unknown["error"]
    assert "score" not in unknown
    assert not_json["error"]
    assert "score" not in not_json


def test_exit_code_is_1_when_any_line_failed(mixed_run):
    _, completed = mixed_run
    assert completed.returncode == 1


def test_exit_code_is_0_when_every_line_was_scored(clean_run):
    _, completed = clean_run
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert all("error" not in record for record in output_records(completed))


def test_output_adds_band_gaming_star_and_concepts(coach):
    import io
    import json as json_module

    from coach.score_cli import run

    lines = [
        {"id": "kw", "question": "How do you measure CX?", "answer": "NPS CSAT CES journey mapping",
         "criteria": ["Names NPS, CSAT or CES and says what each measures."]},
        {"id": "star", "question": "Tell me about a time you calmed an angry customer.",
         "answer": "Last year a customer was furious about a double charge. My job was to keep her as a customer. "
                   "I apologized and refunded it the same "
                   "day. As a result she stayed, and billing complaints fell by 20% that quarter.",
         "criteria": ["Apologizes and fixes the problem quickly."]},
    ]
    stdout = io.StringIO()
    assert run(io.StringIO("\n".join(json_module.dumps(line) for line in lines)), stdout, coach) == 0
    kw, star = [json_module.loads(line) for line in stdout.getvalue().splitlines()]
    assert kw["gaming"]["kind"] == "keyword_list" and kw["score"] == 0 and kw["band"] == "weak"
    assert {"nps", "csat", "ces", "journey_mapping"} <= set(kw["concepts"])
    assert set(kw["criteria"][0]) == {"id", "criterion", "similarity", "covered", "unsure", "evidence"}
    assert star["gaming"] is None and star["star"]["missing"] == [] and "20%" in star["star"]["measurable_result"]


def test_a_bank_question_is_scored_as_the_bot_scores_it(coach):
    """One path: `make score` with a question_id goes through Coach.assess, behavioural flag and all, whatever text
    the line gives as its question."""
    from coach.score_cli import score_line

    question = next(q for q in coach.bank.questions.values() if q.expects_example)
    answer = ("Last year a key customer threatened to leave after three failed deliveries. I called them, found the "
              "root cause in our carrier's routing and switched carriers for their region. They renewed for two years.")
    line = {"id": 1, "question_id": question.id, "question": "Some other wording.", "answer": answer}
    scored = score_line(line, coach)
    bot = coach.assess(question.id, answer).assessment
    assert scored["score"] == bot.score and scored["band"] == bot.band
    assert scored["star"] == (bot.star.to_dict() if bot.star else None) and scored["star"] is not None
    assert [c["covered"] for c in scored["criteria"]] == [r.covered for r in bot.criteria]
