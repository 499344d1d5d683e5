use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem, View};
use crate::store::sql::stable_id;
use crate::store::{reading_list, schema, search};

const A: &str = "https://a.example/rss";
const B: &str = "https://b.example/rss";
const C: &str = "https://c.example/rss";

fn feed_cfg(url: &str, tags: &[&str]) -> FeedConfig {
    FeedConfig { tags: tags.iter().map(|s| s.to_string()).collect(), ..FeedConfig::new(url) }
}

fn fetched(url: &str, prefix: &str, n: usize, now: i64) -> FetchedFeed {
    let items = (0..n)
        .map(|i| NewItem {
            key: format!("{prefix}{i}"),
            title: format!("{prefix} {i}"),
            published: Some(now - i as i64),
            ..Default::default()
        })
        .collect();
    FetchedFeed { url: url.into(), title: Some(format!("Feed {prefix}")), items, ..Default::default() }
}

fn id(url: &str, key: &str) -> String {
    stable_id(url, key)
}

/// The counts as a scan over every item computes them: each view's own
/// filter (what the sidebar showed before the aggregates).
fn from_scratch(s: &Store) -> Counts {
    let (total, unread) = s.count_view(&View::All).unwrap();
    let names: Vec<String> = s
        .conn
        .prepare(
            "SELECT t.tag FROM feed_tags t JOIN feeds f ON f.id = t.feed_id AND f.active = 1
             UNION SELECT tag FROM item_tags ORDER BY 1 COLLATE NOCASE, 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let tags = names
        .into_iter()
        .map(|tag| {
            let (total, unread) = s.count_view(&View::Tag(tag.clone())).unwrap();
            TagCount { tag, total, unread }
        })
        .collect();
    let fresh = s.counts().unwrap();
    let feeds = fresh
        .feeds
        .iter()
        .map(|f| {
            let (total, unread) = s.count_view(&View::Feed(f.url.clone())).unwrap();
            FeedCount { total, unread, ..f.clone() }
        })
        .collect();
    let saved = s.reading_list().unwrap().len() as u64;
    let stored_off: i64 = s
        .conn
        .query_row(
            "SELECT COUNT(*) FROM feeds f LEFT JOIN feed_counts c ON c.feed_id = f.id
             WHERE COALESCE(c.stored, 0) != (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored_off, 0, "every item of a feed, dismissed ones too");
    Counts { total, unread, saved, tags, failing: fresh.failing, feeds, queries: Vec::new() }
}

#[track_caller]
fn check(s: &Store, step: &str) {
    assert_eq!(s.counts().unwrap(), from_scratch(s), "after {step}");
}

#[test]
fn the_aggregates_equal_a_count_from_scratch_after_every_kind_of_change() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &["news", "russia"]), feed_cfg(B, &["tech", "News"]), feed_cfg(C, &[])]).unwrap();
    check(&s, "an empty store");
    s.store_fetched(&fetched(A, "a", 6, 1_000), 1_000).unwrap();
    s.store_fetched(&fetched(B, "b", 4, 1_000), 1_000).unwrap();
    s.store_fetched(&fetched(C, "c", 5, 1_000), 1_000).unwrap();
    check(&s, "storing");
    s.store_fetched(&fetched(A, "a", 8, 1_000), 1_100).unwrap();
    check(&s, "a refetch with two new items");

    s.set_read(&[id(A, "a0"), id(A, "a1"), id(C, "c0")], true).unwrap();
    s.set_read(&[id(A, "a1")], false).unwrap();
    check(&s, "read and unread");
    assert!(s.dismiss(&id(A, "a2")).unwrap());
    assert!(s.dismiss(&id(C, "c0")).unwrap());
    check(&s, "dismiss (of an unread and of a read item)");
    s.mark_view_read(&View::Tag("tech".into())).unwrap();
    check(&s, "mark a view read");
    s.undo().unwrap();
    check(&s, "undo mark-all-read");
    s.undo().unwrap();
    check(&s, "undo dismiss");
    s.redo().unwrap();
    check(&s, "redo dismiss");

    // User tags: on an item outside the tag's feeds, inside them, in another case.
    s.set_tags(&id(C, "c1"), &["later".into(), "news".into()]).unwrap();
    s.set_tags(&id(A, "a3"), &["NEWS".into(), "later".into()]).unwrap();
    s.set_tags(&id(C, "c2"), &["News".into(), "news".into()]).unwrap();
    check(&s, "user tags");
    s.set_read(&[id(C, "c1")], true).unwrap();
    assert!(s.dismiss(&id(C, "c2")).unwrap());
    check(&s, "read and dismissed user-tagged items");
    s.undo().unwrap();
    check(&s, "undo the dismiss of a user-tagged item");

    s.save_item(&id(B, "b1"), 2_000).unwrap();
    s.save_page("https://page.example/x", "A page", "<p>x</p>", 2_000).unwrap();
    s.set_tags(&reading_list::page_id("https://page.example/x"), &["pages".into()]).unwrap();
    check(&s, "saves and a tagged page");
    s.unsave(&id(B, "b1")).unwrap();
    s.undo().unwrap();
    check(&s, "unsave and its undo");

    // Retention removes read items the feed no longer carries.
    s.set_read(&[id(A, "a6"), id(A, "a7"), id(C, "c1")], true).unwrap();
    s.store_fetched(&fetched(A, "a", 3, 1_000), 90 * 86_400).unwrap();
    s.store_fetched(&fetched(C, "c", 1, 1_000), 90 * 86_400).unwrap();
    let removed = s.prune(1, 0, 100 * 86_400).unwrap();
    assert!(removed >= 2, "{removed}");
    check(&s, "retention by age");
    s.set_read(&[id(B, "b2"), id(B, "b3")], true).unwrap();
    s.store_fetched(&fetched(B, "b", 2, 1_000), 95 * 86_400).unwrap();
    assert_eq!(s.prune(0, 2, 100 * 86_400).unwrap(), 2, "b2 and b3: read, beyond the cap, no longer carried");
    check(&s, "retention by the per-feed cap");

    // A feed leaves the config: its items leave every view but stay stored.
    s.sync_feeds(&[feed_cfg(A, &["news", "russia"]), feed_cfg(B, &["tech"])]).unwrap();
    check(&s, "a feed removed and a tag dropped");
    s.sync_feeds(&[feed_cfg(A, &["news"]), feed_cfg(B, &["tech"]), feed_cfg(C, &["later"])]).unwrap();
    check(&s, "the feed back, with a tag some of its items have as user tags");
    let c = s.counts().unwrap();
    assert_eq!(c.feeds.len(), 3);
    assert!(c.total > 0 && c.unread > 0 && c.saved == 2, "{c:?}");
}

#[test]
fn the_migration_counts_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let step = schema::MIGRATIONS.iter().position(|m| m.contains("CREATE TABLE feed_counts")).unwrap();
    {
        // A database from before the aggregates: read, unread and dismissed items.
        let conn = rusqlite::Connection::open(&path).unwrap();
        search::register_functions(&conn).unwrap();
        for m in &schema::MIGRATIONS[..step] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", step as i64).unwrap();
        conn.execute("INSERT INTO feeds (id, url) VALUES (1, ?1)", [A]).unwrap();
        for (i, (read, dismissed)) in [(0, 0), (0, 0), (1, 0), (1, 1), (0, 1)].into_iter().enumerate() {
            conn.execute(
                "INSERT INTO items (id, feed_id, key, title, first_seen, sort_date, read, dismissed)
                 VALUES (?1, 1, ?1, 't', 1, 1, ?2, ?3)",
                rusqlite::params![format!("k{i}"), read, dismissed],
            )
            .unwrap();
        }
    }
    let s = Store::open(&path).unwrap();
    check(&s, "the migration");
    let c = s.counts().unwrap();
    assert_eq!((c.total, c.unread), (3, 2));
}

// — #10 refresh —
#[test]
fn syncing_an_unchanged_config_writes_nothing_and_a_change_only_what_changed() {
    let mut s = Store::open_in_memory().unwrap();
    let cfg = [feed_cfg(A, &["news", "russia", "news"]), feed_cfg(B, &["tech"]), feed_cfg(C, &[])];
    s.sync_feeds(&cfg).unwrap();
    let before = s.conn.total_changes();
    s.sync_feeds(&cfg).unwrap();
    assert_eq!(s.conn.total_changes(), before, "no row written");
    // A tag changed on one feed, another feed gone: those rows only.
    s.sync_feeds(&[feed_cfg(A, &["news", "world"]), feed_cfg(B, &["tech"])]).unwrap();
    assert_eq!(s.conn.total_changes() - before, 5, "A's two tags deleted and its two written, C deactivated");
    let tags: Vec<String> = s
        .conn
        .prepare("SELECT tag FROM feed_tags JOIN feeds ON feeds.id = feed_id WHERE url = ?1 ORDER BY tag")
        .unwrap()
        .query_map([A], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(tags, ["news", "world"]);
    let active: Vec<(String, i64)> = s
        .conn
        .prepare("SELECT url, active FROM feeds ORDER BY url")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(active, [(A.to_string(), 1), (B.to_string(), 1), (C.to_string(), 0)]);
}
