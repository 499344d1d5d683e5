//! Items: storing fetched ones without duplicates, and reading them back as
//! list rows, articles, records and counts.

use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value};
use sha2::{Digest, Sha256};

use super::{Result, Store};
use crate::model::{
    Article, Counts, FeedFailure, FetchedFeed, ItemId, ItemRecord, ItemRow, TagCount, Timestamp, View, rfc3339,
};
use crate::query;

/// The public id of an item: 16 hex digits of SHA-256 over the feed URL and
/// the item's key. Computed once, when the item is first stored.
pub fn stable_id(feed_url: &str, key: &str) -> ItemId {
    let mut h = Sha256::new();
    h.update(feed_url.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
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
    /// Stores a fetched feed in one transaction: new items are inserted, known
    /// ones (same feed, same key) get their text refreshed but keep their id and
    /// read/saved state. Returns how many items were new.
    pub fn store_fetched(&mut self, feed: &FetchedFeed, now: Timestamp) -> Result<usize> {
        let tx = self.conn.transaction()?;
        tx.execute("INSERT INTO feeds (url, active) VALUES (?1, 1) ON CONFLICT(url) DO NOTHING", [&feed.url])?;
        tx.execute(
            "UPDATE feeds SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url),
                 etag = ?4, last_modified = ?5, last_error = NULL, last_fetch = ?6,
                 last_success = ?6, fail_count = 0
             WHERE url = ?1",
            params![feed.url, feed.title, feed.site_url, feed.etag, feed.last_modified, now],
        )?;
        let feed_id: i64 = tx.query_row("SELECT id FROM feeds WHERE url = ?1", [&feed.url], |r| r.get(0))?;
        let mut new = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO items (id, feed_id, key, title, link, author, published, updated, summary,
                                    content, categories, first_seen, sort_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT(feed_id, key) DO NOTHING",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE items SET title = ?3, link = ?4, author = ?5, published = ?6, updated = ?7,
                                  summary = ?8, content = ?9, categories = ?10
                 WHERE feed_id = ?1 AND key = ?2",
            )?;
            for item in &feed.items {
                let categories = serde_json::to_string(&item.categories).unwrap_or_else(|_| "[]".into());
                let sort_date = item.published.or(item.updated).unwrap_or(now);
                let inserted = insert.execute(params![
                    stable_id(&feed.url, &item.key),
                    feed_id,
                    item.key,
                    item.title,
                    item.link,
                    item.author,
                    item.published,
                    item.updated,
                    item.summary,
                    item.content,
                    categories,
                    now,
                    sort_date,
                ])?;
                if inserted == 1 {
                    new += 1;
                } else {
                    update.execute(params![
                        feed_id,
                        item.key,
                        item.title,
                        item.link,
                        item.author,
                        item.published,
                        item.updated,
                        item.summary,
                        item.content,
                        categories,
                    ])?;
                }
            }
        }
        super::retention::mark_seen(&tx, feed_id, feed.items.iter().map(|i| i.key.as_str()), now)?;
        tx.commit()?;
        Ok(new)
    }

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
            super::outbox::queue(&tx, super::SyncField::Read, read, &changed)?;
        }
        tx.commit()?;
        Ok(changed.len())
    }

    /// Totals, unread counts per tag (the feeds' and the user's), the reading
    /// list's size and failing feeds, for the sidebar.
    pub fn counts(&self) -> Result<Counts> {
        let (total, unread) = self.count_view(&View::All)?;
        let saved = self.conn.query_row("SELECT COUNT(*) FROM reading_list", [], |r| count(r, 0))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.tag FROM feed_tags t JOIN feeds f ON f.id = t.feed_id AND f.active = 1
             UNION SELECT tag FROM item_tags ORDER BY 1 COLLATE NOCASE, 1",
        )?;
        let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut tags = Vec::with_capacity(names.len());
        for tag in names {
            let (total, unread) = self.count_view(&View::Tag(tag.clone()))?;
            tags.push(TagCount { tag, total, unread });
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.url, {FEED_TITLE}, f.last_error FROM feeds f
             WHERE f.active = 1 AND f.last_error IS NOT NULL ORDER BY 2"
        ))?;
        let failing = stmt
            .query_map([], |r| Ok(FeedFailure { url: r.get(0)?, title: r.get(1)?, error: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Counts { total, unread, saved, tags, failing, queries: Vec::new() })
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
