#!/usr/bin/env bash
# Run the bot on Rasa's own topology on this machine: PostgreSQL (conversations and screens), Redis (Rasa's lock
# store), two Rasa servers and two action servers behind nginx, which keeps each conversation on one Rasa server and
# moves it to another when that server is down (harness/cluster.py, deploy/nginx/cx-coach.conf). Installs
# PostgreSQL, Redis and nginx with apt-get when missing (as root; otherwise prints the command), builds the venvs and
# trains the model like make run, then runs until Ctrl-C, which stops every server.
# nginx listens on RASA_PORT (default 5005) and the chat page on WEB_PORT (8080); everything else on free ports.
# Data, passwords and logs: CLUSTER_DIR (default .rasa/cluster; make clean removes it).
# Memory: about 3 GB (each Rasa server about 1 GB; see the README's "Beyond one machine").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

prepare_cluster
require_free_port "$RASA_PORT" RASA_PORT
require_free_port "$WEB_PORT" WEB_PORT
exec "$ACTIONS_VENV/bin/python" -m harness.cluster --model "$CLUSTER_MODEL" --rasa-bin "$RASA_VENV/bin/rasa" \
    --run-dir "${CLUSTER_DIR:-$ROOT/.rasa/cluster}" --port "$RASA_PORT" --web-port "$WEB_PORT"
