//! The query language through the real binary: `list --query` and `search`
//! on a three-item database fetched from a loopback server.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::path::Path;

use common::{TestServer, rss};

/// Two items in a feed tagged `x`, one in a feed without tags; the first one read.
fn three_items() -> (TestServer, tempfile::TempDir) {
    let tagged = rss(
        "Tagged Wire",
        &[
            (
                "a",
                "Treaty talks resume",
                "Tue, 18 Jun 2024 10:00:00 GMT",
                "<p>Delegates discuss the <b>treaty</b> text.</p>",
            ),
            (
                "b",
                "Markets and mood",
                "Mon, 17 Jun 2024 10:00:00 GMT",
                "<p>Traders weigh the treaty. A phrase of note.</p>",
            ),
        ],
    );
    let plain = rss("Plain Post", &[("c", "Harbour news", "Sun, 16 Jun 2024 10:00:00 GMT", "<p>Boats are back.</p>")]);
    let server = TestServer::serve(vec![
        ("/tagged.xml", "application/rss+xml", tagged.into_bytes()),
        ("/plain.xml", "application/rss+xml", plain.into_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[[feed]]\nurl = \"{}\"\ntags = [\"x\"]\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/tagged.xml"),
        server.url("/plain.xml")
    );
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    // Mark "Treaty talks resume" read, through the library, as the reader would.
    let mut store = tidings::store::Store::open(&dir.path().join("data").join("tidings.db")).unwrap();
    let id = tidings::store::stable_id(&server.url("/tagged.xml"), "a");
    store.set_read(&[id], true).unwrap();
    (server, dir)
}

fn titles(dir: &Path, args: &[&str]) -> Vec<String> {
    let (code, out, err) = tidings(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).expect("one JSON array");
    items.iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn list_query_returns_exactly_the_matching_items() {
    let (_server, dir) = three_items();
    let q = |query: &str| titles(dir.path(), &["list", "--query", query, "--json"]);
    assert_eq!(q("before:2024-06-17"), ["Harbour news"]);
    assert_eq!(q("tag:x -markets"), ["Treaty talks resume"]);
    assert_eq!(q("\"a phrase\""), ["Markets and mood"]);
    assert_eq!(q("\"phrase a\""), Vec::<String>::new(), "a phrase is words in order");
    assert_eq!(q("tag:none or markets"), ["Markets and mood", "Harbour news"]);
    assert_eq!(q("unread"), ["Markets and mood", "Harbour news"]);
    assert_eq!(q("since:2024-06-17 feed:tagged"), ["Treaty talks resume", "Markets and mood"]);
    assert_eq!(titles(dir.path(), &["list", "--query", "treaty", "--limit", "1", "--json"]), ["Treaty talks resume"]);
    // Text output: one line per item.
    let (code, out, _) = tidings(dir.path(), &["list", "-q", "unread"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn search_ranks_the_matches() {
    let (_server, dir) = three_items();
    let (code, out, err) = tidings(dir.path(), &["search", "treaty", "--json"]);
    assert_eq!(code, 0, "{err}");
    let hits: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let got: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    // In the title and the body beats only in the body, though it is read and older news would come first by date.
    assert_eq!(got, ["Treaty talks resume", "Markets and mood"]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores[0] > scores[1], "{scores:?}");
    assert!(hits[0]["id"].as_str().is_some_and(|id| id.len() == 16));
    // Several words are one query; filters narrow it.
    assert_eq!(titles(dir.path(), &["search", "treaty", "unread", "--json"]), ["Markets and mood"]);
}

#[test]
fn a_broken_query_exits_2_and_says_where() {
    let (_server, dir) = three_items();
    for args in [&["list", "--query", "(tag:x"][..], &["search", "(tag:x"]] {
        let (code, out, err) = tidings(dir.path(), args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(
            err,
            "tidings: invalid query at column 7: expected `)` to close the `(` at column 1\n  (tag:x\n        ^\n"
        );
    }
    let (code, _, err) = tidings(dir.path(), &["list", "--query", "since:soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("column 7: expected a date after `since:`"), "{err}");
}

#[test]
fn a_broken_saved_query_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[[query]]\nname = \"Bad\"\nquery = \"tag:x or\"\n").unwrap();
    let (code, _, err) = tidings(dir.path(), &["list"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("config.toml:3: key `query.query`: invalid query at column 9: expected a term after `or`"),
        "{err}"
    );
}
