#!/usr/bin/env bash
# A cold refresh of a directory of real feeds (default: the shared corpus's
# 150 feeds, ../shared/corpus/real) served on 127.0.0.1: the release
# `tidings fetch` into an empty data dir against `newsboat -x reload` into an
# empty cache, interleaved, RUNS times each; prints the median wall time and
# CPU (user + sys) of each and their ratio.
#
#   bash benches/refresh-vs-newsboat.sh [RUNS] [FEED_DIR] [BASE_DB]     (defaults: 5, the corpus)
#
# With BASE_DB (a tidings.db, e.g. target/archives/1m/tidings/tidings.db from
# benches/build-archives.sh), each round also runs the same tidings refresh
# into a copy of it (copied and flushed to disk before the timed run), and
# prints how that compares with the refresh into an empty database.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
dir="${2:-}"
base_db="${3:-}"
if [ -z "$dir" ]; then
  for d in ../shared/corpus/real ../../shared/corpus/real /work/shared/corpus/real; do
    [ -d "$d" ] && dir="$d" && break
  done
fi
[ -d "$dir" ] || { echo "no feed directory (pass one)"; exit 2; }
cargo build --release --quiet --bin tidings --example feedgen
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
target/release/examples/feedgen --dir "$dir" --out "$work" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q serving "$work/server.log" 2>/dev/null && break; sleep 0.1; done
head -1 "$work/server.log"

# "WALL CPU" in seconds from a /usr/bin/time -v report.
measure() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { u = $2 } /System time/ { s = $2 }
    END { printf "%.3f %.3f\n", w, u + s }' "$1"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: >"$work/tidings.txt"
: >"$work/newsboat.txt"
: >"$work/big.txt"
tidings_run() {
  /usr/bin/time -v target/release/tidings --config "$work/config.toml" --data-dir "$1" fetch \
    >"$work/out.txt" 2>"$work/time.txt" || true
  measure "$work/time.txt" >>"$2"
}
for i in $(seq "$runs"); do
  rm -rf "$work/data" "$work/big" "$work/nb"
  mkdir -p "$work/data" "$work/big" "$work/nb"
  # Deleting the last round's multi-GB copy goes on in the file system after
  # rm returns: let it settle before the timed runs.
  [ -n "$base_db" ] && sync && sleep 1
  tidings_run "$work/data" "$work/tidings.txt"
  /usr/bin/time -v newsboat -x reload -u "$work/urls" -c "$work/nb/cache.db" -C "$work/newsboat.conf" \
    >/dev/null 2>"$work/time.txt" || true
  measure "$work/time.txt" >>"$work/newsboat.txt"
  line="run $i: tidings $(tail -1 "$work/tidings.txt"), newsboat $(tail -1 "$work/newsboat.txt")"
  if [ -n "$base_db" ]; then
    # Copied and flushed to disk first, so the timed run does not pay for the copy.
    cp "$base_db" "$work/big/tidings.db"
    # The story index a run saved beside it, if any (see README, Configuration).
    [ -f "$base_db.stories" ] && cp "$base_db.stories" "$work/big/tidings.db.stories"
    # Brought in step with this config first, untimed (`tidings feeds` only
    # lists them): the archive's own feeds are not in it, and marking
    # thousands of feeds inactive is what a change of config costs once,
    # not what a refresh costs. A user's database knows the user's feeds.
    target/release/tidings --config "$work/config.toml" --data-dir "$work/big" feeds >/dev/null
    sync && sleep 1
    tidings_run "$work/big" "$work/big.txt"
    line="$line, tidings into the big db $(tail -1 "$work/big.txt")"
  fi
  echo "$line  (wall s, CPU s)"
done
tw=$(cut -d' ' -f1 "$work/tidings.txt" | median)
tc=$(cut -d' ' -f2 "$work/tidings.txt" | median)
nw=$(cut -d' ' -f1 "$work/newsboat.txt" | median)
nc=$(cut -d' ' -f2 "$work/newsboat.txt" | median)
items=$(sqlite3 "$work/data/tidings.db" "SELECT COUNT(*) FROM items" 2>/dev/null || echo "?")
echo "median of $runs: tidings wall $tw s, CPU $tc s; newsboat wall $nw s, CPU $nc s ($items items stored)"
awk -v a="$tw" -v b="$nw" -v c="$tc" -v d="$nc" 'BEGIN { printf "ratio tidings/newsboat: wall %.2f, CPU %.2f\n", a / b, c / d }'
if [ -n "$base_db" ]; then
  bw=$(cut -d' ' -f1 "$work/big.txt" | median)
  bc=$(cut -d' ' -f2 "$work/big.txt" | median)
  echo "median of $runs: tidings into a copy of $base_db: wall $bw s, CPU $bc s"
  awk -v a="$bw" -v b="$tw" -v c="$bc" -v d="$tc" 'BEGIN { printf "ratio big db/empty db: wall %.2f, CPU %.2f\n", a / b, c / d }'
fi
