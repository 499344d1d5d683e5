//! A body with room for its pictures: after each picture's placeholder line,
//! blank lines up to a fixed-height block, so the article's length does not
//! change when a picture arrives. Pictures that failed keep only their line.

use ratatui::text::Line;

use super::{Images, MAX_PER_ARTICLE, Want};
use crate::article::render::Body;

/// The lines to show and where each picture's block starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    pub blocks: Vec<Block>,
}

/// A picture's block: its first line (the placeholder) and what to draw there.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub at: usize,
    pub want: Want,
}

/// `body` laid out at `cols` with blocks of `rows` for the pictures `images`
/// has not given up on.
pub fn lay_out(body: &Body, cols: u16, rows: u16, images: &Images) -> Laid {
    let rows = rows.max(1);
    let mut laid = Laid { lines: Vec::with_capacity(body.lines.len()), blocks: Vec::new() };
    let mut pictures = body.images.iter().take(MAX_PER_ARTICLE).peekable();
    for (i, line) in body.lines.iter().enumerate() {
        laid.lines.push(line.clone());
        let Some(image) = pictures.next_if(|p| p.line == i) else { continue };
        let want = Want { url: image.url.clone(), cols, rows };
        if images.failed(&want) {
            continue;
        }
        laid.blocks.push(Block { at: laid.lines.len() - 1, want });
        laid.lines.extend(std::iter::repeat_n(Line::raw(""), usize::from(rows) - 1));
    }
    laid
}
