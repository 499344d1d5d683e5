//! A large feed's heavy texts kept off the heap while it waits to be stored.
//!
//! A document parsed in pieces (`split`) holds thousands of items: their
//! HTML (summary, content) and search words are most of its memory (a
//! 10,000-item, 25 MB feed: ~26 MB of text, the largest part of `fetch`'s
//! peak). As each piece is parsed, its items' texts go to an unnamed
//! temporary file and the items keep the rest (key, title, link, dates,
//! signature…); the store reads each item's texts back with one positioned
//! read as it inserts it (`FetchedFeed::item`). The file is read, not
//! mapped, so its pages count in the system's cache, not in the process's
//! memory; it disappears when the last handle to it is dropped.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use crate::model::{FetchedFeed, NewItem};

/// Writes the texts of a feed's items, in any order, each under a slot.
pub struct Writer {
    out: BufWriter<File>,
    at: u64,
    /// Offset and length of each slot's record.
    slots: Vec<(u64, u32)>,
}

/// The texts of a feed's items in a temporary file, by item (shared by the
/// clones of a `FetchedFeed`).
#[derive(Clone)]
pub struct Spilled(Arc<Inner>);

struct Inner {
    file: File,
    /// Offset and length of each item's record, in the feed's item order.
    items: Vec<(u64, u32)>,
}

/// A field's length in a record; `NONE` for a field that is None.
const NONE: u32 = u32::MAX;

impl Writer {
    /// A writer on a new temporary file; None where there is none to be had
    /// (the caller keeps its items whole).
    pub fn new() -> Option<Writer> {
        if !cfg!(unix) {
            return None;
        }
        let file = tempfile::tempfile().ok()?;
        Some(Writer { out: BufWriter::with_capacity(64 << 10, file), at: 0, slots: Vec::new() })
    }

    /// Moves the item's summary, content and words into the file (they are
    /// None afterwards); returns the slot to read them back from.
    pub fn put(&mut self, item: &mut NewItem) -> io::Result<usize> {
        let mut len = 0u64;
        for text in [item.summary.take(), item.content.take(), item.words.take()] {
            let bytes = text.as_deref().map(str::as_bytes);
            let n = match bytes {
                Some(b) => u32::try_from(b.len()).ok().filter(|&n| n != NONE).ok_or_else(too_large)?,
                None => NONE,
            };
            self.out.write_all(&n.to_le_bytes())?;
            self.out.write_all(bytes.unwrap_or_default())?;
            len += 4 + bytes.map_or(0, |b| b.len() as u64);
        }
        self.slots.push((self.at, u32::try_from(len).map_err(|_| too_large())?));
        self.at += len;
        Ok(self.slots.len() - 1)
    }

    /// The file, with item `i` of the feed in slot `order[i]`.
    pub fn finish(self, order: &[usize]) -> io::Result<Spilled> {
        let file = self.out.into_inner().map_err(io::IntoInnerError::into_error)?;
        let items = order.iter().map(|&slot| self.slots[slot]).collect();
        Ok(Spilled(Arc::new(Inner { file, items })))
    }
}

fn too_large() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "an item's text is over 4 GB")
}

impl Spilled {
    /// How many items it holds the texts of.
    pub fn len(&self) -> usize {
        self.0.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.items.is_empty()
    }

    /// `item` (item `i` of the feed) with its texts read back.
    pub fn fill(&self, i: usize, item: &NewItem) -> io::Result<NewItem> {
        let &(at, len) = self.0.items.get(i).ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such item"))?;
        let mut record = vec![0; len as usize];
        read_at(&self.0.file, &mut record, at)?;
        let mut rest = &record[..];
        let mut field = || -> io::Result<Option<String>> {
            let (n, tail) = rest.split_at_checked(4).ok_or_else(truncated)?;
            let n = u32::from_le_bytes(n.try_into().map_err(|_| truncated())?);
            if n == NONE {
                rest = tail;
                return Ok(None);
            }
            let (text, tail) = tail.split_at_checked(n as usize).ok_or_else(truncated)?;
            rest = tail;
            String::from_utf8(text.to_vec()).map(Some).map_err(|_| truncated())
        };
        let (summary, content, words) = (field()?, field()?, field()?);
        Ok(NewItem { summary, content, words, ..item.clone() })
    }
}

fn truncated() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a spilled item's record is damaged")
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no positioned reads")) // `Writer::new` gives None there
}

impl PartialEq for Spilled {
    /// The same file.
    fn eq(&self, other: &Spilled) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Spilled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spilled({} items)", self.len())
    }
}

impl FetchedFeed {
    /// Item `i` whole: with its texts read back when they were spilled.
    pub fn item(&self, i: usize) -> io::Result<Cow<'_, NewItem>> {
        match &self.spilled {
            Some(spilled) => spilled.fill(i, &self.items[i]).map(Cow::Owned),
            None => Ok(Cow::Borrowed(&self.items[i])),
        }
    }

    /// The feed with every item whole in memory.
    pub fn unspilled(mut self) -> io::Result<FetchedFeed> {
        if let Some(spilled) = self.spilled.take() {
            for (i, item) in self.items.iter_mut().enumerate() {
                *item = spilled.fill(i, item)?;
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_by_item_in_any_order() {
        let mut w = Writer::new().expect("a temporary file");
        let mut items: Vec<NewItem> = (0..5)
            .map(|i| NewItem {
                key: format!("k{i}"),
                title: format!("T{i}"),
                summary: (i % 2 == 0).then(|| format!("<p>S{i} é</p>")),
                content: (i == 3).then(String::new),
                words: Some("w ".repeat(i)),
                ..Default::default()
            })
            .collect();
        let whole = items.clone();
        // Written last first, as a feed parsed from its end is.
        let mut slots: Vec<usize> = items.iter_mut().rev().map(|it| w.put(it).unwrap()).collect();
        slots.reverse();
        assert!(items.iter().all(|i| i.summary.is_none() && i.content.is_none() && i.words.is_none()));
        let spilled = w.finish(&slots).unwrap();
        let feed = FetchedFeed { items, spilled: Some(spilled.clone()), ..Default::default() };
        assert_eq!(feed.item(3).unwrap().into_owned(), whole[3]);
        assert_eq!(feed.clone().unspilled().unwrap().items, whole);
        assert_eq!(spilled.len(), 5);
    }

    use crate::feed::parse::{parse, parse_owned};
    use crate::store::Store;

    const URL: &str = "https://big.example/rss";
    const QUAKE: &str =
        "<p>Rescue teams searched collapsed buildings in Antakya after the magnitude 7.8 earthquake</p>";

    /// An RSS document over the size that is parsed in pieces: dated and
    /// undated items, titles that group into stories, a key given twice to
    /// the same item and once to two different ones.
    fn big_rss() -> String {
        let mut x = String::from(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>\
             <link>https://big.example/</link><lastBuildDate>Tue, 01 Dec 2026 00:00:00 GMT</lastBuildDate>\n",
        );
        let body = "<p>Plain words of the story, with <b>some</b> markup.</p> ".repeat(40);
        let mut i = 0;
        while x.len() <= (4 << 20) + 300_000 {
            let (guid, title) = match i {
                7 | 1_400 => ("same-twice".to_string(), "Twice the same".to_string()),
                9 => ("clash".to_string(), "Clash one".to_string()),
                1_500 => ("clash".to_string(), "Clash two".to_string()),
                20 | 1_700 => (format!("g{i}"), "Magnitude 7.8 earthquake strikes southern Turkey".to_string()),
                _ => (format!("g{i}"), format!("Minister resigns over budget row in {}", i % 13)),
            };
            let date = if guid == "same-twice" {
                "<pubDate>Tue, 01 Dec 2026 00:00:00 GMT</pubDate>".to_string()
            } else if i % 17 == 0 {
                String::new()
            } else {
                format!(
                    "<pubDate>{}</pubDate>",
                    chrono::DateTime::from_timestamp(1_780_000_000 - i as i64 * 600, 0).unwrap().to_rfc2822()
                )
            };
            let body = if title.starts_with("Magnitude") { QUAKE } else { &body };
            x.push_str(&format!(
                "<item><title>{title}</title><guid>{guid}</guid>{date}\
                 <description><![CDATA[{body} {i}]]></description></item>\n"
            ));
            i += 1;
        }
        x.push_str("</channel></rss>\n");
        x
    }

    /// Every row of a table, as text, in a fixed order.
    fn dump(db: &rusqlite::Connection, sql: &str) -> Vec<Vec<String>> {
        let mut stmt = db.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n).map(|c| r.get::<_, rusqlite::types::Value>(c).map(|v| format!("{v:?}"))).collect()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// A store in a file of its own, and a second connection to read it with.
    fn store(dir: &tempfile::TempDir, name: &str) -> (Store, rusqlite::Connection) {
        let path = dir.path().join(name);
        let mut s = Store::open(&path).unwrap();
        s.set_stories(crate::stories::StoriesConfig::default());
        (s, rusqlite::Connection::open(&path).unwrap())
    }

    fn tables(s: &rusqlite::Connection) -> Vec<Vec<Vec<String>>> {
        [
            "SELECT * FROM items ORDER BY seq",
            "SELECT rowid, title, body, author FROM items_fts ORDER BY rowid",
            "SELECT * FROM feeds",
        ]
        .iter()
        .map(|q| dump(s, q))
        .collect()
    }

    #[test]
    fn a_spilled_feed_parses_and_stores_exactly_as_a_whole_one() {
        let rss = big_rss();
        let whole = parse(URL, rss.as_bytes()).unwrap();
        assert!(whole.spilled.is_none());
        let spilled = parse_owned(URL, rss.into_bytes()).unwrap();
        let texts = spilled.spilled.clone().expect("its texts in a file");
        assert_eq!(texts.len(), spilled.items.len());
        assert!(spilled.items.iter().all(|i| i.summary.is_none() && i.words.is_none() && i.signature.is_some()));
        // The same items (words: the parser computes all of them here, the
        // first 4 MB of them for a whole document and the store the rest).
        let mut back = spilled.clone().unspilled().unwrap();
        for (a, b) in back.items.iter_mut().zip(&whole.items) {
            assert!(a.words.is_some());
            if b.words.is_none() {
                a.words = None;
            }
        }
        assert!(FetchedFeed { spilled: None, ..back } == whole, "the same feed");
        assert!(whole.items.iter().any(|i| i.key.starts_with("clash#")), "keys made distinct across pieces");
        assert_eq!(whole.items.iter().filter(|i| i.key == "same-twice").count(), 1);

        // Stored: the same rows, index rows, stories and feed row.
        let dir = tempfile::tempdir().unwrap();
        let ((mut a, da), (mut b, db)) = (store(&dir, "a.db"), store(&dir, "b.db"));
        let now = 1_780_000_000;
        // Another outlet's reports of the same events, stored first: the
        // big feed's items join their stories.
        let outlet = FetchedFeed {
            url: "https://other.example/rss".into(),
            items: [20, 1_700]
                .into_iter()
                .map(|i| NewItem {
                    key: format!("o{i}"),
                    title: "Earthquake of magnitude 7.8 hits southern Turkey".into(),
                    published: Some(1_780_000_000 - i * 600 - 300),
                    summary: Some(QUAKE.into()),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        a.store_fetched(&outlet, now).unwrap();
        b.store_fetched(&outlet, now).unwrap();
        assert_eq!(a.store_fetched(&whole, now).unwrap(), b.store_fetched(&spilled, now).unwrap());
        assert_eq!(tables(&da), tables(&db));
        let grouped: i64 =
            da.query_row("SELECT COUNT(*) FROM items WHERE story IS NOT NULL", [], |r| r.get(0)).unwrap();
        assert!(grouped > 0, "stories were grouped");
        // And again, a later fetch of the same document: nothing new, the same state.
        assert_eq!(a.store_fetched(&whole, now + 60).unwrap(), 0);
        assert_eq!(b.store_fetched(&spilled, now + 60).unwrap(), 0);
        assert_eq!(tables(&da), tables(&db));
    }

    #[test]
    fn a_feed_whose_texts_cannot_be_read_back_is_not_claimed() {
        let mut items: Vec<NewItem> = (0..3)
            .map(|i| NewItem {
                key: format!("k{i}"),
                title: format!("T{i}"),
                summary: Some("s".into()),
                ..Default::default()
            })
            .collect();
        let mut w = Writer::new().unwrap();
        let slots = [w.put(&mut items[0]).unwrap()];
        // Only the first item's texts are in the file: the second cannot be read.
        let feed = FetchedFeed {
            url: URL.into(),
            etag: Some("\"v1\"".into()),
            items,
            spilled: Some(w.finish(&slots).unwrap()),
            ..Default::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let (mut s, db) = store(&dir, "s.db");
        assert!(matches!(s.store_fetched(&feed, 100), Err(crate::store::StoreError::Spill(_))));
        let claimed: Option<i64> =
            db.query_row("SELECT last_carried FROM feeds WHERE url = ?1", [URL], |r| r.get(0)).unwrap_or(None);
        assert_eq!(claimed, None, "no claim that the feed was stored whole");
        assert!(s.validators().unwrap().get(URL).is_none_or(|v| v.etag.is_none()));
    }
}
