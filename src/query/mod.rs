//! The query language (§8), one for the `/` filter, `list --query`,
//! `search`, saved queries and the sidebar:
//!
//! `unread`, `read`, `saved`, `tag:NAME` (`tag:none`: feeds without tags),
//! `feed:"TITLE OR URL PART"`, `since:7d` / `since:2024-06-01`,
//! `before:DATE`, `title:WORD`, `author:WORD`, bare words (word prefixes)
//! and `"quoted phrases"` over the indexed text, `-` to negate, implicit
//! `and`, `or`, parentheses.
//!
//! `parse` is pure (the state machine calls it on every key); `sql::compile`
//! turns the tree into SQL with bound parameters for the store.

mod ast;
mod parse;
pub mod sql;
pub mod words;

use std::fmt;

use unicode_width::UnicodeWidthStr;

pub use ast::{Expr, Span, Term, TextField, When, quote_if_needed};
pub use parse::{MAX_CHARS, MAX_DEPTH, MAX_TERMS, parse};
pub use sql::{Context, Driving, Sql, compile, compile_driven, driving_match, tag_sql};

use crate::model::View;

/// Why a query could not be read: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct QueryError {
    /// 0-based character offset; the text's length when the query ended too early.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column + 1, self.message)
    }
}

impl QueryError {
    /// The message, then the query with a caret under the column, for a terminal.
    pub fn pointed(&self, query: &str) -> String {
        let query = crate::article::sanitize::line(query);
        let before: String = query.chars().take(self.column).collect();
        format!("invalid query at {self}\n  {query}\n  {}^", " ".repeat(before.width()))
    }
}

/// What a view shows, as a query: sidebar entries are queries too.
pub fn view_expr(view: &View) -> Result<Expr, QueryError> {
    let term = |t| Ok(Expr::Term(t, Span::default()));
    match view {
        View::All => Ok(Expr::All),
        View::Unread => term(Term::Unread),
        View::Tag(t) => term(Term::Tag(t.clone())),
        View::Feed(url) => term(Term::FeedUrl(url.clone())),
        View::Saved => term(Term::Saved),
        View::Query(q) => parse(q),
    }
}

/// The text of a view's query, as the `/` line shows it when opened on that view.
pub fn view_text(view: &View) -> String {
    match view {
        View::Query(q) => q.trim().to_string(),
        other => view_expr(other).map(|e| e.to_string()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
