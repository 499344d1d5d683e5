//! Drives the real binary in a real terminal: tmux on a private socket,
//! `send-keys` in, `capture-pane` out.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

/// True when tmux is installed. Tests that need it fail loudly without it
/// unless TIDINGS_SKIP_TMUX is set (CI installs tmux).
pub fn available() -> bool {
    let ok = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("TIDINGS_SKIP_TMUX").is_none() {
        panic!("tmux is not installed: install it or set TIDINGS_SKIP_TMUX=1");
    }
    ok
}

impl Tmux {
    /// Starts `args` (the binary first) in a detached session of the given size.
    pub fn start(name: &str, width: u16, height: u16, args: &[&str], env: &[(&str, &Path)]) -> Tmux {
        let socket = format!("tidings-test-{}-{name}", std::process::id());
        let tmux = Tmux { socket };
        // `exec env …`: the pane's process is the program itself, not a shell
        // waiting for it (so `pane_pid` is the program's, and a hang-up
        // reaches it, not only the shell).
        let mut command = String::from("exec env ");
        for (k, v) in env {
            command.push_str(&format!("{k}='{}' ", v.display()));
        }
        command.push_str(&args.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(" "));
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "sh",
            "-c",
            &command,
        ]);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        // Keep the pane after the program exits, so the final screen can be read.
        tmux.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("run tmux")
    }

    /// Sends keys in tmux's notation ("j", "Enter", "C-r", "Tab").
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen once `pred` holds; panics with the last screen after `timeout`.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, Duration::from_secs(15), |s| s.contains(text))
    }

    /// True once the program in the pane has exited.
    pub fn exited(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "t", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// A tmux format evaluated for the pane, e.g. "#{pane_title}".
    pub fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn wait_exit(&self) {
        let start = Instant::now();
        while !self.exited() {
            assert!(start.elapsed() < Duration::from_secs(10), "the program did not exit:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

impl Tmux {
    /// The terminal device of the pane (writing to it draws on the screen
    /// behind the program's back).
    pub fn pane_tty(&self) -> String {
        self.display("#{pane_tty}")
    }

    /// The process id of the program in the pane.
    pub fn pane_pid(&self) -> u32 {
        self.display("#{pane_pid}").parse().expect("pane pid")
    }

    /// Appends every byte the program writes to its terminal to `file`.
    pub fn record(&self, file: &Path) {
        let cmd = format!("cat >> '{}'", file.display());
        let out = self.run(&["pipe-pane", "-o", "-t", "t", &cmd]);
        assert!(out.status.success(), "pipe-pane: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Ends the whole tmux server: the program's terminal goes away (SIGHUP).
    pub fn kill_server(&self) {
        self.run(&["kill-server"]);
    }
}

/// A data dir holding `items` of one feed nobody serves, not due for a day
/// (the list is what the store holds), and its config: (config, data dir).
pub fn unserved_archive(dir: &Path, items: Vec<tidings::model::NewItem>) -> (std::path::PathBuf, std::path::PathBuf) {
    use tidings::model::{FetchedFeed, PollInfo};
    let url = "http://127.0.0.1:9/feed.xml";
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{url}\"\n")).unwrap();
    let data = dir.join("data");
    let mut store = tidings::store::Store::open(&data.join("tidings.db")).unwrap();
    store.sync_feeds(&[tidings::config::FeedConfig::new(url)]).unwrap();
    store.store_fetched(&FetchedFeed { url: url.into(), items, ..Default::default() }, 1_700_000_000).unwrap();
    let later = chrono::Utc::now().timestamp() + 86_400;
    store.record_schedule(url, &PollInfo { next_poll: Some(later), ..Default::default() }).unwrap();
    (config, data)
}

/// The reader (`bin`: the test's build) on `config` and `data`, 140×30, no colour.
pub fn start_reader(bin: &str, name: &str, config: &Path, data: &Path) -> Tmux {
    Tmux::start(
        name,
        140,
        30,
        &[bin, "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    )
}

/// The first line of the article pane (the rightmost pane at 140 columns).
pub fn article_title(screen: &str) -> String {
    screen
        .lines()
        .nth(1)
        .and_then(|l| l.rsplit("││").next())
        .map(|s| s.trim_matches(|c: char| c == '│' || c.is_whitespace()).to_string())
        .unwrap_or_default()
}
