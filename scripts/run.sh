#!/usr/bin/env bash
# Start the bot for a person to talk to. Builds the venvs and trains the model first when needed, starts the action
# server and waits until it is healthy, then either
#   (no argument)  starts the Rasa server, reachable over REST, and the web chat page (scripts/serve_web.py), and
#                  runs until Ctrl-C or SIGTERM, or
#   shell          starts the Rasa server and chats with it in this terminal (channels/terminal.py, over REST: buttons
#                  shown as numbered text, lines sent as typed), until /stop, Ctrl-D or Ctrl-C.
# Either way the servers are stopped on the way out, and Ctrl-C or SIGTERM exits 0. The action server runs under
# scripts/supervise.sh: if it crashes it is started again after a back-off, while Rasa and the page keep running
# (Rasa keeps the messages that arrive meanwhile: channels/action_server.py).
# Logs: actions.log, rasa.log and web.log in LOG_DIR/port-<RASA_PORT>/ (default logs/port-5005/), one folder per
# running instance; without `shell` they are also copied here, prefixed, less other libraries' warnings.
# Ports: RASA_PORT (default 5005), ACTION_PORT (default 5055), WEB_PORT (default 8080, the chat page).
# Model: RASA_MODEL if set (a .tar.gz), else models/<hash>.tar.gz, trained first when missing (train_if_changed.sh).
# Slack: with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET both set, the Rasa server also listens for Slack on
# /webhooks/slack/webhook (credentials.slack.yml); with neither, REST only (credentials.yml).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mode="${1:-serve}"
[[ "$mode" == serve || "$mode" == shell ]] || die "usage: scripts/run.sh [shell]"

credentials=credentials.yml
if [[ -n "${SLACK_BOT_TOKEN:-}" && -n "${SLACK_SIGNING_SECRET:-}" ]]; then
    credentials=credentials.slack.yml
elif [[ -n "${SLACK_BOT_TOKEN:-}${SLACK_SIGNING_SECRET:-}" ]]; then
    die "Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; only one is set"
fi
# Rasa imports our Slack channel (channels/slack.py) by module path.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

ensure_venv rasa
ensure_venv actions
if [[ -n "${RASA_MODEL:-}" ]]; then
    [[ -f "$RASA_MODEL" ]] || die "RASA_MODEL=$RASA_MODEL is not a file"
    model="$RASA_MODEL"
else
    model="$("$ROOT/scripts/train_if_changed.sh")"
fi
model_name="$(shown "$model")"
mkdir -p "$(dirname "$TRACKER_DB")"
claim_run_log_dir
# Fail now rather than after the action server's start-up.
require_free_port "$RASA_PORT" RASA_PORT
if [[ "$mode" == serve ]]; then
    require_free_port "$WEB_PORT" WEB_PORT
fi

ACTIONS_PID=""
RASA_PID=""
WEB_PID=""
stop_all() {
    stop_server "$WEB_PID" "chat page server"
    stop_server "$RASA_PID" "Rasa server"
    stop_server "$ACTIONS_PID" "action server"
    # Let the log copies print the servers' last lines before the prompt comes back.
    wait
}
# Stop the servers however this script ends. Ctrl-C and SIGTERM are the normal way out, hence exit 0.
trap stop_all EXIT
# A second signal must not cut the clean-up short: make passes Ctrl-C or SIGTERM on to this script a second time.
trap 'trap "" INT TERM; say "Shutting down"; exit 0' INT TERM

rasa_log="$RUN_LOG_DIR/rasa.log"
if [[ "$mode" == shell ]]; then
    # The conversation owns the terminal, so the servers' logs only go to their files.
    ECHO_LOGS=0 start_action_server
    say "Starting the Rasa server on port $RASA_PORT with $model_name (log: $(shown "$rasa_log"))"
    ECHO_LOGS=0 start_server "$rasa_log" rasa "$RASA_VENV/bin/rasa" run --model "$model" --endpoints endpoints.yml \
        --credentials "$credentials" --port "$RASA_PORT" --interface 127.0.0.1
    RASA_PID=$SERVER_PID
    wait_until_healthy "Rasa server" "http://127.0.0.1:$RASA_PORT/" "$RASA_PID" "$rasa_log"
    say ""
    say "CX Interview Coach is running (model $model_name). Logs: $(shown "$RUN_LOG_DIR")/rasa.log, $(shown "$RUN_LOG_DIR")/actions.log."
    # rasa shell would show buttons as an arrow-key menu in which typed letters move the cursor; this client prints
    # them as numbered text and sends what is typed.
    # It exits 1 when the Rasa server stops answering.
    "$RASA_VENV/bin/python" -m channels.terminal --url "http://127.0.0.1:$RASA_PORT" || exit
    exit 0
fi

start_action_server
say "Starting the Rasa server on port $RASA_PORT with $model_name (log: $(shown "$rasa_log"))"
# --cors: browsers may call Rasa from the chat page's origin only (one --cors followed by every allowed origin).
# No --enable-api: nothing here needs Rasa's HTTP API, and without a token it would let any local process read and
# change conversations.
start_server "$rasa_log" rasa "$RASA_VENV/bin/rasa" run --model "$model" --endpoints endpoints.yml \
    --credentials "$credentials" --port "$RASA_PORT" --interface 127.0.0.1 \
    --cors "http://127.0.0.1:$WEB_PORT" "http://localhost:$WEB_PORT"
RASA_PID=$SERVER_PID
web_log="$RUN_LOG_DIR/web.log"
say "Starting the chat page server on port $WEB_PORT (log: $(shown "$web_log"))"
start_server "$web_log" web "$RASA_VENV/bin/python" "$ROOT/scripts/serve_web.py" --port "$WEB_PORT" \
    --rasa-url "http://127.0.0.1:$RASA_PORT"
WEB_PID=$SERVER_PID
wait_until_healthy "chat page server" "http://127.0.0.1:$WEB_PORT/config.json" "$WEB_PID" "$web_log"
# Rasa loads the model before it accepts connections, so its root answering means it is ready to talk.
wait_until_healthy "Rasa server" "http://127.0.0.1:$RASA_PORT/" "$RASA_PID" "$rasa_log"

cat <<BANNER

CX Interview Coach is running (model $model_name).
  Open the chat page: http://127.0.0.1:$WEB_PORT/
  Or talk to it over REST:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
  Slack: $([[ $credentials == credentials.slack.yml ]] && echo "events and buttons on http://127.0.0.1:$RASA_PORT/webhooks/slack/webhook (expose it with a tunnel)" || echo "off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)")
  Or in a terminal: make shell (stop this first, or give it other ports: make shell RASA_PORT=5006 ACTION_PORT=5056)
  Logs: $(shown "$RUN_LOG_DIR")/rasa.log, actions.log, web.log. Conversations: $(shown_database). Press Ctrl-C to stop.

BANNER

# Block until a signal arrives (the trap exits 0) or a server exits on its own, which is a failure: Rasa or the page
# server crashed, or the action server's supervisor gave up restarting it.
status=0
wait -n "$ACTIONS_PID" "$RASA_PID" "$WEB_PID" || status=$?
if ! kill -0 "$ACTIONS_PID" 2>/dev/null; then
    crashed="action server (or its supervisor, which gave up restarting it)" log="$RUN_LOG_DIR/actions.log"
elif ! kill -0 "$RASA_PID" 2>/dev/null; then
    crashed="Rasa server" log="$rasa_log"
else
    crashed="chat page server" log="$web_log"
fi
say "The $crashed exited unexpectedly (exit status $status). Last lines of $(shown "$log"):"
tail -n 40 "$log" >&2
exit 1
