//! The bottom of the store: SQL fragments and row helpers every other store
//! module uses (item ids, the feed title, a view as a WHERE clause, item
//! records), and the row writers that a change and its undo share (reading
//! list copies, user tags). Nothing here calls up into another store module.

use rusqlite::{Connection, Row, params, types::Value};
use sha2::{Digest, Sha256};

use super::Result;
use crate::model::{Enclosure, ItemId, ItemRecord, ReadingEntry, View, rfc3339};
use crate::query;

// — #10 refresh —
/// How many of a feed item's 16 hex digits come from its feed's URL alone
/// (see `stable_id`).
pub(super) const FEED_DIGITS: usize = 4;

/// The public id of a feed's item: 16 hex digits, computed once, when the
/// item is first stored (ids stored earlier never change). The first
/// `FEED_DIGITS` are those of SHA-256 over the feed URL, the other 12 those
/// of SHA-256 over the feed URL and the item's key: a feed's items sit
/// together in the id index, so a refresh dirties a page or two of it per
/// feed instead of one random page per new item (the refresh into a 1M-item
/// database, #10). The same item (same feed URL, same key) gets the same id
/// whenever it is stored, in this database or another; ids stored before
/// this scheme (all 16 digits from the second hash) stay as they are.
pub fn stable_id(feed_url: &str, key: &str) -> ItemId {
    item_id(feed_url, key, 0)
}

/// `stable_id`, or for `n` > 0 its `n`th alternative: the id given instead
/// when that one is taken (12 digits shared by two items of a feed, or of
/// two feeds that share the first 4; a chance of one in 5 million for a
/// feed of 10,000 items).
pub(super) fn item_id(feed_url: &str, key: &str, n: u32) -> ItemId {
    let feed = Sha256::digest(feed_url.as_bytes());
    let mut h = Sha256::new();
    h.update(feed_url.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    if n > 0 {
        h.update([0]);
        h.update(n.to_le_bytes());
    }
    let item = h.finalize();
    hex(feed[..FEED_DIGITS / 2].iter().chain(&item[..8 - FEED_DIGITS / 2]))
}

/// An id of 16 hex digits of SHA-256 over a scope and a key: a page saved by
/// URL (`reading_list::page_id`), a sync server's item. (Feeds' items had
/// these too before `stable_id`'s clustered ids.)
pub fn hashed_id(scope: &str, key: &str) -> ItemId {
    let mut h = Sha256::new();
    h.update(scope.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    hex(&h.finalize()[..8])
}

fn hex<'a>(bytes: impl IntoIterator<Item = &'a u8>) -> ItemId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(16);
    for b in bytes {
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
    Ok(scoped(view, query::compile(&expr, &query::Context::system())))
}

// — #10 search —
/// `view_filter` with the view's driving full-text lookup (`query::driving_match`)
/// written as `given` (which must select exactly its matches).
pub(crate) fn view_filter_driven(view: &View, given: &query::Sql) -> Result<(String, Vec<Value>)> {
    let expr = query::view_expr(view)?;
    Ok(scoped(view, query::compile_driven(&expr, &query::Context::system(), given)))
}

fn scoped(view: &View, sql: query::Sql) -> (String, Vec<Value>) {
    let scope = if *view == View::Saved { "" } else { "f.active = 1 AND i.dismissed = 0 AND " };
    (format!("{scope}{}", sql.clause), sql.params)
}

/// The columns of an `ItemRecord` (over `items i JOIN feeds f`), read by `record`.
pub(super) const RECORD_COLUMNS: &str = concat!(
    "i.id, COALESCE(f.config_title, f.title, f.url), f.url, i.title, i.link, i.author,
    COALESCE(i.published, i.updated), i.read, i.saved, i.enclosures, ",
    tags_json!()
);

/// How many columns `RECORD_COLUMNS` has (a query's own columns follow them).
pub(super) const RECORD_LEN: usize = 11;

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
        enclosures: read_enclosures(r, 9)?,
        tags: json_strings(r, 10)?,
    })
}

pub(crate) fn count(r: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(idx)?.max(0) as u64)
}

pub(super) fn json_strings(r: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: String = r.get(idx)?;
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

/// The columns of a reading-list copy, in `ReadingEntry` order.
pub(super) const SAVED_COLUMNS: &str =
    "id, title, link, feed, feed_url, author, published, updated, content, full_text, saved_at, enclosures";

/// Puts a copy in the reading list (replacing one with the same id) and
/// marks its item saved.
pub(super) fn insert_saved(conn: &Connection, e: &ReadingEntry) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO reading_list ({SAVED_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        params![
            e.id,
            e.title,
            e.link,
            e.feed,
            e.feed_url,
            e.author,
            e.published,
            e.updated,
            e.content,
            e.full_text,
            e.saved_at,
            enclosures_json(&e.enclosures)
        ],
    )?;
    conn.execute("UPDATE items SET saved = 1, saved_at = ?2 WHERE id = ?1", params![e.id, e.saved_at])?;
    Ok(())
}

/// Takes a copy out of the reading list and marks its item unsaved.
pub(super) fn remove_saved(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM reading_list WHERE id = ?1", [id])?;
    conn.execute("UPDATE items SET saved = 0, saved_at = NULL WHERE id = ?1", [id])?;
    Ok(())
}

/// Enclosures as stored: a JSON array, or NULL for none.
pub(super) fn enclosures_json(list: &[Enclosure]) -> Option<String> {
    (!list.is_empty()).then(|| serde_json::to_string(list).ok()).flatten()
}

/// Enclosures from a column written by `enclosures_json`.
pub(super) fn read_enclosures(r: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<Enclosure>> {
    let text: Option<String> = r.get(idx)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

/// Replaces an item's user tags (no journal entry: callers write it).
pub(super) fn write_tags(conn: &Connection, id: &str, tags: &[String]) -> Result<()> {
    conn.execute("DELETE FROM item_tags WHERE item_id = ?1", [id])?;
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO item_tags (item_id, tag) VALUES (?1, ?2)")?;
    for tag in tags {
        stmt.execute(params![id, tag])?;
    }
    Ok(())
}
