//! Nothing from the network makes tidings read a local file (§10): a feed's
//! item links to `file://` (direct, through `xml:base`, through a redirect)
//! are never followed — not by `show --full`, `save`, the reader's `f` or
//! its background prefetch — and local feeds are read under the size cap,
//! regular files only.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::path::Path;

use common::tmux::{self, Tmux};
use common::{TestServer, respond};

const SECRET: &str = "TOP-SECRET-7f3a9c-local-file-content";

/// A secret file, and a local feed (the user's own, so `file://` is fine)
/// whose items point at it: directly, through `xml:base`, and through an
/// http page that redirects there.
fn setup(dir: &Path, server: &TestServer) -> String {
    let secret = dir.join("secret.html");
    std::fs::write(&secret, format!("<html><body><article><p>{SECRET}</p><p>{SECRET}</p></article></body></html>"))
        .unwrap();
    let base = format!("file://{}/", dir.display());
    let feed = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Sneaky Feed</title><id>urn:sneaky</id><updated>2024-06-18T10:00:00Z</updated>
  <entry><title>Direct file link</title><id>urn:e1</id><updated>2024-06-18T10:00:00Z</updated>
    <link href="file://{secret}"/><summary>one</summary></entry>
  <entry xml:base="{base}"><title>Through xml:base</title><id>urn:e2</id><updated>2024-06-17T10:00:00Z</updated>
    <link href="secret.html"/><summary>two</summary></entry>
  <entry><title>Through a redirect</title><id>urn:e3</id><updated>2024-06-16T10:00:00Z</updated>
    <link href="{redirect}"/><summary>three</summary></entry>
</feed>
"#,
        secret = secret.display(),
        redirect = server.url("/story"),
    );
    let feed_path = dir.join("sneaky.xml");
    std::fs::write(&feed_path, feed).unwrap();
    let feed_url = format!("file://{}", feed_path.display());
    std::fs::write(
        dir.join("config.toml"),
        format!("[poller]\ntimeout = \"3s\"\n\n[[feed]]\nurl = \"{feed_url}\"\nfull_text = true\n"),
    )
    .unwrap();
    feed_url
}

fn redirecting_server(secret: String) -> TestServer {
    TestServer::start(move |_, stream| respond(stream, 302, &[("Location", &secret)], b""))
}

fn ids(dir: &Path) -> Vec<(String, String, Option<String>)> {
    let (code, out, err) = tidings(dir, &["list", "--json"]);
    assert_eq!(code, 0, "{err}");
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    items
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().to_string(),
                i["id"].as_str().unwrap().to_string(),
                i["link"].as_str().map(String::from),
            )
        })
        .collect()
}

/// Every file of the data dir (database, WAL, log), as bytes.
fn data_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir.join("data")).unwrap() {
        all.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn item_links_to_local_files_leave_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let secret_url = format!("file://{}/secret.html", dir.path().display());
    let server = redirecting_server(secret_url.clone());
    setup(dir.path(), &server);
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");

    let items = ids(dir.path());
    assert_eq!(items.len(), 3, "{items:?}");
    // xml:base resolved the relative link to the local file: the test means what it says.
    assert_eq!(items[1].2.as_deref(), Some(secret_url.as_str()), "{items:?}");
    for (title, id, _) in &items {
        let (code, out, err) = tidings(dir.path(), &["show", id, "--full"]);
        assert_eq!(code, 1, "{title}: {out}{err}");
        assert!(!out.contains(SECRET) && !err.contains(SECRET), "{title}: {out}{err}");
        assert!(
            err.contains("file: URLs are not followed here: only http, https"),
            "{title}: the refusal is named: {err}"
        );
        let (code, _, err) = tidings(dir.path(), &["save", id]);
        assert_eq!(code, 0, "{err}");
    }
    // `save URL` holds a URL to the network's rule too.
    let (code, _, err) = tidings(dir.path(), &["save", &secret_url]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("neither an item ID nor an http(s) URL"), "{err}");

    for format in ["md", "json", "html"] {
        let (code, out, err) = tidings(dir.path(), &["export", "reading-list", "--format", format]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Through xml:base"), "{format}: {out}");
        assert!(!out.contains(SECRET), "{format}: {out}");
        // A link the browser must not open is no link in any export (the feed's own
        // file:// URL, from the user's config, is data in JSON).
        if format == "json" {
            let entries: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
            assert!(entries.iter().all(|e| !e["link"].as_str().unwrap_or("").starts_with("file:")), "{out}");
        } else {
            assert!(!out.contains("file://"), "{format}: {out}");
        }
    }
    for args in [&["list"][..], &["search", "secret"], &["stats"]] {
        let (_, out, _) = tidings(dir.path(), args);
        assert!(!out.contains(SECRET), "{args:?}: {out}");
    }
    assert!(!contains(&data_bytes(dir.path()), SECRET), "the database holds no local file content");
}

#[test]
fn the_reader_never_fetches_a_local_file() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = redirecting_server(format!("file://{}/secret.html", dir.path().display()));
    setup(dir.path(), &server);
    let bin = env!("CARGO_BIN_EXE_tidings");
    let config = dir.path().join("config.toml");
    let data = dir.path().join("data");
    let t = Tmux::start(
        "confine",
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    );
    // A full_text feed: the newest item opens on its full text, which is refused,
    // and the background prefetch of the others is refused the same way.
    let screen = t.wait_text("not followed here");
    assert!(screen.contains("full text failed"), "{screen}");
    t.send(&["f"]);
    let screen = t.wait_text("not followed here");
    t.send(&["j", "Enter"]);
    let screen2 = t.wait_text("Through xml:base");
    t.send(&["o"]);
    let screen3 = t.wait_text("this item has no link");
    for s in [&screen, &screen2, &screen3] {
        assert!(!s.contains(SECRET), "{s}");
    }
    t.send(&["q"]);
    t.wait_exit();
    assert!(!contains(&data_bytes(dir.path()), SECRET), "the database holds no local file content");
}

#[test]
fn local_feeds_are_read_under_the_cap_and_only_from_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    // A 22 GB file that takes no space: its size alone refuses it.
    let sparse = dir.path().join("huge.xml");
    std::fs::File::create(&sparse).unwrap().set_len(22_000_000_000).unwrap();
    let fifo = dir.path().join("pipe.xml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut urls = vec!["file:///dev/zero".to_string(), format!("file://{}", sparse.display())];
    if made {
        urls.push(format!("file://{}", fifo.display()));
    }
    let mut text = String::from("[poller]\nmax_body = \"10MB\"\n\n");
    for (i, url) in urls.iter().enumerate() {
        text.push_str(&format!("[[feed]]\nurl = \"{url}\"\ntitle = \"F{i}\"\n\n"));
    }
    std::fs::write(dir.path().join("config.toml"), text).unwrap();
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("F0: error: cannot read file: too large: a device may never end (only regular files are read)"),
        "{out}"
    );
    assert!(out.contains("F1: error: too large (over 10 MB)"), "{out}");
    if made {
        // Opening a pipe would wait for a writer forever: it is refused before.
        assert!(
            out.contains("F2: error: cannot read file: too large: a pipe may never end (only regular files are read)"),
            "{out}"
        );
    }
}
