//! The sync password: `password_command`'s output (run once per start), or
//! the config's `password` (only accepted from a private file, see
//! `config::sync::check_mode`). Never logged, never in an error message.

use std::process::{Command, Stdio};

use super::SyncError;
use crate::config::SyncConfig;

/// Gets the password. The command runs through `sh -c` with the terminal's
/// stdin and stderr (a pinentry or prompt can ask); its first output line
/// is the password.
pub fn password(cfg: &SyncConfig) -> Result<String, SyncError> {
    if let Some(p) = &cfg.password {
        return Ok(p.clone());
    }
    let Some(cmd) = &cfg.password_command else {
        return Err(SyncError::Secret("[sync] has neither password_command nor password".into()));
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| SyncError::Secret(format!("cannot run password_command: {e}")))?;
    if !out.status.success() {
        return Err(SyncError::Secret(format!("password_command failed ({})", out.status)));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| SyncError::Secret("password_command printed something that is not text".into()))?;
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(SyncError::Secret("password_command printed no password".into()));
    }
    Ok(first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SyncKind;

    fn cfg(command: Option<&str>, password: Option<&str>) -> SyncConfig {
        SyncConfig {
            kind: SyncKind::Fever,
            url: "http://x/".into(),
            user: "me".into(),
            password_command: command.map(String::from),
            password: password.map(String::from),
            interval: std::time::Duration::from_secs(60),
        }
    }

    #[test]
    fn the_command_gives_its_first_line() {
        assert_eq!(password(&cfg(Some("printf 'se cret\\nsecond\\n'"), None)).unwrap(), "se cret");
        assert_eq!(password(&cfg(None, Some("plain"))).unwrap(), "plain");
        let e = password(&cfg(Some("exit 3"), None)).unwrap_err().to_string();
        assert!(e.starts_with("password_command failed (exit status: 3)"), "{e}");
        let e = password(&cfg(Some("true"), None)).unwrap_err().to_string();
        assert_eq!(e, "password_command printed no password");
    }
}
