//! Story grouping where items are stored (#15, PRODUCT.md §12).
//!
//! Each store that writes items owns one [`Grouper`], used only by the code
//! that stores items (the writer's ingest, the sync), never by the loop
//! thread. It is filled lazily, the first time a batch of items is stored,
//! from the file the last run saved beside the database (`story_seed`), else
//! from the stored items of the last window (their story kept with them,
//! their signature computed again), and caught up the same way before every later batch with
//! what other connections stored meanwhile (a `tidings fetch` beside the
//! reader, the sync's own connection): so two writers never give one story
//! two ids.
//!
//! A new item is inserted with its signature and no story (alone: its story's
//! id is its own); when the grouper puts it in an existing story, it and the
//! story's first item get the story's id, in the same transaction. An item that is already stored keeps its story:
//! a re-fetch never moves it. With `[stories] enabled = false` nothing is
//! signed or grouped (the story stays NULL: the item is a story of its own).

use std::borrow::Cow;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::Serialize;

use super::sql::{RECORD_COLUMNS, RECORD_LEN, record, view_filter};
use super::{Result, Store};
use crate::model::{ItemRecord, Timestamp, View};
use crate::stories::{Grouper, Signature, StoriesConfig, StoryItem};

/// The grouping state of one store.
#[derive(Default)]
pub(super) struct Stories {
    /// Off unless the owner sets it (`Store::set_stories`); the config's
    /// default turns it on.
    config: Option<StoriesConfig>,
    /// None until the first batch needs it (then seeded from the store).
    grouper: Option<Grouper>,
    /// The highest item `seq` the grouper has seen stored.
    seen_seq: i64,
    /// How many stored items the last `prepare` signed again (for tests).
    pub(super) seeded: usize,
    /// How many new items the last `catch_up` grouped late (for tests).
    pub(super) grouped_late: usize,
    /// The grouper learnt something since it was saved or restored.
    dirty: bool,
    /// The saved grouper being read on a thread of its own (`Store::preload_stories`).
    preload: Option<std::thread::JoinHandle<Option<Restored>>>,
    // — #10 refresh —
    /// New items stored while that thread was still reading (`prepare_soon`).
    backlog: Option<Backlog>,
    /// The grouper being written to its file on a thread of its own
    /// (`save_soon`), with whether that worked.
    saving: Option<std::thread::JoinHandle<(Grouper, bool)>>,
}

/// The new items of the open transaction that are not grouped yet: they were
/// stored while the saved grouper was still being read (its 14,000 entries
/// take 30–50 ms beside a run's first fetches), and are grouped, in the order
/// they came, once it is read (`Stories::catch_up`), before the commit at the
/// latest. Until then they are stored alone (no story), as any new item is
/// before the grouper places it.
struct Backlog {
    /// The newest item stored before the first of them.
    upto: i64,
    /// When the batch began.
    now: Timestamp,
    items: Vec<Noted>,
}

/// What `Stories::assign` is told of a new item.
struct Noted {
    seq: i64,
    id: String,
    feed_id: i64,
    sort_date: Timestamp,
    sig: Signature,
    now: Timestamp,
}

/// A grouper restored from the saved file, with the item it had seen last
/// (its `seq` and id, checked against the database before it is used).
struct Restored {
    grouper: Grouper,
    seen_seq: i64,
    seen_id: String,
}

impl Stories {
    /// Grouping is on.
    pub(super) fn enabled(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.enabled)
    }

    /// The settings, when set.
    pub(super) fn config(&self) -> Option<&StoriesConfig> {
        self.config.as_ref()
    }

    /// Forgets the grouper (a transaction was rolled back: what it learnt
    /// may not be stored); the next batch seeds it again.
    pub(super) fn forget(&mut self) {
        if let Some(thread) = self.saving.take() {
            let _ = thread.join(); // (its file is of a committed state)
        }
        self.grouper = None;
        self.seen_seq = 0;
        self.backlog = None;
    }

    /// Before a batch of items is stored (inside its write transaction):
    /// seeds the grouper or catches it up with items stored by others.
    pub(super) fn prepare(&mut self, conn: &Connection, now: Timestamp) -> Result<()> {
        self.prepare_upto(conn, now, None)
    }

    // — #10 refresh —
    /// `prepare`, but while the saved grouper is still being read the
    /// batch's new items are only noted (`assign`), and grouped once it is
    /// read (`catch_up`, which the caller runs before committing).
    pub(super) fn prepare_soon(&mut self, conn: &Connection, now: Timestamp) -> Result<()> {
        self.rejoin();
        if self.backlog.is_some() {
            return Ok(());
        }
        if self.grouper.is_none() && self.enabled() && self.preload.as_ref().is_some_and(|t| !t.is_finished()) {
            let upto: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM items", [], |r| r.get(0))?;
            self.backlog = Some(Backlog { upto, now, items: Vec::new() });
            return Ok(());
        }
        self.prepare(conn, now)
    }

    /// Groups the noted items (`prepare_soon`), waiting for the saved
    /// grouper if it is still being read.
    pub(super) fn catch_up(&mut self, conn: &Connection) -> Result<()> {
        let Some(backlog) = self.backlog.take() else { return Ok(()) };
        // Even with none noted yet: the caller groups its next item now.
        self.prepare_upto(conn, backlog.now, Some(backlog.upto))?;
        self.grouped_late = backlog.items.len();
        for n in backlog.items {
            let at = Placed { id: &n.id, feed_id: n.feed_id, sort_date: n.sort_date };
            self.assign(conn, n.seq, at, &n.sig, n.now)?;
        }
        Ok(())
    }

    /// `prepare`, with the items after `upto` (when given) left out: they
    /// are the noted ones, grouped next.
    fn prepare_upto(&mut self, conn: &Connection, now: Timestamp, upto: Option<i64>) -> Result<()> {
        self.rejoin();
        let Some(config) = self.config.as_ref().filter(|c| c.enabled) else { return Ok(()) };
        let newest: i64 = match upto {
            Some(upto) => upto,
            None => conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM items", [], |r| r.get(0))?,
        };
        if self.grouper.is_some() && newest <= self.seen_seq {
            return Ok(());
        }
        if self.grouper.is_none()
            && let Some((grouper, seen_seq)) = Stories::restored(self.preload.take(), conn, config)
        {
            self.grouper = Some(grouper);
            self.seen_seq = seen_seq;
            self.dirty = false;
        }
        let grouper = self.grouper.get_or_insert_with(|| config.grouper());
        // The window ends at the latest stored date (no later than now), as
        // the grouper's clock does, so items dated long ago still group
        // across restarts. (Not the last stored item's date: items arrive
        // feed by feed, and the last one stored may be a year old, which
        // made a start sign every item of a big archive again.) Noted
        // items (`catch_up`) may be the latest: the grouper's clock moves
        // to them anyway as they are grouped next.
        let latest: Option<i64> = conn.query_row("SELECT MAX(sort_date) FROM items", [], |r| r.get(0))?;
        let mut since = latest.unwrap_or(now).min(now).saturating_sub(i64::from(config.window_hours) * 3600);
        // No more than the grouper keeps: the newest `max_entries` of the
        // window (it would drop the oldest of any more as they came in).
        let cap = grouper.tuning().max_entries.max(1) as i64;
        let boundary: Option<i64> = conn
            .prepare_cached(
                "SELECT sort_date FROM items WHERE seq > ?1 AND sort_date >= ?2 AND seq <= ?4
                 ORDER BY sort_date DESC, seq DESC LIMIT 1 OFFSET ?3",
            )?
            .query_row(params![self.seen_seq, since, cap - 1, newest], |r| r.get(0))
            .optional()?;
        if let Some(boundary) = boundary {
            since = since.max(boundary);
        }
        // Signed again from their text (a few µs each): storing signatures
        // cost a tenth more ingest time than this costs at a start.
        let mut stmt = conn.prepare_cached(
            "SELECT id, COALESCE(story, id), feed_id, sort_date, title, substr(COALESCE(summary, content), 1, 8000)
             FROM items WHERE seq > ?1 AND sort_date >= ?2 AND seq <= ?3 ORDER BY sort_date, seq",
        )?;
        let mut rows = stmt.query(params![self.seen_seq, since, newest])?;
        self.seeded = 0;
        while let Some(row) = rows.next()? {
            self.seeded += 1;
            self.dirty = true;
            let (id, story): (String, String) = (row.get(0)?, row.get(1)?);
            let feed: i64 = row.get(2)?;
            let published: i64 = row.get::<_, i64>(3)?.min(now);
            let title: String = row.get(4)?;
            let summary: Option<String> = row.get(5)?;
            let sig = crate::stories::sign_html(&title, summary.as_deref());
            grouper.seed(&id, &story, &feed.to_string(), published, &sig);
        }
        self.seen_seq = newest;
        Ok(())
    }

    /// The signature of a new item (None when grouping is off): the one the
    /// parser computed, else computed here.
    pub(super) fn sign<'a>(
        &self,
        signed: Option<&'a Signature>,
        title: &str,
        summary_html: Option<&str>,
    ) -> Option<Cow<'a, Signature>> {
        if !self.enabled() {
            return None;
        }
        Some(match signed {
            Some(sig) => Cow::Borrowed(sig),
            None => Cow::Owned(crate::stories::sign_html(title, summary_html)),
        })
    }

    /// A new item was inserted (row `seq`, with its own id as story): gives
    /// it its story, rewriting the row when the story is another item's.
    pub(super) fn assign(
        &mut self,
        conn: &Connection,
        seq: i64,
        item: Placed<'_>,
        sig: &Signature,
        now: Timestamp,
    ) -> Result<()> {
        self.rejoin();
        if let Some(backlog) = &mut self.backlog {
            if self.preload.as_ref().is_some_and(|t| !t.is_finished()) {
                let (id, feed_id, sort_date) = (item.id.to_string(), item.feed_id, item.sort_date);
                backlog.items.push(Noted { seq, id, feed_id, sort_date, sig: sig.clone(), now });
                return Ok(());
            }
            self.catch_up(conn)?;
        }
        self.seen_seq = self.seen_seq.max(seq);
        let Some(grouper) = self.grouper.as_mut() else { return Ok(()) };
        self.dirty = true;
        let story_item = StoryItem {
            id: item.id.to_string(),
            feed: item.feed_id.to_string(),
            title: String::new(),
            summary: String::new(),
            published: item.sort_date.min(now),
        };
        let story = grouper.assign_signed(&story_item, sig);
        if story.as_str() != item.id {
            // Stored with no story (alone): it joins one, whose first item
            // gets its own id as its story if it was alone until now.
            conn.prepare_cached("UPDATE items SET story = ?2 WHERE seq = ?1")?.execute(params![seq, story.as_str()])?;
            conn.prepare_cached("UPDATE items SET story = ?1 WHERE id = ?1 AND story IS NULL")?
                .execute([story.as_str()])?;
        }
        Ok(())
    }
}

/// What the grouper is told of a new item besides its signature.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed<'a> {
    pub id: &'a str,
    pub feed_id: i64,
    pub sort_date: Timestamp,
}

impl Store {
    /// The `[stories]` settings used as items are stored from now on
    /// (grouping is off until this is called).
    pub fn set_stories(&mut self, config: StoriesConfig) {
        let mut stories = Stories::default();
        stories.config = Some(config);
        self.stories = stories;
    }

    /// Saves the story grouper beside the database for the next run (a
    /// start then reads only the items stored after it instead of signing
    /// the last window's again). Call when a run that stored items ends.
    pub fn save_stories(&mut self) {
        self.stories.save(&self.conn);
    }

    // — #10 refresh —
    /// `save_stories` on a thread of its own, beside what the caller does
    /// next (a run's last checkpoint); the grouper's next use, and dropping
    /// the store, wait for it.
    pub fn save_stories_soon(&mut self) {
        self.stories.save_soon(&self.conn);
    }

    /// Starts reading the story grouper saved beside the database on a
    /// thread of its own (the first batch stored waits for it): a run calls
    /// it when it starts, so the reading overlaps its first fetches.
    pub fn preload_stories(&mut self) {
        if let Some(path) = self.file_path() {
            self.stories.preload(&path);
        }
    }

    /// The `[stories]` settings in use (the defaults with grouping off
    /// when none were set).
    pub fn stories_config(&self) -> StoriesConfig {
        self.stories.config.clone().unwrap_or(StoriesConfig { enabled: false, ..StoriesConfig::default() })
    }

    /// How many unread items are not their story's only unread one: the
    /// unread total less this counts each story once. Only the stories of
    /// more than one item are read (by `items_story_members`): 2 ms at 100k
    /// items, against 430 ms for a pass over the unread ones.
    pub(super) fn unread_in_stories_beyond_one(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) - COUNT(DISTINCT i.story)
                 FROM (SELECT DISTINCT story FROM items WHERE story <> id) s
                 CROSS JOIN items i ON i.story = s.story JOIN feeds f ON f.id = i.feed_id
                 WHERE +i.read = 0 AND i.dismissed = 0 AND f.active = 1",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The story of an item (its own id when it is not grouped); None when
    /// no such item.
    pub fn story_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(story, id) FROM items WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
}

/// One story of `tidings list --stories`: its items that match the query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryRecord {
    /// The story's id (its first item's id; stable across re-fetches and restarts).
    pub story: String,
    /// The item its row shows (`[stories] prefer`, else the earliest).
    pub lead: String,
    /// How many of its items are unread.
    pub unread: usize,
    /// Its items, earliest first.
    pub items: Vec<ItemRecord>,
}

impl Store {
    /// The stories of a view, the one with the newest item first, each with
    /// its items that match the view; with `limit`, that many stories. With
    /// grouping off every item is a story of its own.
    pub fn list_stories(&self, view: &View, limit: Option<usize>) -> Result<Vec<StoryRecord>> {
        let config = self.stories_config();
        let (filter, params) = view_filter(view)?;
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, COALESCE(i.story, i.id), i.sort_date
             FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE {filter} ORDER BY i.sort_date DESC, i.seq DESC"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok((record(r)?, r.get::<_, String>(RECORD_LEN)?, r.get::<_, i64>(RECORD_LEN + 1)?))
        })?;
        let mut order: Vec<String> = Vec::new();
        let mut by_story: std::collections::HashMap<String, Vec<(ItemRecord, i64)>> = Default::default();
        for row in rows {
            let (rec, story, date) = row?;
            let story = if config.enabled { story } else { rec.id.clone() };
            let items = by_story.entry(story.clone()).or_default();
            if items.is_empty() {
                order.push(story);
            }
            items.push((rec, date));
        }
        order.truncate(limit.unwrap_or(usize::MAX));
        Ok(order
            .into_iter()
            .map(|story| {
                let mut items = by_story.remove(&story).unwrap_or_default();
                items.reverse(); // earliest first
                let keys: Vec<(&str, &str, i64)> =
                    items.iter().map(|(r, d)| (r.feed.as_str(), r.feed_url.as_str(), *d)).collect();
                let lead = config.lead_index(&keys).map(|i| items[i].0.id.clone()).unwrap_or_default();
                let unread = items.iter().filter(|(r, _)| !r.read).count();
                StoryRecord { story, lead, unread, items: items.into_iter().map(|(r, _)| r).collect() }
            })
            .collect())
    }
}

/// How the list folds stories (#15): each story shows as one row, its lead
/// (the first item of the most preferred outlet in `prefer`, else the
/// earliest, among the story's items in the view), unless unfolded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folding {
    /// Fold at all (`[stories] enabled`).
    pub on: bool,
    /// Outlets (feed titles or URLs), most preferred first.
    pub prefer: Vec<String>,
    /// The stories shown unfolded: their items are listed under the lead.
    pub unfolded: Vec<String>,
}

impl Folding {
    /// The SQL rank of an item's outlet in `prefer` (0 first, `prefer.len()`
    /// for the others), for the feed alias `f`; None without `prefer`.
    fn rank(&self, f: &str) -> Option<(String, Vec<Value>)> {
        if self.prefer.is_empty() {
            return None;
        }
        let mut sql = String::from("CASE");
        let mut params = Vec::new();
        for (i, p) in self.prefer.iter().enumerate() {
            sql.push_str(&format!(
                " WHEN COALESCE({f}.config_title, {f}.title, {f}.url) = ? COLLATE NOCASE OR {f}.url = ? COLLATE NOCASE THEN {i}"
            ));
            params.extend([Value::Text(p.clone()), Value::Text(p.clone())]);
        }
        sql.push_str(&format!(" ELSE {} END", self.prefer.len()));
        Some((sql, params))
    }

    /// The condition (over `items i JOIN feeds f`) that keeps only the rows
    /// that lead their story among the items `filter` selects.
    pub(super) fn lead_only(&self, filter: &str, params: &[Value]) -> (String, Vec<Value>) {
        let mut out = Vec::new();
        let (left, right) = match (self.rank("fo"), self.rank("f")) {
            (Some((ro, po)), Some((ri, pi))) => {
                out.extend(po);
                out.extend(pi);
                (format!("({ro}, o.sort_date, o.seq)"), format!("({ri}, i.sort_date, i.seq)"))
            }
            _ => ("(o.sort_date, o.seq)".to_string(), "(i.sort_date, i.seq)".to_string()),
        };
        out.extend(params.iter().cloned());
        let sql = format!(
            "NOT EXISTS (SELECT 1 FROM items o JOIN feeds fo ON fo.id = o.feed_id
                WHERE o.story = i.story AND o.seq <> i.seq AND {left} < {right}
                  AND EXISTS (SELECT 1 FROM items i JOIN feeds f ON f.id = i.feed_id
                              WHERE i.seq = o.seq AND ({filter})))"
        );
        (sql, out)
    }
}

/// The name of an outlet in a `+N` badge: its title's first word that is
/// not an article, at most 12 characters.
pub fn short_name(title: &str) -> String {
    let skip = ["the", "a", "an", "la", "le", "el", "die", "der"];
    let word = title
        .split(|c: char| c.is_whitespace() || c == '—' || c == '-' || c == ':' || c == '|')
        .filter(|w| !w.is_empty())
        .find(|w| !skip.contains(&w.to_lowercase().as_str()))
        .unwrap_or(title);
    word.chars().take(12).collect()
}

impl Store {
    /// How windows of the list fold stories from now on.
    pub fn set_folding(&self, folding: Folding) {
        *self.folding.borrow_mut() = folding;
    }

    pub fn folding(&self) -> Folding {
        self.folding.borrow().clone()
    }
}

#[cfg(test)]
#[path = "stories_tests.rs"]
mod tests;

#[path = "stories_saved.rs"]
mod saved;
