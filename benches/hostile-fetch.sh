#!/usr/bin/env bash
# Measures `tidings fetch` over the hostile + good loopback feed set of the
# tests (tests/common/hostile.rs): wall time and peak memory, first run and
# second (conditional, Retry-After respecting) run. Loopback only.
#
#   bash benches/hostile-fetch.sh [TIMEOUT] [PER_HOST]     (defaults: 5s, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
timeout="${1:-5s}"
per_host="${2:-32}"
cargo build --release --quiet --bin tidings --example hostile_server
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
target/release/examples/hostile_server "$work/config.toml" "$timeout" --for 300 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q serving "$work/server.log" 2>/dev/null && break; sleep 0.1; done
sed -i "s/^per_host = .*/per_host = $per_host/" "$work/config.toml"
run() {
  local code=0
  /usr/bin/time -v target/release/tidings --config "$work/config.toml" --data-dir "$work/data" fetch \
    >"$work/out.txt" 2>"$work/time.txt" || code=$?
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  echo "$1: exit $code, wall $wall, peak RSS $((rss / 1024)) MB, $(grep -c ': error: ' "$work/out.txt") failed, $(grep -c 'skipped' "$work/out.txt") skipped"
}
echo "feeds: $(grep -c '^\[\[feed\]\]' "$work/config.toml"), timeout $timeout, per_host $per_host"
run "first fetch "
run "second fetch"
