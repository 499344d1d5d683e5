//! Windows in each `[ui] sort` order: walked by key from either end, they
//! give the whole list in that order, and a new item lands in its place.

use super::*;
use crate::config::FeedConfig;
use crate::model::{FetchedFeed, NewItem};

const A: &str = "https://a.example/rss";
const B: &str = "https://b.example/rss";

fn feed(url: &str, title: &str) -> FeedConfig {
    FeedConfig { title: Some(title.into()), ..FeedConfig::new(url) }
}

fn item(key: &str, title: &str, date: i64) -> NewItem {
    NewItem { key: key.into(), title: title.into(), published: Some(date), ..Default::default() }
}

/// Zulu (feed B, "Zeta" first in title order) and Alpha (feed A).
fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_feeds(&[feed(A, "Zulu"), feed(B, "Alpha")]).unwrap();
    let a = vec![item("1", "delta", 1), item("2", "Bravo", 4), item("3", "echo", 5)];
    let b = vec![item("4", "charlie", 2), item("5", "alpha", 3), item("6", "Foxtrot", 6)];
    s.store_fetched(&FetchedFeed { url: A.into(), items: a, ..Default::default() }, 1_000).unwrap();
    s.store_fetched(&FetchedFeed { url: B.into(), items: b, ..Default::default() }, 1_000).unwrap();
    s
}

/// The whole list read two rows at a time, down from the top and up from the bottom.
fn walk(s: &Store) -> (Vec<String>, Vec<String>) {
    let mut down = s.window_top(&View::All, 2).unwrap();
    let mut all = down.rows.clone();
    while !down.at_bottom {
        down = s.rows_after(&View::All, all.last().unwrap().key, 2).unwrap();
        all.extend(down.rows.clone());
    }
    let mut up = s.window_bottom(&View::All, 2).unwrap();
    let mut rev = up.rows.clone();
    while !up.at_top {
        up = s.rows_before(&View::All, rev[0].key, 2).unwrap();
        let mut rows = up.rows.clone();
        rows.extend(rev);
        rev = rows;
    }
    (all.into_iter().map(|r| r.title).collect(), rev.into_iter().map(|r| r.title).collect())
}

#[test]
fn every_order_walks_whole_from_either_end() {
    let mut s = store();
    let rows = s.window_top(&View::All, 10).unwrap().rows;
    let read: Vec<_> =
        rows.iter().filter(|r| r.title == "Bravo" || r.title == "charlie").map(|r| r.id.clone()).collect();
    s.set_read(&read, true).unwrap();
    let cases = [
        (SortOrder::Date, ["Foxtrot", "echo", "Bravo", "alpha", "charlie", "delta"]),
        (SortOrder::Feed, ["Foxtrot", "alpha", "charlie", "echo", "Bravo", "delta"]),
        (SortOrder::Title, ["alpha", "Bravo", "charlie", "delta", "echo", "Foxtrot"]),
        (SortOrder::UnreadFirst, ["Foxtrot", "echo", "alpha", "delta", "Bravo", "charlie"]),
    ];
    for (order, want) in cases {
        s.set_list_order(order);
        let (down, up) = walk(&s);
        assert_eq!(down, want, "{order:?} down");
        assert_eq!(up, want, "{order:?} up");
        assert_eq!(s.window_top(&View::All, 1).unwrap().sort, order, "a window says its order");
    }
}

#[test]
fn unread_first_keeps_a_row_marked_read_in_its_place_until_read_again() {
    let mut s = store();
    s.set_list_order(SortOrder::UnreadFirst);
    let rows = s.window_top(&View::All, 10).unwrap().rows;
    let echo = rows.iter().find(|r| r.title == "echo").unwrap().clone();
    assert_eq!(echo.key.rank, 0);
    s.set_read(std::slice::from_ref(&echo.id), true).unwrap();
    // The window around its old key: it sits among the unread ones still.
    let around = s.rows_around(&View::All, echo.key, 1, 2).unwrap();
    let titles: Vec<_> = around.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Foxtrot", "Bravo", "alpha"], "the rows on either side of where it was");
    assert_eq!(s.next_unread(&View::All, Some(echo.key)).unwrap().map(|(_, id)| id), Some(rows[2].id.clone()));
}

#[test]
fn a_new_item_lands_in_its_place_in_title_order() {
    let mut s = store();
    s.set_list_order(SortOrder::Title);
    let top = s.window_top(&View::All, 3).unwrap();
    let key = top.rows[2].key; // charlie
    let more = vec![item("7", "bongo", 7)];
    s.store_fetched(&FetchedFeed { url: A.into(), items: more, ..Default::default() }, 2_000).unwrap();
    let after = s.rows_after(&View::All, key, 2).unwrap();
    assert_eq!(after.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["delta", "echo"]);
    let before = s.rows_before(&View::All, key, 5).unwrap();
    assert_eq!(before.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["alpha", "bongo", "Bravo"]);
}
