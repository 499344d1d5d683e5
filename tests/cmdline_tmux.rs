//! End to end in tmux (#13): the `:` command line's bulk change over a query
//! (with its y/n question, undo and redo, Tab completion and the history
//! after a restart), and a `[[mute]]` rule dismissing an item as it arrives.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, respond, rss, three_item_feed, write_config};

const WAIT: Duration = Duration::from_secs(15);

fn start(dir: &Path, name: &str) -> Tmux {
    let (config, data) = (dir.join("config.toml"), dir.join("data"));
    let bin = env!("CARGO_BIN_EXE_tidings");
    Tmux::start(
        name,
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    )
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn append_config(dir: &Path, extra: &str) -> PathBuf {
    let path = dir.join("config.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(extra);
    std::fs::write(&path, text).unwrap();
    path
}

fn quit(t: &Tmux) {
    t.send(&["q"]);
    t.wait_exit();
}

/// (title, read) of every item, from `tidings list --json`.
fn items(dir: &Path) -> Vec<(String, bool)> {
    let list: Vec<serde_json::Value> = serde_json::from_str(&run(dir, &["list", "--json"])).unwrap();
    list.iter().map(|i| (i["title"].as_str().unwrap().to_string(), i["read"] == true)).collect()
}

#[test]
fn read_over_a_feed_query_marks_exactly_its_items_and_u_brings_them_back() {
    if !tmux::available() {
        return;
    }
    let other = rss(
        "Other Wire",
        &[
            ("o-1", "Other one", "Tue, 18 Jun 2024 10:00:00 GMT", "<p>x</p>"),
            ("o-2", "Other two", "Mon, 17 Jun 2024 10:00:00 GMT", "<p>y</p>"),
        ],
    );
    let server = TestServer::serve(vec![
        ("/feed.xml", "application/rss+xml", three_item_feed().into_bytes()),
        ("/other.xml", "application/rss+xml", other.into_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml"), server.url("/other.xml")]);
    append_config(dir.path(), "\n[ui]\nconfirm_above = 1\n");
    let t = start(dir.path(), "bulk");
    t.wait_for("both feeds", WAIT, |s| s.contains("fetched 2 feeds") && s.contains("5 unread"));

    // Tab completes the feed's name from the store.
    t.send(&[":"]);
    t.wait_text("COMMAND");
    t.send(&["-l", "read feed:oth"]);
    t.send(&["Tab"]);
    t.wait_text(":read feed:\"Other Wire\"");
    t.send(&["Enter"]);
    // Over `confirm_above`: asked first, with the count.
    t.wait_text("mark 2 items read? y/n");
    t.send(&["y"]);
    t.wait_for("the change and the counts", WAIT, |s| {
        s.contains("mark 2 items read · u undoes") && s.contains("3 unread")
    });
    let after = items(dir.path());
    for (title, read) in &after {
        assert_eq!(*read, title.starts_with("Other"), "only the Other Wire items are read: {after:?}");
    }
    assert_eq!(after.len(), 5);

    t.send(&["u"]);
    t.wait_for("the undo", WAIT, |s| s.contains("undone: mark 2 items read") && s.contains("5 unread"));
    assert!(items(dir.path()).iter().all(|(_, read)| !read), "u brings all of them back");
    t.send(&["C-r"]);
    t.wait_for("the redo", WAIT, |s| s.contains("redone: mark 2 items read") && s.contains("3 unread"));

    // A query that does not parse keeps the line open with its error.
    t.send(&[":"]);
    t.send(&["-l", "dismiss (tag:x"]);
    t.send(&["Enter"]);
    t.wait_text("invalid query at column");
    t.send(&["Escape"]);
    t.wait_for("the line closed", WAIT, |s| !s.contains("COMMAND"));
    // `?` lists the command line with its key, and says what it takes.
    t.send(&["?"]);
    t.wait_text("[down]");
    t.send(&["G"]);
    // (Waited for at the bottom, where `G` goes: `[command_line]` may be
    // on the first page too, drawn before `G` is.)
    let screen = t.wait_for("the help's end", WAIT, |s| s.contains("[command_line]") && s.contains(":tag +t -t QUERY"));
    let line = screen.lines().find(|l| l.contains("[command_line]")).unwrap_or("");
    assert!(line.contains(" : ") && line.contains("command line"), "{screen}");
    assert!(screen.contains(":tag +t -t QUERY"), "the notes name the bulk changes:\n{screen}");
    t.send(&["Escape"]);
    t.wait_for("the help closed", WAIT, |s| !s.contains("[down]"));
    quit(&t);
    drop(t);

    // The history survives the restart: ↑ brings the line back.
    let t = start(dir.path(), "bulk-again");
    t.wait_text(TITLES[2]);
    t.send(&[":"]);
    t.wait_text("COMMAND");
    t.send(&["Up"]);
    t.wait_text(":dismiss (tag:x");
    t.send(&["Up"]);
    t.wait_text(":read feed:\"Other Wire\"");
    t.send(&["Escape"]);
    t.wait_for("the line closed", WAIT, |s| !s.contains("COMMAND"));
    quit(&t);
    let history = std::fs::read_to_string(dir.path().join("data").join("cmdline_history")).unwrap();
    assert_eq!(history, "read feed:\"Other Wire\"\ndismiss (tag:x\n");
}

#[test]
fn a_mute_rule_dismisses_a_matching_item_as_it_arrives_and_u_restores_it() {
    if !tmux::available() {
        return;
    }
    // The first fetch has one item; later ones bring a horoscope and more news.
    let fetches = Arc::new(AtomicUsize::new(0));
    let seen = fetches.clone();
    let server = TestServer::start(move |_req, stream| {
        let mut items = vec![("n-1", "Plain news one", "Tue, 18 Jun 2024 10:00:00 GMT", "<p>a</p>")];
        if seen.fetch_add(1, Ordering::SeqCst) > 0 {
            items.push(("h-1", "Your horoscope for Tuesday", "Tue, 18 Jun 2024 11:00:00 GMT", "<p>stars</p>"));
            items.push(("n-2", "Plain news two", "Tue, 18 Jun 2024 12:00:00 GMT", "<p>b</p>"));
        }
        respond(stream, 200, &[("Content-Type", "application/rss+xml")], rss("Wire", &items).as_bytes());
    });
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &[server.url("/feed.xml")]);
    append_config(dir.path(), "\n[[mute]]\nquery = \"title:horoscope\"\n");
    let t = start(dir.path(), "mute");
    t.wait_for("the first fetch", WAIT, |s| s.contains("Plain news one") && s.contains("1 unread"));
    t.send(&["R"]);
    let screen = t.wait_for("the second fetch", WAIT, |s| s.contains("Plain news two") && s.contains("2 unread"));
    assert!(!screen.contains("horoscope"), "the muted item is not shown:\n{screen}");
    t.send(&["u"]);
    t.wait_for("the mute undone", WAIT, |s| {
        s.contains("undone: mute \"Your horoscope for Tuesday\"") && s.contains("Your horoscope for Tuesday")
    });
    quit(&t);

    let stats = run(dir.path(), &["stats"]);
    assert!(stats.contains("muted: title:horoscope (1 items)"), "{stats}");
    let json: serde_json::Value = serde_json::from_str(&run(dir.path(), &["stats", "--json"])).unwrap();
    assert_eq!(json["muted"][0]["items"], 1, "{json}");
}
