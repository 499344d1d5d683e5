//! The first run of a new user, in a real terminal: an empty HOME, the
//! default config written and named on the status line, every feed
//! unreachable (all traffic goes to a proxy port where nothing listens, so
//! nothing leaves the machine), the screen saying so, and the log file
//! holding one line per feed.

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::{self, Tmux};

#[test]
fn first_run_names_the_config_says_every_feed_failed_and_logs_each() {
    if !tmux::available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let config_home = home.path().join("xdg-config");
    let data_home = home.path().join("xdg-data");
    // A port with nothing listening: every fetch fails at once, without the internet.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let proxy = format!("http://{closed}");
    let proxy = Path::new(&proxy);
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "first-run",
        220,
        30,
        &["env", "-u", "TIDINGS_CONFIG", "-u", "TIDINGS_DATA_DIR", "-u", "NO_PROXY", "-u", "no_proxy", bin],
        &[
            ("HOME", home.path()),
            ("XDG_CONFIG_HOME", &config_home),
            ("XDG_DATA_HOME", &data_home),
            ("HTTP_PROXY", proxy),
            ("HTTPS_PROXY", proxy),
            ("http_proxy", proxy),
            ("https_proxy", proxy),
        ],
    );
    let config = config_home.join("tidings/config.toml");
    let screen = t.wait_text("every feed failed");
    let status = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().to_string();
    assert!(
        status.contains(&format!("wrote the default config to {}", config.display())),
        "the status line names the written config: {status}"
    );
    assert!(config.exists());
    let screen = t.wait_for("the list to say every feed failed", Duration::from_secs(15), |s| {
        s.contains("Every feed failed to fetch")
    });
    assert!(screen.contains("First: https://"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
    let feeds = tidings::config::default_feeds().len();
    let log = std::fs::read_to_string(data_home.join("tidings/tidings.log")).unwrap();
    let fetches: Vec<&str> = log.lines().filter(|l| l.contains(" fetch ")).collect();
    assert_eq!(fetches.len(), feeds, "one log line per feed:\n{log}");
    assert!(fetches.iter().all(|l| l.contains("error")), "{log}");
    assert!(log.contains("first run: wrote the default config"), "{log}");
}
