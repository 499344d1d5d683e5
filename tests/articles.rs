//! Reading articles end to end: `show` and `show --full` against a loopback
//! site whose pages carry heavy chrome, hostile text on every output, the
//! feedparser sanitising corpus, and the TUI's `f` and `1` keys.

mod common;

#[path = "common/bin.rs"]
mod bin;
use bin::tidings;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use common::tmux::{self, Tmux};
use common::{TestServer, respond};

const QUAY: &[u8] = include_bytes!("fixtures/pages/harbour-quay.html");
const BUDGET: &[u8] = include_bytes!("fixtures/pages/ledger-budget.html");

/// A summary-only RSS feed: (guid, title, link path, summary).
fn summary_feed(base: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Harbour Gazette</title>\
         <link>https://gazette.example/</link><description>summaries only</description>\n",
    );
    for (i, (guid, title, path, summary)) in items.iter().enumerate() {
        out.push_str(&format!(
            "<item><title>{title}</title><guid>{guid}</guid><link>{base}{path}</link>\
             <pubDate>Tue, 18 Jun 2024 2{i}:00:00 GMT</pubDate><description>{summary}</description></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// A site on loopback: the feed at /feed.xml, article pages, a missing page.
fn site() -> TestServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let server = TestServer::start(move |req, stream| {
        let base = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/feed.xml" => {
                let feed = summary_feed(
                    &base,
                    &[
                        ("quay", "Eastern Quay Reopens", "/news/2024/06/quay.html", "The quay reopened."),
                        ("budget", "Council Budget Leaves Libraries Short", "/economy/budget", "Libraries lose out."),
                        ("gone", "A Story That Went Away", "/missing", "Gone."),
                    ],
                );
                respond(stream, 200, &[("Content-Type", "application/rss+xml")], feed.as_bytes())
            }
            "/news/2024/06/quay.html" => respond(stream, 200, &[("Content-Type", "text/html")], QUAY),
            "/economy/budget" => respond(stream, 200, &[("Content-Type", "text/html")], BUDGET),
            _ => respond(stream, 404, &[], b"not found"),
        }
    });
    let _ = base.set(format!("http://{}", server.addr));
    server
}

fn config(dir: &Path, feed_url: &str, full_text: bool) -> PathBuf {
    let text = format!(
        "[poller]\ntimeout = \"5s\"\n\n[[feed]]\nurl = \"{feed_url}\"\ntags = [\"harbour\"]\nfull_text = {full_text}\n"
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Item ids by title, from `list --json`.
fn ids(dir: &Path) -> Vec<(String, String)> {
    let (code, out, err) = tidings(dir, &["list", "--json"]);
    assert_eq!(code, 0, "{err}");
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    items.iter().map(|i| (i["title"].as_str().unwrap().to_string(), i["id"].as_str().unwrap().to_string())).collect()
}

fn id_of(ids: &[(String, String)], title: &str) -> String {
    ids.iter().find(|(t, _)| t.starts_with(title)).map(|(_, id)| id.clone()).expect(title)
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn show_full_prints_the_whole_article_without_the_chrome() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &server.url("/feed.xml"), false);
    assert_eq!(tidings(dir.path(), &["fetch"]).0, 0);
    let ids = ids(dir.path());
    let quay = id_of(&ids, "Eastern Quay");

    // Without --full: the feed's one-line summary.
    let (code, out, _) = tidings(dir.path(), &["show", &quay]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Eastern Quay Reopens\nHarbour Gazette · "), "{out}");
    assert!(out.contains(&server.url("/news/2024/06/quay.html")), "{out}");
    assert!(out.contains("The quay reopened."), "{out}");

    let (code, out, err) = tidings(dir.path(), &["show", &quay, "--full"]);
    assert_eq!(code, 0, "{err}");
    let text = flat(&out);
    for body in [
        "eleven days after the winter storm",
        "first ferry from the northern islands",
        "vessels longer than ninety metres",
        "height of the herring season",
        "nobody was hurt",
        "raise the sea wall by half a metre",
        "engineers' report in full",
        "fish market roof",
    ] {
        assert!(text.contains(body), "missing {body:?}:\n{out}");
    }
    let chrome = [
        "We use cookies",
        "Subscribe from 1 crown",
        "Breaking: Ferry timetable",
        "Winter tyres",
        "Share on social",
        "Storm damage bill",
        "Morning Tide newsletter",
        "Lighthouse keeper",
        "SeaDog77",
        "All rights reserved",
    ];
    let leaked: Vec<_> = chrome.iter().filter(|c| text.contains(*c)).collect();
    assert!(leaked.len() <= 1, "chrome leaked {leaked:?}:\n{out}");
    // Relative links come out absolute, against the item's URL.
    assert!(out.contains(&format!("] {}", server.url("/documents/port-authority-notice-114.pdf"))), "{out}");
    assert!(out.contains("port authority's notice[1]") || out.contains("notice["), "{out}");

    // Stored: a second run does not fetch the page again.
    let page_requests = || server.requests().iter().filter(|r| r.path == "/news/2024/06/quay.html").count();
    assert_eq!(page_requests(), 1);
    let (code, again, _) = tidings(dir.path(), &["show", &quay, "--full"]);
    assert_eq!((code, again), (0, out));
    assert_eq!(page_requests(), 1);

    // The second page is Windows-1252 and a different layout.
    let (code, out, _) = tidings(dir.path(), &["show", &id_of(&ids, "Council Budget"), "--full", "--width", "60"]);
    assert_eq!(code, 0);
    let text = flat(&out);
    assert!(text.contains("412 million crowns") && text.contains("second of July"), "{out}");
    assert!(text.contains("\u{201c}generously padded\u{201d}"), "{out}");
    assert!(!text.contains("Your privacy matters") && !text.contains("Bridge tolls"), "{out}");
    // The text fits; the link list keeps each URL whole, however long.
    assert!(out.lines().take_while(|l| *l != "Links").all(|l| unicode_width(l) <= 60), "{out}");
}

fn unicode_width(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn show_reports_missing_pages_and_unknown_ids() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &server.url("/feed.xml"), false);
    tidings(dir.path(), &["fetch"]);
    let gone = id_of(&ids(dir.path()), "A Story That Went Away");
    let (code, out, err) = tidings(dir.path(), &["show", &gone, "--full"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("no full text") && err.contains("HTTP 404"), "{err}");
    let (code, _, err) = tidings(dir.path(), &["show", "0123456789abcdef"]);
    assert_eq!(code, 2);
    assert!(err.contains("no item with id 0123456789abcdef"), "{err}");
}

/// Title, summary and page crafted to act on a terminal.
const EVIL_TITLE: &str =
    "Evil\u{1b}]0;owned\u{7} title \u{1b}]52;c;ZXZpbA==\u{7}\u{202e}txt.exe\u{2066}\u{200b}\u{8}\u{d}end";

fn evil_server() -> TestServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let server = TestServer::start(move |req, stream| {
        let base = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/evil.xml" => {
                let summary = "&lt;p&gt;body \u{1b}[2J\u{1b}]0;owned-body\u{7} &amp;#27;[31m \u{9b}31m &amp;#x202e;rev\
                               &lt;/p&gt;&lt;script&gt;alert('script text')&lt;/script&gt;&lt;style&gt;p{color:red}&lt;/style&gt;";
                let feed = summary_feed(&base, &[("evil", EVIL_TITLE, "/evil-page", summary)]);
                respond(stream, 200, &[("Content-Type", "application/rss+xml")], feed.as_bytes())
            }
            "/evil-page" => {
                let page = format!(
                    "<html><head><title>x</title><script>alert('page script')</script></head><body><article>\
                     <p>{}</p><p>{}</p></article></body></html>",
                    "A long paragraph about the harbour with an escape \u{1b}]0;owned-page\u{7} inside. ".repeat(4),
                    "Another paragraph, with &#27;[2J and bidi \u{202e} and zero\u{200b}width tricks. ".repeat(4)
                );
                respond(stream, 200, &[("Content-Type", "text/html")], page.as_bytes())
            }
            _ => respond(stream, 404, &[], b""),
        }
    });
    let _ = base.set(format!("http://{}", server.addr));
    server
}

fn assert_clean(what: &str, out: &str) {
    let bad = tidings::article::sanitize::first_unsafe(&out.replace('\t', " "));
    assert!(bad.is_none(), "{what}: {bad:?} in {out:?}");
    assert!(!out.contains("alert(") && !out.contains("color:red"), "{what}: script or style text in {out:?}");
}

#[test]
fn hostile_text_never_reaches_stdout() {
    let server = evil_server();
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &server.url("/evil.xml"), false);
    let (_, fetch, _) = tidings(dir.path(), &["fetch"]);
    assert_clean("fetch", &fetch);
    let (_, list, _) = tidings(dir.path(), &["list"]);
    assert_clean("list", &list);
    assert!(list.contains("Evil title txt.exe end"), "whole sequences go: {list}");
    let (_, json, _) = tidings(dir.path(), &["list", "--json"]);
    assert_clean("list --json", &json);
    let id = ids(dir.path())[0].1.clone();
    let (code, show, _) = tidings(dir.path(), &["show", &id]);
    assert_eq!(code, 0);
    assert_clean("show", &show);
    assert!(show.contains("body rev"), "{show}");
    assert!(!show.contains("owned") && !show.contains("[31m") && !show.contains("[2J"), "{show}");
    let (code, full, err) = tidings(dir.path(), &["show", &id, "--full"]);
    assert_eq!(code, 0, "{err}");
    assert_clean("show --full", &full);
    assert!(full.contains("escape inside"), "{full}");
    assert!(!full.contains("owned") && !full.contains("[2J"), "{full}");
}

#[test]
fn hostile_text_never_reaches_the_screen() {
    if !tmux::available() {
        return;
    }
    let server = evil_server();
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &server.url("/evil.xml"), false);
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "evil",
        120,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[],
    );
    let before = t.display("#{pane_title}");
    let screen = t.wait_text("body rev");
    assert_clean("screen", &screen);
    assert!(!screen.contains("owned"), "{screen}");
    assert!(screen.contains("txt.exe"), "{screen}");
    t.send(&["f"]);
    let screen = t.wait_text("escape inside");
    assert_clean("screen with full text", &screen);
    assert!(!screen.contains("owned"), "{screen}");
    assert_eq!(t.display("#{pane_title}"), before, "a feed must not set the terminal title");
    assert!(!t.display("#{pane_title}").contains("owned"));
    t.send(&["q"]);
    t.wait_exit();
}

/// feedparser's 745 hostile-HTML cases (when the shared corpus is present):
/// nothing rendered from them carries a control character or script text.
#[test]
fn the_feedparser_sanitising_cases_stay_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/edge/feedparser/wellformed/sanitize");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        let Ok(feed) = tidings::feed::parse::parse("https://corpus.example/feed", &bytes) else { continue };
        let mut shown: Vec<String> =
            feed.title.iter().map(|t| tidings::article::sanitize::line(t).into_owned()).collect();
        for item in &feed.items {
            shown.push(tidings::article::sanitize::line(&item.title).into_owned());
            for html in [&item.content, &item.summary].into_iter().flatten() {
                let body = tidings::article::render::render(html, item.link.as_deref(), 80);
                shown.extend(body.plain_lines());
            }
        }
        let text = shown.join("\n");
        assert!(!text.chars().any(tidings::article::sanitize::is_unsafe), "{name}: {text:?}");
        // Script bodies in these cases set location.href or call alert; "crazy" cases are deliberately broken HTML.
        if !name.contains("crazy") {
            assert!(!text.contains("location.href") && !text.contains("alert("), "{name}: script text shown: {text}");
        }
        checked += 1;
    }
    assert!(checked > 700, "only {checked} cases parsed");
}

/// A feed with full_text = true: the quay story (summary only) and a
/// 10,000-paragraph article carried in full.
fn full_text_site() -> TestServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let long: String = (1..=10_000).map(|i| format!("<p>Paragraph number {i} of the long read.</p>")).collect();
    let server = TestServer::start(move |req, stream| {
        let base = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/feed.xml" => {
                let feed = format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
                     <channel><title>Harbour Gazette</title><link>{base}/</link><description>d</description>\
                     <item><title>Eastern Quay Reopens</title><guid>quay</guid><link>{base}/news/2024/06/quay.html</link>\
                     <pubDate>Tue, 18 Jun 2024 21:00:00 GMT</pubDate><description>The quay reopened.</description></item>\
                     <item><title>The Long Read</title><guid>long</guid><link>{base}/long</link>\
                     <pubDate>Tue, 18 Jun 2024 20:00:00 GMT</pubDate><content:encoded><![CDATA[{long}]]></content:encoded></item>\
                     </channel></rss>"
                );
                respond(stream, 200, &[("Content-Type", "application/rss+xml")], feed.as_bytes())
            }
            "/news/2024/06/quay.html" => respond(stream, 200, &[("Content-Type", "text/html")], QUAY),
            _ => respond(stream, 404, &[], b"not found"),
        }
    });
    let _ = base.set(format!("http://{}", server.addr));
    server
}

#[test]
fn the_tui_shows_full_text_opens_numbered_links_and_scrolls_long_articles() {
    if !tmux::available() {
        return;
    }
    let server = full_text_site();
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &server.url("/feed.xml"), true);
    let data = dir.path().join("data");
    // A stand-in browser: xdg-open that writes down what it was asked to open.
    let bin_dir = dir.path().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let opened = dir.path().join("opened.txt");
    let opener = bin_dir.join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "full",
        140,
        40,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("PATH", Path::new(&path)), ("NO_COLOR", Path::new("1"))],
    );

    // The newest item opens on its full text, fetched in the background.
    let screen = t.wait_text("eleven days after");
    assert!(screen.contains("full text · f: feed text"), "{screen}");
    assert!(!screen.contains("We use cookies"), "{screen}");

    // 1 opens the article's first numbered link.
    let (_, full, _) = tidings(dir.path(), &["show", &ids(dir.path())[0].1, "--full"]);
    let link1 = full.lines().find_map(|l| l.strip_prefix("[1] ").map(String::from)).expect("a first link");
    t.send(&["1"]);
    let screen = t.wait_text("opening [1]");
    let start = std::time::Instant::now();
    while std::fs::read_to_string(&opened).unwrap_or_default().trim().is_empty() {
        assert!(start.elapsed().as_secs() < 10, "nothing opened:\n{screen}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&opened).unwrap().trim(), link1);
    assert!(link1.starts_with(&server.url("/")), "{link1}");

    // f goes back to the feed's summary and forth again.
    t.send(&["f"]);
    let screen = t.wait_text("The quay reopened.");
    assert!(!screen.contains("full text · f"), "{screen}");
    t.send(&["f"]);
    t.wait_text("eleven days after");

    // The long read: open it, jump to the end and back.
    t.send(&["j", "Enter"]);
    t.wait_text("Paragraph number 1 of the long read.");
    t.send(&["G"]);
    let screen = t.wait_text("Paragraph number 10000 of the long read.");
    assert!(!screen.contains("Paragraph number 1 of"), "{screen}");
    t.send(&["PageUp"]);
    t.wait_for("a page up", std::time::Duration::from_secs(10), |s| !s.contains("Paragraph number 10000 "));
    t.send(&["g"]);
    t.wait_text("Paragraph number 1 of the long read.");
    t.send(&["q"]);
    t.wait_exit();
}
