//! Undo scoped to a session: the reader's `u` walks back through the changes
//! made since it started, and goes further only when asked to (changes made
//! before, by an earlier run or another program, stay unless the user means it).

use rusqlite::OptionalExtension;

use super::{Result, Store, Walk};

/// What an undo bounded by a session did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// This change was undone.
    Done(String),
    /// Nothing since the session began; older changes could be undone.
    Boundary,
    /// Nothing to undo at all.
    Nothing,
}

impl Store {
    /// The newest journal entry (0 when there is none): a session's start.
    pub fn journal_head(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM journal", [], |r| r.get(0))?)
    }

    /// Undoes the newest change not yet undone, if it was made after entry
    /// `floor` (any change when `floor` is None).
    pub fn undo_after(&mut self, floor: Option<i64>) -> Result<Undone> {
        let newest: Option<i64> = self
            .conn
            .query_row("SELECT MAX(seq) FROM journal WHERE undone = 0", [], |r| r.get(0))
            .optional()?
            .flatten();
        match newest {
            None => Ok(Undone::Nothing),
            Some(seq) if floor.is_some_and(|f| seq <= f) => Ok(Undone::Boundary),
            Some(_) => Ok(self.walk(Walk::Undo)?.map_or(Undone::Nothing, Undone::Done)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem};

    #[test]
    fn undo_stops_at_the_session_start_unless_asked_to_go_on() {
        let mut s = Store::open_in_memory().unwrap();
        let url = "https://a.example/rss";
        s.sync_feeds(&[FeedConfig::new(url)]).unwrap();
        let items = (0..2).map(|i| NewItem { key: i.to_string(), title: format!("T{i}"), ..Default::default() });
        s.store_fetched(&FetchedFeed { url: url.into(), items: items.collect(), ..Default::default() }, 1).unwrap();
        assert_eq!(s.undo_after(Some(0)).unwrap(), Undone::Nothing);
        let id0 = crate::store::stable_id(url, "0");
        let id1 = crate::store::stable_id(url, "1");
        s.set_read(std::slice::from_ref(&id0), true).unwrap();
        let floor = s.journal_head().unwrap();
        assert!(floor > 0);
        s.set_read(std::slice::from_ref(&id1), true).unwrap();
        assert_eq!(s.undo_after(Some(floor)).unwrap(), Undone::Done("mark read \"T1\"".into()));
        assert_eq!(s.undo_after(Some(floor)).unwrap(), Undone::Boundary);
        assert_eq!(s.undo_after(None).unwrap(), Undone::Done("mark read \"T0\"".into()));
        assert_eq!(s.undo_after(None).unwrap(), Undone::Nothing);
    }
}
