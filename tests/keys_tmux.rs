//! Holding `j` in a real terminal (#10 keys): the list moves on every press
//! while the article of each row passed is read off the loop thread, and the
//! article of the row it stops on appears — body and all — once keys stop.

mod common;

use std::time::Duration;

use common::tmux::{self, Tmux};
use tidings::config::FeedConfig;
use tidings::model::{FetchedFeed, NewItem, PollInfo};
use tidings::store::Store;

const ITEMS: usize = 300;
const PRESSES: usize = 40;

#[test]
fn holding_j_ends_on_the_right_row_with_its_article() {
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
            title: format!("Story {i:03}"),
            content: Some(format!("<p>The body of story {i:03} says so.</p>")),
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
        "keys",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", std::path::Path::new("1"))],
    );
    t.wait_text("The body of story 000 says so.");
    // A held key: one press every 20 ms.
    for _ in 0..PRESSES {
        t.send(&["j"]);
        std::thread::sleep(Duration::from_millis(20));
    }
    let body = format!("The body of story {PRESSES:03} says so.");
    let screen = t.wait_for("the last row's article", Duration::from_secs(20), |s| s.contains(&body));
    assert_eq!(article_title(&screen), format!("Story {PRESSES:03}"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
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
