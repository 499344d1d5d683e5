//! End to end in tmux: the sidebar's Feeds section lists each feed with its
//! unread count and health, selecting one shows its items alone, and on a
//! feed `U` fetches it alone, `E` says its last error, `A` marks it read.

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, rss, three_item_feed};

/// The sidebar's column (24 wide, in its frame) of each line.
fn sidebar(screen: &str) -> Vec<String> {
    screen.lines().map(|l| l.chars().take(24).collect()).collect()
}

/// The count at the end of the sidebar line that holds `label`.
fn sidebar_count(screen: &str, label: &str) -> Option<u32> {
    let line = sidebar(screen).into_iter().find(|l| l.contains(label))?;
    line.trim_end_matches('│').split_whitespace().last()?.parse().ok()
}

#[test]
fn the_feeds_section_counts_each_feed_and_selecting_one_filters_the_list() {
    if !tmux::available() {
        return;
    }
    let beta = rss(
        "Beta Wire",
        &[
            ("b-1", "Beta first story", "Tue, 18 Jun 2024 10:00:00 GMT", "<p>one</p>"),
            ("b-2", "Beta second story", "Mon, 17 Jun 2024 10:00:00 GMT", "<p>two</p>"),
        ],
    );
    let server = TestServer::serve(vec![
        ("/a.xml", "application/rss+xml", three_item_feed().into_bytes()),
        ("/b.xml", "application/rss+xml", beta.into_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let text = format!(
        "[poller]\ntimeout = \"5s\"\n\n[ui]\nfeeds = \"grouped\"\n\n\
         [[feed]]\nurl = \"{}\"\ntags = [\"loop\", \"test\"]\n\n\
         [[feed]]\nurl = \"{}\"\ntags = [\"wire\"]\n\n\
         [[feed]]\nurl = \"{}\"\n",
        server.url("/a.xml"),
        server.url("/b.xml"),
        server.url("/missing.xml"),
    );
    std::fs::write(&config, text).unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "feeds",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    );
    let screen = t.wait_for("the first fetch and its counts", Duration::from_secs(15), |s| {
        s.contains("fetched 3 feeds, 1 failed") && sidebar_count(s, "Beta Wire") == Some(2)
    });
    // Grouped under each feed's first tag, with the unread counts; the 404 is failing.
    assert!(screen.contains("▾ Feeds"), "{screen}");
    let side = sidebar(&screen);
    let order: Vec<usize> = ["▾ Feeds", "│ loop ", "Loopback & Co", "│ wire ", "Beta Wire", "⚠ "]
        .iter()
        .map(|l| side.iter().position(|s| s.contains(l)).unwrap_or_else(|| panic!("{l} missing:\n{screen}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "section order {order:?}:\n{screen}");
    assert_eq!(sidebar_count(&screen, "Loopback & Co"), Some(3), "{screen}");
    assert!(sidebar(&screen).iter().any(|l| l.contains("⚠ ") && l.contains("missing.xml")), "{screen}");

    // Into the sidebar; the last line is the failing feed: `E` says why.
    t.send(&["h", "G"]);
    t.wait_text("Items (");
    t.send(&["E"]);
    let screen = t.wait_text("404");
    assert!(screen.lines().last().is_some_and(|l| l.contains("404")), "{screen}");

    // Up onto Beta Wire: the list shows its items alone.
    t.send(&["k"]);
    let screen = t.wait_text("Items (Beta Wire)");
    assert!(screen.contains("Beta first story") && screen.contains("Beta second story"), "{screen}");
    assert!(!screen.contains(TITLES[2]), "only Beta Wire's items:\n{screen}");

    // `U` fetches Beta Wire alone.
    let asked = |p: &str| server.requests().iter().filter(|r| r.path == p).count();
    let (a_before, b_before) = (asked("/a.xml"), asked("/b.xml"));
    t.send(&["U"]);
    let start = std::time::Instant::now();
    while asked("/b.xml") == b_before {
        assert!(start.elapsed() < Duration::from_secs(10), "Beta Wire was not fetched again");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(asked("/a.xml"), a_before, "only the selected feed is fetched");

    // `A` marks Beta Wire read; the other feed keeps its count.
    t.send(&["A"]);
    let screen = t.wait_for("Beta Wire read", Duration::from_secs(15), |s| sidebar_count(s, "Beta Wire") == Some(0));
    assert_eq!(sidebar_count(&screen, "Loopback & Co"), Some(3), "{screen}");

    // Space on the header folds the section.
    t.send(&["k", "k", "k", "k", "Space"]);
    let screen = t.wait_text("▸ Feeds");
    assert!(!sidebar(&screen).iter().any(|l| l.contains("Beta Wire")), "folded:\n{screen}");

    // `O` sorts the list by feed, then by title: the title says so.
    t.send(&["l", "O"]);
    t.wait_text("· by feed");
    t.send(&["O"]);
    let screen = t.wait_text("· by title");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("● ")).collect();
    let at = |title: &str| rows.iter().position(|l| l.contains(title)).unwrap_or(usize::MAX);
    assert!(at("Live: Putin") < at("Markets") && at("Markets") < at("Plain third"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
}
