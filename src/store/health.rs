//! Each feed's health and schedule, and the database's size, for the
//! headless `feeds list` and `stats`.

use super::{Result, Store};
use crate::model::FeedHealth;

/// Each active feed's row for `feed_health`.
const HEALTH: &str = "SELECT f.url, COALESCE(f.config_title, f.title, f.url), f.status, f.last_error, f.fail_count,
        f.last_fetch, f.last_success, f.next_poll, f.retry_at, f.moved_to,
        COALESCE(c.stored, 0), COALESCE(c.unread, 0),
        (SELECT json_group_array(tag) FROM (SELECT tag FROM feed_tags WHERE feed_id = f.id ORDER BY tag)),
        f.site_url, f.repairs
     FROM feeds f LEFT JOIN feed_counts c ON c.feed_id = f.id WHERE f.active = 1 ORDER BY f.id";

impl Store {
    /// Every feed listed in the config, with its last status, schedule and
    /// counts. The counts are the store's running ones (`feed_counts`):
    /// counting a feed's unread items here scanned every unread item of the
    /// database once per feed (minutes at 1M items and 5,000 feeds).
    pub fn feed_health(&self) -> Result<Vec<FeedHealth>> {
        let mut stmt = self.conn.prepare(HEALTH)?;
        let rows = stmt.query_map([], |r| {
            let tags: String = r.get(12)?;
            Ok(FeedHealth {
                url: r.get(0)?,
                title: r.get(1)?,
                status: r.get(2)?,
                error: r.get(3)?,
                failures: r.get::<_, i64>(4)?.clamp(0, u32::MAX as i64) as u32,
                last_fetch: r.get(5)?,
                last_success: r.get(6)?,
                next_poll: r.get(7)?,
                retry_at: r.get(8)?,
                moved_to: r.get(9)?,
                items: r.get::<_, i64>(10)?.max(0) as u64,
                unread: r.get::<_, i64>(11)?.max(0) as u64,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                site_url: r.get(13)?,
                repaired: r.get(14)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The database's size in bytes (pages in use, WAL not counted).
    pub fn database_bytes(&self) -> Result<u64> {
        let pages: i64 = self.conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        let size: i64 = self.conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        Ok((pages.max(0) * size.max(0)) as u64)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem, PollInfo};
    use crate::store::Store;

    #[test]
    fn health_follows_fetches_failures_and_the_schedule() {
        let (a, b) = ("https://a.example/rss", "https://b.example/rss");
        let mut s = Store::open_in_memory().unwrap();
        let tagged = FeedConfig { tags: vec!["news".into()], ..FeedConfig::new(a) };
        s.sync_feeds(&[tagged, FeedConfig::new(b)]).unwrap();
        let item = NewItem { key: "k".into(), title: "T".into(), ..Default::default() };
        let feed = FetchedFeed { url: a.into(), title: Some("A".into()), items: vec![item], ..Default::default() };
        s.store_fetched(&feed, 100).unwrap();
        s.record_schedule(a, &PollInfo { status: Some(200), next_poll: Some(1900), ..Default::default() }).unwrap();
        s.record_failure(b, "429 rate limited", 100).unwrap();
        s.record_failure(b, "429 rate limited", 200).unwrap();
        let info = PollInfo { status: Some(429), retry_at: Some(3800), next_poll: Some(3800), ..Default::default() };
        s.record_schedule(b, &info).unwrap();

        let h = s.feed_health().unwrap();
        assert_eq!((h[0].title.as_str(), h[0].items, h[0].unread, h[0].status), ("A", 1, 1, Some(200)));
        assert_eq!((h[0].error.as_deref(), h[0].last_success, h[0].next_poll), (None, Some(100), Some(1900)));
        assert_eq!(h[0].tags, ["news"]);
        assert_eq!((h[1].error.as_deref(), h[1].failures, h[1].retry_at), (Some("429 rate limited"), 2, Some(3800)));
        assert_eq!(h[1].last_success, None);

        // The schedule survives a reopen through poll_states.
        let states = s.poll_states().unwrap();
        assert_eq!((states[b].failures, states[b].retry_at, states[b].next_poll), (2, Some(3800), Some(3800)));
        assert!(s.database_bytes().unwrap() > 0);

        // A later move is kept; a result without one does not erase it.
        let moved = PollInfo { moved_to: Some("https://a2.example/rss".into()), ..Default::default() };
        s.record_schedule(a, &moved).unwrap();
        s.record_schedule(a, &PollInfo::default()).unwrap();
        assert_eq!(s.poll_states().unwrap()[a].moved_to.as_deref(), Some("https://a2.example/rss"));

        // — #10 refresh — the states of some feeds are those feeds' own
        // (a URL the database does not have has none).
        let some = s.poll_states_of([b, "https://unknown.example/rss"].into_iter()).unwrap();
        assert_eq!(some.len(), 1);
        let all = s.poll_states().unwrap();
        assert_eq!((some[b].failures, some[b].retry_at, some[b].next_poll), (2, Some(3800), Some(3800)));
        assert_eq!(format!("{:?}", some[b]), format!("{:?}", all[b]));
    }

    #[test]
    fn health_counts_come_from_the_running_counts() {
        let url = "https://a.example/rss";
        let mut s = Store::open_in_memory().unwrap();
        s.sync_feeds(&[FeedConfig::new(url)]).unwrap();
        let items = (0..3).map(|i| NewItem { key: format!("k{i}"), title: format!("T{i}"), ..Default::default() });
        let feed = FetchedFeed { url: url.into(), items: items.collect(), ..Default::default() };
        s.store_fetched(&feed, 100).unwrap();
        let ids: Vec<String> = s
            .conn
            .prepare("SELECT id FROM items ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        s.set_read(&[ids[0].clone()], true).unwrap();
        assert!(s.dismiss(&ids[1]).unwrap());
        let h = s.feed_health().unwrap();
        assert_eq!((h[0].items, h[0].unread), (3, 1), "every item stored; unread ones that show");
        // Not one pass over the items per feed (minutes at 1M items).
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::HEALTH))
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!plan.iter().any(|step| step.contains(" i ") || step.contains("items")), "{plan:?}");
    }
}
