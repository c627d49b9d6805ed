#!/usr/bin/env bash
# Stop and start again a broker that test/servers/kafka.sh started, KEEPING its data (log.dirs),
# ports and settings: the "broker outage" of test/crash/relay-crash.int-spec.ts.
# (kafka.sh start always formats a fresh data dir, so it cannot restart a broker.)
#
#   test/crash/kafka-restart.sh pause  RUN_DIR   TERM the broker (controlled shutdown), keep its data
#   test/crash/kafka-restart.sh resume RUN_DIR   start it again from RUN_DIR/server.properties
#
# test/servers/kafka.sh stop RUN_DIR still stops it and deletes everything afterwards.
set -euo pipefail
SERVER_NAME=kafka-restart
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../servers/lib.sh
. "$HERE/../servers/lib.sh"
RUN_DIR="${2:?usage: $0 pause|resume RUN_DIR}"
[ -f "$RUN_DIR/server.properties" ] || die "no broker was started from $RUN_DIR (no server.properties)"

libs_dir() {
  local v
  for v in ${KAFKA_VERSION:-3.9.1 3.9.0}; do
    if [ -f "$REGISTRY_CACHE_DIR/kafka-$v/libs/.complete" ]; then echo "$REGISTRY_CACHE_DIR/kafka-$v/libs"; return 0; fi
  done
  die "no cached Kafka jars under $REGISTRY_CACHE_DIR (run test/servers/kafka.sh fetch)"
}

pause() {
  [ -f "$RUN_DIR/kafka.pid" ] || die "no running broker in $RUN_DIR"
  stop_pid "$RUN_DIR/kafka.pid"
  log "broker stopped, data kept in $(cat "$RUN_DIR/data-dir")"
}

resume() {
  local libs port pid deadline before
  if [ -f "$RUN_DIR/kafka.pid" ] && pid_alive "$(cat "$RUN_DIR/kafka.pid")"; then die "broker in $RUN_DIR is running"; fi
  libs="$(libs_dir)"
  port="$(cat "$RUN_DIR/port")"
  before="$(grep -c "Kafka Server started" "$RUN_DIR/kafka.log" || true)"
  setsid nohup java ${KAFKA_HEAP:--Xms256m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
    -cp "$libs/*" -Dlog4j.configuration="file:$RUN_DIR/log4j.properties" \
    kafka.Kafka "$RUN_DIR/server.properties" >>"$RUN_DIR/kafka.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN_DIR/kafka.pid"
  deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until owns_listener "$port" "$pid" && [ "$(grep -c "Kafka Server started" "$RUN_DIR/kafka.log" || true)" -gt "$before" ]; do
    if ! pid_alive "$pid"; then tail -n 40 "$RUN_DIR/kafka.log" >&2 || true; die "broker exited during restart"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then tail -n 40 "$RUN_DIR/kafka.log" >&2 || true; die "broker not ready after restart"; fi
    sleep 0.2
  done
  log "broker restarted on 127.0.0.1:$port (pid $pid), same data"
}

case "${1:-}" in
  pause) pause ;;
  resume) resume ;;
  *) echo "usage: $0 pause|resume RUN_DIR" >&2; exit 2 ;;
esac
