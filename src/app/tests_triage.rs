//! Triage through the whole app with a real store: keys in, store changes
//! and reloads out, the journal across a restart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::config::{Config, FeedConfig};
use crate::feed::PollEvent;
use crate::model::{FetchedFeed, NewItem, View};
use crate::ui::theme::Theme;

const A: &str = "https://a.example/rss";
const B: &str = "https://b.example/rss";

fn clock() -> Timestamp {
    2_000_000
}

fn config() -> Config {
    Config {
        feeds: vec![
            FeedConfig { tags: vec!["news".into()], ..FeedConfig::new(A) },
            FeedConfig { tags: vec!["tech".into()], ..FeedConfig::new(B) },
        ],
        ..Config::default()
    }
}

fn app_on(store: Store) -> App {
    let cfg = config();
    let mut store = store;
    store.sync_feeds(&cfg.feeds).unwrap();
    let mut app = App::new(State::new(&cfg, clock(), 0, Theme::default()), store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    app
}

fn fetched(url: &str, prefix: &str, n: usize) -> Box<FetchedFeed> {
    Box::new(FetchedFeed {
        url: url.into(),
        title: Some(format!("Feed {prefix}")),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("{prefix}{i}"),
                title: format!("{prefix} {i}"),
                link: Some(format!("https://site.example/{prefix}{i}")),
                published: Some(1_000_000 + i as i64 + if prefix == "b" { 10 } else { 0 }),
                content: Some(format!("<p>Body {prefix} {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn with_items(store: Store) -> App {
    let mut app = app_on(store);
    app.step_many(vec![
        Msg::Poll(PollEvent::Fetched(fetched(A, "a", 3))),
        Msg::Poll(PollEvent::Fetched(fetched(B, "b", 2))),
    ]);
    app
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn titles(app: &App) -> Vec<&str> {
    app.state.items.iter().map(|r| r.title.as_str()).collect()
}

fn sidebar_count(app: &App, label: &str) -> Option<u64> {
    app.state.sidebar.iter().find(|e| e.label == label).and_then(|e| e.count)
}

fn show(app: &mut App, view: View) {
    let i = app.state.sidebar.iter().position(|e| e.view == view).expect("sidebar entry");
    app.state.focus = state::Focus::Sidebar;
    app.step(Msg::Action(action::Action::Top));
    for _ in 0..i {
        app.step(Msg::Action(action::Action::Down));
    }
    assert_eq!(app.state.view, view);
}

#[test]
fn s_puts_the_item_in_the_reading_list_shown_in_the_sidebar() {
    let mut app = with_items(Store::open_in_memory().unwrap());
    assert_eq!(sidebar_count(&app, "Reading list"), Some(0));
    app.step(key('s'));
    assert_eq!(sidebar_count(&app, "Reading list"), Some(1));
    show(&mut app, View::Saved);
    assert_eq!(titles(&app), ["b 1"]);
    assert!(app.state.items[0].saved);
    let article = app.state.article.as_ref().expect("the entry opens");
    assert_eq!(article.article.title, "b 1");
    // s again, here, takes it out of the list; u brings it back.
    app.state.focus = state::Focus::List;
    app.step(key('s'));
    assert!(titles(&app).is_empty());
    app.step(key('u'));
    assert_eq!(titles(&app), ["b 1"]);
    assert_eq!(app.state.status.as_deref(), Some("undone: unsave \"b 1\""));
}

#[test]
fn mark_all_read_is_undone_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut app = with_items(Store::open(&path).unwrap());
        assert_eq!(app.state.counts.unread, 5);
        app.step(key('A'));
        assert_eq!(app.state.counts.unread, 0);
        assert_eq!(app.state.status.as_deref(), Some("marked 5 items read · u undoes"));
        assert!(app.state.items.iter().all(|r| r.read));
    }
    let mut app = app_on(Store::open(&path).unwrap());
    assert_eq!(app.state.counts.unread, 0);
    // A new session: `u` first says it would reach back before it, then does.
    app.step(key('u'));
    assert_eq!(app.state.counts.unread, 0);
    assert_eq!(
        app.state.status.as_deref(),
        Some("nothing to undo since tidings started · u again undoes older changes")
    );
    app.step(key('u'));
    assert_eq!(app.state.counts.unread, 5);
    assert!(app.state.items.iter().all(|r| !r.read));
    assert_eq!(app.state.status.as_deref(), Some("undone: mark 5 items read"));
    app.step(Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    assert_eq!(app.state.counts.unread, 0);
}

#[test]
fn mark_all_read_in_a_tag_view_touches_only_that_view() {
    let mut app = with_items(Store::open_in_memory().unwrap());
    show(&mut app, View::Tag("tech".into()));
    app.step(key('A'));
    assert_eq!(app.state.counts.unread, 3);
    assert_eq!(sidebar_count(&app, "#tech"), Some(0));
    assert_eq!(sidebar_count(&app, "#news"), Some(3));
}

#[test]
fn dismiss_hides_and_undo_brings_back() {
    let mut app = with_items(Store::open_in_memory().unwrap());
    assert_eq!(titles(&app), ["b 1", "b 0", "a 2", "a 1", "a 0"]);
    app.step(key('d'));
    assert_eq!(titles(&app), ["b 0", "a 2", "a 1", "a 0"]);
    assert_eq!(app.state.article.as_ref().unwrap().article.title, "b 0", "the next item is shown");
    assert_eq!(app.state.counts.unread, 4);
    app.step(key('u'));
    assert_eq!(titles(&app), ["b 1", "b 0", "a 2", "a 1", "a 0"]);
    assert_eq!(app.state.counts.unread, 5, "it was unread before");
}

#[test]
fn tags_typed_in_the_editor_reach_the_sidebar_and_the_article() {
    let mut app = with_items(Store::open_in_memory().unwrap());
    app.step(key('t'));
    assert!(matches!(app.state.mode, state::Mode::Prompt(_)));
    for c in "later".chars() {
        app.step(key(c));
    }
    app.step(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(sidebar_count(&app, "#later"), Some(1));
    assert_eq!(app.state.article.as_ref().unwrap().article.user_tags, ["later"]);
    show(&mut app, View::Tag("later".into()));
    assert_eq!(titles(&app), ["b 1"]);
    // Reopening the editor shows the tags; clearing them is undoable.
    app.state.focus = state::Focus::List;
    app.step(key('t'));
    let state::Mode::Prompt(p) = &app.state.mode else { panic!("no prompt") };
    assert_eq!(p.input.value(), "later ");
    for _ in 0..6 {
        app.step(Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
    }
    app.step(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(titles(&app).is_empty());
    app.step(key('u'));
    assert_eq!(titles(&app), ["b 1"]);
}

#[test]
fn the_reading_list_survives_removing_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut app = with_items(Store::open(&path).unwrap());
        app.step(key('s'));
    }
    let mut store = Store::open(&path).unwrap();
    store.sync_feeds(&[FeedConfig::new(A)]).unwrap();
    let rows = store.list_rows(&View::Saved, None).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "b 1");
    assert!(store.list_rows(&View::All, None).unwrap().iter().all(|r| r.title != "b 1"));
}
