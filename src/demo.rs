//! `--demo`: the bundled demo feeds, dated relative to now, written to a
//! throw-away directory with a config that reads them through `file://` URLs
//! (the same poller path as real feeds, no network).

use std::path::Path;

use anyhow::Context;

use crate::config::Paths;

/// (file name, contents, title, tags)
const FEEDS: &[(&str, &str, &str, &[&str])] = &[
    (
        "harbour-gazette.xml",
        include_str!("../assets/demo/harbour-gazette.xml"),
        "The Harbour Gazette",
        &["news", "local"],
    ),
    (
        "orbital-dispatch.xml",
        include_str!("../assets/demo/orbital-dispatch.xml"),
        "Orbital Dispatch",
        &["science", "space"],
    ),
    (
        "ledger-and-loom.json",
        include_str!("../assets/demo/ledger-and-loom.json"),
        "Ledger & Loom",
        &["business", "economy"],
    ),
];

/// A demo directory; removed when dropped.
pub struct Demo {
    _dir: tempfile::TempDir,
    pub paths: Paths,
}

impl Demo {
    pub fn create() -> anyhow::Result<Demo> {
        let dir = tempfile::Builder::new().prefix("tidings-demo-").tempdir().context("creating the demo directory")?;
        let paths = write_demo(dir.path(), chrono::Utc::now().timestamp())?;
        Ok(Demo { _dir: dir, paths })
    }
}

/// Writes the demo feeds and config under `root`, with dates relative to `now`.
pub fn write_demo(root: &Path, now: i64) -> anyhow::Result<Paths> {
    let feeds_dir = root.join("feeds");
    std::fs::create_dir_all(&feeds_dir)?;
    let mut config = String::from("# The demo configuration (throw-away).\n\n");
    for (file, text, title, tags) in FEEDS {
        let path = feeds_dir.join(file);
        std::fs::write(&path, fill_dates(text, now)).with_context(|| format!("writing {}", path.display()))?;
        let url = url::Url::from_file_path(&path).map_err(|_| anyhow::anyhow!("bad demo path {}", path.display()))?;
        let tags = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\ntitle = \"{title}\"\ntags = [{tags}]\n\n"));
    }
    let paths = Paths { config: root.join("config.toml"), data_dir: root.join("data") };
    std::fs::write(&paths.config, config)?;
    Ok(paths)
}

/// Replaces `{{RFC2822:-2h}}` and `{{RFC3339:-15m}}` with dates that long before `now`.
pub fn fill_dates(text: &str, now: i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        rest = &rest[start + len + 2..];
        match substitute(inner, now) {
            Some(date) => out.push_str(&date),
            None => {
                out.push_str("{{");
                out.push_str(inner);
                out.push_str("}}");
            }
        }
    }
    out.push_str(rest);
    out
}

fn substitute(inner: &str, now: i64) -> Option<String> {
    let (format, offset) = inner.split_once(':')?;
    let offset = offset.strip_prefix('-')?;
    let (num, unit) = offset.split_at(offset.len().checked_sub(1)?);
    let n: i64 = num.parse().ok()?;
    let secs = n * match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    let when = chrono::DateTime::from_timestamp(now - secs, 0)?;
    match format {
        "RFC2822" => Some(when.to_rfc2822()),
        "RFC3339" => Some(when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dates() {
        let now = 1_718_744_700; // 2024-06-18 21:05 UTC
        assert_eq!(fill_dates("<d>{{RFC3339:-2h}}</d>", now), "<d>2024-06-18T19:05:00Z</d>");
        assert_eq!(fill_dates("{{RFC2822:-1d}}", now), "Mon, 17 Jun 2024 21:05:00 +0000");
        assert_eq!(fill_dates("keep {{other}} as is", now), "keep {{other}} as is");
    }

    #[test]
    fn demo_feeds_parse_with_enough_items() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_demo(dir.path(), 1_718_744_700).unwrap();
        let cfg = crate::config::load(&paths.config).unwrap();
        assert_eq!(cfg.feeds.len(), 3);
        let mut items = 0;
        for (file, ..) in FEEDS {
            let bytes = std::fs::read(dir.path().join("feeds").join(file)).unwrap();
            let feed = crate::feed::parse::parse("file:///demo", &bytes).unwrap();
            assert!(feed.items.iter().all(|i| !i.title.is_empty() && i.content.is_some()), "{file}");
            items += feed.items.len();
        }
        assert!(items >= 30, "{items} demo items");
    }
}
