//! What story grouping adds to the store's time for an ingest: parses a
//! folder of feed files (untimed), stores each into a fresh database with
//! `[stories] enabled = false` and `= true`, alternating, and prints the
//! storing thread's wall-clock and CPU time (parsing, and the signing the
//! parser does for grouping, are not counted).
//!
//!   cargo run --release --example stories_ingest -- DIR [RUNS]
//!
//! `bash benches/stories-ingest.sh` fetches the 100k archive's feeds; to keep
//! them as files: run examples/feedgen and `curl` each `/feed/N.xml` into DIR.

use std::time::{Duration, Instant};

use tidings::store::Store;
use tidings::stories::StoriesConfig;

#[path = "../benches/support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("a folder of feed files");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(2);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let now = 1_800_000_000;
    // The grouper alone on the same items: signing (the parser does it, on
    // its own threads) and assigning (what the storing thread does), apart.
    let mut grouper = StoriesConfig::default().grouper();
    let (mut sign_cpu, mut cpu, mut n) = (Duration::ZERO, Duration::ZERO, 0usize);
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let mut feed = tidings::feed::parse::parse(&format!("http://127.0.0.1/feed/{i}.xml"), &bytes).unwrap();
        let c = cpu_time();
        for it in &mut feed.items {
            it.signature =
                Some(tidings::stories::sign_html(&it.title, it.summary.as_deref().or(it.content.as_deref())));
        }
        sign_cpu += cpu_time() - c;
        let mut items: Vec<_> = feed.items.iter().collect();
        items.sort_by_key(|it| it.published.unwrap_or(now));
        let c = cpu_time();
        for it in items {
            let item = tidings::stories::StoryItem {
                id: format!("{i}/{}", it.key),
                feed: i.to_string(),
                title: String::new(),
                summary: String::new(),
                published: it.published.unwrap_or(now).min(now),
            };
            grouper.assign_signed(&item, it.signature.as_ref().unwrap());
            n += 1;
        }
        cpu += cpu_time() - c;
    }
    println!(
        "grouper alone: {n} items signed in {:.2} s CPU ({:.1} µs per item), assigned in {:.2} s CPU ({:.1} µs per item), {} in the index",
        sign_cpu.as_secs_f64(),
        sign_cpu.as_secs_f64() * 1e6 / n.max(1) as f64,
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / n.max(1) as f64,
        grouper.len()
    );
    for run in 1..=runs {
        for enabled in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let mut store = Store::open(&tmp.path().join("tidings.db")).unwrap();
            store.tune_for_ingest().unwrap();
            store.set_stories(StoriesConfig { enabled, ..StoriesConfig::default() });
            let (mut wall, mut cpu, mut items) = (Duration::ZERO, Duration::ZERO, 0);
            for (i, path) in files.iter().enumerate() {
                let bytes = std::fs::read(path).unwrap();
                let feed = tidings::feed::parse::parse(&format!("http://127.0.0.1/feed/{i}.xml"), &bytes).unwrap();
                let (w, c) = (Instant::now(), cpu_time());
                let mut ingest = store.ingest();
                items += ingest.fetched(&feed, now).unwrap();
                ingest.flush().unwrap();
                drop(ingest);
                wall += w.elapsed();
                cpu += cpu_time() - c;
            }
            println!(
                "run {run}, stories enabled = {enabled:5}: {items} items stored in {:.2} s wall, {:.2} s CPU ({:.1} µs CPU per item)",
                wall.as_secs_f64(),
                cpu.as_secs_f64(),
                cpu.as_secs_f64() * 1e6 / items.max(1) as f64
            );
        }
    }
}
