//! Triage at scale: the journal's bulk steps, the sidebar counts and the
//! views, on a database of 100,000 items. Run with `cargo bench --bench triage`;
//! the numbers are written down in benches/README.md.

use std::time::{Duration, Instant};

use tidings::config::FeedConfig;
use tidings::model::{FetchedFeed, NewItem, View};
use tidings::store::{Store, stable_id};

const FEEDS: usize = 50;
const PER_FEED: usize = 2_000;
/// Feeds tagged "bulk": 5 × 2,000 = 10,000 items.
const BULK_FEEDS: usize = 5;
const RUNS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = if std::env::var_os("MEM").is_some() {
        Store::open_in_memory().expect("open")
    } else {
        Store::open(&dir.path().join("bench.db")).expect("open")
    };
    let feeds: Vec<FeedConfig> = (0..FEEDS)
        .map(|f| {
            let mut tags = vec![format!("group{}", f % 10)];
            if f < BULK_FEEDS {
                tags.push("bulk".into());
            }
            FeedConfig { tags, ..FeedConfig::new(format!("https://feed{f}.example/rss")) }
        })
        .collect();
    store.sync_feeds(&feeds).expect("sync");
    let (fill, _) = time(|| {
        for (f, feed) in feeds.iter().enumerate() {
            let items = (0..PER_FEED)
                .map(|i| NewItem {
                    key: format!("item-{i}"),
                    title: format!("Headline {i} of feed {f}"),
                    link: Some(format!("https://feed{f}.example/{i}")),
                    published: Some(1_700_000_000 + (i * FEEDS + f) as i64),
                    summary: Some("<p>A short summary of the item.</p>".into()),
                    ..Default::default()
                })
                .collect();
            let fetched =
                FetchedFeed { url: feed.url.clone(), title: Some(format!("Feed {f}")), items, ..Default::default() };
            store.store_fetched(&fetched, 1_800_000_000).expect("store");
        }
    });
    let total = FEEDS * PER_FEED;
    println!("{total} items in {FEEDS} feeds, stored in {}", ms(fill));
    let bulk = View::Tag("bulk".into());

    let mut rows = Vec::new();
    let mut measure = |name: &str, samples: Vec<Duration>| rows.push((name.to_string(), median(samples)));

    let (mut mark, mut undo, mut redo) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (d, n) = time(|| store.mark_view_read(&bulk).expect("mark"));
        assert_eq!(n, BULK_FEEDS * PER_FEED);
        mark.push(d);
        let (d, label) = time(|| store.undo().expect("undo"));
        assert_eq!(label.as_deref(), Some("mark 10000 items read"));
        undo.push(d);
        let (d, _) = time(|| store.redo().expect("redo"));
        redo.push(d);
        store.undo().expect("undo");
    }
    measure("A: mark 10,000 items read (one journal entry)", mark);
    measure("u: undo it", undo);
    measure("Ctrl-r: redo it", redo);

    let (d, n) = time(|| store.mark_view_read(&View::All).expect("mark all"));
    assert_eq!(n, total);
    measure("A on All: mark 100,000 items read", vec![d]);
    let (d, _) = time(|| store.undo().expect("undo"));
    measure("u: undo that", vec![d]);

    let one = stable_id(&feeds[7].url, "item-3");
    let samples =
        (0..RUNS).map(|i| time(|| store.set_read(std::slice::from_ref(&one), i % 2 == 0).expect("read")).0).collect();
    measure("r: toggle one item (with its journal entry)", samples);
    let samples = (0..RUNS)
        .map(|_| {
            let d = time(|| store.save_item(&one, 1).expect("save")).0;
            store.unsave(&one).expect("unsave");
            d
        })
        .collect();
    measure("s: save one item (copy + journal entry)", samples);
    let samples = (0..RUNS).map(|_| time(|| store.counts().expect("counts")).0).collect();
    measure("sidebar counts (All, Unread, 11 tags, reading list)", samples);
    let samples = (0..RUNS).map(|_| time(|| store.list_rows(&bulk, None).expect("rows")).0).collect();
    measure("load the #bulk view (10,000 rows)", samples);
    let samples = (0..RUNS).map(|_| time(|| store.list_rows(&View::All, None).expect("rows")).0).collect();
    measure("load the All view (100,000 rows)", samples);
    let samples = (0..RUNS).map(|_| time(|| store.prune(90, 2000, 1_800_000_000).expect("prune")).0).collect();
    measure("retention pass with nothing to remove", samples);

    println!("\n| step | median of {RUNS} |\n|---|---|");
    for (name, d) in rows {
        println!("| {name} | {} |", ms(d));
    }
}
