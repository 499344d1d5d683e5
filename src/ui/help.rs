//! The `?` overlay: every action with its keys and its name in `[keys]`,
//! generated from the live keymap so it can never be stale.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::text::fit;
use crate::app::action::Action;
use crate::app::keymap::Keymap;
use crate::app::state::State;

/// Widest the keys column gets.
const MAX_KEYS_WIDTH: usize = 22;

/// One row per action: (its keys, what it does, its name in `[keys]`).
pub fn entries(keymap: &Keymap) -> Vec<(String, &'static str, &'static str)> {
    Action::ALL.iter().map(|&a| (keymap.label(a), a.describe(), a.name())).collect()
}

// — #13 commands —
/// One row per `[[command]]`: (its key, "run NAME", "command").
pub fn command_entries(state: &State) -> Vec<(String, String, &'static str)> {
    state
        .commands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = state.keymap.command_key(i).map(|k| k.to_string()).unwrap_or_default();
            let what = if c.interactive { "run {} (on the terminal)" } else { "run {}" };
            (key, what.replace("{}", &crate::article::sanitize::line(&c.name)), "command")
        })
        .collect()
}

/// Where the overlay goes on a screen of this size.
pub fn area(width: u16, height: u16) -> Rect {
    crate::layout::help_area(width, height)
}

pub fn draw(frame: &mut Frame, state: &State, scroll: usize) {
    let screen = frame.area();
    let rect = area(screen.width, screen.height);
    let theme = state.theme;
    let mut rows: Vec<(String, String, &str)> =
        entries(&state.keymap).into_iter().map(|(k, what, name)| (k, what.to_string(), name)).collect();
    rows.extend(command_entries(state));
    let keys_w = rows.iter().map(|(k, ..)| k.width()).max().unwrap_or(0).clamp(3, MAX_KEYS_WIDTH);
    let inner_w = rect.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, what, name)| {
            let (keys, style) = if keys.is_empty() { ("—".to_string(), theme.dim()) } else { (keys, theme.accent()) };
            let what_w = inner_w.saturating_sub(keys_w + 3 + name.width() + 3);
            Line::from(vec![
                Span::raw(" "),
                Span::styled(fit(&keys, keys_w), style),
                Span::raw("  "),
                Span::raw(fit(&what, what_w)),
                Span::styled(format!(" [{name}]"), theme.dim()),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.extend(crate::layout::HELP_NOTES.iter().map(|n| Line::styled(format!(" {n}"), theme.dim())));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rect.height.saturating_sub(2) as usize).collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border(true))
        .title(Line::from(" Keys ").style(theme.title(true)))
        .title_bottom(Line::from(format!(" {} or Esc closes · j/k scroll ", state.keymap.label(Action::Help))));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(visible).block(block), rect);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_with_its_live_keys() {
        let mut overrides = std::collections::BTreeMap::new();
        overrides.insert(Action::Save, vec!["S".to_string()]);
        let km = Keymap::build(&overrides).unwrap();
        let rows = entries(&km);
        assert_eq!(rows.len(), Action::ALL.len());
        let save = rows.iter().find(|(_, _, name)| *name == "save").unwrap();
        assert_eq!(save.0, "S");
        let undo = rows.iter().find(|(_, _, name)| *name == "undo").unwrap();
        assert_eq!((undo.0.as_str(), undo.1), ("u", "undo"));
    }

    #[test]
    fn the_overlay_is_drawn_over_the_panes() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut state = State::new(&crate::config::Config::default(), 0, 0, crate::ui::theme::Theme::mono());
        crate::app::update(&mut state, crate::app::msg::Msg::Resize(100, 40));
        crate::app::update(&mut state, crate::app::msg::Msg::Action(Action::Help));
        let mut t = Terminal::new(TestBackend::new(100, 40)).unwrap();
        t.draw(|f| crate::ui::draw(f, &state)).unwrap();
        let buf = t.backend().buffer();
        let rows: Vec<String> = (0..40).map(|y| (0..100).map(|x| buf[(x, y)].symbol()).collect()).collect();
        let find = |name: &str| rows.iter().find(|r| r.contains(&format!("[{name}]"))).cloned().unwrap_or_default();
        assert!(find("undo").contains(" u ") && find("undo").contains("undo"), "{rows:#?}");
        assert!(find("redo").contains("Ctrl-r"), "{rows:#?}");
        assert!(find("page_or_next_unread").contains("Space"), "{rows:#?}");
        assert!(rows.iter().any(|r| r.contains(" Keys ")), "{rows:#?}");
    }

    #[test]
    fn the_overlay_fits_small_screens() {
        for (w, h) in [(0, 0), (10, 5), (200, 80)] {
            let r = area(w, h);
            assert!(r.right() <= w && r.bottom() <= h, "{r:?} in {w}x{h}");
        }
    }
}
