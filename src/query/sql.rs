//! `Expr` → an SQL condition over `items i JOIN feeds f`, with every value
//! from the query passed as a bound parameter, never pasted into the SQL.
//!
//! Full-text terms become lookups in the FTS5 table `items_fts` (see
//! `store::schema`); its MATCH strings are built here from quoted phrases
//! only, and bound as parameters too.

use rusqlite::types::Value;

use super::ast::{Expr, Term, TextField, When};
use crate::model::Timestamp;

/// What relative dates (`since:7d`, `today`) and calendar dates are resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub now: Timestamp,
    /// Seconds east of UTC: calendar dates start at local midnight.
    pub utc_offset: i32,
}

impl Context {
    /// The system clock and time zone.
    pub fn system() -> Context {
        let now = chrono::Local::now();
        Context { now: now.timestamp(), utc_offset: now.offset().local_minus_utc() }
    }

    fn resolve(&self, when: When) -> Timestamp {
        let off = self.utc_offset as i64;
        match when {
            When::Day(d) => d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp()) - off,
            When::Ago(secs) => self.now.saturating_sub(secs),
            When::DaysBack(n) => ((self.now + off).div_euclid(86_400) - n) * 86_400 - off,
        }
    }
}

/// An SQL boolean expression and its parameters, in order (`?` placeholders).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sql {
    pub clause: String,
    pub params: Vec<Value>,
}

/// Items that carry `tag` — through their feed's tags in the config or the
/// user's own tags on the item — or (`None`) items with no tag of either kind.
/// The one place "has tag X" becomes SQL.
pub fn tag_sql(tag: Option<&str>) -> Sql {
    // User tags are reached through `i.seq`, not `i.id`: the row id is in every
    // index, so list and count queries can stay on the covering index. The
    // unary `+` keeps SQLite from answering the OR with two index lookups and a
    // sort of every match: walking the list's own order stops after a screenful.
    match tag {
        Some(t) => Sql {
            clause: "(+i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ? COLLATE NOCASE) \
                     OR +i.seq IN (SELECT it.seq FROM item_tags t JOIN items it ON it.id = t.item_id \
                     WHERE t.tag = ? COLLATE NOCASE))"
                .into(),
            params: vec![Value::Text(t.to_string()), Value::Text(t.to_string())],
        },
        None => Sql {
            clause: "(i.feed_id NOT IN (SELECT feed_id FROM feed_tags) \
                     AND i.seq NOT IN (SELECT it.seq FROM item_tags t JOIN items it ON it.id = t.item_id))"
                .into(),
            params: vec![],
        },
    }
}

/// An FTS5 string for `text`: one quoted phrase (quotes doubled), a prefix
/// match for bare words. None when the text has nothing the index could hold
/// (only punctuation), since FTS5 refuses an empty phrase.
fn fts_phrase(field: TextField, text: &str, phrase: bool) -> Option<String> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let column = match field {
        TextField::Any => "",
        TextField::Title => "title : ",
        TextField::Author => "author : ",
    };
    let star = if phrase { "" } else { "*" };
    Some(format!("{column}\"{}\"{star}", text.replace('"', "\"\"")))
}

fn fts_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Term(Term::Text { field, text, phrase }, _) => fts_phrase(*field, text, *phrase),
        _ => None,
    }
}

fn fts_lookup(out: &mut Sql, fts: String) {
    // The `+` keeps SQLite from fetching each match's row by id and sorting
    // them: it walks `items_filter` in list order instead, testing ids against
    // the matches. A word in a fifth of a 100k archive then costs a few ms, not
    // tens (the rows are large: their HTML is stored with them).
    out.clause.push_str("+i.seq IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)");
    out.params.push(Value::Text(fts));
}

/// The MATCH string that ranks results: every full-text term not under a negation.
pub fn rank_match(expr: &Expr) -> Option<String> {
    let mut parts = Vec::new();
    expr.positive_terms(&mut |t| {
        if let Term::Text { field, text, phrase } = t {
            parts.extend(fts_phrase(*field, text, *phrase));
        }
    });
    (!parts.is_empty()).then(|| parts.join(" OR "))
}

/// Compiles an expression against a clock.
pub fn compile(expr: &Expr, ctx: &Context) -> Sql {
    let mut out = Sql::default();
    emit(expr, ctx, &mut out);
    out
}

fn emit(expr: &Expr, ctx: &Context, out: &mut Sql) {
    match expr {
        Expr::All => out.clause.push('1'),
        Expr::And(v) => emit_and(v, ctx, out, None),
        Expr::Or(v) => emit_joined(v.iter(), " OR ", ctx, out),
        Expr::Not(e) => {
            out.clause.push_str("NOT (");
            emit(e, ctx, out);
            out.clause.push(')');
        }
        Expr::Term(t, _) => emit_term(t, ctx, out),
    }
}

fn emit_joined<'a>(v: impl Iterator<Item = &'a Expr>, sep: &str, ctx: &Context, out: &mut Sql) {
    out.clause.push('(');
    let mut first = true;
    for e in v {
        if !first {
            out.clause.push_str(sep);
        }
        first = false;
        emit(e, ctx, out);
    }
    if first {
        out.clause.push('1');
    }
    out.clause.push(')');
}

/// An `and` whose full-text children are answered by one FTS lookup
/// (`(a AND b) NOT (c OR d)`) instead of one per word: typing several words
/// costs one index query, not several. With `given`, that lookup (the
/// query's driving one, see `driving_match`) is written as `given` instead.
fn emit_and(v: &[Expr], ctx: &Context, out: &mut Sql, given: Option<&Sql>) {
    let (with, without, rest) = split_and(v);
    if with.is_empty() || with.len() + without.len() < 2 {
        let Some(given) = given else {
            return emit_joined(v.iter(), " AND ", ctx, out);
        };
        // One full-text child (the driving lookup) and the rest as they are.
        out.clause.push('(');
        for (i, e) in v.iter().enumerate() {
            if i > 0 {
                out.clause.push_str(" AND ");
            }
            if fts_of(e).is_some() { push_sql(out, given) } else { emit(e, ctx, out) }
        }
        return out.clause.push(')');
    }
    out.clause.push('(');
    match given {
        Some(given) => push_sql(out, given),
        None => fts_lookup(out, and_match(&with, &without)),
    }
    for e in rest {
        out.clause.push_str(" AND ");
        emit(e, ctx, out);
    }
    out.clause.push(')');
}

/// An `and`'s children: its full-text terms' MATCH strings, its negated
/// full-text terms' ones, and the rest.
fn split_and(v: &[Expr]) -> (Vec<String>, Vec<String>, Vec<&Expr>) {
    let mut with = Vec::new();
    let mut without = Vec::new();
    let mut rest = Vec::new();
    for e in v {
        match (e, fts_of(e)) {
            (_, Some(fts)) => with.push(fts),
            (Expr::Not(inner), _) if fts_of(inner).is_some() => without.extend(fts_of(inner)),
            _ => rest.push(e),
        }
    }
    (with, without, rest)
}

/// The one MATCH string of an `and`'s full-text children.
fn and_match(with: &[String], without: &[String]) -> String {
    let mut fts = format!("({})", with.join(" AND "));
    if !without.is_empty() {
        fts.push_str(&format!(" NOT ({})", without.join(" OR ")));
    }
    fts
}

fn push_sql(out: &mut Sql, sql: &Sql) {
    out.clause.push_str(&sql.clause);
    out.params.extend(sql.params.iter().cloned());
}

// — #10 search —
/// The full-text lookup every item a query selects has to pass: the one at
/// its top (a text term, or the one lookup of a top-level `and`'s text
/// terms). A list can then start from its matches instead of its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Driving {
    /// The MATCH string, as `compile` binds it.
    pub fts: String,
    /// A MATCH string whose matches are among `fts`'s: its bare words as
    /// whole words (`"word"` for `"word"*`), which FTS5 reads lazily, where a
    /// prefix query first merges every matching word's list. Equal to `fts`
    /// when there is nothing narrower.
    pub narrower: String,
    /// Its text terms, in the order `fts` writes them, to write it again
    /// with its bare words expanded (`expanded`).
    terms: Vec<DrivingTerm>,
    /// Whether `fts` joins several terms (`(a AND b) NOT (c OR d)`) or is one.
    joined: bool,
}

/// One text term of a driving lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DrivingTerm {
    field: TextField,
    text: String,
    phrase: bool,
    /// On the `NOT` side of the lookup.
    negated: bool,
}

impl DrivingTerm {
    fn of(expr: &Expr, negated: bool) -> Option<DrivingTerm> {
        match expr {
            Expr::Term(Term::Text { field, text, phrase }, _) if fts_phrase(*field, text, *phrase).is_some() => {
                Some(DrivingTerm { field: *field, text: text.clone(), phrase: *phrase, negated })
            }
            _ => None,
        }
    }

    /// The one token FTS5 makes of a bare word when that is certain: a word
    /// of ASCII letters and digits only, lower-cased (what the `unicode61`
    /// tokenizer does to it). None for phrases and other words.
    fn token(&self) -> Option<String> {
        let plain = !self.text.is_empty() && self.text.chars().all(|c| c.is_ascii_alphanumeric());
        (!self.phrase && plain).then(|| self.text.to_ascii_lowercase())
    }
}

impl Driving {
    /// The tokens of the lookup's bare words (each a prefix query), to look
    /// up the longer words of the index that start with them; None when a
    /// bare word's token is not certain (`DrivingTerm::token`).
    pub fn prefixes(&self) -> Option<Vec<String>> {
        self.terms.iter().filter(|t| !t.phrase).map(DrivingTerm::token).collect()
    }

    /// About how many words the lookup's phrases hold (a point lookup seeks each).
    pub fn phrase_words(&self) -> usize {
        let words = |t: &DrivingTerm| t.text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
        self.terms.iter().filter(|t| t.phrase).map(words).sum()
    }

    /// `fts` with each bare word (`"minister"*`) written as the whole words
    /// it is a prefix of: its own token and `longer(token)`, the index's
    /// other words that start with it (`("minister" OR "ministers")`). The
    /// same matches, but FTS5 can test one item against it by a seek in
    /// each word's list, where a prefix query first merges the lists of
    /// every word it matches. None when `prefixes` is None.
    pub fn expanded(&self, longer: &dyn Fn(&str) -> Vec<String>) -> Option<String> {
        let mut with = Vec::new();
        let mut without = Vec::new();
        for t in &self.terms {
            let phrase = if t.phrase {
                fts_phrase(t.field, &t.text, true)?
            } else {
                let token = t.token()?;
                let mut words = vec![token.clone()];
                words.extend(longer(&token));
                let words: Vec<String> = words.iter().filter_map(|w| fts_phrase(t.field, w, true)).collect();
                if words.len() == 1 { words.into_iter().next()? } else { format!("({})", words.join(" OR ")) }
            };
            if t.negated { without.push(phrase) } else { with.push(phrase) }
        }
        if !self.joined {
            return with.pop();
        }
        Some(and_match(&with, &without))
    }
}

/// The query's driving full-text lookup, if every item it selects must pass one.
pub fn driving_match(expr: &Expr) -> Option<Driving> {
    let whole = |e: &Expr| match e {
        Expr::Term(Term::Text { field, text, .. }, _) => fts_phrase(*field, text, true),
        _ => None,
    };
    let single = |e: &Expr| {
        Some(Driving { fts: fts_of(e)?, narrower: whole(e)?, terms: vec![DrivingTerm::of(e, false)?], joined: false })
    };
    match expr {
        Expr::Term(Term::Text { .. }, _) => single(expr),
        Expr::And(v) => {
            let (with, without, _) = split_and(v);
            if with.is_empty() {
                return None;
            }
            if with.len() + without.len() < 2 {
                return single(v.iter().find(|e| fts_of(e).is_some())?);
            }
            let narrow: Vec<String> = v.iter().filter(|e| fts_of(e).is_some()).filter_map(whole).collect();
            // In `split_and`'s order: the terms, then the negated terms.
            let terms = v
                .iter()
                .filter_map(|e| DrivingTerm::of(e, false))
                .chain(v.iter().filter_map(|e| match e {
                    Expr::Not(inner) => DrivingTerm::of(inner, true),
                    _ => None,
                }))
                .collect();
            Some(Driving {
                fts: and_match(&with, &without),
                narrower: and_match(&narrow, &without),
                terms,
                joined: true,
            })
        }
        _ => None,
    }
}

/// `compile`, with the driving lookup (`driving_match`) written as `given`:
/// the same items when `given` selects exactly that lookup's matches.
pub fn compile_driven(expr: &Expr, ctx: &Context, given: &Sql) -> Sql {
    let mut out = Sql::default();
    match expr {
        Expr::Term(Term::Text { .. }, _) if fts_of(expr).is_some() => push_sql(&mut out, given),
        Expr::And(v) => emit_and(v, ctx, &mut out, Some(given)),
        _ => emit(expr, ctx, &mut out),
    }
    out
}

fn emit_term(term: &Term, ctx: &Context, out: &mut Sql) {
    let mut push = |clause: &str, params: Vec<Value>| {
        out.clause.push_str(clause);
        out.params.extend(params);
    };
    match term {
        Term::Unread => push("i.read = 0", vec![]),
        Term::Read => push("i.read = 1", vec![]),
        Term::Saved => push("i.saved = 1", vec![]),
        Term::Tag(t) => {
            let sql = tag_sql(Some(t));
            push(&sql.clause, sql.params);
        }
        Term::NoTag => {
            let sql = tag_sql(None);
            push(&sql.clause, sql.params);
        }
        Term::Feed(part) => {
            let pattern = Value::Text(format!("%{}%", like_escape(part)));
            // Over the (small) feeds table once, then the items by feed index.
            push(
                "i.feed_id IN (SELECT id FROM feeds WHERE url LIKE ? ESCAPE '\\' \
                 OR COALESCE(config_title, '') LIKE ? ESCAPE '\\' OR COALESCE(title, '') LIKE ? ESCAPE '\\')",
                vec![pattern.clone(), pattern.clone(), pattern],
            );
        }
        Term::FeedUrl(url) => push("f.url = ?", vec![Value::Text(url.clone())]),
        Term::Since(w) => push("i.sort_date >= ?", vec![Value::Integer(ctx.resolve(*w))]),
        Term::Before(w) => push("i.sort_date < ?", vec![Value::Integer(ctx.resolve(*w))]),
        // — #15 stories —
        Term::Story(id) => push(
            "(i.story = ? OR (i.story IS NULL AND i.id = ?))",
            vec![Value::Text(id.clone()), Value::Text(id.clone())],
        ),
        Term::Grouped => push(&format!("({GROUPED})"), vec![]),
        Term::Ungrouped => push(&format!("NOT ({GROUPED})"), vec![]),
        Term::Text { field, text, phrase } => match fts_phrase(*field, text, *phrase) {
            Some(fts) => fts_lookup(out, fts),
            // Nothing searchable (only punctuation): the term does not narrow anything.
            None => push("1", vec![]),
        },
    }
}

/// An item whose story holds another item: only those have a story stored
/// (an item alone in its story has none).
const GROUPED: &str = "i.story IS NOT NULL";

/// Escapes LIKE's wildcards so a feed part matches literally.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
