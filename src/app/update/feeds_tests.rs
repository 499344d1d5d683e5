use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::update;
use crate::app::msg::{Effect, Msg};
use crate::app::state::{EntryKind, Focus, State};
use crate::config::{Config, FeedConfig, FeedsMode};
use crate::feed::PollEvent;
use crate::model::{Counts, FeedCount, FeedFailure, View};
use crate::ui::theme::Theme;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn feed(url: &str, title: &str, unread: u64, tag: Option<&str>) -> FeedCount {
    FeedCount { url: url.into(), title: title.into(), total: unread + 1, unread, tag: tag.map(Into::into) }
}

/// Three feeds: two tagged (the config's first tag wins over the store's), one not; `c` failing.
fn state(mode: FeedsMode) -> State {
    let mut cfg = Config::default();
    cfg.ui.feeds = mode;
    let mut a = FeedConfig::new("a");
    a.tags = vec!["world".into(), "alpha".into()];
    cfg.feeds = vec![a, FeedConfig::new("b"), FeedConfig::new("c")];
    let mut s = State::new(&cfg, 1_000_000, 0, Theme::mono());
    let counts = Counts {
        feeds: vec![
            feed("a", "Alpha", 3, Some("alpha")),
            feed("b", "Beta", 0, Some("tech")),
            feed("c", "Gamma", 2, None),
        ],
        failing: vec![FeedFailure { url: "c".into(), title: "Gamma".into(), error: "timed out".into() }],
        ..Default::default()
    };
    update(&mut s, Msg::CountsLoaded(counts));
    s
}

fn lines(s: &State) -> Vec<(String, Option<u64>)> {
    s.sidebar.iter().skip(3).map(|e| (e.label.clone(), e.count)).collect()
}

fn own(v: &[(&str, Option<u64>)]) -> Vec<(String, Option<u64>)> {
    v.iter().map(|(l, c)| (l.to_string(), *c)).collect()
}

#[test]
fn feeds_are_grouped_under_their_first_tag_with_unread_counts() {
    let s = state(FeedsMode::Grouped);
    assert_eq!(
        lines(&s),
        own(&[
            ("Feeds", None),
            ("tech", Some(0)),
            ("Beta", Some(0)),
            ("world", Some(3)),
            ("Alpha", Some(3)),
            ("Gamma", Some(2)),
        ])
    );
    let gamma = s.sidebar.last().unwrap();
    assert_eq!(gamma.error.as_deref(), Some("timed out"), "the failing feed carries its error (⚠)");
    assert_eq!(gamma.kind, EntryKind::Feed { indent: false });
    assert_eq!(s.sidebar[5].kind, EntryKind::Feed { indent: true });
}

#[test]
fn flat_and_hidden_modes() {
    let flat = state(FeedsMode::Flat);
    assert_eq!(lines(&flat), own(&[("Feeds", None), ("Alpha", Some(3)), ("Beta", Some(0)), ("Gamma", Some(2))]));
    let hidden = state(FeedsMode::Hidden);
    assert_eq!(lines(&hidden), own(&[("Gamma", None)]), "only the failing feed, as before");
}

#[test]
fn space_on_the_header_folds_the_section_and_moving_onto_a_feed_shows_it() {
    let mut s = state(FeedsMode::Flat);
    s.focus = Focus::Sidebar;
    s.sidebar_cursor.sel = 2;
    assert!(update(&mut s, key('j')).is_empty(), "the header shows no view of its own");
    assert_eq!(s.view, View::All);
    assert!(update(&mut s, key(' ')).is_empty());
    assert!(s.feeds_collapsed);
    assert_eq!(s.sidebar.len(), 4, "folded to its header");
    assert_eq!(s.sidebar[3].kind, EntryKind::Section { collapsed: true });
    update(&mut s, key(' '));
    assert_eq!(s.sidebar.len(), 7);
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadView(View::Feed("a".into()))]);
    // `A` marks the feed's items read: the view shown is the feed's.
    assert_eq!(update(&mut s, key('A')), vec![Effect::MarkViewRead(View::Feed("a".into()))]);
}

#[test]
fn u_fetches_the_selected_feed_and_e_says_its_error() {
    let mut s = state(FeedsMode::Flat);
    assert!(update(&mut s, key('U')).is_empty(), "no feed selected or shown");
    assert!(s.status.as_deref().unwrap_or_default().contains("select a feed"));
    s.focus = Focus::Sidebar;
    s.sidebar_cursor.sel = 6; // Gamma
    assert_eq!(update(&mut s, key('U')), vec![Effect::RefreshFeed("c".into())]);
    assert_eq!(s.status.as_deref(), Some("fetching Gamma"));
    update(&mut s, key('E'));
    assert_eq!(s.status.as_deref(), Some("Gamma: timed out"));
    s.sidebar_cursor.sel = 4; // Alpha
    update(&mut s, key('E'));
    assert_eq!(s.status.as_deref(), Some("Alpha: no error, its last fetch went well"));
    // The poller's `Fetching` marks a feed until its result comes.
    update(&mut s, Msg::Poll(PollEvent::Fetching { url: "a".into() }));
    assert!(s.fetching.contains("a"));
    update(&mut s, Msg::Poll(PollEvent::NotModified { url: "a".into() }));
    assert!(s.fetching.is_empty());
}

#[test]
fn o_cycles_the_order_reads_the_view_again_and_drops_rows_read_in_another() {
    use crate::config::SortOrder;
    let mut s = state(FeedsMode::Flat);
    assert_eq!(update(&mut s, key('O')), vec![Effect::LoadView(View::All)]);
    assert_eq!(s.sort, SortOrder::Feed);
    assert_eq!(s.status.as_deref(), Some("sorted by feed"));
    assert_eq!(crate::ui::list::title(&View::All, &s), " Items (All) · by feed ");
    // Rows read in the old order are not shown.
    let row = crate::model::ItemRow { id: "x".into(), title: "X".into(), ..Default::default() };
    update(&mut s, Msg::whole_view(View::All, vec![row.clone()]));
    assert!(s.items.is_empty(), "read by date: dropped");
    let window = crate::store::Window { rows: vec![row], at_top: true, at_bottom: true, sort: SortOrder::Feed };
    update(&mut s, Msg::WindowLoaded { view: View::All, req: crate::app::msg::WindowReq::Top, window, target: None });
    assert_eq!(s.items.len(), 1);
    for want in [SortOrder::Title, SortOrder::UnreadFirst, SortOrder::Date] {
        update(&mut s, key('O'));
        assert_eq!(s.sort, want);
    }
    assert_eq!(crate::ui::list::title(&View::All, &s), " Items (All) ");
}

#[test]
fn new_counts_keep_a_group_line_or_the_header_highlighted() {
    let mut s = state(FeedsMode::Grouped);
    s.focus = Focus::Sidebar;
    let group = s.sidebar.iter().position(|e| e.kind == EntryKind::Group).unwrap();
    s.sidebar_cursor.sel = group - 1; // the header
    update(&mut s, key('j'));
    assert_eq!(s.view, View::Tag("tech".into()));
    let counts = s.counts.clone();
    update(&mut s, Msg::CountsLoaded(counts.clone()));
    assert_eq!(s.sidebar_cursor.sel, group, "not the #tech line above");
    update(&mut s, key('k'));
    update(&mut s, Msg::CountsLoaded(counts));
    assert_eq!(s.sidebar_cursor.sel, group - 1, "the header stays highlighted");
}
