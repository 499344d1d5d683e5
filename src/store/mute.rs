//! Mute rules (#13, newsboat's ignore-article): `[[mute]] query = "…"` in
//! the config. As the ingest stores a new item, the item is checked against
//! each rule; a match is dismissed in the same transaction, and before that
//! transaction commits its muted items become one journal entry (so `u`
//! gives them back) and are counted per rule in `mute_stats` (`tidings stats`).

use rusqlite::{Connection, params, params_from_iter, types::Value};

use super::journal::{self, Op};
use super::sql::view_filter;
use super::{Result, Store};
use crate::model::{ItemId, View};

/// The rules compiled for one ingest run, and what they muted in the open transaction.
#[derive(Debug, Default)]
pub(super) struct MuteRules {
    /// (the query's text, its WHERE clause, the clause's parameters)
    rules: Vec<(String, String, Vec<Value>)>,
    /// (rule index, item) muted since the last commit.
    muted: Vec<(usize, ItemId)>,
}

impl MuteRules {
    pub(super) fn compile(queries: &[String]) -> MuteRules {
        let rules = queries
            .iter()
            .filter_map(|q| match view_filter(&View::Query(q.clone())) {
                Ok((clause, params)) => Some((q.clone(), clause, params)),
                Err(e) => {
                    tracing::warn!("mute rule {q:?} skipped: {e}");
                    None
                }
            })
            .collect();
        MuteRules { rules, muted: Vec::new() }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Dismisses a just-inserted item if a rule matches it; true when one did.
    pub(super) fn check(&mut self, conn: &Connection, id: &str) -> Result<bool> {
        for (i, (_, clause, params)) in self.rules.iter().enumerate() {
            let sql = format!("SELECT 1 FROM items i JOIN feeds f ON f.id = i.feed_id WHERE ({clause}) AND i.id = ?");
            let mut all = params.clone();
            all.push(Value::Text(id.to_string()));
            let hit = conn.prepare_cached(&sql)?.exists(params_from_iter(all))?;
            if hit {
                conn.prepare_cached("UPDATE items SET dismissed = 1, read = 1 WHERE id = ?1")?.execute([id])?;
                self.muted.push((i, id.to_string()));
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Journals and counts what was muted in the open transaction (call just before it commits).
    pub(super) fn before_commit(&mut self, conn: &Connection) -> Result<()> {
        if self.muted.is_empty() {
            return Ok(());
        }
        let muted = std::mem::take(&mut self.muted);
        let ids: Vec<ItemId> = muted.iter().map(|(_, id)| id.clone()).collect();
        let label = match ids.as_slice() {
            [one] => format!("mute \"{}\"", journal::title_of(conn, one)?),
            many => format!("mute {} items", many.len()),
        };
        journal::record(conn, &Op::Dismiss { was_read: false }, &label, &ids)?;
        let mut stat = conn.prepare_cached(
            "INSERT INTO mute_stats (query, muted, last_at) VALUES (?1, 1, unixepoch())
             ON CONFLICT(query) DO UPDATE SET muted = muted + 1, last_at = unixepoch()",
        )?;
        for (i, _) in &muted {
            stat.execute(params![self.rules[*i].0])?;
        }
        Ok(())
    }

    /// The open transaction was rolled back: what it muted is not.
    pub(super) fn forget(&mut self) {
        self.muted.clear();
    }
}

/// One rule's count, for `tidings stats`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MuteStat {
    pub query: String,
    pub muted: u64,
    pub last_at: Option<i64>,
}

impl Store {
    /// The `[[mute]]` queries applied to items as they are stored from now on.
    pub fn set_mute(&mut self, queries: Vec<String>) {
        self.mute = queries;
    }

    pub fn mute_queries(&self) -> &[String] {
        &self.mute
    }

    /// How many items each rule has muted, for the rules in `queries` (those
    /// of the config; a rule without a count yet has 0).
    pub fn mute_stats(&self, queries: &[String]) -> Result<Vec<MuteStat>> {
        let mut stmt = self.conn.prepare_cached("SELECT muted, last_at FROM mute_stats WHERE query = ?1")?;
        queries
            .iter()
            .map(|q| {
                let row: Option<(i64, Option<i64>)> =
                    rusqlite::OptionalExtension::optional(stmt.query_row([q], |r| Ok((r.get(0)?, r.get(1)?))))?;
                let (muted, last_at) = row.unwrap_or((0, None));
                Ok(MuteStat { query: q.clone(), muted: muted.max(0) as u64, last_at })
            })
            .collect()
    }
}
