//! — #10 first frame — The config without its feeds, for the reader's first
//! frame. At thousands of `[[feed]]` tables, parsing and checking them is
//! most of the start (20 ms at 4,951 feeds), while nothing on the first
//! screen needs them. So when the file is exactly the one the last start
//! checked in full (same text, same build: a fingerprint kept beside the
//! database), and its feed tables can be told apart line by line, the
//! reader starts from the rest of the file and checks the whole of it right
//! after its first frame. A changed file, or one the line scan cannot be
//! sure of, is checked in full first, as before; a file that fails that
//! late check (only the environment could make it: the same text passed
//! before) still ends the reader with its line and key.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use super::{Config, ConfigError};

/// The fingerprint's file, in the data directory.
const FILE: &str = "config-checked";

/// The config's text with each line of its `[[feed]]` tables blanked (so
/// line numbers stay those of the file), and how many feed tables it has.
/// None when there are none, or when a line scan cannot tell a table's
/// lines for certain (multi-line strings, a key's value running over lines).
pub fn without_feeds(text: &str) -> Option<(String, usize)> {
    if text.contains("\"\"\"") || text.contains("'''") {
        return None;
    }
    let mut head = String::with_capacity(text.len() / 8);
    let (mut in_feed, mut feeds) = (false, 0);
    for line in text.lines() {
        let t = line.trim();
        if let Some(header) = table_header(line) {
            in_feed = header == "[[feed]]" || header.starts_with("[feed.") || header.starts_with("[[feed.");
            feeds += usize::from(header == "[[feed]]");
        } else if in_feed && !t.is_empty() && !t.starts_with('#') && !one_line_value(t) {
            return None;
        }
        if !in_feed {
            head.push_str(line);
        }
        head.push('\n');
    }
    (feeds > 0).then_some((head, feeds))
}

/// The table header a line opens (`[ui]`, `[[feed]]`, comment and spaces
/// left out), if it opens one.
pub fn table_header(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.starts_with('[').then(|| t.split('#').next().unwrap_or_default().trim_end())
}

/// Whether a `key = value` line holds its whole value: brackets and braces
/// outside strings balance.
fn one_line_value(line: &str) -> bool {
    let Some((_, value)) = line.split_once('=') else { return false };
    let (mut depth, mut quote) = (0i32, None::<char>);
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, '#') => break,
            _ => {}
        }
    }
    depth == 0 && quote.is_none()
}

/// The config `text` parsed without its feeds, when the last full check
/// in `dir` was of this very text and its feeds can be left out safely;
/// with how many feeds it lists. None: check the whole file first.
pub fn checked_before(dir: &Path, text: &str, path: &Path) -> Option<(Config, usize)> {
    let kept = std::fs::read_to_string(dir.join(FILE)).ok()?;
    if kept.trim() != fingerprint(text) {
        return None;
    }
    let (head, feeds) = without_feeds(text)?;
    Some((super::load_text(&head, path).ok()?, feeds))
}

/// After a full check of `text` passed as `cfg`: keeps its fingerprint when
/// the config without its feeds reads the same (so the next start may use
/// it), else removes an older one. Failing to write only costs that speed.
pub fn remember(dir: &Path, text: &str, path: &Path, cfg: &Config) {
    let file = dir.join(FILE);
    let same = without_feeds(text).and_then(|(head, _)| super::load_text(&head, path).ok()).is_some_and(|head| {
        let mut full = cfg.clone();
        full.feeds.clear();
        head == full
    });
    let result = match same {
        true => std::fs::write(&file, fingerprint(text)),
        false => std::fs::remove_file(&file).or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        }),
    };
    if let Err(e) = result {
        tracing::debug!("config fingerprint {}: {e}", file.display());
    }
}

/// The whole config, checked after the first frame (see the module).
#[derive(Debug)]
pub struct Deferred {
    pub text: String,
    pub path: PathBuf,
}

impl Deferred {
    pub fn load(&self) -> Result<Config, ConfigError> {
        super::load_text(&self.text, &self.path)
    }
}

/// This build and this text: a hash of the text (fixed keys), its length
/// and the version, so another build checks the file in full again.
fn fingerprint(text: &str) -> String {
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    format!("{} {} {:016x}", env!("CARGO_PKG_VERSION"), text.len(), h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[ui]\nsort = \"feed\"\n\n[[feed]]\nurl = \"https://a.example/\"\ntags = [\"x\", \"y\"] # two\n\n[poller]\ninterval = \"2h\"\n[[feed]]\nurl = \"https://b.example/\"\n[feed.headers]\nx = 1\n";

    #[test]
    fn the_feed_tables_are_blanked_line_for_line() {
        let (head, feeds) = without_feeds(TEXT).unwrap();
        assert_eq!(feeds, 2);
        assert_eq!(head, "[ui]\nsort = \"feed\"\n\n\n\n\n\n[poller]\ninterval = \"2h\"\n\n\n\n\n");
        assert_eq!(head.lines().count(), TEXT.lines().count());
        // Not sure of the lines: a value over several lines, a multi-line string; no feeds at all.
        assert_eq!(without_feeds("[[feed]]\nurl = \"https://a.example/\"\ntags = [\n\"x\",\n]\n"), None);
        assert_eq!(without_feeds("[[feed]]\nurl = \"https://a.example/\"\ntitle = \"\"\"a\n[ui]\"\"\"\n"), None);
        assert_eq!(without_feeds("[ui]\nsort = \"feed\"\n"), None);
        assert!(one_line_value("title = \"a [b\" # ]]"));
        assert!(!one_line_value("tags = [\"a\","));
    }

    #[test]
    fn only_the_text_checked_in_full_last_time_starts_without_its_feeds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text =
            "[ui]\nsort = \"title\"\n[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://b.example/\"\n";
        assert!(checked_before(dir.path(), text, &path).is_none(), "never checked");
        let cfg = super::super::load_text(text, &path).unwrap();
        remember(dir.path(), text, &path, &cfg);
        let (head, feeds) = checked_before(dir.path(), text, &path).unwrap();
        assert_eq!(feeds, 2);
        assert!(head.feeds.is_empty());
        assert_eq!(head.ui.sort, cfg.ui.sort);
        // Edited since: checked in full again.
        let edited = text.replace("b.example", "c.example");
        assert!(checked_before(dir.path(), &edited, &path).is_none());
        let cfg = super::super::load_text(&edited, &path).unwrap();
        remember(dir.path(), &edited, &path, &cfg);
        assert!(checked_before(dir.path(), &edited, &path).is_some());
        assert!(checked_before(dir.path(), text, &path).is_none(), "the last full check was of another text");
    }
}
