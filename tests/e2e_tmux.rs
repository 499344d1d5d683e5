//! End to end: the built binary in tmux against a loopback feed.

mod common;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, three_item_feed, write_config};

#[test]
fn the_tui_shows_items_tags_and_article_and_quits_cleanly() {
    if !tmux::available() {
        return;
    }
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &[server.url("/feed.xml")]);
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "main",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", std::path::Path::new("1"))],
    );

    t.wait_text(TITLES[2]);
    // The sidebar's counts follow the first rows.
    let screen = t.wait_text("3 unread");
    for title in TITLES {
        assert!(screen.contains(title), "list shows {title:?}:\n{screen}");
    }
    assert!(screen.contains("Unread"), "{screen}");
    assert!(screen.contains("#loop") && screen.contains("#test"), "{screen}");
    // The article pane shows the selected item (read off the loop thread).
    t.wait_text("First body: treaty text.");
    assert!(screen.contains("3 unread"), "{screen}");

    t.send(&["j"]);
    t.wait_text("Second body about markets.");
    t.send(&["Enter"]);
    let screen = t.wait_text("2 unread");
    assert!(screen.contains("Markets & \"Mood\" <Swing>"));

    // Tab (from the article) to the sidebar, then down to "Unread": the read item leaves the list.
    t.send(&["Tab", "j"]);
    let screen = t.wait_text("Items (Unread)");
    let list_has = |s: &str, title: &str| s.lines().any(|l| l.contains(title) && l.contains("Loopback"));
    assert!(!list_has(&screen, TITLES[1]), "{screen}");

    t.send(&["q"]);
    t.wait_exit();
    let screen = t.screen();
    assert!(!screen.contains("Items ("), "the alternate screen is gone after quitting:\n{screen}");

    // The read state survived the restart.
    let out = std::process::Command::new(bin)
        .args(["--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap(), "list", "--json"])
        .output()
        .unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let read: Vec<bool> = items.iter().map(|i| i["read"].as_bool().unwrap()).collect();
    assert_eq!(read, [false, true, false]);
}

#[test]
fn the_demo_fills_three_panes() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tidings");
    // HOME points at a scratch dir: the demo must not need or touch the user's files.
    let t = Tmux::start("demo", 130, 35, &[bin, "--demo"], &[("HOME", dir.path())]);
    let unread_of = |screen: &str| -> Option<u32> {
        screen.split(" unread").next().and_then(|s| s.rsplit(' ').next()).and_then(|n| n.parse().ok())
    };
    // The counts follow the rows (they are read in the background): wait for both.
    let screen = t.wait_for("all three demo feeds", std::time::Duration::from_secs(15), |s| {
        s.contains("Ledger") && s.contains("Orbital") && s.contains("Harbo") && unread_of(s).is_some_and(|n| n >= 30)
    });
    assert!(screen.contains("#space") && screen.contains("#business"), "{screen}");
    let unread = unread_of(&screen).unwrap_or_else(|| panic!("no unread count:\n{screen}"));
    assert!(unread >= 30, "{unread} demo items");
    // The article pane shows the selected item's text.
    assert!(screen.contains("tags: "), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "the demo wrote nothing under HOME");
}
