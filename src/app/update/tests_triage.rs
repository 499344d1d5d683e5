//! Pure `update` tests for triage, the journal keys, tags, help and the mouse.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::text::Line;

use super::*;
use crate::app::state::{Mode, PromptKind};
use crate::config::Config;
use crate::model::{Article, ItemRow};
use crate::ui::theme::Theme;

use super::tests::row;

fn state_with(cfg: &Config, rows: Vec<ItemRow>) -> State {
    let mut s = State::new(cfg, 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    update(&mut s, Msg::CountsLoaded(Counts { total: 3, unread: 2, ..Default::default() }));
    update(&mut s, Msg::whole_view(View::All, rows));
    s
}

/// Rows "a", "b", "c", … (read where `read` says so), the first one's article shown.
fn loaded(spec: &[(&str, bool)]) -> State {
    let mut s = state_with(&Config::default(), spec.iter().map(|(id, read)| row(id, *read)).collect());
    update(&mut s, article(spec[0].0));
    s
}

fn article(id: &str) -> Msg {
    Msg::ArticleLoaded {
        id: id.into(),
        article: Some(Box::new(Article {
            id: id.into(),
            title: id.into(),
            html: format!("<p>{id}</p>"),
            ..Default::default()
        })),
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE })
}

/// The writer's answer that `write` is stored.
fn written(write: Effect) -> Msg {
    Msg::Written { write: Box::new(write), result: Ok(None) }
}

fn read_flags(s: &State) -> Vec<bool> {
    s.items.iter().map(|r| r.read).collect()
}

#[test]
fn n_opens_the_selection_when_unread_then_each_next_unread() {
    let mut s = loaded(&[("a", false), ("b", true), ("c", false)]);
    let fx = update(&mut s, key('n'));
    assert_eq!(fx, vec![Effect::SetRead { ids: vec!["a".into()], read: true }]);
    assert_eq!((s.list.sel, s.focus), (0, Focus::Article));
    // From the article, the next unread skips "b" (read).
    let fx = update(&mut s, key('n'));
    assert_eq!(fx, vec![Effect::LoadArticle("c".into()), Effect::SetRead { ids: vec!["c".into()], read: true },]);
    assert_eq!(s.list.sel, 2);
    assert!(update(&mut s, key('n')).is_empty());
    assert_eq!(s.status.as_deref(), Some("no unread items here"));
}

#[test]
fn next_unread_wraps_to_the_top() {
    let mut s = loaded(&[("a", false), ("b", true), ("c", true)]);
    update(&mut s, key('G'));
    update(&mut s, key('n'));
    assert_eq!(s.list.sel, 0);
    assert!(s.items[0].read);
}

#[test]
fn space_pages_the_article_then_moves_to_the_next_unread() {
    let mut s = loaded(&[("a", false), ("b", false)]);
    update(&mut s, code(KeyCode::Enter));
    let width = s.panes().article_width();
    let lines: Vec<Line> = (0..80).map(|i| Line::raw(format!("line {i}"))).collect();
    update(
        &mut s,
        Msg::ArticleRendered {
            id: "a".into(),
            width,
            full: false,
            body: Arc::new(crate::article::render::Body { lines, links: vec![], images: vec![] }),
        },
    );
    let max = article_max_scroll(&s);
    assert!(max > 0);
    assert!(update(&mut s, key(' ')).is_empty());
    assert!(s.article.as_ref().unwrap().scroll > 10, "a page at a time");
    while s.article.as_ref().unwrap().scroll < max {
        update(&mut s, key(' '));
        assert_eq!(s.list.sel, 0, "still paging while there is more");
    }
    let fx = update(&mut s, key(' '));
    assert_eq!(s.list.sel, 1, "at the end, Space goes on to the next unread item");
    assert!(fx.contains(&Effect::SetRead { ids: vec!["b".into()], read: true }), "{fx:?}");
}

#[test]
fn with_nothing_unread_space_in_the_list_pages_the_article() {
    let mut s = loaded(&[("a", true), ("b", true)]);
    assert_eq!(s.focus, Focus::List);
    let width = s.panes().article_width();
    let lines: Vec<Line> = (0..80).map(|i| Line::raw(format!("line {i}"))).collect();
    let body = Arc::new(crate::article::render::Body { lines, links: vec![], images: vec![] });
    update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    update(&mut s, key(' '));
    assert!(s.article.as_ref().unwrap().scroll > 10, "Space paged the article shown beside the list");
    assert_eq!(s.focus, Focus::List);
}

#[test]
fn r_toggles_read() {
    let mut s = loaded(&[("a", false)]);
    assert_eq!(update(&mut s, key('r')), vec![Effect::SetRead { ids: vec!["a".into()], read: true }]);
    assert!(s.items[0].read);
    assert_eq!(update(&mut s, key('r')), vec![Effect::SetRead { ids: vec!["a".into()], read: false }]);
    assert!(!s.items[0].read);
    assert_eq!(s.status.as_deref(), Some("marked unread"));
}

#[test]
fn s_saves_and_unsaves() {
    let mut s = loaded(&[("a", false)]);
    let save = Effect::SetSaved { id: "a".into(), saved: true };
    assert_eq!(update(&mut s, key('s')), vec![save.clone()]);
    assert!(s.items[0].saved);
    // Once the store has it, the counts follow.
    assert_eq!(update(&mut s, written(save)), vec![Effect::LoadCounts]);
    let unsave = Effect::SetSaved { id: "a".into(), saved: false };
    assert_eq!(update(&mut s, key('s')), vec![unsave.clone()]);
    assert!(!s.items[0].saved);
    update(&mut s, written(unsave));
    // In the reading list itself, the list is reloaded once the entry has left it.
    s.view = View::Saved;
    s.items[0].saved = true;
    let fx = update(&mut s, key('s'));
    assert_eq!(fx, vec![Effect::SetSaved { id: "a".into(), saved: false }]);
    let fx = update(&mut s, written(fx[0].clone()));
    assert_eq!(fx.last(), Some(&Effect::LoadView(View::Saved)));
}

#[test]
fn rebinding_save_changes_the_key() {
    let cfg = crate::config::parse("[keys]\nsave = [\"S\"]\n", std::path::Path::new("c.toml")).unwrap();
    let mut s = state_with(&cfg, vec![row("a", false)]);
    assert!(update(&mut s, key('s')).is_empty());
    assert_eq!(update(&mut s, key('S'))[0], Effect::SetSaved { id: "a".into(), saved: true });
}

#[test]
fn d_dismisses_and_the_next_item_takes_its_place() {
    let mut s = loaded(&[("a", false), ("b", false), ("c", false)]);
    update(&mut s, key('j'));
    update(&mut s, article("b"));
    let fx = update(&mut s, key('d'));
    assert_eq!(fx, vec![Effect::Dismiss("b".into()), Effect::LoadArticle("c".into())]);
    assert_eq!(s.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
    assert_eq!(s.list.sel, 1);
    // The last one: the selection moves up.
    update(&mut s, article("c"));
    assert_eq!(update(&mut s, key('d'))[0], Effect::Dismiss("c".into()));
    assert_eq!(s.list.sel, 0);
    // Not in the reading list: there, s is how an entry leaves.
    s.view = View::Saved;
    assert!(update(&mut s, key('d')).is_empty());
    assert_eq!(s.items.len(), 1);
}

#[test]
fn a_marks_the_whole_view_read() {
    let mut s = loaded(&[("a", false), ("b", true), ("c", false)]);
    let fx = update(&mut s, key('A'));
    assert_eq!(fx, vec![Effect::MarkViewRead(View::All)]);
    assert_eq!(read_flags(&s), [true, true, true]);
    let answer = Msg::Written { write: Box::new(fx[0].clone()), result: Ok(Some(Box::new(Msg::MarkedRead(2)))) };
    assert_eq!(update(&mut s, answer), vec![Effect::LoadCounts, Effect::LoadView(View::All)]);
    assert_eq!(s.status.as_deref(), Some("marked 2 items read · u undoes"));
}

#[test]
fn u_and_ctrl_r_walk_the_journal_and_reload_what_is_shown() {
    let mut s = loaded(&[("a", true)]);
    assert_eq!(update(&mut s, key('u')), vec![Effect::Undo]);
    assert_eq!(update(&mut s, ctrl('r')), vec![Effect::Redo]);
    let fx = update(&mut s, Msg::Walked { undo: true, label: Some("mark 2 items read".into()) });
    assert_eq!(fx, vec![Effect::LoadView(View::All), Effect::LoadCounts, Effect::LoadArticle("a".into())]);
    assert_eq!(s.status.as_deref(), Some("undone: mark 2 items read"));
    assert!(update(&mut s, Msg::Walked { undo: false, label: None }).is_empty());
    assert_eq!(s.status.as_deref(), Some("nothing to redo"));
}

#[test]
fn u_at_the_session_start_says_so_and_u_again_goes_further_back() {
    let mut s = loaded(&[("a", true)]);
    assert_eq!(update(&mut s, key('u')), vec![Effect::Undo]);
    assert!(update(&mut s, Msg::UndoBoundary).is_empty());
    assert_eq!(s.status.as_deref(), Some("nothing to undo since tidings started · u again undoes older changes"));
    assert_eq!(update(&mut s, key('u')), vec![Effect::UndoOlder]);
    // Any other key in between ends the offer.
    update(&mut s, Msg::UndoBoundary);
    update(&mut s, key('j'));
    assert_eq!(update(&mut s, key('u')), vec![Effect::Undo]);
}

#[test]
fn reloading_the_open_article_keeps_its_place() {
    let mut s = loaded(&[("a", false)]);
    let width = s.panes().article_width();
    let lines: Vec<Line> = (0..80).map(|i| Line::raw(format!("line {i}"))).collect();
    update(
        &mut s,
        Msg::ArticleRendered {
            id: "a".into(),
            width,
            full: false,
            body: Arc::new(crate::article::render::Body { lines, links: vec![], images: vec![] }),
        },
    );
    s.article.as_mut().unwrap().scroll = 7;
    assert!(update(&mut s, article("a")).is_empty(), "same text: nothing to re-render");
    assert_eq!(s.article.as_ref().unwrap().scroll, 7);
}

#[test]
fn t_opens_the_tag_editor_prefilled_and_enter_writes_the_tags() {
    let mut s = loaded(&[("a", false), ("b", false)]);
    assert_eq!(update(&mut s, key('t')), vec![Effect::LoadTags("a".into())]);
    // A late answer for another item opens nothing.
    assert!(update(&mut s, Msg::TagsLoaded { id: "b".into(), tags: vec![] }).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    update(&mut s, Msg::TagsLoaded { id: "a".into(), tags: vec!["later".into()] });
    let Mode::Prompt(p) = &s.mode else { panic!("no prompt") };
    assert_eq!((p.kind.clone(), p.input.value()), (PromptKind::Tags("a".into()), "later "));
    for c in "#Work, later".chars() {
        update(&mut s, key(c));
    }
    let fx = update(&mut s, code(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::SetTags { id: "a".into(), tags: vec!["later".into(), "Work".into()] }]);
    assert_eq!(s.article.as_ref().unwrap().article.user_tags, ["later", "Work"]);
    assert_eq!(s.mode, Mode::Normal);
    // Esc leaves the tags alone.
    update(&mut s, Msg::TagsLoaded { id: "a".into(), tags: vec![] });
    update(&mut s, key('x'));
    assert!(update(&mut s, code(KeyCode::Esc)).is_empty());
}

#[test]
fn question_mark_opens_help_which_scrolls_and_closes_without_quitting() {
    let mut s = loaded(&[("a", false)]);
    update(&mut s, Msg::Resize(100, 12));
    update(&mut s, key('?'));
    assert_eq!(s.help, Some(0));
    update(&mut s, key('j'));
    assert_eq!(s.help, Some(1));
    update(&mut s, key('G'));
    assert_eq!(s.help, Some(crate::layout::help_max_scroll(s.size.0, s.size.1)));
    assert!(s.help.unwrap() > 1);
    assert!(update(&mut s, key('d')).is_empty(), "other keys do nothing while help is open");
    update(&mut s, key('q'));
    assert_eq!(s.help, None);
    assert!(!s.quit);
    update(&mut s, key('?'));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.help, None);
}

#[test]
fn a_click_selects_a_row_or_a_sidebar_entry() {
    let mut s = loaded(&[("a", false), ("b", false), ("c", false)]);
    let list = s.panes().list;
    let fx = update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), list.x + 5, list.y + 3));
    assert_eq!(fx, vec![Effect::LoadArticle("c".into())]);
    assert_eq!((s.list.sel, s.focus), (2, Focus::List));
    // Below the last row: focus only.
    assert!(update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), list.x + 5, list.y + 9)).is_empty());
    assert_eq!(s.list.sel, 2);
    let side = s.panes().sidebar.unwrap();
    let fx = update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), side.x + 2, side.y + 3));
    assert_eq!(fx, vec![Effect::LoadView(View::Saved)]);
    assert_eq!((s.focus, s.sidebar_cursor.sel), (Focus::Sidebar, 2));
    // Motion means nothing.
    let before = s.clone();
    assert!(update(&mut s, mouse(MouseEventKind::Moved, 3, 3)).is_empty());
    assert_eq!(s.list, before.list);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let ids: Vec<String> = (0..50).map(|i| format!("i{i}")).collect();
    let spec: Vec<(&str, bool)> = ids.iter().map(|i| (i.as_str(), false)).collect();
    let mut s = loaded(&spec);
    let list = s.panes().list;
    update(&mut s, mouse(MouseEventKind::ScrollDown, list.x + 2, list.y + 2));
    assert_eq!(s.list.sel, 3);
    update(&mut s, mouse(MouseEventKind::ScrollUp, list.x + 2, list.y + 2));
    assert_eq!(s.list.sel, 0);
    update(&mut s, article("i0"));
    let width = s.panes().article_width();
    let lines: Vec<Line> = (0..80).map(|i| Line::raw(format!("line {i}"))).collect();
    update(
        &mut s,
        Msg::ArticleRendered {
            id: "i0".into(),
            width,
            full: false,
            body: Arc::new(crate::article::render::Body { lines, links: vec![], images: vec![] }),
        },
    );
    let art = s.panes().article;
    update(&mut s, mouse(MouseEventKind::ScrollDown, art.x + 2, art.y + 2));
    assert_eq!(s.article.as_ref().unwrap().scroll, 3);
    assert_eq!(s.focus, Focus::List, "the wheel does not move focus");
}

#[test]
fn the_mouse_closes_help_and_leaves_prompts_alone() {
    let mut s = loaded(&[("a", false), ("b", false)]);
    update(&mut s, key('?'));
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 1, 1));
    assert_eq!(s.help, None);
    update(&mut s, Msg::TagsLoaded { id: "a".into(), tags: vec![] });
    let list = s.panes().list;
    assert!(update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), list.x + 2, list.y + 2)).is_empty());
    assert_eq!(s.list.sel, 0);
}
