//! The command line's history file (#13): `cmdline_history` in the data dir,
//! one line per command, oldest first. Read once at start; rewritten whole
//! (through a temporary file and a rename, so a crash leaves the old file or
//! the new one) by the effect runner after each command. What a line may
//! hold and how many are kept is the command line's business
//! (`app::cmdline::restore` / `to_keep`); this file only moves lines.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the history lives in a data dir.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("cmdline_history")
}

/// The file's lines, oldest first, as found (invalid UTF-8 replaced); none
/// when there is no file or it cannot be read.
pub fn read_lines(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    String::from_utf8_lossy(&bytes).lines().map(str::to_string).collect()
}

/// Replaces the file with these lines.
pub fn write_lines(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
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
    use crate::app::cmdline::{HISTORY_MAX, restore, to_keep};

    #[test]
    fn kept_across_restarts_bounded_and_sanitised() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        assert!(restore(read_lines(&path)).is_empty());
        let many: Vec<String> = (0..HISTORY_MAX + 20).map(|i| format!("read feed:{i}")).collect();
        write_lines(&path, &to_keep(&many)).unwrap();
        let back = restore(read_lines(&path));
        assert_eq!(back.len(), HISTORY_MAX);
        assert_eq!(back.last().unwrap(), &format!("read feed:{}", HISTORY_MAX + 19));
        std::fs::write(&path, "quit\n\x1b[31mred\x07\nquit\n\n").unwrap();
        let back = restore(read_lines(&path));
        assert_eq!(back.len(), 2, "{back:?}");
        assert!(back.iter().all(|l| !l.chars().any(char::is_control)), "{back:?}");
        assert_eq!(back.last().unwrap(), "quit", "a repeated line moves to the newest end");
    }
}
