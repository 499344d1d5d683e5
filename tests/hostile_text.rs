//! Hostile text on every headless output path: the project's injection
//! fixtures (every escape-sequence class, bidi and invisible characters, in
//! every field) and feedparser's sanitising corpus (when the shared corpus
//! is present) through fetch, list, search, show, stats, feeds, every export
//! and the error messages. Nothing may come out with an escape sequence (or
//! what is left of one), a control, bidi or invisible character.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use common::injection::{controls, dirt, json_dirt, json_feed, page};
use common::{TestServer, respond};

fn evil_site() -> TestServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let server = TestServer::start(move |req, stream| {
        let base = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/feed.json" => {
                respond(stream, 200, &[("Content-Type", "application/feed+json")], json_feed(&base).as_bytes())
            }
            "/page" | "/page2" => respond(stream, 200, &[("Content-Type", "text/html")], page().as_bytes()),
            _ => respond(stream, 404, &[], b""),
        }
    });
    let _ = base.set(format!("http://{}", server.addr));
    server
}

/// Runs a command; checks its stdout (as JSON when it is JSON) and stderr.
fn check(dir: &Path, args: &[&str], check: fn(&str) -> Option<String>) -> String {
    let (code, out, err) = tidings(dir, args);
    assert!(code == 0 || code == 1 || code == 2, "{args:?}: exit {code}");
    let trimmed = out.trim_start();
    let found = if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"));
        json_dirt(&doc, check)
    } else {
        check(&out)
    };
    assert!(found.is_none(), "{args:?} stdout: {found:?}\n{out}");
    assert!(check(&err).is_none(), "{args:?} stderr: {:?}\n{err}", check(&err));
    out
}

fn ids(dir: &Path) -> Vec<String> {
    let (_, out, _) = tidings(dir, &["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    doc.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn injection_fixtures_are_clean_on_every_output() {
    let server = evil_site();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[[feed]]\nurl = \"{}\"\ntags = [\"evil\"]\n", server.url("/feed.json")),
    )
    .unwrap();
    check(dir.path(), &["fetch"], dirt);
    check(dir.path(), &["fetch", "--json"], dirt);
    let list = check(dir.path(), &["list"], dirt);
    assert!(list.contains("CSI RED OSC ST DCS APC PM SOS SS C1 bidi lveiso invisible abcdefghi zwj x日[14] family 👩\u{200d}👩\u{200d}👧 end"), "{list}");
    check(dir.path(), &["list", "--json"], dirt);
    check(dir.path(), &["search", "family"], dirt);
    check(dir.path(), &["search", "--json", "RED"], dirt);
    for id in ids(dir.path()) {
        check(dir.path(), &["show", &id], dirt);
        check(dir.path(), &["show", &id, "--full"], dirt);
        assert_eq!(tidings(dir.path(), &["save", &id]).0, 0);
    }
    check(dir.path(), &["stats"], dirt);
    check(dir.path(), &["stats", "--json"], dirt);
    check(dir.path(), &["feeds"], dirt);
    check(dir.path(), &["feeds", "list", "--json"], dirt);
    check(dir.path(), &["export", "opml"], dirt);
    for format in ["md", "json", "html"] {
        check(dir.path(), &["export", "reading-list", "--format", format], dirt);
    }
    // Error messages repeat what they were given: cleaned too.
    let (code, _, err) = tidings(dir.path(), &["show", "\u{1b}]0;owned\u{7}x"]);
    assert_eq!(code, 2);
    assert!(dirt(&err).is_none(), "{err:?}");
    let (code, _, err) = tidings(dir.path(), &["list", "--query", "(\u{1b}]0;owned\u{7} \u{202e}x"]);
    assert_eq!(code, 2);
    assert!(dirt(&err).is_none(), "{err:?}");
    let (code, _, err) = tidings(dir.path(), &["feeds", "remove", "https://x.example/\u{1b}]0;owned\u{7}"]);
    assert_eq!(code, 2);
    assert!(dirt(&err).is_none(), "{err:?}");
}

/// feedparser's sanitising cases, each a feed of the config (file:// URLs),
/// through every output that shows their text.
#[test]
fn the_feedparser_sanitising_corpus_is_clean_on_every_output() {
    // `../shared/corpus` beside the crate, or beside one of its ancestors (a worktree).
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus/edge/feedparser/wellformed/sanitize"))
        .find(|p| p.is_dir());
    let Some(entries) = corpus.as_ref().and_then(|c| std::fs::read_dir(c).ok()) else {
        eprintln!("skipped: no corpus at ../shared/corpus");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = String::from("[poller]\nconcurrency = 16\nper_host = 16\n\n");
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in &files {
        let url = url::Url::from_file_path(path.canonicalize().unwrap()).unwrap();
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\ntags = [\"corpus\"]\n\n"));
    }
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    check(dir.path(), &["fetch"], controls);
    check(dir.path(), &["list"], controls);
    check(dir.path(), &["list", "--json"], controls);
    check(dir.path(), &["search", "--json", "script"], controls);
    check(dir.path(), &["stats", "--json"], controls);
    check(dir.path(), &["feeds"], controls);
    check(dir.path(), &["export", "opml"], controls);
    let ids = ids(dir.path());
    assert!(ids.len() > 400, "{} items from the corpus", ids.len());
    // A sample of items through `show` and the reading list's exports.
    for id in ids.iter().step_by(ids.len() / 10) {
        let out = check(dir.path(), &["show", id], controls);
        assert!(!out.contains("alert(") || out.contains("crazy"), "{out}");
        assert_eq!(tidings(dir.path(), &["save", id]).0, 0);
    }
    for format in ["md", "json", "html"] {
        let out = check(dir.path(), &["export", "reading-list", "--format", format], controls);
        if format == "html" {
            assert!(!out.to_ascii_lowercase().contains("<script"), "{out}");
        }
    }
}
