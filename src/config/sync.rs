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

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::super::{Config, ConfigError, DEFAULT_CONFIG, load, parse};
    use super::SyncKind;

    fn p(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("/cfg/config.toml"))
    }

    fn err(text: &str) -> String {
        p(text).unwrap_err().to_string()
    }

    #[test]
    fn sync_table_is_read_and_checked() {
        let ok = "[sync]\nkind = \"fever\"\nurl = \"https://rss.example.com/fever/\"\nuser = \"me\"\npassword_command = \"pass show fever\"\n";
        let cfg = p(ok).unwrap();
        let s = cfg.sync.as_ref().unwrap();
        assert_eq!((s.kind, s.user.as_str(), s.interval), (SyncKind::Fever, "me", Duration::from_secs(300)));
        assert!(p("").unwrap().sync.is_none());
        let e = err("[sync]\nkind = \"greader\"\nurl = \"https://x/\"\nuser = \"me\"\npassword = \"p\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `sync.kind`: unknown variant `greader`"), "{e}");
        let e =
            err("[ui]\nmouse = true\n[sync]\nkind = \"fever\"\nurl = \"ftp://x/\"\nuser = \"me\"\npassword = \"p\"\n");
        assert!(e.starts_with("/cfg/config.toml:5: key `sync.url`: unsupported scheme \"ftp\""), "{e}");
        let e = err("[sync]\nkind = \"fever\"\nurl = \"https://x/\"\nuser = \"me\"\n");
        assert!(e.starts_with("/cfg/config.toml:1: key `sync.password_command`: set password_command"), "{e}");
        let both = "[sync]\nkind = \"fever\"\nurl = \"https://x/\"\nuser = \"me\"\npassword_command = \"a\"\npassword = \"b\"\n";
        assert!(err(both).starts_with("/cfg/config.toml:6: key `sync.password`: set either"), "{}", err(both));
        let e = err("[sync]\nkind = \"fever\"\nuser = \"me\"\npassword = \"p\"\n");
        assert!(e.contains("missing field `url`"), "{e}");
        let e =
            err("[sync]\nkind = \"fever\"\nurl = \"https://x/\"\nuser = \"me\"\npassword = \"p\"\ninterval = \"0s\"\n");
        assert!(e.starts_with("/cfg/config.toml:6: key `sync.interval`: must be at least 1s"), "{e}");
        // The password never shows in Debug output.
        let secret = "[sync]\nkind = \"fever\"\nurl = \"https://x/\"\nuser = \"me\"\npassword = \"hunter2hunter2\"\n";
        assert!(!format!("{:?}", p(secret).unwrap()).contains("hunter2"));
    }

    #[test]
    fn the_default_configs_sync_example_parses_once_uncommented() {
        let text: Vec<&str> = DEFAULT_CONFIG
            .lines()
            .skip_while(|l| !l.starts_with("# [sync]"))
            .take_while(|l| l.starts_with("# "))
            .map(|l| l.trim_start_matches("# "))
            .collect();
        let cfg = p(&text.join("\n")).unwrap();
        assert_eq!(cfg.sync.map(|s| s.url), Some("https://rss.example.com/fever/".to_string()));
    }

    #[test]
    fn a_plain_password_needs_a_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[ui]\nmouse = true\n\n[sync]\nkind = \"fever\"\nurl = \"https://x/\"\nuser = \"me\"\npassword = \"p\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(
            e.contains(":8: key `sync.password`: refused: the config file can be read by others (mode 644)"),
            "{e}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load(&path).is_ok());
    }
}
