//! The `:` command line (#13): what a line means, Tab completion and the
//! history. Pure: the history file is read at start and written by the
//! effect runner (`history`), the feed names come from the store.
//!
//! A line is an action by its `[keys]` name (`:quit`, `:refresh`, `:help`,
//! `:mark_all_read`; `-` may stand for `_`), or a bulk change over a §8
//! query: `:read Q`, `:unread Q`, `:save Q`, `:dismiss Q`, `:tag +a -b Q`.

use super::action::Action;
use crate::store::{Bulk, BulkVerb};

/// Lines kept in the history (in memory and in its file).
pub const HISTORY_MAX: usize = 500;
/// Longest line kept in the history, in characters.
pub const LINE_MAX: usize = 1000;

/// The bulk verbs, as typed.
pub const BULK_VERBS: &[&str] = &["read", "unread", "save", "dismiss", "tag"];

/// Words of the query language offered by Tab (fields end with `:`).
const QUERY_WORDS: &[&str] = &[
    "unread",
    "read",
    "saved",
    "or",
    "tag:",
    "feed:",
    "since:",
    "before:",
    "title:",
    "author:",
    "-",
    "story:",
    "grouped",
    "ungrouped",
];
const SINCE_WORDS: &[&str] = &["since:1h", "since:12h", "since:today", "since:yesterday", "since:2d", "since:7d"];

/// What the command line keeps between keys: the history and where ↑/↓ are
/// in it, the Tab cycle, and what completion draws from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cmdline {
    /// Older lines first.
    pub history: Vec<String>,
    /// The history line shown (↑/↓), and the text typed before the first ↑.
    pub browsing: Option<(usize, String)>,
    /// Candidates a repeated Tab cycles through: (word start, candidates, shown).
    pub cycle: Option<(usize, Vec<String>, usize)>,
    /// Feed titles (asked for when the line opens).
    pub feeds: Vec<String>,
    /// Bulk changes over more items than this ask first.
    pub confirm_above: u64,
}

/// What a submitted line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Action(Action),
    Bulk(Bulk),
}

/// The action a command name stands for (`page-down` = `page_down`), or a few short aliases.
pub fn action_named(name: &str) -> Option<Action> {
    let name = name.replace('-', "_");
    let name = match name.as_str() {
        "q" => "quit",
        "h" => "help",
        other => other,
    };
    Action::ALL.iter().copied().find(|a| a.name() == name)
}

/// Reads a line (without its `:`).
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    if name.is_empty() {
        return Err("type a command: an action's name, or read/unread/save/dismiss/tag QUERY".into());
    }
    let verb = match name {
        "read" => Some(BulkVerb::Read),
        "unread" => Some(BulkVerb::Unread),
        "save" if !rest.is_empty() => Some(BulkVerb::Save),
        "dismiss" if !rest.is_empty() => Some(BulkVerb::Dismiss),
        "tag" => None,
        _ => {
            let Some(action) = action_named(name) else {
                return Err(format!("unknown command “{}” (Tab lists them)", crate::article::sanitize::line(name)));
            };
            if !rest.is_empty() {
                return Err(format!("{} takes no arguments", action.name()));
            }
            return Ok(Command::Action(action));
        }
    };
    let (verb, query) = match verb {
        Some(verb) => (verb, rest),
        None => tag_changes(rest)?,
    };
    if query.is_empty() {
        return Err(format!("{name} needs a query: :{name} QUERY (e.g. :{name} feed:BBC since:2d)"));
    }
    crate::query::parse(query).map_err(|e| format!("invalid query at {e}"))?;
    Ok(Command::Bulk(Bulk { verb, query: query.to_string() }))
}

/// `+a -b QUERY`: the leading `+tag`/`-tag` words, then the query.
fn tag_changes(rest: &str) -> Result<(BulkVerb, &str), String> {
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    let mut query = rest;
    while let Some(word) = query.split_whitespace().next() {
        let tag = |w: &str| w.len() > 1 && !w[1..].contains([':', '"', '(', ')']);
        match word.as_bytes()[0] {
            b'+' if tag(word) => add.push(word[1..].to_string()),
            b'-' if tag(word) => remove.push(word[1..].to_string()),
            _ => break,
        }
        query = query.trim_start()[word.len()..].trim_start();
    }
    if add.is_empty() && remove.is_empty() {
        return Err("tag needs +TAG or -TAG first: :tag +later -news QUERY".into());
    }
    Ok((BulkVerb::Tag { add, remove }, query))
}

/// Every command name, for completion: the actions, then the bulk verbs.
pub fn command_names() -> Vec<String> {
    let mut names: Vec<String> = Action::ALL.iter().map(|a| a.name().to_string()).collect();
    names.extend(BULK_VERBS.iter().map(|v| v.to_string()));
    names.sort();
    names.dedup();
    names
}

/// Where the word before `cursor` starts (a `"quoted phrase"` with spaces is one word).
pub fn word_start(text: &str, cursor: usize) -> usize {
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in text.chars().take(cursor).enumerate() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => start = i + 1,
            _ => {}
        }
    }
    start
}

/// The candidates for `word` (the word being typed), given the text before it.
pub fn candidates(before: &str, word: &str, tags: &[String], feeds: &[String]) -> Vec<String> {
    // Quotes do not count: `feed:bb` finds `feed:"BBC News"`.
    let bare_lower = |s: &str| s.replace('"', "").to_lowercase();
    let lower = bare_lower(word);
    let starts = |c: &str| bare_lower(c).starts_with(&lower);
    if before.trim().is_empty() {
        return command_names().into_iter().filter(|c| starts(c)).collect();
    }
    let first = before.split_whitespace().next().unwrap_or("");
    let (neg, bare) = match word.strip_prefix('-') {
        Some(b) if !b.is_empty() => ("-", b),
        _ => ("", word),
    };
    let mut out: Vec<String> = if first == "tag" && word.starts_with('+') {
        tags.iter().map(|t| format!("+{t}")).collect()
    } else if first == "tag" && word.starts_with('-') && !word.contains(':') && !before_query(before) {
        tags.iter().map(|t| format!("-{t}")).collect()
    } else if bare.starts_with("tag:") {
        tags.iter().map(|t| format!("{neg}tag:{}", crate::query::quote_if_needed(t))).collect()
    } else if let Some(part) = bare.strip_prefix("feed:") {
        // `feed:` matches part of a title: so does its completion (`feed:harb` → "The Harbour Gazette").
        let part = bare_lower(part);
        return feeds
            .iter()
            .filter(|f| f.to_lowercase().contains(&part))
            .map(|f| format!("{neg}feed:{}", crate::query::quote_if_needed(f)))
            .filter(|c| c != word)
            .collect();
    } else if bare.starts_with("since:") {
        SINCE_WORDS.iter().map(|w| format!("{neg}{w}")).collect()
    } else {
        QUERY_WORDS.iter().filter(|w| **w != "-").map(|w| format!("{neg}{w}")).collect()
    };
    out.retain(|c| starts(c) && c != word);
    out.sort_by_key(|c| c.to_lowercase());
    out.dedup();
    out
}

/// True once a `:tag` line has reached its query (a word that is not `+t`/`-t`).
fn before_query(before: &str) -> bool {
    before.split_whitespace().skip(1).any(|w| !(w.starts_with('+') || w.starts_with('-')) || w.contains(':'))
}

/// The longest prefix all candidates share (by characters, case as in the first).
pub fn common_prefix(cands: &[String]) -> String {
    let Some(first) = cands.first() else { return String::new() };
    let mut n = first.chars().count();
    for c in &cands[1..] {
        n = n.min(first.chars().zip(c.chars()).take_while(|(a, b)| a.eq_ignore_ascii_case(b)).count());
    }
    first.chars().take(n).collect()
}

/// A line as the history keeps it: one line, no control characters, bounded.
pub fn sanitize(line: &str) -> Option<String> {
    let clean: String = crate::article::sanitize::line(line.trim()).chars().take(LINE_MAX).collect();
    let clean = clean.trim().to_string();
    (!clean.is_empty()).then_some(clean)
}

/// Adds a line at the newest end (an older copy of it goes), keeping `HISTORY_MAX`.
pub fn remember(history: &mut Vec<String>, line: &str) {
    let Some(line) = sanitize(line) else { return };
    history.retain(|l| *l != line);
    history.push(line);
    if history.len() > HISTORY_MAX {
        let drop = history.len() - HISTORY_MAX;
        history.drain(..drop);
    }
}

/// The history as read back from its file: each line sanitised, repeats
/// moved to their newest place, the newest `HISTORY_MAX` kept.
pub fn restore(lines: Vec<String>) -> Vec<String> {
    let mut history = Vec::new();
    for line in &lines {
        remember(&mut history, line);
    }
    history
}

/// The lines to write to the history file: the newest `HISTORY_MAX`, sanitised.
pub fn to_keep(history: &[String]) -> Vec<String> {
    let skip = history.len().saturating_sub(HISTORY_MAX);
    history[skip..].iter().filter_map(|l| sanitize(l)).collect()
}

#[cfg(test)]
#[path = "cmdline_tests.rs"]
mod tests;
