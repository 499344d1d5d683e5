//! The reading list: its own table of copies (title, link, feed, dates,
//! content), so an entry outlives retention, the feed's removal from the
//! config and the site going away. `items.saved` mirrors membership so the
//! item views can mark saved items.

use rusqlite::{OptionalExtension, Row, params};

use super::journal::{self, Op};
use super::outbox::{self, SyncField};
use super::sql::{FEED_TITLE, SAVED_COLUMNS as COLUMNS, hashed_id, insert_saved, remove_saved};
use super::{Result, Store};
use crate::model::{Article, ItemId, ItemRow, ReadingEntry, RowKey, Timestamp};

/// What saving asked for did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Added, with this id and title.
    Added { id: ItemId, title: String },
    /// It was in the reading list already, with this id.
    Already { id: ItemId },
    /// No item has that id.
    Missing,
}

fn entry(r: &Row<'_>) -> rusqlite::Result<ReadingEntry> {
    Ok(ReadingEntry {
        id: r.get(0)?,
        title: r.get(1)?,
        link: r.get(2)?,
        feed: r.get(3)?,
        feed_url: r.get(4)?,
        author: r.get(5)?,
        published: r.get(6)?,
        updated: r.get(7)?,
        content: r.get(8)?,
        full_text: r.get(9)?,
        saved_at: r.get(10)?,
        enclosures: super::sql::read_enclosures(r, 11)?,
    })
}

/// A reading-list copy of an item, saved at `now` (None: no such item).
pub(crate) fn copy_of(conn: &rusqlite::Connection, id: &str, now: Timestamp) -> Result<Option<ReadingEntry>> {
    let sql = format!(
        "SELECT i.id, i.title, i.link, {FEED_TITLE}, f.url, i.author, i.published, i.updated,
                COALESCE(NULLIF(i.content, ''), i.summary), i.full_html, ?2, i.enclosures
         FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1"
    );
    Ok(conn.query_row(&sql, params![id, now], entry).optional()?)
}

pub(crate) fn load(conn: &rusqlite::Connection, id: &str) -> Result<Option<ReadingEntry>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM reading_list WHERE id = ?1"), [id], entry).optional()?)
}

/// The host of a link, to stand in for the feed of a page saved by URL.
pub(super) fn host(link: Option<&str>) -> String {
    link.and_then(|l| url::Url::parse(l).ok()).and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
}

/// The id of a page saved by URL.
pub fn page_id(url: &str) -> ItemId {
    hashed_id("tidings:page", url)
}

impl Store {
    /// Copies an item into the reading list (one journal entry).
    pub fn save_item(&mut self, id: &str, now: Timestamp) -> Result<SaveOutcome> {
        let tx = self.conn.transaction()?;
        if load(&tx, id)?.is_some() {
            return Ok(SaveOutcome::Already { id: id.to_string() });
        }
        let Some(copy) = copy_of(&tx, id, now)? else {
            return Ok(SaveOutcome::Missing);
        };
        insert_saved(&tx, &copy)?;
        let label = format!("save \"{}\"", copy.title);
        journal::record(&tx, &Op::Save { entry: copy.clone() }, &label, &[])?;
        outbox::queue(&tx, SyncField::Saved, true, std::slice::from_ref(&copy.id))?;
        tx.commit()?;
        Ok(SaveOutcome::Added { id: copy.id, title: copy.title })
    }

    /// Puts a web page (fetched by the caller) in the reading list.
    pub fn save_page(&mut self, url: &str, title: &str, html: &str, now: Timestamp) -> Result<SaveOutcome> {
        let id = page_id(url);
        let tx = self.conn.transaction()?;
        if load(&tx, &id)?.is_some() {
            return Ok(SaveOutcome::Already { id });
        }
        let copy = ReadingEntry {
            id: id.clone(),
            title: if title.trim().is_empty() { url.to_string() } else { title.to_string() },
            link: Some(url.to_string()),
            content: Some(html.to_string()),
            saved_at: now,
            ..Default::default()
        };
        insert_saved(&tx, &copy)?;
        let label = format!("save \"{}\"", copy.title);
        journal::record(&tx, &Op::Save { entry: copy.clone() }, &label, &[])?;
        tx.commit()?;
        Ok(SaveOutcome::Added { id, title: copy.title })
    }

    /// Takes an entry out of the reading list (one journal entry: undo puts
    /// the same copy back). Returns its title, or None when it was not there.
    pub fn unsave(&mut self, id: &str) -> Result<Option<String>> {
        let tx = self.conn.transaction()?;
        let Some(copy) = load(&tx, id)? else { return Ok(None) };
        remove_saved(&tx, id)?;
        let label = format!("unsave \"{}\"", copy.title);
        let title = copy.title.clone();
        outbox::queue(&tx, SyncField::Saved, false, std::slice::from_ref(&copy.id))?;
        journal::record(&tx, &Op::Unsave { entry: copy }, &label, &[])?;
        tx.commit()?;
        Ok(Some(title))
    }

    /// The whole reading list, last saved first.
    pub fn reading_list(&self) -> Result<Vec<ReadingEntry>> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {COLUMNS} FROM reading_list ORDER BY saved_at DESC, rowid DESC"))?;
        Ok(stmt.query_map([], entry)?.collect::<rusqlite::Result<_>>()?)
    }

    /// One reading-list entry.
    pub fn reading_entry(&self, id: &str) -> Result<Option<ReadingEntry>> {
        load(&self.conn, id)
    }

    /// The item whose link is exactly `url`, if any (newest first).
    pub fn item_with_link(&self, url: &str) -> Result<Option<ItemId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM items WHERE link = ?1 ORDER BY seq DESC LIMIT 1", [url], |r| r.get(0))
            .optional()?)
    }

    /// The reading-list entry whose link is exactly `url`, if any.
    pub fn saved_with_link(&self, url: &str) -> Result<Option<ItemId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM reading_list WHERE link = ?1 LIMIT 1", [url], |r| r.get(0))
            .optional()?)
    }

    /// The reading list as list rows. An entry whose item is gone counts as read.
    pub(crate) fn saved_rows(&self, limit: Option<usize>) -> Result<Vec<ItemRow>> {
        let sql = format!(
            "SELECT r.id, r.title, r.feed, COALESCE(r.published, r.updated, r.saved_at), COALESCE(i.read, 1), r.link,
                    r.saved_at, r.rowid
             FROM reading_list r LEFT JOIN items i ON i.id = r.id
             ORDER BY r.saved_at DESC, r.rowid DESC LIMIT {}",
            limit.map_or(-1, |n| n as i64)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            let link: Option<String> = r.get(5)?;
            let feed: Option<String> = r.get(2)?;
            Ok(ItemRow {
                key: RowKey { date: r.get(6)?, seq: r.get(7)?, rank: 0 },
                id: r.get(0)?,
                title: r.get(1)?,
                feed: feed.unwrap_or_else(|| host(link.as_deref())),
                date: r.get(3)?,
                read: r.get(4)?,
                saved: true,
                link,
                story: None,
                fold: Default::default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A reading-list entry as an article (for entries whose item is gone).
    pub(crate) fn saved_article(&self, id: &str) -> Result<Option<Article>> {
        Ok(load(&self.conn, id)?.map(|e| Article {
            feed: e.feed.clone().unwrap_or_else(|| host(e.link.as_deref())),
            feed_url: e.feed_url.unwrap_or_default(),
            html: e.content.clone().or_else(|| e.full_text.clone()).unwrap_or_default(),
            full_html: e.full_text,
            full_error: None,
            id: e.id,
            title: e.title,
            link: e.link,
            author: e.author,
            published: e.published.or(e.updated),
            tags: Vec::new(),
            user_tags: Vec::new(),
            enclosures: e.enclosures,
        }))
    }
}
