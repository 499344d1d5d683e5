//! — #10 search — A list with a full-text term read from its matches (few
//! of them) gives exactly the rows that walking the list's index gives: the
//! same rows in the same order, for every order, both ends and a key in the
//! middle, on a generated store with ties, read and saved items, dismissed
//! ones, tags of both kinds and a feed no longer in the config.

use super::probe::{dense_enough, probe_budget};
use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem};

const FEEDS: [&str; 4] =
    ["https://a.example/rss", "https://b.example/rss", "https://c.example/rss", "https://gone.example/rss"];
const WORDS: [&str; 12] =
    ["korea", "korean", "north", "south", "seoul", "kor", "talks", "budget", "minister", "ministers", "rain", "port"];

/// 400 items over four feeds (two tagged), dates with many ties, words from
/// a small vocabulary with prefixes of each other; some read, saved,
/// dismissed or tagged by the user; the last feed dropped from the config.
fn generated() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let config = |n: usize| {
        let mut feeds = vec![
            FeedConfig { title: Some("Zulu news".into()), tags: vec!["news".into()], ..FeedConfig::new(FEEDS[0]) },
            FeedConfig {
                title: Some("Alpha".into()),
                tags: vec!["tech".into(), "news".into()],
                ..FeedConfig::new(FEEDS[1])
            },
            FeedConfig::new(FEEDS[2]),
            FeedConfig::new(FEEDS[3]),
        ];
        feeds.truncate(n);
        feeds
    };
    s.sync_feeds(&config(4)).unwrap();
    let mut rng = fastrand::Rng::with_seed(10);
    for (f, url) in FEEDS.iter().enumerate() {
        let items = (0..100)
            .map(|i| {
                let mut words =
                    |k: usize| (0..k).map(|_| WORDS[rng.usize(..WORDS.len())]).collect::<Vec<_>>().join(" ");
                let title = words(3);
                let body = format!("<p>{}</p>", words(8));
                NewItem {
                    key: format!("{f}-{i}"),
                    title,
                    published: Some(1_700_000_000 + rng.i64(0..40)),
                    content: Some(body),
                    ..Default::default()
                }
            })
            .collect();
        s.store_fetched(&FetchedFeed { url: (*url).into(), items, ..Default::default() }, 1_700_100_000).unwrap();
    }
    let ids: Vec<ItemId> = s
        .conn
        .prepare("SELECT id FROM items ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let read: Vec<ItemId> = ids.iter().step_by(3).cloned().collect();
    s.set_read(&read, true).unwrap();
    for (i, id) in ids.iter().enumerate() {
        match i % 17 {
            0 => drop(s.dismiss(id).unwrap()),
            5 => drop(s.save_item(id, 1_700_200_000 + i as i64).unwrap()),
            9 => drop(s.set_tags(id, &["later".into()]).unwrap()),
            _ => {}
        }
    }
    s.sync_feeds(&config(3)).unwrap();
    s
}

const QUERIES: &[&str] = &[
    "korea",
    "kor",
    "korean",
    "k",
    "minister",
    "\"north korea\"",
    "title:seoul",
    "korea -north",
    "korea north -south -rain",
    "north korea",
    "korea or budget",
    "korea unread",
    "korea read",
    "korea saved",
    "korea tag:news",
    "tag:none korea",
    "korea tag:later",
    "korea feed:alpha",
    "korea since:2023-11-14",
    "korea (unread or saved)",
    "-korea port",
    "zzzz",
    "korea zzzz",
    "\"!!\"",
    "port -(korea or seoul)",
];

/// What `read_all` reads: down, up, around a key, the next unread.
type Reads = (Vec<ItemRow>, Vec<ItemRow>, Vec<ItemRow>, Option<(RowKey, ItemId)>);

/// The whole list read `n` rows at a time down from the top, the same up from
/// the bottom, a window around a key in the middle, and the first unread row
/// after that key.
fn read_all(s: &Store, view: &View, n: usize) -> Reads {
    let mut w = s.window_top(view, n).unwrap();
    let mut down = w.rows.clone();
    while !w.at_bottom {
        w = s.rows_after(view, down.last().unwrap().key, n).unwrap();
        down.extend(w.rows.clone());
    }
    let mut w = s.window_bottom(view, n).unwrap();
    let mut up = w.rows.clone();
    while !w.at_top {
        w = s.rows_before(view, up[0].key, n).unwrap();
        let mut rows = w.rows.clone();
        rows.extend(up);
        up = rows;
    }
    let (around, next) = match down.get(down.len() / 2) {
        Some(mid) => {
            (s.rows_around(view, mid.key, n / 2, n).unwrap().rows, s.next_unread(view, Some(mid.key)).unwrap())
        }
        None => (Vec::new(), s.next_unread(view, None).unwrap()),
    };
    assert_eq!(down, up, "{view:?}: down and up");
    (down, up, around, next)
}

#[test]
fn reading_from_the_matches_gives_the_rows_the_index_walk_gives() {
    let s = generated();
    let orders = [SortOrder::Date, SortOrder::Feed, SortOrder::Title, SortOrder::UnreadFirst];
    let mut nonempty = 0;
    for order in orders {
        s.set_list_order(order);
        for q in QUERIES {
            let view = View::Query((*q).into());
            s.set_fts_plan(FtsPlan::Walk);
            let walked = read_all(&s, &view, 7);
            let counted = s.count_view(&view).unwrap();
            assert_eq!(counted.0, walked.0.len() as u64, "{q:?}: the count is the rows'");
            for plan in [FtsPlan::Matches, FtsPlan::Probe, FtsPlan::Set, FtsPlan::Auto] {
                s.set_fts_plan(plan);
                assert_eq!(read_all(&s, &view, 7), walked, "{q:?} in {order:?}, {plan:?}");
                assert_eq!(s.count_view(&view).unwrap(), counted, "{q:?}: count, {plan:?}");
            }
            nonempty += usize::from(!walked.0.is_empty());
        }
    }
    assert!(nonempty >= 4 * (QUERIES.len() - 4), "the queries select rows: {nonempty}");
}

#[test]
fn every_plan_reads_the_same_rows_from_a_merged_index() {
    let mut s = generated();
    let unmerged: Vec<Reads> = QUERIES.iter().map(|q| read_all(&s, &View::Query((*q).into()), 7)).collect();
    let run = s.merge_index(std::time::Duration::from_secs(30), 1).unwrap();
    assert!(run.done, "{run:?}");
    for plan in [FtsPlan::Walk, FtsPlan::Matches, FtsPlan::Probe, FtsPlan::Set, FtsPlan::Auto] {
        s.set_fts_plan(plan);
        for (q, was) in QUERIES.iter().zip(&unmerged) {
            assert_eq!(&read_all(&s, &View::Query((*q).into()), 7), was, "{q:?}, {plan:?}");
        }
    }
}

#[test]
fn the_plan_follows_a_bounded_count_of_the_matches() {
    let s = generated();
    let driving = |q: &str| query::driving_match(&query::parse(q).unwrap()).unwrap();
    // Few: fetched by seq. A word in every other item of 400: walked, for a window of 7.
    let few = s.fts_source(&driving("korea zzzz"), 7).unwrap();
    assert_eq!(few, FtsSource::Matches(vec![]));
    assert!(matches!(s.fts_source(&driving("k"), 7).unwrap(), FtsSource::Set(_)));
    assert_eq!(few_enough(250, 1_000_000), 3_872);
    assert_eq!(few_enough(250, 100_000), 1_224);
    assert_eq!(few_enough(250, 10), 250, "a window's worth at least");
}

/// `n` items over one feed: every one with "alpha" in its title, every
/// tenth also "alphabet", every third "beta".
fn dense(n: usize) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[FeedConfig::new(FEEDS[0])]).unwrap();
    let items = (0..n)
        .map(|i| {
            let mut title = format!("Alpha {i}");
            if i % 10 == 0 {
                title.push_str(" alphabet");
            }
            if i % 3 == 0 {
                title.push_str(" beta");
            }
            NewItem { key: i.to_string(), title, published: Some(1_700_000_000 + i as i64), ..Default::default() }
        })
        .collect();
    s.store_fetched(&FetchedFeed { url: FEEDS[0].into(), items, ..Default::default() }, 1_700_100_000).unwrap();
    s
}

#[test]
fn a_word_in_most_items_is_tested_row_by_row_when_the_window_is_small_against_the_store() {
    let s = dense(1_000);
    // As the reader is: it may still read the vocabulary.
    s.conn.pragma_update(None, "query_only", true).unwrap();
    let driving = |q: &str| query::driving_match(&query::parse(q).unwrap()).unwrap();
    // In every item, with one longer word: a point lookup of both words
    // (the vocabulary first read inside a read transaction, as windows are).
    // Their share is 1: the budget is the floor of 64 rows.
    let probe = FtsSource::Probe("(\"alpha\" OR \"alphabet\")".into(), 64);
    assert_eq!(probe_budget(1, 1_000, 1.0, 2), 64);
    assert_eq!(s.snapshot(|| s.fts_source(&driving("alpha"), 1)).unwrap(), probe);
    assert_eq!(s.fts_source(&driving("ALPHA"), 1).unwrap(), probe);
    // Too few rows to read for the lookups to beat the set of matches; or too few matches.
    let set = |q: &str, n| matches!(s.fts_source(&driving(q), n).unwrap(), FtsSource::Set(_));
    assert!(set("alpha", 250));
    assert!(set("alphabet", 1));
    // A word whose token is uncertain is not expanded.
    assert!(set("alpha-", 1));
    // The same rows either way, and the vocabulary holds for the reader too.
    for q in ["alpha", "alpha -beta", "alpha beta", "title:alpha -alphabet"] {
        let view = View::Query(q.into());
        s.set_fts_plan(FtsPlan::Walk);
        let walked = read_all(&s, &view, 3);
        s.set_fts_plan(FtsPlan::Probe);
        assert_eq!(read_all(&s, &view, 3), walked, "{q}");
    }
    let query_only: bool = s.conn.query_row("PRAGMA query_only", [], |r| r.get(0)).unwrap();
    assert!(query_only, "and stays a reader");
    assert!(dense_enough(250, 1_000_000, 1) > 0.22 && dense_enough(250, 1_000_000, 1) < 0.23);
    assert!(dense_enough(250, 100_000, 1) > 0.7, "at 100k items the walk is cheaper");
}

// — #10 keys —
#[test]
fn point_lookups_past_their_budget_give_way_to_the_set_of_matches() {
    let s = dense(1_000);
    for q in ["alpha", "alpha -beta", "title:alpha -alphabet"] {
        let view = View::Query(q.into());
        s.set_fts_plan(FtsPlan::Walk);
        let walked = read_all(&s, &view, 50);
        s.set_fts_plan(FtsPlan::Probe);
        // A budget the reads stay within: nothing given up.
        s.set_probe_budget(Some(10_000));
        let before = s.probes_abandoned();
        assert_eq!(read_all(&s, &view, 50), walked, "{q}");
        assert_eq!(s.probes_abandoned(), before, "{q}: within the budget");
        // Ten lookups a read: each window is read again from the set, the same rows.
        s.set_probe_budget(Some(10));
        assert_eq!(read_all(&s, &view, 50), walked, "{q}, bounded");
        assert!(s.probes_abandoned() > before + 20, "{q}: {} given up", s.probes_abandoned() - before);
        // And the next read looks up again.
        s.set_probe_budget(Some(10_000));
        let before = s.probes_abandoned();
        s.window_top(&view, 50).unwrap();
        assert_eq!(s.probes_abandoned(), before, "{q}: the next read");
    }
    s.set_probe_budget(None);
    // As chosen: the bound grows with the rows a window should walk and the set's cost.
    assert_eq!(probe_budget(64, 1_000_000, 0.68, 2), 1_700);
    assert_eq!(probe_budget(250, 1_000_000, 0.25, 1), 4_000);
    assert_eq!(probe_budget(1, 10, 0.5, 1), 64, "at least 64 rows");
}

/// A store whose config keeps one of two feeds: the dropped feed's 300
/// items are newer than the kept feed's 20, and all of them say "alpha".
fn one_feed_kept() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[FeedConfig::new(FEEDS[0]), FeedConfig::new(FEEDS[1])]).unwrap();
    for (f, n, from) in [(0, 300, 1_700_001_000), (1, 20, 1_700_000_000)] {
        let items = (0..n)
            .map(|i| NewItem {
                key: format!("{f}-{i}"),
                title: format!("Alpha {f} {i}"),
                published: Some(from + i as i64),
                ..Default::default()
            })
            .collect();
        s.store_fetched(&FetchedFeed { url: FEEDS[f].into(), items, ..Default::default() }, 1_700_100_000).unwrap();
    }
    s.sync_feeds(&[FeedConfig::new(FEEDS[1])]).unwrap();
    s
}

#[test]
fn point_lookups_test_only_the_rows_of_the_feeds_in_the_config() {
    let s = one_feed_kept();
    let view = View::Query("alpha".into());
    s.set_fts_plan(FtsPlan::Walk);
    let walked = read_all(&s, &view, 10);
    assert_eq!(walked.0.len(), 20, "the kept feed's items only");
    for order in [SortOrder::Date, SortOrder::Feed, SortOrder::Title, SortOrder::UnreadFirst] {
        s.set_list_order(order);
        s.set_fts_plan(FtsPlan::Walk);
        let walked = read_all(&s, &view, 10);
        // 300 hidden rows come first in date order: looked up, they would spend any budget under 300.
        s.set_fts_plan(FtsPlan::Probe);
        s.set_probe_budget(Some(40));
        assert_eq!(read_all(&s, &view, 10), walked, "{order:?}");
        assert_eq!(s.probes_abandoned(), 0, "{order:?}: the hidden feed's rows are not looked up");
    }
}

#[test]
fn the_set_of_matches_is_read_again_after_a_change() {
    let mut s = dense(100);
    s.set_fts_plan(FtsPlan::Set);
    let view = View::Query("beta".into());
    let before = s.window_top(&view, 50).unwrap().rows.len();
    assert_eq!(before, 34);
    assert_eq!(s.window_top(&view, 50).unwrap().rows.len(), before, "the same set, kept");
    let item =
        NewItem { key: "new".into(), title: "Beta news".into(), published: Some(1_800_000_000), ..Default::default() };
    s.store_fetched(&FetchedFeed { url: FEEDS[0].into(), items: vec![item], ..Default::default() }, 1_800_000_000)
        .unwrap();
    let after = s.window_top(&view, 50).unwrap();
    assert_eq!(after.rows.len(), before + 1);
    assert_eq!(after.rows[0].title, "Beta news");
}
