#!/usr/bin/env bash
# Start/stop both test servers (Kafka + FerretDB) for a developer shell or CI.
#   npm run servers:start   -> prints KAFKA_BROKERS=... and MONGODB_URL=... (eval-able)
#   npm run servers:stop
# Honour REGISTRY_CACHE_DIR; run dirs default to $REGISTRY_CACHE_DIR/run/{kafka,ferretdb}.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  start)
    "$HERE/kafka.sh" start
    if ! "$HERE/ferretdb.sh" start; then "$HERE/kafka.sh" stop || true; exit 1; fi
    ;;
  stop)
    rc=0
    "$HERE/ferretdb.sh" stop || rc=1
    "$HERE/kafka.sh" stop || rc=1
    exit $rc
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
