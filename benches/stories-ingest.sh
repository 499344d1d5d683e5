#!/usr/bin/env bash
# What story grouping adds to a 100,000-item ingest: the release
# `tidings fetch` stores the 100k archive's feeds (450 × 200 + one
# 10,000-item feed, examples/feedgen.rs on 127.0.0.1) into a fresh data dir
# with `[stories] enabled = false` and `= true`, alternating, RUNS times each.
# Prints wall time, CPU and peak RSS of each run and the stories found.
#
#   bash benches/stories-ingest.sh [OUT] [RUNS]    (defaults: target/stories-ingest, 2)
#
# TIDINGS=path/to/tidings runs another build (e.g. an earlier commit's, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/stories-ingest}"
runs="${2:-2}"
cargo build --release --quiet --bin tidings --example feedgen
tidings="${TIDINGS:-target/release/tidings}"

summary() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { u = $2 } /System time/ { s = $2 }
    /Maximum resident set size/ { r = $2 }
    END { printf "wall %.1f s, CPU %.1f s (user %.1f), peak RSS %d MB", w, u + s, u, r / 1024 }' "$1"
}

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

rm -rf "$out"
mkdir -p "$out"
target/release/examples/feedgen --out "$out" --feeds 450 --items 200 --big 10000 --seed 1 >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q serving "$out/server.log" 2>/dev/null && break; sleep 0.1; done
for enabled in false true; do
  { cat "$out/config.toml"; printf '\n[stories]\nenabled = %s\n' "$enabled"; } >"$out/config-$enabled.toml"
done
for run in $(seq "$runs"); do
  for enabled in false true; do
    d="$out/run$run-$enabled"
    /usr/bin/time -v "$tidings" --config "$out/config-$enabled.toml" --data-dir "$d" fetch \
      >"$d.out" 2>"$d.time" || echo "tidings fetch exited $?"
    db="$d/tidings.db"
    counts=$(sqlite3 "$db" "SELECT COUNT(*) || ' items, ' || COUNT(DISTINCT COALESCE(story, id)) || ' rows, '
      || (SELECT COUNT(*) FROM (SELECT story FROM items WHERE story IS NOT NULL GROUP BY story HAVING COUNT(*) > 1))
      || ' stories of 2 or more' FROM items" 2>/dev/null || echo "?")
    echo "run $run, stories enabled = $enabled: $(summary "$d.time"); $counts"
  done
done
