//! Conformance over the shared corpus of real-world feeds and parser test
//! inputs (`../shared/corpus`, beside the crate; the test does nothing when it
//! is absent). Every file must parse or fail cleanly — no panic escaping, no
//! hang, no control character in a title once sanitised — and the item
//! counts of `real/` are compared with `real/reference.json` (what Python's
//! feedparser extracts). The match rates are printed; run with
//! `cargo test --test corpus -- --nocapture` to see them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use tidings::article::sanitize;
use tidings::feed::parse::{self, ParseError};
use tidings::model::FetchedFeed;

/// A file that takes longer than this to parse counts as a hang.
const HANG: Duration = Duration::from_secs(60);

/// `$TIDINGS_CORPUS`, else `shared/corpus` beside the crate or beside one of
/// its parent directories (a worktree sits a level deeper than the checkout).
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
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("tsv" | "md")) {
            out.push(path);
        }
    }
}

/// Parses every file on a worker thread; the caller watches for hangs.
fn parse_all(paths: Vec<PathBuf>) -> Vec<(PathBuf, Result<FetchedFeed, ParseError>)> {
    let (tx, rx) = mpsc::channel();
    let worker_paths = paths.clone();
    std::thread::spawn(move || {
        for path in worker_paths {
            let bytes = std::fs::read(&path).unwrap_or_default();
            let url = format!("https://corpus.example/{}", path.file_name().unwrap().to_string_lossy());
            if tx.send(parse::parse(&url, &bytes)).is_err() {
                return;
            }
        }
    });
    paths
        .into_iter()
        .map(|path| match rx.recv_timeout(HANG) {
            Ok(result) => (path, result),
            Err(_) => panic!("parsing {} hung (or the worker died)", path.display()),
        })
        .collect()
}

#[test]
fn every_corpus_file_parses_or_fails_cleanly_and_counts_match_the_reference() {
    // Contained parser panics go to the log, not to the test's output.
    tidings::panic::install_hook();
    let Some(root) = corpus() else {
        eprintln!("no ../shared/corpus: conformance run skipped");
        return;
    };
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.retain(|p| p.file_name().is_some_and(|n| n != "reference.json"));
    assert!(paths.len() > 100, "corpus looks empty: {}", paths.len());
    let results = parse_all(paths);

    let (mut parsed, mut failed, mut contained) = (0, 0, Vec::new());
    for (path, result) in &results {
        match result {
            Ok(feed) => {
                parsed += 1;
                for item in &feed.items {
                    let shown = sanitize::line(&item.title);
                    assert!(!shown.chars().any(sanitize::is_unsafe), "{}: {shown:?}", path.display());
                }
            }
            Err(ParseError::Panicked) => contained.push(path.display().to_string()),
            Err(_) => failed += 1,
        }
    }
    println!(
        "corpus: {} files: {parsed} parsed, {failed} refused with an error, {} parser panics contained",
        results.len(),
        contained.len()
    );
    for c in &contained {
        println!("  contained panic: {c}");
    }

    // Item counts and titles of real/ against the reference.
    let reference: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("real/reference.json")).unwrap()).unwrap();
    let expected = reference["files"].as_object().unwrap();
    let (mut same_count, mut same_titles, mut titled, mut title_total) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for (name, want) in expected {
        let got = results.iter().find(|(p, _)| p.ends_with(Path::new("real").join(name)));
        let Some((_, got)) = got else { panic!("{name} is in the reference but not in real/") };
        let want_count = want["item_count"].as_u64().unwrap() as usize;
        let (got_count, got_titles) = match got {
            Ok(f) => (f.items.len(), f.items.iter().map(|i| norm(&i.title)).collect::<Vec<_>>()),
            Err(e) => (0, vec![format!("error: {e}")]),
        };
        if got_count == want_count {
            same_count += 1;
        } else {
            mismatches.push(format!("{name}: {got_count} items, reference {want_count}"));
        }
        let want_titles: Vec<String> =
            want["items"].as_array().unwrap().iter().map(|i| norm(i["title"].as_str().unwrap_or(""))).collect();
        for (w, g) in want_titles.iter().zip(&got_titles) {
            title_total += 1;
            titled += usize::from(w == g);
        }
        same_titles += usize::from(want_titles == got_titles);
    }
    let n = expected.len();
    let rate = same_count as f64 / n as f64;
    println!("reference: item counts match for {same_count}/{n} files ({:.1}%)", rate * 100.0);
    println!("reference: every title matches for {same_titles}/{n} files; {titled}/{title_total} titles match");
    for m in &mismatches {
        println!("  {m}");
    }
    assert!(rate >= 0.9, "item-count match rate fell to {:.1}%", rate * 100.0);
}

/// Whitespace collapsed: the reference and tidings differ in how they trim.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
