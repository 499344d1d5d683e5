#!/usr/bin/env bash
# Time to first frame and the reader's memory, the real release binary in a
# real terminal (tmux, 140×40), on archives built by benches/build-archives.sh:
#
#   bash benches/first-frame.sh [ARCHIVES] [SIZES...]   (defaults: target/archives, 10k 100k 1m)
#
# For each size, RUNS times (default 5), interleaved with newsboat where it has
# a cache (10k, 100k; NEWSBOAT_SIZES="10k" limits it to those sizes): start the program in a fresh tmux window and poll
# capture-pane every 5 ms from just before exec until the first item title is
# on screen (newsboat opens on its feed list: its first feed title). Prints
# the median and each run, and newsboat's median as a ratio. The harness's
# own cost (tmux starting a window, capture-pane every 5 ms) is measured
# first, with a program that prints one line at once, and is part of every
# figure.
#
# Then, once per size: tidings' RSS one second after its first frame, and
# one second after the screen settled from scrolling 10,000 rows (`j` ×
# 10,000 sent by tmux).
#
# Before timing a size, the program opens its archive once (`list --limit 1`,
# for the title to wait for): an archive built by an older version gets its
# schema brought up to date there and not in a timed run (at 1M items a new
# index is a scan of the whole 5 GB file, tens of seconds cold). A run that
# ends without its first frame, or shows none within FRAME_TIMEOUT seconds
# (default 60), stops the script with the pane's last screen.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/archives}"
shift || true
sizes="${*:-10k 100k 1m}"
runs="${RUNS:-5}"
# TIDINGS_BIN: another build to time (e.g. the one before a change), as is.
bin="${TIDINGS_BIN:-$PWD/target/release/tidings}"
[ -n "${TIDINGS_BIN:-}" ] || cargo build --release --quiet --bin tidings
sock="tidings-ff-$$"
tm() { tmux -L "$sock" "$@"; }
timeout_ms=$((${FRAME_TIMEOUT:-60} * 1000))
tm new-session -d -s keep -x 140 -y 40 "sleep 100000"
# A program that exits stays on screen (its error) for first_frame to show.
tm set-option -g remain-on-exit on
trap 'tm kill-server 2>/dev/null || true' EXIT

# Prints the milliseconds from starting CMD in window "b" until NEEDLE is on
# screen. Stops the script (with the pane's last screen on stderr) when the
# program ends first or FRAME_TIMEOUT passes.
first_frame() {
  local needle="$1"
  shift
  local t0 t1 polls=0
  t0=$(date +%s%N)
  tm new-window -d -t keep: -n b "exec $*"
  until tm capture-pane -p -t keep:b 2>/dev/null | grep -qF -- "$needle"; do
    polls=$((polls + 1))
    # Every 100th poll (so that the polling itself stays as cheap as before):
    # has the program ended, or is it too late?
    if [ $((polls % 100)) = 0 ] && t1=$(date +%s%N) &&
      { [ "$(tm display-message -p -t keep:b '#{pane_dead}' 2>/dev/null)" = 1 ] || [ $(((t1 - t0) / 1000000)) -gt "$timeout_ms" ]; }; then
      {
        echo "no first frame (\"$needle\" not on screen) after $(((t1 - t0) / 1000000)) ms; the program $(
          [ "$(tm display-message -p -t keep:b '#{pane_dead}' 2>/dev/null)" = 1 ] && echo "ended (status $(tm display-message -p -t keep:b '#{pane_dead_status}'))" || echo "still runs")."
        echo "command: $*"
        echo "its output:"
        tm capture-pane -p -S - -t keep:b 2>/dev/null | sed '/^$/d'
      } >&2
      exit 1
    fi
    sleep 0.005
  done
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

# Quits the program in window "b" with q and waits for it to go.
quit() {
  tm send-keys -t keep:b q
  for _ in $(seq 600); do
    [ "$(tm display-message -p -t keep:b '#{pane_dead}' 2>/dev/null || echo 1)" = 1 ] && break
    sleep 0.05
  done
  tm kill-window -t keep:b 2>/dev/null || true
}

median() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# What the harness itself costs: a program that prints one line at once.
base_runs=""
for _ in $(seq "$runs"); do
  base_runs="$base_runs $(first_frame TIDINGS-BASELINE "sh -c 'echo TIDINGS-BASELINE; sleep 60'")"
  tm kill-window -t keep:b
done
echo "harness baseline (tmux start + capture-pane polling, a program that prints one line): median $(echo $base_runs | median) ms (runs:$base_runs)"

for size in $sizes; do
  d="$dir/$size"
  [ -d "$d/tidings" ] || { echo "no archive at $d (bash benches/build-archives.sh $dir $size)"; continue; }
  tid=("$bin" --config "$d/config.toml" --data-dir "$d/tidings")
  echo "== $size"
  # The first open brings an older archive's schema up to date (untimed, said).
  t0=$(date +%s%N)
  title=$("${tid[@]}" list --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["title"][:20])')
  opened=$((($(date +%s%N) - t0) / 1000000))
  [ "$opened" -lt 2000 ] || echo "(the first open took $opened ms: a schema brought up to date, or a cold file)"
  items=$(sqlite3 "$d/tidings/tidings.db" "SELECT COUNT(*) FROM items")
  nb=()
  if [ -f "$d/newsboat/cache.db" ] && command -v newsboat >/dev/null && [[ " ${NEWSBOAT_SIZES:-$size} " == *" $size "* ]]; then
    first_url=$(head -1 "$d/urls" | cut -d' ' -f1)
    feed=$(sqlite3 "$d/newsboat/cache.db" "SELECT title FROM rss_feed WHERE rssurl = '$first_url'" | cut -c1-20)
    nb=(newsboat -u "$d/urls" -c "$d/newsboat/cache.db" -C /dev/null)
  fi
  t_runs=""
  n_runs=""
  for _ in $(seq "$runs"); do
    t_runs="$t_runs $(first_frame "$title" "${tid[*]}")"
    quit
    if [ ${#nb[@]} -gt 0 ]; then
      n_runs="$n_runs $(first_frame "$feed" "${nb[*]}")"
      quit
    fi
  done
  t_med=$(echo $t_runs | median)
  echo "$items items"
  echo "tidings first frame: median $t_med ms (runs:$t_runs)"
  if [ -n "$n_runs" ]; then
    n_med=$(echo $n_runs | median)
    echo "newsboat first frame: median $n_med ms (runs:$n_runs); tidings/newsboat = $(awk "BEGIN { printf \"%.3f\", $t_med / $n_med }")"
  fi
  # Memory: after the first frame, and after scrolling 10,000 rows.
  first_frame "$title" "${tid[*]}" >/dev/null
  pid=$(tm display-message -p -t keep:b '#{pane_pid}')
  sleep 1
  after_first=$(rss_mb "$pid")
  tm send-keys -t keep:b -N 10000 j
  last=""
  for _ in $(seq 400); do
    sleep 0.25
    screen=$(tm capture-pane -p -t keep:b)
    [ "$screen" = "$last" ] && break
    last="$screen"
  done
  sleep 1
  after_scroll=$(rss_mb "$pid")
  peak=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  echo "tidings RSS: $after_first MB after the first frame, $after_scroll MB after scrolling 10,000 rows (peak $peak MB)"
  # And while left idle: the full-text index's idle merge starts 2 s after the last key.
  later=""
  for _ in 1 2 3 4 5 6; do
    sleep 2
    later="$later $(rss_mb "$pid")"
  done
  peak=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  echo "tidings RSS left idle after the scroll, every 2 s:$later MB (peak $peak MB)"
  quit
done
