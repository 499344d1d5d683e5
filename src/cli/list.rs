//! `tidings list`: items, newest first, as text or JSON.

use std::io::Write;

use super::EXIT_OK;
use crate::article::sanitize;
use crate::model::{ItemRecord, View};
use crate::store::Store;

/// Every string from the network, sanitised for stdout.
fn clean(mut r: ItemRecord) -> ItemRecord {
    let line = |s: &mut String| *s = sanitize::line(s).into_owned();
    line(&mut r.title);
    line(&mut r.feed);
    line(&mut r.feed_url);
    r.link.iter_mut().for_each(line);
    r.author.iter_mut().for_each(line);
    r.tags.iter_mut().for_each(line);
    r
}

pub fn run(store: &Store, limit: Option<usize>, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let records: Vec<ItemRecord> = store.list_records(&View::All, limit)?.into_iter().map(clean).collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &records)?;
        writeln!(out)?;
    } else {
        for r in &records {
            let date = r.published.as_deref().map_or("", |d| &d[..d.len().min(10)]);
            let mark = if r.read { ' ' } else { '*' };
            writeln!(out, "{} {mark} {date:<10}  {}  {}", r.id, r.feed, r.title)?;
        }
    }
    Ok(EXIT_OK)
}
