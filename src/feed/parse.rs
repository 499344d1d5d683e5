//! Bytes → `FetchedFeed`, through feed-rs, with everything it can throw at us
//! (errors, panics, junk) turned into a per-feed `ParseError`. A document
//! feed-rs refuses, or reads no item of although it holds some, goes through
//! the recovery layer (`recover`) and is parsed once more.

use std::io::{Read as _, Seek, SeekFrom};
use std::ops::Range;

use feed_rs::model::Feed;

use super::entry::{self, NO_ID};
use super::fetch::Spooled;
use super::recover::{self, Kind, Tally};
use super::{charset, dates, enclosures, spill, split, text};
use crate::model::{FetchedFeed, NewItem};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("empty response")]
    Empty,
    #[error("not a feed (the server sent a web page)")]
    Html,
    #[error("not a feed ({0})")]
    Invalid(String),
    #[error("not a feed (binary data)")]
    Binary,
    #[error("the feed parser crashed on this feed")]
    Panicked,
    #[error("no item could be read, though the document holds {0} (<item> or <entry>)")]
    NoItems(usize),
    // — #10 fetch memory —
    #[error("cannot keep the feed's text in a temporary file: {0}")]
    Spill(String),
}

/// One run of feed-rs.
enum Read {
    Feed(Box<Feed>),
    Failed(String),
    Panicked,
}

/// One attempt with a fresh parser (reusing one after a failure panics),
/// panics contained.
fn read(url: &str, body: &[u8]) -> Read {
    let result = crate::panic::contained(|| {
        feed_rs::parser::Builder::new()
            .base_uri(Some(url))
            .id_generator(|_, _, _| NO_ID.to_string())
            .timestamp_parser(dates::parse)
            .build()
            .parse(body)
    });
    match result {
        None => Read::Panicked,
        Some(Err(e)) => Read::Failed(e.to_string()),
        Some(Ok(feed)) => Read::Feed(Box::new(feed)),
    }
}

/// Parses a feed body. Never panics.
pub fn parse(url: &str, bytes: &[u8]) -> Result<FetchedFeed, ParseError> {
    let mut body = trim_start(bytes);
    if body.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut tally = Tally::default();
    let nul_free;
    if looks_binary(body) {
        nul_free = recover::strip_nuls(body, &mut tally).ok_or(ParseError::Binary)?;
        body = &nul_free;
    }
    let decoded = match charset::utf16_without_bom(body) {
        Some(utf8) => {
            tally.add(Kind::Utf16WithoutBom, 1);
            Some(utf8)
        }
        None => charset::repair(body).inspect(|_| tally.add(Kind::Charset, 1)),
    };
    let body = decoded.as_deref().unwrap_or(body);
    if body.len() > split::SPLIT_ABOVE
        && let Some((feed, items, fixes)) = in_pieces(url, body)
    {
        tally.merge(fixes);
        return Ok(finish(url, feed, items, tally));
    }
    let repaired;
    let (feed, body) = match read(url, body) {
        Read::Feed(feed) if !feed.entries.is_empty() => (feed, body),
        Read::Panicked => return Err(ParseError::Panicked),
        Read::Feed(feed) if recover::count_items(body) == 0 => (feed, body), // an empty feed
        first => {
            let (feed, fixed, fixes) = retry(url, body, first)?;
            tally.merge(fixes);
            repaired = fixed;
            (feed, &repaired[..])
        }
    };
    Ok(convert(url, *feed, body, tally))
}

/// A second chance for a document feed-rs refused (or read no item of):
/// the quick repairs first, then, if they were not enough, all of them.
fn retry(url: &str, body: &[u8], first: Read) -> Result<(Box<Feed>, Vec<u8>, Tally), ParseError> {
    let good = |read: &Read, fixed: &[u8]| match read {
        Read::Feed(feed) => !feed.entries.is_empty() || recover::count_items(fixed) == 0,
        _ => false,
    };
    // When feed-rs refused a JSON Feed for its version or a string where it
    // wants a list (`tags`), the cheap fix is worth a try; otherwise, or if
    // it was not enough, the full one.
    let quick = matches!(&first, Read::Failed(e)
        if e.starts_with("unsupported version") || e.contains("expected a sequence"));
    let depths: &[recover::Depth] = if recover::is_json(body) && quick {
        &[recover::Depth::Quick, recover::Depth::Full]
    } else {
        &[recover::Depth::Full]
    };
    for &depth in depths {
        let mut fixes = Tally::default();
        let Some(fixed) = recover::repair(body, &mut fixes, depth) else { continue };
        let second = read(url, &fixed);
        if good(&second, &fixed)
            && let Read::Feed(feed) = second
        {
            return Ok((feed, fixed, fixes));
        }
    }
    Err(match first {
        Read::Feed(_) => ParseError::NoItems(recover::count_items(body)),
        Read::Failed(_) if looks_like_html(body) => ParseError::Html,
        Read::Failed(e) => ParseError::Invalid(e),
        Read::Panicked => ParseError::Panicked,
    })
}

/// `parse`, for a body the caller gives up: a large one is parsed in pieces
/// from its end, each piece's bytes freed as soon as it is parsed, so the
/// body and its items are never both whole in memory.
///
/// The texts of such a document's items (summary, content, search words)
/// go to a temporary file as each piece is parsed (`spill`), so its items
/// are never whole in memory either while they wait to be stored.
pub fn parse_owned(url: &str, bytes: Vec<u8>) -> Result<FetchedFeed, ParseError> {
    match pieces_from_the_end(url, bytes) {
        Ok(parsed) => parsed.and_then(|(feed, items, tally, spilled)| match spilled {
            None => Ok(finish(url, feed, items, tally)),
            Some((writer, slots)) => finish_spilled(url, feed, items, tally, writer, slots),
        }),
        Err(bytes) => parse(url, &bytes),
    }
}

/// One piece of a large document read, with the repairs it needed: None
/// when even they do not give items.
fn read_piece(url: &str, piece: Vec<u8>) -> Option<(Box<Feed>, Vec<u8>, Tally)> {
    match read(url, &piece) {
        Read::Feed(feed) if !feed.entries.is_empty() => Some((feed, piece, Tally::default())),
        first => retry(url, &piece, first).ok(),
    }
}

/// A large document parsed piece by piece (`split`), each piece's entries
/// converted as soon as it is parsed; None when it cannot be cut cleanly or
/// a piece gives no items (the caller then parses it whole).
fn in_pieces(url: &str, body: &[u8]) -> Option<(Feed, Vec<NewItem>, Tally)> {
    let cut = split::cut(body, split::PIECE)?;
    let base = url::Url::parse(url).ok();
    let mut tally = Tally::default();
    let mut items = Vec::with_capacity(cut.items);
    let mut whole: Option<Feed> = None;
    for i in 0..cut.runs.len() {
        let (mut feed, piece, fixes) = read_piece(url, cut.piece(body, i))?;
        tally.merge(fixes);
        items.extend(items_of(std::mem::take(&mut feed.entries), &piece, base.as_ref(), &mut tally));
        match &mut whole {
            None => whole = Some(*feed),
            Some(w) if w.title.is_none() => w.title = feed.title,
            Some(_) => {}
        }
    }
    Some((whole?, items, tally))
}

/// What `pieces_from_the_end` gives: Err(body) untouched when it did not
/// start (the caller parses the body whole, with every second chance).
type FromTheEnd = Result<Result<Parsed, ParseError>, Vec<u8>>;

/// A document parsed in pieces: its feed, items and repairs, and the items'
/// texts in a temporary file with each item's slot, when there was one.
type Parsed = (Feed, Vec<NewItem>, Tally, Option<(spill::Writer, Vec<usize>)>);

/// The owned body parsed piece by piece from its last piece to its first,
/// the body cut short after each. Only for large UTF-8 XML that can be cut
/// cleanly and whose last piece reads.
fn pieces_from_the_end(url: &str, bytes: Vec<u8>) -> FromTheEnd {
    let lead = bytes.len() - trim_start(&bytes).len();
    let body = &bytes[lead..];
    if body.len() <= split::SPLIT_ABOVE || looks_binary(body) || std::str::from_utf8(body).is_err() {
        return Err(bytes);
    }
    let Some(cut) = split::cut(body, split::PIECE) else { return Err(bytes) };
    let head = body[cut.head.clone()].to_vec();
    let tail = body[cut.tail.clone()].to_vec();
    let mut source = InMemory { bytes, lead };
    match in_pieces_from_the_end(url, &cut, &head, &tail, &mut source) {
        Some(parsed) => Ok(parsed),
        None => Err(source.bytes),
    }
}

/// Where the pieces of a large document come from.
trait Pieces {
    /// The document of one run of items: head, run, tail.
    fn piece(&mut self, head: &[u8], run: &Range<usize>, tail: &[u8]) -> std::io::Result<Vec<u8>>;
    /// The run has been parsed (and every run after it).
    fn parsed(&mut self, run: &Range<usize>);
}

/// The body in memory, cut short after each piece (`lead` bytes of
/// whitespace before the document).
struct InMemory {
    bytes: Vec<u8>,
    lead: usize,
}

impl Pieces for InMemory {
    fn piece(&mut self, head: &[u8], run: &Range<usize>, tail: &[u8]) -> std::io::Result<Vec<u8>> {
        Ok([head, &self.bytes[self.lead + run.start..self.lead + run.end], tail].concat())
    }

    fn parsed(&mut self, run: &Range<usize>) {
        self.bytes.truncate(self.lead + run.start);
        self.bytes.shrink_to_fit();
    }
}

/// The document parsed piece by piece from its last piece to its first;
/// None when its last piece does not read (nothing was parsed: the caller
/// parses the body whole, with every second chance).
fn in_pieces_from_the_end(
    url: &str,
    cut: &split::Cut,
    head: &[u8],
    tail: &[u8],
    source: &mut impl Pieces,
) -> Option<Result<Parsed, ParseError>> {
    let base = url::Url::parse(url).ok();
    let mut tally = Tally::default();
    let mut parts: Vec<(Vec<NewItem>, Vec<usize>)> = Vec::with_capacity(cut.runs.len());
    let mut first = None;
    let mut writer = spill::Writer::new();
    for (i, run) in cut.runs.iter().enumerate().rev() {
        let piece = match source.piece(head, run, tail) {
            Ok(piece) => piece,
            Err(e) => return Some(Err(ParseError::Spill(e.to_string()))),
        };
        let Some((mut feed, piece, fixes)) = read_piece(url, piece) else {
            if parts.is_empty() {
                return None;
            }
            return Some(Err(ParseError::Invalid(format!("piece {} of {} does not read", i + 1, cut.runs.len()))));
        };
        tally.merge(fixes);
        let mut part = items_of(std::mem::take(&mut feed.entries), &piece, base.as_ref(), &mut tally);
        let slots = match &mut writer {
            Some(w) => match spill_texts(w, &mut part) {
                Ok(slots) => slots,
                Err(e) => return Some(Err(ParseError::Spill(e.to_string()))),
            },
            None => Vec::new(),
        };
        parts.push((part, slots));
        drop(piece);
        source.parsed(run);
        if i == 0 {
            first = Some(*feed);
        }
    }
    let mut items = Vec::with_capacity(cut.items);
    let mut order = Vec::with_capacity(if writer.is_some() { cut.items } else { 0 });
    for (part, slots) in parts.into_iter().rev() {
        items.extend(part);
        order.extend(slots);
    }
    let spilled = writer.map(|w| (w, order));
    Some(first.map(|feed| (feed, items, tally, spilled)).ok_or(ParseError::Empty))
}

// — #10 fetch memory —
/// Bodies larger than this are best spooled to a file by the fetcher
/// (`Fetcher::spooling`): those are the ones parsed in pieces.
pub const SPOOL_ABOVE: usize = split::SPLIT_ABOVE;

/// `parse_owned` for a body the fetcher wrote to a temporary file: a large
/// document is cut and parsed reading the file piece by piece, never whole
/// in memory; anything else is read into memory and parsed as usual.
pub fn parse_spooled(url: &str, body: &Spooled) -> Result<FetchedFeed, ParseError> {
    let spill = |e: std::io::Error| ParseError::Spill(e.to_string());
    if let Some(parsed) = spooled_pieces(url, body).map_err(spill)? {
        return parsed.and_then(|(feed, items, tally, spilled)| match spilled {
            None => Ok(finish(url, feed, items, tally)),
            Some((writer, slots)) => finish_spilled(url, feed, items, tally, writer, slots),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(body.len).unwrap_or(0));
    let mut file = &*body.file;
    file.seek(SeekFrom::Start(0)).map_err(spill)?;
    file.read_to_end(&mut bytes).map_err(spill)?;
    parse_owned(url, bytes)
}

/// The spooled document parsed in pieces; Ok(None) when it is not one to
/// cut (small, binary, not UTF-8, not RSS/Atom/RDF, or its last piece does
/// not read).
fn spooled_pieces(url: &str, body: &Spooled) -> std::io::Result<Option<Result<Parsed, ParseError>>> {
    let file = &*body.file;
    let len = usize::try_from(body.len).unwrap_or(usize::MAX);
    let mut start = vec![0; len.min(8 << 10)];
    read_at(file, &mut start, 0)?;
    let lead = start.len() - trim_start(&start).len();
    if lead == start.len() || len - lead <= split::SPLIT_ABOVE || looks_binary(&start[lead..]) {
        return Ok(None);
    }
    let mut reader = file;
    reader.seek(SeekFrom::Start(lead as u64))?;
    if !is_utf8(reader.take((len - lead) as u64))? {
        return Ok(None);
    }
    reader.seek(SeekFrom::Start(lead as u64))?;
    let source = std::io::BufReader::with_capacity(64 << 10, reader.take((len - lead) as u64));
    let Some(cut) = split::cut_from(source, len - lead, split::PIECE) else { return Ok(None) };
    let read = |range: &Range<usize>| -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; range.len()];
        read_at(file, &mut bytes, (lead + range.start) as u64)?;
        Ok(bytes)
    };
    let (head, tail) = (read(&cut.head)?, read(&cut.tail)?);
    let mut source = InFile { file, lead };
    Ok(in_pieces_from_the_end(url, &cut, &head, &tail, &mut source))
}

/// A spooled body's pieces, read from its file.
struct InFile<'f> {
    file: &'f std::fs::File,
    lead: usize,
}

impl Pieces for InFile<'_> {
    fn piece(&mut self, head: &[u8], run: &Range<usize>, tail: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut piece = Vec::with_capacity(head.len() + run.len() + tail.len());
        piece.extend_from_slice(head);
        piece.resize(head.len() + run.len(), 0);
        read_at(self.file, &mut piece[head.len()..], (self.lead + run.start) as u64)?;
        piece.extend_from_slice(tail);
        Ok(piece)
    }

    fn parsed(&mut self, _: &Range<usize>) {}
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(mut file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}

/// Whether what `r` reads is UTF-8, read a block at a time.
fn is_utf8(mut r: impl std::io::Read) -> std::io::Result<bool> {
    let mut buf = vec![0; 64 << 10];
    let mut carry = 0;
    loop {
        let n = r.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            // A character cut at the block's end: its bytes go first in the next block.
            Err(e) if e.error_len().is_none() => {
                buf.copy_within(e.valid_up_to()..filled, 0);
                carry = filled - e.valid_up_to();
            }
            Err(_) => return Ok(false),
        }
    }
}

/// One piece's items with their words and signatures computed (as `finish`
/// computes them for a whole document), their texts moved to the file;
/// returns each item's slot.
fn spill_texts(writer: &mut spill::Writer, items: &mut [NewItem]) -> std::io::Result<Vec<usize>> {
    index_words(items, usize::MAX);
    sign_stories(items);
    items.iter_mut().map(|item| writer.put(item)).collect()
}

/// `finish` for a document whose items' texts are in `writer` (item `i` in
/// slot `slots[i]`): words and signatures were computed piece by piece.
fn finish_spilled(
    url: &str,
    feed: Feed,
    mut items: Vec<NewItem>,
    mut tally: Tally,
    writer: spill::Writer,
    slots: Vec<usize>,
) -> Result<FetchedFeed, ParseError> {
    let keep = entry::distinct_keys(&mut items, &mut tally);
    let mut kept = keep.iter();
    items.retain(|_| *kept.next().unwrap_or(&false));
    let slots: Vec<usize> = slots.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(s, _)| s).collect();
    let spilled = writer.finish(&slots).map_err(|e| ParseError::Spill(e.to_string()))?;
    let mut fetched = described(url, feed, items, tally);
    fetched.spilled = Some(spilled);
    Ok(fetched)
}

/// The entries of one document (or piece) as items, with what only the raw
/// document tells: enclosures feed-rs dropped, JSON Feed durations.
fn items_of(
    entries: Vec<feed_rs::model::Entry>,
    body: &[u8],
    base: Option<&url::Url>,
    tally: &mut Tally,
) -> Vec<NewItem> {
    let json = recover::is_json(body);
    let mut cx = entry::Context {
        raw: if !json && enclosures::lost_by_feed_rs(body, &entries) { enclosures::scan_rss(body, base) } else { None },
        json_durations: if json { enclosures::json_durations(body) } else { None },
        base: base.cloned(),
        json,
        tally,
    };
    let mut items = entry::convert_some(entries, &mut cx);
    // Collected in place, the vector keeps the entries' larger capacity.
    items.shrink_to_fit();
    items
}

fn convert(url: &str, mut feed: Feed, body: &[u8], mut tally: Tally) -> FetchedFeed {
    let base = url::Url::parse(url).ok();
    let items = items_of(std::mem::take(&mut feed.entries), body, base.as_ref(), &mut tally);
    finish(url, feed, items, tally)
}

/// The parser computes the search words of a feed's items up to this many
/// bytes; the store computes the rest itself, so a huge feed does not hold
/// all its text twice while it waits to be stored.
const WORDS_BUDGET: usize = 4 << 20;

// — #15 stories —
/// The parser signs at most this many items of a feed for story grouping
/// (about 200 bytes each); the store signs the rest itself, so a huge feed
/// does not hold them all while it waits to be stored.
const SIGNATURES_BUDGET: usize = 20_000;

/// Signs the items for story grouping here, on the parse thread, so the
/// store's thread only assigns them (unless grouping is off).
pub fn sign_stories(items: &mut [NewItem]) {
    if !crate::stories::signs_while_parsing() {
        return;
    }
    for item in items.iter_mut().take(SIGNATURES_BUDGET) {
        let html = item.summary.as_deref().or(item.content.as_deref());
        item.signature = Some(crate::stories::sign_html(&item.title, html));
    }
}

/// The parsed document (its entries converted) as tidings' own model.
fn finish(url: &str, feed: Feed, items: Vec<NewItem>, mut tally: Tally) -> FetchedFeed {
    let mut items = entry::distinct(items, &mut tally);
    index_words(&mut items, WORDS_BUDGET);
    sign_stories(&mut items);
    described(url, feed, items, tally)
}

/// The search words of the first items, up to `budget` bytes of them.
fn index_words(items: &mut [NewItem], mut budget: usize) {
    for item in items {
        if budget == 0 {
            break;
        }
        let words = crate::article::plain::index_body([item.summary.as_deref(), item.content.as_deref()]);
        budget = budget.saturating_sub(words.len().max(1));
        item.words = Some(words);
    }
}

/// The feed's own fields around its finished items.
fn described(url: &str, feed: Feed, items: Vec<NewItem>, mut tally: Tally) -> FetchedFeed {
    let site_url =
        feed.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).map(|l| l.href.clone());
    let mut title = feed.title.as_ref().map(text::title).filter(|t| !t.is_empty());
    if let Some(fixed) = title.as_deref().and_then(text::undouble) {
        title = Some(fixed);
        tally.add(Kind::DoubleEncoded, 1);
    }
    FetchedFeed {
        url: url.to_string(),
        title,
        site_url,
        items,
        etag: None,
        last_modified: None,
        ttl: feed.ttl,
        date: feed.updated.or(feed.published).map(|d| d.timestamp()),
        repairs: tally.into_repairs(),
        spilled: None,
    }
}

/// Skips leading whitespace (and whitespace after a UTF-8 byte order mark,
/// which XML parsers refuse before the prolog).
fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Compressed data, images and other non-text: NUL bytes where no UTF-16
/// byte order mark explains them, or a gzip/zip/PNG/PDF signature.
fn looks_binary(body: &[u8]) -> bool {
    const MAGIC: [&[u8]; 5] = [b"\x1f\x8b", b"PK\x03\x04", b"\x89PNG", b"%PDF", b"GIF8"];
    if MAGIC.iter().any(|m| body.starts_with(m)) {
        return true;
    }
    let utf16 = [&[0xff, 0xfe], &[0xfe, 0xff], b"<\0", b"\0<"].iter().any(|m| body.starts_with(*m));
    let head = &body[..body.len().min(4096)];
    !utf16 && head.iter().filter(|&&b| b == 0).count() > 0
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
