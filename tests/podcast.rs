//! Real-world feeds end to end, from file:// fixtures written for tidings: a
//! podcast's enclosure in `show`, `list --json` and the reader's article
//! pane, `e` starting the configured player, and `stats` naming repairs.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::tmux::{self, Tmux};

const EPISODE_URL: &str = "https://cdn.harbourhour.example/hh-12.mp3?src=feed&v=2";

fn fixture_url(name: &str) -> String {
    format!("file://{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A config over fixture feeds, plus extra TOML (e.g. a `[ui]` table).
fn config(dir: &Path, feeds: &[&str], extra: &str) -> PathBuf {
    let mut text = String::from(extra);
    for f in feeds {
        text.push_str(&format!("\n[[feed]]\nurl = \"{}\"\n", fixture_url(f)));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_podcast_enclosure_in_show_and_list_json() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &["podcast.rss"], "");
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "Harbour Hour: 2 new");

    let (_, out, _) = tidings(dir.path(), &["list", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(
        items[0]["enclosures"],
        serde_json::json!([{ "url": EPISODE_URL, "type": "audio/mpeg", "length": 45_000_000, "duration": 3733 }])
    );
    assert_eq!(items[1]["enclosures"][0]["duration"], 2535);

    let id = items[0]["id"].as_str().unwrap();
    let (code, out, _) = tidings(dir.path(), &["show", id]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| *l == "▶ [e1] audio/mpeg · 45 MB · 1:02:13").unwrap_or_else(|| panic!("{out}"));
    assert_eq!(lines[at + 1].trim(), EPISODE_URL);

    // The reading list keeps its own copy of the enclosures.
    let (code, _, err) = tidings(dir.path(), &["save", id]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = tidings(dir.path(), &["export", "reading-list", "--format", "json"]);
    let saved: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(saved[0]["enclosures"][0]["url"], EPISODE_URL);
    assert_eq!(saved[0]["enclosures"][0]["length"], 45_000_000);
}

#[test]
fn stats_name_what_was_repaired() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &["bare-ampersand.rss", "podcast.rss"], "");
    let (code, _, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = tidings(dir.path(), &["stats"]);
    assert!(
        out.lines().any(|l| l.starts_with("Harbour & Quay Gazette") && l.ends_with("repaired: 4 bare '&'")),
        "{out}"
    );
    assert!(!out.contains("Harbour Hour  repaired"), "nothing to repair there:\n{out}");
    let (_, out, _) = tidings(dir.path(), &["stats", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["feeds"][0]["repaired"], "4 bare '&'");
    assert_eq!(doc["feeds"][1]["repaired"], serde_json::Value::Null);
}

#[test]
fn the_article_pane_shows_the_enclosure_and_e_runs_the_player() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The player: a script that writes its arguments, one per line, to a file.
    let record = dir.path().join("played.txt");
    let player = dir.path().join("player.sh");
    std::fs::write(
        &player,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.tmp'\nmv '{0}.tmp' '{0}'\n", record.display()),
    )
    .unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&player).status().unwrap();
    let ui = format!("[ui]\nplayer = \"'{}' --no-video {{url}}\"\n", player.display());
    let cfg = config(dir.path(), &["podcast.rss"], &ui);
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "podcast",
        140,
        30,
        &[bin, "--config", cfg.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    );
    let screen = t.wait_text("▶ [e1] audio/mpeg · 45 MB · 1:02:13 · e play");
    assert!(screen.contains("Episode 12: The night shift"), "{screen}");
    assert!(screen.contains("Cranes, coffee"), "the body follows the header:\n{screen}");

    t.send(&["e"]);
    let start = std::time::Instant::now();
    while !record.exists() {
        assert!(start.elapsed() < Duration::from_secs(10), "the player never ran:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&record).unwrap(), format!("--no-video\n{EPISODE_URL}\n"));
    t.wait_text("playing audio/mpeg");

    // The second episode's own enclosure, once it is shown.
    t.send(&["j"]);
    t.wait_text("▶ [e1] audio/x-m4a · 32 MB · 42:15 · e play");
    t.send(&["q"]);
    t.wait_exit();
}
