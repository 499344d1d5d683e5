//! `tidings export reading-list`: the reading list as Markdown (a readable
//! list with links), JSON (an array of entries) or one self-contained HTML
//! page (with each entry's article). Every string from the network is
//! sanitised first, whether it goes to a terminal or a file; the HTML page
//! carries the saved HTML through a whitelist (`article::safe_html`), so it
//! keeps its headings, paragraphs and links and nothing from a feed can run
//! in a browser or load from elsewhere.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::EXIT_OK;
use crate::article::{safe_html, sanitize};
use crate::model::{ReadingEntry, rfc3339};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown: one line per entry, with its link
    Md,
    /// JSON: an array of entries
    Json,
    /// HTML: one self-contained page with each entry's text
    Html,
}

/// One entry as exported: the copy, cleaned, with its tags.
#[derive(Debug, Serialize)]
struct Record {
    id: String,
    title: String,
    link: Option<String>,
    feed: Option<String>,
    feed_url: Option<String>,
    author: Option<String>,
    /// RFC 3339, or null.
    published: Option<String>,
    /// RFC 3339.
    saved_at: String,
    tags: Vec<String>,
    /// The saved HTML (sanitised of control characters).
    content: Option<String>,
}

fn record(e: ReadingEntry, tags: Vec<String>) -> Record {
    let line = |s: String| sanitize::line(&s).into_owned();
    Record {
        id: e.id,
        title: line(e.title),
        link: e.link.map(line),
        feed: e.feed.map(line),
        feed_url: e.feed_url.map(line),
        author: e.author.map(|a| sanitize::author(&a).into_owned()),
        published: e.published.or(e.updated).and_then(rfc3339),
        saved_at: rfc3339(e.saved_at).unwrap_or_default(),
        tags: tags.into_iter().map(line).collect(),
        content: e.full_text.or(e.content).map(|c| sanitize::text(&c).into_owned()),
    }
}

pub fn run(store: &Store, format: Format, output: Option<&Path>, out: &mut impl Write) -> anyhow::Result<i32> {
    let mut records = Vec::new();
    for entry in store.reading_list()? {
        let tags = store.all_tags(&entry.id)?;
        records.push(record(entry, tags));
    }
    let text = match format {
        Format::Md => markdown(&records),
        Format::Json => serde_json::to_string_pretty(&records)? + "\n",
        Format::Html => html(&records),
    };
    match output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            super::output::write_file(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "exported {} entries to {}", records.len(), path.display())?;
        }
    }
    Ok(EXIT_OK)
}

/// "2024-06-18" from an RFC 3339 date.
fn day(rfc: &str) -> &str {
    &rfc[..rfc.len().min(10)]
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(records: &[Record]) -> String {
    let mut out = String::from("# Reading list\n\n");
    if records.is_empty() {
        out.push_str("Nothing saved yet.\n");
    }
    for r in records {
        let title = md_escape(&r.title);
        match &r.link {
            // Angle brackets keep spaces and parentheses in the URL from ending it.
            Some(link) => out.push_str(&format!("- [{title}](<{}>)", link.replace(['<', '>'], ""))),
            None => out.push_str(&format!("- {title}")),
        }
        let mut meta = Vec::new();
        if let Some(feed) = &r.feed {
            meta.push(md_escape(feed));
        }
        if let Some(published) = &r.published {
            meta.push(day(published).to_string());
        }
        meta.push(format!("saved {}", day(&r.saved_at)));
        if !r.tags.is_empty() {
            meta.push(r.tags.iter().map(|t| format!("#{}", md_escape(t))).collect::<Vec<_>>().join(" "));
        }
        out.push_str(&format!(" — {}\n", meta.join(" · ")));
    }
    out
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Only web links become hrefs (no `javascript:` or `data:` URLs).
fn safe_href(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| html_escape(url.as_str()))
}

const STYLE: &str = "body{max-width:46em;margin:2em auto;padding:0 1em;font:17px/1.5 Georgia,serif;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin:2em 0 .2em}a{color:#1a4d8f}
.meta{color:#666;font:14px/1.4 sans-serif;margin:0 0 1em}
.text{font:16px/1.5 Georgia,serif}.text img,.image{color:#666;font-style:italic}
blockquote{margin:1em 0;padding-left:1em;border-left:3px solid #ccc;color:#444}
pre,code{font:14px/1.4 ui-monospace,monospace;background:#f4f4f4}pre{padding:.6em;overflow-x:auto}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}
nav li{margin:.2em 0}
@media (prefers-color-scheme:dark){body{background:#161616;color:#ddd}a{color:#8ab4f8}.meta{color:#999}}";

fn html(records: &[Record]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Reading list</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>Reading list</h1>\n"
    );
    if records.is_empty() {
        out.push_str("<p>Nothing saved yet.</p>\n");
    } else {
        out.push_str(&format!("<p class=\"meta\">{} entries</p>\n<nav><ol>\n", records.len()));
        for r in records {
            out.push_str(&format!("<li><a href=\"#e-{}\">{}</a></li>\n", r.id, html_escape(&r.title)));
        }
        out.push_str("</ol></nav>\n");
    }
    for r in records {
        out.push_str(&format!("<article id=\"e-{}\">\n<h2>", r.id));
        match r.link.as_deref().and_then(safe_href) {
            Some(href) => out.push_str(&format!("<a href=\"{href}\">{}</a>", html_escape(&r.title))),
            None => out.push_str(&html_escape(&r.title)),
        }
        out.push_str("</h2>\n");
        let mut meta: Vec<String> = r.feed.iter().map(|f| html_escape(f)).collect();
        if let Some(author) = &r.author {
            meta.push(html_escape(author));
        }
        if let Some(published) = &r.published {
            meta.push(day(published).to_string());
        }
        meta.push(format!("saved {}", day(&r.saved_at)));
        if !r.tags.is_empty() {
            meta.push(html_escape(&r.tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ")));
        }
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", meta.join(" · ")));
        let body = r.content.as_deref().map(|c| safe_html::clean(c, r.link.as_deref())).unwrap_or_default();
        if !body.trim().is_empty() {
            out.push_str(&format!("<div class=\"text\">\n{body}\n</div>\n"));
        }
        out.push_str("</article>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Record> {
        vec![
            record(
                ReadingEntry {
                    id: "00000000000000aa".into(),
                    title: "Markets [live] & \"Mood\" <b>".into(),
                    link: Some("https://x.example/a (b)".into()),
                    feed: Some("Feed\u{1b}[31m X".into()),
                    published: Some(1_718_744_700),
                    content: Some("<p>Body <script>alert(1)</script>text</p>".into()),
                    saved_at: 1_718_800_000,
                    ..Default::default()
                },
                vec!["later".into()],
            ),
            record(
                ReadingEntry {
                    id: "00000000000000bb".into(),
                    title: "No link".into(),
                    link: Some("javascript:alert(1)".into()),
                    saved_at: 1_718_700_000,
                    ..Default::default()
                },
                vec![],
            ),
        ]
    }

    #[test]
    fn markdown_is_a_list_with_links() {
        let md = markdown(&sample());
        assert!(md.starts_with("# Reading list\n\n"));
        assert!(
            md.contains("- [Markets \\[live\\] & \"Mood\" \\<b\\>](<https://x.example/a (b)>) — Feed X · 2024-06-18 · saved 2024-06-19 · #later\n"),
            "{md}"
        );
        assert!(!md.contains('\u{1b}'));
    }

    #[test]
    fn html_is_one_escaped_page_without_scripts() {
        let page = html(&sample());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(
            page.contains("<a href=\"https://x.example/a%20(b)\">Markets [live] &amp; &quot;Mood&quot; &lt;b&gt;</a>")
        );
        assert!(!page.contains("<script") && !page.contains("alert(1)"), "{page}");
        assert!(page.contains("<p>Body text</p>"), "real HTML, not wrapped text: {page}");
        assert!(!page.contains("href=\"javascript"), "{page}");
        assert!(!page.contains("http://") && !page.contains("src="), "self-contained: nothing loaded from elsewhere");
    }

    #[test]
    fn html_keeps_headings_paragraphs_and_links() {
        let mut records = sample();
        records[0].content =
            Some("<h2>Sub</h2><p>See <a href=\"/x\">this</a> and <img src=\"p.jpg\" alt=\"a map\"></p>".into());
        records[0].link = Some("https://x.example/a/b".into());
        let page = html(&records);
        assert!(page.contains("<h4>Sub</h4>"), "{page}");
        assert!(page.contains("<p>See <a href=\"https://x.example/x\" rel=\"noopener noreferrer\">this</a>"), "{page}");
        assert!(page.contains("[image: a map]") && !page.contains("p.jpg"), "{page}");
    }

    #[test]
    fn json_carries_the_fields_scripts_need() {
        let json: serde_json::Value = serde_json::to_value(sample()).unwrap();
        let first = &json[0];
        for key in ["id", "title", "link", "feed", "saved_at", "published", "tags", "content"] {
            assert!(first.get(key).is_some(), "{key}");
        }
        assert_eq!(first["saved_at"], "2024-06-19T12:26:40Z");
        assert_eq!(first["feed"], "Feed X");
    }
}
