"""What one very long message costs, over REST with the real servers: how long until it is answered, and how long
another user's short message waits meanwhile (Rasa runs its NLU on the event loop every webhook shares).

    .venv/actions/bin/python -m bench.long_message            # uses the newest models/*.tar.gz
    RASA_MODEL=models/<hash>.tar.gz .venv/actions/bin/python -m bench.long_message [--chars 40000]

Starts its own action server and Rasa server on free ports (harness/), loopback only, and prints figures. Every
request has a timeout, so a stalled server ends the run instead of hanging it.
"""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from harness.bot import BotServers  # noqa: E402
from harness.servers import reply_texts  # noqa: E402

SENTENCE = ("I listened to the customer, wrote down every detail of the late delivery, apologised and sent a "
            "replacement the same day, then fixed the courier hand-over so it did not happen again. ")


def long_answer(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]


def timed_say(servers: BotServers, sender: str, message: str):
    started = time.perf_counter()
    replies = servers.say(sender, message)
    return time.perf_counter() - started, reply_texts(replies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, action="append", help="length of the long answer (repeatable); "
                        "default 40000 and 20000")
    args = parser.parse_args()
    rasa_bin = os.environ.get("RASA_BIN", str(PROJECT_ROOT / ".venv" / "rasa" / "bin" / "rasa"))
    model = os.environ.get("RASA_MODEL") or str(max((PROJECT_ROOT / "models").glob("*.tar.gz"),
                                                    key=lambda path: path.stat().st_mtime))
    with tempfile.TemporaryDirectory() as workdir:
        servers = BotServers(Path(workdir), rasa_bin, model)
        servers.start()
        print(f"servers up (model {Path(model).name[:12]}...)")
        try:
            alone = [timed_say(servers, "bench-other", "help")[0] for _ in range(5)]
            print(f"short message alone: median {sorted(alone)[2] * 1000:.0f} ms, max {max(alone) * 1000:.0f} ms")
            for number, chars in enumerate(args.chars or [40000, 20000]):
                sender = f"bench-long-{number}"
                servers.say(sender, "start")
                servers.say(sender, "mid")
                servers.say(sender, "1")
                with concurrent.futures.ThreadPoolExecutor(2) as pool:
                    long_reply = pool.submit(timed_say, servers, sender, long_answer(chars))
                    time.sleep(0.3)  # the long message is being handled when the short one arrives
                    other_seconds, _ = timed_say(servers, "bench-other", "help")
                    long_seconds, long_text = long_reply.result()
                print(f"{chars}-character answer: answered in {long_seconds:.2f} s; another user's short message "
                      f"sent 0.3 s later answered in {other_seconds:.2f} s; reply: {long_text[:90]!r}")
        finally:
            servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
