//! Rewriting the user's config file when feeds are added, removed or
//! imported. `toml_edit` keeps every comment, blank line and key order the
//! user wrote; new `[[feed]]` blocks go after the last one. The result is
//! checked like any config before it replaces the file, and the file is
//! replaced in one rename, so a crash never leaves half a config (see
//! `replace`: symlinks, mode and the lock that keeps concurrent edits apart).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::ConfigError;
use super::replace::{self, Lock};

/// A feed to add: what the user or an import gave.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewFeed {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
}

/// The config file, parsed for editing.
pub struct ConfigFile {
    path: PathBuf,
    doc: DocumentMut,
    /// The feeds' URLs, so that adding ten thousand feeds stays linear.
    urls: HashSet<String>,
    /// Where new `[[feed]]` blocks go: the position of the last one.
    last_position: Option<isize>,
    /// Held from reading to saving by `open_locked`.
    lock: Option<Lock>,
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty config.
    pub fn open(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(ConfigError::Io { path: path.into(), error }),
        };
        ConfigFile::parse(&text, path)
    }

    /// Reads the file for a change: another tidings changing it waits until
    /// this one has saved (or dropped) it, so neither change is lost.
    pub fn open_locked(path: &Path) -> Result<ConfigFile, ConfigError> {
        let io = |error| ConfigError::Io { path: path.into(), error };
        let lock = Lock::acquire(&replace::target(path).map_err(io)?).map_err(io)?;
        let mut file = ConfigFile::open(path)?;
        file.lock = Some(lock);
        Ok(file)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        // The same checks as loading, so errors name the line and key.
        super::parse(text, path)?;
        let doc = text.parse::<DocumentMut>().map_err(|e| ConfigError::Invalid {
            path: path.into(),
            line: 1,
            key: String::new(),
            message: e.to_string(),
        })?;
        let mut file = ConfigFile { path: path.into(), doc, urls: HashSet::new(), last_position: None, lock: None };
        file.urls = file.feed_urls().into_iter().collect();
        file.last_position = file.feeds().and_then(|a| a.iter().filter_map(Table::position).max());
        Ok(file)
    }

    /// True when the file lists its own feeds (otherwise the built-in defaults apply).
    pub fn lists_feeds(&self) -> bool {
        self.doc.get("feed").and_then(Item::as_array_of_tables).is_some_and(|a| !a.is_empty())
    }

    /// The URLs of the feeds in the file, in order.
    pub fn feed_urls(&self) -> Vec<String> {
        self.feeds().map(|a| a.iter().filter_map(url_of).map(String::from).collect()).unwrap_or_default()
    }

    pub fn has_feed(&self, url: &str) -> bool {
        self.urls.contains(url)
    }

    fn feeds(&self) -> Option<&ArrayOfTables> {
        self.doc.get("feed").and_then(Item::as_array_of_tables)
    }

    /// Appends a `[[feed]]` block after the last one. False if the URL is already listed.
    pub fn add_feed(&mut self, feed: &NewFeed) -> bool {
        if self.has_feed(&feed.url) {
            return false;
        }
        let mut table = Table::new();
        table["url"] = value(&feed.url);
        if let Some(title) = &feed.title {
            table["title"] = value(title);
        }
        if !feed.tags.is_empty() {
            table["tags"] = value(feed.tags.iter().map(String::as_str).collect::<Array>());
        }
        table.decor_mut().set_prefix("\n");
        if !self.doc.contains_key("feed") {
            self.doc.insert("feed", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        let Some(feeds) = self.doc.get_mut("feed").and_then(Item::as_array_of_tables_mut) else {
            return false; // `feed` is something else; the config check would have refused it
        };
        // Same position as the last feed: rendered right after it, before [poller] and the rest.
        if let Some(last) = self.last_position {
            table.set_position(Some(last));
        }
        feeds.push(table);
        self.urls.insert(feed.url.clone());
        true
    }

    /// Removes the feed's block. False if the URL is not listed.
    pub fn remove_feed(&mut self, url: &str) -> bool {
        let Some(feeds) = self.doc.get_mut("feed").and_then(Item::as_array_of_tables_mut) else { return false };
        let Some(index) = feeds.iter().position(|t| url_of(t) == Some(url)) else { return false };
        // The comments above the first block usually introduce the whole section: keep them.
        let prefix = feeds.get(index).and_then(|t| t.decor().prefix()).and_then(|p| p.as_str()).map(String::from);
        feeds.remove(index);
        if index == 0
            && let (Some(prefix), Some(next)) = (prefix, feeds.get_mut(0))
            && prefix.contains('#')
        {
            next.decor_mut().set_prefix(prefix);
        }
        if feeds.is_empty() {
            self.doc.remove("feed");
        }
        self.urls.remove(url);
        true
    }

    pub fn to_text(&self) -> String {
        self.doc.to_string()
    }

    /// Checks the edited text like a config load, then replaces the file
    /// (the target of a symlink) atomically, keeping its mode.
    pub fn save(&self) -> Result<(), ConfigError> {
        let text = self.to_text();
        super::parse(&text, &self.path)?;
        let io = |error| ConfigError::Io { path: self.path.clone(), error };
        let target = replace::target(&self.path).map_err(io)?;
        let _lock = match self.lock {
            Some(_) => None,
            None => Some(Lock::acquire(&target).map_err(io)?),
        };
        replace::write_atomically(&target, &text).map_err(io)
    }
}

fn url_of(t: &Table) -> Option<&str> {
    t.get("url").and_then(Item::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# My feeds, hand-kept.\n\n# ── Feeds\n[[feed]]\nurl = \"https://a.example/rss\" # the first\n\
                        tags = [\"news\"]\n\n[[feed]]\nurl = \"https://b.example/rss\"\n\n# ── Poller\n[poller]\n\
                        interval = \"10m\"   # keep it fresh\n";

    fn file() -> ConfigFile {
        ConfigFile::parse(TEXT, Path::new("/cfg/config.toml")).unwrap()
    }

    #[test]
    fn adding_keeps_comments_and_goes_after_the_last_feed() {
        let mut f = file();
        let new = NewFeed {
            url: "https://c.example/feed".into(),
            title: Some("C \"quoted\"".into()),
            tags: vec!["t".into()],
        };
        assert!(f.add_feed(&new));
        assert!(!f.add_feed(&new), "no duplicates");
        let text = f.to_text();
        let expected = TEXT.replace(
            "\n# ── Poller",
            "\n[[feed]]\nurl = \"https://c.example/feed\"\ntitle = 'C \"quoted\"'\ntags = [\"t\"]\n\n# ── Poller",
        );
        assert_eq!(text, expected);
        let cfg = crate::config::parse(&text, Path::new("x")).unwrap();
        assert_eq!(cfg.feeds[2].title.as_deref(), Some("C \"quoted\""));
        assert_eq!(cfg.poller.interval, std::time::Duration::from_secs(600));
    }

    #[test]
    fn removing_keeps_the_section_comment() {
        let mut f = file();
        assert!(f.remove_feed("https://a.example/rss"));
        assert!(!f.remove_feed("https://a.example/rss"));
        let text = f.to_text();
        assert!(
            text.starts_with("# My feeds, hand-kept.\n\n# ── Feeds\n[[feed]]\nurl = \"https://b.example/rss\"\n"),
            "{text}"
        );
        assert!(text.contains("interval = \"10m\"   # keep it fresh"));
        assert_eq!(f.feed_urls(), ["https://b.example/rss"]);
    }

    #[test]
    fn a_config_without_feeds_gets_its_first() {
        let mut f = ConfigFile::parse("[poller]\ninterval = \"5m\"\n", Path::new("x")).unwrap();
        assert!(!f.lists_feeds());
        f.add_feed(&NewFeed { url: "https://a.example/".into(), ..Default::default() });
        let cfg = crate::config::parse(&f.to_text(), Path::new("x")).unwrap();
        assert_eq!(cfg.feeds.len(), 1);
        assert!(f.remove_feed("https://a.example/"));
        assert!(!f.lists_feeds());
    }

    #[test]
    fn save_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, TEXT).unwrap();
        let mut f = ConfigFile::open(&path).unwrap();
        f.add_feed(&NewFeed { url: "https://d.example/".into(), ..Default::default() });
        f.save().unwrap();
        let back = std::fs::read_to_string(&path).unwrap();
        assert!(back.contains("url = \"https://d.example/\"") && back.contains("# the first"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }
}
