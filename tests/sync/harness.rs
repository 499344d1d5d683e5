//! A real Fever server for the sync tests: Coldsweat 0.10.2 in a virtualenv
//! (made by `tests/sync/setup-venv.sh`, cached under target/), started
//! through `launcher.py` (no favicon lookups), inside a network namespace
//! that has only loopback, so nothing can leave the machine. Its feeds are
//! served by the tests' own loopback HTTP server.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const EMAIL: &str = "me@example.com";
pub const PASSWORD: &str = "correct horse battery";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The virtualenv's python, made if missing. None (with the reason
/// printed) only when CI is unset and python3 is missing.
fn venv_python() -> Option<PathBuf> {
    let venv = std::env::var_os("TIDINGS_COLDSWEAT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/coldsweat-venv"));
    let python = venv.join("bin/python");
    if venv.join(".coldsweat-0.10.2").exists() {
        return Some(python);
    }
    let has_python = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_python && std::env::var_os("CI").is_none() {
        println!("skipped: python3 is not installed (the sync tests run Coldsweat, a Python server)");
        return None;
    }
    let status = Command::new("bash").arg(repo().join("tests/sync/setup-venv.sh")).arg(&venv).status();
    assert!(status.is_ok_and(|s| s.success()), "tests/sync/setup-venv.sh failed: cannot make the Coldsweat virtualenv");
    Some(python)
}

/// The flags of `unshare` that give a namespace with loopback only, if any work here.
fn unshare_flags() -> Option<&'static [&'static str]> {
    for flags in [&["-n"][..], &["-r", "-n"][..]] {
        let ok = Command::new("unshare")
            .args(flags)
            .args(["sh", "-c", "ip link set lo up"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(flags);
        }
    }
    None
}

/// Runs `test` (this test's name) again in a network namespace with only
/// loopback. Returns true in that copy, which goes on with the test; false
/// in the caller, once the copy passed (or the test is skipped).
pub fn isolated(test: &str) -> bool {
    if std::env::var_os("TIDINGS_IN_NETNS").is_some() {
        return true;
    }
    if venv_python().is_none() {
        return false;
    }
    let Some(flags) = unshare_flags() else {
        assert!(std::env::var_os("CI").is_none(), "cannot make a network namespace (unshare -n) in CI");
        println!("skipped: cannot make a network namespace here (unshare -n needs root or user namespaces)");
        return false;
    };
    let exe = std::env::current_exe().expect("test binary");
    let status = Command::new("unshare")
        .args(flags)
        .args(["sh", "-c", "ip link set lo up && exec \"$@\"", "sh"])
        .arg(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("TIDINGS_IN_NETNS", "1")
        .status()
        .expect("run unshare");
    assert!(status.success(), "{test} failed inside its network namespace (see its output above)");
    false
}

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One Coldsweat: its database, its user, and (while running) its server.
pub struct Coldsweat {
    pub dir: tempfile::TempDir,
    python: PathBuf,
    pub port: u16,
    child: Option<Child>,
}

impl Coldsweat {
    /// A Coldsweat with the user, subscribed to the feeds of `opml` and
    /// having fetched them, serving the API.
    pub fn start(opml: &str) -> Coldsweat {
        let python = venv_python().expect("the virtualenv (checked by isolated())");
        let mut c = Coldsweat { dir: tempfile::tempdir().unwrap(), python, port: free_port(), child: None };
        let opml_path = c.dir.path().join("subscriptions.opml");
        std::fs::write(&opml_path, opml).unwrap();
        c.command(&["setup", EMAIL, "-p", PASSWORD]);
        c.command(&["import", opml_path.to_str().unwrap(), EMAIL, "-f"]);
        c.run();
        c
    }

    fn launcher(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.python);
        cmd.arg(repo().join("tests/sync/launcher.py"))
            .args(args)
            .env("FLASK_DATABASE_URL", format!("sqlite:///{}", self.dir.path().join("coldsweat.db").display()))
            .current_dir(self.dir.path());
        cmd
    }

    fn command(&self, args: &[&str]) {
        let out = self.launcher(args).output().expect("run coldsweat");
        assert!(
            out.status.success(),
            "coldsweat {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server (again) and waits until the API answers.
    pub fn run(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = std::fs::File::create(self.dir.path().join("server.log")).unwrap();
        let child = self
            .launcher(&["run", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start coldsweat");
        self.child = Some(child);
        let start = Instant::now();
        while self.try_api("", &[]).is_none() {
            assert!(start.elapsed() < Duration::from_secs(20), "coldsweat did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (the database stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The Fever endpoint, as `[sync] url` names it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever/", self.port)
    }

    fn try_api(&self, command: &str, form: &[(&str, &str)]) -> Option<Value> {
        let key = format!("{:x}", md5::Md5::digest(format!("{EMAIL}:{PASSWORD}").as_bytes()));
        let mut body = format!("api_key={key}");
        for (k, v) in form {
            body.push_str(&format!("&{k}={v}"));
        }
        let query = if command.is_empty() { "api".to_string() } else { format!("api&{command}") };
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        let request = format!(
            "POST /fever/?{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).ok()?;
        let text = String::from_utf8_lossy(&response);
        let (_, json) = text.split_once("\r\n\r\n")?;
        serde_json::from_str(json).ok()
    }

    /// One API call as the user.
    pub fn api(&self, command: &str, form: &[(&str, &str)]) -> Value {
        let doc = self.try_api(command, form).unwrap_or_else(|| panic!("fever {command}: no answer\n{}", self.log()));
        assert_eq!(doc["auth"], 1, "{doc}");
        doc
    }

    fn ids(&self, field: &str) -> Vec<i64> {
        let doc = self.api(field, &[]);
        doc[field].as_str().unwrap_or("").split(',').filter_map(|i| i.parse().ok()).collect()
    }

    pub fn unread_ids(&self) -> Vec<i64> {
        self.ids("unread_item_ids")
    }

    pub fn saved_ids(&self) -> Vec<i64> {
        self.ids("saved_item_ids")
    }

    /// Marks an item as the server's own web reader or another client would.
    pub fn mark(&self, id: i64, as_: &str) {
        self.api("", &[("mark", "item"), ("as", as_), ("id", &id.to_string())]);
    }

    /// Every item's server id by title.
    pub fn ids_by_title(&self) -> std::collections::HashMap<String, i64> {
        let mut out = std::collections::HashMap::new();
        let mut since = 0;
        loop {
            let doc = self.api(&format!("items&since_id={since}"), &[]);
            let items = doc["items"].as_array().cloned().unwrap_or_default();
            if items.is_empty() {
                return out;
            }
            for i in items {
                let id = i["id"].as_i64().unwrap();
                since = since.max(id);
                out.insert(i["title"].as_str().unwrap_or("").to_string(), id);
            }
        }
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.stop();
    }
}

use md5::Digest;

/// Two RSS feeds of `per_feed` items each ("Alpha 01", …, "Beta 01", …),
/// served on loopback, and the OPML that subscribes to them.
pub struct Feeds {
    pub server: crate::common::TestServer,
    pub opml: String,
}

impl Feeds {
    pub fn start(per_feed: usize) -> Feeds {
        let feed = |name: &str, day0: usize| {
            let items: Vec<(String, String, String, String)> = (1..=per_feed)
                .map(|i| {
                    // A date per item, so the list's order is the titles' order.
                    let when = chrono::DateTime::from_timestamp(1_717_200_000 + ((day0 + i) * 3600) as i64, 0).unwrap();
                    (
                        format!("{}-{i:02}", name.to_lowercase()),
                        format!("{name} {i:02}"),
                        when.to_rfc2822(),
                        format!("<p>{name} body {i}</p>"),
                    )
                })
                .collect();
            let refs: Vec<(&str, &str, &str, &str)> =
                items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
            crate::common::rss(&format!("{name} News"), &refs).into_bytes()
        };
        let server = crate::common::TestServer::serve(vec![
            ("/alpha.xml", "application/rss+xml", feed("Alpha", 0)),
            ("/beta.xml", "application/rss+xml", feed("Beta", per_feed)),
        ]);
        let opml = format!(
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>subs</title></head><body>\
             <outline text=\"News\" title=\"News\">\
             <outline type=\"rss\" text=\"Alpha\" title=\"Alpha\" xmlUrl=\"{}\"/>\
             <outline type=\"rss\" text=\"Beta\" title=\"Beta\" xmlUrl=\"{}\"/>\
             </outline></body></opml>",
            server.url("/alpha.xml"),
            server.url("/beta.xml")
        );
        Feeds { server, opml }
    }
}

/// A tidings config with `[sync]` for `server`, in `dir` (mode 600).
pub fn write_sync_config(dir: &Path, url: &str, password: &str, interval: &str) {
    let text = format!(
        "[poller]\ntimeout = \"5s\"\n\n[sync]\nkind = \"fever\"\nurl = \"{url}\"\nuser = \"{EMAIL}\"\n\
         password_command = \"printf %s '{password}'\"\ninterval = \"{interval}\"\n\n\
         [stories]\nenabled = false\n"
    );
    // #15: "Alpha 01" and "Beta 01" (bodies "… body 1") share their numbers
    // and a word, so they would group as stories and fold the counts these
    // tests check; grouping has its own tests.
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// `list --json` of the local store: (id, title, read, saved), newest first.
pub fn local_items(dir: &Path) -> Vec<(String, String, bool, bool)> {
    let (code, out, err) = crate::bin::tidings(dir, &["list", "--json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
                i["read"].as_bool().unwrap(),
                i["saved"].as_bool().unwrap(),
            )
        })
        .collect()
}
