//! The acceptance run: `tidings fetch` over a dozen hostile feeds and some
//! good ones, as the real binary, then a second run that must be polite.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use common::hostile::{self, GOOD, HOSTILE};

#[test]
fn fetch_survives_hostile_feeds_and_the_second_run_is_polite() {
    let server = hostile::server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), hostile::config(&server, "3s")).unwrap();

    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 1, "some feeds fail: {out}\n{err}");
    assert_eq!(out.lines().count(), GOOD.len() + HOSTILE.len(), "{out}");
    for (path, words) in HOSTILE {
        let line = out.lines().find(|l| l.contains(path)).unwrap_or_else(|| panic!("no line for {path}:\n{out}"));
        assert!(line.contains(&format!("error: {words}")), "{path}: {line}");
    }
    assert!(out.contains("Good moved: 3 new (moved permanently to "), "{out}");
    assert!(out.contains("Café Feed: 1 new"), "{out}");

    let (_, list, _) = tidings(dir.path(), &["list", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    assert_eq!(items.len(), GOOD.iter().map(|g| g.1).sum::<usize>(), "every good feed's items are stored");

    // `stats` names every failure in words, and the good feeds as ok.
    let (code, stats, _) = tidings(dir.path(), &["stats", "--json"]);
    assert_eq!(code, 0);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    let feeds = stats["feeds"].as_array().unwrap();
    assert_eq!(stats["failing"], HOSTILE.len());
    for (path, words) in HOSTILE {
        let f = feeds.iter().find(|f| f["url"].as_str().unwrap().ends_with(path)).unwrap();
        assert!(f["status_text"].as_str().unwrap().starts_with(words), "{path}: {f}");
        assert!(f["next_poll"].is_string(), "{f}");
    }
    for (path, items) in GOOD {
        let f = feeds.iter().find(|f| f["url"].as_str().unwrap().ends_with(path)).unwrap();
        assert_eq!((f["items"].as_u64(), f["healthy"].as_bool()), (Some(items as u64), Some(true)), "{f}");
        assert!(f["last_success"].is_string(), "{f}");
    }
    let (_, text, _) = tidings(dir.path(), &["stats"]);
    assert!(text.starts_with(&format!("{} feeds ({} failing)", GOOD.len() + HOSTILE.len(), HOSTILE.len())), "{text}");
    for (_, words) in HOSTILE {
        assert!(text.contains(words), "{words}:\n{text}");
    }

    let before = server.requests().len();
    let (code, out, _) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 1, "{out}");
    let second: Vec<_> = server.requests()[before..].to_vec();
    for path in ["/ratelimited.xml", "/unavailable.xml"] {
        assert!(second.iter().all(|r| r.path != path), "{path} was contacted before its Retry-After");
        let line = out.lines().find(|l| l.contains(path)).unwrap();
        assert!(line.contains("skipped, the server asked to wait (retry at "), "{line}");
    }
    let cached = second.iter().find(|r| r.path == "/cached.xml").expect("cached feed polled");
    assert_eq!(cached.header("if-none-match"), Some("\"c1\""));
    assert_eq!(cached.header("if-modified-since"), Some("Tue, 18 Jun 2024 21:05:00 GMT"));
    assert!(out.contains("Good cached: not modified"), "{out}");
    assert!(second.iter().all(|r| r.path != "/moved.xml"), "the moved feed is fetched from its new home");
}
