//! Sync against a real Fever server (Coldsweat) on loopback, inside a
//! network namespace with only loopback: see tests/sync/harness.rs.

#[path = "common/bin.rs"]
mod bin;
mod common;
#[path = "sync/harness.rs"]
mod harness;

use std::collections::HashMap;
use std::time::Duration;

use bin::tidings;
use common::tmux::{self, Tmux};
use harness::{Coldsweat, Feeds, PASSWORD, local_items, write_sync_config};

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

/// Server ids of the local items with these titles.
fn server_ids(by_title: &HashMap<String, i64>, titles: &[&String]) -> Vec<i64> {
    sorted(titles.iter().map(|t| by_title[t.as_str()]).collect())
}

#[test]
fn coldsweat_two_way() {
    if !harness::isolated("coldsweat_two_way") {
        return;
    }
    let feeds = Feeds::start(30);
    let server = Coldsweat::start(&feeds.opml);
    let dir = tempfile::tempdir().unwrap();
    write_sync_config(dir.path(), &server.url(), PASSWORD, "5m");
    // A feed of the config: with [sync] it is not polled.
    let cfg = dir.path().join("config.toml");
    let local = format!("[[feed]]\nurl = \"{}\"\n", feeds.server.url("/local.xml"));
    std::fs::write(&cfg, std::fs::read_to_string(&cfg).unwrap() + &local).unwrap();

    // First sync: 2 feeds, 60 items.
    let (code, out, err) = tidings(dir.path(), &["sync"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("feeds: 2 feeds (2 new)") && out.contains("items: 60 new items"), "{out}");
    let items = local_items(dir.path());
    assert_eq!(items.len(), 60);
    assert!(items.iter().all(|i| !i.2), "all unread, as on the server");
    let (_, feeds_out, _) = tidings(dir.path(), &["feeds", "list"]);
    assert!(feeds_out.contains("Alpha") && feeds_out.contains("Beta") && feeds_out.contains("#News"), "{feeds_out}");
    let by_title = server.ids_by_title();

    // 5 read and 2 saved here reach the server.
    let read: Vec<&String> = items[..5].iter().map(|i| &i.1).collect();
    let ids: Vec<&str> = items[..5].iter().map(|i| i.0.as_str()).collect();
    let (code, out, err) = tidings(dir.path(), &[&["read"][..], &ids].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("marked 5 items read; 5 changes wait for the next sync"), "{out}");
    for item in &items[10..12] {
        assert_eq!(tidings(dir.path(), &["save", &item.0]).0, 0);
    }
    let (code, out, err) = tidings(dir.path(), &["sync"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("push: 7 changes sent"), "{out}");
    let unread = server.unread_ids();
    assert_eq!(unread.len(), 55);
    assert!(server_ids(&by_title, &read).iter().all(|id| !unread.contains(id)));
    let saved: Vec<&String> = items[10..12].iter().map(|i| &i.1).collect();
    assert_eq!(sorted(server.saved_ids()), server_ids(&by_title, &saved));

    // 3 read through the server's API show up here after the next sync.
    let elsewhere: Vec<&String> = items[20..23].iter().map(|i| &i.1).collect();
    for id in server_ids(&by_title, &elsewhere) {
        server.mark(id, "read");
    }
    // Unsaved on the server: the reading list keeps its copy.
    server.mark(by_title[items[10].1.as_str()], "unsaved");
    let (code, out, err) = tidings(dir.path(), &["sync", "--json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["state"]["read"], 3, "{doc}");
    assert_eq!(doc["outbox"], 0);
    let now = local_items(dir.path());
    for t in &elsewhere {
        assert!(now.iter().any(|i| &&i.1 == t && i.2), "{t} read here now");
    }
    assert_eq!(now.iter().filter(|i| i.2).count(), 8);
    let (_, list, _) = tidings(dir.path(), &["export", "reading-list", "--format", "json"]);
    let entries: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(entries.as_array().map(Vec::len), Some(2), "{}", list);

    // stats tells the last sync and the outbox.
    let (_, stats, _) = tidings(dir.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!((stats["sync"]["healthy"].as_bool(), stats["sync"]["outbox"].as_u64()), (Some(true), Some(0)));

    // With [sync], fetch syncs (the config's feeds, if any, are not polled).
    let (code, out, err) = tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("push: 0 changes sent") && out.contains("synced: nothing new"), "{out}");
    assert!(feeds.server.requests().iter().all(|r| r.path != "/local.xml"), "the config's feed was polled");
}

/// Starts the reader on `dir`'s config in tmux, the terminal's output recorded
/// (to `dir/screen.bytes`) from its first frame.
fn reader(dir: &std::path::Path, name: &str) -> Tmux {
    let script = "sleep 0.3 && exec \"$0\" --config \"$1\" --data-dir \"$2\"";
    let (cfg, data) = (dir.join("config.toml"), dir.join("data"));
    let args = ["sh", "-c", script, env!("CARGO_BIN_EXE_tidings"), cfg.to_str().unwrap(), data.to_str().unwrap()];
    let t = Tmux::start(name, 150, 30, &args, &[("TZ", std::path::Path::new("UTC"))]);
    t.record(&dir.join("screen.bytes"));
    t
}

/// The title at the top of the article pane.
fn article_title(screen: &str) -> String {
    let line = screen.lines().nth(1).unwrap_or("");
    line.rsplit("││").next().unwrap_or("").trim_end_matches('│').trim().to_string()
}

/// Waits until the server's unread ids do (or do not) hold `id`.
fn wait_server(server: &Coldsweat, id: i64, unread: bool) {
    let start = std::time::Instant::now();
    while server.unread_ids().contains(&id) != unread {
        assert!(start.elapsed() < Duration::from_secs(15), "the server never saw item {id} as unread = {unread}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn coldsweat_tui() {
    if !tmux::available() || !harness::isolated("coldsweat_tui") {
        return;
    }
    let feeds = Feeds::start(30);
    let mut server = Coldsweat::start(&feeds.opml);
    let by_title = server.ids_by_title();
    let dir = tempfile::tempdir().unwrap();
    write_sync_config(dir.path(), &server.url(), PASSWORD, "2s");
    let t = reader(dir.path(), "tui");

    // The server's items, and the sync's progress then result on the status line.
    let screen = t.wait_for("the server's items", Duration::from_secs(15), |s| {
        s.contains("Beta 29") && s.contains("synced: 60 new items")
    });
    assert_eq!(article_title(&screen), "Beta 30", "{screen}");
    let drawn = String::from_utf8_lossy(&std::fs::read(dir.path().join("screen.bytes")).unwrap()).into_owned();
    assert!(drawn.contains("syncing"), "no progress was drawn");

    // r here reaches the server; u undoes it, and the server sees it unread again.
    let id = by_title["Beta 30"];
    t.send(&["r"]);
    t.wait_text("59 unread");
    t.send(&["R"]);
    wait_server(&server, id, false);
    t.send(&["u"]);
    t.wait_text("60 unread");
    t.send(&["R"]);
    wait_server(&server, id, true);

    // Read elsewhere: here within one interval, the selection where it was.
    for title in ["Alpha 01", "Alpha 02", "Alpha 03"] {
        server.mark(by_title[title], "read");
    }
    let screen = t.wait_for("the server's reads", Duration::from_secs(10), |s| s.contains("57 unread"));
    assert_eq!(article_title(&screen), "Beta 30", "{screen}");

    // The server goes away: the status line says so, and j/k stay instant.
    server.stop();
    t.wait_for("the failure", Duration::from_secs(10), |s| s.contains("sync failing: connection refused"));
    for (key, title) in [("j", "Beta 29"), ("j", "Beta 28"), ("k", "Beta 29")] {
        let start = std::time::Instant::now();
        t.send(&[key]);
        t.wait_for(title, Duration::from_secs(5), |s| article_title(s) == title);
        assert!(start.elapsed() < Duration::from_secs(1), "{key} took {:?}", start.elapsed());
    }
    t.send(&["q"]);
    t.wait_exit();
}

/// The id of the running tidings whose data dir is `data`.
fn tidings_pid(data: &std::path::Path) -> u32 {
    let want = data.to_str().unwrap();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<String> = cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        if args.first().is_some_and(|a| a.ends_with("/tidings")) && args.iter().any(|a| a == want) {
            return pid;
        }
    }
    panic!("no tidings running on {want}");
}

#[test]
fn coldsweat_offline_kill9_and_a_wrong_password() {
    if !tmux::available() || !harness::isolated("coldsweat_offline_kill9_and_a_wrong_password") {
        return;
    }
    let feeds = Feeds::start(30);
    let mut server = Coldsweat::start(&feeds.opml);
    let by_title = server.ids_by_title();
    let dir = tempfile::tempdir().unwrap();
    write_sync_config(dir.path(), &server.url(), PASSWORD, "2s");
    assert_eq!(tidings(dir.path(), &["sync"]).0, 0);
    let items = local_items(dir.path());

    // Offline: 10 changes in the reader, then kill -9.
    server.stop();
    let t = reader(dir.path(), "offline");
    t.wait_for("the failure", Duration::from_secs(10), |s| s.contains("sync failing") && s.contains("Beta 30"));
    for _ in 0..10 {
        t.send(&["r", "j"]);
    }
    t.wait_text("50 unread");
    let pid = tidings_pid(&dir.path().join("data"));
    assert!(std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    t.wait_exit();
    let (_, stats, _) = tidings(dir.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["sync"]["outbox"], 10, "{stats}");
    assert!(stats["sync"]["error"].as_str().unwrap_or("").contains("connection refused"), "{stats}");

    // The server is back: the next sync delivers all 10 and empties the outbox.
    server.run();
    let (code, out, err) = tidings(dir.path(), &["sync"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("push: 10 changes sent") && out.contains("outbox empty"), "{out}");
    let read: Vec<&String> = items[..10].iter().map(|i| &i.1).collect();
    assert_eq!(read.first().map(|s| s.as_str()), Some("Beta 30"));
    let unread = server.unread_ids();
    assert_eq!(unread.len(), 50);
    assert!(server_ids(&by_title, &read).iter().all(|id| !unread.contains(id)));
    let (_, stats, _) = tidings(dir.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!((stats["sync"]["outbox"].as_u64(), stats["sync"]["healthy"].as_bool()), (Some(0), Some(true)));

    // A wrong password: one line that says so, exit 1.
    write_sync_config(dir.path(), &server.url(), "not the password", "2s");
    let (code, out, err) = tidings(dir.path(), &["sync"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refused the user or password"), "{err}");
}

/// How a stub server answers.
type Answer = dyn Fn(&mut std::net::TcpStream) + Send + Sync;

/// A Fever endpoint on loopback that answers every request the same way.
fn fever_stub(
    handler: impl Fn(&mut std::net::TcpStream) + Send + Sync + 'static,
) -> (common::TestServer, tempfile::TempDir) {
    let server = common::TestServer::start(move |_, stream| handler(stream));
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[poller]\ntimeout = \"1s\"\n\n[sync]\nkind = \"fever\"\nurl = \"{}\"\nuser = \"me\"\npassword_command = \"echo pw\"\n",
        server.url("/fever/")
    );
    std::fs::write(dir.path().join("config.toml"), text).unwrap();
    (server, dir)
}

#[test]
fn a_server_that_refuses_is_slow_or_sends_garbage_fails_in_words() {
    let cases: Vec<(&str, Box<Answer>)> = vec![
        ("the server refused the user or password (HTTP 401)", Box::new(|s| common::respond(s, 401, &[], b"no"))),
        (
            "the server's answer is not the Fever API: an HTML page",
            Box::new(|s| {
                common::respond(s, 200, &[("Content-Type", "text/html")], b"<!DOCTYPE html><html>login</html>")
            }),
        ),
        (
            "the server's answer is not the Fever API: no `auth` field",
            Box::new(|s| common::respond(s, 200, &[], b"{}")),
        ),
        ("timed out", Box::new(|s| common::drip(s, Duration::from_millis(300), 20))),
        ("HTTP 500 Internal Server Error", Box::new(|s| common::respond(s, 500, &[], b""))),
    ];
    for (want, handler) in cases {
        let (_server, dir) = fever_stub(handler);
        let start = std::time::Instant::now();
        let (code, out, err) = tidings(dir.path(), &["sync"]);
        assert!(start.elapsed() < Duration::from_secs(5), "bounded by the timeout: {:?}", start.elapsed());
        assert_eq!((code, out.as_str()), (1, ""), "{err}");
        assert_eq!(err.trim(), format!("tidings: sync failed at login: {want}"));
        // stats tells the reason; the local store still reads.
        let (_, stats, _) = tidings(dir.path(), &["stats"]);
        assert!(stats.contains(&format!("failing: login: {want}")), "{stats}");
        assert_eq!(tidings(dir.path(), &["list"]).0, 0);
    }
}
