//! Story grouping on the labelled fixtures (`tests/fixtures/stories/labelled.toml`):
//! pairwise precision and recall at the default tuning; and on the hold-out
//! set (`holdout.toml`), floors against regressions.
//! `cargo run --release --example stories_eval` prints the same figures with a sweep.

#[path = "common/stories.rs"]
mod fixture;

use tidings::stories::Tuning;

#[test]
fn the_fixtures_are_big_enough_and_labelled_honestly() {
    let items = fixture::load();
    let mut stories = std::collections::HashMap::<&str, Vec<&fixture::Labelled>>::new();
    for l in &items {
        if let Some(s) = &l.story {
            stories.entry(s).or_default().push(l);
        }
    }
    assert!(stories.len() >= 40, "{} stories", stories.len());
    assert!(stories.values().all(|v| (2..=5).contains(&v.len())));
    assert!(items.iter().filter(|l| l.story.is_none()).count() >= 100);
    for members in stories.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                let gap = (a.item.published - b.item.published).abs();
                assert!(gap <= 72 * 3600, "{} / {} are further apart than the window", a.item.id, b.item.id);
            }
        }
    }
}

#[test]
fn pairwise_precision_and_recall_meet_the_targets() {
    let items = fixture::load();
    let assigned = fixture::group(&items, Tuning::default());
    let s = fixture::score(&items, &assigned);
    let report = fixture::mistakes(&items, &assigned).join("\n");
    assert!(s.precision() >= 0.95, "precision {:.3} ({s:?})\n{report}", s.precision());
    assert!(s.recall_same_lang() >= 0.85, "same-language recall {:.3} ({s:?})\n{report}", s.recall_same_lang());
    // Cross-language pairs included (a Russian and an English report meet
    // through transliterated names, numbers and the lexicon's concepts).
    assert!(s.recall() >= 0.85, "recall over all pairs {:.3} ({s:?})\n{report}", s.recall());
}

#[test]
fn the_hold_out_set_is_big_enough() {
    let items = fixture::load_holdout();
    let mut langs = std::collections::HashMap::<&str, std::collections::HashSet<&str>>::new();
    for l in &items {
        if let Some(s) = &l.story {
            langs.entry(s).or_default().insert(&l.lang);
        }
    }
    let ru_en = langs.values().filter(|l| l.contains("ru") && l.contains("en")).count();
    assert!(ru_en >= 10, "{ru_en} stories told in Russian and English");
    assert!(items.iter().filter(|l| l.story.is_none()).count() >= 20);
}

/// The hold-out set was written after the tuning was frozen and is never
/// tuned on: these are floors against regressions at the level measured
/// then (precision 0.706, recall 0.889; see benches/README.md), not targets.
#[test]
fn the_hold_out_set_stays_at_its_measured_level() {
    let items = fixture::load_holdout();
    let s = fixture::score(&items, &fixture::group(&items, Tuning::default()));
    assert!(s.precision() >= 0.65, "hold-out precision {:.3} ({s:?})", s.precision());
    assert!(s.recall() >= 0.80, "hold-out recall {:.3} ({s:?})", s.recall());
}

#[test]
fn grouping_the_fixtures_twice_gives_the_same_stories() {
    let items = fixture::load();
    assert_eq!(fixture::group(&items, Tuning::default()), fixture::group(&items, Tuning::default()));
}
