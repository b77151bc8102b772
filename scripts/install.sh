#!/usr/bin/env bash
# Create (or reuse, when its lock file is unchanged) each virtual environment from requirements/<name>.lock, then
# check it with pip check. All output goes to stderr.
# Usage: scripts/install.sh [rasa|actions ...]    (default: both)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

names=("$@")
((${#names[@]})) || names=(rasa actions)
for name in "${names[@]}"; do
    ensure_venv "$name"
    say "pip check .venv/$name"
    pip_check "$name"
done
