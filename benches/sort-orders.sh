#!/usr/bin/env bash
# Window reads in each `[ui] sort` order at 100k items (issue 13): a store
# made by tidings itself (500 feeds, schema migrated), 100k items inserted
# with sqlite3, then the list's first window and a window 90,000 rows down
# read with the SQL the store uses, best of 5. Needs sqlite3 and python3.
#
#   bash benches/sort-orders.sh [ITEMS]
set -euo pipefail
items=${1:-100000}
root=$(cd "$(dirname "$0")/.." && pwd)
# Only the schema comes from tidings: a debug build does.
cargo build --manifest-path "$root/Cargo.toml" -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/config.toml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(500):
        f.write(f'[[feed]]\nurl = "https://f{i}.example/rss"\ntitle = "Feed {i:03d}"\n\n')
PY
"$root/target/debug/tidings" --config "$work/config.toml" --data-dir "$work/d" feeds list >/dev/null
sqlite3 "$work/d/tidings.db" "
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < $items)
INSERT INTO items (id, feed_id, key, title, first_seen, sort_date, read)
SELECT printf('%016x', x), (x % 500) + 1, 'k'||x,
  (CASE x % 5 WHEN 0 THEN 'Budget ' WHEN 1 THEN 'sanctions ' WHEN 2 THEN 'Election ' WHEN 3 THEN 'drought ' ELSE 'Pension ' END)
    || (x * 7919 % 100003),
  1700000000 + x*60, 1700000000 + (x * 104729 % $items)*60, (x % 3 = 0) FROM n;"
python3 - "$work/d/tidings.db" "$((items * 9 / 10))" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); deep_at = int(sys.argv[2])
COLS = ("SELECT i.id, i.title, COALESCE(f.config_title, f.title, f.url), COALESCE(i.published, i.updated), "
        "i.read, i.saved, i.link, i.sort_date, i.seq FROM ")
WHERE = " WHERE (f.active = 1 AND i.dismissed = 0 AND 1)"
JOIN = "items i JOIN feeds f ON f.id = i.feed_id"
ORDERS = {  # name: (FROM, leading columns, key by rank)
    "date": (JOIN, [], False),
    "feed": ("feeds f CROSS JOIN items i ON i.feed_id = f.id", ["COALESCE(f.config_title, f.title, f.url)", "f.id"], False),
    "title": (JOIN, ["i.title COLLATE NOCASE"], False),
    "unread-first": (JOIN, ["i.read"], True),
}
for name, (frm, lead, by_rank) in ORDERS.items():
    order = ", ".join([f"{x} ASC" for x in lead] + ["i.sort_date DESC", "i.seq DESC"])
    base = COLS + frm + WHERE
    def best(sql, params=()):
        t = 9.0
        for _ in range(5):
            s = time.perf_counter(); rows = c.execute(sql, params).fetchall(); t = min(t, time.perf_counter() - s)
        return t * 1000, len(rows)
    top, _ = best(f"{base} ORDER BY {order} LIMIT 250")
    k = c.execute(f"{base} ORDER BY {order} LIMIT 1 OFFSET {deep_at}").fetchone()
    tail = "(i.sort_date, i.seq) < (?, ?)"
    if not lead:
        ks, params = tail, (k[7], k[8])
    else:
        L = "(" + ", ".join(lead) + ")"
        K = "(?)" if by_rank else f"(SELECT {', '.join(lead)} FROM {JOIN} WHERE i.seq = ?)"
        ks = f"{L} >= {K} AND ({L} > {K} OR {tail})"
        params = (k[4], k[4], k[7], k[8]) if by_rank else (k[8], k[8], k[7], k[8])
    deep, n = best(f"{base} AND {ks} ORDER BY {order} LIMIT 250", params)
    print(f"{name:13} first window {top:6.2f} ms   {deep_at} rows down {deep:6.2f} ms ({n} rows)")
PY
