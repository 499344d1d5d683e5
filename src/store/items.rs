//! Items: storing fetched ones without duplicates, and reading them back as
//! list rows, articles, records and counts.

use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value};
use sha2::{Digest, Sha256};

use super::{Result, Store};
use crate::model::{Article, ItemId, ItemRecord, ItemRow, View, rfc3339};
use crate::query;

/// The public id of an item: 16 hex digits of SHA-256 over the feed URL and
/// the item's key. Computed once, when the item is first stored.
pub fn stable_id(feed_url: &str, key: &str) -> ItemId {
    let mut h = Sha256::new();
    h.update(feed_url.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(16);
    for b in &h.finalize()[..8] {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

/// The title shown for a feed, as SQL over `feeds f`.
pub(super) const FEED_TITLE: &str = "COALESCE(f.config_title, f.title, f.url)";

/// The tags of an item `i`, feed's and user's, as a JSON array in name order.
macro_rules! tags_json {
    () => {
        "(SELECT json_group_array(tag) FROM (SELECT tag FROM feed_tags WHERE feed_id = i.feed_id
     UNION SELECT tag FROM item_tags WHERE item_id = i.id ORDER BY tag COLLATE NOCASE, tag))"
    };
}

/// A WHERE clause (over `items i JOIN feeds f`) and its parameters for a view:
/// the one place any view becomes SQL (lists, counts, mark-all-read). Every
/// view is a query (`query::view_expr`); a `View::Query` that does not parse
/// is an error, never an empty list. Dismissed items and feeds no longer in
/// the config are in no view but the reading list, which shows whatever was saved.
pub(crate) fn view_filter(view: &View) -> Result<(String, Vec<Value>)> {
    let expr = query::view_expr(view)?;
    let sql = query::compile(&expr, &query::Context::system());
    let scope = if *view == View::Saved { "" } else { "f.active = 1 AND i.dismissed = 0 AND " };
    Ok((format!("{scope}{}", sql.clause), sql.params))
}

impl Store {
    /// The rows of a view, newest first (the reading list: last saved first).
    pub fn list_rows(&self, view: &View, limit: Option<usize>) -> Result<Vec<ItemRow>> {
        if *view == View::Saved {
            return self.saved_rows(limit);
        }
        let (filter, params) = view_filter(view)?;
        let sql = format!(
            "SELECT i.id, i.title, {FEED_TITLE}, COALESCE(i.published, i.updated), i.read, i.saved, i.link
             FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE {filter} ORDER BY i.sort_date DESC, i.seq DESC LIMIT {}",
            limit.map_or(-1, |n| n as i64)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok(ItemRow {
                id: r.get(0)?,
                title: r.get(1)?,
                feed: r.get(2)?,
                date: r.get(3)?,
                read: r.get(4)?,
                saved: r.get(5)?,
                link: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full records of a view, newest first, for `list --json`.
    pub fn list_records(&self, view: &View, limit: Option<usize>) -> Result<Vec<ItemRecord>> {
        let (filter, params) = view_filter(view)?;
        let sql = format!(
            "SELECT {RECORD_COLUMNS}
             FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE {filter} ORDER BY i.sort_date DESC, i.seq DESC LIMIT {}",
            limit.map_or(-1, |n| n as i64)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One item with everything the article pane shows; an entry of the
    /// reading list when no item has that id (any more).
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT i.id, i.title, {FEED_TITLE}, f.url, i.link, i.author, COALESCE(i.published, i.updated),
                    COALESCE(NULLIF(i.content, ''), i.summary, ''),
                    (SELECT json_group_array(tag) FROM (SELECT tag FROM feed_tags WHERE feed_id = i.feed_id ORDER BY tag)),
                    i.full_html, i.full_error
             FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1"
        );
        let found = self
            .conn
            .query_row(&sql, [id], |r| {
                Ok(Article {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    feed: r.get(2)?,
                    feed_url: r.get(3)?,
                    link: r.get(4)?,
                    author: r.get(5)?,
                    published: r.get(6)?,
                    html: r.get(7)?,
                    tags: json_strings(r, 8)?,
                    full_html: r.get(9)?,
                    full_error: r.get(10)?,
                    user_tags: Vec::new(),
                })
            })
            .optional()?;
        let article = match found {
            Some(a) => Some(a),
            None => self.saved_article(id)?,
        };
        article
            .map(|mut a| -> Result<Article> {
                a.user_tags = self.user_tags(id)?;
                Ok(a)
            })
            .transpose()
    }

    /// Marks items read or unread in one transaction, as one journal entry
    /// (none when nothing changed); returns how many changed.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut changed = Vec::new();
        {
            let mut stmt = tx.prepare_cached("UPDATE items SET read = ?2 WHERE id = ?1 AND read != ?2")?;
            for id in ids {
                if stmt.execute(params![id, read])? > 0 {
                    changed.push(id.clone());
                }
            }
        }
        if !changed.is_empty() {
            let label = super::journal::read_label(&tx, &changed, read)?;
            super::journal::record(&tx, &super::journal::Op::Read { read }, &label, &changed)?;
        }
        tx.commit()?;
        Ok(changed.len())
    }
}

/// The columns of an `ItemRecord` (over `items i JOIN feeds f`), read by `record`.
pub(super) const RECORD_COLUMNS: &str = concat!(
    "i.id, COALESCE(f.config_title, f.title, f.url), f.url, i.title, i.link, i.author,
    COALESCE(i.published, i.updated), i.read, i.saved, ",
    tags_json!()
);

/// An `ItemRecord` from a row that starts with `RECORD_COLUMNS`.
pub(super) fn record(r: &Row<'_>) -> rusqlite::Result<ItemRecord> {
    Ok(ItemRecord {
        id: r.get(0)?,
        feed: r.get(1)?,
        feed_url: r.get(2)?,
        title: r.get(3)?,
        link: r.get(4)?,
        author: r.get(5)?,
        published: r.get::<_, Option<i64>>(6)?.and_then(rfc3339),
        read: r.get(7)?,
        saved: r.get(8)?,
        tags: json_strings(r, 9)?,
    })
}

pub(crate) fn count(r: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(idx)?.max(0) as u64)
}

pub(super) fn json_strings(r: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: String = r.get(idx)?;
    Ok(serde_json::from_str(&text).unwrap_or_default())
}
