#!/usr/bin/env bash
# Keep one server running: start it, and when it exits on its own after it had answered its health URL, say so and
# start it again after a back-off: 1 s, doubled after each run shorter than a minute up to RESTART_MAX_SECONDS (30),
# back to 1 s after a run of a minute or more. It is not restarted when it exits before it ever answered (a broken
# start-up does not mend itself), nor after RESTART_LIMIT (5) runs in a row shorter than a minute: the supervisor
# then exits with a failure, and whoever started it (run.sh) stops the bot and shows the log.
# SIGTERM stops the server (its whole process group), then the supervisor. The server inherits the supervisor's
# stdout and stderr: start this with its output appended to the server's log, so the log keeps every run and the
# lines below saying what happened.
# Usage: scripts/supervise.sh <name> <health url> <command...>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

name="$1" health_url="$2"
shift 2
RESTART_MAX_SECONDS="${RESTART_MAX_SECONDS:-30}"
RESTART_LIMIT="${RESTART_LIMIT:-5}"
STEADY_SECONDS=60

server=""
stop() {
    if [[ -n "$server" ]] && kill -TERM -- "-$server" 2>/dev/null; then
        for _ in $(seq 20); do
            kill -0 -- "-$server" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    exit 0
}
trap stop TERM INT

ever_up=0 backoff=1 short_runs=0
while true; do
    started=$SECONDS up=0
    # A process group of its own, as start_server gives each server: stopping it reaches the workers it forks.
    setsid "$@" </dev/null &
    server=$!
    until ((up)) || ! kill -0 "$server" 2>/dev/null; do
        if curl -fsS -o /dev/null --max-time 2 "$health_url" 2>/dev/null; then
            up=1 ever_up=1
        else
            sleep 0.5
        fi
    done
    status=0
    # (bash's own "Killed" notice is left out: the line below says what happened.)
    { wait "$server"; } 2>/dev/null || status=$?
    ran=$((SECONDS - started))
    if ((!ever_up)); then
        say "supervise.sh: the $name exited (status $status) before it ever answered $health_url; not restarting it"
        exit 1
    fi
    if ((ran >= STEADY_SECONDS)); then
        backoff=1 short_runs=0
    else
        short_runs=$((short_runs + 1))
    fi
    if ((short_runs >= RESTART_LIMIT)); then
        say "supervise.sh: the $name exited $short_runs times in a row within a minute of starting; giving up"
        exit 1
    fi
    say "supervise.sh: the $name exited unexpectedly (status $status) after ${ran}s; restarting it in ${backoff}s"
    # In the background, so that SIGTERM ends the wait at once.
    sleep "$backoff" &
    wait $! || true
    if ((ran < STEADY_SECONDS)); then
        backoff=$((backoff * 2 > RESTART_MAX_SECONDS ? RESTART_MAX_SECONDS : backoff * 2))
    fi
done
