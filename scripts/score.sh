#!/usr/bin/env bash
# Score answers without a running bot: JSON Lines in on stdin, JSON Lines out on stdout. Setup output, if any, goes
# to stderr, so stdout holds nothing but the scores.
# Usage: scripts/score.sh < answers.jsonl > scores.jsonl
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv actions
exec "$ACTIONS_VENV/bin/python" -m coach.score_cli "$@"
