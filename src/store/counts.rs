//! The sidebar's counts, from the per-feed aggregates the schema's triggers
//! keep (`feed_counts`, migration 7): the cost is a row per feed, a row per
//! feed tag and one per user tag on a live item, however many items there are.
//!
//! A tag's items are its feeds' items plus the items the user tagged that
//! are not in one of those feeds (tags compare as the query language's
//! `tag:` does: ASCII case ignored), so the counts equal what each view shows.

use std::collections::{HashMap, HashSet};

use super::sql::{FEED_TITLE, count};
use super::{Result, Store};
use crate::model::{Counts, FeedCount, FeedFailure, TagCount};

/// One active feed's row: its counts and health.
struct FeedRow {
    id: i64,
    count: FeedCount,
    error: Option<String>,
}

impl Store {
    /// Totals, unread counts per tag (the feeds' and the user's) and per
    /// feed, the reading list's size and failing feeds, for the sidebar.
    pub fn counts(&self) -> Result<Counts> {
        let feeds = self.feed_rows()?;
        let (total, mut unread) = feeds.iter().fold((0, 0), |(t, u), f| (t + f.count.total, u + f.count.unread));
        // — #15 stories — `[stories] count = "stories"`: a story counts once in
        // the unread total (a feed's or a tag's count stays its items).
        let config = self.stories_config();
        if config.enabled && config.count == crate::stories::Count::Stories {
            unread = unread.saturating_sub(self.unread_in_stories_beyond_one()?);
        }
        let by_id: HashMap<i64, &FeedCount> = feeds.iter().map(|f| (f.id, &f.count)).collect();
        let tags = self.tag_counts(&by_id)?;
        let saved = self.conn.prepare_cached("SELECT COUNT(*) FROM reading_list")?.query_row([], |r| count(r, 0))?;
        let mut failing: Vec<FeedFailure> = feeds
            .iter()
            .filter_map(|f| {
                let error = f.error.clone()?;
                Some(FeedFailure { url: f.count.url.clone(), title: f.count.title.clone(), error })
            })
            .collect();
        failing.sort_by(|a, b| a.title.cmp(&b.title));
        let feeds = feeds.into_iter().map(|f| f.count).collect();
        Ok(Counts { total, unread, saved, tags, failing, feeds, queries: Vec::new() })
    }

    /// Every active feed with its counts, by title.
    fn feed_rows(&self) -> Result<Vec<FeedRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT f.id, f.url, {FEED_TITLE}, COALESCE(c.total, 0), COALESCE(c.unread, 0), f.last_error,
                    (SELECT MIN(tag) FROM feed_tags t WHERE t.feed_id = f.id)
             FROM feeds f LEFT JOIN feed_counts c ON c.feed_id = f.id
             WHERE f.active = 1 ORDER BY 3, f.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(FeedRow {
                id: r.get(0)?,
                count: FeedCount {
                    url: r.get(1)?,
                    title: r.get(2)?,
                    total: count(r, 3)?,
                    unread: count(r, 4)?,
                    tag: r.get(6)?,
                },
                error: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each tag's counts: the sums of its feeds' counts, plus the user-tagged
    /// items outside those feeds.
    fn tag_counts(&self, feeds: &HashMap<i64, &FeedCount>) -> Result<Vec<TagCount>> {
        let feed_tags: Vec<(i64, String)> = self
            .conn
            .prepare_cached("SELECT feed_id, tag FROM feed_tags")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // (tag, item, feed, read) for user tags on items that show in some view.
        let user: Vec<(String, i64, i64, bool)> = self
            .conn
            .prepare_cached(
                // CROSS JOIN keeps the (few) user tags the outer loop: the
                // planner would otherwise walk every item.
                "SELECT t.tag, i.seq, i.feed_id, i.read FROM item_tags t
                 CROSS JOIN items i ON i.id = t.item_id CROSS JOIN feeds f ON f.id = i.feed_id
                 WHERE f.active = 1 AND i.dismissed = 0",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut names: Vec<String> = self
            .conn
            .prepare_cached("SELECT DISTINCT tag FROM item_tags")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names.extend(feed_tags.iter().filter(|(id, _)| feeds.contains_key(id)).map(|(_, t)| t.clone()));
        names.sort_by(|a, b| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()).then_with(|| a.cmp(b)));
        names.dedup();
        Ok(names
            .into_iter()
            .map(|tag| {
                let tagged: HashSet<i64> = feed_tags
                    .iter()
                    .filter(|(id, t)| t.eq_ignore_ascii_case(&tag) && feeds.contains_key(id))
                    .map(|(id, _)| *id)
                    .collect();
                let (mut total, mut unread) =
                    tagged.iter().filter_map(|id| feeds.get(id)).fold((0, 0), |(t, u), f| (t + f.total, u + f.unread));
                let mut seen = HashSet::new();
                for (t, seq, feed, read) in &user {
                    if t.eq_ignore_ascii_case(&tag) && !tagged.contains(feed) && seen.insert(*seq) {
                        total += 1;
                        unread += u64::from(!read);
                    }
                }
                TagCount { tag, total, unread }
            })
            .collect())
    }
}

#[cfg(test)]
#[path = "counts_tests.rs"]
mod tests;
