"""How fast the Slack webhook answers, and how long the bot takes to reply, with the real servers.

Slack wants the webhook answered within 3 seconds or it retries. Rasa's Slack channel answers at once and handles the
message in the background, so the webhook time should stay far below that however slow scoring is; the reply time
(until the bot's message reaches the Slack API) includes scoring an answer with the embedding model.

    .venv/actions/bin/python -m bench.slack_webhook            # uses the newest models/*.tar.gz
    RASA_MODEL=models/<hash>.tar.gz .venv/actions/bin/python -m bench.slack_webhook

Starts its own fake Slack API, action server and Rasa server on free ports (harness/), prints figures.
"""

import concurrent.futures
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from harness.bot import BotServers  # noqa: E402
from harness.slack import FakeSlack, button_click, dm_channel, message_event  # noqa: E402

RECRUITER, CANDIDATE = "U0BENCHREC", "U0BENCHCAN"
ANSWER = ("In my last role I set up a CSAT survey after every ticket and a quarterly NPS survey, reviewed the "
          "comments with the product team each month, and we fixed the three most common complaints; CSAT rose "
          "from 81 to 88 percent in two quarters and repeat contacts fell by a fifth.")


def figures(name: str, seconds) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{name:<58} n={len(ms):<3} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {ms[-1]:7.1f} ms")


def timed(call):
    started = time.perf_counter()
    response = call()
    assert response.status_code == 200, response.text
    return time.perf_counter() - started


def main() -> int:
    rasa_bin = os.environ.get("RASA_BIN", str(PROJECT_ROOT / ".venv" / "rasa" / "bin" / "rasa"))
    model = os.environ.get("RASA_MODEL") or str(max((PROJECT_ROOT / "models").glob("*.tar.gz"),
                                                    key=lambda path: path.stat().st_mtime))
    with tempfile.TemporaryDirectory() as workdir:
        servers = BotServers(Path(workdir), rasa_bin, model, slack=FakeSlack(), recruiters=[RECRUITER])
        started = time.perf_counter()
        servers.start()
        print(f"servers up in {time.perf_counter() - started:.0f} s (model {Path(model).name[:12]}...)")
        try:
            slack = servers.slack
            recruiter_dm, candidate_dm = dm_channel(RECRUITER), dm_channel(CANDIDATE)

            webhook, replies = [], []
            for _ in range(10):
                before = len(slack.posts(recruiter_dm))
                sent = time.perf_counter()
                webhook.append(timed(lambda: servers.post_event(message_event(RECRUITER, "screens"))))
                slack.wait_for(recruiter_dm, lambda posts: len(posts) >= 1, after=before)
                replies.append(time.perf_counter() - sent)
            figures("webhook answered, recruiter command", webhook)
            figures("reply posted, recruiter command", replies)

            servers.post_event(message_event(RECRUITER, f"screen <@{CANDIDATE}> mid full"))
            slack.wait_for(candidate_dm, lambda posts: any(p.get("blocks") for p in posts))
            servers.post_click(button_click(CANDIDATE, "/accept_screen", f"{time.time():.6f}"))
            slack.wait_for(candidate_dm, lambda posts: "Question 1 of 8" in str(posts))

            webhook, replies = [], []
            for number in range(8):
                before = len(slack.posts(candidate_dm))
                sent = time.perf_counter()
                text = f"{ANSWER} (answer {number + 1})"
                webhook.append(timed(lambda text=text: servers.post_event(message_event(CANDIDATE, text))))
                slack.wait_for(candidate_dm, lambda posts: any("answer is saved" in (p.get("text") or "")
                                                               for p in posts), after=before)
                replies.append(time.perf_counter() - sent)
            figures("webhook answered, screen answer (scored)", webhook)
            figures("acknowledgement posted, screen answer (scored)", replies)
            slack.wait_for(dm_channel(RECRUITER), lambda posts: any("*Pre-screen" in (p.get("text") or "")
                                                                    for p in posts))

            # A burst: 20 people message at the same moment.
            burst_users = [f"U0BURST{n:03d}" for n in range(20)]
            with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
                webhook = list(pool.map(lambda user: timed(lambda: servers.post_event(message_event(user, "hi"))),
                                        burst_users))
            figures("webhook answered, 20 simultaneous messages", webhook)
            started = time.perf_counter()
            for user in burst_users:
                slack.wait_for(dm_channel(user), lambda posts: len(posts) >= 1)
            print(f"{'all 20 burst replies posted after':<58} {time.perf_counter() - started:.1f} s more")
        finally:
            servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
