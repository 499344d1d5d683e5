//! The app with a real (in-memory) store: messages through `update`, effects
//! run, replies fed back — synchronously.

use super::*;
use crate::config::{Config, FeedConfig};
use crate::feed::PollEvent;
use crate::model::{FetchedFeed, NewItem, View};
use crate::ui::theme::Theme;

fn clock() -> Timestamp {
    2_000_000
}

fn app() -> App {
    let cfg = Config {
        feeds: vec![FeedConfig { tags: vec!["news".into()], ..FeedConfig::new("https://a.example/rss") }],
        ..Config::default()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    let state = State::new(&cfg, clock(), 0, Theme::default());
    let mut app = App::new(state, store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    app
}

fn fetched(n: usize) -> Box<FetchedFeed> {
    Box::new(FetchedFeed {
        url: "https://a.example/rss".into(),
        title: Some("Feed A".into()),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("g{i}"),
                title: format!("Item {i}"),
                published: Some(1_000_000 + i as i64),
                content: Some(format!("<p>Body of item {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

#[test]
fn a_fetched_feed_reaches_the_list_counts_and_article() {
    let mut app = app();
    assert!(app.state.items.is_empty());
    app.step(Msg::Poll(PollEvent::Started { feeds: 1 }));
    app.step(Msg::Poll(PollEvent::Fetched(fetched(3))));
    let s = &app.state;
    let titles: Vec<_> = s.items.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Item 2", "Item 1", "Item 0"]);
    assert_eq!((s.counts.total, s.counts.unread), (3, 3));
    assert_eq!(
        s.sidebar.iter().map(|e| e.label.as_str()).collect::<Vec<_>>(),
        ["All", "Unread", "Reading list", "#news", "Feeds", "news", "Feed A"]
    );
    let feed = s.sidebar.last().unwrap();
    assert_eq!(feed.count, Some(3), "the feed's unread count");
    let article = s.article.as_ref().expect("the newest item is shown");
    assert_eq!(article.article.title, "Item 2");
    assert_eq!(article.article.feed, "Feed A");
    let body = article.body.as_ref().expect("rendered");
    assert!(body.lines().iter().any(|l| l.to_string().contains("Body of item 2")));
}

#[test]
fn opening_marks_read_in_the_store() {
    let mut app = app();
    app.step(Msg::Poll(PollEvent::Fetched(fetched(2))));
    app.step(Msg::Action(action::Action::Open));
    assert_eq!(app.state.counts.unread, 1);
    let rows = app.store.list_rows(&View::Unread, None).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "Item 0");
}

#[test]
fn a_failing_feed_shows_in_the_sidebar() {
    let mut app = app();
    app.step(Msg::Poll(PollEvent::Failed { url: "https://a.example/rss".into(), error: "HTTP 500".into() }));
    let failing = app.state.sidebar.iter().find(|e| e.error.is_some()).expect("failing entry");
    assert_eq!(failing.error.as_deref(), Some("HTTP 500"));
    assert_eq!(failing.view, View::Feed("https://a.example/rss".into()));
}

#[test]
fn many_poll_events_in_one_batch_load_the_view_once() {
    let mut app = app();
    let batch = vec![Msg::Poll(PollEvent::Fetched(fetched(2))), Msg::Poll(PollEvent::Fetched(fetched(5)))];
    app.step_many(batch);
    assert_eq!(app.state.items.len(), 5);
}

#[test]
fn the_filter_line_narrows_the_list_through_the_store() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = app();
    app.step(Msg::Poll(PollEvent::Fetched(fetched(12))));
    let key = |c| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
    app.step(key(KeyCode::Char('/')));
    // One batch of keys (a fast typist) loads the view once, for the final text.
    app.step_many("body 1".chars().map(|c| key(KeyCode::Char(c))).collect());
    let titles: Vec<_> = app.state.items.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Item 11", "Item 10", "Item 1"], "prefix of the word 1: 1, 10, 11");
    app.step(key(KeyCode::Char(' ')));
    app.step(key(KeyCode::Char('-')));
    app.step(key(KeyCode::Char('(')));
    assert_eq!(app.state.items.len(), 3, "a broken query keeps the last good results");
    app.step(key(KeyCode::Backspace));
    app.step(key(KeyCode::Backspace));
    app.step(key(KeyCode::Backspace));
    app.step(key(KeyCode::Enter));
    assert_eq!(app.state.view, View::Query("body 1".into()));
    assert_eq!(app.state.items.len(), 3);
    app.step(key(KeyCode::Esc));
    assert_eq!(app.state.items.len(), 12);
}

#[test]
fn saved_queries_show_with_live_counts() {
    let cfg = Config {
        feeds: vec![FeedConfig::new("https://a.example/rss")],
        queries: vec![crate::config::SavedQuery {
            name: "Ones".into(),
            query: "\"item 1\" or title:\"item 2\"".into(),
        }],
        ..Config::default()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    let mut app = App::new(State::new(&cfg, clock(), 0, Theme::default()), store, clock);
    app.start();
    app.step(Msg::Poll(PollEvent::Fetched(fetched(3))));
    let entry = app.state.sidebar.iter().find(|e| e.label == "Ones").expect("the saved query is in the sidebar");
    assert_eq!(entry.count, Some(2));
    app.step(Msg::Action(action::Action::Open));
    let entry = app.state.sidebar.iter().find(|e| e.label == "Ones").unwrap();
    assert_eq!(entry.count, Some(1), "opening the newest match read it");
}

// — #13 feeds view —
#[test]
fn the_configured_order_is_the_first_screens_and_o_reads_the_list_again_in_the_next() {
    let mut cfg = Config {
        feeds: vec![FeedConfig { tags: vec!["news".into()], ..FeedConfig::new("https://a.example/rss") }],
        ..Config::default()
    };
    cfg.ui.sort = crate::config::SortOrder::UnreadFirst;
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    let mut feed = fetched(3);
    feed.items[2].title = "Item 2 (read)".into();
    store.store_fetched(&feed, 1).unwrap();
    let rows = store.window_top(&View::All, 3).unwrap().rows;
    store.set_read(std::slice::from_ref(&rows[0].id), true).unwrap();
    let state = State::new(&cfg, clock(), 0, Theme::default());
    let mut app = App::new(state, store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    let titles = |app: &App| app.state.items.iter().map(|r| r.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&app), ["Item 1", "Item 0", "Item 2 (read)"], "unread first from the start");
    app.step(Msg::Action(crate::app::action::Action::CycleSort));
    assert_eq!(app.state.sort, crate::config::SortOrder::Date);
    assert_eq!(titles(&app), ["Item 2 (read)", "Item 1", "Item 0"]);
}

// — first screen read on the start thread —

/// An app over three stored items, its first screen not read yet.
fn unstarted(cfg: &Config) -> App {
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    store.store_fetched(&fetched(3), 1).unwrap();
    let mut app = App::new(State::new(cfg, clock(), 0, Theme::default()), store, clock);
    app.step(Msg::Resize(140, 40));
    app
}

#[test]
fn a_first_screen_read_before_the_app_is_shown_as_read() {
    let cfg = Config { feeds: vec![FeedConfig::new("https://a.example/rss")], ..Config::default() };
    let mut app = unstarted(&cfg);
    let (sort, folding) = crate::startup::list_settings(&cfg);
    let mut first = crate::startup::read_first_screen(app.store(), sort, folding);
    // Marked, to tell the article handed over from one read again.
    let Some((_, Ok(Some(article)))) = &mut first.article else { panic!("the first row's article") };
    article.title = "Item 2 (read early)".into();
    app.first_screen_from(Some(first));
    let titles: Vec<_> = app.state.items.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Item 2", "Item 1", "Item 0"]);
    assert_eq!(app.state.article.as_ref().unwrap().article.title, "Item 2 (read early)");
    assert!(app.first_article.is_none());
}

#[test]
fn a_first_screen_read_with_other_settings_is_read_again() {
    let cfg = Config { feeds: vec![FeedConfig::new("https://a.example/rss")], ..Config::default() };
    let mut app = unstarted(&cfg);
    let (_, folding) = crate::startup::list_settings(&cfg);
    let mut first = crate::startup::read_first_screen(app.store(), crate::config::SortOrder::Title, folding);
    let Some((_, Ok(Some(article)))) = &mut first.article else { panic!("the first row's article") };
    article.title = "read in the wrong order".into();
    app.first_screen_from(Some(first));
    let titles: Vec<_> = app.state.items.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Item 2", "Item 1", "Item 0"], "the config's order (date)");
    assert_eq!(app.state.article.as_ref().unwrap().article.title, "Item 2");
}
