//! Styles. With colour off (NO_COLOR) everything that matters — selection,
//! unread, focus, errors — is still carried by modifiers.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

impl Theme {
    /// Honours NO_COLOR (https://no-color.org): set and non-empty turns colour off.
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    fn fg(self, c: Color) -> Style {
        if self.color { Style::default().fg(c) } else { Style::default() }
    }

    pub fn border(self, focused: bool) -> Style {
        if focused { self.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { self.fg(Color::DarkGray) }
    }

    pub fn title(self, focused: bool) -> Style {
        if focused { Style::default().add_modifier(Modifier::BOLD) } else { Style::default() }
    }

    /// The selected row: reversed, so it shows without colour too.
    pub fn selected(self, focused: bool) -> Style {
        let s = Style::default().add_modifier(Modifier::REVERSED);
        if focused { s.add_modifier(Modifier::BOLD) } else { s }
    }

    pub fn unread(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn read(self) -> Style {
        if self.color { self.fg(Color::Gray) } else { Style::default() }
    }

    pub fn dim(self) -> Style {
        if self.color { self.fg(Color::DarkGray) } else { Style::default().add_modifier(Modifier::DIM) }
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn saved(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn status_bar(self) -> Style {
        if self.color { Style::default().bg(Color::Black).fg(Color::White) } else { Style::default() }
    }

    pub fn badge(self) -> Style {
        if self.color {
            Style::default().bg(Color::Cyan).fg(Color::Black).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}
