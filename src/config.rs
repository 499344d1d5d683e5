//! `config.toml`: serde structs whose defaults are `assets/default-config.toml`,
//! and errors that name the file, line and key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

pub mod commands;
pub mod edit;
mod limits;
mod replace;
pub mod sync;
pub mod ui;
// — #13 feeds view —
mod listing;
// — #15 stories —
pub mod stories;
// — #10 first frame —
pub mod preview;

pub use sync::{SyncConfig, SyncKind};
pub use ui::{ColorSpec, LayoutMode, Role, ThemeName, UiConfig, Width};
// — #13 feeds view —
pub use listing::{FeedsMode, SortOrder};

use crate::app::action::Action;
use crate::app::keymap::{Keymap, KeymapError};

/// The default configuration, written to the user's config dir on first run.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Feeds, in the order written. None listed: no feeds (the default
    /// feeds are written into the file on the first run only).
    #[serde(rename = "feed", default)]
    pub feeds: Vec<FeedConfig>,
    #[serde(default)]
    pub poller: PollerConfig,
    #[serde(default)]
    pub ui: UiConfig,
    #[serde(default)]
    pub store: StoreConfig,
    /// action → keys, laid over the default keymap.
    #[serde(default)]
    pub keys: BTreeMap<Action, Vec<String>>,
    /// Saved searches, shown in the sidebar with live counts.
    #[serde(rename = "query", default)]
    pub queries: Vec<SavedQuery>,
    /// The feed server to sync with; then the source of feeds and items.
    #[serde(default)]
    pub sync: Option<SyncConfig>,
    // — #13 commands —
    /// The user's commands on items (`[[command]]`), bound to keys.
    #[serde(rename = "command", default)]
    pub commands: Vec<commands::CommandConfig>,
    /// The keymap built from `keys`, checked for clashes at load time.
    #[serde(skip)]
    pub keymap: Keymap,
    // — #13 cmdline —
    /// Mute rules: new items matching one are dismissed as they arrive.
    #[serde(rename = "mute", default)]
    pub mutes: Vec<MuteRule>,
    // — #15 stories —
    /// Story grouping (`[stories]`).
    #[serde(default)]
    pub stories: stories::StoriesTable,
}

/// A `[[mute]]`: items matching `query` (§8) are dismissed as they arrive
/// (journalled, so `u` gives them back; counted in `tidings stats`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MuteRule {
    pub query: String,
}

impl Config {
    /// The `[[mute]]` queries, for `Store::set_mute`.
    pub fn mute_queries(&self) -> Vec<String> {
        self.mutes.iter().map(|m| m.query.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub full_text: bool,
    #[serde(default, deserialize_with = "de_opt_duration")]
    pub interval: Option<Duration>,
}

impl FeedConfig {
    pub fn new(url: impl Into<String>) -> FeedConfig {
        FeedConfig { url: url.into(), title: None, tags: Vec::new(), full_text: false, interval: None }
    }
}

/// A `[[query]]`: a name for the sidebar and a query in the §8 language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    pub name: String,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollerConfig {
    #[serde(deserialize_with = "de_duration")]
    pub interval: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    #[serde(deserialize_with = "de_duration")]
    pub timeout: Duration,
    #[serde(deserialize_with = "de_size")]
    pub max_body: u64,
    pub user_agent: Option<String>,
    // — #13 commands —
    /// Run after a poll round that stored new items: a program and its
    /// arguments (no shell); `{count}` is the number of new items.
    pub on_new: Option<Vec<String>>,
}

impl Default for PollerConfig {
    fn default() -> Self {
        PollerConfig {
            interval: Duration::from_secs(30 * 60),
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(20),
            max_body: 10_000_000,
            user_agent: None,
            on_new: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    pub keep_read_days: u32,
    pub max_items_per_feed: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { keep_read_days: 90, max_items_per_feed: 2000 }
    }
}

/// The feeds of the embedded default config (what the first run writes).
pub fn default_feeds() -> Vec<FeedConfig> {
    toml::from_str::<toml::Table>(DEFAULT_CONFIG)
        .ok()
        .and_then(|mut t| t.remove("feed"))
        .and_then(|v| v.try_into().ok())
        .unwrap_or_default()
}

/// A config that could not be used. `Display` is the message for the user.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The cause is in the message, not a `source`: shown once, not twice.
    #[error("cannot read config {}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}: key `{key}`: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, key: String, message: String },
}

/// Reads and checks the config at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_text(&read(path)?, path)
}

/// The config file's text.
pub fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|error| ConfigError::Io { path: path.into(), error })
}

/// `load` of text already read from `path`.
pub fn load_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let cfg = parse(text, path)?;
    if cfg.sync.as_ref().is_some_and(|s| s.password.is_some())
        && let Err(message) = sync::check_mode(path)
    {
        let line = line_of(text, find_key(text, "sync", "password"));
        return Err(ConfigError::Invalid { path: path.into(), line, key: "sync.password".into(), message });
    }
    Ok(cfg)
}

/// Writes the default config to `path` unless a file is already there.
pub fn ensure_exists(path: &Path) -> Result<bool, ConfigError> {
    if path.exists() {
        return Ok(false);
    }
    let io = |error| ConfigError::Io { path: path.into(), error };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, DEFAULT_CONFIG).map_err(io)?;
    Ok(true)
}

/// Parses config text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |offset: usize, key: String, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, offset),
        key,
        message,
    };
    let mut cfg: Config = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let message = e.message().trim().to_string();
        invalid(offset, key_at(text, offset, &message), message)
    })?;

    let mut seen = std::collections::HashSet::new();
    for feed in &cfg.feeds {
        // Found only for an error: a search per feed made big configs quadratic.
        let at = || find(text, &feed.url);
        match crate::url_policy::check(&feed.url, crate::url_policy::Origin::UserFeed) {
            Ok(_) => {}
            Err(crate::url_policy::Refused::Scheme { scheme, .. }) => {
                return Err(invalid(at(), "feed.url".into(), format!("unsupported scheme \"{scheme}\"")));
            }
            Err(e) => return Err(invalid(at(), "feed.url".into(), e.to_string())),
        }
        if !seen.insert(feed.url.as_str()) {
            return Err(invalid(at(), "feed.url".into(), format!("\"{}\" is listed twice", feed.url)));
        }
    }
    let mut names = std::collections::HashSet::new();
    for q in &cfg.queries {
        let at = find_value(text, "query", &q.query);
        if q.name.trim().is_empty() {
            return Err(invalid(find_value(text, "name", &q.name), "query.name".into(), "must not be empty".into()));
        }
        if !names.insert(q.name.as_str()) {
            let at = find_value(text, "name", &q.name);
            return Err(invalid(at, "query.name".into(), format!("\"{}\" is listed twice", q.name)));
        }
        if let Err(e) = crate::query::parse(&q.query) {
            return Err(invalid(at, "query.query".into(), format!("invalid query at {e}")));
        }
    }
    for m in &cfg.mutes {
        let at = find_value(text, "query", &m.query);
        if m.query.trim().is_empty() {
            return Err(invalid(at, "mute.query".into(), "must not be empty (it would mute everything)".into()));
        }
        if let Err(e) = crate::query::parse(&m.query) {
            return Err(invalid(at, "mute.query".into(), format!("invalid query at {e}")));
        }
    }
    limits::check(&cfg, text).map_err(|(at, key, message)| invalid(at, key, message))?;
    if cfg.poller.concurrency == 0 || cfg.poller.per_host == 0 {
        let key = if cfg.poller.concurrency == 0 { "concurrency" } else { "per_host" };
        return Err(invalid(find_key(text, "poller", key), format!("poller.{key}"), "must be at least 1".into()));
    }
    if let Some(s) = &cfg.sync
        && let Err((key, message)) = sync::check(s)
    {
        return Err(invalid(find_key(text, "sync", key), format!("sync.{key}"), message));
    }
    // — #15 stories —
    if let Err((key, message)) = stories::check(&cfg.stories) {
        return Err(invalid(find_key(text, "stories", key), format!("stories.{key}"), message));
    }
    cfg.keymap = Keymap::build(&cfg.keys).map_err(|e| {
        let at = find_key(text, "keys", e.action());
        invalid(at, format!("keys.{}", e.action()), e.to_string())
    })?;
    // — #13 commands —
    if let Err((i, key, message)) = commands::check(&cfg.commands) {
        let c = &cfg.commands[i];
        let value = match key {
            "name" => c.name.as_str(),
            "run" => c.run.as_str(),
            _ => c.key.as_deref().unwrap_or_default(),
        };
        return Err(invalid(find_value(text, key, value), format!("command.{key}"), message));
    }
    if cfg.poller.on_new.as_ref().is_some_and(|a| a.first().is_none_or(|p| p.trim().is_empty())) {
        return Err(invalid(find_key(text, "poller", "on_new"), "poller.on_new".into(), "needs a program".into()));
    }
    let command_keys: Vec<(String, Option<String>)> =
        cfg.commands.iter().map(|c| (c.name.clone(), c.key.clone())).collect();
    cfg.keymap.bind_commands(&command_keys, &cfg.keys).map_err(|e| {
        let key = match &e {
            KeymapError::CommandKey { key, .. } => key.clone(),
            _ => String::new(),
        };
        invalid(find_value(text, "key", &format!("\"{key}\"")), "command.key".into(), e.to_string())
    })?;
    Ok(cfg)
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

fn find(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or(0)
}

/// Offset of the line `key = …value…` (the last one holding `value`, else
/// the first `key = …` line), or 0.
fn find_value(text: &str, key: &str, value: &str) -> usize {
    let (mut offset, mut exact, mut any) = (0, None, None);
    for line in text.split_inclusive('\n') {
        if line.trim_start().split('=').next().map(|k| k.trim().trim_matches('"')) == Some(key) {
            any = any.or(Some(offset));
            if line.contains(value) {
                exact = Some(offset);
            }
        }
        offset += line.len();
    }
    exact.or(any).unwrap_or(0)
}

/// Offset of `key =` inside `[section]`, or of the section header, or 0.
fn find_key(text: &str, section: &str, key: &str) -> usize {
    let header = format!("[{section}]");
    let mut offset = 0;
    let mut in_section = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t == header;
        } else if in_section && t.split('=').next().map(|k| k.trim().trim_matches('"')) == Some(key) {
            return offset;
        }
        offset += line.len();
    }
    text.find(&header).unwrap_or(0)
}

/// The dotted key at an error offset: the table header above it plus the key on its line.
fn key_at(text: &str, offset: usize, message: &str) -> String {
    // "unknown field `x`" names the key itself.
    let named = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[line_start..].find('\n').map(|i| line_start + i).unwrap_or(text.len());
    let line = text[line_start..line_end].trim();
    let mut table = String::new();
    for l in text[..line_start].lines().rev() {
        let l = l.trim();
        if l.starts_with('[') {
            table = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            break;
        }
    }
    let own = if line.starts_with('[') {
        // The error is about a table header itself, e.g. an unknown section.
        return line.trim_matches(|c| c == '[' || c == ']').trim().to_string();
    } else if let Some(n) = named {
        n.to_string()
    } else {
        line.split('=').next().unwrap_or("").trim().trim_matches('"').to_string()
    };
    match (table.is_empty(), own.is_empty()) {
        (true, _) => own,
        (false, true) => table,
        (false, false) => format!("{table}.{own}"),
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s)
        .map_err(|e| format!("invalid duration \"{s}\" ({e}); write e.g. \"30s\", \"5m\", \"2h\""))
}

pub(crate) fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    parse_duration(&s).map_err(serde::de::Error::custom)
}

fn de_opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    de_duration(d).map(Some)
}

fn de_size<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Bytes(u64),
        Text(String),
    }
    match Size::deserialize(d)? {
        Size::Bytes(n) => Ok(n),
        Size::Text(s) => parse_size(&s).map_err(serde::de::Error::custom),
    }
}

/// "10MB", "512 KiB", "2000000".
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("invalid size \"{s}\"; write e.g. \"10MB\""))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1_000,
        "mb" | "m" => 1_000_000,
        "gb" | "g" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!("invalid size unit in \"{s}\"; use B, KB, MB, GB, KiB, MiB or GiB"));
        }
    };
    Ok((n * mult as f64) as u64)
}

/// Where the config and the data live.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// Explicit paths win; otherwise the platform's dirs (XDG on Linux).
    pub fn resolve(config: Option<PathBuf>, data_dir: Option<PathBuf>) -> anyhow::Result<Paths> {
        let dirs = directories::ProjectDirs::from("", "", "tidings");
        let config = match (config, &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.config_dir().join("config.toml"),
            (None, None) => anyhow::bail!("no home directory found; pass --config"),
        };
        let data_dir = match (data_dir, &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.data_dir().to_path_buf(),
            (None, None) => anyhow::bail!("no home directory found; pass --data-dir"),
        };
        Ok(Paths { config, data_dir })
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("tidings.db")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("tidings.log")
    }
}

#[cfg(test)]
mod tests;
