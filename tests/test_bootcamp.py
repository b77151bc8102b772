"""The bootcamp core without Rasa: the progress database on SQLite and on a real PostgreSQL server, progress trends,
weak-area drills and their spacing, trying again, deleting a learner, cohorts and assignments, the instructor's view,
its CSV files and its HTTP answers (token checks and the isolation of one cohort from another)."""

import csv
import io
import json

import pytest
import sqlalchemy as sa

from bootcamp import store as tables
from bootcamp.attempts import compare_attempts, describe_change, kept_attempt
from bootcamp.cohorts import assignment_plan, check_assignment
from bootcamp.cohorts import main as cohort_cli
from bootcamp.drills import describe_drill, due_weak_questions, plan_drill
from bootcamp.exports import ANSWER_FIELDS, ROSTER_FIELDS
from bootcamp.instructor import anonymise
from bootcamp.instructor_http import InstructorApi
from bootcamp.progress import describe_progress, learner_progress, progress_payload
from bootcamp.store import ProgressStore, normalise_join_code
from bootcamp.texts import load_learner_texts
from coach.content_files import ContentError
from coach.question_bank import load_question_bank
from harness.postgres import ThrowawayPostgres, postgres_bin
from screening.report import iso_utc
from tests.bootcamp_data import DAY, START, finish, record

STRONG = 0.7


@pytest.fixture(scope="module")
def bank(project_root):
    return load_question_bank(project_root / "content" / "question_bank.yml")


@pytest.fixture(scope="module")
def texts(project_root):
    return load_learner_texts(project_root / "content" / "learners.yml")


@pytest.fixture(scope="module")
def postgres():
    """A real PostgreSQL server for this module (make install puts PostgreSQL on the machine)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed: `make install` installs it (apt-get install postgresql)")
    server = ThrowawayPostgres(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield ProgressStore(f"sqlite:///{tmp_path / 'progress.db'}")
        return
    progress = ProgressStore(request.getfixturevalue("postgres").url)
    yield progress
    tables.metadata.drop_all(progress.engine)
    progress.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    return ProgressStore(f"sqlite:///{tmp_path / 'progress.db'}")


def all_but(bank, question_id, *missing):
    return [criterion.id for criterion in bank.questions[question_id].criteria if criterion.id not in missing]


def history_of(store, bank, learner, interviews):
    """Record interviews [(records, level)] a day apart; return the stored history."""
    for position, (records, level) in enumerate(interviews):
        finish(store, bank, learner, records, START + position * DAY, level=level)
    return store.history(learner)


# --- the database ----------------------------------------------------------------------------------------------------

def test_interviews_are_kept_per_learner_with_each_answer(store, bank):
    store.note_learner("web:a", "web-1", "Ana")
    store.note_learner("web:b", "web-2")
    finish(store, bank, "web:a", [record(bank, "measure_cx_success", 0.3, ["names_nps"]),
                                  record(bank, "journey_mapping", None)], START)
    finish(store, bank, "web:b", [record(bank, "voc_program", 0.8, ["clear_goals", "closes_loop"])], START + DAY)
    history = store.history("web:a")
    assert len(history) == 1
    interview = history[0]
    assert (interview["asked"], interview["answered"], interview["level"]) == (2, 1, "mid")
    first, skipped = interview["answers"]
    assert first["question_id"] == "measure_cx_success" and first["competency"] == "metrics_roi"
    assert first["covered"] == [{"id": "names_nps", "evidence": "words for names_nps"}]
    assert "baseline_goal" in first["missing"] and "names_nps" not in first["missing"]
    assert skipped["status"] == "skipped" and skipped["score"] is None and skipped["answer"] is None
    assert [i["learner_id"] for i in store.history("web:b")] == ["web:b"]
    assert store.learner("web:a")["display_name"] == "Ana"


def test_a_follow_up_reply_that_counted_is_kept_with_the_answer(sqlite_store, bank):
    item = record(bank, "voc_program", 0.5, ["clear_goals"], answer="First part.")
    item.update(follow_up_answer="Second part.", follow_up_counted=True)
    finish(sqlite_store, bank, "web:f", [item], START)
    assert sqlite_store.history("web:f")[0]["answers"][0]["answer"] == "First part.\nSecond part."


def test_deleting_a_learner_removes_every_row_about_them_and_names_their_conversations(store, bank):
    cohort = store.create_cohort("Spring CX")
    for learner, sender in (("web:gone", "web-1"), ("web:gone", "web-2"), ("web:stays", "web-3")):
        store.note_learner(learner, sender)
    store.join(cohort.cohort_id, "web:gone", "Gone Person")
    store.join(cohort.cohort_id, "web:stays", None)
    finish(store, bank, "web:gone", [record(bank, "voc_program", 0.4, ["clear_goals"]),
                                     record(bank, "journey_mapping", 0.6)], START + DAY, sender_id="web-2")
    finish(store, bank, "web:stays", [record(bank, "voc_program", 0.9, ["clear_goals"])], START + DAY)

    deletion = store.delete_learner("web:gone", current_sender_id="web-4")
    assert (deletion.interviews, deletion.answers, deletion.cohorts) == (1, 2, ("Spring CX",))
    assert deletion.conversations == ("web-1", "web-2", "web-4")
    with store.engine.connect() as db:
        for table in (tables.learners, tables.conversations, tables.memberships, tables.interviews, tables.answers):
            column = table.c.learner_id
            assert db.execute(sa.select(sa.func.count()).where(column == "web:gone")).scalar() == 0, table.name
            assert db.execute(sa.select(sa.func.count()).select_from(table)).scalar() >= 1, table.name
    assert store.history("web:stays") and [m["learner_id"] for m in store.members(cohort.cohort_id)] == ["web:stays"]


def test_a_cohort_gets_a_join_code_and_a_token_of_which_only_a_hash_is_kept(store):
    cohort = store.create_cohort("  Spring   CX bootcamp ")
    assert cohort.name == "Spring CX bootcamp"
    assert len(cohort.join_code) == 8 and set(cohort.join_code) <= set(tables.JOIN_CODE_ALPHABET)
    assert len(cohort.instructor_token) >= 40
    assert store.cohort_by_token(cohort.instructor_token)["cohort_id"] == cohort.cohort_id
    assert store.cohort_by_code(f" {cohort.join_code[:4].lower()}-{cohort.join_code[4:]} ")["name"] == cohort.name
    assert store.cohort_by_token("") is None and store.cohort_by_token(cohort.instructor_token[:-1]) is None
    with store.engine.connect() as db:
        stored = db.execute(sa.select(tables.cohorts)).first()._mapping
    assert cohort.instructor_token not in json.dumps(dict(stored))
    replacement = store.new_instructor_token(cohort.cohort_id)
    assert store.cohort_by_token(cohort.instructor_token) is None
    assert store.cohort_by_token(replacement)["cohort_id"] == cohort.cohort_id
    with pytest.raises(ValueError):
        store.create_cohort("   ")


def test_joining_twice_keeps_one_membership_and_updates_the_name(store):
    cohort = store.create_cohort("Class")
    store.note_learner("slack:U1", "U1")
    assert store.join(cohort.cohort_id, "slack:U1", None) is True
    assert store.join(cohort.cohort_id, "slack:U1", "Sam") is False
    assert [(m["learner_id"], m["display_name"]) for m in store.members(cohort.cohort_id)] == [("slack:U1", "Sam")]
    assert normalise_join_code("k7qx m2pd") == "K7QXM2PD"


def test_an_instructor_sees_only_interviews_finished_after_the_learner_joined(sqlite_store, bank):
    store = sqlite_store
    store.note_learner("web:late", "w")
    finish(store, bank, "web:late", [record(bank, "voc_program", 0.2)], START)
    cohort = store.create_cohort("Class")
    store.join(cohort.cohort_id, "web:late", None)
    with store.engine.begin() as db:  # joined a day after that interview
        db.execute(tables.memberships.update().values(joined_at=START + DAY))
    finish(store, bank, "web:late", [record(bank, "journey_mapping", 0.6)], START + 2 * DAY)
    assert [row["question_id"] for row in store.cohort_answers(cohort.cohort_id)] == ["journey_mapping"]


def test_open_assignments_are_those_of_the_learners_cohorts_not_done_and_not_past_due(sqlite_store, bank):
    store = sqlite_store
    mine, other = store.create_cohort("Mine"), store.create_cohort("Other")
    store.note_learner("web:l", "w")
    store.join(mine.cohort_id, "web:l", None)
    due = store.add_assignment(mine.cohort_id, "Metrics week", "mid", ["metrics_roi"], [], 2, "2026-12-05")
    store.add_assignment(mine.cohort_id, "Old one", "mid", [], [], 3, "2026-11-01")
    store.add_assignment(other.cohort_id, "Not mine", "mid", [], [], 3, "2026-12-05")
    assert [a["title"] for a in store.open_assignments("web:l", "2026-11-27")] == ["Metrics week"]
    finish(store, bank, "web:l", [record(bank, "measure_cx_success", 0.5)], START, assignment_id=due,
           kind="assignment")
    assert store.open_assignments("web:l", "2026-11-27") == []
    assert list(store.assignment_done_by(due)) == ["web:l"]


# --- progress ------------------------------------------------------------------------------------------------------

def test_progress_shows_each_competency_trend_and_the_points_missed_most(sqlite_store, bank, texts):
    history = history_of(sqlite_store, bank, "web:p", [
        ([record(bank, "measure_cx_success", 0.30, ["names_nps"]),
          record(bank, "voc_program", 0.50, ["clear_goals", "closes_loop"])], "mid"),
        ([record(bank, "measure_cx_success", 0.45, ["names_nps", "names_csat"])], "mid"),
        ([record(bank, "measure_cx_success", 0.62, ["names_nps", "names_csat", "business_link"]),
          record(bank, "journey_mapping", None)], "mid"),
    ])
    progress = learner_progress(history, bank)
    assert progress.interviews == 3
    metrics = next(trend for trend in progress.trends if trend.id == "metrics_roi")
    assert [round(score, 2) for _, score in metrics.points] == [0.30, 0.45, 0.62]
    assert round(metrics.change, 2) == 0.32
    insights = next(trend for trend in progress.trends if trend.id == "customer_insights")
    assert insights.change is None
    top = progress.missed[0]
    assert (top.question_id, top.criterion_id) == ("measure_cx_success", "baseline_goal")
    assert (top.missed, top.answered) == (3, 3)

    text = describe_progress(progress, bank, texts)
    assert "Metrics, measurement and ROI: 30 → 45 → 62 (up 32)" in text
    assert "Customer insights and understanding: 50/100 (asked in one interview)" in text
    assert "missed in 3 of 3 answers" in text
    payload = progress_payload(progress, bank)
    charted = {entry["id"]: [point["score"] for point in entry["points"]] for entry in payload["competencies"]}
    assert payload["kind"] == "progress" and charted == {"customer_insights": [50], "metrics_roi": [30, 45, 62]}
    assert payload["missed"][0]["missed"] == 3


def test_progress_with_nothing_finished_says_so(bank, texts):
    progress = learner_progress([], bank)
    assert progress.interviews == 0
    assert "haven't finished an interview yet" in describe_progress(progress, bank, texts)


# --- drills ------------------------------------------------------------------------------------------------------

def test_a_drill_targets_the_weakest_competencies_and_brings_back_a_weak_answer_after_a_gap(sqlite_store, bank, texts):
    history = history_of(sqlite_store, bank, "web:d", [
        ([record(bank, "measure_cx_success", 0.20), record(bank, "above_and_beyond", 0.90, ["customer_need"]),
          record(bank, "journey_mapping", 0.75)], "mid"),
        ([record(bank, "negative_to_positive", 0.85), record(bank, "improve_process_policy", 0.70)], "mid"),
    ])
    plan = plan_drill(history, bank, STRONG, count=4, seed="t")
    assert plan.weak_competencies[0] == "metrics_roi"
    assert [item.question_id for item in plan.brought_back] == ["measure_cx_success"]
    assert "measure_cx_success" in plan.question_ids and len(set(plan.question_ids)) == 4
    assert not {"negative_to_positive", "improve_process_policy"} & set(plan.question_ids)  # asked last time
    # The only other metrics question near mid level is junior's or senior's: a mid drill may borrow the junior one.
    assert "csat_comments_review" in plan.question_ids
    text = describe_drill(plan, bank, texts)
    assert "4 questions at mid level, aimed at “Metrics, measurement and ROI”, “" in text
    assert "(20/100 on 2026-11-18)" in text


def test_a_weak_question_never_comes_back_in_the_next_interview_and_waits_longer_each_time(sqlite_store, bank):
    weak = [record(bank, "voc_program", 0.3)]
    other = [record(bank, "journey_mapping", 0.8)]
    due = lambda history: [item.question_id for item in due_weak_questions(history, STRONG)]  # noqa: E731
    store = sqlite_store
    finish(store, bank, "web:s", list(weak), START)
    assert due(store.history("web:s")) == []  # asked in the last interview
    finish(store, bank, "web:s", list(other), START + DAY)
    assert due(store.history("web:s")) == ["voc_program"]  # one interview in between
    finish(store, bank, "web:s", [record(bank, "voc_program", 0.35)], START + 2 * DAY)  # brought back, still weak
    finish(store, bank, "web:s", [record(bank, "journey_mapping", 0.8)], START + 3 * DAY)
    assert due(store.history("web:s")) == []  # asked twice now: waits two interviews
    finish(store, bank, "web:s", [record(bank, "journey_mapping", 0.8)], START + 4 * DAY)
    assert due(store.history("web:s")) == ["voc_program"]
    finish(store, bank, "web:s", [record(bank, "voc_program", 0.85)], START + 5 * DAY)  # now strong
    for day in (6, 7, 8):
        finish(store, bank, "web:s", [record(bank, "journey_mapping", 0.8)], START + day * DAY)
    assert due(store.history("web:s")) == []


def test_two_drills_in_a_row_never_repeat_a_question(sqlite_store, bank):
    store = sqlite_store
    finish(store, bank, "web:r", [record(bank, q, 0.2) for q in ("measure_cx_success", "voc_program")], START)
    finish(store, bank, "web:r", [record(bank, "journey_mapping", 0.8)], START + DAY)
    first = plan_drill(store.history("web:r"), bank, STRONG, count=5, seed="x")
    finish(store, bank, "web:r", [record(bank, q, 0.3) for q in first.question_ids], START + 2 * DAY, kind="drill")
    second = plan_drill(store.history("web:r"), bank, STRONG, count=5, seed="x")
    assert not set(first.question_ids) & set(second.question_ids)


def test_no_drill_without_an_answered_interview(bank):
    assert plan_drill([], bank, STRONG) is None


# --- trying again -----------------------------------------------------------------------------------------------

def test_trying_again_shows_points_newly_covered_still_missing_and_lost(bank, texts):
    question = bank.questions["measure_cx_success"]
    before = record(bank, "measure_cx_success", 0.35, ["names_nps", "reporting"])
    after = record(bank, "measure_cx_success", 0.62, ["names_nps", "baseline_goal", "business_link"],
                   evidence={"baseline_goal": "We started at 31 and aimed for 40 by June."})
    change = compare_attempts(before, after)
    assert [cid for cid, _ in change.newly_covered] == ["baseline_goal", "business_link"]
    assert change.lost == ("reporting",)
    assert set(change.still_missing) == {"names_csat", "names_ces"}
    kept = kept_attempt(before, after)
    assert kept["score"] == 0.62 and kept["retries"] == 1
    assert kept_attempt(after, before)["score"] == 0.62  # a worse try never lowers the score
    text = describe_change(change, 2, kept["score"], question, "partly there", texts)
    assert "Your new try at question 2: 35 → 62 out of 100 (partly there)." in text
    assert "“We started at 31 and aimed for 40 by June.”" in text
    assert "In your earlier answer but not this one:" in text
    assert "keeps the better of the two answers: 62/100" in text
    with pytest.raises(ValueError):
        compare_attempts(before, record(bank, "voc_program", 0.5))


# --- cohorts, assignments, the instructor's view ---------------------------------------------------------------

def test_an_assignment_is_checked_and_draws_its_questions_from_its_competencies(bank):
    assert check_assignment(bank, "mid", ["metrics_roi"], [], None, "2026-12-05") == 4  # 1 mid, 1 junior, 2 senior
    for bad in (("expert", [], [], 3, "2026-12-05"), ("mid", ["metrics"], [], 3, "2026-12-05"),
                ("mid", [], [], 3, "5 Dec"), ("mid", ["metrics_roi"], ["voc_program"], 3, "2026-12-05"),
                ("mid", [], ["voc_program"], 2, "2026-12-05")):
        with pytest.raises(ValueError):
            check_assignment(bank, *bad)
    plan = assignment_plan(bank, {"level": "mid", "competencies": ["customer_insights"], "question_ids": [],
                                  "question_count": 3}, "seed")
    assert len(plan) == 3 and all(bank.questions[q].competency == "customer_insights" for q in plan)
    assert all(bank.questions[q].level == "mid" for q in plan)
    named = assignment_plan(bank, {"level": "mid", "competencies": [], "question_ids": ["voc_program", "high_volume"],
                                   "question_count": 2}, "seed")
    assert named == ["voc_program", "high_volume"]


def test_make_cohort_prints_the_join_code_and_a_token_that_opens_that_cohort_only(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CX_PROGRESS_DB_URL", f"sqlite:///{tmp_path / 'progress.db'}")
    assert cohort_cli(["create", "Spring CX bootcamp"]) == 0
    printed = capsys.readouterr().out
    code = printed.split("(they type: join ")[1].split(")")[0]
    token = printed.split("Instructor token:")[1].split()[0]
    assert f"/instructor/#token={token}" in printed
    store = ProgressStore()
    cohort = store.cohort_by_token(token)
    assert cohort["name"] == "Spring CX bootcamp" and cohort["join_code"] == code
    assert cohort_cli(["assign", "--cohort", cohort["cohort_id"], "--title", "Metrics week", "--level", "mid",
                       "--competencies", "metrics_roi", "--count", "2", "--due", "2026-12-05"]) == 0
    assert [a["title"] for a in store.assignments_of_cohort(cohort["cohort_id"])] == ["Metrics week"]
    capsys.readouterr()
    assert cohort_cli(["list"]) == 0
    listed = capsys.readouterr().out
    assert "Spring CX bootcamp" in listed and "Metrics week" in listed and token not in listed
    with pytest.raises(SystemExit):
        cohort_cli(["assign", "--cohort", cohort["cohort_id"], "--title", "x", "--level", "mid", "--due", "soon"])


def test_example_answers_shown_to_an_instructor_are_anonymised():
    text = anonymise("I'm Priya Shah, mail priya@example.com or call +44 20 7946 0958, see https://x.io, ask <@U123>.",
                     ["Priya Shah"])
    assert "Priya" not in text and "Shah" not in text and "example.com" not in text and "7946" not in text
    assert "https" not in text and "U123" not in text
    assert text == "I'm [name], mail [e-mail] or call [phone], see [link], ask [name]."


@pytest.fixture
def two_cohorts(sqlite_store, bank):
    """Two cohorts with learners whose names and answers must never cross over."""
    store = sqlite_store
    spring, autumn = store.create_cohort("Spring cohort"), store.create_cohort("Autumn cohort")
    people = {"web:ana": (spring, "Ana Spring"), "web:ben": (spring, None), "web:zoe": (autumn, "Zoe Autumn")}
    for learner, (cohort, name) in people.items():
        store.note_learner(learner, f"sender-{learner}")
        store.join(cohort.cohort_id, learner, name)
    with store.engine.begin() as db:  # they joined before their first interview
        db.execute(tables.memberships.update().values(joined_at=START))
    finish(store, bank, "web:ana", [
        record(bank, "measure_cx_success", 0.42, all_but(bank, "measure_cx_success", "baseline_goal", "business_link"),
               answer="SPRING ANSWER about NPS"),
        record(bank, "voc_program", 0.7, all_but(bank, "voc_program", "clear_goals"))], START + DAY)
    finish(store, bank, "web:ana", [
        record(bank, "measure_cx_success", 0.58, all_but(bank, "measure_cx_success", "baseline_goal"),
               evidence={"business_link": "Ana's NPS went up with renewals, email ana@spring.example"})],
           START + 8 * DAY)
    finish(store, bank, "web:ben", [record(bank, "voc_program", 0.35, all_but(bank, "voc_program", "clear_goals",
                                                                               "closes_loop"))], START + 9 * DAY)
    finish(store, bank, "web:zoe", [record(bank, "journey_mapping", 0.66, ["journey_scope"],
                                           evidence={"journey_scope": "Zoe mapped the returns journey"},
                                           answer="AUTUMN ANSWER about journeys")], START + 2 * DAY)
    store.add_assignment(spring.cohort_id, "Spring metrics", "mid", ["metrics_roi"], [], 1, "2026-12-05")
    return store, spring, autumn


def test_the_instructor_overview_has_roster_trends_weekly_averages_and_anonymised_examples(two_cohorts, monkeypatch):
    store, spring, _ = two_cohorts
    api = InstructorApi(store)
    reply = api.handle("/instructor/api/cohort", f"Bearer {spring.instructor_token}")
    assert reply.status == 200
    overview = json.loads(reply.body)
    assert overview["cohort"]["name"] == "Spring cohort" and overview["cohort"]["join_code"] == spring.join_code
    roster = {entry["name"]: entry for entry in overview["roster"]}
    assert set(roster) == {"Ana Spring", "Learner 2"}
    ana = roster["Ana Spring"]
    assert (ana["interviews"], ana["last"], ana["best"]) == (2, 58, 58)
    assert [point["score"] for point in ana["trend"]] == [56, 58]
    assert [week["week"] for week in overview["weeks"]] == ["2026-11-16", "2026-11-23"]
    assert overview["assignments"][0]["title"] == "Spring metrics" and overview["assignments"][0]["done"] == 0
    missed = {item["criterion"]: item for item in overview["missed"]}
    assert [(item["missed"], item["answered"]) for item in overview["missed"]][:2] == [(2, 2), (2, 2)]
    business = next(item for text, item in missed.items() if "business" in text.lower())
    assert (business["missed"], business["answered"]) == (1, 2)
    assert business["examples"] == ["[name]'s NPS went up with renewals, email [e-mail]"]
    assert "web:" not in reply.body.decode()  # learner ids never leave the server


def test_without_the_token_nothing_is_shown(two_cohorts):
    store, spring, _ = two_cohorts
    api = InstructorApi(store)
    for path in ("/instructor/api/cohort", "/instructor/api/roster.csv", "/instructor/api/answers.csv"):
        for authorization in (None, "", "Bearer", "Bearer wrong-token", f"Basic {spring.instructor_token}",
                              f"Bearer {spring.instructor_token[:-2]}", f"Bearer {spring.join_code}"):
            reply = api.handle(path, authorization)
            assert reply.status == 401, (path, authorization)
            assert b"Spring" not in reply.body and b"Ana" not in reply.body
    assert api.handle("/instructor/api/../../etc/passwd", f"Bearer {spring.instructor_token}").status == 404


def test_one_cohorts_token_shows_nothing_of_another(two_cohorts):
    store, spring, autumn = two_cohorts
    api = InstructorApi(store)
    for token, mine, theirs in ((spring.instructor_token, ("Ana Spring", "SPRING ANSWER"), ("Zoe", "AUTUMN")),
                                (autumn.instructor_token, ("Zoe Autumn", "AUTUMN ANSWER"), ("Ana", "SPRING"))):
        everything = "".join(api.handle(path, f"Bearer {token}").body.decode()
                             for path in ("/instructor/api/cohort", "/instructor/api/roster.csv",
                                          "/instructor/api/answers.csv"))
        assert all(word in everything for word in mine)
        assert not any(word in everything for word in theirs)
        assert "Spring metrics" not in everything or token == spring.instructor_token


def test_the_csv_files_hold_the_roster_and_every_scored_answer_with_formulas_defused(two_cohorts, bank):
    store, spring, _ = two_cohorts
    finish(store, bank, "web:ben", [record(bank, "journey_mapping", 0.5, answer="=HYPERLINK(\"http://x\")")],
           START + 10 * DAY)
    api = InstructorApi(store)
    roster_reply = api.handle("/instructor/api/roster.csv", f"Bearer {spring.instructor_token}")
    assert roster_reply.headers["Content-Disposition"] == f'attachment; filename="{spring.cohort_id}-roster.csv"'
    roster = list(csv.DictReader(io.StringIO(roster_reply.body.decode())))
    assert tuple(roster[0]) == ROSTER_FIELDS
    assert [(row["learner"], row["interviews"], row["best_score"]) for row in roster] == [
        ("Ana Spring", "2", "58"), ("Learner 2", "2", "50")]
    answers = list(csv.DictReader(io.StringIO(api.handle("/instructor/api/answers.csv",
                                                         f"Bearer {spring.instructor_token}").body.decode())))
    assert tuple(answers[0]) == ANSWER_FIELDS
    assert len(answers) == 5
    first = answers[0]
    assert (first["learner"], first["question_id"], first["score"], first["finished_at"]) == (
        "Ana Spring", "measure_cx_success", "42", iso_utc(START + DAY))
    covered = bank.questions["measure_cx_success"].criteria
    assert first["covered_criteria"].split(" | ") == [c.text for c in covered if c.id not in ("baseline_goal",
                                                                                             "business_link")]
    assert first["missing_criteria"].split(" | ") == [c.text for c in covered if c.id in ("baseline_goal",
                                                                                         "business_link")]
    assert answers[-1]["answer"] == "'=HYPERLINK(\"http://x\")"


def test_the_wording_file_is_checked_on_load(project_root, tmp_path):
    broken = (project_root / "content" / "learners.yml").read_text().replace("{competency}: {scores}", "{scores}")
    path = tmp_path / "learners.yml"
    path.write_text(broken)
    with pytest.raises(ContentError, match="trend_line"):
        load_learner_texts(path)
