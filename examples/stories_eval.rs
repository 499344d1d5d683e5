//! Story grouping on the labelled fixtures: pairwise precision and recall at
//! the default tuning, a sweep of the threshold and the time penalty, a
//! two-fold check (each half of the stories grouped on its own), the figures
//! on the hold-out set (`holdout.toml`, never tuned on; only with HOLDOUT=1), the time to sign an
//! item, and the pairs it gets wrong.
//!
//! ```sh
//! cargo run --release --example stories_eval            # figures and sweep
//! MISTAKES=1 cargo run --release --example stories_eval # also list every wrong pair
//! HOLDOUT=1 cargo run --release --example stories_eval  # also score the hold-out (never while tuning)
//! ```

#[path = "../tests/common/stories.rs"]
mod fixture;

use tidings::stories::{Tuning, normalize};

fn line(label: &str, s: fixture::Scores) {
    println!(
        "| {label} | {:.3} | {:.3} | {:.3} | {} | {} |",
        s.precision(),
        s.recall_same_lang(),
        s.recall(),
        s.true_pos,
        s.false_pos
    );
}

/// CPU time of this thread in seconds (steadier than the wall clock on a busy machine).
fn cpu_time() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn main() {
    let items = fixture::load();
    let stories: std::collections::HashSet<_> = items.iter().filter_map(|l| l.story.as_deref()).collect();
    let d = Tuning::default();
    let s = fixture::score(&items, &fixture::group(&items, d));
    println!(
        "{} items: {} stories ({} items), {} unrelated; {} labelled pairs, {} in one language",
        items.len(),
        stories.len(),
        items.iter().filter(|l| l.story.is_some()).count(),
        items.iter().filter(|l| l.story.is_none()).count(),
        s.labelled,
        s.labelled_same_lang
    );
    println!(
        "defaults: threshold {}, time penalty {}, window {} h, stem {} chars, {} bands x {} per bucket\n",
        d.threshold,
        d.time_penalty,
        d.window_secs / 3600,
        normalize::STEM_CHARS,
        tidings::stories::grouper::BANDS,
        tidings::stories::grouper::PER_BUCKET
    );
    println!("| tuning | precision | recall (same language) | recall (all pairs) | true pairs | false pairs |");
    println!("|---|---:|---:|---:|---:|---:|");
    line("**default**", s);
    for pen in [0.0f32, 0.5, 0.7, 0.9] {
        for th in [0.12f32, 0.13, 0.14, 0.15, 0.16, 0.18, 0.20] {
            let t = Tuning { threshold: th, time_penalty: pen, ..d };
            line(&format!("threshold {th:.2}, penalty {pen:.1}"), fixture::score(&items, &fixture::group(&items, t)));
        }
    }
    println!("\nEach half of the stories (and of the unrelated items) grouped alone, default tuning:");
    for half in 0..2 {
        let part: Vec<fixture::Labelled> = fixture::load()
            .into_iter()
            .filter(|l| {
                let key = l.story.as_deref().unwrap_or(&l.item.id);
                key.bytes().map(usize::from).sum::<usize>() % 2 == half
            })
            .collect();
        let s = fixture::score(&part, &fixture::group(&part, d));
        println!("  half {half}: {} items, {} labelled pairs:", part.len(), s.labelled);
        line("default", s);
    }
    let mut reversed: Vec<fixture::Labelled> = fixture::load();
    reversed.reverse();
    let ids: Vec<String> = {
        let mut g = tidings::stories::Grouper::new(d);
        let mut by_id = std::collections::HashMap::new();
        for l in &reversed {
            by_id.insert(l.item.id.clone(), g.assign(&l.item).to_string());
        }
        reversed.iter().map(|l| by_id[&l.item.id].clone()).collect()
    };
    println!("Fed newest first instead (a backfill):");
    line("default, reversed", fixture::score(&reversed, &ids));
    let holdout = fixture::load_holdout();
    // The hold-out is scored only when asked (HOLDOUT=1): runs made while
    // tuning look at the labelled set alone.
    let show_holdout = std::env::var_os("HOLDOUT").is_some();
    let h = fixture::score(&holdout, &fixture::group(&holdout, d));
    if show_holdout {
        println!(
            "\nHold-out set (holdout.toml, written after the tuning was frozen): {} items, {} labelled pairs, {} in one language:",
            holdout.len(),
            h.labelled,
            h.labelled_same_lang
        );
        line("default, hold-out", h);
    }
    let (concepts, stems) = tidings::stories::lexicon::size();
    let rounds = 500;
    let started = cpu_time();
    let mut kept = 0;
    for _ in 0..rounds {
        for l in items.iter().chain(&holdout) {
            kept += tidings::stories::Signature::of(std::hint::black_box(&l.item)).tokens().len();
        }
    }
    let per_item = (cpu_time() - started) * 1e6 / (rounds * (items.len() + holdout.len())) as f64;
    println!(
        "\nLexicon: {concepts} concepts, {stems} stems. Signing the fixture items: {per_item:.2} µs of CPU per item ({:.1} tokens kept)",
        kept as f64 / (rounds * (items.len() + holdout.len())) as f64
    );
    if std::env::var_os("MISTAKES").is_some() {
        println!();
        for m in fixture::mistakes(&items, &fixture::group(&items, d)) {
            println!("{m}");
        }
        if show_holdout {
            println!("\nHold-out:");
            for m in fixture::mistakes(&holdout, &fixture::group(&holdout, d)) {
                println!("{m}");
            }
        }
    }
}
