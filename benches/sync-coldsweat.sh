#!/usr/bin/env bash
# Sync benchmark: tidings syncs ITEMS items (default 50,000) from a real
# Coldsweat (Fever API) on loopback, then syncs again with nothing new, then
# after 500 items were read on the server. Prints wall time and peak RSS of
# each (GNU time). Inside a network namespace with only loopback when
# `unshare -n` works (root), else on the host's loopback.
#
#   benches/sync-coldsweat.sh [ITEMS] [FEEDS]
#
# Needs python3 (the virtualenv is made by tests/sync/setup-venv.sh) and
# /usr/bin/time. Builds tidings in release mode.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
items="${1:-50000}"
feeds="${2:-20}"

if [ -z "${TIDINGS_BENCH_INSIDE:-}" ]; then
  bash "$root/tests/sync/setup-venv.sh"
  (cd "$root" && cargo build --release --quiet)
  if unshare -n true 2>/dev/null; then
    exec unshare -n env TIDINGS_BENCH_INSIDE=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$items" "$feeds"
  fi
  export TIDINGS_BENCH_INSIDE=1
fi

py="$root/target/coldsweat-venv/bin/python"
launcher="$root/tests/sync/launcher.py"
tidings="$root/target/release/tidings"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export FLASK_DATABASE_URL="sqlite:///$work/coldsweat.db"
email="bench@example.com"
password="bench password 1234"
port=18766

cd "$work"
"$py" "$launcher" setup "$email" -p "$password" >/dev/null
"$py" "$root/benches/sync/populate.py" "$email" "$items" "$feeds"
"$py" "$launcher" run -h 127.0.0.1 -p "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/fever/?api" 2>/dev/null && break
  sleep 0.1
done
cat >"$work/config.toml" <<EOT
[poller]
timeout = "60s"

[sync]
kind = "fever"
url = "http://127.0.0.1:$port/fever/"
user = "$email"
password_command = "printf %s '$password'"
EOT
chmod 600 "$work/config.toml"

run() {
  local label="$1"
  /usr/bin/time -v "$tidings" --config "$work/config.toml" --data-dir "$work/data" sync >"$work/out.txt" 2>"$work/time.txt"
  local wall rss cpu
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  # tidings' own CPU time (the rest of the wall time is the server's).
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$work/time.txt")
  printf '%-28s wall %8s   tidings CPU %6ss   peak RSS %4d MB   %s\n' "$label" "$wall" "$cpu" $((rss / 1024)) "$(tail -1 "$work/out.txt")"
}

run "first sync ($items items)"
run "second sync (nothing new)"
key=$(printf '%s' "$email:$password" | md5sum | cut -d' ' -f1)
for id in $(seq 2 2 1000); do
  curl -s -o /dev/null -d "api_key=$key" -d mark=item -d as=read -d "id=$id" "http://127.0.0.1:$port/fever/?api"
done
run "after 500 reads elsewhere"
"$tidings" --config "$work/config.toml" --data-dir "$work/data" stats | head -2
