#!/usr/bin/env bash
# Start/stop FerretDB 1.24.x (MongoDB wire protocol, SQLite backend) on loopback.
# Built once from the Go module proxy into the cache.
#
#   test/servers/ferretdb.sh start [RUN_DIR]   -> prints MONGODB_URL=mongodb://127.0.0.1:<port>/
#   test/servers/ferretdb.sh stop  [RUN_DIR]
#   test/servers/ferretdb.sh build             -> only build the binary into the cache
#
# Env: REGISTRY_CACHE_DIR (default ~/.cache/lanzhou-registry), FERRETDB_PORT (default: a free
# random port below the ephemeral range, see lib.sh port_range), FERRETDB_START_TIMEOUT (seconds,
# default 60), REGISTRY_START_ATTEMPTS (default 3; a failed start is retried on new ports).
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
  # A plain `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start-up
  # ("Invalid build/version/version.txt file content"): the module as published lacks the
  # generated build/version/version.txt. So: download the module through the Go module proxy,
  # copy its source, write version.txt, and build from there.
  local root src moddir
  root="$(dirname "$(dirname "$BIN")")"
  src="$root/src"
  moddir="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$moddir" ] && [ -d "$moddir" ] || die "go mod download of github.com/FerretDB/FerretDB@$FERRETDB_VERSION failed"
  rm -rf "$src" && mkdir -p "$root" && cp -R "$moddir" "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  echo "lanzhou-registry-test" >"$src/build/version/package.txt"
  mkdir -p "$(dirname "$BIN")"
  (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb) >&2 \
    || die "go build of FerretDB $FERRETDB_VERSION failed"
  mv "$BIN.tmp" "$BIN"
  rm -rf "$src"
}

start() {
  build
  if [ -f "$RUN_DIR/ferretdb.pid" ] && pid_alive "$(cat "$RUN_DIR/ferretdb.pid")"; then
    die "FerretDB is already running from $RUN_DIR (pid $(cat "$RUN_DIR/ferretdb.pid")); run: $0 stop $RUN_DIR"
  fi
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
  FIXED_PORTS="${FERRETDB_PORT:-}"
  start_with_retries start_once "$RUN_DIR/ferretdb.log"
  log "FerretDB $FERRETDB_VERSION ready on 127.0.0.1:$(cat "$RUN_DIR/port") (pid $(cat "$RUN_DIR/ferretdb.pid"), run dir $RUN_DIR)"
  echo "MONGODB_URL=mongodb://127.0.0.1:$(cat "$RUN_DIR/port")/"
}

# One start on fresh ports and a fresh data dir; on failure it leaves nothing running, sets
# START_FAILURE and returns 1 (errexit does not hold here: start_with_retries calls it in a test).
start_once() {
  local ports port dport pid deadline data
  if [ -n "${FERRETDB_PORT:-}" ]; then
    ports="$FERRETDB_PORT $(free_port)" || { START_FAILURE="no free port"; return 1; }
  else
    ports="$(free_ports 2)" || { START_FAILURE="no free ports"; return 1; }
  fi
  read -r port dport <<<"$ports"
  data="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-data.XXXXXX")" || { START_FAILURE="no data dir"; return 1; }
  echo "$data" >"$RUN_DIR/data-dir"
  mkdir -p "$data/sqlite" "$data/state"

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

  # Ready when this process listens on the port: a connect alone could reach another process that
  # took the port meanwhile (this one then exits on "address already in use").
  deadline=$((SECONDS + ${FERRETDB_START_TIMEOUT:-60}))
  until owns_listener "$port" "$pid"; do
    if ! pid_alive "$pid"; then
      START_FAILURE="FerretDB exited during start-up on ports $port/$dport"
      rm -f "$RUN_DIR/ferretdb.pid"; rm -rf "$data"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      START_FAILURE="FerretDB not listening on $port after ${FERRETDB_START_TIMEOUT:-60}s"
      stop_pid "$RUN_DIR/ferretdb.pid"; rm -rf "$data"
      return 1
    fi
    sleep 0.2
  done
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
