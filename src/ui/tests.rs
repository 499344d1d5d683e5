//! Screen tests: each layout drawn into a `TestBackend` at a fixed size and
//! clock, snapshotted, plus cell checks for what style carries.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use crate::app::msg::Msg;
use crate::app::state::{Focus, State};
use crate::app::update;
use crate::config::Config;
use crate::model::{Article, Counts, FeedFailure, ItemRow, TagCount, View};
use crate::ui::theme::Theme;

const NOW: i64 = 1_718_744_700; // 2024-06-18 21:05 UTC

fn row(id: &str, title: &str, feed: &str, ago: i64, read: bool, saved: bool) -> ItemRow {
    ItemRow {
        id: id.into(),
        title: title.into(),
        feed: feed.into(),
        date: Some(NOW - ago),
        read,
        saved,
        link: None,
        key: Default::default(),
        ..Default::default()
    }
}

fn feed_count(url: &str, title: &str, unread: u64, tag: Option<&str>) -> crate::model::FeedCount {
    crate::model::FeedCount {
        url: url.into(),
        title: title.into(),
        total: unread * 2,
        unread,
        tag: tag.map(Into::into),
    }
}

fn state(width: u16, height: u16) -> State {
    let mut s = State::new(&Config::default(), NOW, 0, Theme::mono());
    update(&mut s, Msg::Resize(width, height));
    update(
        &mut s,
        Msg::CountsLoaded(Counts {
            total: 412,
            unread: 87,
            saved: 5,
            tags: vec![
                TagCount { tag: "news".into(), total: 100, unread: 61 },
                TagCount { tag: "russia".into(), total: 50, unread: 40 },
            ],
            failing: vec![FeedFailure {
                url: "https://x.example/".into(),
                title: "Feed X".into(),
                error: "timed out".into(),
            }],
            feeds: vec![
                feed_count("https://x.example/", "Feed X", 0, None),
                feed_count("https://nhk.example/", "NHK", 21, Some("news")),
                feed_count("https://mt.example/", "The Moscow Times", 40, Some("russia")),
            ],
            ..Default::default()
        }),
    );
    // The Moscow Times is being fetched: `↻`.
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Fetching { url: "https://mt.example/".into() }));
    let items = vec![
        row("1", "Putin Lands in Pyongyang", "The Moscow Times", 2 * 3600, false, false),
        row("2", "Kremlin Confirms Trip", "The Moscow Times", 5 * 3600, true, false),
        row("3", "Sanctions Monitoring Ends", "The Moscow Times", 86_400, true, true),
        row("4", "東京で会議 — wide text keeps columns aligned", "NHK", 3 * 86_400, false, false),
    ];
    update(&mut s, Msg::whole_view(View::All, items));
    let article = Article {
        id: "1".into(),
        title: "Putin Lands in Pyongyang".into(),
        feed: "The Moscow Times".into(),
        published: Some(NOW - 2 * 3600),
        author: Some("Staff".into()),
        tags: vec!["news".into(), "russia".into()],
        html: "<p>Russian President Vladimir Putin landed in <b>North Korea</b> early on Wednesday.</p><p>Second paragraph.</p>".into(),
        ..Default::default()
    };
    update(&mut s, Msg::ArticleLoaded { id: "1".into(), article: Some(Box::new(article.clone())) });
    let width = s.panes().article_width();
    let body = crate::article::render::render(&article.html, None, width);
    update(&mut s, Msg::ArticleRendered { id: "1".into(), width, full: false, body: Arc::new(body) });
    s
}

fn draw(s: &State) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| super::draw(f, s)).unwrap();
    t
}

#[test]
fn wide_layout() {
    insta::assert_snapshot!(draw(&state(140, 16)).backend());
}

#[test]
fn narrow_layout() {
    insta::assert_snapshot!(draw(&state(90, 24)).backend());
}

#[test]
fn empty_and_loading() {
    let mut s = State::new(&Config::default(), NOW, 0, Theme::mono());
    update(&mut s, Msg::Resize(100, 10));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn selection_and_unread_are_carried_by_style_without_colour() {
    let s = state(140, 16);
    let t = draw(&s);
    let buf = t.backend().buffer();
    let list = s.panes().list;
    // Row 0 (selected, unread): reversed and bold.
    let cell = &buf[(list.x + 3, list.y + 1)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert!(cell.modifier.contains(Modifier::BOLD));
    // Row 1 (read, not selected): neither.
    let cell = &buf[(list.x + 3, list.y + 2)];
    assert!(!cell.modifier.contains(Modifier::REVERSED));
    assert!(!cell.modifier.contains(Modifier::BOLD));
    // Row 3 (unread): bold.
    assert!(buf[(list.x + 3, list.y + 4)].modifier.contains(Modifier::BOLD));
    // No colour at all with NO_COLOR.
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset));
}

#[test]
fn focused_pane_title_is_bold() {
    let mut s = state(140, 16);
    s.focus = Focus::Article;
    let t = draw(&s);
    let a = s.panes().article;
    let buf = t.backend().buffer();
    let title_cell = (a.x..a.x + a.width).map(|x| &buf[(x, a.y)]).find(|c| c.symbol() == "A").unwrap();
    assert!(title_cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn hostile_titles_cannot_reach_the_terminal() {
    let mut s = state(140, 16);
    s.items[0].title = "evil\u{1b}]0;pwned\u{7}\u{202e}txt.exe\u{200b}".into();
    let t = draw(&s);
    let text: String = t.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(!text.chars().any(crate::article::sanitize::is_unsafe));
    assert!(text.contains("eviltxt.exe"), "the whole OSC goes");
}

#[test]
fn an_open_prompt_replaces_the_status_line_and_shows_its_error() {
    use crate::app::state::{Mode, Prompt, PromptKind};
    let mut s = state(100, 12);
    let mut prompt = Prompt::new(PromptKind::Filter, "tag:news -sport");
    prompt.error = Some("at 5: expected a tag name".into());
    s.mode = Mode::Prompt(prompt);
    let t = draw(&s);
    let buf = t.backend().buffer();
    let row = |y: u16| (0..100).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>();
    assert!(row(11).starts_with(" FILTER  /tag:news -sport"), "{:?}", row(11));
    assert!(row(10).starts_with("at 5: expected a tag name"), "{:?}", row(10));
    // The panes end above the error: their bottom borders stay whole.
    assert!(row(9).starts_with('╰') && row(9).trim_end().ends_with('╯'), "{:?}", row(9));
}

#[test]
fn a_long_full_text_article_shows_its_notice_and_position() {
    let mut s = state(100, 20);
    let html: String = (1..=40).map(|i| format!("<p>Line {i} with a <a href=\"/l/{i}\">link</a>.</p>")).collect();
    let view = s.article.as_mut().unwrap();
    view.article.full_html = Some(html.clone());
    view.article.link = Some("https://mt.example/news/1".into());
    view.show_full = true;
    let width = s.panes().article_width();
    let body = crate::article::render::render(&html, Some("https://mt.example/news/1"), width);
    assert_eq!(body.links[0], "https://mt.example/l/1");
    update(&mut s, Msg::ArticleRendered { id: "1".into(), width, full: true, body: Arc::new(body) });
    s.focus = Focus::Article;
    for _ in 0..5 {
        update(&mut s, Msg::Action(crate::app::action::Action::Down));
    }
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn the_list_title_shows_the_active_query_and_its_matches() {
    let mut s = state(140, 16);
    let q = View::Query("putin -sport".into());
    update(&mut s, Msg::Key(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('/'))));
    s.view = q.clone();
    s.loaded = false;
    update(&mut s, Msg::whole_view(q, vec![row("1", "Putin Lands in Pyongyang", "MT", 60, false, false)]));
    let t = draw(&s);
    let buf = t.backend().buffer();
    let list = s.panes().list;
    let title: String = (list.x..list.x + list.width).map(|x| buf[(x, list.y)].symbol().to_string()).collect();
    assert!(title.contains(" Items (putin -sport) · 1 "), "{title:?}");
    // With nothing matching, the list says so.
    let view = s.view.clone();
    s.loaded = false;
    update(&mut s, Msg::whole_view(view, vec![]));
    let text: String = draw(&s).backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("No items match."));
    assert!(text.contains(" FILTER  /"), "the line is open");
}

#[test]
fn the_drawn_article_header_is_as_tall_as_the_layout_model_says() {
    let s = state(140, 40);
    let long = "A headline long enough to wrap over more than three lines of the narrow text column ".repeat(2);
    for (title, tags, full) in [("Short", false, false), (long.as_str(), true, false), ("Mid title", true, true)] {
        let article = Article {
            title: title.into(),
            tags: if tags { vec!["news".into()] } else { vec![] },
            ..Default::default()
        };
        let view = crate::app::state::ArticleView::new(article, full);
        for width in [20, 40, 90] {
            let drawn = crate::ui::article::header_lines(&s, &view, width).len();
            assert_eq!(drawn, crate::layout::article_header_rows(&view.article, full, width), "{title:?} at {width}");
        }
    }
}

#[test]
fn the_sync_shows_its_progress_and_failure_on_the_status_line_and_in_an_empty_list() {
    use crate::app::state::SyncView;
    let text = |t: &Terminal<TestBackend>| {
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut s = State::new(&Config::default(), NOW, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 10));
    s.sync = Some(SyncView { running: true, progress: Some((1200, Some(50_000))), error: None });
    update(&mut s, Msg::whole_view(View::All, vec![]));
    let screen = text(&draw(&s));
    assert!(screen.contains("syncing 1200/50000"), "{screen}");
    assert!(screen.contains("No items yet — syncing with the server…"), "{screen}");
    s.sync = Some(SyncView { running: false, progress: None, error: Some("connection\u{1b}[31m refused".into()) });
    let screen = text(&draw(&s));
    assert!(screen.contains("sync failing: connection refused"), "{screen}");
    assert!(screen.contains("the sync failed (connection refused)"), "{screen}");
}

// — #10 keys —
/// The text of a pane's rows, inside its border.
fn pane_text(t: &Terminal<TestBackend>, area: ratatui::layout::Rect) -> Vec<String> {
    let buf = t.backend().buffer();
    (area.y + 1..area.bottom() - 1)
        .map(|y| {
            (area.x + 1..area.right() - 1).map(|x| buf[(x, y)].symbol()).collect::<String>().trim_end().to_string()
        })
        .collect()
}

#[test]
fn while_the_article_is_read_its_row_stands_in() {
    let mut s = state(140, 16);
    let key = ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('j'),
        ratatui::crossterm::event::KeyModifiers::NONE,
    );
    update(&mut s, Msg::Key(key));
    let rows = pane_text(&draw(&s), s.panes().article);
    assert_eq!(rows[0].trim(), "Kremlin Confirms Trip");
    let when = crate::ui::text::date(NOW - 5 * 3600, 0, &s.date_format);
    assert_eq!(rows[1].trim(), format!("The Moscow Times · {when}"));
    assert_eq!(rows[2].trim(), "");
    assert_eq!(rows[3].trim(), "…", "the body follows");
    assert!(rows[4..].iter().all(|r| r.trim().is_empty()), "{rows:?}");
}

#[test]
fn frames_drawn_with_a_cache_are_the_frames_drawn_without() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let press = |s: &mut State, code: KeyCode| {
        update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    };
    let mut s = state(140, 16);
    let mut cache = super::Cache::default();
    let mut t = Terminal::new(TestBackend::new(140, 16)).unwrap();
    let mut check = |s: &State, what: &str| {
        if (t.backend().buffer().area.width, t.backend().buffer().area.height) != s.size {
            t.backend_mut().resize(s.size.0, s.size.1);
        }
        t.draw(|f| super::draw_with(f, s, &mut cache)).unwrap();
        assert_eq!(t.backend().buffer(), draw(s).backend().buffer(), "after {what}");
    };
    check(&s, "the first frame");
    for (code, what) in [
        (KeyCode::Char('j'), "j"),
        (KeyCode::Char('j'), "j again"),
        (KeyCode::Char('k'), "k"),
        (KeyCode::Char('r'), "r (read)"),
        (KeyCode::Char('s'), "s (saved)"),
        (KeyCode::Tab, "Tab (the sidebar's focus)"),
        (KeyCode::Char('j'), "j in the sidebar"),
        (KeyCode::Tab, "Tab (the list's focus)"),
        (KeyCode::Char('G'), "G"),
    ] {
        press(&mut s, code);
        check(&s, what);
    }
    // New counts, a feed being fetched, another clock, another size, a search.
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Fetching { url: "https://nhk.example/".into() }));
    check(&s, "a fetch");
    update(&mut s, Msg::Tick(NOW + 7200));
    check(&s, "two hours later");
    update(&mut s, Msg::Resize(120, 20));
    check(&s, "a resize");
    s.shown = View::Query("kremlin".into());
    check(&s, "a search");
    s.items[1].title = "Kremlin Confirms the Trip".into();
    check(&s, "a changed title");
}
