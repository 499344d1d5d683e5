//! Full-text search (ranked) and the live counts of saved queries, over the
//! FTS5 index that the schema's triggers keep in step with `items`.

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde::Serialize;

use super::sql::{RECORD_COLUMNS, RECORD_LEN, count, record, view_filter, view_filter_driven};
use super::{Result, Store};
use crate::article::plain;
use crate::config::SavedQuery;
use crate::model::{ItemRecord, QueryCount, View};
use crate::query;

/// bm25 weights per FTS column (title, body, author, full_text): a word in
/// the title counts ten times one in the body.
const BM25: &str = "bm25(items_fts, 10.0, 1.0, 3.0, 1.0)";

/// One search result: the item and how well it matched (higher is better;
/// null when the query had no words to rank by).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    #[serde(flatten)]
    pub item: ItemRecord,
    pub score: Option<f64>,
}

/// SQL functions the schema's triggers call; registered on every connection
/// before migrations run.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    super::window::register_functions(conn)?; // — #10 keys —
    // tidings_plain(html, …): the words of each non-null argument, one line each.
    conn.create_scalar_function(
        "tidings_plain",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let parts: Vec<Option<String>> = (0..ctx.len())
                .map(|i| match ctx.get_raw(i) {
                    ValueRef::Text(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
                    _ => None,
                })
                .collect();
            Ok(plain::index_body(parts.iter().map(Option::as_deref)))
        },
    )
}

impl Store {
    /// Items matching a query, best full-text matches first (then newest).
    pub fn search(&self, text: &str, limit: Option<usize>) -> Result<Vec<SearchHit>> {
        let expr = query::parse(text)?;
        let (filter, mut params) = view_filter(&View::Query(text.to_string()))?;
        let limit = limit.map_or(-1, |n| n as i64);
        let sql = match query::sql::rank_match(&expr) {
            Some(rank) => {
                params.insert(0, Value::Text(rank));
                // Materialised: the scores are computed once, not once per item joined.
                format!(
                    "WITH r AS MATERIALIZED (SELECT rowid AS seq, {BM25} AS score FROM items_fts WHERE items_fts MATCH ?)
                     SELECT {RECORD_COLUMNS}, -r.score
                     FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN r ON r.seq = i.seq
                     WHERE {filter}
                     ORDER BY r.score IS NULL, r.score, i.sort_date DESC, i.seq DESC LIMIT {limit}"
                )
            }
            None => format!(
                "SELECT {RECORD_COLUMNS}, NULL FROM items i JOIN feeds f ON f.id = i.feed_id
                 WHERE {filter} ORDER BY i.sort_date DESC, i.seq DESC LIMIT {limit}"
            ),
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| Ok(SearchHit { item: record(r)?, score: r.get(RECORD_LEN)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Rebuilds the full-text index from the items (what the migration does
    /// for a database from before the index existed).
    pub fn reindex(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("INSERT INTO items_fts (items_fts) VALUES ('delete-all')", [])?;
        tx.execute(
            "INSERT INTO items_fts (rowid, title, body, author, full_text)
             SELECT seq, title, tidings_plain(summary, content), author, full_text FROM items",
            [],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many items a view holds, and how many of them are unread.
    pub fn count_view(&self, view: &View) -> Result<(u64, u64)> {
        // — #10 search — a query with few full-text matches counts them by seq
        // instead of walking the whole index.
        let driving = query::view_expr(view).ok().as_ref().and_then(query::driving_match);
        self.snapshot(|| {
            let few = match &driving {
                Some(d) => self.matches_within(d, super::window::few_enough_to_count)?,
                None => None,
            };
            let (items, (filter, params)) = match few {
                Some(seqs) => ("items i NOT INDEXED", view_filter_driven(view, &super::window::seqs_given(&seqs))?),
                None => ("items i", view_filter(view)?),
            };
            let sql = format!(
                "SELECT COUNT(*), COALESCE(SUM(i.read = 0), 0) FROM {items} JOIN feeds f ON f.id = i.feed_id
                 WHERE {filter}"
            );
            Ok(self
                .conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(params), |r| Ok((count(r, 0)?, count(r, 1)?)))?)
        })
    }

    // — #15 stories —
    /// How many rows a view's list shows when `folding` folds stories: one
    /// per story of items in the view (however many of its items are), all
    /// of an unfolded story's; its items without folding. The items counted
    /// as before, less, for each story with several items in the view, all
    /// but one: read through `items_story` (only the grouped items), so it
    /// costs a lookup per grouped item, not another pass over the view.
    pub(super) fn count_view_rows(&self, view: &View, folding: &super::Folding) -> Result<u64> {
        if !folding.on {
            return Ok(self.count_view(view)?.0);
        }
        self.snapshot(|| {
            let items = self.count_view(view)?.0;
            let (filter, mut params) = view_filter(view)?;
            let unfolded = serde_json::to_string(&folding.unfolded).unwrap_or_else(|_| "[]".into());
            params.push(Value::Text(unfolded));
            let sql = format!(
                "SELECT COUNT(*) - COUNT(DISTINCT i.story)
                 FROM items i INDEXED BY items_story JOIN feeds f ON f.id = i.feed_id
                 WHERE i.story IS NOT NULL AND ({filter})
                   AND i.story NOT IN (SELECT value FROM json_each(?))"
            );
            let folded: u64 = self.conn.prepare_cached(&sql)?.query_row(params_from_iter(params), |r| count(r, 0))?;
            Ok(items.saturating_sub(folded))
        })
    }

    /// Live counts for the config's saved queries, in order.
    pub fn query_counts(&self, queries: &[SavedQuery]) -> Result<Vec<QueryCount>> {
        queries
            .iter()
            .map(|q| {
                let (total, unread) = self.count_view(&View::Query(q.query.clone()))?;
                Ok(QueryCount { name: q.name.clone(), query: q.query.clone(), total, unread })
            })
            .collect()
    }
}
