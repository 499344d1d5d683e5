//! The `/` line, purely: keys in, view switches and errors out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::msg::{Effect, Msg};
use crate::app::state::{Focus, Mode, State};
use crate::app::update;
use crate::config::Config;
use crate::model::{Counts, ItemRow, QueryCount, TagCount, View};
use crate::ui::theme::Theme;

fn row(id: &str) -> ItemRow {
    ItemRow {
        id: id.into(),
        title: id.into(),
        feed: "F".into(),
        date: None,
        read: false,
        saved: false,
        link: None,
        key: Default::default(),
        ..Default::default()
    }
}

fn state() -> State {
    let mut s = State::new(&Config::default(), 0, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    let counts = Counts {
        total: 3,
        unread: 3,
        tags: vec![TagCount { tag: "news".into(), total: 2, unread: 2 }],
        queries: vec![QueryCount { name: "Korea".into(), query: "korea -sport".into(), total: 4, unread: 1 }],
        ..Default::default()
    };
    update(&mut s, Msg::CountsLoaded(counts));
    update(&mut s, Msg::whole_view(View::All, vec![row("a"), row("b"), row("c")]));
    s
}

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(s, KeyCode::Char(c))).collect()
}

fn prompt_error(s: &State) -> Option<String> {
    match &s.mode {
        Mode::Prompt(p) => p.error.clone(),
        Mode::Normal => panic!("the prompt is closed"),
    }
}

fn query(q: &str) -> View {
    View::Query(q.into())
}

#[test]
fn typing_switches_the_view_on_every_edit() {
    let mut s = state();
    assert!(press(&mut s, KeyCode::Char('/')).is_empty());
    assert!(matches!(s.mode, Mode::Prompt(_)));
    assert_eq!(press(&mut s, KeyCode::Char('p')), [Effect::LoadView(query("p"))]);
    assert_eq!(press(&mut s, KeyCode::Char('u')), [Effect::LoadView(query("pu"))]);
    assert_eq!(s.view, query("pu"));
    // A late answer for "p" is dropped; the answer for "pu" replaces the list.
    assert!(update(&mut s, Msg::whole_view(query("p"), vec![row("x")])).is_empty());
    assert_eq!(s.items.len(), 3);
    update(&mut s, Msg::whole_view(query("pu"), vec![row("b")]));
    assert_eq!(s.items, [row("b")]);
    // Enter keeps the filter and puts the keys back on the list.
    s.focus = Focus::Sidebar;
    assert!(press(&mut s, KeyCode::Enter).is_empty(), "same view: nothing to load");
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.focus, Focus::List);
    assert_eq!(s.view, query("pu"));
}

#[test]
fn a_broken_query_shows_its_error_and_keeps_the_last_good_results() {
    let mut s = state();
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "tag:news");
    update(&mut s, Msg::whole_view(View::Tag("news".into()), vec![row("a")]));
    assert!(typed(&mut s, " (x").iter().all(|e| !matches!(e, Effect::LoadView(_))), "nothing loads while broken");
    assert_eq!(prompt_error(&s).as_deref(), Some("column 12: expected `)` to close the `(` at column 10"));
    assert_eq!(s.items, [row("a")]);
    // Enter on it keeps the line open, error and all.
    press(&mut s, KeyCode::Enter);
    assert!(prompt_error(&s).is_some());
    assert_eq!(press(&mut s, KeyCode::Char(')')), [Effect::LoadView(query("tag:news (x)"))]);
    assert_eq!(prompt_error(&s), None);
}

#[test]
fn esc_on_the_line_goes_back_to_the_view_it_was_opened_on() {
    let mut s = state();
    s.focus = Focus::Sidebar;
    update(&mut s, Msg::Action(crate::app::action::Action::Down));
    assert_eq!(s.view, View::Unread);
    press(&mut s, KeyCode::Char('/'));
    let Mode::Prompt(p) = &s.mode else { panic!() };
    assert_eq!(p.input.value(), "unread", "the line opens on the view's own query, without a trailing space");
    typed(&mut s, " korea");
    assert_eq!(s.view, query("unread korea"));
    assert_eq!(press(&mut s, KeyCode::Esc), [Effect::LoadView(View::Unread)]);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn esc_in_the_list_clears_the_filter_back_to_the_sidebar_entry() {
    let mut s = state();
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, "korea");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, query("korea"));
    assert_eq!(press(&mut s, KeyCode::Esc), [Effect::LoadView(View::All)]);
    assert_eq!(s.view, View::All);
    assert!(press(&mut s, KeyCode::Esc).is_empty(), "nothing to clear");
}

#[test]
fn queries_that_are_sidebar_entries_become_those_entries() {
    let mut s = state();
    press(&mut s, KeyCode::Char('/'));
    assert_eq!(typed(&mut s, "unread").last(), Some(&Effect::LoadView(View::Unread)));
    assert_eq!(typed(&mut s, " ").last(), None, "the same query: nothing to load");
    // Erasing everything is the whole archive.
    let fx: Vec<_> = (0..20).flat_map(|_| press(&mut s, KeyCode::Backspace)).collect();
    assert_eq!(fx.last(), Some(&Effect::LoadView(View::All)));
    assert_eq!(typed(&mut s, "TAG:news").last(), Some(&Effect::LoadView(View::Tag("news".into()))));
}

#[test]
fn saved_queries_sit_in_the_sidebar_with_their_unread_counts() {
    let mut s = state();
    let labels: Vec<_> = s.sidebar.iter().map(|e| (e.label.as_str(), e.count)).collect();
    assert_eq!(
        labels,
        [("All", Some(3)), ("Unread", Some(3)), ("Reading list", Some(0)), ("Korea", Some(1)), ("#news", Some(2))]
    );
    s.focus = Focus::Sidebar;
    update(&mut s, Msg::Action(crate::app::action::Action::Down));
    update(&mut s, Msg::Action(crate::app::action::Action::Down));
    assert_eq!(
        update(&mut s, Msg::Action(crate::app::action::Action::Down)),
        [Effect::LoadView(query("korea -sport"))]
    );
    // Esc has nothing to clear on a saved query of the sidebar.
    assert!(press(&mut s, KeyCode::Esc).is_empty());
}

// — #10 search —
#[test]
fn a_feeds_own_query_still_picks_its_sidebar_entry() {
    let mut s = state();
    let url = "https://x.example/rss";
    let failing = vec![crate::model::FeedFailure { url: url.into(), title: "X".into(), error: "e".into() }];
    let feeds = vec![crate::model::FeedCount { url: url.into(), title: "X".into(), total: 1, unread: 1, tag: None }];
    update(&mut s, Msg::CountsLoaded(Counts { total: 3, unread: 3, failing, feeds, ..Default::default() }));
    assert!(s.sidebar.iter().any(|e| e.view == View::Feed(url.into())), "the failing feed has an entry");
    press(&mut s, KeyCode::Char('/'));
    typed(&mut s, &format!("feed:{url}"));
    assert_eq!(s.view, View::Feed(url.into()));
    typed(&mut s, "x");
    assert_eq!(s.view, query(&format!("feed:{url}x")));
}
