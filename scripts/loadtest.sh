#!/usr/bin/env bash
# Many candidates doing whole interviews at once over REST (bench/loadtest.py, whose docstring lists the options):
# turns per second, latency of plain, scored and summary turns beside a plain Rasa bot, and the integrity check in
# the tracker store. Starts its own servers on free loopback ports unless given --rasa-url.
# Usage: scripts/loadtest.sh [--candidates 1,10,25,50] [--questions 3] [--no-plain-bot] [--rasa-url URL ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv rasa
ensure_venv actions
RASA_MODEL="${RASA_MODEL:-$("$ROOT/scripts/train_if_changed.sh")}"
export RASA_MODEL RASA_BIN="$RASA_VENV/bin/rasa" ACTIONS_PYTHON="$ACTIONS_VENV/bin/python"
# The Rasa environment has what the check needs to read any tracker store (SQLAlchemy, the PostgreSQL driver).
exec "$RASA_VENV/bin/python" -m bench.loadtest "$@"
