#!/usr/bin/env bash
# Create (or reuse, when its lock file is unchanged) each virtual environment from requirements/<name>.lock, then
# check it with pip check; `browser` installs what the browser tests need: Debian's Chromium (apt-get, as root) and
# node_modules/ from package-lock.json. All output goes to stderr.
# Usage: scripts/install.sh [rasa|actions|browser ...]    (default: all three)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

names=("$@")
((${#names[@]})) || names=(rasa actions browser)
for name in "${names[@]}"; do
    if [[ "$name" == browser ]]; then
        ensure_chromium
        ensure_node_modules
        continue
    fi
    ensure_venv "$name"
    say "pip check .venv/$name"
    pip_check "$name"
done
