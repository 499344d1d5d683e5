//! `tidings list`: items, newest first, as text or JSON.

use std::io::Write;

use super::{EXIT_OK, UsageError};
use crate::article::sanitize;
use crate::model::{ItemRecord, View};
use crate::store::Store;

/// Every string from the network, sanitised for stdout.
pub(super) fn clean(mut r: ItemRecord) -> ItemRecord {
    let line = |s: &mut String| *s = sanitize::line(s).into_owned();
    line(&mut r.title);
    line(&mut r.feed);
    line(&mut r.feed_url);
    r.link.iter_mut().for_each(line);
    r.author.iter_mut().for_each(line);
    r.tags.iter_mut().for_each(line);
    for e in &mut r.enclosures {
        line(&mut e.url);
        e.mime.iter_mut().for_each(line);
    }
    r
}

/// A query checked before it reaches the store: a broken one is a usage
/// error (exit 2) that shows where it broke.
pub(super) fn checked(query: &str) -> Result<(), UsageError> {
    crate::query::parse(query).map(|_| ()).map_err(|e| UsageError(e.pointed(query)))
}

/// The view a `--query` names (checked first), else All.
fn view_of(query: Option<&str>) -> Result<View, UsageError> {
    match query {
        Some(q) => {
            checked(q)?;
            Ok(View::Query(q.to_string()))
        }
        None => Ok(View::All),
    }
}

pub fn run(
    store: &Store,
    query: Option<&str>,
    limit: Option<usize>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    let view = view_of(query)?;
    let records: Vec<ItemRecord> = store.list_records(&view, limit)?.into_iter().map(clean).collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &records)?;
        writeln!(out)?;
    } else {
        for r in &records {
            line(out, r)?;
        }
    }
    Ok(EXIT_OK)
}

// — #15 stories —
/// `list --stories`: stories, the one with the newest item first, each with
/// its items (earliest first). As text: the story's row (its lead item) with
/// `+N`, then its other items indented.
pub fn run_stories(
    store: &Store,
    query: Option<&str>,
    limit: Option<usize>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    let view = view_of(query)?;
    let mut stories = store.list_stories(&view, limit)?;
    for s in &mut stories {
        s.items = std::mem::take(&mut s.items).into_iter().map(clean).collect();
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &stories)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    for s in &stories {
        let Some(lead) = s.items.iter().find(|r| r.id == s.lead) else { continue };
        let more = s.items.len() - 1;
        if more == 0 {
            line(out, lead)?;
            continue;
        }
        let date = lead.published.as_deref().map_or("", |d| &d[..d.len().min(10)]);
        let mark = if s.unread > 0 { '*' } else { ' ' };
        writeln!(out, "{} {mark} {date:<10}  {}  {}  +{more}", lead.id, lead.feed, lead.title)?;
        for r in s.items.iter().filter(|r| r.id != s.lead) {
            write!(out, "    ")?;
            line(out, r)?;
        }
    }
    Ok(EXIT_OK)
}

/// One item as a line of text: id, unread mark, date, feed, title.
pub(super) fn line(out: &mut impl Write, r: &ItemRecord) -> std::io::Result<()> {
    let date = r.published.as_deref().map_or("", |d| &d[..d.len().min(10)]);
    let mark = if r.read { ' ' } else { '*' };
    writeln!(out, "{} {mark} {date:<10}  {}  {}", r.id, r.feed, r.title)
}
