//! Queries against a fixture database: what each term selects, the index
//! kept in step with the items, ranking, and the migration for old databases.

use super::*;
use crate::config::{FeedConfig, SavedQuery};
use crate::model::{FetchedFeed, NewItem, View};

const A: &str = "https://www.moscow.example/rss/news";
const B: &str = "https://orbital.example/feed.xml";
const C: &str = "https://c.example/untagged";

const DAY: i64 = 86_400;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

struct Fixture {
    store: Store,
}

fn item(key: &str, title: &str, ago_days: i64, html: &str) -> NewItem {
    NewItem {
        key: key.into(),
        title: title.into(),
        published: Some(now() - ago_days * DAY),
        content: Some(html.into()),
        ..Default::default()
    }
}

/// Three feeds (two tagged, one not), eight items of known text and dates.
fn fixture() -> Fixture {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[
        FeedConfig {
            title: Some("The Moscow Times".into()),
            tags: vec!["news".into(), "russia".into()],
            ..FeedConfig::new(A)
        },
        FeedConfig { tags: vec!["tech".into()], ..FeedConfig::new(B) },
        FeedConfig::new(C),
    ])
    .unwrap();
    let a = vec![
        item("a1", "Putin lands in Pyongyang", 1, "<p>The visit to <b>North Korea</b> begins.</p>"),
        item("a2", "Sanctions monitoring ends", 3, "<p>A panel on Korea's north closes.</p>"),
        NewItem {
            author: Some("Jane Doe".into()),
            summary: Some("Prices at the caf&eacute; rise".into()),
            ..item("a3", "Markets and mood", 10, "")
        },
    ];
    let b = vec![
        item("b1", "Rocket launch delayed", 2, "<div class=\"launch\">Weather over the pad.</div>"),
        item("b2", "Pyongyang satellite claim", 40, "<p>Analysts doubt it.</p><script>tracking()</script>"),
    ];
    let c = vec![
        item("c1", "Harbour reopens", 5, "<p>Boats return to the harbour.</p>"),
        item("c2", "Korea trade fair", 60, "<p>North and South exhibit.</p>"),
        item("c3", "Quiet day", 0, "<p>Nothing happened, sanctioned or not.</p>"),
    ];
    for (url, title, items) in [(A, "Moscow", a), (B, "Orbital Dispatch", b), (C, "", c)] {
        let title = (!title.is_empty()).then(|| title.to_string());
        s.store_fetched(&FetchedFeed { url: url.into(), title, items, ..Default::default() }, now()).unwrap();
    }
    s.set_read(&[stable_id(A, "a2"), stable_id(B, "b2"), stable_id(C, "c2")], true).unwrap();
    s.conn.execute("UPDATE items SET saved = 1 WHERE key = 'b1'", []).unwrap();
    Fixture { store: s }
}

impl Fixture {
    /// Keys of the items a query selects, newest first.
    fn keys(&self, q: &str) -> Vec<String> {
        let rows = self.store.list_records(&View::Query(q.into()), None).unwrap_or_else(|e| panic!("{q}: {e}"));
        let by_id: std::collections::HashMap<String, String> = self
            .store
            .conn
            .prepare("SELECT id, key FROM items")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.into_iter().map(|r| by_id[&r.id].clone()).collect()
    }
}

#[test]
fn flags_tags_and_feeds() {
    let f = fixture();
    assert_eq!(f.keys(""), ["c3", "a1", "b1", "a2", "c1", "a3", "b2", "c2"]);
    assert_eq!(f.keys("unread"), ["c3", "a1", "b1", "c1", "a3"]);
    assert_eq!(f.keys("read"), ["a2", "b2", "c2"]);
    assert_eq!(f.keys("saved"), ["b1"]);
    assert_eq!(f.keys("tag:russia"), ["a1", "a2", "a3"]);
    assert_eq!(f.keys("tag:TECH"), ["b1", "b2"], "tags match in any case");
    assert_eq!(f.keys("tag:none"), ["c3", "c1", "c2"]);
    assert_eq!(f.keys("tag:nosuch"), Vec::<String>::new());
    assert_eq!(f.keys("feed:\"moscow times\""), ["a1", "a2", "a3"], "the configured title");
    assert_eq!(f.keys("feed:dispatch"), ["b1", "b2"], "the feed's own title");
    assert_eq!(f.keys("feed:c.example"), ["c3", "c1", "c2"], "the URL");
    assert_eq!(f.keys("feed:%"), Vec::<String>::new(), "wildcards are literal");
}

#[test]
fn dates() {
    let f = fixture();
    assert_eq!(f.keys("since:4d"), ["c3", "a1", "b1", "a2"]);
    assert_eq!(f.keys("before:30d"), ["b2", "c2"]);
    assert_eq!(f.keys("since:7d before:2d"), ["a2", "c1"]);
    let day = chrono::DateTime::from_timestamp(now() - 20 * DAY, 0).unwrap().format("%Y-%m-%d").to_string();
    assert_eq!(f.keys(&format!("before:{day}")), ["b2", "c2"]);
    assert_eq!(f.keys(&format!("since:{day}")).len(), 6);
}

#[test]
fn full_text_words_phrases_and_fields() {
    let f = fixture();
    assert_eq!(f.keys("pyongyang"), ["a1", "b2"]);
    assert_eq!(f.keys("PYONG"), ["a1", "b2"], "bare words match word prefixes, any case");
    assert_eq!(f.keys("sanction"), ["c3", "a2"], "sanctions, sanctioned");
    assert_eq!(f.keys("north korea"), ["a1", "a2", "c2"], "both words, anywhere");
    assert_eq!(f.keys("\"north korea\""), ["a1"], "the phrase, in order");
    assert_eq!(f.keys("cafe"), ["a3"], "HTML entities decoded, accents folded");
    assert_eq!(f.keys("doe"), ["a3"], "the author is indexed");
    assert_eq!(f.keys("author:jane"), ["a3"]);
    assert_eq!(f.keys("title:korea"), ["c2"]);
    assert_eq!(f.keys("launch"), ["b1"]);
    assert_eq!(f.keys("class"), Vec::<String>::new(), "markup is not text");
    assert_eq!(f.keys("tracking"), Vec::<String>::new(), "scripts are not text");
    assert_eq!(f.keys("&"), f.keys(""), "nothing searchable: no narrowing");
}

#[test]
fn negation_and_or_parentheses() {
    let f = fixture();
    assert_eq!(f.keys("tag:russia -korea"), ["a3"]);
    assert_eq!(f.keys("-tag:none -tag:russia"), ["b1", "b2"]);
    assert_eq!(f.keys("tag:none or pyongyang"), ["c3", "a1", "c1", "b2", "c2"]);
    assert_eq!(f.keys("(tag:tech or tag:none) unread"), ["c3", "b1", "c1"]);
    assert_eq!(f.keys("korea -\"north korea\""), ["a2", "c2"]);
    assert_eq!(f.keys("north -korea"), Vec::<String>::new());
    assert_eq!(f.keys("-(unread or saved)"), ["a2", "b2", "c2"]);
}

#[test]
fn any_query_and_its_negation_split_the_items() {
    let f = fixture();
    let total = f.keys("").len();
    let pieces =
        ["unread", "saved", "tag:russia", "tag:none", "korea", "\"north korea\"", "feed:orbital", "since:4d", "pyong"];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..300 {
        let mut q = String::new();
        for i in 0..(seed % 4 + 1) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let op = match (i, seed % 3) {
                (0, _) => "",
                (_, 0) => " or ",
                (_, 1) => " -",
                _ => " ",
            };
            q.push_str(op);
            q.push_str(pieces[(seed >> 8) as usize % pieces.len()]);
        }
        let yes = f.keys(&q).len();
        let no = f.keys(&format!("-({q})")).len();
        assert_eq!(yes + no, total, "{q}");
    }
}

#[test]
fn builtin_views_are_the_same_queries() {
    let f = fixture();
    let ids = |v: View| f.store.list_rows(&v, None).unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(View::Unread), ids(View::Query("unread".into())));
    assert_eq!(ids(View::Tag("news".into())), ids(View::Query("tag:news".into())));
    assert_eq!(ids(View::Feed(B.into())), ids(View::Query("feed:orbital".into())));
    assert!(matches!(f.store.list_rows(&View::Query("(".into()), None), Err(StoreError::Query(_))));
}

#[test]
fn search_ranks_title_matches_first() {
    let f = fixture();
    let hits = f.store.search("korea", None).unwrap();
    let titles: Vec<_> = hits.iter().map(|h| h.item.title.as_str()).collect();
    assert_eq!(titles[0], "Korea trade fair", "{titles:?}");
    assert_eq!(titles.len(), 3);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "{hits:?}");
    assert!(hits.iter().all(|h| h.score.is_some_and(|s| s > 0.0)));
    // Filters narrow, words rank; a query without words keeps date order.
    let hits = f.store.search("korea tag:none", None).unwrap();
    assert_eq!(hits.len(), 1);
    let hits = f.store.search("unread", Some(2)).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.score.is_none()));
}

#[test]
fn saved_query_counts() {
    let f = fixture();
    let q = |name: &str, query: &str| SavedQuery { name: name.into(), query: query.into() };
    let counts = f.store.query_counts(&[q("Korea", "korea"), q("Untagged", "tag:none")]).unwrap();
    let got: Vec<_> = counts.iter().map(|c| (c.name.as_str(), c.total, c.unread)).collect();
    assert_eq!(got, [("Korea", 3, 1), ("Untagged", 3, 2)]);
}

#[test]
fn the_largest_queries_the_parser_takes_run_in_sqlite() {
    use crate::query::{MAX_DEPTH, MAX_TERMS};
    let f = fixture();
    let terms = ["korea", "tag:news", "feed:moscow", "unread", "since:30d", "\"north korea\"", "tag:none", "title:x"];
    let pick = |i: usize| terms[i % terms.len()];
    let ors = (0..MAX_TERMS).map(pick).collect::<Vec<_>>().join(" or ");
    let ands = (0..MAX_TERMS).map(pick).collect::<Vec<_>>().join(" ");
    let nots = (0..MAX_TERMS).map(|i| format!("-{}", pick(i))).collect::<Vec<_>>().join(" or ");
    let deep = format!("{}korea or tag:news{}", "-(".repeat(MAX_DEPTH / 2), ")".repeat(MAX_DEPTH / 2));
    // Three levels a step, to the last one: `(a or -( … or -korea))`.
    let steps = (MAX_DEPTH - 1) / 3;
    let deep_wide = format!(
        "{}{} or -korea{}",
        "(a or -(".repeat(steps),
        (0..MAX_TERMS - steps - 1).map(pick).collect::<Vec<_>>().join(" or "),
        "))".repeat(steps)
    );
    for q in [&ors, &ands, &nots, &deep, &deep_wide] {
        if let Err(e) = crate::query::parse(q) {
            panic!("{e}: {q}");
        }
        f.store.list_rows(&View::Query(q.clone()), None).unwrap_or_else(|e| panic!("{e}: {q}"));
        f.store.count_view(&View::Query(q.clone())).unwrap_or_else(|e| panic!("{e}: {q}"));
        f.store.search(q, Some(50)).unwrap_or_else(|e| panic!("{e}: {q}"));
    }
    assert!(!f.store.list_rows(&View::Query(ors), None).unwrap().is_empty());
}

#[test]
fn the_index_follows_updates_and_deletes() {
    let mut f = fixture();
    let feed = FetchedFeed {
        url: C.into(),
        items: vec![item("c1", "Lighthouse reopens", 5, "<p>Keepers return.</p>")],
        ..Default::default()
    };
    f.store.store_fetched(&feed, now()).unwrap();
    assert_eq!(f.keys("lighthouse"), ["c1"]);
    assert_eq!(f.keys("harbour"), Vec::<String>::new(), "the old text is gone from the index");
    f.store.conn.execute("DELETE FROM items WHERE key = 'c1'", []).unwrap();
    let left: i64 = f
        .store
        .conn
        .query_row("SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH 'lighthouse'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
    // Flags do not touch the index.
    f.store.set_read(&[stable_id(A, "a1")], true).unwrap();
    assert_eq!(f.keys("pyongyang"), ["a1", "b2"]);
    // A rebuild gives the same answers.
    let before: Vec<_> = ["korea", "\"north korea\"", "cafe", "doe"].iter().map(|q| f.keys(q)).collect();
    f.store.reindex().unwrap();
    let after: Vec<_> = ["korea", "\"north korea\"", "cafe", "doe"].iter().map(|q| f.keys(q)).collect();
    assert_eq!(before, after);
}

#[test]
fn the_migration_indexes_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A database as the first release left it: schema 1, items, no index.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO feeds (id, url) VALUES (1, 'https://old.example/rss')", []).unwrap();
        conn.execute(
            "INSERT INTO items (id, feed_id, key, title, content, first_seen, sort_date)
             VALUES ('0123456789abcdef', 1, 'k', 'Archived story', '<p>About <i>lighthouses</i>.</p>', 1, 1)",
            [],
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let rows = s.list_rows(&View::Query("lighthouse".into()), None).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "Archived story");
}

#[test]
fn user_tags_join_feed_tags_in_tag_queries() {
    let mut f = fixture();
    f.store.set_tags(&stable_id(C, "c1"), &["Russia".into(), "later".into()]).unwrap();
    assert_eq!(f.keys("tag:russia"), ["a1", "a2", "c1", "a3"], "a user tag counts like a feed tag, in any case");
    assert_eq!(f.keys("tag:later"), ["c1"]);
    assert_eq!(f.keys("tag:none"), ["c3", "c2"], "an item with a user tag is no longer untagged");
    let rows = f.store.list_rows(&View::Tag("later".into()), None).unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn extracted_full_text_is_searchable() {
    let mut f = fixture();
    assert!(f.keys("zeppelin").is_empty());
    let full = crate::article::extract::Extracted {
        html: "<p>A zeppelin over the harbour.</p>".into(),
        text: "A zeppelin over the harbour.".into(),
        title: None,
    };
    f.store.set_full_text(&stable_id(C, "c3"), &full, now()).unwrap();
    assert_eq!(f.keys("zeppelin"), ["c3"]);
    let hits = f.store.search("zeppelin", None).unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn dismissed_items_leave_every_view_but_the_reading_list() {
    let mut f = fixture();
    f.store.dismiss(&stable_id(B, "b1")).unwrap();
    assert!(!f.keys("").contains(&"b1".to_string()));
    assert!(f.keys("saved").is_empty(), "the saved query is an item view too");
    assert_eq!(f.store.list_rows(&View::Unread, None).unwrap().len(), 4);
}
