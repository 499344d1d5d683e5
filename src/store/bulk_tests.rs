use super::*;
use crate::model::{FetchedFeed, NewItem};

fn item(key: &str, title: &str) -> NewItem {
    NewItem { key: key.into(), title: title.into(), ..Default::default() }
}

fn feed(url: &str, title: &str, items: Vec<NewItem>) -> FetchedFeed {
    FetchedFeed { url: url.into(), title: Some(title.into()), items, ..Default::default() }
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.store_fetched(&feed("http://a/", "Alpha", vec![item("1", "a one"), item("2", "a two")]), 100).unwrap();
    s.store_fetched(&feed("http://b/", "Beta", vec![item("1", "b one")]), 100).unwrap();
    s
}

fn bulk(verb: BulkVerb, query: &str) -> Bulk {
    Bulk { verb, query: query.into() }
}

fn unread(s: &Store) -> u64 {
    s.bulk_count(&bulk(BulkVerb::Read, "")).unwrap()
}

#[test]
fn read_over_a_query_is_one_undoable_step() {
    let mut s = store();
    let b = bulk(BulkVerb::Read, "feed:Alpha");
    assert_eq!(s.bulk_count(&b).unwrap(), 2);
    assert_eq!(s.bulk_apply(&b, 200).unwrap(), 2);
    assert_eq!(unread(&s), 1, "only Beta's item is left unread");
    assert_eq!(s.bulk_count(&b).unwrap(), 0);
    assert_eq!(s.bulk_apply(&b, 200).unwrap(), 0, "nothing to change writes nothing");
    let label = s.undo().unwrap().unwrap();
    assert!(label.starts_with("mark 2 items read"), "{label}");
    assert_eq!(unread(&s), 3);
    s.redo().unwrap();
    assert_eq!(unread(&s), 1);
}

#[test]
fn dismiss_undo_gives_back_each_items_read_flag() {
    let mut s = store();
    s.bulk_apply(&bulk(BulkVerb::Read, "two"), 200).unwrap();
    assert_eq!(s.bulk_apply(&bulk(BulkVerb::Dismiss, "feed:Alpha"), 200).unwrap(), 2);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "")).unwrap(), 1, "dismissed items are in no view");
    s.undo().unwrap();
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "")).unwrap(), 3);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Read, "feed:Alpha")).unwrap(), 1, "“a two” stays read");
}

#[test]
fn save_and_tag_in_bulk_and_back() {
    let mut s = store();
    assert_eq!(s.bulk_apply(&bulk(BulkVerb::Save, "one"), 200).unwrap(), 2);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Save, "")).unwrap(), 1);
    s.undo().unwrap();
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Save, "")).unwrap(), 3);
    s.redo().unwrap();
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Save, "")).unwrap(), 1);

    let tag = BulkVerb::Tag { add: vec!["x".into()], remove: vec![] };
    assert_eq!(s.bulk_apply(&bulk(tag, "feed:Alpha"), 200).unwrap(), 2);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "tag:x")).unwrap(), 2);
    let untag = BulkVerb::Tag { add: vec!["y".into()], remove: vec!["x".into()] };
    assert_eq!(s.bulk_apply(&bulk(untag, "tag:x two"), 200).unwrap(), 1);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "tag:x")).unwrap(), 1);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "tag:y")).unwrap(), 1);
    s.undo().unwrap();
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "tag:x")).unwrap(), 2);
    assert_eq!(s.bulk_count(&bulk(BulkVerb::Dismiss, "tag:y")).unwrap(), 0);
}

#[test]
fn a_bad_query_is_an_error() {
    let mut s = store();
    assert!(s.bulk_apply(&bulk(BulkVerb::Read, "(x"), 1).is_err());
}

#[test]
fn mute_rules_dismiss_new_items_as_they_arrive_journalled_and_counted() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_mute(vec!["title:horoscope".into()]);
    let items = vec![item("1", "Your horoscope today"), item("2", "Real news")];
    assert_eq!(s.store_fetched(&feed("http://a/", "Alpha", items), 100).unwrap(), 2);
    assert_eq!(unread(&s), 1, "the horoscope is dismissed");
    let stats = s.mute_stats(&["title:horoscope".into()]).unwrap();
    assert_eq!(stats[0].muted, 1);
    let label = s.undo().unwrap().unwrap();
    assert!(label.contains("horoscope"), "{label}");
    assert_eq!(unread(&s), 2, "u gives it back");
    // Known items are not muted again on the next fetch.
    s.store_fetched(&feed("http://a/", "Alpha", vec![item("1", "Your horoscope today")]), 200).unwrap();
    assert_eq!(unread(&s), 2);
}
