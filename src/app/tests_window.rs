//! The list's window over a view larger than it: moving, jumping, bursts of
//! keys, next unread and reloads, with a real store (reads inline, so each
//! answer arrives after the batch of keys that asked for it, as the reader
//! thread's would).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::config::{Config, FeedConfig};
use crate::model::{FetchedFeed, NewItem};
use crate::ui::theme::Theme;

const A: &str = "https://a.example/rss";
const N: usize = 2_000;

fn clock() -> Timestamp {
    2_000_000
}

/// `N` items, "Item 0" the newest; every item is read but the multiples of 700.
fn app() -> App {
    let cfg = Config { feeds: vec![FeedConfig::new(A)], ..Config::default() };
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    let items = (0..N)
        .map(|i| NewItem {
            key: format!("k{i}"),
            title: format!("Item {i}"),
            published: Some(1_000_000 - i as i64),
            ..Default::default()
        })
        .collect();
    store.store_fetched(&FetchedFeed { url: A.into(), items, ..Default::default() }, clock()).unwrap();
    let ids: Vec<String> = store.list_rows(&crate::model::View::All, None).unwrap().into_iter().map(|r| r.id).collect();
    let read: Vec<String> = ids.iter().enumerate().filter(|(i, _)| i % 700 != 0).map(|(_, id)| id.clone()).collect();
    store.set_read(&read, true).unwrap();
    let mut app = App::new(State::new(&cfg, clock(), 0, Theme::default()), store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    app
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn selected(app: &App) -> String {
    app.state.selected_item().map(|r| r.title.clone()).unwrap_or_default()
}

#[test]
fn the_list_holds_a_window_not_the_view() {
    let app = app();
    assert_eq!(app.state.items.len(), update::list::FETCH_ROWS);
    assert!(app.state.window.at_top && !app.state.window.at_bottom);
    assert_eq!(selected(&app), "Item 0");
}

#[test]
fn a_burst_of_j_ends_on_the_right_row_however_far() {
    let mut app = app();
    // 1,500 presses in one batch: far past the rows held when it began.
    app.step_many((0..1_500).map(|_| key('j')).collect());
    assert_eq!(selected(&app), "Item 1500");
    assert!(app.state.items.len() <= 800, "the window stays bounded: {}", app.state.items.len());
    app.step_many((0..1_499).map(|_| key('k')).collect());
    assert_eq!(selected(&app), "Item 1");
    assert_eq!(app.state.article.as_ref().map(|a| a.article.title.as_str()), Some("Item 1"));
}

#[test]
fn page_down_walks_the_whole_view_in_order() {
    let mut app = app();
    let page = app.state.panes().list_rows() - 1;
    let mut seen = 0;
    for _ in 0..(N / page + 2) {
        app.step(Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)));
        seen = (seen + page).min(N - 1);
        assert_eq!(selected(&app), format!("Item {seen}"));
    }
    assert!(app.state.window.at_bottom);
}

#[test]
fn g_and_capital_g_jump_to_the_ends_and_back() {
    let mut app = app();
    app.step(key('G'));
    assert_eq!(selected(&app), format!("Item {}", N - 1));
    assert!(app.state.window.at_bottom && !app.state.window.at_top);
    // Keys pressed while the jump is on its way count from where it lands.
    app.step_many(vec![key('g'), key('j'), key('j')]);
    assert_eq!(selected(&app), "Item 2");
    app.step_many(vec![key('G'), key('k')]);
    assert_eq!(selected(&app), format!("Item {}", N - 2));
}

#[test]
fn n_finds_the_next_unread_item_beyond_the_window_and_wraps() {
    let mut app = app();
    // Item 0 is unread: n opens it; then Item 700, then 1400, then back to the top.
    app.step(key('n'));
    assert_eq!(selected(&app), "Item 0");
    app.step(key('n'));
    assert_eq!(selected(&app), "Item 700");
    assert_eq!(app.state.article.as_ref().map(|a| a.article.title.as_str()), Some("Item 700"));
    assert!(app.state.items[app.state.list.sel].read, "opened, so read");
    app.step(key('n'));
    assert_eq!(selected(&app), "Item 1400");
    app.step(key('n'));
    assert_eq!(app.state.status.as_deref(), Some("no unread items here"));
    assert_eq!(selected(&app), "Item 1400");
}

#[test]
fn a_reload_keeps_the_selected_row_deep_in_the_view() {
    let mut app = app();
    app.step_many((0..1_234).map(|_| key('j')).collect());
    let line = app.state.list.sel - app.state.list.offset;
    app.step(Msg::DataChanged);
    assert_eq!(selected(&app), "Item 1234");
    assert_eq!(app.state.list.sel - app.state.list.offset, line, "on the same line of the screen");
    app.step(key('j'));
    assert_eq!(selected(&app), "Item 1235");
}

#[test]
fn moves_past_the_rows_held_survive_a_reload_on_its_way() {
    let mut app = app();
    app.step_many((0..150).map(|_| key('j')).collect());
    assert_eq!(selected(&app), "Item 150");
    // Another program wrote: a reload is asked for, and before it lands the
    // user runs far past the rows held (one batch: the reload answers after it).
    let mut batch = vec![Msg::DataChanged];
    batch.extend((0..400).map(|_| key('j')));
    app.step_many(batch);
    assert_eq!(selected(&app), "Item 550");
}
