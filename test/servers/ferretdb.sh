#!/usr/bin/env bash
# Start/stop FerretDB 1.24.x (MongoDB wire protocol, SQLite backend) on loopback.
# Built once from the Go module proxy into the cache.
#
#   test/servers/ferretdb.sh start [RUN_DIR]   -> prints MONGODB_URL=mongodb://127.0.0.1:<port>/
#   test/servers/ferretdb.sh stop  [RUN_DIR]
#   test/servers/ferretdb.sh build             -> only build the binary into the cache
#
# Env: REGISTRY_CACHE_DIR (default ~/.cache/lanzhou-registry), FERRETDB_PORT (default: a free
# random port), FERRETDB_START_TIMEOUT (seconds, default 60).
set -euo pipefail
SERVER_NAME=ferretdb
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

FERRETDB_VERSION=v1.24.2
RUN_DIR="${2:-$REGISTRY_CACHE_DIR/run/ferretdb}"
BIN="$REGISTRY_CACHE_DIR/ferretdb-$FERRETDB_VERSION/bin/ferretdb"

build() {
  if [ -x "$BIN" ]; then return 0; fi
  require_cmd go "Go 1.22+ is needed once to build FerretDB $FERRETDB_VERSION from the Go module proxy (https://go.dev/dl or apt-get install golang)"
  log "building github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION (once; takes a few minutes)"
  mkdir -p "$(dirname "$BIN")"
  GOBIN="$(dirname "$BIN")" GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
    go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION" >&2 \
    || die "go install of FerretDB $FERRETDB_VERSION failed"
  [ -x "$BIN" ] || die "go install finished but $BIN is missing"
}

start() {
  build
  local port dport pid deadline
  if [ -f "$RUN_DIR/ferretdb.pid" ] && pid_alive "$(cat "$RUN_DIR/ferretdb.pid")"; then
    die "FerretDB is already running from $RUN_DIR (pid $(cat "$RUN_DIR/ferretdb.pid")); run: $0 stop $RUN_DIR"
  fi
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
  local data; data="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-data.XXXXXX")"
  echo "$data" >"$RUN_DIR/data-dir"
  mkdir -p "$data/sqlite" "$data/state"
  port="${FERRETDB_PORT:-$(free_port)}"
  dport="$(free_port)"
  while [ "$dport" = "$port" ]; do dport="$(free_port)"; done

  setsid nohup "$BIN" \
    --handler=sqlite \
    --sqlite-url="file:$data/sqlite/" \
    --state-dir="$data/state" \
    --listen-addr="127.0.0.1:$port" \
    --debug-addr="127.0.0.1:$dport" \
    --telemetry=disable \
    --log-level=warn \
    >"$RUN_DIR/ferretdb.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN_DIR/ferretdb.pid"
  echo "$port" >"$RUN_DIR/port"

  deadline=$((SECONDS + ${FERRETDB_START_TIMEOUT:-60}))
  until port_in_use "$port"; do
    if ! pid_alive "$pid"; then
      tail -n 40 "$RUN_DIR/ferretdb.log" >&2 || true
      rm -f "$RUN_DIR/ferretdb.pid"; rm -rf "$data"
      die "FerretDB exited during start-up (log: $RUN_DIR/ferretdb.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$RUN_DIR/ferretdb.log" >&2 || true
      stop_pid "$RUN_DIR/ferretdb.pid"; rm -rf "$data"
      die "FerretDB not listening after ${FERRETDB_START_TIMEOUT:-60}s (log: $RUN_DIR/ferretdb.log)"
    fi
    sleep 0.2
  done
  log "FerretDB $FERRETDB_VERSION ready on 127.0.0.1:$port (pid $pid, run dir $RUN_DIR)"
  echo "MONGODB_URL=mongodb://127.0.0.1:$port/"
}

stop() {
  stop_pid "$RUN_DIR/ferretdb.pid"
  if [ -f "$RUN_DIR/data-dir" ]; then rm -rf "$(cat "$RUN_DIR/data-dir")"; fi
  rm -rf "$RUN_DIR"
  log "stopped (run dir $RUN_DIR removed)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  build) build && log "binary cached at $BIN" ;;
  *) echo "usage: $0 start|stop|build [RUN_DIR]" >&2; exit 2 ;;
esac
