//! `[sync]`: the feed server tidings syncs with. Checked at load time like
//! every other table; the password never appears in `Debug` output.

use std::time::Duration;

use serde::Deserialize;

/// The protocol the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncKind {
    /// The Fever API (Miniflux, FreshRSS, Coldsweat, yarr, Tiny Tiny RSS's plugin).
    Fever,
}

#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    pub kind: SyncKind,
    /// The API's address, e.g. "https://rss.example.com/fever/".
    pub url: String,
    pub user: String,
    /// A command whose output is the password (run once per start, through `sh -c`).
    #[serde(default)]
    pub password_command: Option<String>,
    /// The password itself; refused in a config file others can read.
    #[serde(default)]
    pub password: Option<String>,
    /// How often the reader syncs.
    #[serde(default = "default_interval", deserialize_with = "super::de_duration")]
    pub interval: Duration,
}

fn default_interval() -> Duration {
    Duration::from_secs(5 * 60)
}

impl std::fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncConfig")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password_command", &self.password_command.as_ref().map(|_| "…"))
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("interval", &self.interval)
            .finish()
    }
}

/// What is wrong with a `[sync]` table: the key and the message.
pub fn check(cfg: &SyncConfig) -> Result<(), (&'static str, String)> {
    match url::Url::parse(&cfg.url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(u) => return Err(("url", format!("unsupported scheme \"{}\"; use http or https", u.scheme()))),
        Err(e) => return Err(("url", format!("\"{}\" is not a URL: {e}", cfg.url))),
    }
    if cfg.user.trim().is_empty() {
        return Err(("user", "must not be empty".into()));
    }
    match (&cfg.password_command, &cfg.password) {
        (Some(_), Some(_)) => Err(("password", "set either password_command or password, not both".into())),
        (None, None) => Err(("password_command", "set password_command (or password) for the server".into())),
        (Some(c), None) if c.trim().is_empty() => Err(("password_command", "must not be empty".into())),
        _ if cfg.interval < Duration::from_secs(1) => Err(("interval", "must be at least 1s".into())),
        _ => Ok(()),
    }
}

/// A plain `password` is only kept in a file no one else can read.
#[cfg(unix)]
pub fn check_mode(path: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| e.to_string())?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "refused: the config file can be read by others (mode {:o}); run `chmod 600 {}` or use password_command",
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_mode(_path: &std::path::Path) -> Result<(), String> {
    Ok(())
}
