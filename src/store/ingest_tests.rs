use super::*;
use crate::model::View;
use crate::store::{StoreError, Validators, stable_id};

const URL: &str = "https://big.example/rss";
/// No chunk is cut by time in these tests (a debug build is slow).
const HOUR: Duration = Duration::from_secs(3600);

fn big_feed(n: usize) -> FetchedFeed {
    FetchedFeed {
        url: URL.into(),
        title: Some("Big".into()),
        etag: Some("\"v2\"".into()),
        last_modified: Some("Tue, 01 Dec 2026 00:00:00 GMT".into()),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("k{i}"),
                title: format!("Story {i}"),
                published: Some(1_000 + i as i64),
                content: Some(format!("<p>Body of story {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// Stores a feed in chunks of 500, calling `between` between them.
fn store_chunked(
    s: &mut Store,
    feed: &FetchedFeed,
    now: i64,
    between: impl FnMut(usize) -> Result<()>,
) -> Result<usize> {
    let mut run = s.ingest_with(500, HOUR, Box::new(between));
    let new = run.fetched(feed, now)?;
    run.flush()?;
    Ok(new)
}

fn stored(s: &Store) -> u64 {
    s.conn.query_row("SELECT COUNT(*) FROM items", [], |r| r.get::<_, i64>(0)).unwrap() as u64
}

fn validators(s: &Store) -> Option<Validators> {
    s.validators().unwrap().remove(URL)
}

#[test]
fn a_big_feed_is_stored_in_bounded_chunks() {
    let mut s = Store::open_in_memory().unwrap();
    let mut pauses = Vec::new();
    let new = store_chunked(&mut s, &big_feed(1_200), 50, |done| {
        pauses.push(done);
        Ok(())
    })
    .unwrap();
    assert_eq!(new, 1_200);
    assert_eq!(pauses, [500, 1_000], "three transactions, the write lock free between them");
    assert_eq!(stored(&s), 1_200);
    assert_eq!(validators(&s).unwrap().etag.as_deref(), Some("\"v2\""));
    assert_eq!(s.search("\"story 1199\"", None).unwrap().len(), 1, "the last chunk is searchable too");
}

#[test]
fn a_crash_between_chunks_leaves_a_consistent_feed_that_is_fetched_again() {
    let mut s = Store::open_in_memory().unwrap();
    let known = FetchedFeed { url: URL.into(), ..Default::default() };
    s.store_fetched(&known, 10).unwrap(); // the feed is known, without validators
    assert_eq!(validators(&s), None);
    let err = store_chunked(&mut s, &big_feed(1_200), 50, |_| Err(StoreError::Journal("killed".into())));
    assert!(err.is_err());
    assert_eq!(stored(&s), 500, "the committed chunk stays");
    assert_eq!(validators(&s), None, "no validators: the next fetch is not answered 304");
    let success: Option<i64> =
        s.conn.query_row("SELECT last_success FROM feeds WHERE url = ?1", [URL], |r| r.get(0)).unwrap();
    assert_eq!(success, Some(10), "the cut fetch is not recorded as a success");
    // The next fetch stores the rest and nothing twice.
    assert_eq!(s.store_fetched(&big_feed(1_200), 60).unwrap(), 700);
    assert_eq!(stored(&s), 1_200);
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 1_200);
    assert!(validators(&s).is_some());
}

#[test]
fn other_connections_write_between_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut s = Store::open(&path).unwrap();
    s.store_fetched(&big_feed(1), 10).unwrap();
    let id = stable_id(URL, "k0");
    let mut other = Store::open(&path).unwrap();
    let mut saved = 0;
    store_chunked(&mut s, &big_feed(1_500), 50, |_| {
        // No waiting at all: the lock must be free right now.
        other.conn.busy_handler(None::<fn(i32) -> bool>).unwrap();
        other.conn.busy_timeout(Duration::ZERO).unwrap();
        other.set_read(std::slice::from_ref(&id), saved % 2 == 0).unwrap();
        saved += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(saved, 3, "after 500, 1,000 and 1,500 items");
    assert_eq!(stored(&s), 1_500);
}

#[test]
fn a_write_waits_for_the_lock_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut s = Store::open(&path).unwrap();
    s.store_fetched(&big_feed(3), 10).unwrap();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        holder.execute_batch("COMMIT").unwrap();
    });
    // Blocked for ~100 ms by the other connection, then it goes through.
    assert_eq!(s.set_read(&[stable_id(URL, "k1")], true).unwrap(), 1);
    release.join().unwrap();
}

// — #15 stories —
pub(in crate::store) fn outlet(url: &str, key: &str, title: &str, summary: &str, published: i64) -> FetchedFeed {
    FetchedFeed {
        url: url.into(),
        items: vec![NewItem {
            key: key.into(),
            title: title.into(),
            summary: Some(format!("<p>{summary}</p>")),
            published: Some(published),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The database at `db`, grouping stories.
pub(in crate::store) fn open_grouping(db: &std::path::Path) -> Store {
    let mut s = Store::open(db).unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    s
}

pub(in crate::store) fn stories_of(s: &Store) -> Vec<(String, Option<String>)> {
    let mut stmt = s.conn.prepare("SELECT key, story FROM items ORDER BY key").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect()
}

pub(in crate::store) const T: i64 = 1_800_000_000;
pub(in crate::store) const SUMMARY: &str =
    "Rescue teams searched collapsed buildings in Antakya after the magnitude 7.8 earthquake";

pub(in crate::store) fn three_outlets() -> [FetchedFeed; 4] {
    [
        outlet("https://a.example/rss", "a1", "Earthquake of magnitude 7.8 hits southern Turkey", SUMMARY, T),
        outlet("https://b.example/rss", "b1", "Magnitude 7.8 earthquake strikes southern Turkey", SUMMARY, T + 600),
        outlet("https://c.example/rss", "c1", "Southern Turkey earthquake: magnitude 7.8 quake hits", SUMMARY, T + 900),
        outlet(
            "https://d.example/rss",
            "d1",
            "Central bank raises interest rates to 21 percent",
            "Inflation rose again in March",
            T + 100,
        ),
    ]
}

#[test]
fn new_items_are_grouped_into_stories_that_stay_put() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    let a = stable_id("https://a.example/rss", "a1");
    // An item alone in its story has none stored (its story's id is its own).
    let want = vec![
        ("a1".to_string(), Some(a.clone())),
        ("b1".to_string(), Some(a.clone())),
        ("c1".to_string(), Some(a.clone())),
        ("d1".to_string(), None),
    ];
    assert_eq!(stories_of(&s), want);
    // A re-fetch (with the text changed) and a restart never move an item.
    let mut changed = three_outlets();
    changed[1].items[0].title = "Central bank raises interest rates to 21 percent".into();
    for f in &changed {
        s.store_fetched(f, T + 2_000).unwrap();
    }
    assert_eq!(stories_of(&s), want);
    s.set_stories(crate::stories::StoriesConfig::default()); // a new grouper, seeded from the store
    s.store_fetched(
        &outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200),
        T + 3_000,
    )
    .unwrap();
    assert_eq!(stories_of(&s).last().unwrap(), &("e1".to_string(), Some(a)));
}

#[test]
fn a_restart_seeds_only_the_latest_window_whatever_was_stored_last() {
    // Feeds arrive one after another: the last item stored can be a year
    // older than the newest. The grouper is seeded with the window behind
    // the newest date, not behind the last stored item's.
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    let year = 365 * 24 * 3600;
    let mut old = outlet("https://old.example/rss", "o0", "Harvest festival opens", "Old news", T - year);
    for i in 1..50 {
        old.items.extend(
            outlet("https://old.example/rss", &format!("o{i}"), "Harvest festival opens", "Old news", T - year + i)
                .items,
        );
    }
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    s.store_fetched(&old, T + 1_000).unwrap();
    s.set_stories(crate::stories::StoriesConfig::default()); // a restart
    s.store_fetched(
        &outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200),
        T + 3_000,
    )
    .unwrap();
    assert_eq!(s.stories.seeded, 4, "the four items of the last 72 hours, none of the year-old ones");
    let a = stable_id("https://a.example/rss", "a1");
    assert_eq!(stories_of(&s).iter().find(|(k, _)| k == "e1").unwrap(), &("e1".to_string(), Some(a)));
}

#[test]
fn a_start_restores_the_saved_story_index_and_reads_only_what_came_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tidings.db");
    let open = || open_grouping(&db);
    let a = stable_id("https://a.example/rss", "a1");
    let mut first = open();
    let [a1, b1, c1, d1] = three_outlets();
    for f in [&a1, &b1, &d1] {
        first.store_fetched(f, T + 1_000).unwrap();
    }
    first.save_stories();
    assert!(db.with_extension("db.stories").exists());
    // Another process stores an item after the save (and groups it too).
    let mut other = open();
    other.store_fetched(&c1, T + 1_000).unwrap();
    drop((first, other));

    // (Read on a thread of its own from the start, as `tidings fetch` does.)
    let mut next = open();
    next.preload_stories();
    next.store_fetched(
        &outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200),
        T + 3_000,
    )
    .unwrap();
    assert_eq!(next.stories.seeded, 1, "only the item stored after the save is read again");
    assert_eq!(stories_of(&next).iter().find(|(k, _)| k == "e1").unwrap(), &("e1".to_string(), Some(a.clone())));

    // A file saved for another database is not used: the window is read again.
    let saved = std::fs::read(db.with_extension("db.stories")).unwrap();
    let other_db = dir.path().join("other.db");
    let mut fresh = Store::open(&other_db).unwrap();
    fresh.set_stories(crate::stories::StoriesConfig::default());
    for f in three_outlets() {
        fresh.store_fetched(&f, T + 1_000).unwrap();
    }
    drop(fresh);
    std::fs::write(other_db.with_extension("db.stories"), saved).unwrap();
    let mut fresh = Store::open(&other_db).unwrap();
    fresh.set_stories(crate::stories::StoriesConfig::default());
    fresh
        .store_fetched(
            &outlet("https://e.example/rss", "e1", "Magnitude 7.8 earthquake hits southern Turkey", SUMMARY, T + 1_200),
            T + 3_000,
        )
        .unwrap();
    assert_eq!(fresh.stories.seeded, 4);
    let fresh_a = stable_id("https://a.example/rss", "a1");
    assert_eq!(stories_of(&fresh).iter().find(|(k, _)| k == "e1").unwrap(), &("e1".to_string(), Some(fresh_a)));
}

#[test]
fn grouping_is_off_unless_enabled() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig { enabled: false, ..Default::default() });
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    assert!(stories_of(&s).iter().all(|(_, story)| story.is_none()));
}

#[test]
fn a_feed_s_new_items_are_grouped_oldest_first() {
    // Feeds list the newest first; the grouper sees them by date, so the
    // story's id is the earliest item's whatever order they came in.
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    // One feed: only a follow-up groups with its own feed's item.
    let late = "UPDATE: Magnitude 7.8 earthquake strikes southern Turkey";
    let mut f = outlet("https://a.example/rss", "late", late, SUMMARY, T + 600);
    f.items.extend(
        outlet("https://a.example/rss", "early", "Earthquake of magnitude 7.8 hits southern Turkey", SUMMARY, T).items,
    );
    s.store_fetched(&f, T + 1_000).unwrap();
    let early = stable_id("https://a.example/rss", "early");
    let late_story: Option<String> =
        s.conn.query_row("SELECT story FROM items WHERE key = 'late'", [], |r| r.get(0)).unwrap();
    assert_eq!(late_story.as_deref(), Some(early.as_str()));
}

#[test]
fn story_grouped_and_ungrouped_select_by_story() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    let keys = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .list_rows(&View::Query(q.into()), None)
            .unwrap()
            .into_iter()
            .map(|r| s.conn.query_row("SELECT key FROM items WHERE id = ?1", [&r.id], |r| r.get(0)).unwrap())
            .collect();
        v.sort();
        v
    };
    let a = stable_id("https://a.example/rss", "a1");
    let d = stable_id("https://d.example/rss", "d1");
    assert_eq!(keys(&format!("story:{a}")), ["a1", "b1", "c1"]);
    assert_eq!(keys(&format!("story:{d}")), ["d1"]);
    assert_eq!(keys("grouped"), ["a1", "b1", "c1"]);
    assert_eq!(keys("ungrouped"), ["d1"]);
    assert_eq!(keys("-grouped"), ["d1"]);
    assert_eq!(keys(&format!("story:{a} -feed:b.example")), ["a1", "c1"]);
    let stories = s.list_stories(&View::All, None).unwrap();
    assert_eq!(stories.len(), 2);
    assert_eq!(
        (stories[0].story.as_str(), stories[0].lead.as_str(), stories[0].items.len()),
        (a.as_str(), a.as_str(), 3)
    );
    // `prefer` picks the lead by outlet.
    s.set_stories(crate::stories::StoriesConfig { prefer: vec!["https://c.example/rss".into()], ..Default::default() });
    let stories = s.list_stories(&View::All, Some(1)).unwrap();
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].lead, stable_id("https://c.example/rss", "c1"));
}

#[test]
fn windows_fold_a_story_into_its_lead_row_and_unfold_it_in_place() {
    use crate::model::Fold;
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    s.conn.execute_batch("UPDATE feeds SET title = 'The ' || substr(url, 9, 1) || ' Wire'").unwrap();
    let keys = |rows: &[crate::model::ItemRow]| -> Vec<String> {
        rows.iter()
            .map(|r| s.conn.query_row("SELECT key FROM items WHERE id = ?1", [&r.id], |x| x.get(0)).unwrap())
            .collect()
    };
    // Off: every item is a row.
    assert_eq!(s.window_top(&View::All, 10).unwrap().rows.len(), 4);
    s.set_folding(crate::store::Folding { on: true, ..Default::default() });
    let w = s.window_top(&View::All, 10).unwrap();
    assert_eq!(keys(&w.rows), ["d1", "a1"], "the story sits where its earliest item does");
    let a = stable_id("https://a.example/rss", "a1");
    assert_eq!(w.rows[1].fold, Fold::Folded { story: a.clone(), others: vec!["b".into(), "c".into()], unread: 2 });
    assert_eq!(w.rows[0].fold, Fold::Alone);
    // Paging by keyset from the folded row finds nothing more.
    assert!(s.rows_after(&View::All, w.rows[1].key, 10).unwrap().rows.is_empty());
    // Unfolded: its items under it, with its key (the next read goes on from the lead).
    s.set_folding(crate::store::Folding { on: true, unfolded: vec![a.clone()], ..Default::default() });
    let w = s.window_top(&View::All, 10).unwrap();
    assert_eq!(keys(&w.rows), ["d1", "a1", "b1", "c1"]);
    assert_eq!(w.rows[2].fold, Fold::Member { story: a.clone() });
    assert!(w.rows[2..].iter().all(|r| r.key == w.rows[1].key));
    assert!(s.rows_after(&View::All, w.rows[3].key, 10).unwrap().rows.is_empty());
    // In a view without the earliest item, the next one leads.
    s.set_folding(crate::store::Folding { on: true, ..Default::default() });
    s.conn.execute("UPDATE items SET read = 1 WHERE id = ?1", [&a]).unwrap();
    let w = s.window_top(&View::Unread, 10).unwrap();
    assert_eq!(keys(&w.rows), ["b1", "d1"]);
    assert_eq!(w.rows[0].fold, Fold::Folded { story: a.clone(), others: vec!["c".into()], unread: 1 });
    // In All the story's first item is read, two others are not: `n` stops on the story.
    let w = s.window_top(&View::All, 10).unwrap();
    assert_eq!(keys(&w.rows), ["d1", "a1"]);
    assert_eq!(s.next_unread(&View::All, Some(w.rows[0].key)).unwrap().map(|f| f.1), Some(a.clone()));
    s.conn.execute("UPDATE items SET read = 1", []).unwrap();
    assert_eq!(s.next_unread(&View::All, None).unwrap(), None, "nothing unread: nothing found");
    s.conn.execute("UPDATE items SET read = 0 WHERE id <> ?1", [&a]).unwrap();
    // `prefer` chooses the lead by outlet.
    s.set_folding(crate::store::Folding { on: true, prefer: vec!["The c Wire".into()], ..Default::default() });
    let w = s.window_top(&View::All, 10).unwrap();
    assert_eq!(keys(&w.rows), ["c1", "d1"]);
    // A story counts once in the unread total (`count = "stories"`).
    assert_eq!(s.counts().unwrap().unread, 2);
    s.set_stories(crate::stories::StoriesConfig { count: crate::stories::Count::Items, ..Default::default() });
    assert_eq!(s.counts().unwrap().unread, 3);
}

// — #15 ingest — the parser signs, the store only assigns.
#[test]
fn items_signed_by_the_parser_are_grouped_as_the_store_would_group_them() {
    let unsigned = three_outlets();
    let mut signed = three_outlets();
    for f in &mut signed {
        crate::feed::parse::sign_stories(&mut f.items);
        let item = &f.items[0];
        let want = crate::stories::sign_html(&item.title, item.summary.as_deref());
        assert_eq!(item.signature.as_ref(), Some(&want), "the store's signature, computed early");
    }
    let mut stories = Vec::new();
    for feeds in [&unsigned, &signed] {
        let mut s = Store::open_in_memory().unwrap();
        s.set_stories(crate::stories::StoriesConfig::default());
        for f in feeds.iter() {
            s.store_fetched(f, T + 1_000).unwrap();
        }
        stories.push(stories_of(&s));
    }
    assert_eq!(stories[0], stories[1]);
    assert_eq!(stories[1].iter().filter(|(_, story)| story.is_some()).count(), 3);
    // The store takes the parser's signature as it is: one copied from
    // another item groups with it whatever the text says.
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    s.store_fetched(&signed[0], T + 1_000).unwrap();
    let mut other = outlet("https://b.example/rss", "b1", "Central bank raises rates", "Inflation rose", T + 60);
    other.items[0].signature = signed[0].items[0].signature.clone();
    s.store_fetched(&other, T + 1_000).unwrap();
    let a = stable_id("https://a.example/rss", "a1");
    assert_eq!(stories_of(&s), [("a1".to_string(), Some(a.clone())), ("b1".to_string(), Some(a))]);
}

#[test]
fn the_parser_signs_the_items_it_reads() {
    let rss = br#"<rss version="2.0"><channel><title>A</title>
        <item><guid>1</guid><title>Magnitude 7.8 earthquake strikes southern Turkey</title>
        <description>&lt;p&gt;Rescue teams searched collapsed buildings&lt;/p&gt;&lt;p&gt;More&lt;/p&gt;</description></item>
        <item><guid>2</guid><title>No summary</title></item>
        </channel></rss>"#;
    let feed = crate::feed::parse::parse("https://a.example/rss", rss).unwrap();
    assert_eq!(feed.items.len(), 2);
    for item in &feed.items {
        let want = crate::stories::sign_html(&item.title, item.summary.as_deref().or(item.content.as_deref()));
        assert!(!want.tokens().is_empty());
        assert_eq!(item.signature.as_ref(), Some(&want));
    }
}

#[test]
fn a_view_s_total_counts_its_rows_as_folded() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_stories(crate::stories::StoriesConfig::default());
    for f in three_outlets() {
        s.store_fetched(&f, T + 1_000).unwrap();
    }
    let a = stable_id("https://a.example/rss", "a1");
    let query = View::Query("magnitude".into());
    // Off: every item is a row.
    assert_eq!(s.view_len(&View::All).unwrap(), 4);
    assert_eq!(s.view_len(&query).unwrap(), 3);
    // Folded: a story is one row, whichever of its items the view holds.
    s.set_folding(crate::store::Folding { on: true, ..Default::default() });
    for (view, rows) in [(View::All, 2), (query.clone(), 1), (View::Unread, 2)] {
        assert_eq!(s.view_len(&view).unwrap(), rows, "{view:?}");
        assert_eq!(s.window_top(&view, 10).unwrap().rows.len() as u64, rows, "{view:?}: the rows shown");
    }
    s.conn.execute("UPDATE items SET read = 1 WHERE key IN ('a1', 'b1')", []).unwrap();
    assert_eq!(s.view_len(&View::Unread).unwrap(), 2, "c1's story and d1");
    s.conn.execute("UPDATE items SET read = 1 WHERE key = 'c1'", []).unwrap();
    assert_eq!(s.view_len(&View::Unread).unwrap(), 1);
    // Unfolded: all of its items are rows.
    s.set_folding(crate::store::Folding { on: true, unfolded: vec![a], ..Default::default() });
    assert_eq!(s.view_len(&View::All).unwrap(), 4);
    assert_eq!(s.window_top(&View::All, 10).unwrap().rows.len(), 4);
    // The sidebar's item counts stay items.
    assert_eq!(s.count_view(&View::All).unwrap(), (4, 1));
}

// — #10 fetch — new items' index rows are written together, before the commit.

fn fts_ok(s: &Store) {
    s.conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)", []).unwrap();
}

#[test]
fn a_key_twice_in_one_feed_is_indexed_once_with_its_last_text() {
    let mut s = Store::open_in_memory().unwrap();
    let mut feed = big_feed(3);
    feed.items.push(NewItem {
        key: "k1".into(),
        title: "Story rewritten".into(),
        content: Some("<p>Quokka sighting</p>".into()),
        ..Default::default()
    });
    assert_eq!(s.store_fetched(&feed, 50).unwrap(), 3);
    assert_eq!(stored(&s), 3);
    assert_eq!(s.search("quokka", None).unwrap().len(), 1, "the last text is searchable");
    assert_eq!(s.search("\"story 1\"", None).unwrap().len(), 0, "the first text is not");
    assert_eq!(s.search("\"story 2\"", None).unwrap().len(), 1);
    fts_ok(&s);
}

#[test]
fn a_mute_rule_on_words_mutes_items_whose_rows_were_pending() {
    let mut s = Store::open_in_memory().unwrap();
    s.set_mute(vec!["quokka".into()]);
    let mut feed = big_feed(1_200);
    feed.items[700].content = Some("<p>A quokka again</p>".into());
    assert_eq!(store_chunked(&mut s, &feed, 50, |_| Ok(())).unwrap(), 1_200);
    let dismissed: i64 = s.conn.query_row("SELECT COUNT(*) FROM items WHERE dismissed = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(dismissed, 1);
    assert_eq!(s.mute_stats(&["quokka".into()]).unwrap()[0].muted, 1);
    fts_ok(&s);
}

#[test]
fn a_bulk_run_commits_big_chunks_and_everything_is_searchable() {
    let mut s = Store::open_in_memory().unwrap();
    let mut run = s.ingest_bulk();
    assert_eq!(run.fetched(&big_feed(1_200), 50).unwrap(), 1_200);
    run.flush().unwrap();
    drop(run);
    assert_eq!(stored(&s), 1_200);
    assert_eq!(s.search("\"story 1199\"", None).unwrap().len(), 1);
    assert_eq!(s.search("\"story 0\"", None).unwrap().len(), 1);
    fts_ok(&s);
}

// — #10 refresh —

#[test]
fn ids_of_a_feeds_items_share_their_first_digits_and_are_fixed_by_feed_and_key() {
    let a = "https://a.example/rss";
    // The scheme, pinned: 4 digits of SHA-256 over the feed URL, 12 of
    // SHA-256 over the URL, a NUL and the key.
    assert_eq!(stable_id(a, "a1"), "f1401f432f300b07");
    // Before it, all 16 came from the second hash; pages and sync still do.
    assert_eq!(super::super::sql::hashed_id(a, "a1"), "1f432f300b072ef5");
    assert_eq!(crate::store::reading_list::page_id("https://example.com/a"), "02d7c27090e0630e");
    let ids: Vec<String> = (0..10_000).map(|i| stable_id(a, &format!("k{i}"))).collect();
    assert!(
        ids.iter().all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    );
    assert!(ids.iter().all(|id| id[..4] == ids[0][..4]), "one feed, one prefix");
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), ids.len(), "unique");
    assert_ne!(stable_id("https://b.example/rss", "k0")[..4], ids[0][..4], "another feed, another prefix");
    assert_eq!(stable_id(a, "k7"), ids[7], "the same item, the same id");
}

#[test]
fn a_new_items_id_taken_by_another_item_gets_the_next_alternative() {
    let mut s = Store::open_in_memory().unwrap();
    s.store_fetched(&big_feed(1), 10).unwrap();
    // An item of another feed squats the id `k1` of the big feed would get
    // (two feeds sharing the prefix, and 12 digits coinciding).
    let taken = stable_id(URL, "k1");
    s.conn
        .execute(
            "INSERT INTO items (id, feed_id, key, title, first_seen, sort_date)
             SELECT ?1, id, 'squatter', 'Squatter', 0, 0 FROM feeds WHERE url = ?2",
            params![taken, URL],
        )
        .unwrap();
    assert_eq!(s.store_fetched(&big_feed(3), 20).unwrap(), 2, "k1 and k2 are new");
    let id_of = |s: &Store, key: &str| -> String {
        s.conn.query_row("SELECT id FROM items WHERE key = ?1", [key], |r| r.get(0)).unwrap()
    };
    assert_eq!(id_of(&s, "k1"), super::super::sql::item_id(URL, "k1", 1));
    assert_eq!(id_of(&s, "k1")[..4], taken[..4], "the alternative keeps the feed's prefix");
    assert_eq!(id_of(&s, "k2"), stable_id(URL, "k2"));
    // Fetched again: nothing new, the ids stay.
    assert_eq!(s.store_fetched(&big_feed(3), 30).unwrap(), 0);
    assert_eq!(id_of(&s, "k1"), super::super::sql::item_id(URL, "k1", 1));
}

#[test]
fn an_item_stored_under_the_earlier_scheme_keeps_its_id_when_fetched_again() {
    let mut s = Store::open_in_memory().unwrap();
    s.store_fetched(&big_feed(2), 10).unwrap();
    let old = super::super::sql::hashed_id(URL, "k0");
    s.conn.execute("UPDATE items SET id = ?1 WHERE key = 'k0'", [&old]).unwrap();
    assert_eq!(s.store_fetched(&big_feed(3), 20).unwrap(), 1);
    let id: String = s.conn.query_row("SELECT id FROM items WHERE key = 'k0'", [], |r| r.get(0)).unwrap();
    assert_eq!(id, old);
}

#[test]
fn an_ingest_connection_keeps_statement_journals_in_memory() {
    let s = Store::open_in_memory().unwrap();
    s.tune_for_ingest().unwrap();
    let store: i64 = s.conn.pragma_query_value(None, "temp_store", |r| r.get(0)).unwrap();
    assert_eq!(store, 2, "MEMORY");
}
