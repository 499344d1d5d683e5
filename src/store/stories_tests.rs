//! — #10 refresh — items stored while the saved story index is still being read.

use std::sync::mpsc;

use super::super::ingest::tests::{SUMMARY, T, open_grouping, outlet, stories_of, three_outlets};
use crate::store::stable_id;

#[test]
fn items_stored_while_the_saved_index_is_read_are_grouped_before_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tidings.db");
    let open = || open_grouping(&db);
    let mut first = open();
    let [a1, b1, _, d1] = three_outlets();
    for f in [&a1, &b1, &d1] {
        first.store_fetched(f, T + 1_000).unwrap();
    }
    first.save_stories();
    drop(first);

    let mut next = open();
    let (go, held) = mpsc::channel();
    next.stories.preload_held(&db, held);
    let mut run = next.ingest();
    // Two feeds while the file is still being read: stored alone for now.
    let c1 =
        outlet("https://c.example/rss", "c1", "Southern Turkey earthquake: magnitude 7.8 quake hits", SUMMARY, T + 900);
    let e1 = outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200);
    run.fetched(&c1, T + 3_000).unwrap();
    run.fetched(&e1, T + 3_000).unwrap();
    go.send(()).unwrap();
    run.flush().unwrap();
    drop(run);
    assert_eq!(next.stories.grouped_late, 2, "both were grouped once the index was read");
    assert_eq!(next.stories.seeded, 0, "the saved index was used, not the window read again");
    let a = stable_id("https://a.example/rss", "a1");
    let stories = stories_of(&next);
    for key in ["a1", "b1", "c1", "e1"] {
        assert_eq!(stories.iter().find(|(k, _)| k == key).unwrap().1.as_deref(), Some(a.as_str()), "{key}");
    }
    assert_eq!(stories.iter().find(|(k, _)| k == "d1").unwrap().1, None);

    // A rolled back batch forgets what it noted: nothing is grouped into a
    // story that was never stored.
    let mut again = open();
    let (go, held) = mpsc::channel();
    again.stories.preload_held(&db, held);
    let mut run = again.ingest();
    run.fetched(
        &outlet("https://f.example/rss", "f1", "Earthquake hits southern Turkey", SUMMARY, T + 1_300),
        T + 3_000,
    )
    .unwrap();
    drop(run);
    assert!(again.stories.backlog.is_none());
    go.send(()).unwrap();
    assert!(stories_of(&again).iter().all(|(k, _)| k != "f1"));
}

#[test]
fn an_index_read_just_before_the_first_new_item_still_groups_it() {
    // The index was still being read when the batch began, and is read by
    // the time its first new item comes: that item is grouped at once.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tidings.db");
    let mut first = open_grouping(&db);
    let [a1, b1, _, _] = three_outlets();
    for f in [&a1, &b1] {
        first.store_fetched(f, T + 1_000).unwrap();
    }
    first.save_stories();
    drop(first);

    let mut next = open_grouping(&db);
    let (go, held) = mpsc::channel();
    next.stories.preload_held(&db, held);
    next.stories.prepare_soon(&next.conn, T + 3_000).unwrap();
    assert!(next.stories.backlog.is_some());
    go.send(()).unwrap();
    while !next.stories.preload.as_ref().is_some_and(|t| t.is_finished()) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let e1 = outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200);
    next.store_fetched(&e1, T + 3_000).unwrap();
    let a = stable_id("https://a.example/rss", "a1");
    assert_eq!(stories_of(&next).iter().find(|(k, _)| k == "e1").unwrap().1.as_deref(), Some(a.as_str()));
}

#[test]
fn a_story_index_saved_on_a_thread_is_whole_once_the_store_is_dropped_and_grouping_goes_on_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tidings.db");
    let mut first = open_grouping(&db);
    let [a1, b1, c1, d1] = three_outlets();
    first.store_fetched(&a1, T + 1_000).unwrap();
    first.save_stories_soon();
    assert!(first.stories.grouper.is_none(), "the grouper is away while its file is written");
    // The next batch takes it back and groups with it as before.
    first.store_fetched(&b1, T + 1_000).unwrap();
    assert!(first.stories.saving.is_none() && first.stories.grouper.is_some());
    first.store_fetched(&c1, T + 1_000).unwrap();
    first.store_fetched(&d1, T + 1_000).unwrap();
    first.save_stories_soon();
    drop(first); // waits for the file

    let mut next = open_grouping(&db);
    let e1 = outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200);
    next.store_fetched(&e1, T + 3_000).unwrap();
    assert_eq!(next.stories.seeded, 0, "the file saved last was whole and used");
    let a = stable_id("https://a.example/rss", "a1");
    let stories = stories_of(&next);
    for key in ["a1", "b1", "c1", "e1"] {
        assert_eq!(stories.iter().find(|(k, _)| k == key).unwrap().1.as_deref(), Some(a.as_str()), "{key}");
    }
}
