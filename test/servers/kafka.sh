#!/usr/bin/env bash
# Start/stop a single-node Apache Kafka 3.9.x broker (KRaft combined mode) on loopback,
# from Maven Central jars run on Java 17.
#
#   test/servers/kafka.sh start [RUN_DIR]   -> prints KAFKA_BROKERS=127.0.0.1:<port>
#   test/servers/kafka.sh stop  [RUN_DIR]
#   test/servers/kafka.sh fetch             -> only resolve the jars into the cache
#
# Env: REGISTRY_CACHE_DIR (default ~/.cache/lanzhou-registry), KAFKA_VERSION (default: try
# 3.9.1 then 3.9.0), KAFKA_PORT / KAFKA_CONTROLLER_PORT (default: free random ports below the
# ephemeral range, see lib.sh port_range), KAFKA_START_TIMEOUT (seconds, default 120), KAFKA_HEAP
# (default -Xmx512m), REGISTRY_START_ATTEMPTS (default 3; a failed start is retried on new ports).
set -euo pipefail
SERVER_NAME=kafka
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

KAFKA_VERSIONS="${KAFKA_VERSION:-3.9.1 3.9.0}"
SCALA_VERSION=2.13
SLF4J_VERSION=1.7.36           # the slf4j line Kafka 3.9 is built against
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
RUN_DIR="${2:-$REGISTRY_CACHE_DIR/run/kafka}"

# Resolve kafka_2.13:<v> + runtime deps + a log4j binding into $REGISTRY_CACHE_DIR/kafka-<v>/libs.
# Prints the libs dir.
fetch() {
  local v dir
  for v in $KAFKA_VERSIONS; do
    dir="$REGISTRY_CACHE_DIR/kafka-$v"
    if [ -f "$dir/libs/.complete" ]; then echo "$dir/libs"; return 0; fi
  done
  require_cmd mvn "Apache Maven 3.8+ is needed once to download the Kafka jars from Maven Central (apt-get install maven)"
  require_cmd java "a Java 17+ runtime is needed to run Kafka (apt-get install openjdk-17-jre-headless)"
  for v in $KAFKA_VERSIONS; do
    dir="$REGISTRY_CACHE_DIR/kafka-$v"
    mkdir -p "$dir"
    cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lanzhou.registry.test</groupId>
  <artifactId>kafka-server-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_VERSION</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
    log "resolving org.apache.kafka:kafka_$SCALA_VERSION:$v and its runtime dependencies from Maven Central (once)"
    rm -rf "$dir/libs.tmp"
    if mvn -q -B -f "$dir/pom.xml" -Dmaven.repo.local="$REGISTRY_CACHE_DIR/m2" \
        "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$dir/libs.tmp" >"$dir/mvn.log" 2>&1; then
      rm -rf "$dir/libs" && mv "$dir/libs.tmp" "$dir/libs"
      echo "$v" >"$dir/libs/.complete"
      echo "$dir/libs"
      return 0
    fi
    log "could not resolve Kafka $v (see $dir/mvn.log):"; tail -n 5 "$dir/mvn.log" >&2 || true
  done
  die "no Kafka version of [$KAFKA_VERSIONS] could be resolved from Maven Central"
}

start() {
  require_cmd java "a Java 17+ runtime is needed to run Kafka (apt-get install openjdk-17-jre-headless)"
  KAFKA_LIBS="$(fetch)"
  if [ -f "$RUN_DIR/kafka.pid" ] && pid_alive "$(cat "$RUN_DIR/kafka.pid")"; then
    die "a broker is already running from $RUN_DIR (pid $(cat "$RUN_DIR/kafka.pid")); run: $0 stop $RUN_DIR"
  fi
  rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
  FIXED_PORTS="${KAFKA_PORT:-}${KAFKA_CONTROLLER_PORT:-}"
  start_with_retries start_once "$RUN_DIR/kafka.log"
  log "Kafka $(cat "$KAFKA_LIBS/.complete") ready on 127.0.0.1:$(cat "$RUN_DIR/port") (pid $(cat "$RUN_DIR/kafka.pid"), run dir $RUN_DIR)"
  echo "KAFKA_BROKERS=127.0.0.1:$(cat "$RUN_DIR/port")"
}

# One start on fresh ports and a freshly formatted data dir; on failure it leaves nothing running,
# sets START_FAILURE and returns 1 (errexit does not hold here: start_with_retries calls it in a test).
start_once() {
  local libs="$KAFKA_LIBS" ports port cport uuid pid deadline data
  ports="$(free_ports 2)" || { START_FAILURE="no free ports"; return 1; }
  read -r port cport <<<"$ports"
  port="${KAFKA_PORT:-$port}"
  cport="${KAFKA_CONTROLLER_PORT:-$cport}"
  if [ "$cport" = "$port" ]; then START_FAILURE="controller port = client port $port"; return 1; fi
  data="$(mktemp -d "${TMPDIR:-/tmp}/kafka-data.XXXXXX")" || { START_FAILURE="no data dir"; return 1; }
  echo "$data" >"$RUN_DIR/data-dir"
  : >"$RUN_DIR/kafka.log"

  cat >"$RUN_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  cat >"$RUN_DIR/log4j.properties" <<'L4J'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
L4J
  local jopts=(-cp "$libs/*" -Dlog4j.configuration="file:$RUN_DIR/log4j.properties")
  uuid="$(java "${jopts[@]}" kafka.tools.StorageTool random-uuid 2>>"$RUN_DIR/format.log" | tail -n 1)"
  if [ -z "$uuid" ] || ! java "${jopts[@]}" kafka.tools.StorageTool format -t "$uuid" -c "$RUN_DIR/server.properties" >>"$RUN_DIR/format.log" 2>&1; then
    cat "$RUN_DIR/format.log" >>"$RUN_DIR/kafka.log"
    START_FAILURE="StorageTool could not format $data"
    rm -rf "$data"
    return 1
  fi

  setsid nohup java ${KAFKA_HEAP:--Xms256m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
    "${jopts[@]}" kafka.Kafka "$RUN_DIR/server.properties" >"$RUN_DIR/kafka.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$RUN_DIR/kafka.pid"
  echo "$port" >"$RUN_DIR/port"

  # Ready when this broker listens on the client port (not another process that took it) and
  # says it has started.
  deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until owns_listener "$port" "$pid" && grep -q "Kafka Server started" "$RUN_DIR/kafka.log"; do
    if ! pid_alive "$pid"; then
      START_FAILURE="broker exited during start-up on ports $port/$cport"
      rm -f "$RUN_DIR/kafka.pid"; rm -rf "$data"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      START_FAILURE="broker not ready on $port after ${KAFKA_START_TIMEOUT:-120}s"
      stop_pid "$RUN_DIR/kafka.pid"; rm -rf "$data"
      return 1
    fi
    sleep 0.3
  done
}

stop() {
  stop_pid "$RUN_DIR/kafka.pid"
  if [ -f "$RUN_DIR/data-dir" ]; then rm -rf "$(cat "$RUN_DIR/data-dir")"; fi
  rm -rf "$RUN_DIR"
  log "stopped (run dir $RUN_DIR removed)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  fetch) fetch >/dev/null && log "jars cached under $REGISTRY_CACHE_DIR" ;;
  *) echo "usage: $0 start|stop|fetch [RUN_DIR]" >&2; exit 2 ;;
esac
