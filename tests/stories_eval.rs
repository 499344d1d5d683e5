//! Story grouping on the labelled fixtures (`tests/fixtures/stories/labelled.toml`):
//! pairwise precision and recall at the default tuning.
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
    // Cross-language reports share only names and numbers; a floor against regressions.
    assert!(s.recall() >= 0.70, "recall over all pairs {:.3} ({s:?})", s.recall());
}

#[test]
fn grouping_the_fixtures_twice_gives_the_same_stories() {
    let items = fixture::load();
    assert_eq!(fixture::group(&items, Tuning::default()), fixture::group(&items, Tuning::default()));
}
