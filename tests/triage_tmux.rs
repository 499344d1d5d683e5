//! End to end in tmux: saving, mark-all-read with undo across a restart, and
//! the help overlay following a rebound key.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, three_item_feed, write_config};

struct Setup {
    _server: TestServer,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(extra_config: &str) -> Setup {
        let server = TestServer::serve(vec![
            ("/feed.xml", "application/rss+xml", three_item_feed().into_bytes()),
            ("/other.xml", "application/rss+xml", common::rss("Other", &[]).into_bytes()),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path(), &[server.url("/feed.xml")]);
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(extra_config);
        std::fs::write(&config, text).unwrap();
        Setup { _server: server, dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn start(&self, name: &str) -> Tmux {
        let (config, data) = (self.config(), self.data());
        let bin = env!("CARGO_BIN_EXE_tidings");
        Tmux::start(
            name,
            140,
            30,
            &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
            &[("NO_COLOR", Path::new("1"))],
        )
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// The count next to a sidebar entry.
fn sidebar_count(screen: &str, label: &str) -> Option<u32> {
    let line = screen.lines().find(|l| l.contains(label))?;
    let after = &line[line.find(label)? + label.len()..];
    after.split('│').next()?.trim().parse().ok()
}

/// Waits until the first start's fetch has landed, so its summary cannot replace a later message.
fn wait_ready(t: &Tmux) -> String {
    t.wait_text("fetched 1 feeds")
}

/// Waits for the list after a restart: the feed is not due again yet, so nothing is fetched.
fn wait_restarted(t: &Tmux) -> String {
    t.wait_for("the stored items", std::time::Duration::from_secs(15), |s| {
        s.contains(TITLES[2]) && s.contains(" unread")
    })
}

fn quit(t: &Tmux) {
    t.send(&["q"]);
    t.wait_exit();
}

#[test]
fn an_item_saved_in_the_reader_is_in_the_reading_list_after_a_restart_and_in_the_export() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new("");
    let t = setup.start("save");
    let screen = wait_ready(&t);
    assert_eq!(sidebar_count(&screen, "Reading list"), Some(0), "{screen}");
    t.send(&["s"]);
    // The counts are reloaded in the background: they follow the message.
    let screen = t.wait_for("the save and its count", std::time::Duration::from_secs(15), |s| {
        s.contains("saved to the reading list") && sidebar_count(s, "Reading list") == Some(1)
    });
    assert!(screen.contains("★ Live: Putin"), "the saved mark:\n{screen}");
    quit(&t);
    drop(t);

    let t = setup.start("save-again");
    wait_restarted(&t);
    // Into the sidebar, down to the reading list.
    t.send(&["h", "j", "j"]);
    let screen = t.wait_text("Items (Reading list)");
    assert!(screen.contains(TITLES[0]), "{screen}");
    assert!(!screen.contains(TITLES[1]), "only the saved item:\n{screen}");
    quit(&t);

    let json: Vec<serde_json::Value> =
        serde_json::from_str(&setup.run(&["export", "reading-list", "--format", "json"])).unwrap();
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["title"], TITLES[0]);
    let md = setup.run(&["export", "reading-list", "--format", "md"]);
    assert!(md.contains("https://loopback.example/item-1"), "{md}");

    // The feed leaves the config; a fetch later the reading list is whole.
    write_config(setup.dir.path(), &[setup._server.url("/other.xml")]);
    setup.run(&["fetch"]);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&setup.run(&["export", "reading-list", "--format", "json"])).unwrap();
    assert_eq!(json.len(), 1);
    assert!(json[0]["content"].as_str().unwrap().contains("First body"));
}

#[test]
fn mark_all_read_is_undone_with_u_twice_after_a_restart() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new("");
    let t = setup.start("markall");
    wait_ready(&t);
    t.send(&["A"]);
    // The counts are reloaded in the background: they follow the message.
    t.wait_for("the mark and the counts", std::time::Duration::from_secs(15), |s| {
        s.contains("marked 3 items read") && s.contains("0 unread")
    });
    quit(&t);
    drop(t);

    let t = setup.start("undo");
    let screen = wait_restarted(&t);
    assert!(screen.contains("0 unread"), "{screen}");
    // A new session: the first u says the change is older, the second undoes it.
    t.send(&["u"]);
    t.wait_text("nothing to undo since tidings started");
    t.send(&["u"]);
    t.wait_for("the undo and the counts", std::time::Duration::from_secs(15), |s| {
        s.contains("undone: mark 3 items read") && s.contains("3 unread")
    });
    t.send(&["C-r"]);
    t.wait_text("redone: mark 3 items read");
    t.send(&["u"]);
    t.wait_text("undone: mark 3 items read");
    quit(&t);

    let items: Vec<serde_json::Value> = serde_json::from_str(&setup.run(&["list", "--json"])).unwrap();
    assert!(items.iter().all(|i| i["read"] == false), "{items:?}");
}

#[test]
fn help_lists_the_live_keymap_and_a_rebound_save_key_works() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new("\n[keys]\nsave = [\"S\"]\n");
    let t = setup.start("help");
    wait_ready(&t);
    t.send(&["?"]);
    let screen = t.wait_text("[save]");
    let line = |name: &str| screen.lines().find(|l| l.contains(&format!("[{name}]"))).unwrap_or("").to_string();
    assert!(line("save").contains(" S ") && line("save").contains("save to/remove from reading list"), "{screen}");
    assert!(line("undo").contains(" u ") && line("redo").contains("Ctrl-r"), "{screen}");
    assert!(line("mark_all_read").contains(" A "), "{screen}");
    t.send(&["Escape"]);
    t.wait_for("help closed", std::time::Duration::from_secs(5), |s| !s.contains("[save]"));
    t.send(&["s"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!t.screen().contains("saved to the reading list"), "s is no longer bound");
    t.send(&["S"]);
    t.wait_text("saved to the reading list");
    quit(&t);
}
