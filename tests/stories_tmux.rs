//! End to end in tmux (#15): three loopback feeds carrying the same story
//! show it as one row with `+2`; `→` unfolds it into three rows, `←` folds
//! it; `r` on the folded row marks all three read, `u` gives them back.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::tmux::{self, Tmux};
use common::{TestServer, write_config};

const LEAD: &str = "Earthquake of magnitude 7.8 hits";
const OTHERS: [&str; 2] = ["Magnitude 7.8 earthquake strikes", "Southern Turkey earthquake: 7.8"];

fn run(config: &Path, data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How many of the quake's three items are read (as the CLI sees the store).
fn quake_read(config: &Path, data: &Path) -> usize {
    let out = run(config, data, &["list", "--json", "--query", "grouped"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(items.len(), 3, "{out}");
    items.iter().filter(|i| i["read"] == true).count()
}

fn wait_read(config: &Path, data: &Path, want: usize, t: &Tmux) {
    let start = std::time::Instant::now();
    while quake_read(config, data) != want {
        assert!(start.elapsed() < Duration::from_secs(15), "not {want} read; screen:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_story_from_three_feeds_is_one_row_that_unfolds_and_is_read_and_restored_at_once() {
    if !tmux::available() {
        return;
    }
    let server = TestServer::serve(common::story_feeds());
    let dir = tempfile::tempdir().unwrap();
    let config: PathBuf = write_config(dir.path(), &[server.url("/a.xml"), server.url("/b.xml"), server.url("/c.xml")]);
    let data = dir.path().join("data");
    // Stored before the reader starts (the feeds are then not due again).
    run(&config, &data, &["fetch"]);

    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "stories",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    );
    let screen = t.wait_text("+2 Beta·Gamma");
    let row = screen.lines().find(|l| l.contains("+2 Beta·Gamma")).unwrap();
    assert!(row.contains(LEAD), "the earliest item leads the row: {row}\n{screen}");
    for other in OTHERS {
        assert!(!screen.contains(other), "folded away: {other}\n{screen}");
    }
    assert!(screen.contains("Beta chess final drawn"), "{screen}");
    // `count = "stories"` (the default): the story counts once, 4 unread of 6 items.
    t.wait_text("4 unread");

    // → unfolds: three rows, the lead's first.
    t.send(&["Right"]);
    let screen = t.wait_for("the story unfolded", Duration::from_secs(15), |s| OTHERS.iter().all(|o| s.contains(o)));
    let lines: Vec<&str> = screen.lines().collect();
    let at = |text: &str| lines.iter().position(|l| l.contains(text)).unwrap();
    assert!(at(LEAD) < at(OTHERS[0]) && at(OTHERS[0]) < at(OTHERS[1]), "{screen}");
    assert!(!screen.contains("+2 Beta"), "{screen}");

    // ← folds it again.
    t.send(&["Left"]);
    let screen = t.wait_text("+2 Beta·Gamma");
    assert!(OTHERS.iter().all(|o| !screen.contains(o)), "{screen}");

    // r on the folded row: all three read, as one step; u: all three unread.
    assert_eq!(quake_read(&config, &data), 0);
    t.send(&["r"]);
    wait_read(&config, &data, 3, &t);
    t.wait_text("mark 3 items read");
    t.send(&["u"]);
    wait_read(&config, &data, 0, &t);
    t.send(&["q"]);
    t.wait_exit();
}
