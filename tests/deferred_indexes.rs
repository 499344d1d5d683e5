//! — #10 bulk — `tidings fetch` loading many items builds some indexes of
//! `items` at its end instead of item by item. While it loads, other
//! processes open the database without building them (a live load holds a
//! lock on `tidings.db.indexing`); after a `kill -9` mid-load, the next
//! open of any tidings process builds them, and nothing stored is lost.
//!
//! The load is held open by the network: the first feed is served at once
//! (the fetch defers the indexes after it, `TIDINGS_DEFER_INDEXES_AFTER`
//! items in), the second only when the test lets it go.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::TestServer;

/// The indexes a load defers (`store::deferred::DEFERRED_INDEXES`).
const DEFERRED: [&str; 3] = ["items_title_order", "items_filter", "items_unread"];

fn feed(name: &str, n: usize) -> String {
    let mut x = format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>");
    for i in 0..n {
        x.push_str(&format!(
            "<item><title>Story {} of {name}</title><guid>{name}-{i}</guid>\
             <pubDate>Tue, {:02} Dec 2026 00:00:00 GMT</pubDate>\
             <description>Words about harbours {i}.</description></item>",
            (i * 37) % 101,
            1 + i % 28
        ));
    }
    x + "</channel></rss>"
}

struct Setup {
    dir: tempfile::TempDir,
    server: TestServer,
    /// The gated feed is answered once this is set.
    gate: Arc<AtomicBool>,
}

impl Setup {
    fn new() -> Setup {
        let gate = Arc::new(AtomicBool::new(false));
        let open = gate.clone();
        let server = TestServer::start(move |req, stream| {
            let body = match req.path.as_str() {
                "/first.xml" => feed("first", 400),
                "/other.xml" => feed("other", 300),
                "/gated.xml" => {
                    while !open.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    feed("gated", 200)
                }
                _ => return common::respond(stream, 404, &[], b"not found"),
            };
            common::respond(stream, 200, &[("Content-Type", "application/rss+xml")], body.as_bytes());
        });
        let dir = tempfile::tempdir().unwrap();
        let s = Setup { dir, server, gate };
        s.config("load.toml", &["/first.xml", "/gated.xml"]);
        s.config("other.toml", &["/other.xml"]);
        s.config("config.toml", &["/first.xml", "/gated.xml", "/other.xml"]);
        s
    }

    fn config(&self, name: &str, paths: &[&str]) {
        let mut text = String::from("[poller]\ntimeout = \"60s\"\nconcurrency = 2\n\n");
        for p in paths {
            text.push_str(&format!("[[feed]]\nurl = \"{}\"\n\n", self.server.url(p)));
        }
        std::fs::write(self.dir.path().join(name), text).unwrap();
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data/tidings.db")
    }

    fn command(&self, config: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tidings"));
        c.arg("--config")
            .arg(self.dir.path().join(config))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove("TIDINGS_CONFIG")
            .env_remove("TIDINGS_DATA_DIR")
            .env("TIDINGS_DEFER_INDEXES_AFTER", "100")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    /// Runs a tidings command to its end; its exit code.
    fn run(&self, config: &str, args: &[&str]) -> i32 {
        self.command(config, args).status().unwrap().code().unwrap_or(-1)
    }

    /// Starts the load (`fetch` of the first and the gated feed) and waits
    /// until it has dropped the indexes.
    fn start_load(&self) -> Child {
        let child = self.command("load.toml", &["fetch"]).spawn().unwrap();
        let start = Instant::now();
        while missing(&self.db()).len() < DEFERRED.len() {
            assert!(start.elapsed() < Duration::from_secs(60), "the load never deferred the indexes");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }
}

/// The deferred indexes missing from the database now (none while there
/// is no database or no `items` table yet).
fn missing(db: &Path) -> Vec<&'static str> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else { return Vec::new() };
    let exists = |kind: &str, name: &str| {
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = ?1 AND name = ?2", [kind, name], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|n| n == 1)
    };
    if !exists("table", "items") {
        return Vec::new();
    }
    DEFERRED.into_iter().filter(|n| !exists("index", n)).collect()
}

fn items(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0)).unwrap()
}

fn integrity(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn a_load_builds_the_indexes_at_its_end_and_others_leave_them_to_it() {
    let s = Setup::new();
    let mut load = s.start_load();
    // A reader opens meanwhile: it reads, and builds nothing.
    assert_eq!(s.run("load.toml", &["stats"]), 0);
    assert_eq!(missing(&s.db()), DEFERRED, "an open during the load built nothing");
    // A second fetch stores its items without the indexes, and neither
    // drops nor builds them.
    assert_eq!(s.run("other.toml", &["fetch"]), 0);
    assert_eq!(missing(&s.db()), DEFERRED, "a second fetch during the load built nothing");
    assert!(load.try_wait().unwrap().is_none(), "the load is still running");
    s.gate.store(true, Ordering::SeqCst);
    assert!(load.wait().unwrap().success());
    assert!(missing(&s.db()).is_empty(), "the load built them at its end");
    assert_eq!(items(&s.db()), 400 + 300 + 200);
    integrity(&s.db());
    let log = std::fs::read_to_string(s.dir.path().join("data/tidings.log")).unwrap();
    assert!(log.contains("built the deferred indexes"), "{log}");
}

#[test]
fn after_a_load_is_killed_the_next_open_builds_the_indexes() {
    let s = Setup::new();
    let mut load = s.start_load();
    let stored = items(&s.db());
    assert!(stored >= 100, "the load stored its first feed ({stored})");
    load.kill().unwrap(); // SIGKILL
    load.wait().unwrap();
    assert_eq!(missing(&s.db()), DEFERRED, "nothing built them");
    s.gate.store(true, Ordering::SeqCst);
    // Any tidings process that opens the database builds them.
    assert_eq!(s.run("other.toml", &["stats"]), 0);
    assert!(missing(&s.db()).is_empty(), "built at the next open");
    assert_eq!(items(&s.db()), stored, "nothing stored is lost");
    integrity(&s.db());
    // And a fetch after that works as ever.
    assert_eq!(s.run("config.toml", &["fetch"]), 0);
    assert_eq!(items(&s.db()), 400 + 300 + 200);
    assert!(missing(&s.db()).is_empty());
}
