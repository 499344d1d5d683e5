use std::io::Cursor;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::msg::{Effect, Msg};
use crate::app::state::{Focus, State};
use crate::app::update::update;
use crate::config::Config;
use crate::config::ui::ImagesMode;
use crate::images::{Loaded, decode};
use crate::model::{Article, ItemRow, View};
use crate::ui::theme::Theme;

const HTML: &str = r#"<p>Top line</p><p><img src="https://p.example/a.png" alt="A picture"></p><p>Bottom line</p>"#;

/// An article with one picture, the picture fetched: a vertical gradient, so every cell is a half-block.
fn with_picture() -> State {
    let mut cfg = Config::default();
    cfg.ui.images = ImagesMode::Halfblocks;
    let mut s = State::new(&cfg, 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    let row = ItemRow { id: "a".into(), title: "A".into(), feed: "F".into(), ..Default::default() };
    update(&mut s, Msg::whole_view(View::All, vec![row]));
    let article = Article { id: "a".into(), title: "A".into(), html: HTML.into(), ..Default::default() };
    update(&mut s, Msg::ArticleLoaded { id: "a".into(), article: Some(Box::new(article)) });
    let width = s.panes().article_width();
    let body = Arc::new(crate::article::render::render(HTML, None, width));
    let fx = update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    let [Effect::FetchImage(want)] = &fx[..] else { panic!("{fx:?}") };
    let img = image::RgbImage::from_fn(200, 120, |_, y| image::Rgb([(y * 2) as u8, 0, 255 - (y * 2) as u8]));
    let mut png = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let picker = ratatui_image::picker::Picker::halfblocks();
    let result = decode::picture(png.get_ref(), &picker, want.cols, want.rows);
    update(&mut s, Msg::ImageLoaded(Loaded { want: want.clone(), result }));
    s
}

fn screen(s: &State) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| crate::ui::draw(f, s)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect()).collect()
}

fn picture_rows(rows: &[String]) -> Vec<usize> {
    rows.iter().enumerate().filter(|(_, r)| r.contains('▀') || r.contains('▄')).map(|(i, _)| i).collect()
}

#[test]
fn a_ready_picture_covers_its_placeholder_and_scrolls_in_part() {
    let mut s = with_picture();
    let rows = screen(&s);
    let drawn = picture_rows(&rows);
    assert_eq!(drawn.len(), 6, "200×120 pixels at 10×20 a cell: 6 rows\n{}", rows.join("\n"));
    assert!(!rows.iter().any(|r| r.contains("[image: A picture]")), "{}", rows.join("\n"));
    let top = rows.iter().position(|r| r.contains("Top line")).unwrap();
    assert!(drawn[0] > top && rows.iter().position(|r| r.contains("Bottom line")).unwrap() > drawn[5]);

    // Scrolled so that the picture's first two rows are above the pane: the other four show.
    s.focus = Focus::Article;
    let at = s.article.as_ref().and_then(|v| v.body.as_ref()?.laid.as_ref()).unwrap().blocks[0].at;
    s.article.as_mut().unwrap().scroll = at + 2;
    let rows = screen(&s);
    let part = picture_rows(&rows);
    assert_eq!(part.len(), 4, "{}", rows.join("\n"));
    assert_eq!(part[0], top, "the rest of the picture starts at the top of the body");
}

#[test]
fn a_picture_not_ready_shows_its_placeholder() {
    let mut s = with_picture();
    s.images.slots.clear();
    let rows = screen(&s);
    assert!(picture_rows(&rows).is_empty());
    assert!(rows.iter().any(|r| r.contains("[image: A picture]")), "{}", rows.join("\n"));
}
