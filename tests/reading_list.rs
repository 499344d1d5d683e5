//! `save`, `unsave` and `export reading-list`, run as the real binary against
//! a loopback server.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use common::{TITLES, TestServer, respond, three_item_feed, write_config};

fn export_json(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let (code, out, err) = tidings(dir, &["export", "reading-list", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn item_ids(dir: &std::path::Path) -> Vec<String> {
    let (_, out, _) = tidings(dir, &["list", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    items.iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn save_by_id_export_every_format_and_unsave() {
    let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);
    assert_eq!(tidings(dir.path(), &["fetch"]).0, 0);
    let ids = item_ids(dir.path());

    let (code, out, err) = tidings(dir.path(), &["save", &ids[1]]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), format!("saved {}  {}", ids[1], TITLES[1]));
    let (code, out, _) = tidings(dir.path(), &["save", &ids[1]]);
    assert_eq!(code, 0);
    assert!(out.starts_with("already in the reading list"), "{out}");

    let entries = export_json(dir.path());
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e["id"], ids[1].as_str());
    assert_eq!(e["title"], TITLES[1]);
    assert_eq!(e["link"], "https://loopback.example/item-2");
    assert_eq!(e["feed"], "Loopback & Co News");
    assert_eq!(e["published"], "2024-06-17T09:00:00Z");
    assert!(e["saved_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(e["tags"], serde_json::json!(["loop", "test"]));
    assert!(e["content"].as_str().unwrap().contains("Second body about markets."));

    let (_, md, _) = tidings(dir.path(), &["export", "reading-list", "--format", "md"]);
    assert!(md.contains("(<https://loopback.example/item-2>)"), "{md}");
    assert!(md.contains("Markets & \"Mood\" \\<Swing\\>"), "{md}");

    let page = dir.path().join("out/list.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    let (code, out, _) =
        tidings(dir.path(), &["export", "reading-list", "--format", "html", "-o", page.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("exported 1 entries"), "{out}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("Markets &amp; &quot;Mood&quot; &lt;Swing&gt;"), "{html}");
    assert!(html.contains("Second body about markets."));

    let (code, out, _) = tidings(dir.path(), &["unsave", &ids[1]]);
    assert_eq!(code, 0);
    assert!(out.contains("removed from the reading list"), "{out}");
    assert!(export_json(dir.path()).is_empty());
    let (code, _, err) = tidings(dir.path(), &["unsave", &ids[1]]);
    assert_eq!(code, 2);
    assert!(err.contains("no reading-list entry"), "{err}");
}

#[test]
fn bad_targets_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[]);
    let (code, _, err) = tidings(dir.path(), &["save", "not a thing"]);
    assert_eq!(code, 2);
    assert!(err.contains("neither an item ID nor an http(s) URL"), "{err}");
    let (code, _, err) = tidings(dir.path(), &["save", "0123456789abcdef"]);
    assert_eq!(code, 2);
    assert!(err.contains("no item with ID 0123456789abcdef"), "{err}");
    let (code, _, err) = tidings(dir.path(), &["export", "reading-list", "--format", "pdf"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn save_a_url_fetches_the_page_and_keeps_title_and_content() {
    let page = "<!doctype html><html><head><title>A Long &amp; Winding Read</title>\
                <script>document.write('x')</script></head>\
                <body><article><p>The whole page text.</p></article></body></html>";
    let server = TestServer::start(move |req, stream| match req.path.as_str() {
        "/page" => respond(stream, 200, &[("Content-Type", "text/html")], page.as_bytes()),
        _ => respond(stream, 404, &[], b"gone"),
    });
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[]);
    let url = server.url("/page");
    let (code, out, err) = tidings(dir.path(), &["save", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("A Long & Winding Read"), "{out}");
    let entries = export_json(dir.path());
    assert_eq!(entries[0]["title"], "A Long & Winding Read");
    assert_eq!(entries[0]["link"], url.as_str());
    assert_eq!(entries[0]["feed"], serde_json::Value::Null);
    assert!(entries[0]["content"].as_str().unwrap().contains("The whole page text."));
    // Saved once only; the site going away changes nothing.
    let (code, out, _) = tidings(dir.path(), &["save", &url]);
    assert_eq!(code, 0);
    assert!(out.starts_with("already in the reading list"), "{out}");
    drop(server);
    let (_, html, _) = tidings(dir.path(), &["export", "reading-list", "--format", "html"]);
    assert!(html.contains("The whole page text."), "{html}");
    assert!(!html.contains("document.write"), "{html}");
    // A page that cannot be fetched is an error, and nothing is saved.
    let other = TestServer::serve(vec![]);
    let (code, _, err) = tidings(dir.path(), &["save", &other.url("/missing")]);
    assert_eq!(code, 1);
    assert!(err.contains("HTTP 404"), "{err}");
    assert_eq!(export_json(dir.path()).len(), 1);
}

#[test]
fn saving_an_items_link_saves_the_item_and_removing_its_feed_keeps_it() {
    let server = TestServer::serve(vec![
        ("/feed.xml", "application/rss+xml", three_item_feed().into_bytes()),
        ("/other.xml", "application/rss+xml", common::rss("Other", &[]).into_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);
    tidings(dir.path(), &["fetch"]);
    // The link is not fetched (loopback.example does not resolve): the stored item is saved.
    let (code, out, err) = tidings(dir.path(), &["save", "https://loopback.example/item-1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(TITLES[0]), "{out}");

    write_config(dir.path(), &[server.url("/other.xml")]);
    assert_eq!(tidings(dir.path(), &["fetch"]).0, 0);
    assert!(item_ids(dir.path()).is_empty(), "the removed feed's items left the views");
    let entries = export_json(dir.path());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["title"], TITLES[0]);
    assert_eq!(entries[0]["feed"], "Loopback & Co News");
}
