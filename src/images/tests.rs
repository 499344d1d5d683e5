use std::io::Cursor;

use super::*;
use crate::article::render::render;
use crate::model::{Article, Enclosure};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(
        w,
        h,
        |x, _| if x < w / 2 { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) },
    );
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn bodies_know_where_their_pictures_are() {
    let html = r#"<p>Before</p><p><img src="/a.png" alt="A map"></p><p>Between <img src="data:image/png;base64,xx" alt="inline"> text</p>
        <p><img src="https://cdn.example/b.jpg"><img src="https://cdn.example/c.jpg" alt="C"></p><p>After</p>"#;
    let body = render(html, Some("https://news.example/story"), 60);
    let urls: Vec<&str> = body.images.iter().map(|i| i.url.as_str()).collect();
    assert_eq!(urls, ["https://news.example/a.png", "https://cdn.example/b.jpg"]);
    let text: Vec<String> = body.plain_lines().collect();
    for image in &body.images {
        assert!(text[image.line].starts_with("[image"), "line {} is {:?}", image.line, text[image.line]);
    }
    assert_eq!(text[body.images[0].line], "[image: A map]");
    // Pictures side by side share a line (as without pictures): the first one's.
    assert_eq!(text[body.images[1].line], "[image][image: C]");
    assert!(text.iter().any(|l| l == "[image: inline]"), "data: pictures keep their placeholder: {text:?}");
}

#[test]
fn layout_keeps_a_fixed_block_per_picture_and_drops_failed_ones() {
    let body = render(r#"<p>One</p><img src="https://p.example/a.png" alt="a"><p>Two</p>"#, None, 40);
    let mut images = Images::new(ImagesMode::Halfblocks);
    let laid = layout::lay_out(&body, 40, 5, &images);
    assert_eq!(laid.lines.len(), body.lines.len() + 4);
    assert_eq!(laid.blocks.len(), 1);
    let at = laid.blocks[0].at;
    assert!(laid.lines[at + 1..at + 5].iter().all(|l| l.width() == 0));
    images.slots.insert(laid.blocks[0].want.clone(), Slot::Failed("404".into()));
    let laid = layout::lay_out(&body, 40, 5, &images);
    assert_eq!(laid.lines, body.lines, "a failed picture keeps only its placeholder");
    assert!(laid.blocks.is_empty());
}

#[test]
fn lead_picture_comes_from_an_image_enclosure_not_shown_yet() {
    let mut article = Article {
        enclosures: vec![
            Enclosure {
                url: "https://p.example/a.mp3".into(),
                mime: Some("audio/mpeg".into()),
                length: None,
                duration: None,
            },
            Enclosure { url: "https://p.example/lead.jpg?a=1&b=2".into(), mime: None, length: None, duration: None },
        ],
        ..Default::default()
    };
    let html = lead_html(&article, "<p>text</p>").unwrap();
    assert!(html.starts_with(r#"<p><img src="https://p.example/lead.jpg?a=1&amp;b=2""#), "{html}");
    assert_eq!(lead_html(&article, r#"<img src="https://p.example/lead.jpg?a=1&b=2">"#), None);
    article.enclosures[1].url = "file:///etc/passwd.png".into();
    assert_eq!(lead_html(&article, "<p>text</p>"), None);
}

#[test]
fn pictures_decode_and_encode_as_half_blocks() {
    let picker = ratatui_image::picker::Picker::halfblocks();
    let picture = decode::picture(&png(100, 40), &picker, 30, 12).unwrap();
    let size = picture.0.size();
    assert!(size.width >= 1 && size.width <= 30 && size.height >= 1 && size.height <= 12, "{size:?}");
    assert!(decode::picture(b"<html>not a picture</html>", &picker, 30, 12).is_err());
}

#[test]
fn decoding_bombs_are_refused_before_decoding() {
    // A PNG header that claims 100000×100000 pixels (40 GB as RGBA).
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    assert_eq!(decode::decode(&bomb).err(), Some(decode::DecodeError::TooLarge(100_000, 100_000)));
    let wide = png(decode::MAX_SIDE + 1, 1);
    assert!(matches!(decode::decode(&wide), Err(decode::DecodeError::TooLarge(..))));
}

#[test]
fn the_disk_cache_keeps_under_its_limit_least_recently_used_first() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache::Cache::new(dir.path().join("images"), 250);
    cache.put("https://p.example/1", &[1; 100]);
    cache.put("https://p.example/2", &[2; 100]);
    // Make 1 the older by mtime, then use it: 2 is then the least recently used.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in std::fs::read_dir(dir.path().join("images")).unwrap() {
        std::fs::File::options().write(true).open(entry.unwrap().path()).unwrap().set_modified(old).unwrap();
    }
    assert_eq!(cache.get("https://p.example/1"), Some(vec![1; 100]));
    cache.put("https://p.example/3", &[3; 100]);
    assert_eq!(cache.get("https://p.example/2"), None, "the least recently used went");
    assert!(cache.get("https://p.example/1").is_some() && cache.get("https://p.example/3").is_some());
    cache.put("https://p.example/huge", &[0; 1000]);
    assert_eq!(cache.get("https://p.example/huge"), None, "bigger than the whole cache: not kept");
}
