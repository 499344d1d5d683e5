//! The command line's rough edges: completions and the manual, queries that
//! start with `-`, a closed stdout, `fetch --json`, imports with nothing in
//! them, `feeds add` of something that is not a URL, and usage lines.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{TestServer, three_item_feed, write_config};

/// The binary with env-only paths (no --config/--data-dir on the line).
fn bare(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tidings"));
    c.env("TIDINGS_CONFIG", dir.join("config.toml")).env("TIDINGS_DATA_DIR", dir.join("data")).env("TZ", "UTC");
    c
}

fn fetched_dir() -> (tempfile::TempDir, TestServer) {
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);
    let (code, _, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{err}");
    (dir, server)
}

#[test]
fn completions_for_three_shells_and_a_manual_page() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef tidings"), ("fish", "complete -c tidings")] {
        let out = Command::new(env!("CARGO_BIN_EXE_tidings")).args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("reading-list") && text.contains("query"), "{shell} knows the subcommands");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tidings")).arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH tidings"), "{page}");
}

#[test]
fn queries_may_start_with_a_hyphen() {
    let (dir, _server) = fetched_dir();
    let (code, out, err) = tidings(dir.path(), &["list", "--query", "-second tag:loop"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let (code, out, err) = tidings(dir.path(), &["search", "-second", "tag:loop"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let (code, _, err) = tidings(dir.path(), &["list", "-q", "-(first or third)"]);
    assert_eq!(code, 0, "{err}");
    // search's own flags still count, before, between or after the words.
    let (code, out, err) = tidings(dir.path(), &["search", "tag:loop", "--json", "-second", "--limit", "1"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc.as_array().map(Vec::len), Some(1), "{out}");
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    let (dir, _server) = fetched_dir();
    for args in
        [&["list"][..], &["list", "--json"], &["stats"], &["export", "opml"], &["completions", "bash"], &["--help"]]
    {
        let mut child = bare(dir.path()).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Close the read end at once, like `| head -0`.
        drop(child.stdout.take());
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn fetch_json_is_one_document_with_a_result_per_feed() {
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml"), server.url("/missing.xml")]);
    let (code, out, _) = tidings(dir.path(), &["fetch", "--json"]);
    assert_eq!(code, 1, "one feed failed");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let feeds = doc.as_array().unwrap();
    assert_eq!(feeds.len(), 2);
    let ok = feeds.iter().find(|f| f["result"] == "ok").unwrap();
    assert_eq!(ok["new"], 3);
    assert_eq!(ok["title"], "Loopback & Co News");
    let bad = feeds.iter().find(|f| f["result"] == "error").unwrap();
    assert_eq!(bad["error"], "HTTP 404 Not Found");
    assert_eq!(bad["url"], server.url("/missing.xml"));
}

#[test]
fn importing_a_file_with_nothing_importable_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[]);
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "this is not\na list of feeds\n\u{0}\u{1}binary").unwrap();
    let (code, out, err) = tidings(dir.path(), &["import", junk.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nothing to import"), "{err}");
    let opml = dir.path().join("empty.opml");
    std::fs::write(&opml, "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body/></opml>").unwrap();
    let (code, _, err) = tidings(dir.path(), &["import", opml.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn feeds_add_of_a_word_says_it_is_not_a_url() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[]);
    let (code, _, err) = tidings(dir.path(), &["feeds", "add", "foo"]);
    assert_eq!(code, 2);
    assert_eq!(err.trim(), "tidings: \"foo\" is not a URL (write e.g. https://example.com/feed.xml)");
}

#[test]
fn usage_lines_do_not_show_paths_from_the_environment_as_required() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["show"][..], &["search"], &["list", "--bogus"]] {
        let out = bare(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        let usage = err.lines().find(|l| l.starts_with("Usage:")).unwrap_or_default();
        assert!(!usage.contains("--config") && !usage.contains("--data-dir"), "{args:?}: {usage}");
    }
    // The variables still work.
    write_config(dir.path(), &[]);
    let out = bare(dir.path()).args(["list", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("data/tidings.db").exists());
}

#[test]
fn exports_share_one_file_mode_and_opml_is_indented() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _server) = fetched_dir();
    let (_, out, _) = tidings(dir.path(), &["list", "--json"]);
    let items: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = items[0]["id"].as_str().unwrap().to_string();
    assert_eq!(tidings(dir.path(), &["save", &id]).0, 0);
    let mut modes = Vec::new();
    for (args, file) in [
        (&["export", "opml", "-o"][..], "feeds.opml"),
        (&["export", "reading-list", "--format", "html", "-o"], "list.html"),
        (&["export", "reading-list", "--format", "md", "-o"], "list.md"),
    ] {
        let path = dir.path().join(file);
        let mut all: Vec<&str> = args.to_vec();
        all.push(path.to_str().unwrap());
        let (code, _, err) = tidings(dir.path(), &all);
        assert_eq!(code, 0, "{err}");
        modes.push(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777);
    }
    assert!(modes.iter().all(|m| *m == modes[0]), "one rule for every export: {modes:?}");
    let opml = std::fs::read_to_string(dir.path().join("feeds.opml")).unwrap();
    assert!(opml.lines().count() >= 6 && opml.contains("\n    <outline "), "{opml}");
    let html = std::fs::read_to_string(dir.path().join("list.html")).unwrap();
    assert!(html.contains("<p>"), "real HTML from the stored content: {html}");
}
