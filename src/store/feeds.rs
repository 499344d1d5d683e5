//! Feeds: kept in step with the config, plus each feed's fetch health.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::config::FeedConfig;
use crate::model::{PollInfo, Timestamp};

/// HTTP validators remembered from the last successful fetch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What the poller needs to resume a feed's schedule after a restart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollState {
    pub validators: Validators,
    pub next_poll: Option<Timestamp>,
    pub retry_at: Option<Timestamp>,
    /// Failures in a row.
    pub failures: u32,
    pub moved_to: Option<String>,
    /// The last known `<ttl>` and max-age, in seconds.
    pub ttl: Option<u64>,
    pub max_age: Option<u64>,
}

impl Store {
    /// Makes the feeds table match the config: adds new feeds, refreshes titles
    /// and tags, and marks feeds no longer listed inactive (their items stay).
    ///
    /// — #10 refresh — Only what changed is written: a config of 5,000
    /// feeds that did not change rewrites no row (each run wrote every
    /// feed's row twice and its tags again).
    pub fn sync_feeds(&mut self, feeds: &[FeedConfig]) -> Result<()> {
        let tx = self.conn.transaction()?;
        let mut listed = std::collections::HashSet::with_capacity(feeds.len());
        for f in feeds {
            tx.prepare_cached(
                "INSERT INTO feeds (url, config_title, active) VALUES (?1, ?2, 1)
                 ON CONFLICT(url) DO UPDATE SET config_title = excluded.config_title, active = 1
                 WHERE config_title IS NOT excluded.config_title OR active = 0",
            )?
            .execute(params![f.url, f.title])?;
            let id: i64 =
                tx.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?.query_row([&f.url], |r| r.get(0))?;
            listed.insert(id);
            let mut tags: Vec<&str> = f.tags.iter().map(String::as_str).collect();
            tags.sort_unstable();
            tags.dedup();
            let stored: Vec<String> = tx
                .prepare_cached("SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if stored.iter().map(String::as_str).ne(tags.iter().copied()) {
                tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [id])?;
                for tag in tags {
                    tx.execute("INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?1, ?2)", params![id, tag])?;
                }
            }
        }
        // The feeds the config no longer lists, in one statement.
        let listed = serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into());
        tx.prepare_cached(
            "UPDATE feeds SET active = 0 WHERE active = 1 AND id NOT IN (SELECT value FROM json_each(?1))",
        )?
        .execute([listed])?;
        tx.commit()?;
        Ok(())
    }

    /// The validators of every feed that has some.
    pub fn validators(&self) -> Result<HashMap<String, Validators>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, etag, last_modified FROM feeds WHERE etag IS NOT NULL OR last_modified IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, Validators { etag: r.get(1)?, last_modified: r.get(2)? }))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every feed's schedule state, by URL.
    pub fn poll_states(&self) -> Result<HashMap<String, PollState>> {
        let mut stmt = self.conn.prepare(&format!("SELECT {POLL_STATE} FROM feeds"))?;
        let rows = stmt.query_map([], poll_state)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // — #10 refresh —
    /// The schedule states of these feeds, by URL (those the database has):
    /// looked up one by one when they are few, so a fetch of a few feeds
    /// does not read the rows of the thousands the database also holds.
    pub fn poll_states_of<'u>(
        &self,
        urls: impl ExactSizeIterator<Item = &'u str>,
    ) -> Result<HashMap<String, PollState>> {
        if urls.len() > POINT_LOOKUPS_UP_TO {
            return self.poll_states();
        }
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {POLL_STATE} FROM feeds WHERE url = ?1"))?;
        let mut states = HashMap::with_capacity(urls.len());
        for url in urls {
            if let Some((url, state)) = stmt.query_row([url], poll_state).optional()? {
                states.insert(url, state);
            }
        }
        Ok(states)
    }

    /// Persists what a poll learned for the schedule and the feed's health.
    /// Record the result itself (`store_fetched`, `record_failure`, …) first.
    pub fn record_schedule(&mut self, url: &str, info: &PollInfo) -> Result<()> {
        self.conn.execute(
            "UPDATE feeds SET status = ?2, next_poll = ?3, retry_at = ?4, moved_to = COALESCE(?5, moved_to),
                 hint_ttl = ?6, hint_max_age = ?7
             WHERE url = ?1",
            params![
                url,
                info.status,
                info.next_poll,
                info.retry_at,
                info.moved_to,
                info.ttl.map(|v| v.min(i64::MAX as u64) as i64),
                info.max_age.map(|v| v.min(i64::MAX as u64) as i64)
            ],
        )?;
        Ok(())
    }

    /// Records a failed fetch; the feed's items are untouched.
    pub fn record_failure(&mut self, url: &str, error: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "UPDATE feeds SET last_error = ?2, last_fetch = ?3, fail_count = fail_count + 1 WHERE url = ?1",
            params![url, error, now],
        )?;
        Ok(())
    }

    /// Records a fetch that found nothing new (HTTP 304).
    pub fn record_not_modified(&mut self, url: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "UPDATE feeds SET last_error = NULL, last_fetch = ?2, last_success = ?2, fail_count = 0 WHERE url = ?1",
            params![url, now],
        )?;
        Ok(())
    }

    /// The title to show for a feed: the config's, else the feed's own, else its URL.
    pub fn feed_title(&self, url: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(config_title, title, url) FROM feeds WHERE url = ?1", [url], |r| r.get(0))
            .optional()?)
    }
}

/// The columns `poll_state` reads.
const POLL_STATE: &str = "url, etag, last_modified, next_poll, retry_at, fail_count, moved_to, hint_ttl, hint_max_age";

/// Up to this many feeds, `poll_states_of` looks each up; more, it reads them all.
const POINT_LOOKUPS_UP_TO: usize = 512;

/// A feed's URL and schedule state from a row of `POLL_STATE`.
fn poll_state(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, PollState)> {
    Ok((
        r.get::<_, String>(0)?,
        PollState {
            validators: Validators { etag: r.get(1)?, last_modified: r.get(2)? },
            next_poll: r.get(3)?,
            retry_at: r.get(4)?,
            failures: r.get::<_, i64>(5)?.clamp(0, u32::MAX as i64) as u32,
            moved_to: r.get(6)?,
            ttl: r.get::<_, Option<i64>>(7)?.map(|v| v.max(0) as u64),
            max_age: r.get::<_, Option<i64>>(8)?.map(|v| v.max(0) as u64),
        },
    ))
}
