//! Pure `update` tests: messages in, state and effects out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::msg::WindowReq;
use crate::app::state::Progress;
use crate::config::Config;
use crate::feed::PollEvent;
use crate::model::{Article, Counts, FeedCount, FeedFailure, FetchedFeed, ItemRow, RowKey, TagCount};
use crate::ui::theme::Theme;

/// A list row "Title {id}" with a link; shared with the triage tests.
pub(super) fn row(id: &str, read: bool) -> ItemRow {
    ItemRow {
        id: id.into(),
        title: format!("Title {id}"),
        feed: "Feed".into(),
        date: Some(0),
        read,
        saved: false,
        link: Some(format!("https://x.example/{id}")),
        key: Default::default(),
        ..Default::default()
    }
}

fn state() -> State {
    let mut s = State::new(&Config::default(), 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    s
}

fn loaded(ids: &[&str]) -> State {
    let mut s = state();
    let items = ids.iter().map(|id| row(id, false)).collect();
    let fx = update(&mut s, Msg::whole_view(View::All, items));
    assert_eq!(fx, vec![Effect::LoadArticle(ids[0].into())]);
    s
}

fn article(id: &str) -> Msg {
    Msg::ArticleLoaded {
        id: id.into(),
        article: Some(Box::new(Article {
            id: id.into(),
            title: id.into(),
            html: "<p>x</p>".into(),
            ..Default::default()
        })),
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn j_and_k_move_the_selection_and_load_the_article() {
    let mut s = loaded(&["a", "b", "c"]);
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadArticle("b".into())]);
    assert_eq!(s.list.sel, 1);
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    assert_eq!(s.list.sel, 2, "stops at the last item");
    update(&mut s, key('k'));
    assert_eq!(s.list.sel, 1);
    update(&mut s, key('G'));
    assert_eq!(s.list.sel, 2);
    update(&mut s, key('g'));
    assert_eq!(s.list.sel, 0);
}

#[test]
fn the_article_arrives_then_is_rendered_at_the_pane_width() {
    let mut s = loaded(&["a"]);
    let fx = update(&mut s, article("a"));
    let width = s.panes().article_width();
    assert_eq!(
        fx,
        vec![Effect::RenderArticle { id: "a".into(), html: "<p>x</p>".into(), base: None, width, full: false }]
    );
    // A late answer for an item no longer selected is ignored.
    let mut s = loaded(&["a", "b"]);
    update(&mut s, key('j'));
    assert!(update(&mut s, article("a")).is_empty());
    assert!(s.article.as_ref().is_some_and(|v| v.loading && v.article.id == "b"), "b's row stands in");
}

// — #10 keys —
#[test]
fn while_the_article_is_read_the_row_stands_in_for_it() {
    let mut s = loaded(&["a", "b"]);
    s.items[1].feed = "Harbour Gazette".into();
    s.items[1].date = Some(1_700_000_000);
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadArticle("b".into())]);
    let view = s.article.clone().expect("a stand-in");
    assert!(view.loading && view.body.is_none());
    assert_eq!(
        (view.article.id.as_str(), view.article.title.as_str(), view.article.feed.as_str(), view.article.published),
        ("b", "Title b", "Harbour Gazette", Some(1_700_000_000))
    );
    // A resize renders nothing for it: it has no text yet.
    assert!(update(&mut s, Msg::Resize(150, 40)).is_empty());
    // `f` meanwhile is remembered: the article opens on its full text.
    let fx = update(&mut s, key('f'));
    assert!(matches!(&fx[..], [Effect::FetchFullText { id, .. }] if id == "b"), "{fx:?}");
    let fx = update(&mut s, article("b"));
    let view = s.article.as_ref().unwrap();
    assert!(!view.loading && view.show_full && view.fetching);
    assert_eq!(view.article.html, "<p>x</p>");
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchFullText { .. })), "not fetched twice: {fx:?}");
    // Answered by the article thread: handled as the article it carries.
    let mut s = loaded(&["a", "b"]);
    update(&mut s, key('j'));
    let Msg::ArticleLoaded { id, article } = article("b") else { unreachable!() };
    update(&mut s, Msg::ArticleRead { id, article, body: None });
    assert!(s.article.as_ref().is_some_and(|v| !v.loading && v.article.html == "<p>x</p>"));
}

#[test]
fn enter_marks_read_and_focuses_the_article() {
    let mut s = loaded(&["a", "b"]);
    update(&mut s, article("a"));
    let fx = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(fx, vec![Effect::SetRead { ids: vec!["a".into()], read: true }]);
    assert!(s.items[0].read);
    assert_eq!(s.focus, Focus::Article);
    // Opening it again writes nothing.
    assert!(update(&mut s, Msg::Action(Action::Open)).is_empty());
}

#[test]
fn mark_read_on_open_can_be_turned_off() {
    let mut s = loaded(&["a"]);
    s.mark_read_on_open = false;
    update(&mut s, article("a"));
    assert!(update(&mut s, Msg::Action(Action::Open)).is_empty());
    assert!(!s.items[0].read);
}

#[test]
fn tab_cycles_focus_and_h_l_move_it() {
    let mut s = loaded(&["a"]);
    update(&mut s, article("a"));
    assert_eq!(s.focus, Focus::List);
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    assert_eq!(s.focus, Focus::Article);
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    assert_eq!(s.focus, Focus::Sidebar);
    update(&mut s, key('l'));
    assert_eq!(s.focus, Focus::List);
    update(&mut s, key('h'));
    assert_eq!(s.focus, Focus::Sidebar);
    update(&mut s, key('b'));
    assert!(!s.sidebar_visible);
    assert_eq!(s.focus, Focus::List, "hiding the sidebar takes focus out of it");
}

#[test]
fn j_in_the_article_scrolls_within_bounds() {
    let mut s = loaded(&["a"]);
    update(&mut s, article("a"));
    let lines: Vec<_> = (0..100).map(|i| ratatui::text::Line::raw(format!("line {i}"))).collect();
    let width = s.panes().article_width();
    let body = std::sync::Arc::new(crate::article::render::Body { lines, links: vec![], images: vec![] });
    update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    s.focus = Focus::Article;
    update(&mut s, key('j'));
    assert_eq!(s.article.as_ref().unwrap().scroll, 1);
    update(&mut s, key('G'));
    let max = s.article.as_ref().unwrap().scroll;
    assert!(max > 50 && max < 100, "{max}");
    update(&mut s, key('j'));
    assert_eq!(s.article.as_ref().unwrap().scroll, max, "no scrolling past the end");
    update(&mut s, key('g'));
    assert_eq!(s.article.as_ref().unwrap().scroll, 0);
}

#[test]
fn sidebar_selection_switches_the_view() {
    let mut s = loaded(&["a"]);
    let counts = Counts {
        total: 3,
        unread: 2,
        saved: 1,
        tags: vec![TagCount { tag: "news".into(), total: 3, unread: 2 }],
        failing: vec![FeedFailure { url: "u".into(), title: "Bad".into(), error: "timed out".into() }],
        feeds: vec![FeedCount { url: "u".into(), title: "Bad".into(), total: 0, unread: 0, tag: None }],
        ..Default::default()
    };
    update(&mut s, Msg::CountsLoaded(counts));
    let labels: Vec<_> = s.sidebar.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["All", "Unread", "Reading list", "#news", "Feeds", "Bad"]);
    assert_eq!(s.sidebar[2].count, Some(1));
    s.focus = Focus::Sidebar;
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadView(View::Unread)]);
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadView(View::Saved)]);
    assert_eq!(update(&mut s, key('j')), vec![Effect::LoadView(View::Tag("news".into()))]);
    // A late answer for the view we left is dropped.
    assert!(update(&mut s, Msg::whole_view(View::Unread, vec![row("z", false)])).is_empty());
    assert_eq!(s.items[0].id, "a");
    update(&mut s, Msg::whole_view(View::Tag("news".into()), vec![row("n", false)]));
    assert_eq!(s.items[0].id, "n");
    update(&mut s, Msg::Action(Action::Open));
    assert_eq!(s.focus, Focus::List);
}

#[test]
fn poll_events_store_and_count_progress() {
    let mut s = loaded(&["a"]);
    update(&mut s, Msg::Poll(PollEvent::Started { feeds: 2 }));
    assert_eq!(s.progress.total, 2);
    let feed = Box::new(FetchedFeed { url: "u1".into(), ..Default::default() });
    assert_eq!(update(&mut s, Msg::Poll(PollEvent::Fetched(feed.clone()))), vec![Effect::StoreFetched(feed)]);
    assert_eq!(s.progress.done, 1);
    let fx = update(&mut s, Msg::Poll(PollEvent::Failed { url: "u2".into(), error: "timed out".into() }));
    assert_eq!(fx, vec![Effect::RecordFailure { url: "u2".into(), error: "timed out".into() }, Effect::LoadCounts]);
    assert_eq!(s.progress, Progress::default(), "all done: idle again");
    assert_eq!(s.status.as_deref(), Some("fetched 2 feeds, 1 failed"));
    assert_eq!(
        update(&mut s, Msg::Stored { url: "u1".into(), new: 3 }),
        vec![Effect::LoadView(View::All), Effect::LoadCounts]
    );
}

/// Rows with keys in list order (newest first), as the store reads them.
fn keyed(ids: &[&str]) -> Vec<ItemRow> {
    let n = ids.len() as i64;
    ids.iter()
        .enumerate()
        .map(|(i, id)| ItemRow { key: RowKey { date: 100 + n - i as i64, seq: 1, rank: 0 }, ..row(id, false) })
        .collect()
}

fn window(rows: Vec<ItemRow>, at_top: bool, at_bottom: bool) -> crate::store::Window {
    crate::store::Window { rows, at_top, at_bottom, sort: Default::default() }
}

#[test]
fn reloads_keep_the_selected_item_once_the_user_moved() {
    let mut s = state();
    update(&mut s, Msg::whole_view(View::All, keyed(&["a", "b"])));
    update(&mut s, key('j'));
    update(&mut s, article("b"));
    assert_eq!(s.selected_item().unwrap().id, "b");
    // Another process wrote: the rows around "b" are read again.
    let key_b = s.items[1].key;
    let fx = update(&mut s, Msg::DataChanged);
    assert_eq!(fx, vec![Effect::LoadWindow { view: View::All, req: WindowReq::Refresh(key_b) }, Effect::LoadCounts]);
    // New items arrived on top: the selection follows "b".
    let mut rows = keyed(&["new", "a"]);
    rows.push(s.items[1].clone());
    let answer = Msg::WindowLoaded {
        view: View::All,
        req: WindowReq::Refresh(key_b),
        window: window(rows, true, true),
        target: None,
    };
    assert!(update(&mut s, answer).is_empty());
    assert_eq!(s.list.sel, 2);
    // "b" left the view elsewhere (read in another reader, say): while it is
    // selected it stays on screen.
    let fx = update(&mut s, Msg::DataChanged);
    let answer = Msg::WindowLoaded {
        view: View::All,
        req: WindowReq::Refresh(key_b),
        window: window(keyed(&["new", "a"]), true, true),
        target: None,
    };
    assert_eq!(fx[0], Effect::LoadWindow { view: View::All, req: WindowReq::Refresh(key_b) });
    assert!(update(&mut s, answer).is_empty());
    assert_eq!(s.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["new", "a", "b"]);
    assert_eq!(s.selected_item().unwrap().id, "b");
}

#[test]
fn reloads_stay_on_the_newest_until_the_user_moves() {
    let mut s = loaded(&["a", "b"]);
    assert_eq!(update(&mut s, Msg::DataChanged), vec![Effect::LoadView(View::All), Effect::LoadCounts]);
    let items = vec![row("new", false), row("a", false), row("b", false)];
    assert_eq!(update(&mut s, Msg::whole_view(View::All, items)), vec![Effect::LoadArticle("new".into())]);
    assert_eq!(s.list.sel, 0);
}

#[test]
fn refresh_and_quit() {
    let mut s = loaded(&["a"]);
    assert_eq!(update(&mut s, key('R')), vec![Effect::Refresh]);
    assert!(!s.quit);
    update(&mut s, key('q'));
    assert!(s.quit);
}

#[test]
fn unbound_keys_do_nothing() {
    let mut s = loaded(&["a"]);
    let before = s.clone();
    assert!(update(&mut s, key('Z')).is_empty());
    assert_eq!(s.list, before.list);
    assert_eq!(s.focus, before.focus);
}

#[test]
fn resize_rerenders_the_article_for_the_new_width() {
    let mut s = loaded(&["a"]);
    update(&mut s, article("a"));
    let w = s.panes().article_width();
    update(&mut s, Msg::ArticleRendered { id: "a".into(), width: w, full: false, body: Default::default() });
    assert!(update(&mut s, Msg::Resize(140, 40)).is_empty(), "same width: nothing to do");
    let fx = update(&mut s, Msg::Resize(90, 30));
    assert!(matches!(&fx[..], [Effect::RenderArticle { width, .. }] if *width != w), "{fx:?}");
}

#[test]
fn page_down_moves_a_screenful() {
    let ids: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut s = loaded(&refs);
    update(&mut s, Msg::Action(Action::PageDown));
    let rows = s.panes().list_rows();
    assert_eq!(s.list.sel, rows - 1);
    assert_eq!(s.list.offset, 0);
    update(&mut s, Msg::Action(Action::PageDown));
    assert_eq!(s.list.sel, 2 * (rows - 1));
    assert_eq!(s.list.offset, s.list.sel + 1 - rows, "the selection stays on screen");
    update(&mut s, Msg::Action(Action::PageUp));
    assert_eq!(s.list.sel, rows - 1);
}

#[test]
fn o_opens_and_y_copies_the_selected_link() {
    let mut s = loaded(&["a", "b"]);
    // `[ui] mark_read_on_open` (on by default) marks it read too.
    assert_eq!(
        update(&mut s, key('o')),
        vec![Effect::OpenUrl("https://x.example/a".into()), Effect::SetRead { ids: vec!["a".into()], read: true }]
    );
    update(&mut s, key('j'));
    assert_eq!(update(&mut s, key('y')), vec![Effect::Copy("https://x.example/b".into())]);
    s.items[1].link = None;
    assert!(update(&mut s, key('o')).is_empty());
    assert_eq!(s.status.as_deref(), Some("this item has no link"));
    for hostile in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"] {
        s.items[1].link = Some(hostile.into());
        assert!(update(&mut s, key('o')).is_empty(), "{hostile}");
        assert!(update(&mut s, key('y')).is_empty(), "{hostile}");
    }
}

#[test]
fn e_plays_the_shown_items_first_audio_or_video_enclosure() {
    use crate::model::Enclosure;
    let mut s = loaded(&["a", "b"]);
    update(&mut s, article("a"));
    assert!(update(&mut s, key('e')).is_empty());
    assert_eq!(s.status.as_deref(), Some("this item has no enclosure to play"));
    let enclosures = vec![
        Enclosure { url: "https://p.example/a.pdf".into(), mime: Some("application/pdf".into()), ..Default::default() },
        Enclosure {
            url: "https://p.example/a.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(45_000_000),
            duration: Some(3733),
        },
    ];
    let podcast = Article { id: "a".into(), title: "a".into(), enclosures, ..Default::default() };
    update(&mut s, Msg::ArticleLoaded { id: "a".into(), article: Some(Box::new(podcast)) });
    assert_eq!(update(&mut s, key('e')), vec![Effect::Play("https://p.example/a.mp3".into())]);
    assert_eq!(s.status.as_deref(), Some("playing audio/mpeg · 45 MB · 1:02:13"));
    // Once another item is selected, its own (missing) enclosures count, not the last article's.
    update(&mut s, key('j'));
    assert!(update(&mut s, key('e')).is_empty());
}

#[test]
fn a_failing_feed_in_the_sidebar_says_why() {
    let mut s = loaded(&["a"]);
    let error = "429 rate limited, retry at 14:05";
    let counts = Counts {
        failing: vec![FeedFailure { url: "u".into(), title: "Bad".into(), error: error.into() }],
        feeds: vec![FeedCount { url: "u".into(), title: "Bad".into(), total: 0, unread: 0, tag: None }],
        ..Default::default()
    };
    update(&mut s, Msg::CountsLoaded(counts));
    s.focus = Focus::Sidebar;
    update(&mut s, key('G'));
    assert_eq!(s.view, View::Feed("u".into()));
    assert_eq!(s.status.as_deref(), Some("Bad: 429 rate limited, retry at 14:05"));
}

#[test]
fn schedule_events_are_persisted_without_counting_as_results() {
    let mut s = loaded(&["a"]);
    update(&mut s, Msg::Poll(PollEvent::Started { feeds: 1 }));
    let info =
        crate::model::PollInfo { status: Some(429), retry_at: Some(5), next_poll: Some(5), ..Default::default() };
    let fx = update(&mut s, Msg::Poll(PollEvent::Scheduled { url: "u".into(), info: info.clone() }));
    assert_eq!(fx, vec![Effect::RecordSchedule { url: "u".into(), info }]);
    assert_eq!(s.progress.done, 0);
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn ctrl_c_quits_from_a_prompt_and_from_the_help() {
    let mut s = loaded(&["a"]);
    update(&mut s, key('/'));
    assert!(matches!(s.mode, Mode::Prompt(_)));
    update(&mut s, ctrl('c'));
    assert!(s.quit, "Ctrl-c quits from the filter line");
    let mut s = loaded(&["a"]);
    update(&mut s, key('?'));
    assert!(s.help.is_some());
    update(&mut s, ctrl('c'));
    assert!(s.quit, "Ctrl-c quits from the help");
}

#[test]
fn ctrl_l_asks_for_a_cleared_screen() {
    let mut s = loaded(&["a"]);
    s.dirty = false;
    assert_eq!(update(&mut s, ctrl('l')), vec![]);
    assert!(s.clear && s.dirty);
}

#[test]
fn when_every_feed_fails_the_empty_list_says_so_with_the_first_reason() {
    let mut s = state();
    s.feed_count = 2;
    update(&mut s, Msg::whole_view(View::All, vec![]));
    update(&mut s, Msg::Poll(PollEvent::Started { feeds: 2 }));
    assert_eq!(crate::ui::list::empty_message(&s), ["No items yet — fetching feeds…"]);
    for url in ["https://a.example/rss", "https://b.example/rss"] {
        update(&mut s, Msg::Poll(PollEvent::Failed { url: url.into(), error: "connection refused".into() }));
    }
    assert_eq!(s.status.as_deref(), Some("every feed failed (2): connection refused · see the sidebar's ⚠ entries"));
    let msg = crate::ui::list::empty_message(&s);
    assert_eq!(msg[0], "Every feed failed to fetch (2). R tries again.");
    assert_eq!(msg[1], "First: https://a.example/rss — connection refused");
}

#[test]
fn a_config_without_feeds_says_how_to_add_one() {
    let mut s = state();
    assert_eq!(s.feed_count, 0, "Config::default() has no feeds");
    update(&mut s, Msg::whole_view(View::All, vec![]));
    let msg = crate::ui::list::empty_message(&s).join(" ");
    assert!(msg.starts_with("No feeds yet.") && msg.contains("tidings feeds add URL"), "{msg}");
}

#[test]
fn sidebar_counts_are_unread_everywhere_with_all_also_showing_the_total() {
    let counts = Counts {
        total: 35,
        unread: 12,
        saved: 2,
        tags: vec![TagCount { tag: "space".into(), unread: 11, total: 20 }],
        ..Default::default()
    };
    let entries = sidebar_entries(&counts);
    let shown: Vec<(String, Option<u64>, Option<u64>)> =
        entries.iter().map(|e| (e.label.clone(), e.count, e.total)).collect();
    assert_eq!(shown[0], ("All".to_string(), Some(12), Some(35)), "All: 12/35");
    assert_eq!(shown[1], ("Unread".to_string(), Some(12), None));
    assert_eq!(shown[3], ("#space".to_string(), Some(11), None), "tags count unread, like All's first number");
}

// — #15 stories —
#[test]
fn n_stops_on_a_story_whose_first_item_is_read_but_others_are_not() {
    use crate::model::Fold;
    let mut s = state();
    let folded = |unread| Fold::Folded { story: "s1".into(), others: vec!["Beta".into()], unread };
    let rows = vec![row("x", true), ItemRow { fold: folded(1), ..row("a", true) }, row("d", false)];
    update(&mut s, Msg::whole_view(View::All, rows));
    update(&mut s, key('n'));
    assert_eq!(s.list.sel, 1, "the story with an unread item, not the next unread row");
    s.items[1].fold = folded(0);
    s.list.sel = 0;
    update(&mut s, key('n'));
    assert_eq!(s.list.sel, 2, "a story read through is passed over");
}

#[test]
fn a_folded_story_unfolds_folds_and_is_marked_read_as_one_change() {
    use crate::model::Fold;
    use crate::store::{Bulk, BulkVerb};
    let mut s = state();
    let folded = Fold::Folded { story: "s1".into(), others: vec!["Beta".into(), "Gamma".into()], unread: 2 };
    let lead = ItemRow { fold: folded, ..row("a", false) };
    update(&mut s, Msg::whole_view(View::All, vec![lead, row("d", false)]));
    let arrow = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    // → unfolds (the window is read again, with the story unfolded).
    let fx = update(&mut s, arrow(KeyCode::Right));
    assert_eq!(s.folding.unfolded, ["s1"]);
    assert!(matches!(fx.as_slice(), [Effect::LoadWindow { .. }] | [Effect::LoadView(_)]), "{fx:?}");
    assert_eq!(s.focus, Focus::List);
    // r on the folded row: every item of the story, one bulk change.
    s.folding.unfolded.clear();
    let fx = update(&mut s, key('r'));
    assert_eq!(fx, [Effect::Bulk(Bulk { verb: BulkVerb::Read, query: "story:s1".into() })]);
    assert!(s.items[0].read);
    assert_eq!(
        s.items[0].fold,
        Fold::Folded { story: "s1".into(), others: vec!["Beta".into(), "Gamma".into()], unread: 0 }
    );
    // Again: all read, so all unread.
    let fx = update(&mut s, key('r'));
    assert_eq!(fx, [Effect::Bulk(Bulk { verb: BulkVerb::Unread, query: "story:s1".into() })]);
    // ← on a member folds the story, selecting its lead.
    let members = vec![
        ItemRow { fold: Fold::Unfolded { story: "s1".into() }, ..row("a", false) },
        ItemRow { fold: Fold::Member { story: "s1".into() }, ..row("b", false) },
        row("d", false),
    ];
    let mut s = state();
    s.folding.unfolded = vec!["s1".into()];
    update(&mut s, Msg::whole_view(View::All, members));
    update(&mut s, key('j'));
    assert_eq!(s.list.sel, 1);
    update(&mut s, arrow(KeyCode::Left));
    assert!(s.folding.unfolded.is_empty());
    assert_eq!(s.list.sel, 0);
    assert_eq!(s.focus, Focus::List);
}
