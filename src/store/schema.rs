//! Schema migrations, tracked in `PRAGMA user_version`. Each step runs in its
//! own transaction; add new steps at the end, never edit old ones.

use rusqlite::Connection;

use super::{Result, StoreError};

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: feeds, their tags from the config, and items.
    "
    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT,              -- the feed's own title
        config_title  TEXT,              -- the config's override
        site_url      TEXT,
        active        INTEGER NOT NULL DEFAULT 1,  -- listed in the config now
        etag          TEXT,
        last_modified TEXT,
        last_error    TEXT,              -- NULL when the last fetch succeeded
        last_fetch    INTEGER,
        last_success  INTEGER,
        fail_count    INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        tag     TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX feed_tags_tag ON feed_tags(tag);
    CREATE TABLE items (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,    -- stable public id
        feed_id    INTEGER NOT NULL REFERENCES feeds(id),
        key        TEXT NOT NULL,           -- identity within the feed
        title      TEXT NOT NULL,
        link       TEXT,
        author     TEXT,
        published  INTEGER,
        updated    INTEGER,
        summary    TEXT,
        content    TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        first_seen INTEGER NOT NULL,
        sort_date  INTEGER NOT NULL,        -- published, else updated, else first seen
        read       INTEGER NOT NULL DEFAULT 0,
        saved      INTEGER NOT NULL DEFAULT 0,
        saved_at   INTEGER,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX items_sort ON items(sort_date DESC, seq DESC);
    CREATE INDEX items_unread ON items(read, sort_date DESC);
    CREATE INDEX items_feed ON items(feed_id, sort_date DESC);
    ",
    // 2: the full-text index. Contentless (the text lives once, in items) and
    // kept in step by triggers; `tidings_plain` (registered by the store on
    // every connection) turns HTML into words. The update trigger fires only
    // when indexed text really changed, not on read/saved flags or re-fetches
    // of unchanged items. `full_text` is reserved for extracted article text.
    "
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, body, author, full_text,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_fts (rowid, title, body, author)
        VALUES (NEW.seq, NEW.title, tidings_plain(NEW.summary, NEW.content), NEW.author);
    END;
    CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content, author ON items
    WHEN OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
      OR OLD.content IS NOT NEW.content OR OLD.author IS NOT NEW.author
    BEGIN
        DELETE FROM items_fts WHERE rowid = OLD.seq;
        INSERT INTO items_fts (rowid, title, body, author)
        VALUES (NEW.seq, NEW.title, tidings_plain(NEW.summary, NEW.content), NEW.author);
    END;
    CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
        DELETE FROM items_fts WHERE rowid = OLD.seq;
    END;
    INSERT INTO items_fts (rowid, title, body, author)
    SELECT seq, title, tidings_plain(summary, content), author FROM items;
    -- Filters on date, feed and flags answered from the index, in list order,
    -- without reading the (large) item rows: counts and lists of a query.
    CREATE INDEX items_filter ON items(sort_date DESC, seq DESC, feed_id, read, saved);
    ",
];

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
