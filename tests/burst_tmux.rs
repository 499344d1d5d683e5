//! A burst of input in a real terminal: 5,000 `j` at once (5 KB, more than
//! crossterm reads per wake-up) must all be handled — the screen ends on row
//! 5,000 of a longer list, without waiting for another key — and the `q`
//! that follows must quit at once.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{self, Tmux};
use tidings::config::FeedConfig;
use tidings::model::{FetchedFeed, NewItem, PollInfo};
use tidings::store::Store;

const ITEMS: usize = 5_500;
const BURST: usize = 5_000;

#[test]
fn a_5_kb_burst_of_j_lands_on_the_right_row_and_q_quits_at_once() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A feed nobody serves, not due for a day: the list is what the store holds.
    let url = "http://127.0.0.1:9/feed.xml";
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{url}\"\n")).unwrap();
    let data = dir.path().join("data");
    let mut store = Store::open(&data.join("tidings.db")).unwrap();
    store.sync_feeds(&[FeedConfig::new(url)]).unwrap();
    let items = (0..ITEMS)
        .map(|i| NewItem {
            key: i.to_string(),
            title: format!("Story {i:05}"),
            published: Some(1_700_000_000 - i as i64 * 60),
            ..Default::default()
        })
        .collect();
    store.store_fetched(&FetchedFeed { url: url.into(), items, ..Default::default() }, 1_700_000_000).unwrap();
    let later = chrono::Utc::now().timestamp() + 86_400;
    store.record_schedule(url, &PollInfo { next_poll: Some(later), ..Default::default() }).unwrap();
    drop(store);

    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "burst",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", std::path::Path::new("1"))],
    );
    t.wait_text("Story 00001");
    t.send(&["-l", &"j".repeat(BURST)]);
    // The article pane shows the selected item: row 5,000.
    let target = format!("Story {BURST:05}");
    let screen = t.wait_for("the burst to land", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.contains("│ Story") && l.contains(&target) && !l.contains("Story 0499"))
            && article_title(s) == target
    });
    assert_eq!(article_title(&screen), target, "{screen}");
    let asked = Instant::now();
    t.send(&["q"]);
    t.wait_exit();
    assert!(asked.elapsed() < Duration::from_secs(2), "q took {:?}", asked.elapsed());
}

/// The first line of the article pane (the rightmost pane at this width).
fn article_title(screen: &str) -> String {
    screen
        .lines()
        .nth(1)
        .and_then(|l| l.rsplit("││").next())
        .map(|s| s.trim_matches(|c: char| c == '│' || c.is_whitespace()).to_string())
        .unwrap_or_default()
}
