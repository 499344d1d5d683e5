#!/usr/bin/env bash
# Builds benchmark archives of 10k, 100k and 1M items from generated feeds
# (examples/feedgen.rs) served on 127.0.0.1: the release `tidings fetch`
# stores them into a data dir, and (10k, 100k) `newsboat -x reload` builds
# its cache from the same server. Prints wall time, CPU and peak RSS of each.
#
#   bash benches/build-archives.sh [OUT] [SIZES...]    (defaults: target/archives, 10k 100k 1m)
#
# Shapes (the issue's "≈450 feeds × 200 items plus one 10,000-item feed"):
#   10k  =   45 feeds × 200 + one  1,000-item feed
#   100k =  450 feeds × 200 + one 10,000-item feed
#   1m   = 4950 feeds × 200 + one 10,000-item feed
#
# Each OUT/SIZE holds config.toml, urls, newsboat.conf, tidings/ (the data
# dir: open it with `tidings --config OUT/SIZE/config.toml --data-dir
# OUT/SIZE/tidings`), newsboat/cache.db, and the time reports. The config
# points at the server's (now closed) port with a 24 h interval, so a reader
# opened on the archive does not refetch at once.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/archives}"
shift || true
sizes="${*:-10k 100k 1m}"
cargo build --release --quiet --bin tidings --example feedgen

shape() {
  case "$1" in
    10k) echo "45 200 1000" ;;
    100k) echo "450 200 10000" ;;
    1m) echo "4950 200 10000" ;;
    *) echo "unknown size $1 (10k, 100k or 1m)" >&2; exit 2 ;;
  esac
}

# "wall W s, CPU C s (U user + S sys), peak RSS R MB, written G GB" from a
# /usr/bin/time -v report ("File system outputs" counts 512-byte blocks).
summary() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { u = $2 } /System time/ { s = $2 }
    /Maximum resident set size/ { r = $2 } /File system outputs/ { o = $2 }
    END { printf "wall %.1f s, CPU %.1f s (%.1f user + %.1f sys), peak RSS %d MB, written %.2f GB", w, u + s, u, s, r / 1024, o * 512 / 1e9 }' "$1"
}

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

for size in $sizes; do
  read -r feeds items big <<<"$(shape "$size")"
  d="$out/$size"
  rm -rf "$d"
  mkdir -p "$d/newsboat"
  target/release/examples/feedgen --out "$d" --feeds "$feeds" --items "$items" --big "$big" --seed 1 >"$d/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q serving "$d/server.log" 2>/dev/null && break; sleep 0.1; done
  total=$((feeds * items + big))
  echo "== $size: $feeds feeds × $items + $big = $total items ($(head -1 "$d/server.log"))"
  /usr/bin/time -v target/release/tidings --config "$d/config.toml" --data-dir "$d/tidings" fetch \
    >"$d/tidings-fetch.out" 2>"$d/tidings-fetch.time" || echo "tidings fetch exited $?"
  stored=$(sqlite3 "$d/tidings/tidings.db" "SELECT COUNT(*) FROM items" 2>/dev/null || echo "?")
  echo "tidings fetch:   $(summary "$d/tidings-fetch.time"), $stored items stored"
  if [ "$size" != 1m ] && command -v newsboat >/dev/null; then
    /usr/bin/time -v newsboat -x reload -u "$d/urls" -c "$d/newsboat/cache.db" -C "$d/newsboat.conf" \
      >"$d/newsboat-reload.out" 2>"$d/newsboat-reload.time" || echo "newsboat exited $?"
    stored=$(sqlite3 "$d/newsboat/cache.db" "SELECT COUNT(*) FROM rss_item" 2>/dev/null || echo "?")
    echo "newsboat reload: $(summary "$d/newsboat-reload.time"), $stored items stored"
  fi
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
done
