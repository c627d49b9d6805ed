# Shared helpers for test/servers/*.sh (sourced, not executed).
# shellcheck shell=bash

REGISTRY_CACHE_DIR="${REGISTRY_CACHE_DIR:-$HOME/.cache/lanzhou-registry}"

log() { echo "[$SERVER_NAME] $*" >&2; }
die() { echo "[$SERVER_NAME] ERROR: $*" >&2; exit 1; }

require_cmd() { # require_cmd CMD "what it is needed for / how to install"
  command -v "$1" >/dev/null 2>&1 || die "'$1' is missing from PATH: $2"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pick a free loopback port (random in 20000-59999, checked by a connect attempt).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! port_in_use "$p"; then echo "$p"; return 0; fi
  done
  die "could not find a free loopback port"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# stop_pid PIDFILE NAME: TERM, wait up to 30 s, then KILL.
stop_pid() {
  local pidfile="$1" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
    if pid_alive "$pid"; then
      log "pid $pid did not exit after 30 s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$pidfile"
}
