//! Parsing throughput over the shared corpus of real-world feeds: every file
//! of `shared/corpus/real/` (and, separately, `edge/`) parsed the way the
//! poller parses a body, several rounds, reported in MB/s. Skipped when the
//! corpus is absent (`TIDINGS_CORPUS=dir` points at it explicitly).
//!
//! Run with `cargo bench --bench parse`; numbers are in `benches/README.md`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tidings::feed::parse;

fn corpus() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TIDINGS_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|p| p.is_dir());
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().skip(1).map(|d| d.join("shared/corpus")).find(|p| p.is_dir())
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("tsv" | "md"))
            && path.file_name().is_some_and(|n| n != "reference.json")
        {
            out.push(path);
        }
    }
}

/// Median time of `rounds` passes over every body, and the bytes in one pass.
fn measure(bodies: &[(String, Vec<u8>)], rounds: usize) -> (Duration, usize, usize) {
    let bytes = bodies.iter().map(|(_, b)| b.len()).sum();
    let mut items = 0;
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            items = 0;
            for (url, body) in bodies {
                if let Ok(feed) = parse::parse(url, body) {
                    items += feed.items.len();
                }
            }
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], bytes, items)
}

fn main() {
    tidings::panic::install_hook();
    let Some(root) = corpus() else {
        println!("no shared/corpus beside the crate: nothing to measure");
        return;
    };
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(9);
    println!("| files | MB | items | median of {rounds} | MB/s |");
    println!("|---|---:|---:|---:|---:|");
    for part in ["real", "edge"] {
        let mut paths = Vec::new();
        files(&root.join(part), &mut paths);
        let bodies: Vec<(String, Vec<u8>)> = paths
            .iter()
            .map(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (format!("https://corpus.example/{name}"), std::fs::read(p).unwrap_or_default())
            })
            .collect();
        let (t, bytes, items) = measure(&bodies, rounds);
        let mb = bytes as f64 / 1e6;
        println!(
            "| {part}/ ({} files) | {mb:.1} | {items} | {:.0} ms | {:.1} |",
            bodies.len(),
            t.as_secs_f64() * 1e3,
            mb / t.as_secs_f64()
        );
    }
}
