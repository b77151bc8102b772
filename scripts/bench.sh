#!/usr/bin/env bash
# Benchmarks that print figures: calibration against the graded answers (fit, then held-out agreement), then speed
# and memory (latency, JSON Lines throughput, start-up, action-server memory). Arguments go to bench/speed.py.
# Usage: scripts/bench.sh [--repetitions N] [--lines N] [--requests N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv actions
say "==> Calibration: python -m bench.calibrate"
"$ACTIONS_VENV/bin/python" -m bench.calibrate
say ""
say "==> Speed and memory: python -m bench.speed"
"$ACTIONS_VENV/bin/python" -m bench.speed "$@"
