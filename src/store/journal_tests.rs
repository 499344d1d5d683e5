//! Store tests for the journal, the reading list, user tags, dismiss and retention.

use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem, View};

const A: &str = "https://a.example/rss";
const B: &str = "https://b.example/rss";

fn feed_cfg(url: &str, tags: &[&str]) -> FeedConfig {
    FeedConfig { tags: tags.iter().map(|s| s.to_string()).collect(), ..FeedConfig::new(url) }
}

fn items(prefix: &str, n: usize) -> Vec<NewItem> {
    (0..n)
        .map(|i| NewItem {
            key: format!("{prefix}{i}"),
            title: format!("{prefix} {i}"),
            link: Some(format!("https://site.example/{prefix}/{i}")),
            published: Some(1_000 + i as i64),
            content: Some(format!("<p>Body of {prefix} {i}</p>")),
            ..Default::default()
        })
        .collect()
}

fn fetched(url: &str, items: Vec<NewItem>) -> FetchedFeed {
    FetchedFeed { url: url.into(), title: Some(format!("Feed {url}")), items, ..Default::default() }
}

fn store_with(n: usize) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &["news"]), feed_cfg(B, &["tech"])]).unwrap();
    s.store_fetched(&fetched(A, items("a", n)), 10_000).unwrap();
    s.store_fetched(&fetched(B, items("b", 2)), 10_000).unwrap();
    s
}

fn id(prefix: &str, i: usize) -> String {
    stable_id(if prefix == "a" { A } else { B }, &format!("{prefix}{i}"))
}

fn unread(s: &Store, view: View) -> u64 {
    s.count_view(&view).unwrap().1
}

#[test]
fn every_change_is_undone_and_redone_in_order() {
    let mut s = store_with(3);
    s.set_read(&[id("a", 0)], true).unwrap();
    assert!(s.dismiss(&id("a", 1)).unwrap());
    s.set_tags(&id("a", 2), &["later".into(), "#Later".into(), "later".into()]).unwrap();
    assert_eq!(s.save_item(&id("b", 0), 20_000).unwrap(), SaveOutcome::Added { id: id("b", 0), title: "b 0".into() });
    assert_eq!(s.journal_depth().unwrap(), (4, 0));
    assert_eq!(s.user_tags(&id("a", 2)).unwrap(), ["Later", "later"]);

    assert_eq!(s.undo().unwrap().as_deref(), Some("save \"b 0\""));
    assert!(s.reading_list().unwrap().is_empty());
    assert_eq!(s.undo().unwrap().as_deref(), Some("tag \"a 2\""));
    assert!(s.user_tags(&id("a", 2)).unwrap().is_empty());
    assert_eq!(s.undo().unwrap().as_deref(), Some("dismiss \"a 1\""));
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 5, "the dismissed item is back");
    assert_eq!(s.undo().unwrap().as_deref(), Some("mark read \"a 0\""));
    assert_eq!(unread(&s, View::All), 5);
    assert_eq!(s.undo().unwrap(), None, "nothing left to undo");

    assert_eq!(s.redo().unwrap().as_deref(), Some("mark read \"a 0\""));
    assert_eq!(s.redo().unwrap().as_deref(), Some("dismiss \"a 1\""));
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 4);
    assert_eq!(unread(&s, View::All), 3);
    assert_eq!(s.journal_depth().unwrap(), (2, 2));

    // A new change ends the redo branch.
    s.set_read(&[id("b", 1)], true).unwrap();
    assert_eq!(s.journal_depth().unwrap(), (3, 0));
    assert_eq!(s.redo().unwrap(), None);
}

#[test]
fn dismiss_restores_the_previous_read_state() {
    let mut s = store_with(2);
    s.set_read(&[id("a", 0)], true).unwrap();
    s.dismiss(&id("a", 0)).unwrap();
    s.dismiss(&id("a", 1)).unwrap();
    assert!(!s.dismiss(&id("a", 1)).unwrap(), "already dismissed: nothing to journal");
    assert_eq!(s.count_view(&View::Tag("news".into())).unwrap(), (0, 0));
    s.undo().unwrap();
    s.undo().unwrap();
    let rows = s.list_rows(&View::Feed(A.into()), None).unwrap();
    let read: Vec<_> = rows.iter().map(|r| (r.title.as_str(), r.read)).collect();
    assert_eq!(read, [("a 1", false), ("a 0", true)]);
}

#[test]
fn marking_ten_thousand_read_and_undoing_are_one_step_each() {
    let mut s = store_with(10_000);
    assert_eq!(unread(&s, View::Tag("news".into())), 10_000);
    assert_eq!(s.mark_view_read(&View::Tag("news".into())).unwrap(), 10_000);
    assert_eq!(unread(&s, View::All), 2, "only the view's items");
    assert_eq!(s.journal_depth().unwrap(), (1, 0));
    assert_eq!(s.undo().unwrap().as_deref(), Some("mark 10000 items read"));
    assert_eq!(unread(&s, View::All), 10_002);
    assert_eq!(s.redo().unwrap().as_deref(), Some("mark 10000 items read"));
    assert_eq!(unread(&s, View::All), 2);
    assert_eq!(s.mark_view_read(&View::Tag("news".into())).unwrap(), 0, "nothing left");
    assert_eq!(s.journal_depth().unwrap(), (1, 0), "an empty mark-all writes no entry");
}

#[test]
fn mark_all_read_leaves_items_that_were_read_alone_on_undo() {
    let mut s = store_with(3);
    s.set_read(&[id("a", 1)], true).unwrap();
    s.mark_view_read(&View::All).unwrap();
    s.undo().unwrap();
    let rows = s.list_rows(&View::Feed(A.into()), None).unwrap();
    assert_eq!(rows.iter().map(|r| r.read).collect::<Vec<_>>(), [false, true, false]);
}

#[test]
fn the_journal_and_the_reading_list_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.sync_feeds(&[feed_cfg(A, &["news"])]).unwrap();
        s.store_fetched(&fetched(A, items("a", 5)), 10_000).unwrap();
        s.save_item(&id("a", 3), 20_000).unwrap();
        assert_eq!(s.mark_view_read(&View::All).unwrap(), 5);
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.reading_list().unwrap().len(), 1);
    assert_eq!(unread(&s, View::All), 0);
    assert_eq!(s.undo().unwrap().as_deref(), Some("mark 5 items read"));
    assert_eq!(unread(&s, View::All), 5);
    drop(s);
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.redo().unwrap().as_deref(), Some("mark 5 items read"), "the undone entry is still redoable");
    assert_eq!(s.counts().unwrap().saved, 1);
}

#[test]
fn the_reading_list_outlives_feed_removal_retention_and_the_item() {
    let mut s = store_with(3);
    let target = id("a", 2);
    s.set_read(std::slice::from_ref(&target), true).unwrap();
    s.save_item(&target, 20_000).unwrap();
    let entry = s.reading_entry(&target).unwrap().unwrap();
    assert_eq!(entry.title, "a 2");
    assert_eq!(entry.link.as_deref(), Some("https://site.example/a/2"));
    assert_eq!(entry.feed.as_deref(), Some(format!("Feed {A}").as_str()));
    assert_eq!(entry.published, Some(1_002));
    assert_eq!(entry.content.as_deref(), Some("<p>Body of a 2</p>"));
    assert_eq!(entry.saved_at, 20_000);

    // The feed leaves the config; its items leave the views, not the reading list.
    s.sync_feeds(&[feed_cfg(B, &["tech"])]).unwrap();
    assert!(s.list_rows(&View::All, None).unwrap().iter().all(|r| r.id != target));
    let saved = s.list_rows(&View::Saved, None).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].id.as_str(), saved[0].saved, saved[0].read), (target.as_str(), true, true));

    // Retention never removes a saved item.
    s.store_fetched(&fetched(A, vec![]), 10_000_000).unwrap();
    assert_eq!(s.prune(1, 1, 10_000_000).unwrap(), 0);

    // Unsaved, it can go; the copy saved again from the journal does not need it.
    s.unsave(&target).unwrap();
    assert_eq!(s.prune(1, 1, 10_000_000).unwrap(), 1);
    assert!(s.article(&target).unwrap().is_none());
    assert_eq!(s.undo().unwrap().as_deref(), Some("unsave \"a 2\""));
    let article = s.article(&target).unwrap().expect("the copy is an article");
    assert_eq!(article.title, "a 2");
    assert_eq!(article.html, "<p>Body of a 2</p>");
    assert_eq!(s.list_rows(&View::Saved, None).unwrap().len(), 1);
}

#[test]
fn pages_saved_by_url_and_links() {
    let mut s = store_with(1);
    assert_eq!(s.item_with_link("https://site.example/a/0").unwrap(), Some(id("a", 0)));
    assert_eq!(s.item_with_link("https://nope.example/").unwrap(), None);
    let out = s.save_page("https://blog.example/post", "A post", "<p>Post body</p>", 30_000).unwrap();
    let SaveOutcome::Added { id: page, .. } = out else { panic!("{out:?}") };
    assert_eq!(page, reading_list::page_id("https://blog.example/post"));
    assert_eq!(s.saved_with_link("https://blog.example/post").unwrap(), Some(page.clone()));
    assert_eq!(
        s.save_page("https://blog.example/post", "A post", "", 40_000).unwrap(),
        SaveOutcome::Already { id: page.clone() }
    );
    let row = &s.list_rows(&View::Saved, None).unwrap()[0];
    assert_eq!((row.title.as_str(), row.feed.as_str()), ("A post", "blog.example"));
    assert_eq!(s.article(&page).unwrap().unwrap().html, "<p>Post body</p>");
    assert_eq!(s.save_item("ffffffffffffffff", 1).unwrap(), SaveOutcome::Missing);
}

#[test]
fn user_tags_join_feed_tags_in_views_and_counts() {
    let mut s = store_with(2);
    s.set_tags(&id("a", 0), &["tech".into(), "later".into()]).unwrap();
    let c = s.counts().unwrap();
    let tags: Vec<_> = c.tags.iter().map(|t| (t.tag.as_str(), t.total, t.unread)).collect();
    assert_eq!(tags, [("later", 1, 1), ("news", 2, 2), ("tech", 3, 3)]);
    let titles = |s: &Store, tag: &str| {
        s.list_rows(&View::Tag(tag.into()), None).unwrap().into_iter().map(|r| r.title).collect::<Vec<_>>()
    };
    assert_eq!(titles(&s, "later"), ["a 0"]);
    assert_eq!(titles(&s, "tech"), ["b 1", "b 0", "a 0"]);
    assert_eq!(s.mark_view_read(&View::Tag("later".into())).unwrap(), 1);
    let article = s.article(&id("a", 0)).unwrap().unwrap();
    assert_eq!((article.tags, article.user_tags), (vec!["news".to_string()], vec!["later".into(), "tech".into()]));
    assert_eq!(s.all_tags(&id("a", 0)).unwrap(), ["later", "news", "tech"]);
    assert!(!s.set_tags(&id("a", 0), &["tech later".into()]).unwrap(), "same tags: no entry");
}

#[test]
fn retention_removes_only_old_read_items_the_feed_no_longer_carries() {
    let day = 86_400;
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed_cfg(A, &[])]).unwrap();
    s.store_fetched(&fetched(A, items("a", 4)), 0).unwrap();
    s.set_read(&[id("a", 0), id("a", 1), id("a", 2)], true).unwrap();
    s.save_item(&id("a", 2), 0).unwrap();
    // 100 days on, the feed still carries everything: nothing goes (it would come back unread).
    assert_eq!(s.prune(90, 0, 100 * day).unwrap(), 0);
    // It now carries only a1 and a3: a0 (read, old, gone from the feed) goes; a2 is saved, a3 unread.
    let mut now_carried = items("a", 4);
    now_carried.retain(|i| i.key == "a1" || i.key == "a3");
    s.store_fetched(&fetched(A, now_carried), 100 * day).unwrap();
    assert_eq!(s.prune(90, 0, 100 * day).unwrap(), 1);
    let left: Vec<_> = s.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.title).collect();
    assert_eq!(left, ["a 3", "a 2", "a 1"]);
    // keep_read_days = 0 keeps read items forever; the cap still applies.
    s.store_fetched(&fetched(A, vec![]), 101 * day).unwrap();
    assert_eq!(s.prune(0, 0, 1000 * day).unwrap(), 0);
    assert_eq!(s.prune(0, 1, 1000 * day).unwrap(), 1, "a1: read, unsaved, beyond the newest one");
}

#[test]
fn the_journal_keeps_a_bounded_number_of_entries() {
    let mut s = store_with(1);
    let target = id("a", 0);
    for i in 0..(journal::KEEP + 10) {
        s.set_read(std::slice::from_ref(&target), i % 2 == 0).unwrap();
    }
    assert_eq!(s.journal_depth().unwrap(), (journal::KEEP as u64, 0));
}
