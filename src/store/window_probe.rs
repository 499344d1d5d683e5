//! — #10 search — A list whose full-text lookup matches most items: the
//! list's index is walked and each row it passes is tested by a point lookup
//! in the full-text index (`FtsPlan::Probe`), instead of first building the
//! set of all the matches (`FtsPlan::Walk`, which at a million items costs
//! 100–200 ms for a word in two thirds of them, before the first row).
//!
//! A point lookup (`items_fts MATCH ? AND rowid = ?`) seeks the word in each
//! segment of the index, so it pays per row what the set pays per match: it
//! wins when the matches are dense, and the choice is made from the share of
//! matches the bounded count already read (`Store::bounded`). A bare word is
//! a prefix query, which FTS5 answers by merging the lists of every word with
//! that prefix — for each row. So the lookup names the words instead: the
//! word itself and the index's longer words that start with it, read from
//! the index's vocabulary (`query::Driving::expanded`).

use rusqlite::types::Value;

use super::super::{Result, Store};
use super::FtsPlan;
use crate::query;

/// How a list with a driving full-text lookup finds its rows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum FtsSource {
    /// These seqs are all the matches: fetch them by seq and sort them.
    Matches(Vec<i64>),
    /// Walk the list's index, testing each row against the set of matches.
    Walk,
    /// Walk the list's index, testing each row by a point lookup of this MATCH string.
    Probe(String),
}

/// What a bounded read of a lookup's matches found.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bounded {
    /// All of them (no more than the bound).
    Few(Vec<i64>),
    /// More than the bound; `share` estimates what part of the items match
    /// (the matches read over the span of seqs they came from).
    Many { share: f64 },
}

/// What a point lookup costs against one match added to the set of matches:
/// about 45 µs a word (FTS5 seeks the word's list in each of the index's
/// ~20 segments) against about 0.22 µs (measured at 1M items, benches/README.md).
const PROBE_COST: f64 = 200.0;

/// The longer words of a bare word looked up, at most: more, and the walk.
const MAX_LONGER: usize = 8;

/// The share of matching items from which testing each row by a point
/// lookup (of `words` words) beats building the set of matches, for a
/// window of `n` rows over `items` items. Probing walks about `n / share`
/// rows at `PROBE_COST * words` each; the set costs one unit a match,
/// `share * items`: they meet at `share² = PROBE_COST * words * n / items`.
pub(crate) fn dense_enough(n: usize, items: i64, words: usize) -> f64 {
    (PROBE_COST * words as f64 * n as f64 / items.max(1) as f64).sqrt()
}

/// The share of items the `n` matches first read, from seq `first` to
/// `last`, stand for.
fn share(n: usize, first: i64, last: i64) -> f64 {
    (n as f64 / (last - first + 1).max(1) as f64).min(1.0)
}

/// The count of a bare word's whole-word matches (a subset), up to a bound,
/// and the seqs they span.
const NARROW_SPAN: &str = "SELECT COUNT(*), MIN(rowid), MAX(rowid)
     FROM (SELECT rowid FROM items_fts WHERE items_fts MATCH ?1 LIMIT ?2)";

/// The index's vocabulary, for this connection only (nothing is written to the database).
const VOCAB: &str = "CREATE VIRTUAL TABLE temp.items_fts_vocab USING fts5vocab(main, items_fts, row)";

/// The items a point lookup of `fts` finds, as the driving lookup of a
/// query (`query::compile_driven`).
pub(super) fn probe_given(fts: String) -> query::Sql {
    query::Sql {
        clause: "EXISTS (SELECT 1 FROM items_fts WHERE items_fts MATCH ? AND rowid = i.seq)".into(),
        params: vec![Value::Text(fts)],
    }
}

impl Store {
    /// How a window of `n` rows finds the rows of a query with the driving
    /// lookup `driving`: from its matches when they are few (`few_enough`),
    /// by point lookups when they are dense (`dense_enough`) and its bare
    /// words have few longer words, else by the walk. Forced by `FtsPlan`.
    pub(super) fn fts_source(&self, driving: &query::Driving, n: usize) -> Result<FtsSource> {
        match self.fts_plan.get() {
            FtsPlan::Walk => return Ok(FtsSource::Walk),
            FtsPlan::Matches => return Ok(FtsSource::Matches(self.matches(driving, None)?)),
            FtsPlan::Probe => {
                let fts = self.probe_match(driving)?.map_or_else(|| driving.fts.clone(), |(fts, _)| fts);
                return Ok(FtsSource::Probe(fts));
            }
            FtsPlan::Auto => {}
        }
        let items = self.items_top()?;
        let share = match self.bounded(driving, super::few_enough(n, items))? {
            Bounded::Few(seqs) => return Ok(FtsSource::Matches(seqs)),
            Bounded::Many { share } => share,
        };
        if share < dense_enough(n, items, 1) {
            return Ok(FtsSource::Walk);
        }
        Ok(match self.probe_match(driving)? {
            Some((fts, words)) if share >= dense_enough(n, items, words) => FtsSource::Probe(fts),
            _ => FtsSource::Walk,
        })
    }

    /// The highest seq: about how many items the store holds.
    pub(super) fn items_top(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM items", [], |r| r.get(0))?)
    }

    /// The matches of `driving` when there are at most `bound` of them (all
    /// of them when None), else how dense they are. A bare word's whole-word
    /// matches are counted first: FTS5 reads them lazily, where a prefix
    /// query first merges the lists of every word it matches.
    pub(super) fn bounded(&self, driving: &query::Driving, bound: usize) -> Result<Bounded> {
        if driving.narrower != driving.fts {
            let (count, first, last): (i64, Option<i64>, Option<i64>) = self
                .conn
                .prepare_cached(NARROW_SPAN)?
                .query_row(rusqlite::params![driving.narrower, bound as i64 + 1], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            if count as usize > bound {
                return Ok(Bounded::Many { share: share(count as usize, first.unwrap_or(0), last.unwrap_or(0)) });
            }
        }
        let seqs = self.matches(driving, Some(bound + 1))?;
        Ok(match (seqs.first(), seqs.last()) {
            (Some(&first), Some(&last)) if seqs.len() > bound => {
                Bounded::Many { share: share(seqs.len(), first, last) }
            }
            _ => Bounded::Few(seqs),
        })
    }

    /// The seqs of the first `limit` matches of `driving` (all when None), in seq order.
    pub(super) fn matches(&self, driving: &query::Driving, limit: Option<usize>) -> Result<Vec<i64>> {
        let limit = limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare_cached("SELECT rowid FROM items_fts WHERE items_fts MATCH ?1 LIMIT ?2")?;
        let seqs = stmt.query_map(rusqlite::params![driving.fts, limit], |r| r.get(0))?;
        Ok(seqs.collect::<rusqlite::Result<_>>()?)
    }

    /// `driving`'s MATCH string with its bare words written as the words
    /// they are a prefix of, and how many words a point lookup then seeks;
    /// None when a bare word's token is uncertain, has more than
    /// `MAX_LONGER` longer words, or the vocabulary cannot be read.
    fn probe_match(&self, driving: &query::Driving) -> Result<Option<(String, usize)>> {
        let Some(prefixes) = driving.prefixes() else { return Ok(None) };
        if !prefixes.is_empty() && !self.vocabulary() {
            return Ok(None);
        }
        let mut longer = std::collections::HashMap::new();
        for token in prefixes {
            let words = self.longer_words(&token)?;
            if words.len() > MAX_LONGER {
                return Ok(None);
            }
            longer.insert(token, words);
        }
        let words = (longer.values().map(|l| 1 + l.len()).sum::<usize>() + driving.phrase_words()).max(1);
        Ok(driving.expanded(&|t| longer.get(t).cloned().unwrap_or_default()).map(|fts| (fts, words)))
    }

    /// The index's words that start with `token` and are longer (up to one
    /// more than `MAX_LONGER`). The vocabulary counts each word's items as
    /// it lists it, so the range starts past `token` itself: a common word
    /// costs nothing, its longer words what their lists hold.
    fn longer_words(&self, token: &str) -> Result<Vec<String>> {
        let Some(last) = token.chars().last().filter(char::is_ascii_alphanumeric) else { return Ok(Vec::new()) };
        let from = format!("{token}\u{1}");
        let to = format!("{}{}", &token[..token.len() - 1], char::from(last as u8 + 1));
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term FROM temp.items_fts_vocab WHERE term >= ?1 AND term < ?2 LIMIT ?3")?;
        let words = stmt.query_map(rusqlite::params![from, to, MAX_LONGER as i64 + 1], |r| r.get::<_, String>(0))?;
        let words: Vec<String> = words.collect::<rusqlite::Result<_>>()?;
        Ok(words.into_iter().filter(|w| w.len() > token.len() && w.starts_with(token)).collect())
    }

    /// Makes the index's vocabulary readable on this connection (a table in
    /// its own temporary schema; a reader that only reads lets itself write
    /// that much). False when it cannot be.
    fn vocabulary(&self) -> bool {
        let exists = "SELECT 1 FROM temp.sqlite_master WHERE name = 'items_fts_vocab'";
        if self.conn.query_row(exists, [], |_| Ok(())).is_ok() {
            return true;
        }
        let query_only: bool = self.conn.query_row("PRAGMA query_only", [], |r| r.get(0)).unwrap_or(false);
        if query_only {
            let _ = self.conn.pragma_update(None, "query_only", false);
        }
        let made = self.conn.execute_batch(VOCAB).is_ok();
        if query_only {
            let _ = self.conn.pragma_update(None, "query_only", true);
        }
        made
    }
}
