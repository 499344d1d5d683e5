//! Merging the full-text index step by step (`Store::merge_step`) on a copy
//! of a big archive: the index's shape before, the time of each step, the
//! bytes written, and the first window of a few word filters (store only,
//! as the store chooses its plan) before, part way and after.
//!
//!   BENCH_DB=target/m1m/tidings.db cargo bench --bench fts_merge
//!
//! It writes to BENCH_DB: use a copy. BENCH_MERGE_PAGES: pages a step
//! (default `MERGE_PAGES`); BENCH_MERGE_SECS: stop merging after this long
//! (default: until merged); BENCH_PROBE_SECS: time the filters again after
//! each this much merging (default 20); BENCH_WORDS: the filters
//! (default minister, pyongyang, quinvelmar, korea); BENCH_NO_MERGE=1: only
//! the shape and the filters; BENCH_MERGE_ALL=1: begin merging every segment
//! into one first (FTS5's `merge` with a negative count; tidings does not).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tidings::model::View;
use tidings::store::Store;
use tidings::store::merge::{MERGE_PAGES, Step};

fn main() {
    let path = PathBuf::from(std::env::var_os("BENCH_DB").expect("BENCH_DB: a copy of an archive's database"));
    let pages: i32 = env("BENCH_MERGE_PAGES").unwrap_or(MERGE_PAGES);
    let limit = Duration::from_secs_f64(env("BENCH_MERGE_SECS").unwrap_or(f64::INFINITY).min(1e9));
    let probe_every = Duration::from_secs_f64(env("BENCH_PROBE_SECS").unwrap_or(20.0));
    let words: Vec<String> = std::env::var("BENCH_WORDS")
        .map(|w| w.split(',').map(str::to_string).collect())
        .unwrap_or_else(|_| ["minister", "pyongyang", "quinvelmar", "korea"].map(String::from).to_vec());
    let mut store = Store::open(&path).expect("open");
    shape(&store, "before");
    windows(&store, &words, "before");
    if std::env::var_os("BENCH_NO_MERGE").is_some() {
        return;
    }
    // BENCH_MERGE_ALL=1: merge every segment into one (not what tidings does).
    if std::env::var_os("BENCH_MERGE_ALL").is_some() {
        store.begin_full_merge(pages).expect("full merge");
    }
    let mut steps = Vec::new();
    let (mut merging, mut since_probe) = (Duration::ZERO, Duration::ZERO);
    let written = write_bytes();
    loop {
        if merging >= limit {
            println!("stopped after {:.1} s of merging", merging.as_secs_f64());
            break;
        }
        let t = Instant::now();
        let step = store.merge_step(pages).expect("merge step");
        let took = t.elapsed();
        match step {
            Step::Merged => {}
            Step::Done => break,
            Step::Busy => panic!("another connection holds the lock"),
        }
        steps.push(took);
        merging += took;
        since_probe += took;
        if since_probe >= probe_every {
            since_probe = Duration::ZERO;
            let s = store.index_shape().expect("shape");
            println!(
                "after {} steps, {:.1} s: {} segments{}, {} pages, {:.0} MB written",
                steps.len(),
                merging.as_secs_f64(),
                s.segments(),
                if s.merging() { " (a merge part way)" } else { "" },
                s.pages(),
                (write_bytes() - written) as f64 / 1e6
            );
            windows(&store, &words, &format!("after {:.0} s of merging", merging.as_secs_f64()));
        }
    }
    let total: Duration = steps.iter().sum();
    println!(
        "{} steps of {pages} pages: {:.1} s merging, {:.0} MB written (WAL and checkpoints)",
        steps.len(),
        total.as_secs_f64(),
        (write_bytes() - written) as f64 / 1e6
    );
    if !steps.is_empty() {
        let mut sorted = steps.clone();
        sorted.sort();
        let q = |p: f64| ms(sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]);
        println!(
            "step: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; over 100 ms: {}, over 1 s: {}",
            q(0.5),
            q(0.9),
            q(0.99),
            q(1.0),
            sorted.iter().filter(|d| **d > Duration::from_millis(100)).count(),
            sorted.iter().filter(|d| **d > Duration::from_secs(1)).count()
        );
        // Where the long steps were, in the order of the run (which words they wrote).
        let long: Vec<String> = steps
            .iter()
            .enumerate()
            .filter(|(_, d)| **d > Duration::from_millis(250))
            .map(|(i, d)| format!("#{i}: {:.0} ms", ms(*d)))
            .collect();
        println!("steps over 250 ms: {}", long.join(", "));
    }
    shape(&store, "after");
    windows(&store, &words, "after");
}

fn shape(store: &Store, when: &str) {
    let s = store.index_shape().expect("shape");
    println!(
        "index {when}: {} segments, {} leaf pages{}",
        s.segments(),
        s.pages(),
        if s.merging() { ", a merge part way" } else { "" }
    );
    for (i, l) in s.levels.iter().enumerate() {
        if !l.pages.is_empty() {
            println!("  level {i}: {:?} pages (merging {})", l.pages, l.merging);
        }
    }
}

/// The first window of 250 rows of each filter, store only, p50 of 7: wall
/// time, and the thread's CPU time (steadier on a loaded machine).
fn windows(store: &Store, words: &[String], when: &str) {
    let mut out = Vec::new();
    for word in words {
        let view = View::Query(word.clone());
        let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..7)
            .map(|_| {
                let (s, c) = (Instant::now(), thread_cpu());
                store.window_top(&view, 250).expect("window");
                (s.elapsed(), thread_cpu() - c)
            })
            .unzip();
        wall.sort();
        cpu.sort();
        out.push(format!("{word} {:.1} ms (cpu {:.1} ms)", ms(wall[3]), ms(cpu[3])));
    }
    println!("first window {when} (p50 of 7, load {}): {}", load(), out.join(", "));
}

/// CPU time of this thread.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|s| s.parse().ok())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_string()
}

/// Bytes this process has caused to be written to storage.
fn write_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("write_bytes:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}
