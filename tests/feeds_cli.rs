//! Feed management from the command line, as the real binary: discovery,
//! config rewriting, import, export, health.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use common::{TestServer, respond, three_item_feed};

const CONFIG: &str = "# My reader.\n[poller]\ntimeout = \"3s\"   # impatient\n";

fn config(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("config.toml")).unwrap()
}

fn site() -> TestServer {
    let feed = three_item_feed();
    TestServer::start(move |req, stream| match req.path.as_str() {
        "/blog/" => respond(
            stream,
            200,
            &[("Content-Type", "text/html; charset=utf-8")],
            b"<!DOCTYPE html><html><head><title>Blog</title>\
              <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Posts\" href=\"feed.xml\">\
              <link rel=\"alternate\" type=\"application/atom+xml\" title=\"Comments\" href=\"/comments.atom\">\
              </head><body><p>Hello</p></body></html>",
        ),
        "/plain/" => respond(stream, 200, &[("Content-Type", "text/html")], b"<html><body>no feeds</body></html>"),
        "/blog/feed.xml" | "/new-home.xml" => respond(stream, 200, &[], feed.as_bytes()),
        "/old-home.xml" => respond(stream, 308, &[("Location", "/new-home.xml")], b""),
        _ => respond(stream, 404, &[], b""),
    })
}

#[test]
fn feeds_add_finds_a_pages_feed_and_keeps_the_config_comments() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let (code, out, err) =
        tidings(dir.path(), &["feeds", "add", &server.url("/blog/"), "--tag", "blogs", "--tag", "long reads"]);
    assert_eq!(code, 0, "{out}{err}");
    let feed_url = server.url("/blog/feed.xml");
    assert!(out.starts_with(&format!("added Loopback & Co News ({feed_url}, 3 items) #blogs #long reads\n")), "{out}");
    assert!(out.contains("found through the page"), "{out}");
    assert!(out.contains(&format!("the page also offers {}", server.url("/comments.atom"))), "{out}");
    let text = config(dir.path());
    assert!(text.starts_with(CONFIG), "comments and layout kept:\n{text}");
    assert!(
        text.ends_with(&format!("\n[[feed]]\nurl = \"{feed_url}\"\ntags = [\"blogs\", \"long reads\"]\n")),
        "{text}"
    );

    let (code, out, _) = tidings(dir.path(), &["feeds", "add", &server.url("/blog/")]);
    assert_eq!(
        (code, out.trim()),
        (0, format!("already in the config: {feed_url} (the feed of {})", server.url("/blog/")).as_str())
    );

    // Health before and after a fetch.
    let (_, out, _) = tidings(dir.path(), &["feeds"]);
    assert!(out.contains(&format!("{feed_url}  #blogs #long reads\n    {feed_url}\n    not fetched yet")), "{out}");
    tidings(dir.path(), &["fetch"]);
    let (_, out, _) = tidings(dir.path(), &["feeds", "list"]);
    assert!(out.starts_with("Loopback & Co News  #blogs #long reads\n"), "{out}");
    assert!(out.contains("    ok (200) · 3 items · next poll "), "{out}");

    let (code, out, _) = tidings(dir.path(), &["feeds", "remove", &feed_url]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(config(dir.path()), CONFIG);
    let (code, _, err) = tidings(dir.path(), &["feeds", "remove", &feed_url]);
    assert_eq!(code, 2);
    assert!(err.contains("no feed with URL"), "{err}");
}

#[test]
fn feeds_add_reports_pages_without_feeds_and_permanent_moves() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let (code, _, err) = tidings(dir.path(), &["feeds", "add", &server.url("/plain/")]);
    assert_eq!(code, 1);
    assert!(err.contains("no feed found: the page links to no RSS, Atom or JSON feed"), "{err}");
    assert_eq!(config(dir.path()), CONFIG, "nothing written");

    let (code, out, _) = tidings(dir.path(), &["feeds", "add", &server.url("/old-home.xml")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("moved permanently; the new one was added"), "{out}");
    assert!(config(dir.path()).contains(&server.url("/new-home.xml")));
}

#[test]
fn a_moved_feed_is_reported_in_feeds_list() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    common::write_config(dir.path(), &[server.url("/old-home.xml")]);
    let (code, out, _) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}");
    let (_, out, _) = tidings(dir.path(), &["feeds", "list"]);
    assert!(out.contains(&format!("moved permanently to {}", server.url("/new-home.xml"))), "{out}");
    let (_, json, _) = tidings(dir.path(), &["feeds", "list", "--json"]);
    let feeds: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(feeds[0]["moved_to"], server.url("/new-home.xml"));
    assert_eq!(feeds[0]["status"], 200);
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn feeds_json(dir: &std::path::Path) -> Vec<(String, Vec<String>)> {
    let (code, json, err) = tidings(dir, &["feeds", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    let feeds: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    feeds
        .iter()
        .map(|f| {
            let tags = f["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
            (f["url"].as_str().unwrap().to_string(), tags)
        })
        .collect()
}

#[test]
fn import_of_another_readers_opml_keeps_its_tags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let (code, out, err) = tidings(dir.path(), &["import", &fixture("other-reader.opml")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("imported 4 feeds from "), "{out}");
    let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(
        feeds_json(dir.path()),
        [
            ("https://harbour.example/feed.xml".to_string(), s(&["News", "Reading"])),
            ("https://orbital.example/rss".to_string(), s(&["News", "World", "science", "space"])),
            ("https://ledger.example/feed.json".to_string(), s(&["Reading"])),
            ("https://unfiled.example/atom.xml".to_string(), s(&[])),
        ]
    );
    assert!(config(dir.path()).starts_with(CONFIG));
    let (_, out, _) = tidings(dir.path(), &["import", &fixture("other-reader.opml")]);
    assert!(out.starts_with("imported 0 feeds from ") && out.contains("(4 already listed)"), "{out}");
}

#[test]
fn import_of_a_newsboat_urls_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    let (code, out, err) = tidings(dir.path(), &["import", &fixture("newsboat-urls")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("imported 4 feeds"), "{out}");
    assert!(out.contains("line 5: query feed \"Unread news\" skipped"), "{out}");
    assert!(out.contains("line 6: exec: feed skipped"), "{out}");
    assert!(out.contains("hidden.example/rss is hidden in newsboat"), "{out}");
    let feeds = feeds_json(dir.path());
    assert_eq!(feeds[0].1, ["local news", "news"]);
    let text = config(dir.path());
    assert!(
        text.contains("url = \"https://orbital.example/rss\"\ntitle = \"Orbital (renamed)\"\ntags = [\"science\"]"),
        "{text}"
    );
}

#[test]
fn export_then_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    tidings(dir.path(), &["import", &fixture("other-reader.opml")]);
    let out_file = dir.path().join("out.opml");
    let (code, out, _) = tidings(dir.path(), &["export", "opml", "-o", out_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let xml = std::fs::read_to_string(&out_file).unwrap();
    assert!(xml.contains("<opml version=\"2.0\">") && xml.contains("category=\"News,World,space,science\""), "{xml}");
    let (_, stdout_xml, _) = tidings(dir.path(), &["export", "opml"]);
    assert_eq!(stdout_xml.replace(|c: char| c.is_ascii_digit(), ""), xml.replace(|c: char| c.is_ascii_digit(), ""));

    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("config.toml"), "").unwrap();
    let (code, out, _) = tidings(other.path(), &["import", out_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(feeds_json(other.path()), feeds_json(dir.path()));
}
