//! Pictures in the article pane (`[ui] images = "halfblocks"`), end to end:
//! a feed and its pictures served from a loopback server, the reader in
//! tmux. The picture is drawn in half-blocks where its placeholder was; a
//! picture that cannot be had leaves its `[image: alt]` placeholder.

mod common;

use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use common::tmux::{self, Tmux};
use common::{TestServer, respond, rss};

/// A 200×120 PNG whose every pixel row has its own colour: each cell's two
/// halves differ, so every cell of it is a half-block.
fn gradient_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(200, 120, |_, y| {
        let v = (y * 255 / 119) as u8;
        image::Rgb([v, 64, 255 - v])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn server() -> TestServer {
    let png = gradient_png();
    TestServer::start(move |req, stream| {
        let host = req.header("host").unwrap_or("127.0.0.1").to_string();
        match req.path.as_str() {
            "/feed.xml" => {
                let html = format!(
                    "<p>Harbour cranes before the picture.</p>\
                     <p><img src=\"http://{host}/crane.png\" alt=\"A crane at dusk\"></p>\
                     <p>Text after the picture.</p>\
                     <p><img src=\"http://{host}/missing.png\" alt=\"A lost picture\"></p>\
                     <p>The end of the story.</p>"
                );
                let feed =
                    rss("Picture Desk", &[("p-1", "Cranes in pictures", "Tue, 18 Jun 2024 21:05:00 GMT", &html)]);
                respond(stream, 200, &[("Content-Type", "application/rss+xml")], feed.as_bytes());
            }
            "/crane.png" => respond(stream, 200, &[("Content-Type", "image/png")], &png),
            _ => respond(stream, 404, &[], b"not found"),
        }
    })
}

/// The rows of the screen between the first line holding `from` and the first holding `to`.
fn between<'a>(screen: &'a str, from: &str, to: &str) -> Vec<&'a str> {
    screen.lines().skip_while(|l| !l.contains(from)).take_while(|l| !l.contains(to)).collect()
}

#[test]
fn a_loopback_picture_is_drawn_in_half_blocks() {
    if !tmux::available() {
        return;
    }
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    let text = format!(
        "[ui]\nimages = \"halfblocks\"\n\n[poller]\ntimeout = \"5s\"\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed.xml")
    );
    std::fs::write(&cfg, text).unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tidings");
    let t = Tmux::start(
        "images",
        140,
        40,
        &[bin, "--config", cfg.to_str().unwrap(), "--data-dir", data.to_str().unwrap()],
        &[("NO_COLOR", Path::new("1"))],
    );
    let half = |l: &str| l.contains('▀') || l.contains('▄');
    let screen = t.wait_for("the picture in half-blocks", Duration::from_secs(15), |s| {
        between(s, "Harbour cranes", "Text after").iter().filter(|l| half(l)).count() >= 3
            && s.contains("[image: A lost picture]")
    });
    let block = between(&screen, "Harbour cranes", "Text after");
    // Where the placeholder was: rows of half-blocks, the placeholder gone.
    assert!(!screen.contains("[image: A crane at dusk]"), "the drawn picture covers its placeholder:\n{screen}");
    let rows: Vec<&&str> = block.iter().filter(|l| half(l)).collect();
    assert!((5..=6).contains(&rows.len()), "200×120 pixels are 6 rows of cells (fitted):\n{screen}");
    // Only the article pane has it: the list and sidebar rows stay text.
    for row in &rows {
        let first = row.find(['▀', '▄']).unwrap();
        assert!(row[..first].contains("│"), "the picture is inside a pane: {row}");
    }
    // The missing picture gave its block back: the text follows its placeholder.
    let after = between(&screen, "[image: A lost picture]", "The end of the story.");
    assert!(after.len() <= 2, "no empty block is left for a failed picture:\n{screen}");
    assert!(!screen.lines().filter(|l| l.contains("The end of the story.")).any(half));

    // The picture was fetched once, and kept in the data dir's cache.
    let fetched = server.requests().iter().filter(|r| r.path == "/crane.png").count();
    assert_eq!(fetched, 1);
    let cached = std::fs::read_dir(data.join("images")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(cached, 1, "the good picture is cached, the missing one not");
    t.send(&["q"]);
    t.wait_exit();
}
