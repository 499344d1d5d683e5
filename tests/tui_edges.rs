//! The reader in a real terminal (tmux): the raw bytes it writes with
//! hostile text on screen, rows that stay aligned with joiners in titles,
//! Ctrl-l, the browser setting, the demo's offline full text, and a terminal
//! that goes away.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use common::injection::{controls, dirt, json_feed, page};
use common::tmux::{self, Tmux};
use common::{TestServer, respond, rss};

fn evil_site() -> TestServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let server = TestServer::start(move |req, stream| {
        let base = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/feed.json" => respond(stream, 200, &[], json_feed(&base).as_bytes()),
            "/page" | "/page2" => respond(stream, 200, &[("Content-Type", "text/html")], page().as_bytes()),
            _ => respond(stream, 404, &[], b""),
        }
    });
    let _ = base.set(format!("http://{}", server.addr));
    server
}

fn start(name: &str, dir: &Path, config: &str, width: u16, env: &[(&str, &Path)]) -> Tmux {
    let path = dir.join("config.toml");
    std::fs::write(&path, config).unwrap();
    let data = dir.join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    Tmux::start(name, width, 30, &[bin, "--config", path.to_str().unwrap(), "--data-dir", data.to_str().unwrap()], env)
}

/// The text of a raw terminal byte stream once the program's own control
/// sequences (CSI: cursor moves, colours, modes; ESC 7/8, =, >, charset
/// selection) are taken out; any other escape (OSC, DCS, APC, PM, SOS) is an
/// error, as is any 8-bit C1 control.
fn screen_text(raw: &[u8]) -> Result<String, String> {
    let s = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => {
                    // Parameters and intermediates, then the final byte.
                    for c in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            break;
                        }
                    }
                }
                Some('7' | '8' | '=' | '>' | 'M' | 'c') => {}
                Some('(' | ')') => {
                    chars.next();
                }
                other => return Err(format!("foreign escape ESC {other:?} after {:?}", tail(&out))),
            },
            c if ('\u{80}'..='\u{9f}').contains(&c) => return Err(format!("C1 control U+{:04X}", c as u32)),
            '\r' | '\u{7}' | '\u{8}' => out.push('\n'),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn tail(s: &str) -> String {
    s.chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect()
}

#[test]
fn hostile_text_never_reaches_the_terminal_bytes() {
    if !tmux::available() {
        return;
    }
    let server = evil_site();
    let dir = tempfile::tempdir().unwrap();
    let config = format!("[[feed]]\nurl = \"{}\"\ntags = [\"evil\"]\n", server.url("/feed.json"));
    let t = start("raw-bytes", dir.path(), &config, 160, &[]);
    t.wait_text("family");
    let raw = dir.path().join("raw.bin");
    t.record(&raw);
    // A full redraw, the first item's full text, the second item, the help.
    t.send(&["C-l"]);
    t.send(&["f"]);
    t.wait_text("A paragraph long enough");
    for keys in [&["j"][..], &["Enter"], &["?"], &["Escape"]] {
        t.send(keys);
        std::thread::sleep(Duration::from_millis(300));
    }
    t.send(&["q"]);
    t.wait_exit();
    let bytes = std::fs::read(&raw).unwrap();
    assert!(bytes.len() > 2000, "recorded {} bytes", bytes.len());
    let text = screen_text(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("family"), "the titles were drawn");
    assert_eq!(dirt(&text), None, "{}", tail(&text));
}

/// feedparser's sanitising cases (when the shared corpus is present) in the
/// reader: the list and a run of articles, as raw bytes.
#[test]
fn the_sanitising_corpus_never_reaches_the_terminal_bytes() {
    if !tmux::available() {
        return;
    }
    let Some(corpus) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus/edge/feedparser/wellformed/sanitize"))
        .find(|p| p.is_dir())
    else {
        eprintln!("skipped: no corpus at ../shared/corpus");
        return;
    };
    let mut config = String::from("[poller]\nconcurrency = 16\nper_host = 16\n\n");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    for path in &files {
        let url = url::Url::from_file_path(path.canonicalize().unwrap()).unwrap();
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\n\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let t = start("corpus-bytes", dir.path(), &config, 160, &[]);
    t.wait_for("the corpus to load", Duration::from_secs(30), |s| s.contains("fetched ") || s.contains("All "));
    std::thread::sleep(Duration::from_secs(2));
    let raw = dir.path().join("raw.bin");
    t.record(&raw);
    t.send(&["C-l"]);
    for _ in 0..8 {
        t.send(&["-N", "12", "j"]);
        std::thread::sleep(Duration::from_millis(250));
    }
    t.send(&["q"]);
    t.wait_exit();
    let bytes = std::fs::read(&raw).unwrap();
    assert!(bytes.len() > 5000, "recorded {} bytes", bytes.len());
    let text = screen_text(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(controls(&text), None, "{}", tail(&text));
}

#[test]
fn rows_with_joiners_stay_aligned_and_ctrl_l_redraws() {
    if !tmux::available() {
        return;
    }
    let titles = [
        "x\u{200d}日 joined to a CJK character",
        "👩\u{200d}👩\u{200d}👧 family emoji sequence",
        "soft\u{ad}hyphen and filler \u{3164}\u{115f} here",
        "🏳\u{fe0f}\u{200d}🌈 flag and 👍🏽 thumbs",
        "plain title for comparison",
    ];
    let items: Vec<(String, String, String, String)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("z{i}"), t.to_string(), format!("Tue, 18 Jun 2024 2{i}:00:00 GMT"), "<p>x</p>".into()))
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> =
        items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
    let feed = rss("Joiners", &refs);
    let server = TestServer::serve(vec![("/f.xml", "application/rss+xml", feed.into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    let t = start("zwj", dir.path(), &format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml")), 140, &[]);
    let screen = t.wait_text("plain title");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("Joiners")).collect();
    assert_eq!(rows.len(), titles.len(), "{screen}");
    // Where the list's right border is, in cells: the same on every row.
    use unicode_width::UnicodeWidthStr;
    let border_at = |row: &str| {
        let second = row.match_indices('│').nth(3).map(|(i, _)| i).unwrap_or(0);
        row[..second].width()
    };
    let first = border_at(rows[0]);
    for row in &rows {
        assert_eq!(border_at(row), first, "misaligned row:\n{row}\n{screen}");
    }
    // Garbage written behind the program's back goes with Ctrl-l.
    std::fs::write(t.pane_tty(), "GARBAGE-GARBAGE").unwrap();
    t.wait_text("GARBAGE-GARBAGE");
    t.send(&["C-l"]);
    t.wait_for("a clean screen", Duration::from_secs(5), |s| !s.contains("GARBAGE") && s.contains("plain title"));
    t.send(&["q"]);
    t.wait_exit();
}

/// A browser stand-in: writes the URL it was given to `out`.
fn fake_browser(dir: &Path, out: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", out.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn wait_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(path).map(|s| s.trim().to_string())
            && !s.is_empty()
        {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{} never written", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn o_uses_the_browser_setting_then_browser_env_and_says_why_it_failed() {
    if !tmux::available() {
        return;
    }
    let feed = common::three_item_feed();
    let server = TestServer::serve(vec![("/f.xml", "application/rss+xml", feed.into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    let feed_cfg = format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml"));
    // [ui] browser, a template with {url}.
    let out = dir.path().join("opened-1");
    let script = fake_browser(dir.path(), &out);
    let cfg = format!("[ui]\nbrowser = \"'{}' {{url}}\"\n\n{feed_cfg}", script.display());
    let t = start("browser-cfg", dir.path(), &cfg, 140, &[]);
    t.wait_text("Loopback");
    t.send(&["o"]);
    assert_eq!(wait_file(&out), "https://loopback.example/item-1");
    t.send(&["q"]);
    t.wait_exit();
    drop(t);
    // $BROWSER: a colon-separated list, the first that starts wins.
    let out = dir.path().join("opened-2");
    let script = fake_browser(dir.path(), &out);
    let env = format!("tidings-no-such-browser:{} %s", script.display());
    let t = start("browser-env", dir.path(), &feed_cfg, 140, &[("BROWSER", Path::new(&env))]);
    t.wait_text("Loopback");
    t.send(&["o"]);
    assert_eq!(wait_file(&out), "https://loopback.example/item-1");
    t.send(&["q"]);
    t.wait_exit();
    drop(t);
    // A browser that fails: one line, in words.
    let t = start("browser-fails", dir.path(), &format!("[ui]\nbrowser = \"false\"\n\n{feed_cfg}"), 140, &[]);
    t.wait_text("Loopback");
    t.send(&["o"]);
    let screen = t.wait_text("cannot open the link: false failed (exit status 1)");
    assert!(!screen.contains("ExitStatus") && !screen.contains("Launcher"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
}

#[test]
fn the_demo_shows_full_text_without_the_network() {
    if !tmux::available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    // Every request would go to a port where nothing listens: the demo must not make one.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let proxy = format!("http://{closed}");
    let proxy = Path::new(&proxy);
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "demo-offline",
        160,
        40,
        &[bin, "--demo"],
        &[("HOME", home.path()), ("HTTP_PROXY", proxy), ("HTTPS_PROXY", proxy), ("https_proxy", proxy)],
    );
    t.wait_text("Harbour Gazette");
    t.send(&["f"]);
    let screen = t.wait_text("full text · f: feed text");
    assert!(!screen.contains("full text failed"), "{screen}");
    // The extracted page's own last paragraph, at the article's end.
    t.send(&["Tab"]);
    t.send(&["G"]);
    t.wait_text("This page is part of the tidings demo");
    t.send(&["q"]);
    t.wait_exit();
}

#[test]
fn a_terminal_that_goes_away_is_a_normal_exit() {
    if !tmux::available() {
        return;
    }
    let feed = common::three_item_feed();
    let server = TestServer::serve(vec![("/f.xml", "application/rss+xml", feed.into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    let t = start("gone", dir.path(), &format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml")), 120, &[]);
    t.wait_text("Loopback");
    let pid = t.pane_pid();
    t.kill_server();
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(start.elapsed() < Duration::from_secs(10), "tidings did not exit when its terminal went away");
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = std::fs::read_to_string(dir.path().join("data/tidings.log")).unwrap_or_default();
    assert!(!log.contains("panic"), "{log}");
    // The database is whole and holds what was fetched.
    let db = rusqlite::Connection::open(dir.path().join("data/tidings.db")).unwrap();
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    drop(db);
    assert!(
        log.contains("the terminal went away") || log.contains("terminal input ended") || log.contains("not restored"),
        "{log}"
    );
    let store = tidings::store::Store::open(&dir.path().join("data/tidings.db")).unwrap();
    assert_eq!(store.list_rows(&tidings::model::View::All, None).unwrap().len(), 3);
}
