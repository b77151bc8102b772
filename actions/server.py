"""Runs the action server in one process: `python -m actions.server --port 5055`.

This is rasa-sdk's own Sanic app (`rasa_sdk.endpoint.create_app`) with our actions registered, served without Sanic's
worker manager. `python -m rasa_sdk` would start a manager process plus a spawned worker, import the actions (and
load the embedding model) in both, and give the worker only 30 seconds to come up, which a cold model load on two
cores can miss. In one process the model loads once, before the server accepts its first request.
"""

import argparse
import logging
import os

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from coach.coach import get_coach
from screening.service import get_screening

logger = logging.getLogger("actions.server")


def main() -> None:
    parser = argparse.ArgumentParser(description="CX Interview Coach action server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args()
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)-7s %(name)s - %(message)s")

    coach = get_coach()  # load content and model now, so the first answer is as fast as every other
    coach.embedder.save_vectors()  # the next start reads the bank's vectors instead of embedding them again
    # Open the screens database now: one that cannot be reached (DATABASE_URL) stops the start, not the first screen.
    get_screening()
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=None)
    logger.info("Action server listening on http://%s:%d", args.host, args.port)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
