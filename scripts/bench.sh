#!/usr/bin/env bash
# Benchmarks that print figures: judgement against the blind set (criteria precision / recall / F1, Spearman, bands,
# echo, form changes, each beside its baseline), the regression check on the older graded set, then speed and memory
# (latency, JSON Lines throughput, start-up, action-server memory), then how requests to the coach are read on phrasings
# held out of training (bench/commands.py, with the model trained if needed). Arguments go to bench/speed.py.
# Usage: scripts/bench.sh [--repetitions N] [--lines N] [--requests N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv actions
say "==> Judgement against answers written blind to the criteria: python -m bench.judgement"
"$ACTIONS_VENV/bin/python" -m bench.judgement
say ""
say "==> Regression check on the older graded set (not blind): python -m bench.calibrate"
"$ACTIONS_VENV/bin/python" -m bench.calibrate
say ""
say "==> Speed and memory: python -m bench.speed"
"$ACTIONS_VENV/bin/python" -m bench.speed "$@"
say ""
say "==> Requests to the coach, on phrasings held out of training: python -m bench.commands"
model="$("$ROOT/scripts/train_if_changed.sh")"
mkdir -p "$LOG_DIR"
"$RASA_VENV/bin/python" -m bench.commands --model "$model" 2>"$LOG_DIR/bench-commands.log"
