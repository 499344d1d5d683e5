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
    // 2: the article extracted from each item's page (full text).
    "
    ALTER TABLE items ADD COLUMN full_html TEXT;     -- extracted main content, links absolute
    ALTER TABLE items ADD COLUMN full_text TEXT;     -- the same as plain text (for search)
    ALTER TABLE items ADD COLUMN full_fetched INTEGER;  -- when it was extracted
    ALTER TABLE items ADD COLUMN full_error TEXT;    -- why the last attempt failed (NULL once it worked)
    ",
    // 3: the poller's schedule and each feed's health, kept across restarts.
    "
    ALTER TABLE feeds ADD COLUMN status INTEGER;     -- HTTP status of the last response
    ALTER TABLE feeds ADD COLUMN next_poll INTEGER;  -- when the poller fetches it next
    ALTER TABLE feeds ADD COLUMN retry_at INTEGER;   -- Retry-After: not before this
    ALTER TABLE feeds ADD COLUMN moved_to TEXT;      -- permanent redirect target, fetched instead
    ",
    // 4: dismissed items, the user's own tags, the reading list, the undo journal,
    //    and when each item was last carried by its feed (for retention).
    "
    ALTER TABLE items ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0;  -- read and hidden from item views
    ALTER TABLE items ADD COLUMN last_seen INTEGER;                     -- the last fetch that carried it
    ALTER TABLE feeds ADD COLUMN last_carried INTEGER;                  -- the last fetch with a body (items.last_seen)
    CREATE TABLE item_tags (
        item_id TEXT NOT NULL,           -- items.id, or reading_list.id for a saved page
        tag     TEXT NOT NULL,
        PRIMARY KEY (item_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX item_tags_tag ON item_tags(tag, item_id);
    CREATE TABLE reading_list (
        id        TEXT PRIMARY KEY,      -- the item's id, or derived from the URL for a saved page
        title     TEXT NOT NULL,
        link      TEXT,
        feed      TEXT,                  -- the feed's title when it was saved
        feed_url  TEXT,
        author    TEXT,
        published INTEGER,
        updated   INTEGER,
        content   TEXT,                  -- HTML as received
        full_text TEXT,                  -- the extracted article (HTML), when there is one
        saved_at  INTEGER NOT NULL
    );
    CREATE INDEX reading_list_saved ON reading_list(saved_at DESC);
    CREATE INDEX reading_list_link ON reading_list(link);
    CREATE INDEX items_link ON items(link);
    CREATE TABLE journal (
        seq    INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        label  TEXT NOT NULL,            -- what the status line says when it is undone or redone
        op     TEXT NOT NULL,            -- JSON: the change, with what undo and redo need
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE journal_items (         -- the items a read or dismiss entry changed
        entry   INTEGER NOT NULL REFERENCES journal(seq) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        PRIMARY KEY (entry, item_id)
    ) WITHOUT ROWID;
    ",
    // 5: the full-text index. Contentless (the text lives once, in items) and
    // kept in step by triggers; `tidings_plain` (registered by the store on
    // every connection) turns HTML into words. The update trigger fires only
    // when indexed text really changed, not on read/saved flags or re-fetches
    // of unchanged items. `full_text` is the article extracted from the item's
    // page (plain text already, migration 2).
    "
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, body, author, full_text,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_fts (rowid, title, body, author, full_text)
        VALUES (NEW.seq, NEW.title, tidings_plain(NEW.summary, NEW.content), NEW.author, NEW.full_text);
    END;
    CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content, author, full_text ON items
    WHEN OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
      OR OLD.content IS NOT NEW.content OR OLD.author IS NOT NEW.author
      OR OLD.full_text IS NOT NEW.full_text
    BEGIN
        DELETE FROM items_fts WHERE rowid = OLD.seq;
        INSERT INTO items_fts (rowid, title, body, author, full_text)
        VALUES (NEW.seq, NEW.title, tidings_plain(NEW.summary, NEW.content), NEW.author, NEW.full_text);
    END;
    CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
        DELETE FROM items_fts WHERE rowid = OLD.seq;
    END;
    INSERT INTO items_fts (rowid, title, body, author, full_text)
    SELECT seq, title, tidings_plain(summary, content), author, full_text FROM items;
    -- Filters on date, feed and flags answered from the index, in list order,
    -- without reading the (large) item rows: counts and lists of a query.
    CREATE INDEX items_filter ON items(sort_date DESC, seq DESC, feed_id, read, saved, dismissed);
    ",
    // The feed's last schedule hints, in seconds: its <ttl> and the server's
    // Cache-Control max-age. A 304 carries no feed (so no <ttl>) and often no
    // max-age: the next poll is scheduled by the hints kept here.
    "
    ALTER TABLE feeds ADD COLUMN hint_ttl INTEGER;
    ALTER TABLE feeds ADD COLUMN hint_max_age INTEGER;
    ",
    // items' enclosures (podcast audio, video) and the reading list's copy
    // of them, as JSON arrays of {url, type, length, duration} (NULL: none);
    // and what the last successful parse of each feed had to repair, in words.
    "
    ALTER TABLE items ADD COLUMN enclosures TEXT;
    ALTER TABLE reading_list ADD COLUMN enclosures TEXT;
    ALTER TABLE feeds ADD COLUMN repairs TEXT;       -- e.g. 3 bare '&', 1 undefined entity; NULL: none
    ",
    // the full-text index again, with a 1-letter prefix index instead of
    // the 2- and 3-letter ones: those tripled the index's size and the cost
    // of storing each item, while a `word*` query of two or more letters
    // reads the few terms that start with it about as fast; the 1-letter one
    // is cheap (few terms) and keeps the first key typed on the `/` line
    // fast. New items enter it from the store's ingest code, with the words
    // the feed parser already computed (`NewItem::words`), instead of an
    // insert trigger rendering the HTML again on the store's thread; the
    // update and delete triggers stay. `items_sort` goes: the covering
    // `items_filter` starts with the same columns.
    "
    DROP INDEX items_sort;
    DROP TRIGGER items_fts_insert;
    DROP TABLE items_fts;
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, body, author, full_text,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1'
    );
    INSERT INTO items_fts (rowid, title, body, author, full_text)
    SELECT seq, title, tidings_plain(summary, content), author, full_text FROM items;
    ",
    // each feed's item counts, kept by triggers in the same transaction
    // as every change to an item (insert, read/unread, dismiss, delete), so
    // the sidebar's counts read a row per feed instead of counting items, and
    // retention finds the feeds over their cap without counting either.
    // Dismissed items count nowhere in `total`/`unread`, as they show nowhere.
    "
    CREATE TABLE feed_counts (
        feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
        total   INTEGER NOT NULL DEFAULT 0,   -- items that show (not dismissed)
        unread  INTEGER NOT NULL DEFAULT 0,   -- of which unread
        stored  INTEGER NOT NULL DEFAULT 0    -- every item, dismissed ones too
    );
    INSERT INTO feed_counts (feed_id, total, unread, stored)
    SELECT feed_id, SUM(dismissed = 0), SUM(dismissed = 0 AND read = 0), COUNT(*) FROM items GROUP BY feed_id;
    CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
        INSERT INTO feed_counts (feed_id, total, unread, stored)
        VALUES (NEW.feed_id, NEW.dismissed = 0, NEW.dismissed = 0 AND NEW.read = 0, 1)
        ON CONFLICT (feed_id) DO UPDATE SET total = total + (NEW.dismissed = 0),
            unread = unread + (NEW.dismissed = 0 AND NEW.read = 0), stored = stored + 1;
    END;
    CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
        UPDATE feed_counts SET total = total - (OLD.dismissed = 0),
            unread = unread - (OLD.dismissed = 0 AND OLD.read = 0), stored = stored - 1
        WHERE feed_id = OLD.feed_id;
    END;
    CREATE TRIGGER items_count_update AFTER UPDATE OF read, dismissed ON items
    WHEN (OLD.read IS NOT NEW.read OR OLD.dismissed IS NOT NEW.dismissed) AND OLD.feed_id IS NEW.feed_id
    BEGIN
        UPDATE feed_counts SET total = total + (NEW.dismissed = 0) - (OLD.dismissed = 0),
            unread = unread + (NEW.dismissed = 0 AND NEW.read = 0) - (OLD.dismissed = 0 AND OLD.read = 0)
        WHERE feed_id = NEW.feed_id;
    END;
    -- Items never move between feeds; should one, it is counted out and in.
    CREATE TRIGGER items_count_move AFTER UPDATE OF feed_id ON items WHEN OLD.feed_id IS NOT NEW.feed_id BEGIN
        UPDATE feed_counts SET total = total - (OLD.dismissed = 0),
            unread = unread - (OLD.dismissed = 0 AND OLD.read = 0), stored = stored - 1
        WHERE feed_id = OLD.feed_id;
        INSERT INTO feed_counts (feed_id, total, unread, stored)
        VALUES (NEW.feed_id, NEW.dismissed = 0, NEW.dismissed = 0 AND NEW.read = 0, 1)
        ON CONFLICT (feed_id) DO UPDATE SET total = total + (NEW.dismissed = 0),
            unread = unread + (NEW.dismissed = 0 AND NEW.read = 0), stored = stored + 1;
    END;
    ",
    // Sync with a feed server (Fever): which local feeds and items stand for
    // which server ids, the user's changes waiting to be sent (the outbox,
    // written in the same transaction as the change and its journal entry),
    // and the sync's own state (account, newest item id seen, last result).
    "
    CREATE TABLE sync_feeds (
        server_id INTEGER PRIMARY KEY,
        feed_id   INTEGER NOT NULL UNIQUE REFERENCES feeds(id) ON DELETE CASCADE
    );
    CREATE TABLE sync_items (
        server_id INTEGER PRIMARY KEY,
        item_id   TEXT NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE
    );
    CREATE TABLE sync_outbox (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,  -- a replaced change gets a new one
        server_id INTEGER NOT NULL,
        field     TEXT NOT NULL,                      -- 'read' or 'saved'
        value     INTEGER NOT NULL,
        queued_at INTEGER NOT NULL,
        UNIQUE (server_id, field)
    );
    CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value             -- no type: stored as given
    ) WITHOUT ROWID;
    ",
    // — #13 cmdline — bulk changes over a query and mute rules: each item of a
    // bulk journal entry keeps what undo needs of it in `prior` (a dismissed
    // item's read flag, an item's tags before `:tag` as JSON, a reading-list
    // copy as JSON); `mute_stats` counts the items each `[[mute]]` query
    // dismissed as they arrived (keyed by the query's text).
    "
    ALTER TABLE journal_items ADD COLUMN prior;
    CREATE TABLE mute_stats (
        query   TEXT PRIMARY KEY,
        muted   INTEGER NOT NULL DEFAULT 0,
        last_at INTEGER
    ) WITHOUT ROWID;
    ",
    // — #13 feeds view — the list's other orders (`[ui] sort`), read by
    // keyset like the date order: by item title (case ignored), and by feed
    // title (the feeds in title order, each feed's items by date: the list
    // walks `feeds_title_order`, then `items_feed_order`, which replaces
    // `items_feed` with the seq added). The unread-first order walks
    // `items_unread`. Measured at 100k items: a window 0.4–0.9 ms in either
    // order, against 50–450 ms (a sort of the whole view) without them.
    "
    CREATE INDEX items_title_order ON items(title COLLATE NOCASE, sort_date DESC, seq DESC);
    CREATE INDEX feeds_title_order ON feeds(COALESCE(config_title, title, url), id);
    DROP INDEX items_feed;
    CREATE INDEX items_feed_order ON items(feed_id, sort_date DESC, seq DESC);
    ",
    // — #15 stories — each item's story: the id of the story's first item,
    // set only on the items of a story of more than one (NULL: alone in its
    // story, whose id is then the item's own; also with `[stories] enabled =
    // false` and for items stored before this step), so the index holds only
    // those few and a new item costs no random index write. (The grouper is
    // seeded at start by signing the last window's items again: storing each
    // item's signature cost more ingest time than that.) The list folds a story
    // into one row by `items_story`; `items_story_members` holds the items
    // that joined another item's story (the unread count by stories).
    "
    ALTER TABLE items ADD COLUMN story TEXT;
    CREATE INDEX items_story ON items(story) WHERE story IS NOT NULL;
    CREATE INDEX items_story_members ON items(story) WHERE story <> id;
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
