"""make test-cluster: the cluster of make cluster (harness/cluster.py: PostgreSQL, Redis, two Rasa servers and two
action servers behind nginx) under make loadtest's candidates (bench/loadtest.py), broken on purpose, with every
conversation checked in PostgreSQL afterwards.

1. Throughput: --candidates candidates doing whole interviews at once with both Rasa servers, then with one (the
   other stopped; nginx sends its conversations to the first).
2. Failover: the same load again. A third of the way in, Rasa server 1 is killed (SIGKILL, as a crash); two thirds
   of the way in, PostgreSQL is restarted (a fast shutdown, which cuts every connection). Candidates send a message
   again after an error, as the chat page's Retry button does (for up to --retry-seconds).

After each load the conversations in PostgreSQL must hold every message and every answer exactly once, in the right
conversation, and every candidate must have finished. Then a message held by the lock a dead server left in Redis
must still be answered, the screens tests run on the cluster's PostgreSQL
(tests/test_screening.py, its PostgreSQL half), and a Slack delivery recorded through one Rasa server's table is
recognised through another's. The exit status is 1 when anything fails. Prints turns per second, what the candidates
saw during each fault, and the cluster's memory.

    .venv/rasa/bin/python -m bench.cluster --model models/<hash>.tar.gz [--candidates 50] [--questions 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import requests

from bench.loadtest import (
    REQUEST_TIMEOUT_SECONDS,
    Candidate,
    check_conversations,
    figures,
    load_average,
    read_events,
    run_all,
)
from harness.cluster import PROJECT_ROOT, Cluster

# Turns a candidate takes at least: greeting, level, count, one answer per question (a follow-up adds a "next").
PLAIN_TURNS = 3


class Load:
    """One load: its candidates, started together, and the faults to cause once enough turns are done."""

    def __init__(self, cluster: Cluster, name: str, count: int, questions: int, retry_seconds: float,
                 time_limit: float):
        deadline = time.monotonic() + time_limit
        run = uuid.uuid4().hex[:6]
        self.name = name
        self.candidates = [Candidate(index, f"cl-{run}-{name}-c{index:03d}", cluster.url, questions, deadline,
                                     retry_seconds=retry_seconds) for index in range(count)]
        self.expected_turns = count * (PLAIN_TURNS + questions)

    def turns_done(self) -> int:
        return sum(len(candidate.turns) for candidate in self.candidates)

    def run(self, faults: Sequence[tuple] = ()) -> float:
        """Run the candidates; each fault (share of the expected turns, function) fires once that share is done."""
        pending = sorted(faults, key=lambda fault: fault[0])
        done = threading.Event()

        def cause_faults() -> None:
            while pending and not done.is_set():
                share, fault = pending[0]
                if self.turns_done() >= share * self.expected_turns:
                    pending.pop(0)
                    fault()
                time.sleep(0.1)

        watcher = threading.Thread(target=cause_faults)
        watcher.start()
        try:
            return run_all(self.candidates)
        finally:
            done.set()
            watcher.join()


def checked(cluster: Cluster, load: Load, wall: float) -> bool:
    """Print the load's figures and the check in PostgreSQL; True when nothing was lost, doubled or mixed."""
    figure = figures(load.candidates, wall)
    integrity = check_conversations(load.candidates, read_events(cluster.database_url,
                                                                 [c.sender for c in load.candidates]))
    scored = figure["latency"].get("scored") or {"p50_ms": 0, "p95_ms": 0}
    print(f"| {load.name} | {len(load.candidates)} | {figure['turns']} | {figure['seconds']:.0f} | "
          f"{figure['turns_per_second']:.2f} | {scored['p50_ms'] / 1000:.1f} / {scored['p95_ms'] / 1000:.1f} | "
          f"{integrity.lost} / {integrity.duplicated} / {integrity.cross_talk} | {figure['unfinished']} | "
          f"{load_average()} |", flush=True)
    for problem in figure["problems"] + integrity.details[:10]:
        print(f"    {problem}", flush=True)
    return not (figure["unfinished"] or integrity.lost or integrity.duplicated or integrity.cross_talk)


class FaultLog:
    """When each fault happened, to say afterwards what the candidates saw around it."""

    def __init__(self, turns_so_far: Callable[[], int]):
        self.turns_so_far = turns_so_far
        self.moments: Dict[str, float] = {}
        self.notes: Dict[str, str] = {}

    def timed(self, name: str, action: Callable[[], Optional[str]]) -> Callable[[], None]:
        def fire() -> None:
            self.moments[name] = time.perf_counter()
            print(f"  {name} (after {self.turns_so_far()} turns)", flush=True)
            self.notes[name] = action() or ""

        return fire


def _waits(turns: Sequence) -> str:
    seconds = [turn.seconds for turn in turns]
    return (f"{len(seconds)} answered after a median {statistics.median(seconds):.1f} s, at most {max(seconds):.1f} s"
            if seconds else "none")


def what_candidates_saw(load: Load, log: FaultLog, killed_server: str) -> None:
    """Per fault: the messages in flight then and how long they took, and the errors the candidates saw."""
    failures = [failure for candidate in load.candidates for failure in candidate.failures]
    for name, moment in log.moments.items():
        in_flight = [turn for candidate in load.candidates for turn in candidate.turns
                     if turn.started <= moment <= turn.ended]
        seen = Counter(failure.seen for failure in failures if moment <= failure.at <= moment + 120)
        errors = ", ".join(f"{count} x {kind}" for kind, count in seen.most_common()) or "no error"
        if name.startswith("kill"):
            # nginx names every server it tried: a message of the killed server's lists it first.
            on_killed = [turn for turn in in_flight if killed_server in (turn.server or "")]
            others = [turn for turn in in_flight if killed_server not in (turn.server or "")]
            flights = f"messages in flight on it: {_waits(on_killed)}; on the other server: {_waits(others)}"
        else:
            flights = f"messages in flight: {_waits(in_flight)}"
        print(f"  {name}{log.notes[name]}: {flights}; the candidates saw {errors}", flush=True)
    kill = log.moments.get("kill Rasa server 1")
    if kill is not None:
        theirs = [candidate for candidate in load.candidates
                  if any(killed_server in (turn.server or "") and turn.started <= kill for turn in candidate.turns)]
        finished = [candidate for candidate in theirs if candidate.finished]
        print(f"  {len(theirs)} candidates had a message on Rasa server 1 before it was killed; {len(finished)} of "
              f"them finished on Rasa server 2. Answers whose feedback was lost with a reply: "
              f"{sum(candidate.feedback_lost for candidate in load.candidates)}", flush=True)


def a_message_waiting_for_a_dead_servers_lock_is_answered(cluster: Cluster) -> bool:
    """A Rasa server that dies while handling a message leaves that conversation's ticket in Redis until it expires
    (TICKET_LOCK_LIFETIME, 60 s in Rasa): the server that takes the conversation over waits that long first. Such a
    message must still be answered (Sanic's own 60-second response timeout used to cut it off with an empty 200)."""
    from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore

    sender = f"cl-lock-{uuid.uuid4().hex[:6]}"
    RedisLockStore(host="127.0.0.1", port=cluster.redis_port, password=cluster.redis_password).issue_ticket(
        sender, LOCK_LIFETIME)  # as the dead server left it
    started = time.perf_counter()
    reply = requests.post(f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": "hi"},
                          timeout=REQUEST_TIMEOUT_SECONDS + LOCK_LIFETIME)
    waited = time.perf_counter() - started
    answered = reply.status_code == 200 and "CX Interview Coach" in json.dumps(reply.json())
    print(f"  a message held {waited:.0f} s by a dead server's lock (lifetime {LOCK_LIFETIME} s): "
          f"{'answered' if answered else f'NOT answered (HTTP {reply.status_code}: {reply.text[:100]})'}", flush=True)
    return answered and waited >= LOCK_LIFETIME - 5


def screens_and_deliveries_on_postgresql(cluster: Cluster) -> bool:
    """The screens store's tests on the cluster's database, and the Slack channel's once-only record shared by two
    Rasa servers (two HandledEvents on one database, as two servers have)."""
    from channels.slack import HandledEvents

    tests = subprocess.run([cluster.actions_python, "-m", "pytest", "tests/test_screening.py", "-q", "-k",
                            "postgresql", "-p", "no:cacheprovider"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           env={**os.environ, "CX_TEST_DATABASE_URL": cluster.database_url,
                                "CX_REQUIRE_POSTGRES": "1"})
    print(f"  screens tests on PostgreSQL: {tests.stdout.strip().splitlines()[-1]}", flush=True)
    key = f"event:cluster-check-{uuid.uuid4().hex}"
    first, second = HandledEvents(cluster.database_url), HandledEvents(cluster.database_url)
    shared = first.first_time(key) and not second.first_time(key)
    print(f"  a Slack delivery handled by one Rasa server is recognised by another: {'yes' if shared else 'NO'}",
          flush=True)
    return tests.returncode == 0 and shared


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--rasa-bin", default=str(PROJECT_ROOT / ".venv" / "rasa" / "bin" / "rasa"))
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--retry-seconds", type=float, default=180, help="how long a candidate keeps resending")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds per load")
    parser.add_argument("--run-dir", type=Path, help="keep the cluster's data and logs here (default: a temporary "
                                                    "folder, removed afterwards)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cx-cluster-") as scratch:
        cluster = Cluster(args.run_dir or Path(scratch), args.model, args.rasa_bin)
        print(f"Starting the cluster (logs: {cluster.logs}); load average {load_average()}", flush=True)
        ok = True
        try:
            cluster.start(say=lambda line: print(f"  {line}", flush=True))
            print(f"Cluster memory after start: {sum(cluster.memory_mib().values()):,.0f} MiB", flush=True)
            print("| load | candidates | turns | seconds | turns/s | scored p50 / p95 s | lost / duplicated / "
                  "cross-talk | unfinished | load average |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)

            def load(name: str) -> Load:
                return Load(cluster, name, args.candidates, args.questions, args.retry_seconds, args.time_limit)

            both = load("2-rasa")
            ok &= checked(cluster, both, both.run())
            cluster.rasa[1].stop()
            one = load("1-rasa")
            ok &= checked(cluster, one, one.run())
            cluster.rasa[1].start(PROJECT_ROOT)
            cluster.rasa[1].wait_until_healthy()
            time.sleep(11)  # nginx tries a server again 10 s after it failed (fail_timeout)
            # One message at a time until nginx has seen the server answer: while its first try is under way, nginx
            # sends that server's other conversations to the next one.
            for number in range(6):
                requests.post(f"{cluster.url}/webhooks/rest/webhook", timeout=REQUEST_TIMEOUT_SECONDS,
                              json={"sender": f"cl-warm-{uuid.uuid4().hex[:6]}-{number}", "message": "hi"})

            faulty = load("failover")
            log = FaultLog(faulty.turns_done)
            killed_server = f"127.0.0.1:{cluster.rasa[0].port}"
            faults = [(1 / 3, log.timed("kill Rasa server 1", cluster.rasa[0].kill)),
                      (2 / 3, log.timed("restart PostgreSQL",
                                        lambda: f" (down for {cluster.restart_postgres():.1f} s)"))]
            ok &= checked(cluster, faulty, faulty.run(faults))
            what_candidates_saw(faulty, log, killed_server)
            ok &= a_message_waiting_for_a_dead_servers_lock_is_answered(cluster)
            ok &= screens_and_deliveries_on_postgresql(cluster)
            memory = cluster.memory_mib()
            print(f"Cluster memory at the end: {sum(memory.values()):,.0f} MiB ("
                  + ", ".join(f"{name} {mib:,.0f}" for name, mib in memory.items()) + ")", flush=True)
        finally:
            cluster.stop()
    print("All checks passed" if ok else "FAILED: see the rows above", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
