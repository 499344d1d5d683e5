//! Query speed on a generated archive (100,000 items by default).
//!
//! ```sh
//! cargo bench --bench query                         # build a fresh archive, then time the queries
//! BENCH_ITEMS=20000 cargo bench --bench query       # another size
//! BENCH_DB=/tmp/q.db cargo bench --bench query      # keep (or reuse) the generated database
//! ```
//!
//! Not a test: it prints a table of timings (median and 95th percentile over
//! repeated runs) for what the reader and the CLI do with a query. The
//! figures in the README come from here.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tidings::config::{FeedConfig, SavedQuery};
use tidings::model::{FetchedFeed, NewItem, View};
use tidings::store::Store;

const FEEDS: usize = 50;
const RUNS: usize = 15;
/// Item dates spread over the two years before now.
const SPAN: i64 = 2 * 365 * 86_400;

/// Words that news is made of, used often; the rest of the vocabulary is generated.
const TOPICAL: &[&str] = &[
    "putin",
    "kremlin",
    "russia",
    "ukraine",
    "korea",
    "north",
    "south",
    "sanctions",
    "treaty",
    "summit",
    "election",
    "market",
    "prices",
    "energy",
    "gas",
    "oil",
    "harbour",
    "rocket",
    "launch",
    "satellite",
    "court",
    "minister",
    "president",
    "talks",
    "war",
    "peace",
    "trade",
    "bank",
    "rates",
    "inflation",
    "storm",
    "flood",
    "science",
    "climate",
    "pyongyang",
    "moscow",
    "beijing",
    "washington",
    "brussels",
    "vote",
    "protest",
    "police",
    "health",
];

/// A small xorshift generator: the archive is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Words {
    vocab: Vec<String>,
}

impl Words {
    fn new(rng: &mut Rng) -> Words {
        let syll =
            ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "in", "pra", "es", "to", "ny", "gar", "bel", "ost"];
        let mut vocab: Vec<String> = Vec::new();
        while vocab.len() < 20_000 {
            let n = 2 + rng.below(3);
            vocab.push((0..n).map(|_| syll[rng.below(syll.len())]).collect());
        }
        // Topical words are common but not everywhere: ranks 40, 60, 80, … (the
        // top ranks play the part of "the" and "of").
        for (i, w) in TOPICAL.iter().enumerate() {
            vocab[40 + 20 * i] = w.to_string();
        }
        Words { vocab }
    }

    /// Skewed like real text: a few words very often, most rarely.
    fn word(&self, rng: &mut Rng) -> &str {
        let i = (self.vocab.len() as f64 * rng.unit().powi(4)) as usize;
        &self.vocab[i.min(self.vocab.len() - 1)]
    }

    fn sentence(&self, rng: &mut Rng, n: usize) -> String {
        (0..n).map(|_| self.word(rng)).collect::<Vec<_>>().join(" ")
    }
}

fn feed_url(f: usize) -> String {
    format!("https://feed{f}.example/rss")
}

fn build(path: &Path, items: usize) -> Store {
    let newest = chrono::Utc::now().timestamp();
    let mut rng = Rng(0x51_7cc1_b727_220a);
    let words = Words::new(&mut rng);
    let tags = ["news", "world", "europe", "tech", "science", "business", "russia", "asia", "sport", "culture"];
    let feeds: Vec<FeedConfig> = (0..FEEDS)
        .map(|f| {
            let mut c = FeedConfig::new(feed_url(f));
            c.title = Some(format!("{} Wire {f}", words.word(&mut rng)));
            // Every tenth feed has no tags.
            if f % 10 != 9 {
                c.tags = vec![tags[f % tags.len()].to_string(), tags[(f * 7 + 3) % tags.len()].to_string()];
                c.tags.dedup();
            }
            c
        })
        .collect();
    let mut store = Store::open(path).expect("open the bench database");
    store.sync_feeds(&feeds).unwrap();
    let per_feed = items / FEEDS;
    let started = Instant::now();
    for (f, feed) in feeds.iter().enumerate() {
        let items: Vec<NewItem> = (0..per_feed)
            .map(|i| {
                let paragraphs: Vec<String> = (0..1 + rng.below(4))
                    .map(|_| {
                        let n = 20 + rng.below(60);
                        let (text, bold, link) =
                            (words.sentence(&mut rng, n), words.word(&mut rng), words.word(&mut rng));
                        format!("<p>{text} <b>{bold}</b> <a href=\"https://x.example/{i}\">{link}</a>.</p>")
                    })
                    .collect();
                let mut paragraphs = paragraphs;
                if rng.unit() < 0.02 {
                    paragraphs.push("<p>Talks with North Korea continue.</p>".into());
                }
                let title_len = 5 + rng.below(8);
                NewItem {
                    key: format!("{f}-{i}"),
                    title: words.sentence(&mut rng, title_len),
                    author: Some(format!("{} {}", words.word(&mut rng), words.word(&mut rng))),
                    published: Some(newest - (rng.unit() * SPAN as f64) as i64),
                    summary: Some(words.sentence(&mut rng, 25)),
                    content: Some(paragraphs.concat()),
                    ..Default::default()
                }
            })
            .collect();
        store.store_fetched(&FetchedFeed { url: feed.url.clone(), items, ..Default::default() }, newest).unwrap();
    }
    let elapsed = started.elapsed();
    println!(
        "generated {} items in {:.1} s ({:.0} items/s, full-text index included)",
        per_feed * FEEDS,
        elapsed.as_secs_f64(),
        (per_feed * FEEDS) as f64 / elapsed.as_secs_f64()
    );
    // About 70% read, like an archive someone keeps up with.
    let ids: Vec<String> =
        store.list_rows(&View::All, None).unwrap().into_iter().map(|r| r.id).filter(|_| rng.unit() < 0.7).collect();
    store.set_read(&ids, true).unwrap();
    store
}

struct Timing {
    median: Duration,
    p95: Duration,
}

fn time<T>(mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut out = f(); // warm the page cache and the statement cache
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            out = f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    let p95 = samples[((RUNS as f64 * 0.95).ceil() as usize).min(RUNS) - 1];
    (Timing { median: samples[RUNS / 2], p95 }, out)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let items: usize = std::env::var("BENCH_ITEMS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let path = std::env::var_os("BENCH_DB").map(PathBuf::from).unwrap_or_else(|| tmp.path().join("bench.db"));
    let mut store = if path.exists() {
        println!("reusing {}", path.display());
        Store::open(&path).unwrap()
    } else {
        build(&path, items)
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let total = store.count_view(&View::All).unwrap().0;
    println!("database: {total} items, {:.0} MB\n", size as f64 / 1e6);

    let queries = [
        "unread",
        "tag:news",
        "tag:none",
        "feed:feed7.example",
        "since:7d",
        "putin",
        "korea",
        "\"north korea\"",
        "pyongyang summit",
        "tag:russia -putin",
        "tag:none or korea",
        "(putin or kremlin) unread since:30d",
        "before:1y unread",
        "title:sanctions",
        "pu",
        "p",
    ];
    println!("| query | matches | first 200 rows (ms, median / p95) | all rows (ms) | count (ms) |");
    println!("|---|---:|---:|---:|---:|");
    for q in queries {
        let view = View::Query(q.to_string());
        let (first, _) = time(|| store.list_rows(&view, Some(200)).unwrap());
        let (all, rows) = time(|| store.list_rows(&view, None).unwrap());
        let (count, _) = time(|| store.count_view(&view).unwrap());
        println!(
            "| `{q}` | {} | {} / {} | {} / {} | {} / {} |",
            rows.len(),
            ms(first.median),
            ms(first.p95),
            ms(all.median),
            ms(all.p95),
            ms(count.median),
            ms(count.p95)
        );
    }

    println!("\n| ranked search (top 50) | ms, median / p95 |\n|---|---:|");
    for q in ["korea", "putin kremlin", "\"north korea\" sanctions", "treaty tag:news"] {
        let (t, _) = time(|| store.search(q, Some(50)).unwrap());
        println!("| `{q}` | {} / {} |", ms(t.median), ms(t.p95));
    }

    let saved: Vec<SavedQuery> =
        ["putin unread", "tag:tech since:7d", "\"north korea\"", "tag:none or korea", "-read saved"]
            .iter()
            .enumerate()
            .map(|(i, q)| SavedQuery { name: format!("q{i}"), query: q.to_string() })
            .collect();
    let (t, _) = time(|| store.query_counts(&saved).unwrap());
    println!("\nfive saved-query counts (sidebar refresh): {} / {} ms", ms(t.median), ms(t.p95));
    let (t, _) = time(|| store.counts().unwrap());
    println!("sidebar aggregates (all, unread, per tag): {} / {} ms", ms(t.median), ms(t.p95));

    // What the state machine does per key: parse the line.
    let line = "(putin or kremlin) tag:russia -\"north korea\" since:30d";
    let n = 10_000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(tidings::query::parse(std::hint::black_box(line)).unwrap());
    }
    println!("parsing a {}-character query: {:.1} µs", line.len(), t.elapsed().as_secs_f64() * 1e6 / n as f64);

    // Typing "pyongyang" one key at a time: the load each prefix asks for.
    let word = "pyongyang";
    let mut worst = Duration::ZERO;
    let mut sum = Duration::ZERO;
    for end in 1..=word.len() {
        let view = View::Query(word[..end].to_string());
        let t = Instant::now();
        std::hint::black_box(store.list_rows(&view, None).unwrap());
        let e = t.elapsed();
        worst = worst.max(e);
        sum += e;
    }
    println!(
        "typing \"{word}\": each prefix's full list load averages {} ms, worst {} ms",
        ms(sum / word.len() as u32),
        ms(worst)
    );

    let t = Instant::now();
    store.reindex().unwrap();
    println!("rebuilding the full-text index (the migration for an old database): {:.1} s", t.elapsed().as_secs_f64());
}
