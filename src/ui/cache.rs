//! What a frame can take from the last ones instead of laying it out again
//! (#10 keys): the cells of each list row and sidebar line, by what they
//! show. After `j` only the two rows whose selection changed are laid out;
//! the others are copied, which costs a fraction of shaping their text
//! (graphemes, widths, styles) again. Owned by the terminal loop and handed
//! to `ui::draw_with`; drawing still only reads the state.

use std::collections::HashMap;
use std::hash::Hash;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::app::state::{Focus, SidebarEntry};
use crate::model::{ItemId, ItemRow};
use crate::theme::Theme;

/// The lines kept beyond those on screen, before the unused ones go.
const SPARE_LINES: usize = 256;

/// Everything the frame's drawing keeps between frames.
#[derive(Debug, Default)]
pub struct Cache {
    pub(super) list: Lines<ItemId, ListFrame, ListRow>,
    pub(super) sidebar: Lines<usize, SidebarFrame, SidebarLine>,
    /// Each feed name's width as shown (sanitised), by the name as stored.
    pub(super) feed_widths: HashMap<String, usize>,
    /// Each pane's border and titles, by pane.
    borders: HashMap<Focus, (Border, Buffer)>,
}

/// What a pane's border shows: where, its titles, and how (focused or not).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Border {
    pub area: Rect,
    pub title: String,
    /// The title on the bottom border (the article's position), if any.
    pub bottom: Option<String>,
    pub focused: bool,
    pub theme: Theme,
}

impl Cache {
    /// Draws a pane's border and titles as `block` draws them, copied from
    /// the last frames while it shows the same. Only the border's cells are
    /// written: a block without a style of its own leaves its inside as it
    /// is. It is laid out three rows high (top, one side row, bottom): every
    /// side row of a taller pane is the same.
    pub(super) fn border(
        &mut self,
        buf: &mut Buffer,
        pane: Focus,
        shows: Border,
        block: impl FnOnce() -> Block<'static>,
    ) {
        let area = shows.area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let kept = match self.borders.get(&pane) {
            Some((b, laid)) if *b == shows => laid,
            _ => {
                let small = Rect { height: area.height.min(3), ..area };
                let mut laid = Buffer::empty(small);
                block().render(small, &mut laid);
                self.borders.insert(pane, (shows, laid));
                &self.borders[&pane].1
            }
        };
        let small = kept.area;
        let row = |buf: &mut Buffer, from: u16, to: u16| {
            let (from, to) = (kept.index_of(small.x, from), buf.index_of(area.x, to));
            let n = area.width as usize;
            buf.content[to..to + n].clone_from_slice(&kept.content[from..from + n]);
        };
        row(buf, small.top(), area.top());
        row(buf, small.bottom() - 1, area.bottom() - 1);
        if small.height == 3 {
            let side = small.top() + 1;
            for y in area.top() + 1..area.bottom() - 1 {
                for x in [area.left(), area.right() - 1] {
                    let to = buf.index_of(x, y);
                    buf.content[to].clone_from(&kept.content[kept.index_of(x, side)]);
                }
            }
        }
    }
}

/// What every list row depends on besides itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListFrame {
    pub width: u16,
    /// Title, feed and age columns.
    pub columns: (usize, usize, usize),
    pub focused: bool,
    pub theme: Theme,
    /// The words marked (a search's).
    pub words: Vec<String>,
}

/// What one list row shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListRow {
    pub row: ItemRow,
    pub age: Option<crate::ui::text::Age>,
    pub selected: bool,
}

/// What every sidebar line depends on besides itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SidebarFrame {
    pub width: u16,
    pub focused: bool,
    pub theme: Theme,
}

/// What one sidebar line shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SidebarLine {
    pub entry: SidebarEntry,
    pub selected: bool,
    /// Its feed is being fetched (`↻`).
    pub fetching: bool,
}

/// Laid-out lines of one pane, by an id and what they show (`K`), valid
/// while what they all depend on (`F`) stays the same.
#[derive(Debug)]
pub(super) struct Lines<Id, F, K> {
    frame: Option<F>,
    lines: HashMap<Id, Kept<K>>,
    /// Counts frames, to drop lines not drawn lately.
    generation: u64,
}

#[derive(Debug)]
struct Kept<K> {
    shows: K,
    cells: Vec<Cell>,
    drawn: u64,
}

impl<Id, F, K> Default for Lines<Id, F, K> {
    fn default() -> Self {
        Lines { frame: None, lines: HashMap::new(), generation: 0 }
    }
}

impl<Id: Hash + Eq, F: PartialEq, K> Lines<Id, F, K> {
    /// A new frame of the pane: lines laid out for another `frame` are dropped,
    /// and so are lines not drawn in the last two frames once there are many.
    pub fn begin(&mut self, frame: F) {
        if self.frame.as_ref() != Some(&frame) {
            self.lines.clear();
            self.frame = Some(frame);
        }
        self.generation += 1;
        if self.lines.len() > SPARE_LINES {
            let recent = self.generation.saturating_sub(2);
            self.lines.retain(|_, l| l.drawn >= recent);
        }
    }

    /// Draws line `id` at (`x`, `y`), `width` cells wide: copied from the last
    /// frames when it `shows` the same, else laid out by `line` and kept.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        buf: &mut Buffer,
        x: u16,
        y: u16,
        width: u16,
        id: &Id,
        same: impl Fn(&K) -> bool,
        shows: impl FnOnce() -> K,
        line: impl FnOnce() -> Line<'static>,
    ) where
        Id: Clone,
    {
        let generation = self.generation;
        match self.lines.get_mut(id) {
            Some(l) if same(&l.shows) && l.cells.len() == width as usize => {
                l.drawn = generation;
                blit(buf, x, y, &l.cells);
            }
            _ => {
                let cells = lay_out(line(), width);
                blit(buf, x, y, &cells);
                self.lines.insert(id.clone(), Kept { shows: shows(), cells, drawn: generation });
            }
        }
    }
}

/// A line's cells as a `Paragraph` of it draws them in a row `width` wide.
fn lay_out(line: Line<'static>, width: u16) -> Vec<Cell> {
    let area = Rect::new(0, 0, width, 1);
    let mut buf = Buffer::empty(area);
    Paragraph::new(line).render(area, &mut buf);
    buf.content
}

/// Copies a row of cells into `buf` at (`x`, `y`), clipped to it.
fn blit(buf: &mut Buffer, x: u16, y: u16, cells: &[Cell]) {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() || x >= area.right() {
        return;
    }
    let n = cells.len().min((area.right() - x) as usize);
    let start = buf.index_of(x, y);
    buf.content[start..start + n].clone_from_slice(&cells[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_laid_out_once_while_it_shows_the_same() {
        let mut lines: Lines<u32, u8, &str> = Lines::default();
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        let laid = std::cell::Cell::new(0);
        let draw = |lines: &mut Lines<u32, u8, &str>, buf: &mut Buffer, text: &'static str| {
            lines.draw(
                buf,
                1,
                1,
                6,
                &7,
                |s| *s == text,
                || text,
                || {
                    laid.set(laid.get() + 1);
                    Line::raw(text)
                },
            )
        };
        lines.begin(0);
        draw(&mut lines, &mut buf, "abc");
        lines.begin(0);
        draw(&mut lines, &mut buf, "abc");
        assert_eq!(laid.get(), 1, "copied the second time");
        assert_eq!(buf, Buffer::with_lines(["          ", " abc      "]));
        draw(&mut lines, &mut buf, "wxyz");
        assert_eq!(laid.get(), 2, "laid out again when it shows something else");
        assert_eq!(buf, Buffer::with_lines(["          ", " wxyz     "]));
        lines.begin(1);
        draw(&mut lines, &mut buf, "wxyz");
        assert_eq!(laid.get(), 3, "and when what every line depends on changed");
    }
}
