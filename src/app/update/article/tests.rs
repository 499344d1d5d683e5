//! Pure update tests for the article pane: full text on and off, fetch
//! results, numbered links and the link prompt.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::msg::{Effect, Msg};
use crate::app::state::{Mode, State};
use crate::app::update;
use crate::article::extract::Extracted;
use crate::article::render::Body;
use crate::config::{Config, FeedConfig};
use crate::model::{Article, ItemRow, View};
use crate::ui::theme::Theme;

const PLAIN: &str = "https://plain.example/rss";
const FULL: &str = "https://full.example/rss";

fn state() -> State {
    let cfg = Config {
        feeds: vec![FeedConfig::new(PLAIN), FeedConfig { full_text: true, ..FeedConfig::new(FULL) }],
        ..Config::default()
    };
    let mut s = State::new(&cfg, 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    let row = ItemRow {
        id: "a".into(),
        title: "A".into(),
        feed: "F".into(),
        date: None,
        read: false,
        saved: false,
        link: Some("https://x.example/a".into()),
        key: Default::default(),
        ..Default::default()
    };
    update(&mut s, Msg::whole_view(View::All, vec![row]));
    s
}

fn article(feed: &str, link: Option<&str>, full_html: Option<&str>) -> Article {
    Article {
        id: "a".into(),
        title: "A".into(),
        feed_url: feed.into(),
        link: link.map(String::from),
        html: "<p>summary</p>".into(),
        full_html: full_html.map(String::from),
        ..Default::default()
    }
}

/// `update`, with every render it asks for answered at once (as the effect runner does).
fn step(s: &mut State, msg: Msg) -> Vec<Effect> {
    let fx = update(s, msg);
    for e in &fx {
        if let Effect::RenderArticle { id, width, full, .. } = e {
            let body = Arc::new(Body::default());
            update(s, Msg::ArticleRendered { id: id.clone(), width: *width, full: *full, body });
        }
    }
    fx
}

fn load(s: &mut State, a: Article) -> Vec<Effect> {
    step(s, Msg::ArticleLoaded { id: "a".into(), article: Some(Box::new(a)) })
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn renders(fx: &[Effect]) -> Vec<(bool, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::RenderArticle { full, html, .. } => Some((*full, html.clone())),
            _ => None,
        })
        .collect()
}

fn extracted(html: &str) -> Extracted {
    Extracted { html: html.into(), text: "text".into(), title: None }
}

fn with_links(s: &mut State, n: usize) {
    let links: Vec<String> = (1..=n).map(|i| format!("https://l.example/{i}")).collect();
    let full = s.article.as_ref().unwrap().wants_full();
    let body = Arc::new(Body { lines: vec![], links, images: vec![] });
    let width = s.panes().article_width();
    update(s, Msg::ArticleRendered { id: "a".into(), width, full, body });
}

#[test]
fn f_fetches_shows_and_toggles_the_full_text() {
    let mut s = state();
    let fx = load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    assert_eq!(renders(&fx), [(false, "<p>summary</p>".to_string())], "a plain feed opens on its own text");

    let fx = step(&mut s, key('f'));
    assert_eq!(fx, [Effect::FetchFullText { id: "a".into(), url: "https://x.example/a".into() }]);
    let v = s.article.as_ref().unwrap();
    assert!(v.show_full && v.fetching && !v.wants_full());

    let fx = step(&mut s, Msg::FullText { id: "a".into(), result: Ok(extracted("<p>whole</p>")) });
    assert_eq!(fx[0], Effect::StoreFullText { id: "a".into(), full: Box::new(extracted("<p>whole</p>")) });
    assert_eq!(renders(&fx), [(true, "<p>whole</p>".to_string())]);
    assert!(!s.article.as_ref().unwrap().fetching);

    // A summary rendered late is not shown over the full text.
    let width = s.panes().article_width();
    update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body: Default::default() });
    assert!(s.article.as_ref().unwrap().body.as_ref().unwrap().full);

    assert_eq!(renders(&step(&mut s, key('f'))), [(false, "<p>summary</p>".to_string())], "f: back to the feed");
    let fx = step(&mut s, key('f'));
    assert_eq!(renders(&fx), [(true, "<p>whole</p>".to_string())], "and to the stored full text, no fetch");
    assert_eq!(fx.len(), 1);
}

#[test]
fn a_failure_shows_on_the_article_and_f_retries() {
    let mut s = state();
    load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    step(&mut s, key('f'));
    let fx = step(&mut s, Msg::FullText { id: "a".into(), result: Err("HTTP 403 Forbidden".into()) });
    assert_eq!(fx, [Effect::RecordFullTextError { id: "a".into(), error: "HTTP 403 Forbidden".into() }]);
    let v = s.article.as_ref().unwrap();
    assert_eq!(v.article.full_error.as_deref(), Some("HTTP 403 Forbidden"));
    assert!(v.show_full && !v.fetching);
    let header: Vec<String> = crate::ui::article::header_lines(&s, v, 60).iter().map(|l| l.to_string()).collect();
    assert!(header.iter().any(|l| l == "full text failed: HTTP 403 Forbidden · f: try again"), "{header:?}");
    assert_eq!(step(&mut s, key('f')), [Effect::FetchFullText { id: "a".into(), url: "https://x.example/a".into() }]);
}

#[test]
fn full_text_feeds_open_on_the_full_text() {
    let mut s = state();
    let fx = load(&mut s, article(FULL, Some("https://x.example/a"), None));
    assert!(fx.contains(&Effect::FetchFullText { id: "a".into(), url: "https://x.example/a".into() }), "{fx:?}");
    assert_eq!(renders(&fx), [(false, "<p>summary</p>".to_string())], "the summary meanwhile");

    let mut s = state();
    let fx = load(&mut s, article(FULL, Some("https://x.example/a"), Some("<p>stored</p>")));
    assert_eq!(renders(&fx), [(true, "<p>stored</p>".to_string())]);
    assert_eq!(fx.len(), 1, "already stored: no fetch");

    // A stored failure is shown, not retried on every open.
    let mut s = state();
    let a = Article { full_error: Some("timed out".into()), ..article(FULL, Some("https://x.example/a"), None) };
    assert_eq!(renders(&load(&mut s, a)), [(false, "<p>summary</p>".to_string())]);
}

#[test]
fn without_a_link_there_is_nothing_to_fetch() {
    let mut s = state();
    load(&mut s, article(PLAIN, None, None));
    assert!(step(&mut s, key('f')).is_empty());
    assert_eq!(s.status.as_deref(), Some("this item has no link to fetch"));
    assert!(!s.article.as_ref().unwrap().show_full);
}

#[test]
fn results_for_other_items_are_stored_only() {
    let mut s = state();
    load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    let fx = step(&mut s, Msg::FullText { id: "zz".into(), result: Ok(extracted("<p>z</p>")) });
    assert_eq!(fx, [Effect::StoreFullText { id: "zz".into(), full: Box::new(extracted("<p>z</p>")) }]);
    assert_eq!(s.article.as_ref().unwrap().article.full_html, None);
}

#[test]
fn stored_full_text_feeds_ask_for_prefetch() {
    let mut s = state();
    let fx = update(&mut s, Msg::Stored { url: FULL.into(), new: 3 });
    assert!(fx.contains(&Effect::PrefetchFullText { feed: FULL.into() }), "{fx:?}");
    let fx = update(&mut s, Msg::Stored { url: PLAIN.into(), new: 3 });
    assert!(!fx.iter().any(|e| matches!(e, Effect::PrefetchFullText { .. })), "{fx:?}");
}

#[test]
fn digits_open_numbered_links() {
    let mut s = state();
    load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    with_links(&mut s, 3);
    assert_eq!(update(&mut s, key('1')), [Effect::OpenUrl("https://l.example/1".into())]);
    assert_eq!(s.status.as_deref(), Some("opening [1] https://l.example/1"));
    assert_eq!(update(&mut s, key('3')), [Effect::OpenUrl("https://l.example/3".into())]);
    assert!(update(&mut s, key('7')).is_empty());
    assert_eq!(s.status.as_deref(), Some("no link [7]: this article has links 1–3"));
}

#[test]
fn hash_asks_for_higher_numbers() {
    let mut s = state();
    load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    with_links(&mut s, 12);
    update(&mut s, key('#'));
    assert!(matches!(&s.mode, Mode::Prompt(p) if p.kind == crate::app::state::PromptKind::Link));
    update(&mut s, key('x'));
    let Mode::Prompt(p) = &s.mode else { panic!() };
    assert_eq!(p.input.value(), "", "letters are not typed into a link number");
    update(&mut s, key('1'));
    update(&mut s, key('2'));
    let Mode::Prompt(p) = &s.mode else { panic!() };
    assert_eq!(p.error, None);
    assert_eq!(update(&mut s, code(KeyCode::Enter)), [Effect::OpenUrl("https://l.example/12".into())]);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn no_links_no_prompt() {
    let mut s = state();
    load(&mut s, article(PLAIN, Some("https://x.example/a"), None));
    with_links(&mut s, 0);
    assert!(update(&mut s, key('#')).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    update(&mut s, key('1'));
    assert_eq!(s.status.as_deref(), Some("this article has no links"));
}
