#!/usr/bin/env bash
# Create (or reuse, when its lock file is unchanged) each virtual environment from requirements/<name>.lock, then
# check it with pip check; `browser` installs what the browser tests need: Debian's Chromium (apt-get, as root) and
# node_modules/ from package-lock.json; `postgresql` Debian's PostgreSQL, for the progress database's tests. Building
# .venv/actions also writes the embedding model's ONNX export (python -m coach.embedding); the action server writes it
# itself when it is missing. All output goes to stderr.
# Usage: scripts/install.sh [rasa|actions|browser|postgresql ...]    (default: all four)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

names=("$@")
((${#names[@]})) || names=(rasa actions browser postgresql)
for name in "${names[@]}"; do
    if [[ "$name" == postgresql ]]; then
        ensure_postgresql
        continue
    fi
    if [[ "$name" == browser ]]; then
        ensure_chromium
        ensure_node_modules
        continue
    fi
    VENV_BUILT=0
    ensure_venv "$name"
    say "pip check .venv/$name"
    pip_check "$name"
    if [[ "$name" == actions && "$VENV_BUILT" == 1 ]]; then
        # A new environment means new model files: write their ONNX export (.cache/onnx/) now, so that the action
        # server's first start does not have to.
        say "Preparing the embedding model: python -m coach.embedding"
        "$ROOT/.venv/actions/bin/python" -m coach.embedding >&2
    fi
done
