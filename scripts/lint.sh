#!/usr/bin/env bash
# Lint the Python code with ruff, pinned in requirements/lint.lock and installed in .venv/lint (reused while the lock
# is unchanged). The rules are in ruff.toml. Run by `make lint` and by `make test` before the tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv lint
say "Lint: ruff check (ruff $("$ROOT/.venv/lint/bin/ruff" --version | cut -d' ' -f2))"
"$ROOT/.venv/lint/bin/ruff" check "$ROOT"
