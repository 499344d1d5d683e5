use crate::config::FeedConfig;
use crate::model::View;
use crate::store::{Store, SyncField};
use crate::sync::{ServerFeed, ServerItem};

fn feeds() -> Vec<ServerFeed> {
    vec![
        ServerFeed {
            id: 1,
            title: "Alpha".into(),
            url: "http://a.example/rss".into(),
            groups: vec!["World news".into()],
            ..Default::default()
        },
        ServerFeed { id: 2, title: "Beta".into(), url: "http://b.example/rss".into(), ..Default::default() },
    ]
}

fn item(id: i64, feed: i64) -> ServerItem {
    ServerItem {
        id,
        feed_id: feed,
        title: format!("Item {id}"),
        html: Some(format!("<p>walrus body {id}</p>")),
        url: Some(format!("http://a.example/{id}")),
        created: Some(1_700_000_000 + id),
        ..Default::default()
    }
}

/// A store synced with two feeds and items 1..=n (odd ones in feed 1).
fn synced(n: i64) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_begin("fever http://srv/ me", 100).unwrap();
    assert_eq!(s.sync_store_feeds(&feeds(), 100).unwrap(), 2);
    let items: Vec<ServerItem> = (1..=n).map(|i| item(i, 2 - i % 2)).collect();
    assert_eq!(s.sync_store_items(&items, 100).unwrap(), n as usize);
    s
}

fn id_of(s: &Store, server_id: i64) -> String {
    s.conn.query_row("SELECT item_id FROM sync_items WHERE server_id = ?1", [server_id], |r| r.get(0)).unwrap()
}

fn read_of(s: &Store, server_id: i64) -> bool {
    s.conn
        .query_row(
            "SELECT i.read FROM items i JOIN sync_items m ON m.item_id = i.id WHERE m.server_id = ?1",
            [server_id],
            |r| r.get(0),
        )
        .unwrap()
}

fn outbox(s: &Store) -> Vec<(i64, SyncField, bool)> {
    s.outbox(0, 100).unwrap().into_iter().map(|e| (e.server_id, e.field, e.value)).collect()
}

#[test]
fn server_feeds_and_items_land_with_stable_ids_and_tags() {
    let mut s = synced(4);
    assert_eq!(s.sync_high_water().unwrap(), 4);
    let rows = s.list_rows(&View::All, None).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].title, "Item 4", "newest first by the server's date");
    assert_eq!(s.list_rows(&View::Tag("World-news".into()), None).unwrap().len(), 2, "groups are tags");
    // Storing the same page again adds nothing and keeps the ids.
    let before = id_of(&s, 3);
    assert_eq!(s.sync_store_items(&[item(3, 1)], 200).unwrap(), 0);
    assert_eq!(id_of(&s, 3), before);
    // The items are searchable (whoever writes the index).
    assert_eq!(s.search("walrus", None).unwrap().len(), 4);
    // Server state on arrival: read and saved.
    let mut fresh = item(5, 1);
    fresh.is_read = true;
    fresh.is_saved = true;
    s.sync_store_items(&[fresh], 300).unwrap();
    assert!(read_of(&s, 5));
    assert!(s.reading_entry(&id_of(&s, 5)).unwrap().is_some(), "saved on the server: in the reading list");
    assert!(outbox(&s).is_empty(), "what the server sent is not sent back");
}

#[test]
fn the_users_changes_are_queued_with_their_journal_entry_and_undo_queues_too() {
    let mut s = synced(6);
    let (a, b) = (id_of(&s, 1), id_of(&s, 2));
    s.set_read(&[a.clone(), b.clone()], true).unwrap();
    assert_eq!(outbox(&s), [(1, SyncField::Read, true), (2, SyncField::Read, true)]);
    s.undo().unwrap();
    assert_eq!(outbox(&s), [(1, SyncField::Read, false), (2, SyncField::Read, false)], "newest state, once per item");
    s.save_item(&a, 10).unwrap();
    s.dismiss(&id_of(&s, 3)).unwrap();
    let out = outbox(&s);
    assert!(out.contains(&(1, SyncField::Saved, true)) && out.contains(&(3, SyncField::Read, true)), "{out:?}");
    s.unsave(&a).unwrap();
    assert!(outbox(&s).contains(&(1, SyncField::Saved, false)));
    assert_eq!(s.mark_view_read(&View::All).unwrap(), 5);
    assert_eq!(outbox(&s).iter().filter(|(_, f, v)| *f == SyncField::Read && *v).count(), 6);

    // Sent changes leave; one made again meanwhile stays.
    let sent = s.outbox(0, 100).unwrap();
    s.set_read(&[b], false).unwrap();
    s.outbox_done(&sent).unwrap();
    assert_eq!(outbox(&s), [(2, SyncField::Read, false)]);
    assert_eq!(s.outbox_len().unwrap(), 1);
}

#[test]
fn items_not_from_a_server_queue_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[FeedConfig::new("http://local.example/rss")]).unwrap();
    let feed = crate::model::FetchedFeed {
        url: "http://local.example/rss".into(),
        items: vec![crate::model::NewItem { key: "k".into(), title: "T".into(), ..Default::default() }],
        ..Default::default()
    };
    s.store_fetched(&feed, 1).unwrap();
    let id = s.list_rows(&View::All, None).unwrap()[0].id.clone();
    s.set_read(std::slice::from_ref(&id), true).unwrap();
    s.save_item(&id, 2).unwrap();
    assert_eq!(s.outbox_len().unwrap(), 0);
}

#[test]
fn server_state_is_laid_over_except_where_a_change_waits() {
    let mut s = synced(6);
    // Local: 1 read (queued). Server: 1..=4 unread, 5 and 6 read, 2 and 6 saved.
    s.set_read(&[id_of(&s, 1)], true).unwrap();
    let r = s.sync_reconcile(&[1, 2, 3, 4], &[2, 6], 50).unwrap();
    assert_eq!((r.read, r.unread, r.saved), (2, 0, 2));
    assert!(read_of(&s, 1), "the waiting change wins");
    assert!(!read_of(&s, 2) && read_of(&s, 5) && read_of(&s, 6));
    assert!(s.reading_entry(&id_of(&s, 6)).unwrap().is_some());
    // Unsaved on the server: the reading list keeps its copy.
    let r = s.sync_reconcile(&[1, 2, 3, 4], &[], 60).unwrap();
    assert_eq!(r, Default::default());
    assert!(s.reading_entry(&id_of(&s, 6)).unwrap().is_some());
    // Read elsewhere, then unread elsewhere.
    let r = s.sync_reconcile(&[2], &[], 70).unwrap();
    assert_eq!((r.read, r.unread), (2, 0));
    let r = s.sync_reconcile(&[2, 3, 5], &[], 80).unwrap();
    assert_eq!((r.read, r.unread), (0, 2));
    assert!(!read_of(&s, 5));
    // None of it is the user's to undo.
    assert_eq!(s.journal_depth().unwrap(), (1, 0));
}

#[test]
fn a_different_account_starts_afresh_and_feeds_follow_the_server() {
    let mut s = synced(2);
    s.set_read(&[id_of(&s, 1)], true).unwrap();
    assert!(!s.sync_begin("fever http://srv/ me", 1).unwrap());
    assert_eq!(s.outbox_len().unwrap(), 1);
    // Feed 2 gone from the server: out of the views.
    s.sync_store_feeds(&feeds()[..1], 5).unwrap();
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 1);
    assert!(s.sync_begin("fever http://other/ me", 2).unwrap());
    assert_eq!((s.outbox_len().unwrap(), s.sync_high_water().unwrap()), (0, 0));
    assert_eq!(s.sync_unknown(&[1, 2]).unwrap(), [1, 2]);
}

#[test]
fn status_records_success_and_failures() {
    let mut s = synced(1);
    s.record_sync(Err("connection refused"), 10).unwrap();
    s.record_sync(Err("timed out"), 20).unwrap();
    let st = s.sync_status().unwrap();
    assert_eq!((st.error.as_deref(), st.failures, st.items), (Some("timed out"), 2, 1));
    s.record_sync(Ok("1 new item"), 30).unwrap();
    let st = s.sync_status().unwrap();
    assert_eq!(
        (st.error, st.failures, st.last_success, st.summary.as_deref()),
        (None, 0, Some(30), Some("1 new item"))
    );
    assert_eq!(st.account.as_deref(), Some("fever http://srv/ me"));
}

#[test]
fn with_sync_the_servers_feeds_are_the_active_ones() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[FeedConfig::new("http://local.example/rss")]).unwrap();
    s.sync_begin("acct", 1).unwrap();
    s.sync_store_feeds(&feeds(), 1).unwrap();
    s.activate_sync_feeds().unwrap();
    let active: i64 = s.conn.query_row("SELECT COUNT(*) FROM feeds WHERE active = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(active, 2);
    let local: bool =
        s.conn.query_row("SELECT active FROM feeds WHERE url = 'http://local.example/rss'", [], |r| r.get(0)).unwrap();
    assert!(!local);
}

#[test]
fn items_are_indexed_without_the_insert_trigger_too() {
    let mut s = Store::open_in_memory().unwrap();
    s.conn.execute_batch("DROP TRIGGER IF EXISTS items_fts_insert").unwrap();
    s.sync_begin("acct", 1).unwrap();
    s.sync_store_feeds(&feeds(), 1).unwrap();
    s.sync_store_items(&[item(1, 1), item(2, 2)], 1).unwrap();
    assert_eq!(s.search("walrus", None).unwrap().len(), 2);
}

// — #13 cmdline —
#[test]
fn mute_rules_dismiss_the_servers_new_items_and_queue_them_read_and_a_bulk_read_queues_too() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_mute(vec!["title:\"Item 2\"".into()]);
    s.sync_begin("fever http://srv/ me", 100).unwrap();
    s.sync_store_feeds(&feeds(), 100).unwrap();
    let items: Vec<ServerItem> = (1..=3).map(|i| item(i, 2 - i % 2)).collect();
    s.sync_store_items(&items, 100).unwrap();
    assert!(read_of(&s, 2) && !read_of(&s, 1) && !read_of(&s, 3));
    assert_eq!(outbox(&s), [(2, SyncField::Read, true)]);
    assert_eq!(s.mute_stats(&["title:\"Item 2\"".into()]).unwrap()[0].muted, 1);
    s.undo().unwrap();
    assert!(!read_of(&s, 2));

    let bulk = crate::store::Bulk { verb: crate::store::BulkVerb::Read, query: "feed:Alpha".into() };
    assert_eq!(s.bulk_apply(&bulk, 200).unwrap(), 2);
    let mut queued = outbox(&s);
    queued.sort_by_key(|e| e.0);
    assert_eq!(queued, [(1, SyncField::Read, true), (2, SyncField::Read, false), (3, SyncField::Read, true)]);
}

// — #15 stories —
#[test]
fn synced_items_are_grouped_into_stories_too() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    s.sync_begin("fever http://srv/ me", 100).unwrap();
    s.sync_store_feeds(&feeds(), 100).unwrap();
    let quake = |id: i64, feed: i64, title: &str| ServerItem {
        id,
        feed_id: feed,
        title: title.into(),
        html: Some("<p>Rescue teams searched collapsed buildings in Antakya after the 7.8 quake</p>".into()),
        created: Some(1_700_000_000 + id * 60),
        ..Default::default()
    };
    // Newest first, as a server pages them: grouped oldest first all the same.
    let items = vec![
        quake(3, 2, "Southern Turkey earthquake: magnitude 7.8 quake hits"),
        quake(1, 1, "Earthquake of magnitude 7.8 hits southern Turkey"),
        ServerItem { title: "Central bank raises rates".into(), html: None, ..quake(2, 2, "") },
    ];
    assert_eq!(s.sync_store_items(&items, 100).unwrap(), 3);
    let stories = s.list_stories(&View::All, None).unwrap();
    let sizes: Vec<usize> = stories.iter().map(|st| st.items.len()).collect();
    assert_eq!(sizes, [2, 1], "{stories:#?}");
    assert_eq!(stories[0].lead, stories[0].story);
    assert_eq!(stories[0].items[0].title, "Earthquake of magnitude 7.8 hits southern Turkey");
}
