//! Limits on input, through the real binary: every oversized or hostile
//! input ends in an error that says what and where, never in an abort.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use common::{TestServer, respond, write_config};

fn dir_with_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[]);
    dir
}

#[test]
fn oversized_queries_are_refused_with_their_column() {
    let dir = dir_with_config();
    let cases = [
        ("(".repeat(40_000), "invalid query at column 4097: too long: a query holds at most 4096 characters"),
        ("(".repeat(100), "invalid query at column 65: nested too deeply: at most 64 levels of `(` and `-`"),
        ("a or ".repeat(20_000), "invalid query at column 4097: too long: a query holds at most 4096 characters"),
        ("a or ".repeat(300), "invalid query at column 1281: too many terms: a query holds at most 256"),
    ];
    for (query, expected) in &cases {
        for args in [&["list", "--query", query][..], &["search", query]] {
            let (code, out, err) = tidings(dir.path(), args);
            assert_eq!(code, 2, "{}: {out}{err}", args[0]);
            assert!(err.starts_with(&format!("tidings: {expected}\n")), "{}: {err}", args[0]);
        }
    }
    // 600 words as separate arguments: one query, refused at its 257th term.
    let words: Vec<String> = (0..600).map(|i| format!("w{i}")).collect();
    let mut args = vec!["search"];
    args.extend(words.iter().map(String::as_str));
    let (code, _, err) = tidings(dir.path(), &args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("too many terms: a query holds at most 256"), "{err}");
}

#[test]
fn a_saved_query_nested_too_deep_is_a_config_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "(".repeat(1000);
    std::fs::write(dir.path().join("config.toml"), format!("[[query]]\nname = \"Deep\"\nquery = \"{deep}\"\n"))
        .unwrap();
    let (code, _, err) = tidings(dir.path(), &["list"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "config.toml:3: key `query.query`: invalid query at column 65: nested too deeply: at most 64 levels"
        ),
        "{err}"
    );
}

#[test]
fn a_deep_or_huge_opml_is_refused_with_its_place() {
    let dir = dir_with_config();
    let mut deep = String::from("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n");
    deep.push_str(&"<outline text=\"f\">".repeat(10_000));
    deep.push_str(&"</outline>".repeat(10_000));
    deep.push_str("</body></opml>\n");
    let file = dir.path().join("deep.opml");
    std::fs::write(&file, deep).unwrap();
    let (code, _, err) = tidings(dir.path(), &["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.ends_with("deep.opml: not a readable OPML file: line 3, column 577: outlines nested more than 32 deep\n"),
        "{err}"
    );

    let mut huge = String::from("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n");
    for i in 0..100_000 {
        huge.push_str(&format!("<outline text=\"F{i}\" xmlUrl=\"https://f{i}.example/rss\"/>\n"));
    }
    huge.push_str("</body></opml>\n");
    let file = dir.path().join("huge.opml");
    std::fs::write(&file, huge).unwrap();
    let (code, _, err) = tidings(dir.path(), &["import", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.ends_with("huge.opml: not a readable OPML file: line 10003, column 1: more than 10000 outlines\n"),
        "{err}"
    );
}

#[test]
fn importing_ten_thousand_feeds_works_and_the_config_still_loads() {
    let dir = dir_with_config();
    let mut opml = String::from("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n");
    for i in 0..10_000 {
        opml.push_str(&format!(
            "<outline text=\"Feed \u{202e}{i}\u{85}\" category=\"c{}\u{200b}\" xmlUrl=\"https://f{i}.example/rss\"/>\n",
            i % 7
        ));
    }
    opml.push_str("</body></opml>\n");
    let file = dir.path().join("many.opml");
    std::fs::write(&file, opml).unwrap();
    let (code, out, err) = tidings(dir.path(), &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported 10000 feeds"), "{out}");
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(config.contains("title = \"Feed 9999\"\ntags = [\"c3\"]\n"), "titles and tags arrive clean");
    assert!(!config.contains(['\u{202e}', '\u{85}', '\u{200b}']), "no bidi, C1 or invisible characters");
    let (code, out, err) = tidings(dir.path(), &["feeds", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&out).unwrap().len(), 10_000);
}

#[test]
fn a_huge_retry_after_waits_a_week_at_most() {
    let server = TestServer::start(|_, stream| {
        respond(stream, 429, &[("Retry-After", "9223372036854775807")], b"slow down");
    });
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);
    let (code, out, _) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("429 rate limited, retry at "), "{out}");
    assert!(!out.contains("9223372036854775807"), "{out}");
    let (_, out, _) = tidings(dir.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    let retry = stats["feeds"][0]["retry_at"].as_str().expect("a retry time");
    let at = chrono::DateTime::parse_from_rfc3339(retry).unwrap().timestamp();
    let now = chrono::Utc::now().timestamp();
    assert!(at > now + 6 * 86_400 && at <= now + 7 * 86_400 + 60, "{retry}");
}
