use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem, View};
use crate::store::LockHolder;

const FEED: &str = "https://a.example/rss";
const WORDS: [&str; 8] = ["korea", "korean", "minister", "ministers", "budget", "rain", "port", "seoul"];

/// A store on a file whose index holds a segment per commit: `batches`
/// commits of 30 items (FTS5's own merging turned off, as a fetch can leave it).
fn segmented(dir: &tempfile::TempDir, batches: usize) -> Store {
    let mut s = Store::open(&dir.path().join("tidings.db")).unwrap();
    s.sync_feeds(&[FeedConfig::new(FEED)]).unwrap();
    s.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 0)", []).unwrap();
    let mut rng = fastrand::Rng::with_seed(10);
    for b in 0..batches {
        let items = (0..30)
            .map(|i| {
                let mut words =
                    |k: usize| (0..k).map(|_| WORDS[rng.usize(..WORDS.len())]).collect::<Vec<_>>().join(" ");
                NewItem {
                    key: format!("{b}-{i}"),
                    title: words(3),
                    published: Some(1_700_000_000 + (b * 30 + i) as i64),
                    content: Some(format!("<p>{}</p>", words(40))),
                    ..Default::default()
                }
            })
            .collect();
        s.store_fetched(&FetchedFeed { url: FEED.into(), items, ..Default::default() }, 1_700_100_000).unwrap();
    }
    s
}

#[test]
fn varints_read_as_sqlite_writes_them() {
    assert_eq!(varint(&[0x05]), Some((5, 1)));
    assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
    assert_eq!(varint(&[0xff, 0x7f]), Some((16383, 2)));
    assert_eq!(varint(&[0x81]), None);
}

#[test]
fn merge_steps_leave_one_segment_a_level_and_then_stop() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = segmented(&dir, 12);
    let before = s.index_shape().unwrap();
    assert!(before.segments() >= 12, "a segment per commit: {before:?}");
    assert!(before.unmerged());
    let mut steps = 0;
    loop {
        match s.merge_step(1).unwrap() {
            Step::Merged => steps += 1,
            Step::Done => break,
            Step::Busy => panic!("nobody else holds the lock"),
        }
        assert!(steps < 10_000, "merging ends");
    }
    let after = s.index_shape().unwrap();
    assert!(steps > 1, "small steps: {steps}");
    assert!(after.segments() < 4, "about one segment per size: {after:?}");
    assert!(!after.merging() && after.levels.iter().all(|l| l.pages.len() <= 1), "{after:?}");
    assert_eq!(s.merge_step(1).unwrap(), Step::Done, "and nothing is left");
    // A run with a budget stops when merged, and says so.
    let run = s.merge_index(Duration::from_secs(10), MERGE_PAGES).unwrap();
    assert_eq!(run, MergeRun { steps: 0, done: true, gave_way: false, segments: after.segments() });
}

#[test]
fn a_merge_run_goes_on_from_where_the_last_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = segmented(&dir, 12);
    let first = s.merge_index(Duration::ZERO, 1).unwrap();
    assert_eq!(first.steps, 0, "no time, no step");
    assert_eq!(s.merge_step(1).unwrap(), Step::Merged);
    let run = s.merge_index(Duration::from_secs(30), 1).unwrap();
    assert!(run.done && !run.gave_way && run.steps > 0, "{run:?}");
    assert!(!s.index_shape().unwrap().unmerged());
}

#[test]
fn a_merge_step_gives_way_to_another_writer_and_waits_again_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = segmented(&dir, 6);
    let holder = LockHolder::take(&dir.path().join("tidings.db"));
    let t = Instant::now();
    assert_eq!(s.merge_step(MERGE_PAGES).unwrap(), Step::Busy);
    let run = s.merge_index(Duration::from_secs(10), MERGE_PAGES).unwrap();
    assert!(run.gave_way && !run.done && run.steps == 0, "{run:?}");
    assert!(t.elapsed() < Duration::from_secs(2), "without waiting for the lock: {:?}", t.elapsed());
    assert!(s.index_shape().unwrap().unmerged(), "nothing merged");
    // The connection's own writes wait for the lock again (its busy handler is back).
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        holder.release();
    });
    let ids: Vec<String> = s.window_top(&View::All, 3).unwrap().rows.into_iter().map(|r| r.id).collect();
    s.set_read(&ids, true).expect("waits for the lock, then writes");
    released.join().unwrap();
    assert!(s.merge_index(Duration::from_secs(30), MERGE_PAGES).unwrap().done);
}

#[test]
fn search_finds_the_same_items_after_merging() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = segmented(&dir, 10);
    // Deleted and changed items too (tombstones in the segments).
    s.conn.execute("DELETE FROM items WHERE seq % 7 = 0", []).unwrap();
    s.conn.execute("UPDATE items SET title = 'port authority' WHERE seq % 11 = 0", []).unwrap();
    let queries = ["korea", "kor", "minister", "\"korea seoul\"", "title:port", "korea -budget", "k", "zzz"];
    let read = |s: &Store| {
        queries
            .iter()
            .map(|q| {
                let view = View::Query((*q).into());
                let rows: Vec<String> = s.window_top(&view, 500).unwrap().rows.into_iter().map(|r| r.id).collect();
                let hits: Vec<(String, Option<f64>)> =
                    s.search(q, Some(500)).unwrap().into_iter().map(|h| (h.item.id, h.score)).collect();
                (rows, hits, s.count_view(&view).unwrap())
            })
            .collect::<Vec<_>>()
    };
    let before = read(&s);
    assert!(before.iter().filter(|(rows, ..)| !rows.is_empty()).count() >= 6, "the queries find items");
    let segments = s.index_shape().unwrap().segments();
    let run = s.merge_index(Duration::from_secs(30), 2).unwrap();
    assert!(run.done && run.segments < segments, "{run:?} from {segments}");
    assert_eq!(read(&s), before);
}

// — #10 refresh —
fn shape(levels: &[(&[u64], usize)]) -> IndexShape {
    IndexShape {
        levels: levels.iter().map(|(pages, merging)| Level { pages: pages.to_vec(), merging: *merging }).collect(),
    }
}

#[test]
fn the_next_merge_is_the_one_fts5_would_take() {
    // Nothing to merge: one segment a level.
    assert_eq!(shape(&[(&[10], 0), (&[], 0), (&[900], 0)]).next_merge(), None);
    // The level with the most segments.
    assert_eq!(shape(&[(&[10, 12], 0), (&[90, 80, 70], 0)]).next_merge(), Some(240));
    // A merge under way goes on unless a level below has more segments
    // than it takes in: the archive's big merge waits for the small ones.
    let big = shape(&[(&[10, 12], 0), (&[], 0), (&[85_000, 86_000, 85_500], 3)]);
    assert_eq!(big.next_merge(), Some(256_500));
    let small_first = shape(&[(&[10, 12, 9, 11], 0), (&[], 0), (&[85_000, 86_000, 85_500], 3)]);
    assert_eq!(small_first.next_merge(), Some(42));
}

#[test]
fn a_bulk_run_leaves_its_merges_to_the_small_merge_after_it_and_its_setting_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("tidings.db")).unwrap();
    s.sync_feeds(&[FeedConfig::new(FEED)]).unwrap();
    assert_eq!(s.automerge().unwrap(), 4, "FTS5's default when never set");
    let mut rng = fastrand::Rng::with_seed(3);
    for b in 0..8 {
        let items: Vec<NewItem> = (0..20)
            .map(|i| NewItem {
                key: format!("{b}-{i}"),
                title: format!("{} {}", WORDS[rng.usize(..8)], WORDS[rng.usize(..8)]),
                content: Some(format!("<p>{} {}</p>", WORDS[rng.usize(..8)], WORDS[rng.usize(..8)])),
                ..Default::default()
            })
            .collect();
        let mut run = s.ingest_bulk();
        run.fetched(&FetchedFeed { url: FEED.into(), items, ..Default::default() }, 1_700_000_000).unwrap();
        run.flush().unwrap();
    }
    // Each commit left its segment (FTS5 would have merged four into one).
    let before = s.index_shape().unwrap();
    assert_eq!(before.segments(), 8, "{before:?}");
    assert_eq!(s.automerge().unwrap(), 4, "the setting is back after each commit");
    let run = s.merge_small(Duration::from_secs(10), 4096).unwrap();
    assert!(run.done && run.steps > 0 && run.segments < 4, "{run:?}");
    // Small means small: nothing is merged when the next merge is bigger than allowed.
    let other = tempfile::tempdir().unwrap();
    let mut t = segmented(&other, 4);
    let pages = t.index_shape().unwrap().next_merge().unwrap();
    let none = t.merge_small(Duration::from_secs(10), pages - 1).unwrap();
    assert_eq!((none.steps, none.segments), (0, 4), "{none:?}");
    // What the runs stored is found.
    let view = View::Query("korea OR seoul OR rain OR port".into());
    assert!(s.count_view(&view).unwrap().0 > 0);
    s.conn.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')", []).unwrap();
}
