//! The recovery layer: when feed-rs refuses a document, or reads none of the
//! items it visibly holds, the document is repaired and parsed once more by a
//! fresh parser. Every repair is narrow (it changes only what is broken),
//! counted, and reported on the feed so that a user can tell the publisher
//! what is wrong ("repaired: 3 bare '&'").
//!
//! XML repairs work on bytes and only look at ASCII, so they hold for every
//! ASCII-compatible charset a feed may declare (UTF-8, windows-1251, …);
//! UTF-16 documents are left alone.

mod json;
mod xml;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::Repair;

pub use xml::count_items;

/// The kinds of defect the recovery layer (and the item converter) repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The body is not the UTF-8 it claims; read as windows-1252.
    Charset,
    /// UTF-16 without the byte order mark XML requires for it.
    Utf16WithoutBom,
    /// A `&` that starts no reference (`AT&T`, `?a=1&b=2`).
    BareAmpersand,
    /// An HTML entity XML does not know (`&nbsp;`, `&mdash;`), or an unknown one.
    UndefinedEntity,
    /// A control character XML or JSON does not allow.
    ControlChar,
    /// An element feed-rs refuses when empty (`<media:description/>`).
    EmptyElement,
    /// An Atom text construct with a type feed-rs does not know (`text/plain`).
    TextType,
    /// A JSON Feed without a (valid) `version`.
    JsonVersion,
    /// A JSON Feed whose `tags` is one string instead of a list.
    JsonTags,
    /// A JSON Feed field of the wrong type (a number for a string, …).
    JsonField,
    /// `<rss>` without a version feed-rs knows.
    RssVersion,
    /// RSS or RDF under a default namespace that is not the usual one.
    RssNamespace,
    /// RSS 0.90's RDF namespace.
    Rss090,
    /// Atom 0.3, read as Atom 1.0.
    Atom03,
    /// A feed wrapped in an (X)HTML page.
    Wrapped,
    /// Text encoded as UTF-8 twice (`CrÃ¨me`).
    DoubleEncoded,
    /// An item that appears twice, identical, in one document.
    DuplicateItem,
}

impl Kind {
    fn what(self, count: usize) -> &'static str {
        let one = count == 1;
        match self {
            Kind::Charset => "body not in its declared charset (read as windows-1252)",
            Kind::Utf16WithoutBom => "UTF-16 body without a byte order mark",
            Kind::BareAmpersand => "bare '&'",
            Kind::UndefinedEntity if one => "undefined entity",
            Kind::UndefinedEntity => "undefined entities",
            Kind::ControlChar if one => "control character",
            Kind::ControlChar => "control characters",
            Kind::EmptyElement if one => "empty element",
            Kind::EmptyElement => "empty elements",
            Kind::TextType if one => "unknown text type",
            Kind::TextType => "unknown text types",
            Kind::JsonVersion => "JSON Feed without a valid version",
            Kind::JsonTags if one => "JSON Feed tags given as a string",
            Kind::JsonTags => "JSON Feed tags given as strings",
            Kind::JsonField if one => "JSON Feed field of the wrong type",
            Kind::JsonField => "JSON Feed fields of the wrong type",
            Kind::RssVersion => "<rss> without a known version",
            Kind::RssNamespace => "RSS under a non-standard namespace",
            Kind::Rss090 => "RSS 0.90 namespace",
            Kind::Atom03 => "Atom 0.3 document (read as Atom 1.0)",
            Kind::Wrapped => "feed wrapped in a web page",
            Kind::DoubleEncoded if one => "double-encoded UTF-8 text",
            Kind::DoubleEncoded => "double-encoded UTF-8 texts",
            Kind::DuplicateItem if one => "duplicate item",
            Kind::DuplicateItem => "duplicate items",
        }
    }
}

/// Repairs counted by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally(BTreeMap<Kind, usize>);

impl Tally {
    pub fn add(&mut self, kind: Kind, n: usize) {
        if n > 0 {
            *self.0.entry(kind).or_default() += n;
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (kind, n) in other.0 {
            self.add(kind, n);
        }
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.0.get(&kind).copied().unwrap_or(0)
    }

    pub fn into_repairs(self) -> Vec<Repair> {
        self.0.into_iter().map(|(k, count)| Repair { what: k.what(count).to_string(), count }).collect()
    }
}

/// How far `repair` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// What costs little: for JSON Feed, a version URL written with http: and
    /// `tags` as a string, fixed on the bytes.
    Quick,
    /// Everything that applies.
    Full,
}

/// A JSON document (a JSON Feed, or meant to be one)?
pub fn is_json(body: &[u8]) -> bool {
    body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body).first() == Some(&b'{')
}

/// The document with the repairs that apply to it; None when none does.
/// XML documents get every repair at either depth.
pub fn repair(body: &[u8], tally: &mut Tally, depth: Depth) -> Option<Vec<u8>> {
    let text = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    if is_json(body) {
        return match depth {
            Depth::Quick => json::quick(text, tally),
            Depth::Full => json::repair(text, tally),
        };
    }
    if [&[0xff, 0xfe], &[0xfe, 0xff], b"<\0", b"\0<"].iter().any(|m| body.starts_with(*m)) {
        return None;
    }
    let mut doc = Cow::Borrowed(body);
    for pass in [xml::unwrap, xml::lexical, xml::structure] {
        if let Some(fixed) = pass(&doc, tally) {
            doc = Cow::Owned(fixed);
        }
    }
    match doc {
        Cow::Owned(fixed) => Some(fixed),
        Cow::Borrowed(_) => None,
    }
}

/// A body that looks binary only because of a few stray NUL bytes in what is
/// otherwise XML: the body without them.
pub fn strip_nuls(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let text = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    if text.first() != Some(&b'<') || text.get(1) == Some(&0) {
        return None;
    }
    // A few, and rare: a handful per kilobyte at most, and never more than 1 byte in 20.
    let nuls = body.iter().filter(|&&b| b == 0).count();
    if nuls == 0 || nuls > 4.max(body.len() / 1000) || nuls * 20 > body.len() {
        return None;
    }
    tally.add(Kind::ControlChar, nuls);
    Some(body.iter().copied().filter(|&b| b != 0).collect())
}

#[cfg(test)]
mod tests;
