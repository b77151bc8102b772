# Settings and helpers shared by the scripts in this folder. Sourced, never run.
#
# Everything these helpers print goes to stderr, so that a script's stdout carries only its result: the model path
# from train_if_changed.sh, the scores from score.sh.
#
# Environment variables (all optional):
#   RASA_PORT               5005                  port of the Rasa server
#   ACTION_PORT             5055                  port of the action server; endpoints.yml reads it
#   WEB_PORT                8080                  port of the web chat page (make run)
#   CHROMIUM_PATH           /usr/bin/chromium     the browser the browser tests drive
#   TRACKER_DB              <repo>/.rasa/tracker.db   SQLite file of conversations, unless DATABASE_URL says otherwise
#   DATABASE_URL            sqlite:///$TRACKER_DB  where conversations are kept (endpoints.yml); a postgresql:// URL
#                                                  keeps the recruiter pre-screens there too
#   SCREEN_DB               screens.db beside TRACKER_DB   SQLite file of recruiter pre-screens, without PostgreSQL
#   LOCK_STORE              InMemoryLockStore     Rasa's lock store (endpoints.yml); RedisLockStore to share it between servers
#   REDIS_HOST, REDIS_PORT, REDIS_PASSWORD   localhost, 6379, none   where Redis is, with LOCK_STORE=RedisLockStore
#   SERVER_START_TIMEOUT    180                   seconds a server may take to become healthy
#   LOG_DIR                 <repo>/logs           the installs' and the training's logs; the servers' logs of the
#                                                 instance on RASA_PORT go to LOG_DIR/port-<RASA_PORT>/
#   PROGRESS_SECONDS        15                    how often a long step says it is still running

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RASA_VENV="$ROOT/.venv/rasa"
ACTIONS_VENV="$ROOT/.venv/actions"

# endpoints.yml names ${ACTION_PORT}, ${DATABASE_URL}, ${LOCK_STORE} and ${REDIS_...}, and Rasa refuses to read it
# when one is unset, so they are always exported with their defaults.
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WEB_PORT="${WEB_PORT:-8080}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export TRACKER_DB="${TRACKER_DB:-$ROOT/.rasa/tracker.db}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$TRACKER_DB}"
# Recruiter pre-screens (screening/store.py) and the Slack channel's handled deliveries (channels/slack.py), when
# DATABASE_URL is not a PostgreSQL database.
export SCREEN_DB="${SCREEN_DB:-$(dirname "$TRACKER_DB")/screens.db}"
export LOCK_STORE="${LOCK_STORE:-InMemoryLockStore}"
export REDIS_HOST="${REDIS_HOST:-localhost}" REDIS_PORT="${REDIS_PORT:-6379}" REDIS_PASSWORD="${REDIS_PASSWORD:-}"
SERVER_START_TIMEOUT="${SERVER_START_TIMEOUT:-180}"
LOG_DIR="${LOG_DIR:-$ROOT/logs}"
PROGRESS_SECONDS="${PROGRESS_SECONDS:-15}"
# Rasa's TensorFlow runs its small models (DIET, TED) one message at a time: one thread each way is as fast and
# leaves the other core to the action server (make loadtest: a single candidate's turns ~10% quicker). Overridable.
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
# Rasa would otherwise try to send usage data to a host this machine cannot reach.
export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
# Rasa 3.6 uses SQLAlchemy 1.4 APIs that 2.0 drops; we cannot act on the warning about it, so keep it out of the logs.
export SQLALCHEMY_SILENCE_UBER_WARNING="${SQLALCHEMY_SILENCE_UBER_WARNING:-1}"

say() { printf '%s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# A path as the user should read it: relative to the repository when it is inside it.
shown() { printf '%s\n' "${1#"$ROOT"/}"; }

# Where conversations are kept, as the user should read it: the SQLite file, or the database URL without its password.
shown_database() {
    if [[ "$DATABASE_URL" == sqlite:///* ]]; then
        shown "${DATABASE_URL#sqlite:///}"
    else
        printf '%s\n' "$DATABASE_URL" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'
    fi
}

# Run a long step with everything it prints going to a log file, not to the console, where other libraries' warnings
# and progress bars would bury our own lines. Every PROGRESS_SECONDS the console gets one line saying the step is still
# running, what it is at (the last line of the log that the sed script `status` turns into a phrase) and for how long.
# On failure the end of the log is shown. Usage: run_logged <log> <what it does> <status sed script> <command...>
run_logged() {
    local log="$1" what="$2" status_sed="$3" parent=$BASHPID started=$SECONDS status=0 heartbeat
    shift 3
    mkdir -p "$(dirname "$log")"
    : >"$log"
    # The command runs in the foreground, so Ctrl-C reaches it; the heartbeat stops with the command or this shell.
    (
        next=$((SECONDS + PROGRESS_SECONDS))
        while sleep 1 && kill -0 "$parent" 2>/dev/null; do
            if ((SECONDS >= next)); then
                at="$(tr '\r' '\n' <"$log" | sed -n "$status_sed" | tail -n 1 | cut -c1-70)"
                say "  ... $what${at:+: $at}, $((SECONDS - started))s so far (log: $(shown "$log"))"
                next=$((SECONDS + PROGRESS_SECONDS))
            fi
        done
    ) &
    heartbeat=$!
    "$@" >>"$log" 2>&1 || status=$?
    kill "$heartbeat" 2>/dev/null || true
    wait "$heartbeat" 2>/dev/null || true
    if ((status != 0)); then
        say "$what failed (exit status $status). Last lines of $(shown "$log"):"
        tail -n 30 "$log" >&2
    fi
    return "$status"
}

# The Python minor version each environment is built with (Rasa 3.6 needs 3.10; the action server uses 3.11).
python_version_for() {
    case "$1" in
        rasa) echo 3.10 ;;
        actions | lint) echo 3.11 ;;
        *) die "unknown environment '$1' (expected rasa, actions or lint)" ;;
    esac
}

# Print the path of a working python<version> with venv support, or fail saying how to get one. A pyenv shim named
# python3.10 can be on PATH and still fail when that version is not selected, so each candidate is run, not trusted.
find_python() {
    local version="$1" candidate
    local -a candidates=()
    if command -v "python$version" >/dev/null; then
        candidates+=("$(command -v "python$version")")
    fi
    # pyenv's own builds of that version, newest first.
    local -a pyenv_pythons=()
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version"; do
        if [[ -x "$candidate" ]]; then
            pyenv_pythons+=("$candidate")
        fi
    done
    if ((${#pyenv_pythons[@]})); then
        mapfile -t -O "${#candidates[@]}" candidates < <(printf '%s\n' "${pyenv_pythons[@]}" | sort -V -r)
    fi
    for candidate in "${candidates[@]}"; do
        if "$candidate" -c "import sys, ensurepip; assert sys.version_info[:2] == tuple(map(int, '$version'.split('.')))" \
            >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    die "no working Python $version found (tried: ${candidates[*]:-python$version on PATH}).
  Install it with one of:
    pyenv install $version                       (https://github.com/pyenv/pyenv)
    apt-get install python$version python$version-venv   (Debian/Ubuntu; on Ubuntu via the deadsnakes PPA)"
}

# pip's output goes to LOG_DIR/install-<venv>.log; the console gets a line every PROGRESS_SECONDS with the package
# pip is at.
pip_install() {
    local venv="$1"
    shift
    run_logged "$LOG_DIR/install-$(basename "$venv").log" "installing into $(shown "$venv")" \
        's/^Collecting \([^ ]*\).*/collecting \1/p; s/^Installing collected packages.*/unpacking the collected packages/p' \
        "$venv/bin/python" -m pip install --progress-bar off "$@"
}

# Install a requirements or lock file into a venv. A pinned torch goes in first and on its own: with it installed,
# nothing else can pull in a different (CUDA) build.
install_requirements() {
    local venv="$1" requirements="$2" torch_pin
    torch_pin="$(sed -n 's/^\(torch==[^ ;#]*\).*/\1/p' "$requirements")"
    # Explicit returns: this runs on the left of `||`, where `set -e` does not apply.
    if [[ -n "$torch_pin" ]]; then
        pip_install "$venv" "$torch_pin" || return 1
    fi
    pip_install "$venv" -r "$requirements" || return 1
}

pip_check() {
    local name="$1"
    "$ROOT/.venv/$name/bin/python" -m pip check >&2 || die "pip check found conflicts in .venv/$name (see above)"
}

# Create .venv/<name> from requirements/<name>.lock, or reuse it when it was built from the same lock file. The stamp
# holding the lock's hash is written last, so an interrupted install is redone from scratch next time.
# Sets VENV_BUILT=1 when it had to build the environment.
ensure_venv() {
    local name="$1"
    local venv="$ROOT/.venv/$name" lock="$ROOT/requirements/$name.lock"
    local stamp="$venv/.installed-lock-sha256" lock_hash python started=$SECONDS
    [[ -f "$lock" ]] || die "$lock is missing; 'make lock' writes it"
    lock_hash="$(sha256sum "$lock" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(<"$stamp")" == "$lock_hash" ]] && "$venv/bin/python" -c '' 2>/dev/null; then
        # Said once per run, not again by each script it calls (run.sh, then train_if_changed.sh).
        if [[ " ${CX_VENVS_CHECKED:-} " != *" $name "* ]]; then
            say "Using .venv/$name (requirements/$name.lock unchanged)"
            export CX_VENVS_CHECKED="${CX_VENVS_CHECKED:-} $name"
        fi
        return 0
    fi
    python="$(find_python "$(python_version_for "$name")")"
    say "Building .venv/$name with $python from requirements/$name.lock (takes a few minutes; log: $(shown "$LOG_DIR")/install-$name.log)"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    install_requirements "$venv" "$lock" || die "installing requirements/$name.lock into .venv/$name failed (see above)"
    pip_check "$name"
    echo "$lock_hash" >"$stamp"
    VENV_BUILT=1
    say "Built .venv/$name in $((SECONDS - started))s"
}

# The browser tests drive Debian's Chromium through Playwright; Playwright's own browser download needs an internet
# connection CI does not have, so the system package is installed instead (as root, as CI runs).
ensure_chromium() {
    if [[ -x "$CHROMIUM_PATH" ]]; then
        say "Using $CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null | head -n 1))"
        return 0
    fi
    [[ "$CHROMIUM_PATH" == /usr/bin/chromium ]] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable browser"
    if ((EUID != 0)); then
        die "Chromium is missing (the browser tests need /usr/bin/chromium). Install it with:
    sudo apt-get update && sudo apt-get install -y chromium"
    fi
    command -v apt-get >/dev/null || die "Chromium is missing and there is no apt-get: install Chromium and set CHROMIUM_PATH"
    say "Installing Chromium with apt-get (for the browser tests)"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
    [[ -x "$CHROMIUM_PATH" ]] || die "apt-get install chromium finished but $CHROMIUM_PATH is missing"
}

# PostgreSQL's server programs, for the tests that run the progress database on a real PostgreSQL
# (tests/test_bootcamp.py starts a throwaway server with harness/postgres.py; nothing runs as a service). Debian's
# package, installed with apt-get as root like Chromium.
ensure_postgresql() {
    local found
    found="$(compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | head -n 1 || true)"
    if [[ -n "$found" ]]; then
        say "Using PostgreSQL's server programs in $(dirname "$found") ($("$found" --version))"
        return 0
    fi
    if ((EUID != 0)); then
        die "PostgreSQL is missing (a test runs the progress database on it). Install it with:
    sudo apt-get update && sudo apt-get install -y postgresql"
    fi
    command -v apt-get >/dev/null || die "PostgreSQL is missing and there is no apt-get: install PostgreSQL's server"
    say "Installing PostgreSQL with apt-get (for the progress database's tests)"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || die "apt-get install postgresql finished but pg_ctl is missing"
}

# make cluster's servers from Debian's packages: PostgreSQL, Redis, nginx. Installed with apt-get when missing (as
# root; otherwise the command to run is printed).
ensure_cluster_packages() {
    local -a missing=()
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || missing+=(nginx)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    if ((EUID != 0)); then
        die "make cluster needs ${missing[*]}. Install them with:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    fi
    command -v apt-get >/dev/null || die "make cluster needs ${missing[*]}, and there is no apt-get to install them"
    say "Installing ${missing[*]} with apt-get (for make cluster)"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

# What make cluster and make test-cluster need before they start: the packages, the venvs, and the model, whose path
# goes to CLUSTER_MODEL (RASA_MODEL if set, else trained when missing).
prepare_cluster() {
    ensure_cluster_packages
    ensure_venv rasa
    ensure_venv actions
    CLUSTER_MODEL="${RASA_MODEL:-$("$ROOT/scripts/train_if_changed.sh")}"
}

# node_modules/ from package-lock.json (npm ci), reused while the lock file is unchanged, like the venvs.
ensure_node_modules() {
    command -v node >/dev/null && command -v npm >/dev/null ||
        die "Node.js 20 or later with npm is needed for the browser tests (https://nodejs.org, or apt-get install nodejs npm)"
    local stamp="$ROOT/node_modules/.installed-lock-sha256" lock_hash
    lock_hash="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(<"$stamp")" == "$lock_hash" ]]; then
        say "Using node_modules/ (package-lock.json unchanged)"
        return 0
    fi
    say "Installing node_modules/ from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund >&2 || die "npm ci failed (see above)"
    echo "$lock_hash" >"$stamp"
}

# The model is named by a hash of everything that shapes it: config, domain, training data (paths and contents, so a
# rename counts) and the Rasa lock file (a model trained by one Rasa version may not load in another).
model_fingerprint() {
    local required
    for required in config.yml domain.yml data; do
        [[ -e "$required" ]] || die "$required is missing: nothing to train on"
    done
    { printf '%s\n' config.yml domain.yml requirements/rasa.lock; find data -type f ! -name '.*'; } |
        LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -d' ' -f1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
    local port="$1" variable="$2"
    if port_in_use "$port"; then
        die "port $port is already in use (another 'make run'?). Stop that, or pick another: make run $variable=<port>"
    fi
}

# Poll a health URL until it answers 2xx. Fail, with the end of the server's log, if the server exits first or the
# deadline passes.
wait_until_healthy() {
    local name="$1" url="$2" pid="$3" log="$4"
    local started=$SECONDS
    local next=$((SECONDS + PROGRESS_SECONDS))
    say "Waiting for the $name to answer $url (up to ${SERVER_START_TIMEOUT}s)"
    until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "The $name exited before it became healthy. Last lines of $log:"
            tail -n 40 "$log" >&2
            exit 1
        fi
        if ((SECONDS - started >= SERVER_START_TIMEOUT)); then
            say "The $name did not become healthy within ${SERVER_START_TIMEOUT}s. Last lines of $log:"
            tail -n 40 "$log" >&2
            exit 1
        fi
        if ((SECONDS >= next)); then
            say "  ... still waiting for the $name, $((SECONDS - started))s so far (log: $(shown "$log"))"
            next=$((SECONDS + PROGRESS_SECONDS))
        fi
        sleep 1
    done
    say "The $name is up after $((SECONDS - started))s"
}

# Copy a server's log to the terminal as it grows, each line prefixed, leaving out Python warnings: the libraries
# under Rasa print two screens of deprecation warnings at start-up that nobody running the bot can act on. They stay
# in the log file. Stops by itself when the server exits.
echo_log() {
    local pid="$1" log="$2" prefix="$3"
    tail --pid="$pid" -n +1 -F "$log" 2>/dev/null | without_python_warnings | sed -u "s/^/[$prefix] /" >&2 &
}

# Filter out Python warning records: "file.py:12: SomeWarning: message", the message's further lines, and the source
# line Python shows indented after it. A record ends with that indented line, or where a timestamped log line or the
# next warning begins. Rasa colours its own warnings; the colour codes are dropped with them.
without_python_warnings() {
    local line in_warning=0
    local warning_start='^[^ ]+:[0-9]+: [A-Za-z]*Warning: ' log_start='^[0-9]{4}-[0-9]{2}-[0-9]{2} '
    # sed -u and read pass each line on as it comes (awk would wait for a full buffer).
    sed -u 's/\x1b\[[0-9;]*m//g' | while IFS= read -r line; do
        if [[ $line =~ $warning_start ]]; then
            in_warning=1
            continue
        fi
        if ((in_warning)); then
            if [[ $line == "  "* ]]; then
                in_warning=0
                continue
            fi
            [[ $line =~ $log_start ]] || continue
            in_warning=0
        fi
        printf '%s\n' "$line"
    done
}

# Start a server in the background, logging to a file (and to the terminal unless ECHO_LOGS=0). Sets SERVER_PID.
# setsid gives the server a process group of its own: stop_server can then reach the worker processes Sanic forks
# (they would keep the port if only the parent died), and Ctrl-C reaches only the calling script, which stops the
# servers in order.
start_server() {
    local log="$1" prefix="$2"
    shift 2
    # Emptied, then appended to: a supervised server (supervise.sh) and its supervisor write to it both.
    : >"$log"
    setsid "$@" </dev/null >>"$log" 2>&1 &
    SERVER_PID=$!
    if [[ "${ECHO_LOGS:-1}" == 1 ]]; then
        echo_log "$SERVER_PID" "$log" "$prefix"
    fi
}

# Start the action server on 127.0.0.1:$ACTION_PORT under scripts/supervise.sh, which starts it again (after a
# back-off) if it crashes, logging to RUN_LOG_DIR/actions.log, and wait until it is healthy. Sets ACTIONS_PID (the
# supervisor's).
start_action_server() {
    local log="$RUN_LOG_DIR/actions.log" health="http://127.0.0.1:$ACTION_PORT/health"
    require_free_port "$ACTION_PORT" ACTION_PORT
    say "Starting the action server on port $ACTION_PORT (log: $(shown "$log"); loading the embedding model takes up to a minute)"
    # actions/server.py serves rasa-sdk's app in one process, bound to 127.0.0.1 (see its docstring for why).
    start_server "$log" actions "$ROOT/scripts/supervise.sh" "action server" "$health" \
        "$ACTIONS_VENV/bin/python" -m actions.server --port "$ACTION_PORT"
    ACTIONS_PID=$SERVER_PID
    wait_until_healthy "action server" "$health" "$ACTIONS_PID" "$log"
}

# The servers' logs of one instance of the bot go to a folder of their own, named after its Rasa port (which no two
# running instances can share), so that two instances in one checkout never truncate each other's logs. The folder
# stays locked while the instance runs. Sets RUN_LOG_DIR.
claim_run_log_dir() {
    RUN_LOG_DIR="$LOG_DIR/port-$RASA_PORT"
    mkdir -p "$RUN_LOG_DIR"
    exec {RUN_LOG_LOCK}>"$RUN_LOG_DIR/.lock"
    flock -n "$RUN_LOG_LOCK" ||
        die "another instance of the bot is using RASA_PORT=$RASA_PORT (logs in $(shown "$RUN_LOG_DIR")). Stop it, or pick another port: make run RASA_PORT=<port> ACTION_PORT=<port> WEB_PORT=<port>"
}

# Ask a server started by start_server to stop (SIGTERM to its process group), give it 15 s, then kill what is left
# of the group, and report how the server ended.
stop_server() {
    local pid="$1" name="$2" status=0
    [[ -n "$pid" ]] || return 0
    if kill -TERM -- "-$pid" 2>/dev/null; then
        say "Stopping the $name (pid $pid)"
        for _ in $(seq 30); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -KILL -- "-$pid" 2>/dev/null; then
            say "The $name did not stop within 15s; killed it"
        fi
    fi
    wait "$pid" 2>/dev/null || status=$?
    say "The $name stopped (exit status $status)"
}
