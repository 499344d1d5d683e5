//! The write lock while a huge feed is stored: one thread stores a
//! 200,000-item feed (`Store::store_fetched`, chunked) into an on-disk
//! database while another connection toggles an item's read flag every
//! 10 ms, as the reader does when the user presses `r`; prints how long those
//! writes waited and how long the chunks held the lock. Run with
//! `cargo bench --bench write_lock`; the numbers are in benches/README.md.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tidings::model::{FetchedFeed, NewItem};
use tidings::store::{Store, stable_id};

const ITEMS: usize = 200_000;
const URL: &str = "https://huge.example/rss";

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path).expect("open");
    let one = NewItem { key: "first".into(), title: "First".into(), ..Default::default() };
    store.store_fetched(&FetchedFeed { url: URL.into(), items: vec![one], ..Default::default() }, 1).expect("seed");
    let items: Vec<NewItem> = (0..ITEMS)
        .map(|i| NewItem {
            key: format!("item-{i}"),
            title: format!("Headline number {i} about harbours and markets"),
            link: Some(format!("https://huge.example/{i}")),
            published: Some(1_700_000_000 + i as i64),
            summary: Some(format!(
                "<p>Story {i}: a paragraph of text with <a href=\"https://huge.example/x\">a link</a>, \
                 words about weather, trade and the harbour, and some more words to make it a body.</p>"
            )),
            ..Default::default()
        })
        .collect();
    let feed = FetchedFeed { url: URL.into(), items, ..Default::default() };

    let done = Arc::new(AtomicBool::new(false));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (done, waits, path) = (done.clone(), waits.clone(), path.clone());
        std::thread::spawn(move || {
            let mut other = Store::open(&path).expect("open a second connection");
            let id = stable_id(URL, "first");
            let mut read = false;
            while !done.load(Ordering::Relaxed) {
                read = !read;
                let start = Instant::now();
                other.set_read(std::slice::from_ref(&id), read).expect("a write during the ingest");
                waits.lock().expect("lock").push(start.elapsed());
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let start = Instant::now();
    let new = store.store_fetched(&feed, 2).expect("store");
    let took = start.elapsed();
    done.store(true, Ordering::Relaxed);
    writer.join().expect("writer");
    assert_eq!(new, ITEMS);

    let mut waits = waits.lock().expect("lock").clone();
    waits.sort();
    println!("| what | value |\n|---|---:|");
    println!(
        "| store {ITEMS} items (one feed) | {:.1} s ({:.0} items/s) |",
        took.as_secs_f64(),
        ITEMS as f64 / took.as_secs_f64()
    );
    println!("| writes by another connection meanwhile | {} |", waits.len());
    println!("| their wait: median | {} |", ms(percentile(&waits, 0.5)));
    println!("| their wait: p99 | {} |", ms(percentile(&waits, 0.99)));
    println!("| their wait: max | {} |", ms(*waits.last().unwrap_or(&Duration::ZERO)));
}
