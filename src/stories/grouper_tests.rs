//! The index's memory bounds (#15 ingest): compaction and the entry cap.

use super::*;

const HOUR: i64 = 3600;
const T0: i64 = 1_740_960_000;

fn at(id: &str, feed: &str, published: i64) -> StoryItem {
    StoryItem { id: id.into(), feed: feed.into(), title: String::new(), summary: String::new(), published }
}

/// Tokens no other item shares (so nothing groups by chance).
fn unique(n: u32) -> Signature {
    Signature::from_hashes((0..8).map(|k| n.wrapping_mul(64).wrapping_add(k).wrapping_mul(2_654_435_761)), false)
}

/// The tokens of one story (the same for each report of it).
fn story(n: u32) -> Signature {
    Signature::from_hashes((0..12).map(|k| 0xdead_0000 ^ (n << 8) ^ k), false)
}

#[test]
fn entries_out_of_the_window_leave_whatever_order_the_feeds_come_in() {
    // 40 feeds of 1,000 items each spanning a year (as a first fetch of
    // many feeds stores them: feed after feed, each in date order): only
    // the window's items and the latest arrivals stay.
    let mut g = Grouper::default();
    let mut n = 0;
    for feed in 0..40 {
        for i in 0..1_000 {
            g.assign_signed(&at(&format!("{feed}/{i}"), &feed.to_string(), T0 + i * 9 * HOUR), &unique(n));
            n += 1;
        }
    }
    assert!(g.len() < RECENT_ARRIVALS + COMPACT_SLACK + 40 * 8, "{} entries", g.len());
    assert!(g.story_count() <= g.len());
}

#[test]
fn a_story_in_the_window_survives_compaction_and_late_old_items_still_group() {
    // (A cap above what this stores: compaction alone is at work.)
    let mut g = Grouper::new(Tuning { max_entries: 100_000, ..Tuning::default() });
    let first = g.assign_signed(&at("a", "feed-a", T0), &story(1));
    // Enough unrelated items within the window to compact the index twice.
    for i in 0..(3 * COMPACT_SLACK as u32) {
        g.assign_signed(&at(&format!("x{i}"), &format!("f{}", i % 50), T0 + HOUR), &unique(i));
    }
    assert_eq!(g.assign_signed(&at("b", "feed-b", T0 + 2 * HOUR), &story(1)), first);
    assert_eq!(g.story_of("a"), Some(first.clone()));
    // A backlog dated a year back, stored after the window moved on: its
    // reports still group with each other (among the latest arrivals).
    g.advance(T0 + 24 * HOUR);
    let old = T0 - 365 * 24 * HOUR;
    let c = g.assign_signed(&at("c", "feed-c", old), &story(2));
    for i in 0..1_000 {
        g.assign_signed(&at(&format!("y{i}"), "feed-y", old + i), &unique(100_000 + i as u32));
    }
    assert_eq!(g.assign_signed(&at("d", "feed-d", old + HOUR), &story(2)), c);
}

#[test]
fn the_cap_holds_whatever_the_dates() {
    let mut g = Grouper::new(Tuning { max_entries: 1_000, ..Tuning::default() });
    for i in 0..5_000 {
        g.assign_signed(&at(&format!("{i}"), "f", T0), &unique(i));
        assert!(g.len() <= 1_000);
    }
    // The latest arrivals are the ones kept.
    assert!(g.story_of("4999").is_some());
    assert!(g.story_of("0").is_none());
}

#[test]
fn a_restored_index_groups_as_the_one_it_was_saved_from() {
    let mut g = Grouper::default();
    for s in 0..50u32 {
        for outlet in 0..3 {
            let published = T0 + i64::from(s) * HOUR + i64::from(outlet) * 60;
            g.assign_signed(&at(&format!("{s}/{outlet}"), &format!("feed{outlet}"), published), &story(s));
        }
        g.assign_signed(&at(&format!("u{s}"), "feed9", T0 + i64::from(s) * HOUR), &unique(s));
    }
    let saved = g.saved_entries();
    assert_eq!(saved.len(), g.len());
    let mut restored = Grouper::default();
    restored.restore_all(saved.len(), saved.clone());
    assert_eq!((restored.len(), restored.story_count()), (g.len(), g.story_count()));
    assert_eq!(restored.saved_entries(), saved);
    assert_eq!(restored.story_of("7/1"), g.story_of("7/1"));
    // A new report of a story joins it in both; a report from an outlet the
    // story already has starts its own, in both.
    let late = T0 + 49 * HOUR + 600;
    for (id, feed, sig) in [("new/40", "feed7", story(40)), ("again/41", "feed0", story(41))] {
        let item = at(id, feed, late);
        assert_eq!(restored.assign_signed(&item, &sig), g.assign_signed(&item, &sig), "{id}");
    }
    assert_eq!(g.story_of("new/40").unwrap().as_str(), "40/0");
}
