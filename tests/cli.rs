//! The headless commands, run as the real binary against a loopback feed.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::process::Command;

use common::{TITLES, TestServer, three_item_feed, write_config};

fn list_json(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let (code, out, err) = tidings(dir, &["list", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("list --json is one JSON array")
}

#[test]
fn fetch_then_list_gives_exact_titles_and_stable_ids() {
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);

    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    assert_eq!(out.trim(), "Loopback & Co News: 3 new");

    let items = list_json(dir.path());
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, TITLES, "newest first, exact text");
    let first = &items[0];
    assert_eq!(first["feed"], "Loopback & Co News");
    assert_eq!(first["link"], "https://loopback.example/item-1");
    assert_eq!(first["published"], "2024-06-18T21:05:00Z");
    assert_eq!(first["read"], false);
    assert_eq!(first["saved"], false);
    assert_eq!(first["tags"], serde_json::json!(["loop", "test"]));
    let ids: Vec<String> = items.iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    assert!(ids.iter().all(|id| id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit())), "{ids:?}");

    let (code, out, _) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "Loopback & Co News: 0 new");
    let again: Vec<String> = list_json(dir.path()).iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(again, ids, "same ids, no duplicates");
}

#[test]
fn a_failing_feed_exits_1_and_the_good_one_is_stored() {
    let server = TestServer::serve(vec![("/good.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/good.xml"), server.url("/missing.xml")]);
    let (code, out, _) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Loopback & Co News: 3 new"), "{out}");
    assert!(out.contains("/missing.xml: error: HTTP 404"), "{out}");
    assert_eq!(list_json(dir.path()).len(), 3);
}

#[test]
fn fetch_of_one_feed_only() {
    let server = TestServer::serve(vec![("/a.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/a.xml"), server.url("/b.xml")]);
    let (code, out, _) = tidings(dir.path(), &["fetch", "--feed", &server.url("/a.xml")]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().count(), 1);
    let (code, _, err) = tidings(dir.path(), &["fetch", "--feed", "https://nope.example/"]);
    assert_eq!(code, 2);
    assert!(err.contains("no feed with URL"), "{err}");
}

#[test]
fn broken_config_exits_2_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[poller]\nconcurrency = 4\ntimeout = \"soon\"\n").unwrap();
    let (code, _, err) = tidings(dir.path(), &["list"]);
    assert_eq!(code, 2);
    let path = dir.path().join("config.toml");
    assert!(err.contains(&format!("{}:3: key `poller.timeout`", path.display())), "{err}");
    assert!(err.contains("invalid duration \"soon\""), "{err}");
}

#[test]
fn missing_explicit_config_is_an_error_not_a_silent_default() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = tidings(dir.path(), &["list"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read config"), "{err}");
}

#[test]
fn first_run_writes_the_default_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["list", "--json"])
        .env("XDG_CONFIG_HOME", dir.path().join("xdg-config"))
        .env("XDG_DATA_HOME", dir.path().join("xdg-data"))
        .env("HOME", dir.path())
        .env_remove("TIDINGS_CONFIG")
        .env_remove("TIDINGS_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(dir.path().join("xdg-config/tidings/config.toml")).unwrap();
    assert!(written.contains("https://www.themoscowtimes.com/rss/news"));
    assert!(dir.path().join("xdg-data/tidings/tidings.db").exists());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn hostile_text_is_sanitised_on_stdout() {
    let feed = common::rss(
        "Evil\u{1b}]0;owned\u{7} Feed",
        &[("x", "Title\u{1b}[2J with \u{202e}bidi\u{200b}", "Tue, 18 Jun 2024 21:05:00 GMT", "<p>x</p>")],
    );
    let server = TestServer::serve(vec![("/evil.xml", "application/rss+xml", feed.into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/evil.xml")]);
    let (_, fetch_out, _) = tidings(dir.path(), &["fetch"]);
    let (_, text_out, _) = tidings(dir.path(), &["list"]);
    let (_, json_out, _) = tidings(dir.path(), &["list", "--json"]);
    for out in [fetch_out, text_out, json_out] {
        assert!(!out.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}' || c == '\u{200b}'), "{out:?}");
    }
}

#[test]
fn fetch_goes_through_the_proxy_from_the_environment() {
    // The "proxy" answers every request itself, so the feed's host need not exist.
    let feed = three_item_feed();
    let proxy = TestServer::start(move |req, stream| {
        if req.path == "http://feeds.invalid/feed.xml" {
            common::respond(stream, 200, &[], feed.as_bytes());
        } else {
            common::respond(stream, 404, &[], b"");
        }
    });
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &["http://feeds.invalid/feed.xml".to_string()]);
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(dir.path().join("config.toml"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("fetch")
        .env("HTTP_PROXY", format!("http://{}", proxy.addr))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("http_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.trim(), "Loopback & Co News: 3 new");
    assert_eq!(proxy.requests()[0].path, "http://feeds.invalid/feed.xml", "absolute-form request to the proxy");
}

// — #15 stories —
#[test]
fn list_stories_groups_three_outlets_and_keeps_ids_across_refetches_and_restarts() {
    let server = TestServer::serve(common::story_feeds());
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/a.xml"), server.url("/b.xml"), server.url("/c.xml")]);
    let stories = |dir: &std::path::Path| {
        let (code, out, err) = tidings(dir, &["list", "--stories", "--json"]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("one JSON array")
    };
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    let first = stories(dir.path());
    // The quake (three items) and the three unrelated items: four stories.
    assert_eq!(first.len(), 4, "{first:#?}");
    let quake = &first[0];
    let titles: Vec<&str> = quake["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 3, "{quake:#}");
    assert!(titles[0].starts_with("Earthquake of magnitude"), "earliest first: {titles:?}");
    assert_eq!(quake["lead"], quake["items"][0]["id"], "the earliest leads");
    // A story's id is the id of the item it was first assigned to: the first
    // stored, which depends on which feed's answer lands first.
    assert!(quake["items"].as_array().unwrap().iter().any(|i| i["id"] == quake["story"]), "{quake:#}");
    assert_eq!(quake["unread"], 3);
    assert!(first[1..].iter().all(|s| s["items"].as_array().unwrap().len() == 1));
    // Without the flag, the list is unchanged: six items.
    assert_eq!(list_json(dir.path()).len(), 6);
    // Fetched again (a new process each time: a restart), the ids stay.
    for _ in 0..2 {
        let (code, out, _) = tidings(dir.path(), &["fetch"]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(stories(dir.path()), first);
    }
    // The text form: the lead with +2, the others under it.
    let (_, text, _) = tidings(dir.path(), &["list", "--stories"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with("+2") && lines[0].contains("Alpha Wire"), "{text}");
    assert!(lines[1].starts_with("    ") && lines[2].starts_with("    "), "{text}");
}

#[test]
fn list_stories_with_grouping_off_is_one_story_per_item() {
    let server = TestServer::serve(common::story_feeds());
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &[server.url("/a.xml"), server.url("/b.xml"), server.url("/c.xml")]);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("[stories]\nenabled = false\n");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = tidings(dir.path(), &["list", "--stories", "--json"]);
    assert_eq!(code, 0, "{err}");
    let stories: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(stories.len(), 6);
}
