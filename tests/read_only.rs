//! Reading works when nothing can be written: a read-only data directory
//! (or a full disk) opens the database read-only, says so, and `list`,
//! `show`, `export reading-list` and the reader work; writing commands
//! refuse in words, once.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::tmux::{self, Tmux};

const FEED: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quay Post</title>\
    <item><guid>q1</guid><title>Ferry timetable changes</title><link>https://quay.example/1</link>\
    <description>From Monday.</description></item>\
    <item><guid>q2</guid><title>Harbour wall repaired</title><link>https://quay.example/2</link>\
    <description>At last.</description></item></channel></rss>";

/// A data dir 0555 with its database 0444, restored when dropped (so the
/// temp dir can go). Root ignores modes: then the test hook stands in for them.
struct Locked<'a> {
    data: &'a Path,
    hook: bool,
}

impl<'a> Locked<'a> {
    fn new(data: &'a Path) -> Locked<'a> {
        for entry in std::fs::read_dir(data).unwrap() {
            let path = entry.unwrap().path();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        }
        std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Do the modes bite? (Not for root.)
        let probe = data.join("probe");
        let hook = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        Locked { data, hook }
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(self.data, std::fs::Permissions::from_mode(0o755));
        for entry in std::fs::read_dir(self.data).into_iter().flatten().flatten() {
            let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o644));
        }
    }
}

fn run(dir: &Path, hook: bool, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.arg("--config").arg(dir.join("config.toml")).arg("--data-dir").arg(dir.join("data")).args(args);
    cmd.env_remove("TIDINGS_CONFIG").env_remove("TIDINGS_DATA_DIR").env_remove("TIDINGS_TEST_READ_ONLY");
    if hook {
        cmd.env("TIDINGS_TEST_READ_ONLY", "1");
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup(dir: &Path) -> String {
    let feed = dir.join("quay.xml");
    std::fs::write(&feed, FEED).unwrap();
    std::fs::write(dir.join("config.toml"), format!("[[feed]]\nurl = \"file://{}\"\n", feed.display())).unwrap();
    let (code, out, err) = run(dir, false, &["fetch"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = run(dir, false, &["list", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let id = items[0]["id"].as_str().unwrap().to_string();
    let (code, _, err) = run(dir, false, &["save", &id]);
    assert_eq!(code, 0, "{err}");
    id
}

#[test]
fn a_read_only_data_dir_still_reads_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let id = setup(dir.path());
    let data = dir.path().join("data");
    let locked = Locked::new(&data);
    let hook = locked.hook;

    let (code, out, err) = run(dir.path(), hook, &["list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Ferry timetable changes") && out.contains("Harbour wall repaired"), "{out}");
    let notice = err.trim_end();
    assert!(notice.starts_with("tidings: read-only: ") && notice.ends_with("; nothing is saved"), "{err}");
    assert_eq!(err.lines().count(), 1, "said once: {err}");

    let (code, out, _) = run(dir.path(), hook, &["show", &id]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Harbour wall repaired\n") || out.starts_with("Ferry timetable changes\n"), "{out}");
    let (code, out, _) = run(dir.path(), hook, &["export", "reading-list"]);
    assert_eq!(code, 0);
    assert!(out.contains("](<https://quay.example/"), "{out}");
    let (code, out, _) = run(dir.path(), hook, &["search", "harbour"]);
    assert_eq!(code, 0);
    assert!(out.contains("Harbour wall repaired"), "{out}");

    for args in [&["fetch"][..], &["save", &id], &["unsave", &id]] {
        let (code, out, err) = run(dir.path(), hook, args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        let expected = format!("tidings: cannot {}: the database is open read-only (", args[0]);
        assert!(err.starts_with(&expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "said once, in words: {err}");
    }

    if tmux::available() {
        let bin = env!("CARGO_BIN_EXE_tidings");
        let config = dir.path().join("config.toml");
        let data = dir.path().join("data");
        let hook_env = [("TIDINGS_TEST_READ_ONLY", Path::new("1")), ("NO_COLOR", Path::new("1"))];
        let env = if hook { &hook_env[..] } else { &hook_env[1..] };
        let t = Tmux::start(
            "ro",
            140,
            20,
            &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
            env,
        );
        let screen = t.wait_text("Ferry timetable changes");
        assert!(screen.contains("READ-ONLY: ") && screen.contains("nothing is saved"), "{screen}");
        t.send(&["R"]);
        t.wait_text("nothing fetched could be kept");
        t.send(&["q"]);
        t.wait_exit();
    }
    drop(locked);
    // Writable again: everything as it was.
    let (code, _, err) = run(dir.path(), false, &["fetch"]);
    assert_eq!((code, err.as_str()), (0, ""));
}
