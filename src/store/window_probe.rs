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
    /// Walk the list's index, testing each row against the set of matches
    /// (built by SQLite, `FtsPlan::Walk`).
    Walk,
    /// Walk the list's index, testing each row by a point lookup of this MATCH
    /// string, at most `budget` rows (then `StoreError` "probes spent").
    Probe(String, u64),
    // — #10 keys —
    /// Walk the list's index, testing each row's seq against these bits
    /// (the matches, read here: `Bits`).
    Set(Bits),
}

// — #10 keys —
/// The matches of a lookup as a bitmap of seqs (bit `seq % 8` of byte
/// `seq / 8`): a row's test is one bit (`tidings_in_set`), and reading the
/// matches costs what FTS5 takes to list them. SQLite's own set of them
/// (`+i.seq IN (SELECT rowid …)`) is a b-tree built one match at a time,
/// about five times dearer (`pyongyang`'s 78,002 at 1M items: 17 ms).
#[derive(Clone, PartialEq, Eq, Default)]
pub(super) struct Bits(pub(super) Vec<u8>);

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.0.iter().map(|b| b.count_ones()).sum();
        write!(f, "Bits({n} of {})", self.0.len() * 8)
    }
}

impl Bits {
    fn insert(&mut self, seq: i64) {
        let Ok(seq) = usize::try_from(seq) else { return };
        if seq / 8 >= self.0.len() {
            self.0.resize(seq / 8 + 1, 0);
        }
        self.0[seq / 8] |= 1 << (seq % 8);
    }
}

/// Whether `seq` is in a bitmap of `Bits`.
fn has_bit(bits: &[u8], seq: i64) -> bool {
    usize::try_from(seq).ok().and_then(|s| bits.get(s / 8).map(|b| b & (1 << (s % 8)) != 0)).unwrap_or(false)
}

/// The message of a window read that gave up its point lookups (`probe_budget`).
const PROBES_SPENT: &str = "tidings: point lookups spent";

/// A set of matches kept: its MATCH string, the change stamp it was read at, the bits.
type KeptSet = (String, (i64, u64), Bits);

/// How a connection's window reads stand with point lookups.
#[derive(Debug, Default)]
pub(crate) struct ProbeState {
    /// Point lookups are off for the read being made again (`Store::with_source`).
    off: std::cell::Cell<bool>,
    /// The budget of a forced `FtsPlan::Probe` (tests); unbounded when None.
    forced_budget: std::cell::Cell<Option<u64>>,
    /// Reads that gave up their point lookups and were made again from the set.
    pub(crate) abandoned: std::cell::Cell<u64>,
    /// The last set of matches read, its MATCH string and the database's
    /// change stamp then: the next windows of a list (read ahead, paging)
    /// take it again while nothing changed.
    last_set: std::cell::RefCell<Option<KeptSet>>,
}

/// The SQL functions of window reads, on every connection: `tidings_in_set(bits,
/// seq)` (a seq in `Bits`) and `tidings_probe_budget(budget, …)` (true for the
/// first `budget` rows of a statement's run, then an error: the run's count
/// is kept with the constant budget argument, as SQLite's auxiliary data).
pub(crate) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    use std::sync::atomic::{AtomicU64, Ordering};
    conn.create_scalar_function(
        "tidings_in_set",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let ValueRef::Blob(bits) = ctx.get_raw(0) else { return Ok(false) };
            Ok(has_bit(bits, ctx.get::<i64>(1)?))
        },
    )?;
    conn.create_scalar_function("tidings_probe_budget", -1, FunctionFlags::SQLITE_UTF8, |ctx| {
        let budget: i64 = ctx.get(0)?;
        let used = match ctx.get_aux::<AtomicU64>(0)? {
            Some(used) => used,
            None => ctx.set_aux(0, AtomicU64::new(0))?,
        };
        if used.fetch_add(1, Ordering::Relaxed) >= budget.max(0) as u64 {
            return Err(rusqlite::Error::UserFunctionError(PROBES_SPENT.into()));
        }
        Ok(true)
    })
}

/// True for the error of a read whose point lookups ran past their budget.
pub(super) fn probes_spent(e: &crate::store::StoreError) -> bool {
    matches!(e, crate::store::StoreError::Sqlite(rusqlite::Error::SqliteFailure(_, Some(m))) if m.contains(PROBES_SPENT))
        || matches!(e, crate::store::StoreError::Sqlite(rusqlite::Error::UserFunctionError(m)) if m.to_string().contains(PROBES_SPENT))
}

/// How many rows a window of `n` rows may test by point lookups (of
/// `words` words, among `items` items of which `share` match) before its
/// read is made again from the set of matches: four times the rows it
/// should need, or as many lookups as the set costs, whichever is more. A
/// view that hides most matches (a config keeping few of the archive's
/// feeds, `unread` among mostly read items) walks far more rows than the
/// share says; the bound keeps that within about twice the set's cost.
pub(crate) fn probe_budget(n: usize, items: i64, share: f64, words: usize) -> u64 {
    let needed = 4.0 * n.max(1) as f64 / share.max(1e-6);
    let set = share * items.max(0) as f64 / (PROBE_COST * words.max(1) as f64);
    needed.max(set).clamp(64.0, 1e12) as u64
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
///
/// The lookup counts against `budget` (`tidings_probe_budget`), and names
/// the row's feed as well, so SQLite tests it only once the row's feed is
/// joined: after the feed's own terms (`f.active = 1`). Else, walking the
/// items in date order with the feeds joined inside, every row walked was
/// looked up, those of feeds the config no longer has too (a config keeping
/// one feed of a 1M archive: 58 s for `minister`'s first window).
pub(super) fn probe_given(fts: String, budget: u64) -> query::Sql {
    query::Sql {
        clause: "CASE WHEN tidings_probe_budget(?, f.id) THEN \
                 EXISTS (SELECT 1 FROM items_fts WHERE items_fts MATCH ? AND rowid = i.seq) END"
            .into(),
        params: vec![Value::Integer(budget.min(i64::MAX as u64) as i64), Value::Text(fts)],
    }
}

// — #10 keys —
/// The items whose seq is in `bits`, as the driving lookup of a query.
pub(super) fn set_given(bits: Bits) -> query::Sql {
    query::Sql { clause: "tidings_in_set(?, i.seq)".into(), params: vec![Value::Blob(bits.0)] }
}

impl Store {
    /// How a window of `n` rows finds the rows of a query with the driving
    /// lookup `driving`: from its matches when they are few (`few_enough`),
    /// by point lookups when they are dense (`dense_enough`) and its bare
    /// words have few longer words, else by the walk. Forced by `FtsPlan`.
    pub(super) fn fts_source(&self, driving: &query::Driving, n: usize) -> Result<FtsSource> {
        let probing = !self.probe.off.get();
        match self.fts_plan.get() {
            FtsPlan::Walk => return Ok(FtsSource::Walk),
            FtsPlan::Matches => return Ok(FtsSource::Matches(self.matches(driving, None)?)),
            FtsPlan::Set => return Ok(FtsSource::Set(self.match_bits(driving)?)),
            FtsPlan::Probe if probing => {
                let fts = self.probe_match(driving)?.map_or_else(|| driving.fts.clone(), |(fts, _)| fts);
                return Ok(FtsSource::Probe(fts, self.probe.forced_budget.get().unwrap_or(u64::MAX)));
            }
            FtsPlan::Probe => return Ok(FtsSource::Set(self.match_bits(driving)?)),
            FtsPlan::Auto => {}
        }
        let items = self.items_top()?;
        let share = match self.bounded(driving, super::few_enough(n, items))? {
            Bounded::Few(seqs) => return Ok(FtsSource::Matches(seqs)),
            Bounded::Many { share } => share,
        };
        if probing && share >= dense_enough(n, items, 1) {
            match self.probe_match(driving)? {
                Some((fts, words)) if share >= dense_enough(n, items, words) => {
                    return Ok(FtsSource::Probe(fts, probe_budget(n, items, share, words)));
                }
                _ => {}
            }
        }
        Ok(FtsSource::Set(self.match_bits(driving)?))
    }

    // — #10 keys —
    /// All the matches of `driving`, as bits. Its bare words are read as
    /// the words they stand for where the vocabulary says (`probe_match`):
    /// FTS5 reads a word's list as it goes, where a prefix query first
    /// merges the lists of all its words into one.
    fn match_bits(&self, driving: &query::Driving) -> Result<Bits> {
        let stamp = self.change_stamp()?;
        if let Some((fts, at, bits)) = &*self.probe.last_set.borrow()
            && *fts == driving.fts
            && *at == stamp
        {
            return Ok(bits.clone());
        }
        let fts = self.probe_match(driving)?.map_or_else(|| driving.fts.clone(), |(fts, _)| fts);
        let mut bits = Bits(vec![0; usize::try_from(self.items_top()? / 8 + 1).unwrap_or(0)]);
        let mut stmt = self.conn.prepare_cached("SELECT rowid FROM items_fts WHERE items_fts MATCH ?1")?;
        let mut rows = stmt.query([&fts])?;
        while let Some(r) = rows.next()? {
            bits.insert(r.get(0)?);
        }
        *self.probe.last_set.borrow_mut() = Some((driving.fts.clone(), stamp, bits.clone()));
        Ok(bits)
    }

    /// Runs `read` on the source of `view` for windows of `n` rows; when its
    /// point lookups ran past their budget, again with the set of matches.
    pub(super) fn with_source<T>(
        &self,
        view: &crate::model::View,
        n: usize,
        read: impl Fn(&super::Source) -> Result<T>,
    ) -> Result<T> {
        let source = self.source(view, n)?;
        match read(&source) {
            Err(e) if probes_spent(&e) => {
                tracing::debug!("{view:?}: point lookups spent, read again from the set of matches");
                self.probe.abandoned.set(self.probe.abandoned.get() + 1);
                self.probe.off.set(true);
                let again = self.source(view, n);
                self.probe.off.set(false);
                read(&again?)
            }
            out => out,
        }
    }

    /// Bounds the rows a forced `FtsPlan::Probe` tests (tests).
    #[doc(hidden)]
    pub fn set_probe_budget(&self, budget: Option<u64>) {
        self.probe.forced_budget.set(budget);
    }

    /// Drops the set of matches kept for the next windows (benchmarks).
    #[doc(hidden)]
    pub fn forget_match_sets(&self) {
        self.probe.last_set.borrow_mut().take();
    }

    /// How many window reads gave up their point lookups so far (tests).
    #[doc(hidden)]
    pub fn probes_abandoned(&self) -> u64 {
        self.probe.abandoned.get()
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
