#!/usr/bin/env bash
# Every check, in the order CI runs them (`make test`, `.ci/run`): environments (and Chromium), lint, content and
# training-data validation, the model, conversation tests, the NLU on held-out phrasings, browser tests, then pytest.
# Stops at the first failing step and exits non-zero. The browser tests and pytest get RASA_BIN, RASA_PYTHON and
# RASA_MODEL (absolute paths) for their end-to-end tests, which start the servers themselves. pytest runs last so that
# its summary line closes the run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

run_started=$SECONDS
current_step=""

step() {
    current_step="$1"
    shift
    local started=$SECONDS
    say ""
    say "==> $current_step"
    "$@"
    say "<== $current_step: ok in $((SECONDS - started))s"
}

report() {
    local status=$?
    if ((status == 0)); then
        say ""
        say "All checks passed in $((SECONDS - run_started))s"
    else
        say ""
        say "FAILED: '$current_step' (exit status $status), after $((SECONDS - run_started))s"
    fi
}
trap report EXIT

train_model() {
    RASA_MODEL="$("$ROOT/scripts/train_if_changed.sh")"
    export RASA_MODEL
}

# Conversation tests (tests/test_*.yml) check the dialogue policy: each user turn's intent is taken from the story as
# written, not predicted, so free-text answers can be labelled nlu_fallback. Rasa reads every story file under
# tests/ and reports success on none at all, hence the check that there is at least one test file.
conversation_tests() {
    compgen -G 'tests/test_*.yml' >/dev/null || die "no conversation tests found (tests/test_*.yml)"
    "$RASA_VENV/bin/rasa" test core --model "$RASA_MODEL" --stories tests \
        --fail-on-prediction-errors --out results --no-plot
}

# The NLU on phrasings it was never trained on (tests/nlu/held_out.yml): Rasa's own evaluation (what `rasa test nlu`
# runs; reports in results/nlu_held_out/), then what the interview does with each message. Fails past its floors.
held_out_nlu() {
    mkdir -p "$LOG_DIR"
    "$RASA_VENV/bin/python" -m bench.commands --model "$RASA_MODEL" --out results/nlu_held_out --check \
        2>"$LOG_DIR/test-nlu.log" || { tail -n 30 "$LOG_DIR/test-nlu.log" >&2; return 1; }
}

# The web chat page in Debian's Chromium, against real servers on free ports (tests/browser/). Screenshots of the
# main states are written to test-output/screenshots/.
browser_tests() {
    export RASA_BIN="$RASA_VENV/bin/rasa" RASA_PYTHON="$RASA_VENV/bin/python" ACTIONS_PYTHON="$ACTIONS_VENV/bin/python"
    CX_REQUIRE_E2E=1 node --test --test-concurrency=1 --test-reporter=spec tests/browser/
}

python_tests() {
    # CX_REQUIRE_E2E turns the end-to-end test's "skip without a model" into a failure, CX_REQUIRE_SEEDS the
    # originality checks' "skip without the seed documents".
    export RASA_BIN="$RASA_VENV/bin/rasa" RASA_PYTHON="$RASA_VENV/bin/python" CX_REQUIRE_E2E=1 CX_REQUIRE_SEEDS=1
    "$ACTIONS_VENV/bin/python" -m pytest tests -q
}

step "Install: build or reuse .venv/rasa and .venv/actions, pip check; Chromium, node_modules" "$ROOT/scripts/install.sh"
step "Lint: ruff check (requirements/lint.lock)" "$ROOT/scripts/lint.sh"
step "Validate: content files and Rasa training data" "$ROOT/scripts/validate.sh"
step "Train: model for the current config, domain and data" train_model
step "Conversation tests: rasa test core --fail-on-prediction-errors" conversation_tests
step "NLU on held-out phrasings: Rasa's NLU evaluation, then what the interview does with them" held_out_nlu
step "Browser tests: the web chat page in Chromium (node --test tests/browser/)" browser_tests
step "Python tests: pytest" python_tests
