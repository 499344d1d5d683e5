//! feed-rs entries → `NewItem`s: text as a reader shows it, enclosures, and
//! keys that identify items even in feeds that get identity wrong.
//!
//! An item's key is its guid, else its link, else a hash of title and date.
//! When one document gives several items the same key but they differ (a
//! site that links every item to its front page, a CMS that repeats one
//! guid), each gets the key plus a hash of its title and date, so they stay
//! distinct; items that are identical are kept once. Keys of items that
//! never collide are unchanged, so ids stored before stay stable.

use std::collections::HashMap;

use feed_rs::model::Entry;
use sha2::{Digest, Sha256};

use super::enclosures::{self, RawItem};
use super::recover::{Kind, Tally};
use super::text;
use crate::model::NewItem;

/// What feed-rs is told to use as an id when an entry has none, so that we
/// can tell and derive our own stable key instead of its random UUID.
pub const NO_ID: &str = "\u{0}tidings:no-id";

/// Everything the conversion needs besides the entries.
pub struct Context<'a> {
    pub base: Option<url::Url>,
    /// Per RSS `<item>`, what feed-rs may have dropped (None: nothing to add).
    pub raw: Option<Vec<RawItem>>,
    /// JSON Feed attachment durations per item.
    pub json_durations: Option<Vec<Vec<Option<u64>>>>,
    /// A JSON Feed: its titles are plain text by definition, taken as they are.
    pub json: bool,
    pub tally: &'a mut Tally,
}

/// The entries of one document, or of one piece of a large one, as items
/// (their keys as the feed gives them: `distinct` runs over the whole document).
pub fn convert_some(entries: Vec<Entry>, cx: &mut Context<'_>) -> Vec<NewItem> {
    // The raw scan is only trusted when it saw the items feed-rs saw.
    let raw = cx.raw.take().filter(|r| r.len() == entries.len());
    entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let mut item = convert(e, raw.as_ref().and_then(|r| r.get(i)), cx.base.as_ref(), cx.json);
            if let Some(durations) = cx.json_durations.as_ref().and_then(|d| d.get(i)) {
                for (enc, d) in item.enclosures.iter_mut().zip(durations) {
                    enc.duration = enc.duration.or(*d);
                }
            }
            clean(&mut item, cx.tally);
            item
        })
        .collect()
}

/// Items that share a key made distinct, identical ones kept once.
pub fn distinct(mut items: Vec<NewItem>, tally: &mut Tally) -> Vec<NewItem> {
    let keep = distinct_keys(&mut items, tally);
    let mut keep = keep.into_iter();
    items.retain(|_| keep.next().unwrap_or(false));
    items
}

/// `distinct` in place: the keys made distinct, and which items to keep
/// (the first of identical ones).
pub fn distinct_keys(items: &mut [NewItem], tally: &mut Tally) -> Vec<bool> {
    disambiguate(items);
    let mut seen = std::collections::HashSet::new();
    let keep: Vec<bool> = items.iter().map(|i| seen.insert(i.key.clone())).collect();
    tally.add(Kind::DuplicateItem, keep.iter().filter(|k| !**k).count());
    keep
}

fn convert(e: Entry, raw: Option<&RawItem>, base: Option<&url::Url>, json: bool) -> NewItem {
    let link = e.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).map(|l| l.href.clone());
    let published = e.published.map(|d| d.timestamp());
    let updated = e.updated.map(|d| d.timestamp());
    let title = match &e.title {
        Some(t) if json => t.content.trim().to_string(),
        Some(t) => text::title(t),
        None => String::new(),
    };
    let key = if e.id != NO_ID && !e.id.trim().is_empty() {
        e.id.clone()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        // Neither guid nor link: title and date are all that identify it.
        format!("hash:{}", hash(&title, published.or(updated)))
    };
    let enclosures = enclosures::of_entry(&e, raw, base);
    let content = e.content.and_then(|c| c.body).filter(|b| !b.trim().is_empty());
    let summary = e.summary.map(|s| s.content).filter(|s| !s.trim().is_empty());
    NewItem {
        key,
        title,
        link,
        author: e.authors.first().map(|a| text::line(a.name.as_deref().unwrap_or(""))).filter(|a| !a.is_empty()),
        published,
        updated,
        summary,
        content,
        categories: e
            .categories
            .into_iter()
            .map(|c| c.label.unwrap_or(c.term).trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        enclosures,
        words: None,
        signature: None,
    }
}

/// 24 hex digits of SHA-256 over a title and a date.
fn hash(title: &str, date: Option<i64>) -> String {
    let mut h = Sha256::new();
    h.update(title.as_bytes());
    h.update(date.unwrap_or(0).to_le_bytes());
    h.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// Items that share a key but differ in title or date get the key plus a
/// hash of both; identical ones keep it (and are dropped as duplicates).
fn disambiguate(items: &mut [NewItem]) {
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        by_key.entry(item.key.as_str()).or_default().push(i);
    }
    let clashing: Vec<Vec<usize>> = by_key
        .into_values()
        .filter(|group| {
            let first = &items[group[0]];
            group.len() > 1 && group.iter().any(|&i| !same(first, &items[i]))
        })
        .collect();
    for group in clashing {
        for i in group {
            let item = &mut items[i];
            item.key = format!("{}#{}", item.key, hash(&item.title, item.published.or(item.updated)));
        }
    }
}

fn same(a: &NewItem, b: &NewItem) -> bool {
    a.title == b.title && a.published == b.published && a.updated == b.updated && a.link == b.link
}

/// Double-encoded UTF-8 decoded in every text field; control characters
/// (which XML forbids, and which feed-rs lets through) taken out of the
/// title and author.
fn clean(item: &mut NewItem, tally: &mut Tally) {
    let mut n = 0;
    let mut fix = |s: &mut String| {
        if let Some(fixed) = text::undouble(s) {
            *s = fixed;
            n += 1;
        }
    };
    fix(&mut item.title);
    item.author.iter_mut().for_each(&mut fix);
    item.summary.iter_mut().for_each(&mut fix);
    item.content.iter_mut().for_each(&mut fix);
    item.categories.iter_mut().for_each(&mut fix);
    tally.add(Kind::DoubleEncoded, n);
    let mut controls = 0;
    let is_control = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    // An ESC goes with its whole escape sequence: dropping the ESC alone
    // would leave `]0;title` or `[31m` as text.
    let mut strip = |s: &mut String| {
        if s.bytes().any(is_control) {
            let bytes = s.as_bytes();
            let (mut out, mut i) = (Vec::with_capacity(bytes.len()), 0);
            while i < bytes.len() {
                if is_control(bytes[i]) {
                    controls += 1;
                    i += crate::article::sanitize::escape_sequence_len(&bytes[i..]).max(1);
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            *s = String::from_utf8_lossy(&out).into_owned();
        }
    };
    strip(&mut item.title);
    item.author.iter_mut().for_each(&mut strip);
    tally.add(Kind::ControlChar, controls);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, title: &str, published: Option<i64>) -> NewItem {
        NewItem { key: key.into(), title: title.into(), published, ..Default::default() }
    }

    #[test]
    fn shared_keys_are_split_by_title_and_date_and_identical_items_kept_once() {
        let mut items = vec![
            item("https://site.example/", "First", Some(1)),
            item("https://site.example/", "Second", Some(2)),
            item("https://site.example/", "First", Some(1)),
            item("https://site.example/only", "Alone", None),
            item("g-1", "Same", Some(5)),
            item("g-1", "Same", Some(5)),
        ];
        disambiguate(&mut items);
        let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
        assert!(keys[0].starts_with("https://site.example/#"), "{keys:?}");
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[0], keys[2], "identical items share their key");
        assert_eq!(keys[3], "https://site.example/only", "a unique key is left alone");
        assert_eq!(keys[4], "g-1", "identical duplicates keep the guid");
    }
}
