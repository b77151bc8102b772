"""Speed and memory of the scorer, printed as figures: `python -m bench.speed` (part of `make bench`).

- latency of one Coach.assess call (warm model) for answers of about 50, 150 and 400 words: p50 and p95
- throughput of the JSON Lines command (`python -m coach.score_cli`) on a few hundred lines, with and without start-up
- start-up: a fresh process until it has a ready Coach; `python -m actions.server` until /health answers
- the action server's resident memory (VmRSS) after start-up and after it has scored answers

Figures depend on the machine and on what else runs on it; they are printed with the core count and the load.
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
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import requests
import yaml

from harness.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORD_COUNTS = (50, 150, 400)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


def sized_answers(graded, words: int) -> List[Tuple[str, str]]:
    """(question id, answer) pairs of about `words` words: graded bank answers at least that long, cut to length."""
    chosen = [(answer.question_id, " ".join(answer.answer.split()[:words]))
              for answer in graded if answer.question_id and len(answer.answer.split()) >= words]
    if not chosen:
        raise SystemExit(f"the graded set has no bank answer of {words} words or more")
    return chosen


def latency(coach, graded, repetitions: int) -> Dict[int, Dict[str, float]]:
    figures = {}
    for words in WORD_COUNTS:
        answers = sized_answers(graded, words)
        for question_id, answer in answers[:3]:  # warm-up: first calls allocate buffers
            coach.assess(question_id, answer)
        timings = []
        for repetition in range(repetitions):
            question_id, answer = answers[repetition % len(answers)]
            started = time.perf_counter()
            coach.assess(question_id, answer)
            timings.append((time.perf_counter() - started) * 1000)
        figures[words] = {"answers": len(answers), "calls": repetitions, "p50_ms": percentile(timings, 0.5),
                          "p95_ms": percentile(timings, 0.95), "mean_ms": statistics.fmean(timings)}
    return figures


def throughput(graded, lines: int) -> Dict[str, float]:
    """Run the JSON Lines command on `lines` lines; time the whole run and the span from first to last result."""
    payload = "".join(json.dumps(dict(graded[index % len(graded)].score_line(), id=index)) + "\n"
                      for index in range(lines))
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-m", "coach.score_cli"], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    # Feed stdin from a thread: the command answers while it reads, and once its answers fill the stdout pipe it
    # waits for us to read them; writing everything first would then wait forever on a full stdin pipe.
    def feed() -> None:
        process.stdin.write(payload)
        process.stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    stamps = []
    for line in process.stdout:
        stamps.append(time.perf_counter())
        if "error" in json.loads(line):
            raise SystemExit(f"score_cli failed on a graded line: {line.strip()}")
    process.wait()
    feeder.join()
    total = time.perf_counter() - started
    if len(stamps) != lines:
        raise SystemExit(f"score_cli wrote {len(stamps)} lines for {lines} (exit status {process.returncode})")
    scoring = stamps[-1] - stamps[0]
    return {"lines": lines, "total_s": total, "startup_s": stamps[0] - started,
            "with_startup_per_s": lines / total, "without_startup_per_s": (lines - 1) / scoring}


def coach_ready_time(vector_cache: str, onnx_dir: Optional[str] = None) -> float:
    """Seconds for a fresh interpreter to import the coach and build it (model loaded, criteria embedded)."""
    environment = dict(os.environ, CX_COACH_VECTOR_CACHE=vector_cache)
    if onnx_dir:
        environment["CX_COACH_ONNX_DIR"] = onnx_dir
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", "from coach.coach import get_coach; get_coach()"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    return time.perf_counter() - started


def start_up() -> Tuple[float, float, float]:
    """Ready time on a new machine (the ONNX export is written, nothing stored), after a content or model change (no
    stored vectors), and on an ordinary start (both stored)."""
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as onnx, \
            tempfile.TemporaryDirectory() as directory:
        return coach_ready_time(first, onnx), coach_ready_time(directory), coach_ready_time(directory)


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def validation_request(question_id: str, answer: str, domain: Dict) -> Dict:
    """What Rasa sends the action server when a candidate answers: validate_interview_form with the answer slot."""
    slots = {name: None for name in domain["slots"]}
    slots.update(level="mid", question_count=1, question_plan=[question_id], question_index=0, question_shown=0,
                 interview_results=[], interview_stopped=False, interviews_completed=0, requested_slot="answer",
                 answer=answer)
    latest = {"text": answer, "intent": {"name": "nlu_fallback", "confidence": 1.0}, "entities": []}
    events = [{"event": "user", "text": answer, "parse_data": latest},
              {"event": "slot", "name": "answer", "value": answer}]
    tracker = {"sender_id": "bench", "slots": slots, "latest_message": latest, "events": events, "paused": False,
               "followup_action": None, "active_loop": {"name": "interview_form"},
               "latest_action_name": "action_listen"}
    return {"next_action": "validate_interview_form", "sender_id": "bench", "tracker": tracker, "domain": domain,
            "version": "3.6.21"}


def action_server(graded, requests_count: int) -> Dict[str, float]:
    """Start the action server, time it until /health answers, read its memory, send it answers, read it again."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-m", "actions.server", "--port", str(port), "--log-level", "WARNING"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the action server exited with status {process.returncode}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - started > 300:
                raise SystemExit("the action server did not answer /health within 300 s")
            time.sleep(0.05)
        ready = time.perf_counter() - started
        rss_start = resident_kib(process.pid)
        domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
        answers = [answer for answer in graded if answer.question_id]
        for index in range(requests_count):
            answer = answers[index % len(answers)]
            reply = requests.post(f"http://127.0.0.1:{port}/webhook", timeout=60,
                                  json=validation_request(answer.question_id, answer.answer, domain))
            reply.raise_for_status()
            if not any(event.get("name") == "interview_results" for event in reply.json().get("events", [])):
                raise SystemExit(f"the action server did not score the answer: {reply.text[:300]}")
        rss_after = resident_kib(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return {"health_s": ready, "rss_start_mib": rss_start / 1024, "rss_after_mib": rss_after / 1024,
            "requests": requests_count}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=100, help="timed Coach.assess calls per answer length")
    parser.add_argument("--lines", type=int, default=300, help="lines sent through the JSON Lines command")
    parser.add_argument("--requests", type=int, default=50, help="answers sent to the action server before measuring")
    args = parser.parse_args(argv)

    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
          f"(other work on the machine slows every figure below)", flush=True)
    first, cold, warm = start_up()
    print("\nStart-up, fresh process until the coach is ready: "
          f"{warm:.1f} s reading the criteria from the vector cache "
          f"(target < 10 s), {cold:.1f} s embedding them, {first:.1f} s on a new machine (also writes the model's "
          f"ONNX export)", flush=True)

    from bench.graded_set import load_graded_set
    from coach.coach import get_coach

    coach = get_coach()
    print(f"\nEmbedding backend: {coach.embedder.backend} (CX_COACH_EMBEDDING_BACKEND)")
    graded = load_graded_set({qid: question.text for qid, question in coach.bank.questions.items()})

    print(f"\nLatency of Coach.assess, warm model, {args.repetitions} calls per length:")
    print(f"  {'words':>5} {'answers':>7} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for words, figures in latency(coach, graded, args.repetitions).items():
        target = "  (target p95 < 50 ms)" if words == 150 else ""
        print(f"  {words:>5} {figures['answers']:>7} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} "
              f"{figures['mean_ms']:>8.1f}{target}", flush=True)

    batch = throughput(graded, args.lines)
    print(f"\nJSON Lines command, {batch['lines']} lines: {batch['total_s']:.1f} s in all, first result after "
          f"{batch['startup_s']:.1f} s; {batch['with_startup_per_s']:.1f} answers/s with start-up, "
          f"{batch['without_startup_per_s']:.1f} answers/s without", flush=True)

    server = action_server(graded, args.requests)
    print(f"\nAction server (python -m actions.server): /health answers after {server['health_s']:.1f} s "
          f"(target < 10 s); resident memory {server['rss_start_mib']:.0f} MiB after start, "
          f"{server['rss_after_mib']:.0f} MiB after scoring {server['requests']} answers", flush=True)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
