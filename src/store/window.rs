//! Windows of a list: a few hundred rows at a time, read by keyset from a row
//! key (`RowKey`: the list's own order, newest first) in either direction,
//! never by offset and never the whole view. Each read walks the list's
//! index from the key, so it costs the same at the top of a million items
//! as at their bottom.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};

use super::sql::{FEED_TITLE, view_filter, view_filter_driven};
use super::{Result, Store};
use crate::config::SortOrder;
use crate::model::{Fold, ItemId, ItemRow, RowKey, View};
use crate::query;

// — #10 search —
/// How a list with a full-text term finds its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FtsPlan {
    /// By a bounded count of the matches: `Matches` when few, else `Walk`.
    #[default]
    Auto,
    /// Walk the list's index in order, testing each row against the set of matches.
    Walk,
    /// Read the matches, fetch their rows by seq and sort them.
    Matches,
    /// Walk the list's index in order, testing each row by a point lookup
    /// in the full-text index (`window_probe.rs`).
    Probe,
    // — #10 keys —
    /// Walk the list's index in order, testing each row against the matches
    /// read first as a bitmap (`window_probe.rs`, `Bits`).
    Set,
}

/// How many matches are few enough to fetch by seq and sort, for a window
/// of `n` rows over `items` items. Fetching costs about 5 µs a match (a row
/// read by seq); walking the index about 0.3 µs a row, and a window of `n`
/// among `m` matches walks about `n * items / m` rows: the two meet at
/// `m = sqrt(0.06 * n * items)` (measured at 100k and 1M items, benches/README.md).
pub(crate) fn few_enough(n: usize, items: i64) -> usize {
    ((0.06 * n as f64 * items.max(0) as f64).sqrt() as usize).max(n)
}

/// Items whose seq is one of `seqs`, as the driving lookup of a query
/// (`query::compile_driven`); read with `items i NOT INDEXED`, so that
/// SQLite fetches them by seq.
pub(crate) fn seqs_given(seqs: &[i64]) -> query::Sql {
    let list = seqs.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    query::Sql {
        clause: "i.seq IN (SELECT value FROM json_each(?))".into(),
        params: vec![Value::Text(format!("[{list}]"))],
    }
}

/// How many matches are few enough to count by fetching them by seq: a
/// count walks the whole index (about 0.3 µs a row) where fetching costs
/// about 5 µs a match.
pub(crate) fn few_enough_to_count(items: i64) -> usize {
    (items.max(0) / 16) as usize
}

/// Which way from a key a read goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// Older rows, in list order (down the list).
    Down,
    /// Newer rows, read nearest first (up the list).
    Up,
}

/// The SQL of a list: the rows it selects, its keyset columns and its filter.
struct Source {
    select: String,
    key_cols: &'static str,
    filter: String,
    params: Vec<Value>,
    // — #13 feeds view —
    /// The order's leading columns (ascending) before the date: none for the date order.
    lead: &'static [&'static str],
    /// How the key's row stands in `lead`: its rank (unread-first) or looked up by its `seq`.
    by_rank: bool,
    // — #15 stories —
    /// Folding stories: the view's own filter and parameters (`filter` then
    /// keeps only the rows that lead their story), and the stories unfolded.
    fold: Option<(String, Vec<Value>, Vec<String>)>,
}

// — #13 feeds view —
const LEAD_FEED: &[&str] = &["COALESCE(f.config_title, f.title, f.url)", "f.id"];
const LEAD_TITLE: &[&str] = &["i.title COLLATE NOCASE"];
const LEAD_UNREAD: &[&str] = &["i.read"];

impl Source {
    /// The SQL of `view` in `order`, for windows of up to `n` rows: from the
    /// list's index, or (a query with few full-text matches) from its matches;
    /// one row per story when `folding` says so.
    fn of(store: &Store, view: &View, order: SortOrder, n: usize, folding: &super::Folding) -> Result<Source> {
        if *view == View::Saved {
            return Ok(Source {
                select: "SELECT r.id, r.title, r.feed, COALESCE(r.published, r.updated, r.saved_at),
                                COALESCE(i.read, 1), 1, r.link, r.saved_at, r.rowid, NULL
                         FROM reading_list r LEFT JOIN items i ON i.id = r.id"
                    .into(),
                key_cols: "r.saved_at, r.rowid",
                filter: "1".into(),
                params: Vec::new(),
                lead: &[],
                by_rank: false,
                fold: None,
            });
        }
        // — #10 search — few matches: the rows are fetched by seq and sorted;
        // dense ones: each row walked is tested by a point lookup.
        let fts = match query::view_expr(view).ok().as_ref().and_then(query::driving_match) {
            Some(driving) => store.fts_source(&driving, n)?,
            None => FtsSource::Walk,
        };
        // By feed, the feeds (in title order) are the outer loop: each feed's
        // items are then read in order from its index, and nothing is sorted.
        let walk = match order {
            SortOrder::Feed => "feeds f CROSS JOIN items i ON i.feed_id = f.id",
            _ => "items i JOIN feeds f ON f.id = i.feed_id",
        };
        let (mut filter, mut params, from) = match fts {
            FtsSource::Matches(seqs) => {
                let (filter, params) = view_filter_driven(view, &seqs_given(&seqs))?;
                (filter, params, "items i NOT INDEXED JOIN feeds f ON f.id = i.feed_id")
            }
            FtsSource::Probe(fts, budget) => {
                let (filter, params) = view_filter_driven(view, &probe::probe_given(fts, budget))?;
                (filter, params, walk)
            }
            FtsSource::Set(bits) => {
                let (filter, params) = view_filter_driven(view, &probe::set_given(bits))?;
                (filter, params, walk)
            }
            FtsSource::Walk => {
                let (filter, params) = view_filter(view)?;
                (filter, params, walk)
            }
        };
        // — #15 stories — one row per story.
        let fold = folding.on.then(|| (filter.clone(), params.clone(), folding.unfolded.clone()));
        if folding.on {
            let (lead, lead_params) = folding.lead_only(&filter, &params);
            filter = format!("({filter}) AND {lead}");
            params.extend(lead_params);
        }
        Ok(Source {
            select: format!(
                "SELECT i.id, i.title, {FEED_TITLE}, COALESCE(i.published, i.updated), i.read, i.saved, i.link,
                        i.sort_date, i.seq, i.story
                 FROM {from}"
            ),
            key_cols: "i.sort_date, i.seq",
            filter,
            params,
            lead: match order {
                SortOrder::Date => &[],
                SortOrder::Feed => LEAD_FEED,
                SortOrder::Title => LEAD_TITLE,
                SortOrder::UnreadFirst => LEAD_UNREAD,
            },
            by_rank: order == SortOrder::UnreadFirst,
            fold,
        })
    }

    /// The rows past `k` in the direction of `op` ("<" down, ">" up; with
    /// `=` the key's own row too), as SQL and its parameters. The leading
    /// columns go up the list's way, date and seq down it.
    fn keyset(&self, k: RowKey, op: &str) -> (String, Vec<Value>) {
        let cols = self.key_cols;
        let tail = (format!("({cols}) {op} (?, ?)"), [Value::Integer(k.date), Value::Integer(k.seq)]);
        if self.lead.is_empty() {
            return (tail.0, tail.1.to_vec());
        }
        let lead = format!("({})", self.lead.join(", "));
        let (of_key, key_params) = if self.by_rank {
            ("(?)".to_string(), vec![Value::Integer(k.rank)])
        } else {
            (
                format!(
                    "(SELECT {} FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.seq = ?)",
                    self.lead.join(", ")
                ),
                vec![Value::Integer(k.seq)],
            )
        };
        // Down the list the leading columns grow: `<` on the date is `>` on them.
        let (wide, strict) = if op.starts_with('<') { (">=", ">") } else { ("<=", "<") };
        let sql = format!("{lead} {wide} {of_key} AND ({lead} {strict} {of_key} OR {})", tail.0);
        let mut params = key_params.clone();
        params.extend(key_params);
        params.extend(tail.1);
        (sql, params)
    }

    /// ORDER BY for reading down the list (`desc`: newest first), or up it.
    fn order_by(&self, down: bool) -> String {
        let (lead, tail) = if down { ("ASC", "DESC") } else { ("DESC", "ASC") };
        let lead = self.lead.iter().map(|c| format!("{c} {lead}"));
        let tail = self.key_cols.split(", ").map(|c| format!("{c} {tail}"));
        lead.chain(tail).collect::<Vec<_>>().join(", ")
    }

    /// Up to `n` rows from `from` (exclusive; `inclusive` takes the key's own
    /// row too) in direction `dir`, or from the list's end when `from` is None.
    fn read(&self, store: &Store, from: Option<RowKey>, inclusive: bool, dir: Dir, n: usize) -> Result<Vec<ItemRow>> {
        let op = match (dir, inclusive) {
            (Dir::Down, false) => "<",
            (Dir::Down, true) => "<=",
            (Dir::Up, false) => ">",
            (Dir::Up, true) => ">=",
        };
        let mut params = self.params.clone();
        let keyset = match from {
            Some(k) => {
                let (sql, p) = self.keyset(k, op);
                params.extend(p);
                format!(" AND {sql}")
            }
            None => String::new(),
        };
        let order_by = self.order_by(dir == Dir::Down);
        let sql = format!("{} WHERE ({}){keyset} ORDER BY {order_by} LIMIT {n}", self.select, self.filter);
        let mut stmt = store.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), row)?;
        let mut rows: Vec<ItemRow> = rows.collect::<rusqlite::Result<_>>()?;
        if dir == Dir::Up {
            rows.reverse();
        }
        if self.by_rank {
            for r in &mut rows {
                r.key.rank = i64::from(r.read);
            }
        }
        self.fold(store, rows)
    }

    // — #15 stories —
    /// Marks each row that leads a story with other items in the view, and
    /// lists the items of unfolded stories under their lead (with the lead's
    /// key, so the window's next reads go on from the lead). One lookup by
    /// the story index per row of the window, never the whole view.
    fn fold(&self, store: &Store, rows: Vec<ItemRow>) -> Result<Vec<ItemRow>> {
        let Some((filter, params, unfolded)) = &self.fold else { return Ok(rows) };
        let sql =
            format!("{} WHERE ({filter}) AND i.story = ? AND i.seq <> ? ORDER BY i.sort_date, i.seq", self.select);
        let mut stmt = store.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(rows.len());
        for mut lead in rows {
            let Some(story) = lead.story.clone() else {
                out.push(lead);
                continue;
            };
            let mut p = params.clone();
            p.extend([Value::Text(story.clone()), Value::Integer(lead.key.seq)]);
            let members: Vec<ItemRow> = stmt.query_map(params_from_iter(p), row)?.collect::<rusqlite::Result<_>>()?;
            if members.is_empty() {
                out.push(lead);
                continue;
            }
            let key = lead.key;
            if unfolded.contains(&story) {
                lead.fold = Fold::Unfolded { story: story.clone() };
                out.push(lead);
                out.extend(members.into_iter().map(|m| ItemRow {
                    key,
                    fold: Fold::Member { story: story.clone() },
                    ..m
                }));
            } else {
                let others = members.iter().map(|m| super::short_name(&m.feed)).collect();
                let unread = members.iter().filter(|m| !m.read).count();
                lead.fold = Fold::Folded { story, others, unread };
                out.push(lead);
            }
        }
        Ok(out)
    }
}

fn row(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let link: Option<String> = r.get(6)?;
    let feed: Option<String> = r.get(2)?;
    Ok(ItemRow {
        id: r.get(0)?,
        title: r.get(1)?,
        feed: feed.unwrap_or_else(|| super::reading_list::host(link.as_deref())),
        date: r.get(3)?,
        read: r.get(4)?,
        saved: r.get(5)?,
        link,
        key: RowKey { date: r.get(7)?, seq: r.get(8)?, rank: 0 },
        fold: Fold::Alone,
        story: r.get(9)?,
    })
}

/// Rows read around a key, and whether they reach the list's ends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    pub rows: Vec<ItemRow>,
    /// Nothing in the list is newer than the first row.
    pub at_top: bool,
    /// Nothing in the list is older than the last row.
    pub at_bottom: bool,
    // — #13 feeds view —
    /// The order the rows were read in.
    pub sort: SortOrder,
}

impl Store {
    // — #13 feeds view —
    /// Sets the order windows are read in from now on (`[ui] sort`).
    pub fn set_list_order(&self, order: SortOrder) {
        self.order.set(order);
    }

    pub fn list_order(&self) -> SortOrder {
        self.order.get()
    }

    fn source(&self, view: &View, n: usize) -> Result<Source> {
        Source::of(self, view, self.order.get(), n, &self.folding.borrow())
    }

    // — #10 search —
    /// Forces how lists with a full-text term are read (tests compare the plans).
    #[doc(hidden)]
    pub fn set_fts_plan(&self, plan: FtsPlan) {
        self.fts_plan.set(plan);
    }

    /// The seqs of the items matching `driving` when there are at most
    /// `bound(items in the store)` of them (any number under `FtsPlan::Matches`,
    /// never under `FtsPlan::Walk` or `FtsPlan::Probe`). Counted with a
    /// LIMIT, so a common word costs no more than the bound.
    pub(crate) fn matches_within(
        &self,
        driving: &query::Driving,
        bound: impl Fn(i64) -> usize,
    ) -> Result<Option<Vec<i64>>> {
        Ok(match self.fts_plan.get() {
            FtsPlan::Walk | FtsPlan::Probe | FtsPlan::Set => None,
            FtsPlan::Matches => Some(self.matches(driving, None)?),
            FtsPlan::Auto => match self.bounded(driving, bound(self.items_top()?))? {
                probe::Bounded::Few(seqs) => Some(seqs),
                probe::Bounded::Many { .. } => None,
            },
        })
    }

    /// Runs `f` in one read transaction (when none is open), so that a
    /// window read from the matches sees the same data as their count.
    pub(crate) fn snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN")?;
        let out = f();
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let out = out?;
        end?;
        Ok(out)
    }

    /// The first `n` rows of a view (its newest).
    pub fn window_top(&self, view: &View, n: usize) -> Result<Window> {
        let rows = self.snapshot(|| self.with_source(view, n, |s| s.read(self, None, false, Dir::Down, n)))?;
        Ok(Window { at_bottom: rows.len() < n, rows, at_top: true, sort: self.list_order() })
    }

    /// The last `n` rows of a view (its oldest), in list order.
    pub fn window_bottom(&self, view: &View, n: usize) -> Result<Window> {
        let rows = self.snapshot(|| self.with_source(view, n, |s| s.read(self, None, false, Dir::Up, n)))?;
        Ok(Window { at_top: rows.len() < n, rows, at_bottom: true, sort: self.list_order() })
    }

    /// Up to `n` rows older than `key`, in list order: the window's next rows down.
    pub fn rows_after(&self, view: &View, key: RowKey, n: usize) -> Result<Window> {
        let rows = self.snapshot(|| self.with_source(view, n, |s| s.read(self, Some(key), false, Dir::Down, n)))?;
        Ok(Window { at_bottom: rows.len() < n, rows, at_top: false, sort: self.list_order() })
    }

    /// Up to `n` rows newer than `key`, in list order: the window's next rows up.
    pub fn rows_before(&self, view: &View, key: RowKey, n: usize) -> Result<Window> {
        let rows = self.snapshot(|| self.with_source(view, n, |s| s.read(self, Some(key), false, Dir::Up, n)))?;
        Ok(Window { at_top: rows.len() < n, rows, at_bottom: false, sort: self.list_order() })
    }

    /// Up to `up` rows newer than `key` and `down` rows from it on (its own
    /// row first, if it is still there): the window of a reload.
    pub fn rows_around(&self, view: &View, key: RowKey, up: usize, down: usize) -> Result<Window> {
        self.snapshot(|| {
            self.with_source(view, up + down, |source| {
                let mut rows = source.read(self, Some(key), false, Dir::Up, up)?;
                let at_top = rows.len() < up;
                let below = source.read(self, Some(key), true, Dir::Down, down)?;
                let at_bottom = below.len() < down;
                rows.extend(below);
                Ok(Window { rows, at_top, at_bottom, sort: self.list_order() })
            })
        })
    }

    /// The first unread row older than `after` (from the top when None): its
    /// key and id.
    pub fn next_unread(&self, view: &View, after: Option<RowKey>) -> Result<Option<(RowKey, ItemId)>> {
        self.snapshot(|| self.with_source(view, 1, |source| self.next_unread_in(source, view, after)))
    }

    fn next_unread_in(&self, source: &Source, view: &View, after: Option<RowKey>) -> Result<Option<(RowKey, ItemId)>> {
        let read_col = if *view == View::Saved { "COALESCE(i.read, 1)" } else { "i.read" };
        let mut params = source.params.clone();
        // — #15 stories — a folded row is unread while any item of its story in the view is.
        let unread = match &source.fold {
            Some((filter, fold_params, _)) => {
                params.extend(fold_params.iter().cloned());
                format!(
                    "({read_col} = 0 OR (i.story IS NOT NULL AND EXISTS (
                        SELECT 1 FROM items m WHERE m.story = i.story AND m.seq <> i.seq AND m.read = 0
                          AND EXISTS (SELECT 1 FROM items i JOIN feeds f ON f.id = i.feed_id
                                      WHERE i.seq = m.seq AND ({filter})))))"
                )
            }
            None => format!("{read_col} = 0"),
        };
        let keyset = match after {
            Some(k) => {
                let (sql, p) = source.keyset(k, "<");
                params.extend(p);
                format!(" AND {sql}")
            }
            None => String::new(),
        };
        let order_by = source.order_by(true);
        let sql =
            format!("{} WHERE ({}) AND {unread}{keyset} ORDER BY {order_by} LIMIT 1", source.select, source.filter);
        let found = self.conn.prepare_cached(&sql)?.query_row(params_from_iter(params), row).optional()?;
        // An unread row ranks 0 in the unread-first order.
        Ok(found.map(|r| (r.key, r.id)))
    }

    /// How many rows a view's list holds: with stories folded, one per
    /// story (all the items of an unfolded one), as the list shows them.
    pub fn view_len(&self, view: &View) -> Result<u64> {
        if *view == View::Saved {
            return Ok(self.conn.query_row("SELECT COUNT(*) FROM reading_list", [], |r| super::sql::count(r, 0))?);
        }
        let folding = self.folding.borrow().clone();
        self.count_view_rows(view, &folding) // — #15 stories —
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem};

    const A: &str = "https://a.example/rss";

    /// `n` items dated 1..=n (item i is "T{i}"), so the list is T{n} … T1.
    fn store(n: i64) -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.sync_feeds(&[FeedConfig::new(A)]).unwrap();
        let items = (1..=n)
            .map(|i| NewItem { key: i.to_string(), title: format!("T{i}"), published: Some(i), ..Default::default() })
            .collect();
        s.store_fetched(&FetchedFeed { url: A.into(), items, ..Default::default() }, 1_000).unwrap();
        s
    }

    fn titles(w: &Window) -> Vec<&str> {
        w.rows.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn windows_walk_the_list_from_either_end_by_key() {
        let s = store(10);
        let top = s.window_top(&View::All, 4).unwrap();
        assert_eq!(titles(&top), ["T10", "T9", "T8", "T7"]);
        assert!(top.at_top && !top.at_bottom);
        let next = s.rows_after(&View::All, top.rows[3].key, 4).unwrap();
        assert_eq!(titles(&next), ["T6", "T5", "T4", "T3"]);
        let last = s.rows_after(&View::All, next.rows[3].key, 4).unwrap();
        assert_eq!(titles(&last), ["T2", "T1"]);
        assert!(last.at_bottom);
        let bottom = s.window_bottom(&View::All, 3).unwrap();
        assert_eq!(titles(&bottom), ["T3", "T2", "T1"]);
        assert!(bottom.at_bottom && !bottom.at_top);
        let up = s.rows_before(&View::All, bottom.rows[0].key, 3).unwrap();
        assert_eq!(titles(&up), ["T6", "T5", "T4"], "in list order");
        let around = s.rows_around(&View::All, next.rows[1].key, 2, 3).unwrap();
        assert_eq!(titles(&around), ["T7", "T6", "T5", "T4", "T3"]);
        assert!(!around.at_top && !around.at_bottom);
        assert_eq!(s.view_len(&View::All).unwrap(), 10);
        // Everything fits: both ends at once.
        let all = s.window_top(&View::All, 50).unwrap();
        assert!(all.at_top && all.at_bottom && all.rows.len() == 10);
    }

    #[test]
    fn a_key_whose_row_is_gone_still_places_the_window() {
        let mut s = store(6);
        let rows = s.window_top(&View::All, 6).unwrap().rows;
        s.dismiss(&rows[2].id).unwrap(); // T4
        let around = s.rows_around(&View::All, rows[2].key, 1, 2).unwrap();
        assert_eq!(titles(&around), ["T5", "T3", "T2"]);
    }

    #[test]
    fn next_unread_walks_down_from_a_key() {
        let mut s = store(6);
        let rows = s.window_top(&View::All, 6).unwrap().rows;
        s.set_read(&[rows[1].id.clone(), rows[2].id.clone()], true).unwrap();
        assert_eq!(s.next_unread(&View::All, Some(rows[0].key)).unwrap().map(|f| f.1), Some(rows[3].id.clone()));
        assert_eq!(s.next_unread(&View::All, None).unwrap().map(|f| f.1), Some(rows[0].id.clone()));
        assert_eq!(s.next_unread(&View::All, Some(rows[5].key)).unwrap(), None);
    }

    #[test]
    fn the_reading_list_windows_by_when_it_was_saved() {
        let mut s = store(5);
        let rows = s.window_top(&View::All, 5).unwrap().rows;
        for (i, r) in rows.iter().enumerate() {
            s.save_item(&r.id, 10 + i as i64).unwrap();
        }
        let top = s.window_top(&View::Saved, 2).unwrap();
        assert_eq!(titles(&top), ["T1", "T2"], "last saved first");
        assert!(top.rows.iter().all(|r| r.saved));
        let next = s.rows_after(&View::Saved, top.rows[1].key, 5).unwrap();
        assert_eq!(titles(&next), ["T3", "T4", "T5"]);
        assert_eq!(s.view_len(&View::Saved).unwrap(), 5);
    }
}

// — #13 feeds view —
#[cfg(test)]
#[path = "window_sort_tests.rs"]
mod sort_tests;

// — #10 search —
#[path = "window_probe.rs"]
mod probe;
use probe::FtsSource;
pub(crate) use probe::ProbeState;
pub(super) use probe::register_functions;

#[cfg(test)]
#[path = "window_fts_tests.rs"]
mod fts_tests;
