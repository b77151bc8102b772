"""make loadtest: many candidates doing whole interviews at once over REST. Prints turns per second and the latency
of plain, scored and summary turns, beside a plain Rasa bot given the same messages, and checks in the tracker store
that every answer was recorded and scored exactly once, in its own candidate's conversation.

    make loadtest                                   # 1, 10, 25 and 50 candidates, 3 questions each
    make loadtest LOADTEST_ARGS="--candidates 10 --no-plain-bot"
    .venv/rasa/bin/python -m bench.loadtest --help  # the same, without make (RASA_MODEL=... to pick a model)

By default it starts its own instance: the action server and the Rasa server of this checkout on free ports, bound
to 127.0.0.1 (harness/bot.py), with a SQLite tracker store in a temporary folder, and a plain Rasa bot (no custom
actions, one reply per message, the same tracker store; trained once into .cache/loadtest/) next to it. Each load is
bounded: at most --time-limit seconds (candidates not finished by then are reported as unfinished) and 120 s per
request.

Driving a deployment that is already running (the servers are then not started, and nothing is cleaned up):

    --rasa-url URL          a Rasa server's base URL, e.g. http://127.0.0.1:5005. Repeat it for several servers:
                            candidates are spread over them in turn. Or give one proxy (nginx) URL in front of them.
    --tracker-db-url URL    that deployment's tracker store as an SQLAlchemy URL (sqlite:////path/tracker.db,
                            postgresql://user:password@host:5432/rasa), for the integrity check. Without it the
                            check is skipped and says so.

Every run uses fresh sender ids (lt-<run id>-<step>-r<round>-c<n>), so runs against the same store never mix; the
check reads only the run's own conversations. Other options:

    --candidates 1,10,25,50 the loads, run one after another
    --questions 3           questions per interview
    --repeat 1              rounds of each load, one after another, figures pooled (--candidates 1 --repeat 5:
                            five interviews one after another, for a p95 over more than a handful of turns)
    --time-limit 600        seconds per load (all its rounds)
    --no-plain-bot          skip the plain Rasa bot
    --json PATH             also write the figures as JSON

What counts, per candidate (from the tracker store):
- lost: an answer the candidate sent that is not in its interview results, or a message missing from its
  conversation;
- duplicated: an answer recorded or given feedback more than once, or a message logged twice;
- cross-talk: anything of another candidate's (its answer text, its reference tag) in this conversation.
The exit status is 1 when any of these is not 0 or a candidate did not finish.

Turn kinds: scored (the reply carries an answer's feedback), summary (it carries the end-of-interview summary; the
last answer's feedback comes in the same reply), plain (everything else: greeting, level, count, "next").
"""

import argparse
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import requests  # noqa: E402

from harness.bot import BotServers  # noqa: E402
from harness.servers import free_port, stop, wait_until_healthy  # noqa: E402

REQUEST_TIMEOUT_SECONDS = 120
LEVELS = ("junior", "mid", "senior")

# Answers of typical length (80-110 words), in the candidate's voice. Each candidate's copy ends with its own
# reference tag, which makes every answer of the run unique: that is what the cross-talk check looks for.
ANSWERS = (
    "In my last support role our CSAT had slipped for three months, so I read two hundred survey comments and "
    "grouped them by theme. Most complaints were about waiting for refunds. I worked with finance to approve small "
    "refunds on the first contact, trained the team on the new rule and wrote a macro for it. Within six weeks "
    "first-contact resolution rose from 61 to 74 percent and CSAT went back above 85. I shared the before and after "
    "figures with the team every Friday so they could see what their work changed.",
    "A customer once wrote to us angry because a delivery had been lost twice. I called her the same afternoon, "
    "told her I understood how frustrating it was, and said exactly what I would do and by when. I booked a courier "
    "for the next morning, followed the parcel myself and phoned her when it arrived. Then I raised the pattern "
    "with our logistics lead, and we changed the hand-over checklist with the courier. Complaints about lost "
    "parcels fell by a third over the next quarter.",
    "I measure customer experience with a few numbers that tell different stories. NPS says whether people would "
    "recommend us, CSAT how they felt about one contact, and customer effort score how hard it was to get help. I "
    "track churn and repeat contacts next to them, because a happy survey means little if customers still leave. "
    "Every month I look for the journey step where the scores drop, talk to a few of those customers, and bring one "
    "fix to the product team, then check whether the number moved.",
    "When our ticket backlog doubled after a product launch, I sorted the open tickets by topic and found that "
    "half were the same setup question. I wrote a short help article with screenshots, added it to the "
    "auto-reply, and asked product to fix the confusing screen. I also set up a daily fifteen-minute check-in so "
    "the team could flag new patterns early. The backlog was back to normal in ten days, and average handling time "
    "dropped from eleven to seven minutes.",
)


def answer_text(candidate: int, number: int, tag: str) -> str:
    return f"{ANSWERS[(candidate + number) % len(ANSWERS)]} (Reference {tag}-q{number}.)"


@dataclass
class Turn:
    kind: str  # plain, scored or summary
    seconds: float  # from the first try to the reply, resends included
    started: float
    ended: float
    server: Optional[str] = None  # the Rasa server that answered, when a proxy says (X-Conversation-Server)


@dataclass
class Failure:
    """A try that got no reply: what the candidate saw (an HTTP status or a connection error), and when."""

    seen: str
    at: float


@dataclass
class Candidate:
    """One candidate's whole interview over REST: greeting, level, number of questions, one answer per question
    ("next" when the bot asks a follow-up, "skip" to the questions for the employer), until the summary."""

    index: int
    sender: str
    url: str
    questions: int
    deadline: float
    sent: List[str] = field(default_factory=list)
    answers: Dict[int, str] = field(default_factory=dict)
    turns: List[Turn] = field(default_factory=list)
    problem: Optional[str] = None
    finished: bool = False
    # Sending a message again after an error, as the chat page's Retry button does, for up to this many seconds:
    # 0 (make loadtest) fails the candidate at the first error; make test-cluster gives servers time to come back.
    retry_seconds: float = 0.0
    failures: List[Failure] = field(default_factory=list)
    resent: Counter = field(default_factory=Counter)  # texts sent again after an error
    feedback_lost: int = 0  # answers taken whose feedback was in a reply lost with its server (see _interview)

    @property
    def tag(self) -> str:
        return self.sender

    def say(self, session: requests.Session, text: str) -> List[Dict]:
        if time.monotonic() > self.deadline:
            raise TimeoutError("the load's time limit passed")
        self.sent.append(text)
        started = time.perf_counter()
        while True:
            try:
                reply = session.post(f"{self.url}/webhooks/rest/webhook",
                                     json={"sender": self.sender, "message": text}, timeout=REQUEST_TIMEOUT_SECONDS)
                reply.raise_for_status()
                break
            except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as error:
                status = getattr(error.response, "status_code", None)
                if (status is not None and status < 500) or time.perf_counter() - started > self.retry_seconds:
                    raise
                self.failures.append(Failure(f"HTTP {status}" if status else type(error).__name__,
                                             time.perf_counter()))
                self.resent[text] += 1
                time.sleep(1)
        ended = time.perf_counter()
        messages = reply.json()
        kinds = {(message.get("custom") or {}).get("kind") for message in messages}
        kind = "summary" if "interview_summary" in kinds else "scored" if "answer_feedback" in kinds else "plain"
        self.turns.append(Turn(kind, ended - started, started, ended, reply.headers.get("X-Conversation-Server")))
        strangers = {message.get("recipient_id") for message in messages} - {self.sender}
        if strangers:
            raise AssertionError(f"replies addressed to {sorted(strangers)}")
        return messages

    def run(self) -> None:
        try:
            with requests.Session() as session:
                self._interview(session)
            self.finished = True
        except Exception as error:  # noqa: BLE001 (reported with the figures; the other candidates go on)
            self.problem = f"{type(error).__name__}: {error}"

    def _interview(self, session: requests.Session) -> None:
        self.say(session, "hi")
        self.say(session, LEVELS[self.index % len(LEVELS)])
        replies = self.say(session, str(self.questions))
        number = _question_number(replies)
        if number != 1:
            raise AssertionError(f"expected question 1 after the count, got {number}")
        while True:
            self.answers[number] = answer_text(self.index, number, self.tag)
            replies = self.say(session, self.answers[number])
            feedback = [custom for custom in _customs(replies) if custom.get("kind") == "answer_feedback"]
            if not feedback and self.resent[self.answers[number]] and (_has_summary(replies) or
                                                                      _question_number(replies) == number + 1):
                # A try was taken before its server went down with the reply, and the resend was recognised as a
                # double send: the feedback was in the lost reply (check_conversations still counts it, once).
                self.feedback_lost += 1
            elif [item["question"]["number"] for item in feedback] != [number]:
                raise AssertionError(f"expected feedback on question {number}, got {feedback!r:.200}")
            if _question_number(replies) is None and not _has_summary(replies) and not _asks_employer(replies):
                replies = self.say(session, "next")  # a follow-up was asked: move on
            if _asks_employer(replies):
                replies = self.say(session, "skip")  # no questions for the employer: the summary comes
            if _has_summary(replies):
                break
            following = _question_number(replies)
            if following != number + 1:
                raise AssertionError(f"expected question {number + 1}, got {following}")
            number = following
        if number != self.questions:
            raise AssertionError(f"the summary came after question {number} of {self.questions}")


def _customs(replies: Iterable[Dict]) -> List[Dict]:
    return [message["custom"] for message in replies if isinstance(message.get("custom"), dict)]


def _question_number(replies: Iterable[Dict]) -> Optional[int]:
    numbers = [custom["progress"]["number"] for custom in _customs(replies) if custom.get("kind") == "question"]
    return numbers[-1] if numbers else None


def _asks_employer(replies: Iterable[Dict]) -> bool:
    """After the last answer: "Do you have any questions for us?" (actions/employer_step.py)."""
    return any(custom.get("kind") == "employer_questions" for custom in _customs(replies))


def _has_summary(replies: Iterable[Dict]) -> bool:
    return any(custom.get("kind") == "interview_summary" for custom in _customs(replies))


@dataclass
class Replay:
    """The plain bot's candidate: sends exactly the messages one of ours sent, timing each reply."""

    sender: str
    url: str
    messages: Sequence[str]
    deadline: float
    turns: List[Turn] = field(default_factory=list)
    problem: Optional[str] = None
    finished: bool = False

    def run(self) -> None:
        try:
            with requests.Session() as session:
                for text in self.messages:
                    if time.monotonic() > self.deadline:
                        raise TimeoutError("the load's time limit passed")
                    started = time.perf_counter()
                    reply = session.post(f"{self.url}/webhooks/rest/webhook",
                                         json={"sender": self.sender, "message": text},
                                         timeout=REQUEST_TIMEOUT_SECONDS)
                    ended = time.perf_counter()
                    reply.raise_for_status()
                    if not reply.json():
                        raise AssertionError(f"no reply to {text[:40]!r}")
                    self.turns.append(Turn("plain", ended - started, started, ended))
            self.finished = True
        except Exception as error:  # noqa: BLE001
            self.problem = f"{type(error).__name__}: {error}"


def run_all(workers: Sequence) -> float:
    """Run every worker in its own thread at once; the seconds from the first request to the last reply."""
    threads = [threading.Thread(target=worker.run) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    turns = [turn for worker in workers for turn in worker.turns]
    return (max(turn.ended for turn in turns) - min(turn.started for turn in turns)) if turns else 0.0


# --- the integrity check -------------------------------------------------------------------------------------------

@dataclass
class Integrity:
    lost: int = 0
    duplicated: int = 0
    cross_talk: int = 0
    details: List[str] = field(default_factory=list)

    def add(self, kind: str, count: int, detail: str) -> None:
        if count > 0:
            setattr(self, kind, getattr(self, kind) + count)
            self.details.append(detail)


def check_conversations(candidates: Sequence[Candidate], events: Dict[str, List[Dict]]) -> Integrity:
    """Compare what each candidate sent with its conversation in the tracker store. `events` maps a sender id to
    its tracker events (Rasa's event dictionaries, in order)."""
    found = Integrity()
    tags = {candidate.tag for candidate in candidates}
    for candidate in candidates:
        own = events.get(candidate.sender, [])
        logged = Counter(event.get("text") for event in own if event.get("event") == "user")
        sent = Counter(candidate.sent)
        for text, count in sent.items():
            found.add("lost", max(0, count - logged[text]), f"{candidate.sender}: message not logged: {text[:50]!r}")
            # A resend may be logged beside the try it repeats, when that try was taken but its reply was lost.
            found.add("duplicated", max(0, logged[text] - count - candidate.resent[text]),
                      f"{candidate.sender}: message logged {logged[text]} times: {text[:50]!r}")
        foreign = [text for text in logged if text not in sent]
        found.add("cross_talk", len(foreign), f"{candidate.sender}: messages it never sent: {foreign[:2]!r}")
        strangers = {tag for tag in tags - {candidate.tag} if any(tag + "-q" in json.dumps(event) for event in own)}
        found.add("cross_talk", len(strangers), f"{candidate.sender}: other candidates' answers: {sorted(strangers)}")

        results = _final_results(own)
        recorded = Counter(record.get("number") for record in results if record.get("status") == "answered")
        feedback = Counter(_feedback_number(event) for event in own if _feedback_number(event) is not None)
        for number, answer in candidate.answers.items():
            records = [record for record in results if record.get("number") == number]
            found.add("lost", int(recorded[number] == 0), f"{candidate.sender}: answer {number} not in the results")
            found.add("duplicated", max(0, recorded[number] - 1),
                      f"{candidate.sender}: answer {number} recorded {recorded[number]} times")
            found.add("lost", int(feedback[number] == 0), f"{candidate.sender}: answer {number} never given feedback")
            found.add("duplicated", max(0, feedback[number] - 1),
                      f"{candidate.sender}: answer {number} given feedback {feedback[number]} times")
            wrong = [record for record in records if record.get("answer") != answer]
            found.add("cross_talk", len(wrong), f"{candidate.sender}: answer {number} recorded with another text")
        extra = set(recorded) - set(candidate.answers)
        found.add("duplicated", len(extra), f"{candidate.sender}: results for questions never answered: {extra}")
    return found


def _final_results(events: Sequence[Dict]) -> List[Dict]:
    """The interview's results as the last answer left them (the end of the interview clears the slot)."""
    values = [event.get("value") for event in events
              if event.get("event") == "slot" and event.get("name") == "interview_results"]
    values = [value for value in values if isinstance(value, list)]
    return max(values, key=len) if values else []


def _feedback_number(event: Dict) -> Optional[int]:
    if event.get("event") != "bot":
        return None
    custom = (event.get("data") or {}).get("custom") or {}
    if custom.get("kind") != "answer_feedback":
        return None
    return custom["question"]["number"]


def read_events(tracker_db_url: str, senders: Sequence[str]) -> Dict[str, List[Dict]]:
    """The tracker events of these senders, from Rasa's SQL tracker store (its `events` table)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(tracker_db_url)
    query = sqlalchemy.text("SELECT sender_id, data FROM events WHERE sender_id IN :senders ORDER BY id")
    query = query.bindparams(sqlalchemy.bindparam("senders", expanding=True))
    events: Dict[str, List[Dict]] = {sender: [] for sender in senders}
    try:
        with engine.connect() as connection:
            for sender, data in connection.execute(query, {"senders": list(senders)}):
                events[sender].append(json.loads(data))
    finally:
        engine.dispose()
    return events


# --- the plain Rasa bot --------------------------------------------------------------------------------------------

PLAIN_BOT_FILES = {
    "config.yml": """recipe: default.v1
assistant_id: plain-load-test-bot
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 50
    random_seed: 42
  - name: FallbackClassifier
    threshold: 0.5
policies:
  - name: RulePolicy
""",
    "domain.yml": """version: "3.1"
intents: [greet, choose, move_on]
responses:
  utter_hello:
    - text: "Hello. Which level?"
  utter_noted:
    - text: "Noted."
  utter_next:
    - text: "Next one."
  utter_default:
    - text: "I read your message."
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
""",
    "data/nlu.yml": """version: "3.1"
nlu:
  - intent: greet
    examples: |
      - hi
      - hello
      - hey there
      - good morning
  - intent: choose
    examples: |
      - junior
      - mid
      - senior
      - 3
      - 5
      - three questions
  - intent: move_on
    examples: |
      - next
      - move on
      - skip it
      - next question
""",
    "data/rules.yml": """version: "3.1"
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_hello
  - rule: choose
    steps:
      - intent: choose
      - action: utter_noted
  - rule: move on
    steps:
      - intent: move_on
      - action: utter_next
  - rule: anything else, such as an answer
    steps:
      - intent: nlu_fallback
      - action: utter_default
""",
}


def plain_bot_model(rasa_bin: str) -> Path:
    """The plain bot's model, trained once per version of its files (and of Rasa) into .cache/loadtest/."""
    fingerprint = hashlib.sha256(json.dumps(PLAIN_BOT_FILES, sort_keys=True).encode()
                                 + (PROJECT_ROOT / "requirements" / "rasa.lock").read_bytes()).hexdigest()[:16]
    model = PROJECT_ROOT / ".cache" / "loadtest" / f"plain-bot-{fingerprint}.tar.gz"
    if model.exists():
        return model
    model.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in PLAIN_BOT_FILES.items():
            (Path(folder) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / name).write_text(text)
        print("training the plain bot (once; about a minute)", flush=True)
        subprocess.run([rasa_bin, "train", "--fixed-model-name", "plain", "--out", folder], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (Path(folder) / "plain.tar.gz").replace(model)
    return model


class PlainBot:
    """A plain Rasa server: the plain bot's model, the same SQLite tracker store as ours, no action server."""

    def __init__(self, workdir: Path, rasa_bin: str, model: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        workdir.mkdir(parents=True, exist_ok=True)
        endpoints = workdir / "endpoints.yml"
        # The tracker store the coach uses (stores/tracker_store.py), so the two differ only by the coach's work.
        endpoints.write_text(f'tracker_store:\n  type: stores.tracker_store.CheckedSQLTrackerStore\n'
                             f'  url: "sqlite:///{workdir / "tracker.db"}"\n')
        self.log = workdir / "rasa.log"
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
               "PYTHONPATH": str(PROJECT_ROOT)}
        self.process = subprocess.Popen([rasa_bin, "run", "--model", str(model), "--endpoints", str(endpoints),
                                         "--port", str(self.port), "--interface", "127.0.0.1"],
                                        cwd=workdir, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait(self) -> None:
        try:
            wait_until_healthy(self.process, f"{self.url}/", self.log)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop(self.process)


# --- figures -------------------------------------------------------------------------------------------------------

def percentiles(seconds: Sequence[float]) -> Optional[Dict[str, float]]:
    if not seconds:
        return None
    ordered = sorted(seconds)
    return {"count": len(ordered), "p50_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000}


def figures(workers: Sequence, wall_seconds: float) -> Dict:
    turns = [turn for worker in workers for turn in worker.turns]
    by_kind = {kind: percentiles([turn.seconds for turn in turns if turn.kind == kind])
               for kind in ("plain", "scored", "summary")}
    return {"turns": len(turns), "seconds": wall_seconds,
            "turns_per_second": len(turns) / wall_seconds if wall_seconds else 0.0,
            "latency": {kind: value for kind, value in by_kind.items() if value},
            "unfinished": sum(not worker.finished for worker in workers),
            "problems": [f"{getattr(worker, 'sender', '?')}: {worker.problem}" for worker in workers
                         if worker.problem][:5]}


def _latency_cell(figure: Dict, kind: str) -> str:
    value = figure["latency"].get(kind)
    return f"{value['p50_ms']:.0f} / {value['p95_ms']:.0f}" if value else "-"


def print_row(label: str, candidates: int, figure: Dict, integrity: Optional[Integrity]) -> None:
    checks = (f"{integrity.lost} / {integrity.duplicated} / {integrity.cross_talk}" if integrity is not None
              else "not checked")
    print(f"| {candidates} | {label} | {figure['turns']} | {figure['turns_per_second']:.1f} | "
          f"{_latency_cell(figure, 'plain')} | {_latency_cell(figure, 'scored')} | {_latency_cell(figure, 'summary')} "
          f"| {checks} | {figure['unfinished']} |", flush=True)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--candidates", default="1,10,25,50",
                        help="loads to run, comma-separated numbers of candidates at once")
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of each load, one after another (more turns for steadier figures)")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds per load")
    parser.add_argument("--rasa-url", action="append", help="drive this running Rasa server (repeatable)")
    parser.add_argument("--tracker-db-url", help="SQLAlchemy URL of the tracker store of --rasa-url")
    parser.add_argument("--no-plain-bot", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    loads = [int(number) for number in args.candidates.split(",")]
    if min(loads) < 1 or max(loads) > 200 or not 1 <= args.questions <= 9 or not 1 <= args.repeat <= 20:
        parser.error("--candidates takes numbers from 1 to 200, --questions from 1 to 9, --repeat from 1 to 20")

    # A SIGTERM (a timeout, make stopped) still stops the servers this started, in the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rasa_bin = os.environ.get("RASA_BIN", str(PROJECT_ROOT / ".venv" / "rasa" / "bin" / "rasa"))
    run_id = uuid.uuid4().hex[:6]
    report: Dict = {"run": run_id, "load_average_at_start": load_average(), "questions": args.questions,
                    "loads": []}
    with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
        workdir = Path(scratch)
        servers, plain = None, None
        try:
            urls, tracker_db_url = args.rasa_url, args.tracker_db_url
            if not urls:
                model = os.environ.get("RASA_MODEL") or str(max((PROJECT_ROOT / "models").glob("*.tar.gz"),
                                                                key=lambda path: path.stat().st_mtime))
                (workdir / "bot").mkdir()
                servers = BotServers(workdir / "bot", rasa_bin, model,
                                     actions_python=os.environ.get("ACTIONS_PYTHON", str(
                                         PROJECT_ROOT / ".venv" / "actions" / "bin" / "python")))
                print(f"starting the bot (model {Path(model).name[:12]}...) on free ports", flush=True)
                servers.start()
                urls, tracker_db_url = [f"http://127.0.0.1:{servers.rasa_port}"], servers.tracker_db_url
            if not args.no_plain_bot:
                plain = PlainBot(workdir / "plain", rasa_bin, plain_bot_model(rasa_bin))
                plain.wait()
            print(f"load average at start: {report['load_average_at_start']}; {args.questions} questions each; "
                  f"bot at {', '.join(urls)}", flush=True)
            print("| candidates | bot | turns | turns/s | plain p50 / p95 ms | scored p50 / p95 ms | "
                  "summary p50 / p95 ms | lost / duplicated / cross-talk | unfinished |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
            # One interview each first, not counted: the first calls of a fresh server (TensorFlow tracing its
            # functions, connections opening) are slower than any later one.
            for number, url in enumerate(urls):
                warm_up = Candidate(number, f"lt-{run_id}-warm-up-{number}", url, args.questions,
                                    time.monotonic() + 300)
                warm_up.run()
            if plain is not None:
                Replay(f"{warm_up.sender}-plain", plain.url, warm_up.sent, time.monotonic() + 300).run()
            failed = False
            for step, load in enumerate(loads):
                deadline = time.monotonic() + args.time_limit
                candidates, wall = [], 0.0
                for round_ in range(args.repeat):  # rounds one after another, each with `load` candidates at once
                    batch = [Candidate(index, f"lt-{run_id}-{step}-r{round_}-c{index:03d}", urls[index % len(urls)],
                                       args.questions, deadline) for index in range(load)]
                    wall += run_all(batch)
                    candidates += batch
                ours = figures(candidates, wall)
                integrity = (check_conversations(candidates, read_events(tracker_db_url,
                                                                         [c.sender for c in candidates]))
                             if tracker_db_url else None)
                print_row("coach", load, ours, integrity)
                entry = {"candidates": load, "rounds": args.repeat, "coach": ours, "load_average": load_average()}
                if integrity is not None:
                    entry["integrity"] = {"lost": integrity.lost, "duplicated": integrity.duplicated,
                                          "cross_talk": integrity.cross_talk, "details": integrity.details[:10]}
                failed |= bool(ours["unfinished"] or (integrity and integrity.lost + integrity.duplicated
                                                      + integrity.cross_talk))
                for problem in ours["problems"] + (integrity.details[:5] if integrity else []):
                    print(f"    {problem}", flush=True)
                if plain is not None:
                    deadline = time.monotonic() + args.time_limit
                    replays, wall = [], 0.0
                    for round_ in range(args.repeat):
                        batch = [Replay(f"{c.sender}-plain", plain.url, c.sent, deadline)
                                 for c in candidates[round_ * load:(round_ + 1) * load]]
                        wall += run_all(batch)
                        replays += batch
                    entry["plain_bot"] = figures(replays, wall)
                    print_row("plain Rasa bot", load, entry["plain_bot"], None)
                    failed |= bool(entry["plain_bot"]["unfinished"])
                report["loads"].append(entry)
            if not tracker_db_url:
                print("integrity not checked: give --tracker-db-url to check it")
        finally:
            for running in (plain, servers):
                if running is not None:
                    running.stop()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
