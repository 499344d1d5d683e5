//! Windows of a list: a few hundred rows at a time, read by keyset from a row
//! key (`RowKey`: the list's own order, newest first) in either direction,
//! never by offset and never the whole view. Each read walks the list's
//! index from the key, so it costs the same at the top of a million items
//! as at their bottom.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};

use super::sql::{FEED_TITLE, view_filter};
use super::{Result, Store};
use crate::model::{ItemId, ItemRow, RowKey, View};

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
}

impl Source {
    fn of(view: &View) -> Result<Source> {
        if *view == View::Saved {
            return Ok(Source {
                select: "SELECT r.id, r.title, r.feed, COALESCE(r.published, r.updated, r.saved_at),
                                COALESCE(i.read, 1), 1, r.link, r.saved_at, r.rowid
                         FROM reading_list r LEFT JOIN items i ON i.id = r.id"
                    .into(),
                key_cols: "r.saved_at, r.rowid",
                filter: "1".into(),
                params: Vec::new(),
            });
        }
        let (filter, params) = view_filter(view)?;
        Ok(Source {
            select: format!(
                "SELECT i.id, i.title, {FEED_TITLE}, COALESCE(i.published, i.updated), i.read, i.saved, i.link,
                        i.sort_date, i.seq
                 FROM items i JOIN feeds f ON f.id = i.feed_id"
            ),
            key_cols: "i.sort_date, i.seq",
            filter,
            params,
        })
    }

    /// Up to `n` rows from `from` (exclusive; `inclusive` takes the key's own
    /// row too) in direction `dir`, or from the list's end when `from` is None.
    fn read(&self, store: &Store, from: Option<RowKey>, inclusive: bool, dir: Dir, n: usize) -> Result<Vec<ItemRow>> {
        let (op, order) = match (dir, inclusive) {
            (Dir::Down, false) => ("<", "DESC"),
            (Dir::Down, true) => ("<=", "DESC"),
            (Dir::Up, false) => (">", "ASC"),
            (Dir::Up, true) => (">=", "ASC"),
        };
        let cols = self.key_cols;
        let keyset = if from.is_some() { format!(" AND ({cols}) {op} (?, ?)") } else { String::new() };
        let order_by = cols.split(", ").map(|c| format!("{c} {order}")).collect::<Vec<_>>().join(", ");
        let sql = format!("{} WHERE ({}){keyset} ORDER BY {order_by} LIMIT {n}", self.select, self.filter);
        let mut params = self.params.clone();
        if let Some(k) = from {
            params.extend([Value::Integer(k.date), Value::Integer(k.seq)]);
        }
        let mut stmt = store.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), row)?;
        let mut rows: Vec<ItemRow> = rows.collect::<rusqlite::Result<_>>()?;
        if dir == Dir::Up {
            rows.reverse();
        }
        Ok(rows)
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
        key: RowKey { date: r.get(7)?, seq: r.get(8)? },
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
}

impl Store {
    /// The first `n` rows of a view (its newest).
    pub fn window_top(&self, view: &View, n: usize) -> Result<Window> {
        let rows = Source::of(view)?.read(self, None, false, Dir::Down, n)?;
        Ok(Window { at_bottom: rows.len() < n, rows, at_top: true })
    }

    /// The last `n` rows of a view (its oldest), in list order.
    pub fn window_bottom(&self, view: &View, n: usize) -> Result<Window> {
        let rows = Source::of(view)?.read(self, None, false, Dir::Up, n)?;
        Ok(Window { at_top: rows.len() < n, rows, at_bottom: true })
    }

    /// Up to `n` rows older than `key`, in list order: the window's next rows down.
    pub fn rows_after(&self, view: &View, key: RowKey, n: usize) -> Result<Window> {
        let rows = Source::of(view)?.read(self, Some(key), false, Dir::Down, n)?;
        Ok(Window { at_bottom: rows.len() < n, rows, at_top: false })
    }

    /// Up to `n` rows newer than `key`, in list order: the window's next rows up.
    pub fn rows_before(&self, view: &View, key: RowKey, n: usize) -> Result<Window> {
        let rows = Source::of(view)?.read(self, Some(key), false, Dir::Up, n)?;
        Ok(Window { at_top: rows.len() < n, rows, at_bottom: false })
    }

    /// Up to `up` rows newer than `key` and `down` rows from it on (its own
    /// row first, if it is still there): the window of a reload.
    pub fn rows_around(&self, view: &View, key: RowKey, up: usize, down: usize) -> Result<Window> {
        let source = Source::of(view)?;
        let mut rows = source.read(self, Some(key), false, Dir::Up, up)?;
        let at_top = rows.len() < up;
        let below = source.read(self, Some(key), true, Dir::Down, down)?;
        let at_bottom = below.len() < down;
        rows.extend(below);
        Ok(Window { rows, at_top, at_bottom })
    }

    /// The first unread row older than `after` (from the top when None): its
    /// key and id.
    pub fn next_unread(&self, view: &View, after: Option<RowKey>) -> Result<Option<(RowKey, ItemId)>> {
        let source = Source::of(view)?;
        let read_col = if *view == View::Saved { "COALESCE(i.read, 1)" } else { "i.read" };
        let cols = source.key_cols;
        let keyset = if after.is_some() { format!(" AND ({cols}) < (?, ?)") } else { String::new() };
        let order_by = cols.split(", ").map(|c| format!("{c} DESC")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "{} WHERE ({}) AND {read_col} = 0{keyset} ORDER BY {order_by} LIMIT 1",
            source.select, source.filter
        );
        let mut params = source.params;
        if let Some(k) = after {
            params.extend([Value::Integer(k.date), Value::Integer(k.seq)]);
        }
        let found = self.conn.prepare_cached(&sql)?.query_row(params_from_iter(params), row).optional()?;
        Ok(found.map(|r| (r.key, r.id)))
    }

    /// How many rows a view holds.
    pub fn view_len(&self, view: &View) -> Result<u64> {
        if *view == View::Saved {
            return Ok(self.conn.query_row("SELECT COUNT(*) FROM reading_list", [], |r| super::sql::count(r, 0))?);
        }
        Ok(self.count_view(view)?.0)
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
