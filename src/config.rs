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
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io { path: path.into(), error })?;
    let cfg = parse(&text, path)?;
    if cfg.sync.as_ref().is_some_and(|s| s.password.is_some())
        && let Err(message) = sync::check_mode(path)
    {
        let line = line_of(&text, find_key(&text, "sync", "password"));
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
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("/cfg/config.toml"))
    }

    #[test]
    fn embedded_default_parses_to_the_rust_defaults() {
        let cfg = p(DEFAULT_CONFIG).unwrap();
        let d = Config::default();
        assert_eq!(cfg.poller, d.poller);
        assert_eq!(cfg.ui, d.ui);
        assert_eq!(cfg.store, d.store);
        assert_eq!(cfg.feeds, default_feeds());
        assert!(d.feeds.is_empty());
        assert!(cfg.feeds.len() >= 6);
        assert_eq!(cfg.feeds[0].url, "https://www.themoscowtimes.com/rss/news");
        assert_eq!(cfg.feeds[0].tags, ["news", "russia"]);
    }

    #[test]
    fn empty_config_takes_defaults() {
        let cfg = p("").unwrap();
        assert_eq!(cfg, Config::default());
    }

    #[test]
    fn a_config_without_feeds_has_no_feeds() {
        assert!(p("").unwrap().feeds.is_empty());
        assert!(p("[keys]\nsave = [\"S\"]\n").unwrap().feeds.is_empty(), "not the default news feeds");
    }

    #[test]
    fn durations_and_sizes() {
        let cfg = p("[poller]\ninterval = \"5s\"\ntimeout = \"1m\"\nmax_body = \"2MiB\"\n").unwrap();
        assert_eq!(cfg.poller.interval, Duration::from_secs(5));
        assert_eq!(cfg.poller.timeout, Duration::from_secs(60));
        assert_eq!(cfg.poller.max_body, 2 << 20);
        assert_eq!(cfg.poller.concurrency, 8, "unset fields keep their default");
    }

    fn err(text: &str) -> String {
        p(text).unwrap_err().to_string()
    }

    #[test]
    fn bad_duration_names_line_and_key() {
        let e = err("# comment\n[poller]\ninterval = \"5x\"\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `poller.interval`: invalid duration \"5x\""), "{e}");
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = err("[ui]\nlayout = \"auto\"\ncolour = 3\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `ui.colour`: unknown field"), "{e}");
    }

    #[test]
    fn unknown_section_is_named() {
        let e = err("[ui]\n\n[polller]\ninterval = \"5s\"\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `polller`"), "{e}");
    }

    #[test]
    fn wrong_type_in_feed() {
        let e = err("[[feed]]\nurl = \"https://a.example/rss\"\ntags = \"news\"\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `feed.tags`: invalid type"), "{e}");
    }

    #[test]
    fn bad_url_and_duplicates() {
        let e = err("[[feed]]\nurl = \"not a url\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `feed.url`"), "{e}");
        let e = err("[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n");
        assert!(e.contains("listed twice"), "{e}");
    }

    #[test]
    fn key_clash_names_both_actions_and_line() {
        let e = err("[keys]\nrefresh = [\"R\"]\nquit = [\"j\"]\nsave = [\"j\"]\n");
        assert_eq!(e, "/cfg/config.toml:3: key `keys.quit`: key \"j\" is bound to both `save` and `quit`");
    }

    #[test]
    fn a_user_key_moves_off_its_default_action() {
        let cfg = p("[keys]\nnext_unread = [\"Space\", \"n\"]\n").unwrap();
        assert_eq!(cfg.keymap.label(Action::NextUnread), "Space/n");
        assert_eq!(cfg.keymap.label(Action::PageOrNextUnread), "");
    }

    #[test]
    fn quit_and_help_cannot_be_unbound() {
        let e = err("[ui]\nmouse = true\n\n[keys]\nsave = [\"S\"]\nquit = []\n");
        assert_eq!(e, "/cfg/config.toml:6: key `keys.quit`: `quit` must keep at least one key");
        let e = err("[keys]\nfilter = [\"?\"]\n");
        assert!(e.starts_with("/cfg/config.toml:1: key `keys.help`: `help` must keep at least one key"), "{e}");
        let e = err("[keys]\ncopy_link = [\"Ctrl-c\"]\n");
        assert_eq!(
            e,
            "/cfg/config.toml:2: key `keys.copy_link`: Ctrl-c always quits; it cannot be bound to `copy_link`"
        );
    }

    #[test]
    fn unknown_action_is_refused() {
        let e = err("[keys]\nfly = [\"f\"]\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `keys.fly`"), "{e}");
    }

    #[test]
    fn saved_queries_are_read_and_checked() {
        let cfg = p("[[query]]\nname = \"Putin\"\nquery = \"putin unread\"\n").unwrap();
        assert_eq!(cfg.queries, [SavedQuery { name: "Putin".into(), query: "putin unread".into() }]);
        let e = err("[ui]\nmouse = true\n\n[[query]]\nname = \"Broken\"\nquery = \"(tag:x\"\n");
        assert_eq!(
            e,
            "/cfg/config.toml:6: key `query.query`: invalid query at column 7: expected `)` to close the `(` at column 1"
        );
        let e = err("[[query]]\nname = \"A\"\nquery = \"a\"\n[[query]]\nname = \"A\"\nquery = \"b\"\n");
        assert!(e.contains("\"A\" is listed twice"), "{e}");
        let e = err("[[query]]\nname = \"A\"\n");
        assert!(e.contains("missing field `query`"), "{e}");
    }

    // — #15 stories —
    #[test]
    fn the_stories_table_is_read_and_checked_with_its_line() {
        let cfg = p("").unwrap();
        assert_eq!(cfg.stories.config(), crate::stories::StoriesConfig::default());
        let cfg =
            p("[stories]\nenabled = false\nprefer = [\"Meduza\"]\ncount = \"items\"\nwindow = \"24h\"\n").unwrap();
        let c = cfg.stories.config();
        assert!(!c.enabled);
        assert_eq!((c.prefer, c.count, c.window_hours), (vec!["Meduza".to_string()], crate::stories::Count::Items, 24));
        let e = err("[ui]\nmouse = true\n\n[stories]\ncount = \"rows\"\n");
        assert!(e.starts_with("/cfg/config.toml:5: key `stories.count`: unknown variant `rows`"), "{e}");
        let e = err("[stories]\nenabled = true\nwindow = \"10m\"\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `stories.window`: must be between"), "{e}");
        let e = err("[stories]\nprefer = [\"\"]\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `stories.prefer`"), "{e}");
        let e = err("[stories]\ngroup = true\n");
        assert!(e.contains("stories.group") || e.contains("group"), "{e}");
    }

    #[test]
    fn mute_rules_are_read_and_checked_with_their_line() {
        let cfg = p("[[mute]]\nquery = \"title:horoscope\"\n").unwrap();
        assert_eq!(cfg.mute_queries(), ["title:horoscope"]);
        let e = err("[ui]\nmouse = true\n\n[[mute]]\nquery = \"title:\"\n");
        assert!(e.starts_with("/cfg/config.toml:5: key `mute.query`: invalid query at column"), "{e}");
        let e = err("[[mute]]\nquery = \" \"\n");
        assert!(e.contains("mute.query") && e.contains("must not be empty"), "{e}");
        let e = err("[[mute]]\nquerry = \"x\"\n");
        assert!(e.contains("unknown field `querry`"), "{e}");
    }

    #[test]
    fn ui_values_are_checked_at_load_time() {
        let cfg =
            p("[ui]\ntheme = \"light\"\nlist_width = \"45%\"\nsidebar_width = 30\n[ui.colors]\naccent = \"magenta\"\n")
                .unwrap();
        assert_eq!(cfg.ui.theme, ThemeName::Light);
        assert_eq!(cfg.ui.list_width, Width::Percent(45));
        assert_eq!(cfg.ui.sidebar_width, Width::Columns(30));
        assert_eq!(cfg.ui.colors[&Role::Accent].fg, Some(ratatui::style::Color::Magenta));
        let e = err("[ui]\nmouse = true\ndate_format = \"%Q %\"\n");
        assert!(e.starts_with("/cfg/config.toml:3: key `ui.date_format`: invalid date format \"%Q %\""), "{e}");
        let e = err("[ui]\ntheme = \"neon\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `ui.theme`: unknown variant `neon`"), "{e}");
        let e = err("[ui.colors]\nselected = \"blurple\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `ui.colors.selected`: unknown colour \"blurple\""), "{e}");
        let e = err("[ui.colors]\nsparkle = \"red\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `ui.colors.sparkle`: unknown variant"), "{e}");
        let e = err("[ui]\nlist_width = \"95%\"\n");
        assert!(e.starts_with("/cfg/config.toml:2: key `ui.list_width`: width \"95%\" out of range"), "{e}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("512 KiB"), Ok(512 * 1024));
        assert_eq!(parse_size("42"), Ok(42));
        assert!(parse_size("ten").is_err());
    }
}
