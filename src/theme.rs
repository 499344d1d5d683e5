//! Styles by role, from `[ui] theme` (dark, light, mono) with `[ui.colors]`
//! laid over it. Whatever the colours, everything that matters — selection,
//! unread, focus, errors — is also carried by modifiers, so `mono` (and
//! NO_COLOR, which means mono) loses nothing.

use ratatui::style::{Color, Modifier, Style};

use crate::config::{ColorSpec, Role, ThemeName};

/// Every role, in the order of `Theme::styles`.
const ROLES: [Role; 12] = [
    Role::Border,
    Role::BorderDim,
    Role::Selected,
    Role::Unread,
    Role::Read,
    Role::Dim,
    Role::Accent,
    Role::Saved,
    Role::Error,
    Role::StatusBar,
    Role::Badge,
    // — #13 commands —
    Role::Match,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    styles: [Style; ROLES.len()],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::named(ThemeName::Dark)
    }
}

fn fg(c: Color) -> Style {
    Style::default().fg(c)
}

fn base(name: ThemeName, role: Role) -> Style {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    match (name, role) {
        (_, Role::Selected) => Style::default().add_modifier(Modifier::REVERSED),
        // — #13 commands —
        (ThemeName::Mono, Role::Match) => bold,
        (ThemeName::Dark, Role::Match) => Style::default().bg(Color::Yellow).fg(Color::Black),
        (ThemeName::Light, Role::Match) => Style::default().bg(Color::Indexed(228)).fg(Color::Black),
        (_, Role::Unread) => bold,
        (ThemeName::Mono, Role::Border | Role::Error) => bold,
        (ThemeName::Mono, Role::Dim) => Style::default().add_modifier(Modifier::DIM),
        (ThemeName::Mono, Role::Badge) => Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        (ThemeName::Mono, _) => Style::default(),
        (ThemeName::Dark, Role::Border) => fg(Color::Cyan).add_modifier(Modifier::BOLD),
        (ThemeName::Dark, Role::BorderDim | Role::Dim) => fg(Color::DarkGray),
        (ThemeName::Dark, Role::Read) => fg(Color::Gray),
        (ThemeName::Dark, Role::Accent) => fg(Color::Cyan),
        (ThemeName::Dark, Role::Saved) => fg(Color::Yellow),
        (ThemeName::Dark, Role::StatusBar) => Style::default().bg(Color::Black).fg(Color::White),
        (ThemeName::Dark, Role::Badge) => {
            Style::default().bg(Color::Cyan).fg(Color::Black).add_modifier(Modifier::BOLD)
        }
        (ThemeName::Light, Role::Border) => fg(Color::Blue).add_modifier(Modifier::BOLD),
        (ThemeName::Light, Role::BorderDim) => fg(Color::Indexed(248)),
        (ThemeName::Light, Role::Read) => fg(Color::Indexed(240)),
        (ThemeName::Light, Role::Dim) => fg(Color::Indexed(244)),
        (ThemeName::Light, Role::Accent) => fg(Color::Blue),
        (ThemeName::Light, Role::Saved) => fg(Color::Indexed(130)),
        (ThemeName::Light, Role::StatusBar) => Style::default().bg(Color::Indexed(254)).fg(Color::Black),
        (ThemeName::Light, Role::Badge) => {
            Style::default().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        }
        (_, Role::Error) => fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

impl Theme {
    pub fn named(name: ThemeName) -> Theme {
        Theme { styles: ROLES.map(|r| base(name, r)) }
    }

    /// No colours at all.
    pub fn mono() -> Theme {
        Theme::named(ThemeName::Mono)
    }

    /// The configured theme with the configured colours; NO_COLOR
    /// (https://no-color.org: set and non-empty) turns every colour off.
    pub fn from_config(ui: &crate::config::UiConfig) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            return Theme::mono();
        }
        let mut theme = Theme::named(ui.theme);
        for (&role, &spec) in &ui.colors {
            theme.set(role, spec);
        }
        theme
    }

    /// Lays a colour over a role's style (its modifiers stay). A selection
    /// given a background is drawn in those colours instead of reversed.
    pub fn set(&mut self, role: Role, spec: ColorSpec) {
        let style = &mut self.styles[role as usize];
        if let Some(c) = spec.fg {
            *style = style.fg(c);
        }
        if let Some(c) = spec.bg {
            *style = style.bg(c);
            if role == Role::Selected {
                *style = style.remove_modifier(Modifier::REVERSED);
            }
        }
    }

    pub fn style(self, role: Role) -> Style {
        self.styles[role as usize]
    }

    pub fn border(self, focused: bool) -> Style {
        self.style(if focused { Role::Border } else { Role::BorderDim })
    }

    pub fn title(self, focused: bool) -> Style {
        if focused { Style::default().add_modifier(Modifier::BOLD) } else { Style::default() }
    }

    /// The selected row: reversed by default, so it shows without colour too.
    pub fn selected(self, focused: bool) -> Style {
        let s = self.style(Role::Selected);
        if focused { s.add_modifier(Modifier::BOLD) } else { s }
    }

    pub fn unread(self) -> Style {
        self.style(Role::Unread)
    }

    pub fn read(self) -> Style {
        self.style(Role::Read)
    }

    pub fn dim(self) -> Style {
        self.style(Role::Dim)
    }

    pub fn accent(self) -> Style {
        self.style(Role::Accent)
    }

    pub fn saved(self) -> Style {
        self.style(Role::Saved)
    }

    pub fn error(self) -> Style {
        self.style(Role::Error)
    }

    pub fn status_bar(self) -> Style {
        self.style(Role::StatusBar)
    }

    pub fn badge(self) -> Style {
        self.style(Role::Badge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_index_their_own_style() {
        for (i, r) in ROLES.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r:?}");
        }
    }

    #[test]
    fn themes_differ_and_mono_has_no_colour() {
        let (dark, light, mono) =
            (Theme::named(ThemeName::Dark), Theme::named(ThemeName::Light), Theme::named(ThemeName::Mono));
        assert_ne!(dark.accent(), light.accent());
        for r in ROLES {
            let s = mono.style(r);
            assert_eq!((s.fg, s.bg), (None, None), "{r:?}");
        }
        // What colour carries is also carried without it.
        assert!(mono.selected(true).add_modifier.contains(Modifier::REVERSED));
        assert!(mono.unread().add_modifier.contains(Modifier::BOLD));
        assert!(mono.error().add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn colours_override_roles() {
        let mut t = Theme::default();
        t.set(Role::Accent, "magenta".parse().unwrap());
        assert_eq!(t.accent().fg, Some(Color::Magenta));
        t.set(Role::Selected, "black on yellow".parse().unwrap());
        let s = t.selected(false);
        assert_eq!((s.fg, s.bg), (Some(Color::Black), Some(Color::Yellow)));
        assert!(!s.add_modifier.contains(Modifier::REVERSED));
    }
}
