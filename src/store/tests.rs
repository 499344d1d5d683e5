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

#[test]
fn a_first_fetch_puts_undated_items_below_its_newest_dated_one() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[]), feed_cfg(B, &[])]).unwrap();
    let now = 1_000_000;
    // Another feed's item from an hour ago, then a feed with an undated back catalogue.
    s.store_fetched(&fetched(B, vec![item("b1", "Recent", now - 3600)]), now).unwrap();
    let undated = |key: &str| NewItem { key: key.into(), title: key.into(), ..Default::default() };
    let a = vec![undated("u1"), item("d1", "Dated", now - 7200), undated("u2")];
    s.store_fetched(&fetched(A, a), now).unwrap();
    let order: Vec<String> = s.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.title).collect();
    assert_eq!(order, ["Recent", "Dated", "u1", "u2"]);
    // On later fetches a new undated item is new: first seen now.
    s.store_fetched(&fetched(A, vec![undated("u3"), undated("u1")]), now + 60).unwrap();
    assert_eq!(s.list_rows(&View::All, None).unwrap()[0].title, "u3");
}

#[test]
fn a_date_far_in_the_future_is_first_seen_and_stays_so() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    let now = 1_000_000;
    let future = item("f1", "From the future", now + 30 * 86_400);
    s.store_fetched(&fetched(A, vec![future.clone(), item("p1", "Past", now - 60)]), now).unwrap();
    let rows = s.list_rows(&View::All, None).unwrap();
    assert_eq!((rows[0].title.as_str(), rows[0].date), ("From the future", Some(now)));
    // Fetched again later, still in the future: the date it got is kept.
    s.store_fetched(&fetched(A, vec![future]), now + 3600).unwrap();
    assert_eq!(s.list_rows(&View::All, None).unwrap()[0].date, Some(now));
}

#[test]
fn enclosures_and_repairs_are_kept() {
    use crate::model::{Enclosure, Repair};
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    let enclosure = Enclosure {
        url: "https://p.example/a.mp3".into(),
        mime: Some("audio/mpeg".into()),
        length: Some(1),
        duration: Some(2),
    };
    let mut feed = fetched(A, vec![NewItem { enclosures: vec![enclosure.clone()], ..item("g1", "Ep", 100) }]);
    feed.repairs = vec![Repair { what: "bare '&'".into(), count: 3 }];
    s.store_fetched(&feed, 1000).unwrap();
    let id = stable_id(A, "g1");
    assert_eq!(s.article(&id).unwrap().unwrap().enclosures, std::slice::from_ref(&enclosure));
    assert_eq!(s.list_records(&View::All, None).unwrap()[0].enclosures, std::slice::from_ref(&enclosure));
    assert_eq!(s.feed_health().unwrap()[0].repaired.as_deref(), Some("3 bare '&'"));
    // The reading list keeps its own copy.
    s.save_item(&id, 2000).unwrap();
    assert_eq!(s.reading_list().unwrap()[0].enclosures, [enclosure]);
    // A clean parse clears the feed's repairs.
    feed.repairs.clear();
    s.store_fetched(&feed, 3000).unwrap();
    assert_eq!(s.feed_health().unwrap()[0].repaired, None);
}
