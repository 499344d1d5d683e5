//! Story grouping speed and memory on generated items.
//!
//! ```sh
//! cargo bench --bench stories                       # 1,000,000 items over 30 days
//! STORIES_ITEMS=200000 cargo bench --bench stories  # fewer
//! ```
//!
//! Not a test: it prints a Markdown table. What it measures:
//! 1. signing and assigning 100,000 items into an empty index (throughput;
//!    compare with the store time of a 100,000-item ingest);
//! 2. filling the index with 1,000,000 items spread over 30 days (the window
//!    keeps only the last 72 hours), then the time of each of 10,000 more
//!    `assign` calls (mean, median, 99th percentile, max);
//! 3. the heap the index holds at the end (a counting allocator), and how many
//!    items and stories it holds.
//!
//! The text is generated from a fixed seed: words drawn log-uniformly from ranks
//! 100 to 50,000 of a vocabulary (Zipf's law less the stop words), events
//! reported by one to four outlets that each reword a third of the text.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tidings::stories::{Grouper, Signature, StoryItem};

/// Counts the bytes currently allocated, to weigh the index.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const DAY: i64 = 86_400;
const START: i64 = 1_740_960_000;
const FEEDS: usize = 300;
const VOCABULARY: usize = 50_000;
/// The commonest ranks, left out (stop words).
const SKIPPED: usize = 100;

/// Generates news-like items in date order from a fixed seed.
struct Generator {
    rng: fastrand::Rng,
    words: Vec<String>,
    /// Items of the current event still to hand out.
    pending: Vec<StoryItem>,
    next_id: u64,
    /// Seconds between consecutive events.
    step: f64,
    clock: f64,
}

impl Generator {
    fn new(items: usize, days: i64) -> Generator {
        let mut rng = fastrand::Rng::with_seed(15);
        let words = (0..VOCABULARY)
            .map(|_| {
                let len = rng.usize(3..11);
                (0..len).map(|_| rng.alphabetic().to_ascii_lowercase()).collect()
            })
            .collect();
        // About 2.5 items per event.
        let events = items as f64 / 2.5;
        Generator { rng, words, pending: Vec::new(), next_id: 0, step: (days * DAY) as f64 / events, clock: 0.0 }
    }

    fn word(&mut self) -> &str {
        // Log-uniform over ranks 100..50,000 (Zipf's law without the hundred
        // commonest words, which are stop words): the commonest word left is
        // in about 8% of items, as "Trump" or "police" are in news.
        let span = (VOCABULARY as f64 / SKIPPED as f64).ln();
        let i = (SKIPPED as f64 * (span * self.rng.f64()).exp()) as usize;
        &self.words[i.min(VOCABULARY - 1)]
    }

    fn text(&mut self, words: usize) -> Vec<String> {
        (0..words).map(|_| self.word().to_string()).collect()
    }

    fn reword(&mut self, base: &[String]) -> String {
        let mut out: Vec<String> = base.to_vec();
        for w in out.iter_mut() {
            if self.rng.u8(0..3) == 0 {
                *w = self.word().to_string();
            }
        }
        self.rng.shuffle(&mut out);
        out.join(" ")
    }

    fn next(&mut self) -> StoryItem {
        if self.pending.is_empty() {
            self.clock += self.step;
            let title = self.text(10);
            let summary = self.text(40);
            let outlets = 1 + self.rng.usize(0..4);
            let mut batch = Vec::with_capacity(outlets);
            for _ in 0..outlets {
                self.next_id += 1;
                let delay = self.rng.f64() * 6.0 * 3600.0;
                batch.push(StoryItem {
                    id: format!("item-{:012}", self.next_id),
                    feed: format!("https://outlet-{}.example/feed", self.rng.usize(0..FEEDS)),
                    title: self.reword(&title),
                    summary: self.reword(&summary),
                    published: START + (self.clock + delay) as i64,
                });
            }
            batch.sort_by_key(|i| std::cmp::Reverse(i.published));
            self.pending = batch;
        }
        self.pending.pop().unwrap_or_else(|| unreachable!("a batch was just made"))
    }
}

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn main() {
    let total: usize = std::env::var("STORIES_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("# Story grouping bench\n");

    // 1. Throughput: 100,000 items into an empty index (the text made beforehand).
    let n = 100_000;
    let mut generator = Generator::new(n, 3);
    let items: Vec<StoryItem> = (0..n).map(|_| generator.next()).collect();
    let mut grouper = Grouper::default();
    let started = Instant::now();
    let cpu_started = cpu_time();
    let mut sign_time = Duration::ZERO;
    let mut stories = std::collections::HashSet::new();
    for item in &items {
        let t = Instant::now();
        let sig = Signature::of(item);
        sign_time += t.elapsed();
        stories.insert(grouper.assign_signed(item, &sig));
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_started);
    println!("| measure | value |\n|---|---:|");
    println!(
        "| sign + assign {n} items (3 days, empty index), wall | {:.2} s ({:.1} µs per item; signing {:.1} µs) |",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / n as f64,
        sign_time.as_secs_f64() * 1e6 / n as f64
    );
    println!(
        "| the same, CPU time of the thread | {:.2} s ({:.1} µs per item) |",
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / n as f64
    );
    println!("| stories among them | {} ({:.2} items per story) |", stories.len(), n as f64 / stories.len() as f64);
    drop((items, grouper, stories));

    // 2. The 1M-item archive over 30 days, then timed assigns at the end.
    let probes = 10_000;
    let mut generator = Generator::new(total + probes, 30);
    let before = LIVE.load(Ordering::Relaxed);
    let mut grouper = Grouper::default();
    let mut fill = Duration::ZERO;
    let mut fill_cpu = Duration::ZERO;
    for _ in 0..total {
        let item = generator.next();
        let (t, c) = (Instant::now(), cpu_time());
        grouper.assign(&item);
        fill += t.elapsed();
        fill_cpu += cpu_time().saturating_sub(c);
    }
    let live = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "| fill: sign + assign {total} items over 30 days, wall / CPU | {:.1} s / {:.1} s ({:.1} / {:.1} µs per item) |",
        fill.as_secs_f64(),
        fill_cpu.as_secs_f64(),
        fill.as_secs_f64() * 1e6 / total as f64,
        fill_cpu.as_secs_f64() * 1e6 / total as f64
    );
    println!("| items in the index after it (72 h window) | {} |", grouper.len());
    println!("| stories in the index | {} |", grouper.story_count());
    println!("| heap held by the index | {} ({} bytes per item) |", mb(live), live / grouper.len().max(1));
    let mut times: Vec<Duration> = Vec::with_capacity(probes);
    for _ in 0..probes {
        let item = generator.next();
        let t = Instant::now();
        grouper.assign(&item);
        times.push(t.elapsed());
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / probes as u32;
    let pct = |p: f64| times[((probes as f64 * p) as usize).min(probes - 1)];
    println!(
        "| assign at {total} items: mean / median / p99 / max | {:.1} / {:.1} / {:.1} / {:.1} µs |",
        mean.as_secs_f64() * 1e6,
        pct(0.5).as_secs_f64() * 1e6,
        pct(0.99).as_secs_f64() * 1e6,
        times[probes - 1].as_secs_f64() * 1e6
    );
}
