# Shared helpers for test/servers/*.sh (sourced, not executed).
# shellcheck shell=bash

REGISTRY_CACHE_DIR="${REGISTRY_CACHE_DIR:-$HOME/.cache/lanzhou-registry}"

log() { echo "[$SERVER_NAME] $*" >&2; }
die() { echo "[$SERVER_NAME] ERROR: $*" >&2; exit 1; }

require_cmd() { # require_cmd CMD "what it is needed for / how to install"
  command -v "$1" >/dev/null 2>&1 || die "'$1' is missing from PATH: $2"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Where test servers take their ports from: "LO HI". REGISTRY_PORT_RANGE="LO-HI" chooses; the default
# lies below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 on
# Linux), from 10000 up: the kernel gives ephemeral ports to outgoing connections (a Kafka client's,
# say), and such a port refuses a listener's bind although nothing answers a connect there.
port_range() {
  local elo=32768 ehi=60999
  if [ -n "${REGISTRY_PORT_RANGE:-}" ]; then
    [[ "$REGISTRY_PORT_RANGE" =~ ^([0-9]+)-([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 1024 ] \
      && [ "${BASH_REMATCH[2]}" -le 65535 ] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] \
      || die "REGISTRY_PORT_RANGE='$REGISTRY_PORT_RANGE' is not LO-HI within 1024-65535"
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"; return 0
  fi
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then read -r elo ehi </proc/sys/net/ipv4/ip_local_port_range; fi
  if [ $((elo - 1)) -ge 11000 ]; then echo "10000 $((elo - 1 < 32767 ? elo - 1 : 32767))"
  elif [ $((65535 - ehi)) -ge 1000 ]; then echo "$((ehi + 1)) 65535"
  else die "the ephemeral port range $elo-$ehi leaves no room for test servers; set REGISTRY_PORT_RANGE=LO-HI"
  fi
}

# free_ports N: N distinct loopback ports of port_range, each bound (127.0.0.1) and released just now.
# Binding is the test a server's listen will face; a connect probe misses ports held by outgoing
# connections. Another process may still take a port before the server binds it: the scripts retry
# a failed start on new ports (start_with_retries).
free_ports() {
  local n="${1:-1}" range lo hi
  range="$(port_range)" || exit 1
  read -r lo hi <<<"$range"
  node -e '
    const net = require("node:net");
    const [n, lo, hi] = process.argv.slice(1).map(Number);
    const picked = new Set();
    let tries = 0;
    const next = () => {
      if (picked.size === n) return console.log([...picked].join(" "));
      if (++tries > 500) { console.error(`no ${n} free loopback ports in ${lo}-${hi}`); process.exit(1); }
      const port = lo + Math.floor(Math.random() * (hi - lo + 1));
      if (picked.has(port)) return next();
      const server = net.createServer();
      server.once("error", next);
      server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => (picked.add(port), next())));
    };
    next();' "$n" "$lo" "$hi" || die "could not find $n free loopback ports in $lo-$hi"
}

free_port() { free_ports 1; }

# owns_listener PORT PID: PID itself listens on PORT (not some other process that took the port).
owns_listener() {
  local hex inode
  hex="$(printf '%04X' "$1")"
  for inode in $(awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    if ls -l "/proc/$2/fd" 2>/dev/null | grep -q "socket:\[$inode\]"; then return 0; fi
  done
  return 1
}

# start_with_retries FN LOG: runs FN (one start attempt on fresh ports and data, which returns
# non-zero after cleaning up when the server did not come up) up to REGISTRY_START_ATTEMPTS times
# (default 3; once when the ports are given). Each failure is logged with the last lines of LOG
# (kept as LOG.attempt-N); the last one with 40 lines, then the script fails.
start_with_retries() {
  local fn="$1" logfile="$2" attempts="${REGISTRY_START_ATTEMPTS:-3}" attempt
  if [ -n "${FIXED_PORTS:-}" ]; then attempts=1; fi
  for attempt in $(seq 1 "$attempts"); do
    if "$fn"; then return 0; fi
    [ -f "$logfile" ] && cp "$logfile" "$logfile.attempt-$attempt"
    if [ "$attempt" -lt "$attempts" ]; then
      log "start attempt $attempt of $attempts failed ($START_FAILURE); its log ends:"
      tail -n 5 "$logfile" >&2 2>/dev/null || true
      log "retrying on new ports with fresh data"
    else
      log "start attempt $attempt of $attempts failed ($START_FAILURE); its log ($logfile.attempt-$attempt) ends:"
      tail -n 40 "$logfile" >&2 2>/dev/null || true
      die "$START_FAILURE, $attempts attempts"
    fi
  done
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
