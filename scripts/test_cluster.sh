#!/usr/bin/env bash
# make test-cluster: the cluster of make cluster under make loadtest's candidates, with one Rasa server killed and
# PostgreSQL restarted mid-run, everything checked in PostgreSQL afterwards (bench/cluster.py, whose docstring has
# the details). Not part of make test: it takes about 15-25 minutes on two cores and needs about 3 GB of memory.
# Installs PostgreSQL, Redis and nginx with apt-get when missing (as root; otherwise prints the command).
# Usage: scripts/test_cluster.sh [--candidates 50] [--questions 3] [--run-dir DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

prepare_cluster
# The load test reads the conversations back with SQLAlchemy, which the Rasa environment has.
exec "$RASA_VENV/bin/python" -m bench.cluster --model "$CLUSTER_MODEL" --rasa-bin "$RASA_VENV/bin/rasa" "$@"
