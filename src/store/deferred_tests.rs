use super::*;
use crate::model::{FetchedFeed, NewItem, View};

fn feed(url: &str, n: usize) -> FetchedFeed {
    FetchedFeed {
        url: url.into(),
        title: Some("Feed".into()),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("k{i}"),
                title: format!("Story {}", (i * 7919) % 1000),
                published: Some(1_000_000 + ((i * 104_729) % 100_000) as i64),
                content: Some(format!("<p>Body of story {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

fn present(s: &Store) -> bool {
    !s.indexes_deferred().unwrap()
}

fn absent(s: &Store) -> bool {
    let m = missing(&s.conn).unwrap();
    m.len() == DEFERRED_INDEXES.len()
}

fn ok(s: &Store) {
    let integrity: String = s.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

fn count(s: &Store) -> i64 {
    s.conn.query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0)).unwrap()
}

/// The statements here create what the migrations created (the same SQL,
/// but for `IF NOT EXISTS`), so a rebuilt database is the same database.
#[test]
fn the_deferred_indexes_are_the_schemas_own() {
    let s = Store::open_in_memory().unwrap();
    let squash = |sql: &str| sql.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, create) in DEFERRED_INDEXES {
        let sql: String = s
            .conn
            .query_row("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", [name], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{name} is in the schema: {e}"));
        assert_eq!(squash(&sql), squash(&create.replace("IF NOT EXISTS ", "")), "{name}");
    }
}

#[test]
fn a_load_runs_without_them_and_its_end_builds_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut s = Store::open(&path).unwrap();
    let before = names(&s.conn);
    let mut run = s.ingest_bulk();
    run.fetched(&feed("https://a.example/rss", 300), 10).unwrap();
    let deferral = run.defer_indexes().unwrap().expect("deferred");
    run.fetched(&feed("https://b.example/rss", 2_000), 10).unwrap();
    run.flush().unwrap();
    drop(run);
    assert!(absent(&s), "no deferred index during the load: {:?}", names(&s.conn));
    // Lists still work meanwhile, only slower.
    assert_eq!(s.list_rows(&View::All, None).unwrap().len(), 2_300);
    s.build_deferred(deferral).unwrap();
    assert!(present(&s));
    assert_eq!(names(&s.conn), before, "the same indexes as before the load");
    assert_eq!(count(&s), 2_300);
    ok(&s);
    // The lock is free again: the next load may defer.
    let again = s.defer_indexes().unwrap();
    assert!(again.is_some());
    s.build_deferred(again.unwrap()).unwrap();
}

#[test]
fn an_open_during_a_load_neither_rebuilds_nor_defers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut loader = Store::open(&path).unwrap();
    let deferral = loader.defer_indexes().unwrap().expect("deferred");
    loader.store_fetched(&feed("https://a.example/rss", 500), 10).unwrap();
    // Another process (a reader, `tidings list`, a second fetch) opens
    // meanwhile: its own file handle, so the lock is held against it.
    let mut other = Store::open(&path).unwrap();
    assert!(absent(&other), "an open during the load built nothing");
    assert_eq!(other.list_rows(&View::All, None).unwrap().len(), 500, "and reads without them");
    assert!(other.defer_indexes().unwrap().is_none(), "a second load does not drop or build");
    other.store_fetched(&feed("https://b.example/rss", 100), 10).unwrap();
    assert!(absent(&other));
    loader.build_deferred(deferral).unwrap();
    assert!(present(&other), "the loader built them, with the other's items too");
    assert_eq!(count(&other), 600);
    ok(&other);
}

#[test]
fn a_crashed_load_leaves_them_to_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut loader = Store::open(&path).unwrap();
        let deferral = loader.defer_indexes().unwrap().expect("deferred");
        loader.store_fetched(&feed("https://a.example/rss", 700), 10).unwrap();
        // The process dies: the OS lets go of the lock, nothing is built.
        drop(deferral);
        assert!(absent(&loader));
    }
    let s = Store::open(&path).unwrap();
    assert!(present(&s), "rebuilt at open: {:?}", names(&s.conn));
    assert_eq!(count(&s), 700, "nothing stored is lost");
    ok(&s);
}

#[test]
fn only_a_big_load_into_a_small_database_defers() {
    // (Without the test knob in the environment.)
    if std::env::var_os(DEFER_AFTER_ENV).is_some() {
        return;
    }
    assert!(!wants_deferral(3_000, 0), "a routine refresh never");
    assert!(!wants_deferral(DEFER_AFTER_ITEMS - 1, 0));
    assert!(wants_deferral(DEFER_AFTER_ITEMS, 0));
    assert!(wants_deferral(DEFER_AFTER_ITEMS, DEFER_AFTER_ITEMS as u64));
    assert!(!wants_deferral(DEFER_AFTER_ITEMS, 1_000_000), "a big archive keeps its indexes");
    assert!(wants_deferral(1_000_000, 1_000_000));
}

#[test]
fn in_memory_never_defers() {
    let mut s = Store::open_in_memory().unwrap();
    assert!(s.defer_indexes().unwrap().is_none());
    assert!(present(&s));
}
