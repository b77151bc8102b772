#!/usr/bin/env bash
# Create a cohort for an instructor: `make cohort NAME="Spring CX bootcamp"`. Prints the join code learners type
# ("join CODE") and the instructor token that opens the class page (http://127.0.0.1:WEB_PORT/instructor/). The
# progress database is CX_PROGRESS_DB_URL, else .rasa/progress.db beside the conversations (bootcamp/settings.py).
# Assignments and the rest: .venv/actions/bin/python -m bootcamp.cohorts --help
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -n "${NAME:-}" ]] || die 'give the cohort a name: make cohort NAME="Spring CX bootcamp"'
ensure_venv actions
exec "$ACTIONS_VENV/bin/python" -m bootcamp.cohorts create "$NAME"
