#!/usr/bin/env bash
# Train the Rasa model unless one for the current config.yml, domain.yml, data/ and Rasa version already exists.
# The model is models/<sha256 of those files>.tar.gz (see model_fingerprint in common.sh).
# stdout: exactly one line, the model's absolute path, so callers can write MODEL="$(scripts/train_if_changed.sh)".
# Everything else goes to stderr; Rasa's training output goes to LOG_DIR/train.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv rasa
fingerprint="$(model_fingerprint)"
model="$ROOT/models/$fingerprint.tar.gz"

if [[ -f "$model" ]]; then
    say "Using model models/$fingerprint.tar.gz (config, domain and data unchanged since it was trained)"
else
    say "Training model models/$fingerprint.tar.gz (about 2 minutes; log: $(shown "$LOG_DIR")/train.log)"
    started=$SECONDS
    mkdir -p "$ROOT/models"
    # Train into a scratch folder and move the result into place, so an interrupted run never leaves a partial file
    # under the name a later run would trust.
    scratch="$(mktemp -d "$ROOT/models/.training.XXXXXX")"
    trap 'rm -rf "$scratch"' EXIT
    # Rasa's own output (other libraries' warnings, progress bars) goes to the log; the console gets a line every
    # PROGRESS_SECONDS with the component being trained.
    run_logged "$LOG_DIR/train.log" "training" "s/.*Starting to train component '\\([A-Za-z]*\\)'.*/\\1/p" \
        "$RASA_VENV/bin/rasa" train --fixed-model-name "$fingerprint" --out "$scratch" ||
        die "rasa train failed (see above)"
    [[ -f "$scratch/$fingerprint.tar.gz" ]] || die "rasa train finished but wrote no $fingerprint.tar.gz"
    mv "$scratch/$fingerprint.tar.gz" "$model"
    say "Trained models/$fingerprint.tar.gz in $((SECONDS - started))s"
fi
echo "$model"
