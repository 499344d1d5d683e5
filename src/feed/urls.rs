//! newsboat's `urls` file: one feed per line, then its tags, quoted when they
//! hold spaces. A tag starting with `~` is the feed's title, `!` hides the
//! feed in newsboat; `query:`, `exec:` and `filter:` lines have no tidings
//! equivalent and are reported as skipped.

use crate::config::edit::NewFeed;

/// What a urls file holds: the feeds, and notes on lines not taken as they were.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlsFile {
    pub feeds: Vec<NewFeed>,
    /// "line 7: query feed skipped (…)".
    pub notes: Vec<String>,
}

pub fn read(text: &str) -> UrlsFile {
    let mut out = UrlsFile::default();
    // Index of each URL in `out.feeds`: a long file stays linear.
    let mut by_url = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = split(line).into_iter();
        let Some(url) = words.next() else { continue };
        let kind = url.split(':').next().unwrap_or("");
        match kind {
            "query" => {
                let name = url.split(':').nth(1).unwrap_or("");
                out.notes.push(format!("line {}: query feed \"{name}\" skipped (use a saved query instead)", n + 1));
                continue;
            }
            "exec" | "filter" => {
                out.notes.push(format!("line {}: {kind}: feed skipped (tidings does not run commands)", n + 1));
                continue;
            }
            "http" | "https" | "file" => {}
            _ => {
                out.notes.push(format!("line {}: \"{url}\" skipped (not an http(s) URL)", n + 1));
                continue;
            }
        }
        let mut feed = NewFeed { url: url.clone(), ..Default::default() };
        for word in words {
            if let Some(title) = word.strip_prefix('~') {
                feed.title = Some(title.to_string()).filter(|t| !t.is_empty());
            } else if word.starts_with('!') {
                out.notes.push(format!("line {}: {url} is hidden in newsboat; imported as a normal feed", n + 1));
            } else if !word.is_empty() && !feed.tags.contains(&word) {
                feed.tags.push(word);
            }
        }
        match by_url.get(&feed.url) {
            Some(&i) => {
                let seen: &mut NewFeed = &mut out.feeds[i];
                seen.tags.extend(feed.tags.into_iter().filter(|t| !seen.tags.contains(t)).collect::<Vec<_>>())
            }
            None => {
                by_url.insert(feed.url.clone(), out.feeds.len());
                out.feeds.push(feed);
            }
        }
    }
    out
}

/// Splits on whitespace, keeping "quoted words" together (`\"` inside quotes is a quote).
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => break,
                    c => word.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newsboat_urls_file_is_understood() {
        let text = r#"# my feeds
https://a.example/rss news "world news" "~A Better Title"
https://b.example/atom.xml
   https://c.example/feed tech !
"query:Unread Articles:unread = \"yes\""
exec:~/bin/make-feed.sh
https://a.example/rss extra
gopher://old.example/
"#;
        let f = read(text);
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = f
            .feeds
            .iter()
            .map(|f| (f.url.as_str(), f.title.as_deref(), f.tags.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://a.example/rss", Some("A Better Title"), vec!["news", "world news", "extra"]),
                ("https://b.example/atom.xml", None, vec![]),
                ("https://c.example/feed", None, vec!["tech"]),
            ]
        );
        assert_eq!(f.notes.len(), 4, "{:?}", f.notes);
        assert!(f.notes[0].contains("hidden in newsboat"), "{:?}", f.notes);
        assert!(f.notes[1].starts_with("line 5: query feed \"Unread Articles\" skipped"), "{:?}", f.notes);
        assert!(f.notes[2].starts_with("line 6: exec: feed skipped"), "{:?}", f.notes);
        assert!(f.notes[3].contains("gopher://old.example/"), "{:?}", f.notes);
    }
}
