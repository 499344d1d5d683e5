//! Items: reading them back as list rows, articles and records, and
//! marking them read or unread. (Storing fetched items is `ingest`.)

use rusqlite::{OptionalExtension, params, params_from_iter};

use super::sql::{FEED_TITLE, RECORD_COLUMNS, json_strings, record, view_filter};
use super::{Result, Store, journal};
use crate::model::{Article, ItemId, ItemRecord, ItemRow, View};

impl Store {
    /// The rows of a view, newest first (the reading list: last saved first).
    pub fn list_rows(&self, view: &View, limit: Option<usize>) -> Result<Vec<ItemRow>> {
        if *view == View::Saved {
            return self.saved_rows(limit);
        }
        let (filter, params) = view_filter(view)?;
        let sql = format!(
            "SELECT i.id, i.title, {FEED_TITLE}, COALESCE(i.published, i.updated), i.read, i.saved, i.link,
                    i.sort_date, i.seq
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
                key: crate::model::RowKey { date: r.get(7)?, seq: r.get(8)?, rank: 0 },
                story: None,
                fold: Default::default(),
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
                    i.full_html, i.full_error, i.enclosures
             FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id = +?1"
        );
        // `+?1`, not `?1`: compared bare to an indexed column, a parameter makes
        // SQLite (built with STAT4) prepare the statement again on every new
        // value, which cost more than the read itself (#10 keys).
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| {
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
                    enclosures: super::sql::read_enclosures(r, 11)?,
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
            let label = journal::read_label(&tx, &changed, read)?;
            journal::record(&tx, &journal::Op::Read { read }, &label, &changed)?;
            super::outbox::queue(&tx, super::SyncField::Read, read, &changed)?;
        }
        tx.commit()?;
        Ok(changed.len())
    }
}
