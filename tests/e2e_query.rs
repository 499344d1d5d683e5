//! End to end: the `/` filter and a saved query in the real binary, in tmux.

mod common;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, three_item_feed};

#[test]
fn slash_filters_the_list_and_saved_queries_show_their_counts() {
    if !tmux::available() {
        return;
    }
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let text = format!(
        "[[feed]]\nurl = \"{}\"\ntags = [\"loop\"]\n\n[[query]]\nname = \"Markets or treaty\"\nquery = \"markets or treaty\"\n",
        server.url("/feed.xml")
    );
    std::fs::write(&config, text).unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "filter",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", std::path::Path::new("1"))],
    );
    let list_has = |s: &str, title: &str| s.lines().any(|l| l.contains(title) && l.contains("Loopback"));
    t.wait_for("all items", std::time::Duration::from_secs(15), |s| TITLES.iter().all(|title| list_has(s, title)));
    let screen = t.wait_for("the saved query's count", std::time::Duration::from_secs(15), |s| {
        s.lines().any(|l| l.contains("Markets or treaty") && l.contains(" 2"))
    });
    assert!(screen.contains("/ filter"), "the status line hints the filter key:\n{screen}");

    t.send(&["/"]);
    t.wait_text("FILTER");
    t.send(&["-l", "plain"]);
    t.send(&["Enter"]);
    let screen = t.wait_text("Items (plain) · 1");
    assert!(list_has(&screen, TITLES[2]), "{screen}");
    assert!(!list_has(&screen, TITLES[0]) && !list_has(&screen, TITLES[1]), "only the match is left:\n{screen}");
    // The article pane follows (read off the loop thread, a frame or two later).
    t.wait_text("Third body, plain.");

    // A broken query shows where it broke and keeps the list (the line opens on "plain").
    t.send(&["/"]);
    t.send(&["-l", " (x"]);
    let screen = t.wait_text("expected `)` to close the `(` at column 7");
    assert!(list_has(&screen, TITLES[2]), "{screen}");
    t.send(&["Escape"]);
    // Two ESC bytes that arrive together read as one Alt-Esc: wait for the line to close first.
    t.wait_for("the filter line to close", std::time::Duration::from_secs(10), |s| !s.contains("FILTER"));
    t.send(&["Escape"]);
    let screen = t.wait_for("the whole list again", std::time::Duration::from_secs(10), |s| {
        s.contains("Items (All)") && TITLES.iter().all(|title| list_has(s, title))
    });
    assert!(!screen.contains("FILTER"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
}
