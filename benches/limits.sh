#!/usr/bin/env bash
# Limits on input, measured on the release binary: local feeds that never end
# or are huge, a big OPML import, and the largest search the parser takes.
# Usage: bash benches/limits.sh   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/tidings"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Wall time and peak RSS of one command: "1.23 s, 12 MB".
measure() {
    /usr/bin/time -f '%e s, %M KB' -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || true
    tail -1 "$WORK/time" | awk '{printf "%s s, %d MB peak RSS", $1, $3 / 1024}'
}

echo "## Local feeds (max_body = 10MB)"
truncate -s 22G "$WORK/huge.xml"
for url in file:///dev/zero "file://$WORK/huge.xml"; do
    printf '[[feed]]\nurl = "%s"\ntitle = "F"\n' "$url" >"$WORK/config.toml"
    m=$(measure "$BIN" --config "$WORK/config.toml" --data-dir "$WORK/data-$RANDOM" fetch)
    echo "- $url: $m: $(head -1 "$WORK/out")"
done

echo "## OPML import"
for n in 8000 10000; do
    python3 - "$n" >"$WORK/list.opml" <<'PY'
import sys
n = int(sys.argv[1])
print('<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>')
for i in range(n):
    print(f'<outline text="Feed {i}" category="c{i % 50}" xmlUrl="https://f{i}.example/rss"/>')
print('</body></opml>')
PY
    : >"$WORK/import.toml"
    m=$(measure "$BIN" --config "$WORK/import.toml" --data-dir "$WORK/data-i" import "$WORK/list.opml")
    echo "- $n outlines: $m: $(head -1 "$WORK/out")"
    m=$(measure "$BIN" --config "$WORK/import.toml" --data-dir "$WORK/data-i" feeds list --json)
    echo "  then loading that config (feeds list): $m"
done

echo "## The largest search (256 words) over 5,000 items"
python3 - "$WORK" <<'PY'
import random, sys
random.seed(7)
work = sys.argv[1]
words = [f"w{i}x{random.randint(0, 99)}" for i in range(20000)]
with open(f"{work}/big.xml", "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>\n')
    for i in range(5000):
        body = " ".join(random.choice(words) for _ in range(120))
        f.write(f'<item><guid>b{i}</guid><title>Item {i} {random.choice(words)}</title><description>{body}</description></item>\n')
    f.write('</channel></rss>\n')
# Queries of words the items hold: 256 (the most a query takes) and 8,000.
with open(f"{work}/and256", "w") as f:
    f.write(" ".join(words[:256]))
with open(f"{work}/or256", "w") as f:
    f.write(" or ".join(words[:256]))
with open(f"{work}/and8000", "w") as f:
    f.write(" ".join(words[:8000]))
PY
printf '[poller]\nmax_body = "100MB"\n[[feed]]\nurl = "file://%s"\n' "$WORK/big.xml" >"$WORK/search.toml"
"$BIN" --config "$WORK/search.toml" --data-dir "$WORK/data-s" fetch >/dev/null
QUERY=$(cat "$WORK/and256")
m=$(measure "$BIN" --config "$WORK/search.toml" --data-dir "$WORK/data-s" search "$QUERY")
echo "- 256 words (AND): $m"
QUERY=$(cat "$WORK/or256")
m=$(measure "$BIN" --config "$WORK/search.toml" --data-dir "$WORK/data-s" search "$QUERY")
echo "- 256 words (OR): $m"
QUERY=$(cat "$WORK/and8000")
m=$(measure "$BIN" --config "$WORK/search.toml" --data-dir "$WORK/data-s" search "$QUERY")
echo "- 8,000 words: $m: $(head -1 "$WORK/out")"
