//! End to end in tmux: `[[command]]` keys run the user's program with the
//! selected item's values (in the background and on the terminal), and the
//! `/` search's words are marked in the list and the article.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::tmux::{self, Tmux};
use common::{TITLES, TestServer, three_item_feed, write_config};

struct Setup {
    _server: TestServer,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(extra: impl Fn(&Path) -> String) -> Setup {
        let server = TestServer::serve(vec![("/feed.xml", "application/rss+xml", three_item_feed().into_bytes())]);
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path(), &[server.url("/feed.xml")]);
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&extra(dir.path()));
        std::fs::write(&config, text).unwrap();
        Setup { _server: server, dir }
    }

    fn start(&self, name: &str) -> Tmux {
        let (config, data) = (self.dir.path().join("config.toml"), self.dir.path().join("data"));
        Tmux::start(
            name,
            140,
            30,
            &[
                env!("CARGO_BIN_EXE_tidings"),
                "--config",
                config.to_str().unwrap(),
                "--data-dir",
                data.to_str().unwrap(),
            ],
            &[("NO_COLOR", Path::new("1"))],
        )
    }
}

/// A script that writes its arguments, one a line, to `argv` beside it and says how many.
fn recorder(dir: &Path) -> PathBuf {
    let script = dir.join("record.sh");
    let out = dir.join("argv");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\necho \"recorded $# args\"\n",
            out.display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&script).status().unwrap();
    script
}

fn argv(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("argv")).unwrap_or_default().lines().map(String::from).collect()
}

#[test]
fn a_command_key_gets_the_selected_items_url_and_title_as_arguments() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new(|dir| {
        format!(
            "[[command]]\nname = \"record\"\nkey = \"m\"\nrun = \"'{}' --url {{url}} --title={{title}}\"\n",
            recorder(dir).display()
        )
    });
    let t = setup.start("command");
    t.wait_text("fetched 1 feeds");
    t.send(&["j"]);
    t.send(&["m"]);
    t.wait_text("record: recorded 3 args");
    assert_eq!(
        argv(setup.dir.path()),
        ["--url", "https://loopback.example/item-2", &format!("--title={}", TITLES[1])],
        "one argument per placeholder, the title's quotes and & untouched"
    );
    // The help lists the command with its key.
    t.send(&["?"]);
    t.wait_text(" Keys ");
    t.send(&["G"]);
    let help = t.wait_text("run record");
    assert!(help.lines().any(|l| l.contains(" m ") && l.contains("run record") && l.contains("[command]")), "{help}");
    for (key, what, name) in [
        ("|", "pipe the article", "[pipe_article]"),
        ("z", "zen mode", "[zen_mode]"),
        ("N", "previous search match", "[prev_match]"),
    ] {
        assert!(
            help.lines().any(|l| l.contains(&format!(" {key} ")) && l.contains(what) && l.contains(name)),
            "{name}: {help}"
        );
    }
}

#[test]
fn an_interactive_command_has_the_terminal_and_gives_it_back() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new(|dir| {
        let script = dir.join("ask.sh");
        let out = dir.join("argv");
        std::fs::write(
            &script,
            format!("#!/bin/sh\necho \"ASKING about $1\"\nread answer\necho \"$answer\" > '{}'\n", out.display()),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&script).status().unwrap();
        format!(
            "[[command]]\nname = \"ask\"\nkey = \"M\"\nrun = \"'{}' {{url}}\"\ninteractive = true\n",
            script.display()
        )
    });
    let t = setup.start("interactive");
    t.wait_text("fetched 1 feeds");
    t.send(&["M"]);
    let screen = t.wait_text("ASKING about https://loopback.example/item-1");
    assert!(!screen.contains("Items (All)"), "the reader's screen is left while the command runs:\n{screen}");
    // Keys typed now are the command's, not the reader's (q would quit it).
    t.send(&["q", "y", "Enter"]);
    let back =
        t.wait_for("the reader again", Duration::from_secs(10), |s| s.contains(TITLES[2]) && s.contains("Items (All)"));
    assert!(!back.contains("ASKING"), "the screen is drawn anew:\n{back}");
    assert_eq!(argv(setup.dir.path()), ["qy"]);
    // And the reader still takes keys.
    t.send(&["q"]);
    t.wait_exit();
}

/// The pane with its styles (capture-pane -e).
fn styled(name: &str) -> String {
    let socket = format!("tidings-test-{}-{name}", std::process::id());
    let out = Command::new("tmux").args(["-L", &socket, "capture-pane", "-e", "-p", "-t", "t"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// True when `word` is drawn underlined on some row (an SGR with 4 right before it).
fn underlined(screen: &str, word: &str) -> bool {
    screen.match_indices(word).any(|(i, _)| {
        let before = &screen[..i];
        let sgr = before.rfind("\x1b[").map(|s| &before[s..]).unwrap_or_default();
        sgr.ends_with('m') && sgr[2..sgr.len() - 1].split(';').any(|p| p == "4")
    })
}

#[test]
fn the_search_word_is_marked_in_the_list_and_the_article() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new(|_| String::new());
    let t = setup.start("highlight");
    t.wait_text("fetched 1 feeds");
    assert!(!underlined(&styled("highlight"), "Partnership"));
    t.send(&["/", "partnership treaty", "Enter"]);
    t.wait_for("the filtered list", Duration::from_secs(10), |s| {
        s.contains("Items (partnership treaty)") && !s.contains(TITLES[2]) && s.contains("First body")
    });
    let screen = styled("highlight");
    let list_row = screen.lines().find(|l| l.contains("● Live")).unwrap_or_default();
    assert!(underlined(list_row, "Partnership"), "the title's word is marked in the list:\n{screen:?}");
    assert!(!underlined(list_row, "Putin"), "other words are not:\n{screen:?}");
    let body = screen.lines().find(|l| l.contains("First body")).unwrap_or_default();
    assert!(underlined(body, "treaty"), "the body's word is marked in the article:\n{screen:?}");
    // Zen mode: the article alone; n jumps to the search's match in it.
    t.send(&["z"]);
    let zen = t.wait_for("zen mode", Duration::from_secs(10), |s| !s.contains("Items (") && s.contains("First body"));
    assert!(!zen.contains(" Tags "), "{zen}");
    t.send(&["n"]);
    t.wait_text("match 1/1");
    t.send(&["z"]);
    t.wait_text("Items (partnership treaty)");
}

#[test]
fn on_new_runs_once_after_a_round_that_stored_new_items() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new(|_| String::new());
    let path = setup.dir.path().join("config.toml");
    let on_new =
        format!("[poller]\non_new = ['{}', '{{count}} new', 'from tidings']\n", recorder(setup.dir.path()).display());
    let text = std::fs::read_to_string(&path).unwrap().replacen("[poller]\n", &on_new, 1);
    std::fs::write(&path, text).unwrap();
    let t = setup.start("on_new");
    t.wait_text("fetched 1 feeds");
    let start = std::time::Instant::now();
    while argv(setup.dir.path()).is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(argv(setup.dir.path()), ["3 new", "from tidings"]);
}

#[test]
fn pipe_sends_the_article_text_to_a_typed_command() {
    if !tmux::available() {
        return;
    }
    let setup = Setup::new(|_| String::new());
    let t = setup.start("pipe");
    t.wait_text("fetched 1 feeds");
    t.wait_text("First body");
    t.send(&["|"]);
    t.wait_text("pipe to:");
    t.send(&["-l", "grep -c body"]);
    t.send(&["Enter"]);
    // Title, link, blank, then the body's one line: one line holds "body".
    t.wait_text("grep: 1");
}
