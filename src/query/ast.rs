//! The parsed form of a query: a tree of boolean nodes over terms, each term
//! with the span of text it came from.

use std::fmt;

use chrono::NaiveDate;

/// A range of characters in the query text (0-based char offsets, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A boolean expression over terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Every item (the empty query).
    All,
    /// Every child holds (implicit between terms, or `and`).
    And(Vec<Expr>),
    /// At least one child holds (`or`).
    Or(Vec<Expr>),
    /// The child does not hold (`-`).
    Not(Box<Expr>),
    /// One term, and where it was written.
    Term(Term, Span),
}

/// Which part of an item a text term looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    /// Title, summary/content text, author and extracted full text.
    Any,
    Title,
    Author,
}

/// A date in a `since:` / `before:` term, resolved against the clock when compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// Local midnight at the start of this day.
    Day(NaiveDate),
    /// This many seconds before now.
    Ago(i64),
    /// Local midnight today, minus this many days (`today` 0, `yesterday` 1).
    DaysBack(i64),
}

/// One condition on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Unread,
    Read,
    /// On the reading list.
    Saved,
    /// Items of feeds with this tag.
    Tag(String),
    /// `tag:none`: items of feeds that have no tag.
    NoTag,
    /// Part of the feed's title (as configured or its own) or URL, any case.
    Feed(String),
    /// Exactly this feed URL (the sidebar's failing-feed entries; not written by users).
    FeedUrl(String),
    /// Dated at or after.
    Since(When),
    /// Dated before.
    Before(When),
    // — #15 stories —
    /// `story:ID`: the items of one story (an ungrouped item is a story of its own).
    Story(String),
    /// `grouped`: items whose story holds another item too.
    Grouped,
    /// `ungrouped`: items alone in their story.
    Ungrouped,
    /// Full-text: a bare word matches as a word prefix, a phrase as exact consecutive words.
    Text {
        field: TextField,
        text: String,
        phrase: bool,
    },
}

impl Expr {
    /// Calls `f` on every term that is not under a negation.
    pub fn positive_terms<'a>(&'a self, f: &mut impl FnMut(&'a Term)) {
        match self {
            Expr::All | Expr::Not(_) => {}
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.positive_terms(f)),
            Expr::Term(t, _) => f(t),
        }
    }
}

/// True when `word` would be read back as something other than a bare word.
fn needs_quotes(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.is_empty()
        || matches!(lower.as_str(), "or" | "and" | "unread" | "read" | "saved" | "grouped" | "ungrouped")
        || word.starts_with('-')
        || word.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"' | ':'))
}

/// A value as written in a query: bare when that reads back the same, else quoted.
pub fn quote_if_needed(word: &str) -> String {
    if needs_quotes(word) { format!("\"{word}\"") } else { word.to_string() }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            When::DaysBack(0) => f.write_str("today"),
            When::DaysBack(1) => f.write_str("yesterday"),
            When::DaysBack(n) => write!(f, "{n}d"),
            When::Ago(secs) if secs % 86_400 == 0 => write!(f, "{}d", secs / 86_400),
            When::Ago(secs) => write!(f, "{}h", secs / 3600),
        }
    }
}

/// The canonical text of a term: parsing it gives the term back.
impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Unread => f.write_str("unread"),
            Term::Read => f.write_str("read"),
            Term::Saved => f.write_str("saved"),
            Term::Tag(t) => write!(f, "tag:{}", quote_if_needed(t)),
            Term::NoTag => f.write_str("tag:none"),
            Term::Feed(p) | Term::FeedUrl(p) => write!(f, "feed:{}", quote_if_needed(p)),
            Term::Since(w) => write!(f, "since:{w}"),
            Term::Before(w) => write!(f, "before:{w}"),
            Term::Story(id) => write!(f, "story:{}", quote_if_needed(id)),
            Term::Grouped => f.write_str("grouped"),
            Term::Ungrouped => f.write_str("ungrouped"),
            Term::Text { field, text, phrase } => {
                let prefix = match field {
                    TextField::Any => "",
                    TextField::Title => "title:",
                    TextField::Author => "author:",
                };
                if *phrase || needs_quotes(text) {
                    write!(f, "{prefix}\"{text}\"")
                } else {
                    write!(f, "{prefix}{text}")
                }
            }
        }
    }
}

/// The canonical text of an expression, fully parenthesised where it matters.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, v: &[Expr], sep: &str| -> fmt::Result {
            for (i, e) in v.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match e {
                    Expr::And(_) | Expr::Or(_) => write!(f, "({e})")?,
                    _ => write!(f, "{e}")?,
                }
            }
            Ok(())
        };
        match self {
            Expr::All => Ok(()),
            Expr::And(v) => join(f, v, " "),
            Expr::Or(v) => join(f, v, " or "),
            Expr::Not(e) => match **e {
                Expr::And(_) | Expr::Or(_) | Expr::All => write!(f, "-({e})"),
                _ => write!(f, "-{e}"),
            },
            Expr::Term(t, _) => write!(f, "{t}"),
        }
    }
}
