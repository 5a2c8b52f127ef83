# Process supervision for scripts/run: restart a command whenever it exits, stop it on request.
# Sourced, not run. RESTART_DELAY and STOP_TIMEOUT (seconds) may be set before sourcing.

RESTART_DELAY="${RESTART_DELAY:-2}"
STOP_TIMEOUT="${STOP_TIMEOUT:-10}"

# stop PID: SIGTERM, then SIGKILL if it is still there after STOP_TIMEOUT seconds.
stop() {
  local pid="$1" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((STOP_TIMEOUT * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# supervise NAME COMMAND...: run COMMAND, start it again whenever it exits, until sent SIGTERM.
supervise() {
  local name="$1" child="" code
  shift
  # INT too: Ctrl-C reaches the whole process group, and a supervisor killed by it would orphan its command.
  trap '[ -z "$child" ] || stop "$child"; exit 0' TERM INT
  while true; do
    "$@" &
    child=$!
    code=0
    wait "$child" || code=$?
    echo "==> The $name stopped (exit code $code); starting it again in $RESTART_DELAY s" >&2
    sleep "$RESTART_DELAY" & wait $!
  done
}
