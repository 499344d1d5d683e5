//! Pictures drawn over their blocks in the article body (`[ui] images`).
//! A picture wholly in view is drawn as the terminal's protocol has it;
//! half-blocks are plain cells, so one partly scrolled out of view is drawn
//! in part. Pictures not ready leave their `[image: alt]` line showing.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
use ratatui_image::Image;
use ratatui_image::protocol::Protocol;

use crate::app::state::{Rendered, State};
use crate::images::Slot;

/// Draws the pictures of `body` whose blocks meet the body's `area`, the
/// body being scrolled to line `start`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, body: &Rendered, start: usize) {
    let Some(laid) = &body.laid else { return };
    let end = start + usize::from(area.height);
    for block in &laid.blocks {
        let rows = usize::from(block.want.rows);
        if block.at + rows <= start || block.at >= end {
            continue;
        }
        let Some(Slot::Ready(picture)) = state.images.slots.get(&block.want) else { continue };
        let protocol: &Protocol = &picture.0;
        let size = protocol.size();
        let (w, h) = (size.width.min(area.width), size.height.min(block.want.rows));
        if block.at >= start && block.at + rows <= end {
            let y = area.y + (block.at - start) as u16;
            frame.render_widget(Clear, Rect::new(area.x, y, area.width, 1));
            frame.render_widget(Image::new(protocol), Rect::new(area.x, y, w, h));
        } else if matches!(protocol, Protocol::Halfblocks(_)) {
            draw_part(frame.buffer_mut(), area, protocol, block.at, start, (w, h));
        }
    }
}

/// The rows of a half-block picture that are in view: drawn whole off
/// screen, then copied cell by cell.
fn draw_part(buf: &mut Buffer, area: Rect, protocol: &Protocol, at: usize, start: usize, (w, h): (u16, u16)) {
    let whole = Rect::new(0, 0, w, h);
    let mut off = Buffer::empty(whole);
    Image::new(protocol).render(whole, &mut off);
    for row in 0..h {
        let line = at + usize::from(row);
        if line < start || line >= start + usize::from(area.height) {
            continue;
        }
        let y = area.y + (line - start) as u16;
        for x in 0..w {
            if let (Some(from), Some(to)) = (off.cell((x, row)).cloned(), buf.cell_mut((area.x + x, y))) {
                *to = from;
            }
        }
        if row == 0 {
            for x in w..area.width {
                if let Some(cell) = buf.cell_mut((area.x + x, y)) {
                    cell.reset();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
