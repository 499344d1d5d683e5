//! The command line's history file (#13): `cmdline_history` in the data dir,
//! one line per command, oldest first, at most `cmdline::HISTORY_MAX` lines.
//! Read once at start; rewritten whole (through a temporary file and a
//! rename, so a crash leaves the old file or the new one) by the effect
//! runner after each command. Lines are sanitised both ways: a hand-edited
//! or damaged file never puts control characters on the prompt line.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::cmdline::{HISTORY_MAX, sanitize};

/// Where the history lives in a data dir.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("cmdline_history")
}

/// The history, oldest first; empty when there is none or it cannot be read.
pub fn load(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        super::cmdline::remember(&mut lines, line);
    }
    let skip = lines.len().saturating_sub(HISTORY_MAX);
    lines.split_off(skip)
}

/// Writes the history (its newest `HISTORY_MAX` lines).
pub fn save(path: &Path, history: &[String]) -> std::io::Result<()> {
    let skip = history.len().saturating_sub(HISTORY_MAX);
    let mut text = String::new();
    for line in history[skip..].iter().filter_map(|l| sanitize(l)) {
        text.push_str(&line);
        text.push('\n');
    }
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_across_restarts_bounded_and_sanitised() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        assert!(load(&path).is_empty());
        let many: Vec<String> = (0..HISTORY_MAX + 20).map(|i| format!("read feed:{i}")).collect();
        save(&path, &many).unwrap();
        let back = load(&path);
        assert_eq!(back.len(), HISTORY_MAX);
        assert_eq!(back.last().unwrap(), &format!("read feed:{}", HISTORY_MAX + 19));
        std::fs::write(&path, "quit\n\x1b[31mred\x07\nquit\n\n").unwrap();
        let back = load(&path);
        assert_eq!(back.len(), 2, "{back:?}");
        assert!(back.iter().all(|l| !l.chars().any(char::is_control)), "{back:?}");
        assert_eq!(back.last().unwrap(), "quit", "a repeated line moves to the newest end");
    }
}
