use std::sync::Arc;

use crate::app::msg::{Effect, Msg};
use crate::app::state::State;
use crate::app::update::update;
use crate::config::Config;
use crate::config::ui::ImagesMode;
use crate::images::{IMAGE_ROWS, Loaded, Slot, Want};
use crate::model::{Article, ItemRow, View};
use crate::ui::theme::Theme;

const HTML: &str = r#"<p>Top</p><p><img src="https://p.example/a.png" alt="A"></p><p>Bottom</p>"#;

fn shown(mode: ImagesMode) -> (State, Vec<Effect>) {
    let mut cfg = Config::default();
    cfg.ui.images = mode;
    let mut s = State::new(&cfg, 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    let row = ItemRow { id: "a".into(), title: "A".into(), feed: "F".into(), ..Default::default() };
    update(&mut s, Msg::whole_view(View::All, vec![row]));
    let article = Article { id: "a".into(), title: "A".into(), html: HTML.into(), ..Default::default() };
    update(&mut s, Msg::ArticleLoaded { id: "a".into(), article: Some(Box::new(article)) });
    let width = s.panes().article_width();
    let body = Arc::new(crate::article::render::render(HTML, None, width));
    let fx = update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    (s, fx)
}

fn lines(s: &State) -> usize {
    s.article.as_ref().and_then(|v| v.body.as_ref()).map_or(0, |b| b.lines().len())
}

#[test]
fn with_pictures_off_nothing_is_fetched_and_the_body_is_as_rendered() {
    let (s, fx) = shown(ImagesMode::Off);
    assert!(fx.is_empty(), "{fx:?}");
    let body = s.article.as_ref().and_then(|v| v.body.as_ref()).unwrap();
    assert!(body.laid.is_none());
    assert_eq!(body.lines(), &body.body.lines[..]);
}

#[test]
fn pictures_are_asked_for_once_and_a_failure_gives_the_rows_back() {
    let (mut s, fx) = shown(ImagesMode::Halfblocks);
    let width = s.panes().article_width();
    let want = Want { url: "https://p.example/a.png".into(), cols: width, rows: IMAGE_ROWS };
    assert_eq!(fx, vec![Effect::FetchImage(want.clone())]);
    assert_eq!(s.images.slots.get(&want), Some(&Slot::Loading));
    let plain = s.article.as_ref().and_then(|v| v.body.as_ref()).unwrap().body.lines.len();
    assert_eq!(lines(&s), plain + usize::from(IMAGE_ROWS) - 1, "a block of fixed height");

    // The same body again (a toggle, a resize back): not asked for twice.
    let body = s.article.as_ref().and_then(|v| v.body.as_ref()).unwrap().body.clone();
    let fx = update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    assert!(fx.is_empty(), "{fx:?}");

    let at = s.article.as_ref().and_then(|v| v.body.as_ref()?.laid.as_ref()).unwrap().blocks[0].at;
    s.article.as_mut().unwrap().scroll = at + usize::from(IMAGE_ROWS) + 1;
    let fx = update(&mut s, Msg::ImageLoaded(Loaded { want: want.clone(), result: Err("HTTP 404".into()) }));
    assert!(fx.is_empty(), "a failure is not asked for again: {fx:?}");
    assert_eq!(lines(&s), plain);
    assert_eq!(s.article.as_ref().unwrap().scroll, at + 2, "the reader's place is kept");
    assert!(matches!(s.images.slots.get(&want), Some(Slot::Failed(_))));
}
