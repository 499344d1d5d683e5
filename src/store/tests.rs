use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem, View};

fn feed_cfg(url: &str, tags: &[&str]) -> FeedConfig {
    FeedConfig { tags: tags.iter().map(|s| s.to_string()).collect(), ..FeedConfig::new(url) }
}

fn item(key: &str, title: &str, published: i64) -> NewItem {
    NewItem { key: key.into(), title: title.into(), published: Some(published), ..Default::default() }
}

fn fetched(url: &str, items: Vec<NewItem>) -> FetchedFeed {
    FetchedFeed { url: url.into(), title: Some("Feed".into()), items, ..Default::default() }
}

const A: &str = "https://a.example/rss";
const B: &str = "https://b.example/rss";

#[test]
fn refetch_never_duplicates_and_keeps_ids() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &["news"])]).unwrap();
    let items = vec![item("g1", "One", 100), item("g2", "Two", 200)];
    assert_eq!(s.store_fetched(&fetched(A, items.clone()), 1000).unwrap(), 2);
    let first: Vec<_> = s.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(s.store_fetched(&fetched(A, items), 2000).unwrap(), 0);
    let second: Vec<_> = s.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(first, second);
    assert_eq!(first.len(), 2);
    assert_eq!(first[0], stable_id(A, "g2"), "newest first, id derived from feed and key");
}

#[test]
fn refetch_refreshes_text_but_keeps_read_state() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    s.store_fetched(&fetched(A, vec![item("g1", "Old title", 100)]), 1000).unwrap();
    let id = stable_id(A, "g1");
    s.set_read(std::slice::from_ref(&id), true).unwrap();
    s.store_fetched(&fetched(A, vec![item("g1", "New title", 100)]), 2000).unwrap();
    let rows = s.list_rows(&View::All, None).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "New title");
    assert!(rows[0].read);
}

#[test]
fn exact_titles_survive() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    let title = "Live: Putin & the \"Partnership\" <Treaty>";
    s.store_fetched(&fetched(A, vec![item("g", title, 1)]), 5).unwrap();
    assert_eq!(s.list_records(&View::All, None).unwrap()[0].title, title);
}

#[test]
fn views_and_counts() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &["news", "russia"]), feed_cfg(B, &["tech"])]).unwrap();
    s.store_fetched(&fetched(A, vec![item("a1", "A1", 10), item("a2", "A2", 20)]), 100).unwrap();
    s.store_fetched(&fetched(B, vec![item("b1", "B1", 15)]), 100).unwrap();
    s.set_read(&[stable_id(A, "a1")], true).unwrap();

    let titles = |v: View| s.list_rows(&v, None).unwrap().into_iter().map(|r| r.title).collect::<Vec<_>>();
    assert_eq!(titles(View::All), ["A2", "B1", "A1"]);
    assert_eq!(titles(View::Unread), ["A2", "B1"]);
    assert_eq!(titles(View::Tag("russia".into())), ["A2", "A1"]);
    assert_eq!(titles(View::Feed(B.into())), ["B1"]);
    assert_eq!(s.list_rows(&View::All, Some(1)).unwrap().len(), 1);

    let c = s.counts().unwrap();
    assert_eq!((c.total, c.unread), (3, 2));
    let tags: Vec<_> = c.tags.iter().map(|t| (t.tag.as_str(), t.total, t.unread)).collect();
    assert_eq!(tags, [("news", 2, 1), ("russia", 2, 1), ("tech", 1, 1)]);

    let rec = &s.list_records(&View::Feed(A.into()), None).unwrap()[0];
    assert_eq!(rec.tags, ["news", "russia"]);
    assert_eq!(rec.published.as_deref(), Some("1970-01-01T00:00:20Z"));
}

#[test]
fn failures_are_recorded_and_cleared() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    s.record_failure(A, "timed out", 50).unwrap();
    let c = s.counts().unwrap();
    assert_eq!(c.failing.len(), 1);
    assert_eq!(c.failing[0].error, "timed out");
    s.store_fetched(&fetched(A, vec![]), 60).unwrap();
    assert!(s.counts().unwrap().failing.is_empty());
}

#[test]
fn removed_feeds_are_hidden_not_deleted() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[]), feed_cfg(B, &[])]).unwrap();
    s.store_fetched(&fetched(B, vec![item("b1", "B1", 15)]), 100).unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    assert!(s.list_rows(&View::All, None).unwrap().is_empty());
    s.sync_feeds(&[feed_cfg(A, &[]), feed_cfg(B, &[])]).unwrap();
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 1);
}

#[test]
fn database_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
        s.store_fetched(&fetched(A, vec![item("g1", "One", 100)]), 1000).unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.list_rows(&View::All, None).unwrap()[0].id, stable_id(A, "g1"));
    let article = s.article(&stable_id(A, "g1")).unwrap().unwrap();
    assert_eq!(article.feed, "Feed");
}
