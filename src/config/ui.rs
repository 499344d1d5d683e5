//! `[ui]`: layout, pane widths, theme and colours, dates, the browser.
//! Values are checked here, at load time, so a mistake is reported with its
//! line rather than found while drawing.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LayoutMode {
    /// Three columns from 120 columns up, stacked below that.
    #[default]
    Auto,
    Wide,
    Narrow,
}

/// A pane's width: a share of the room there is, or a number of columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Percent (10–90) of the width left for it.
    Percent(u16),
    /// Columns (at least 10).
    Columns(u16),
}

impl Width {
    /// The columns this comes to out of `room` (never all of it: the other pane needs some).
    pub fn of(self, room: u16) -> u16 {
        let w = match self {
            Width::Percent(p) => (u32::from(room) * u32::from(p) / 100) as u16,
            Width::Columns(c) => c,
        };
        w.min(room.saturating_sub(10)).max(room.min(10))
    }
}

impl FromStr for Width {
    type Err = String;

    fn from_str(s: &str) -> Result<Width, String> {
        let t = s.trim();
        let bad = || format!("invalid width \"{s}\"; write a share such as \"45%\" or columns such as 30");
        match t.strip_suffix('%') {
            Some(p) => match p.trim().parse::<u16>() {
                Ok(p @ 10..=90) => Ok(Width::Percent(p)),
                Ok(_) => Err(format!("width \"{s}\" out of range; use 10% to 90%")),
                Err(_) => Err(bad()),
            },
            None => match t.parse::<u16>() {
                Ok(c @ 10..=1000) => Ok(Width::Columns(c)),
                Ok(_) => Err(format!("width \"{s}\" out of range; use at least 10 columns")),
                Err(_) => Err(bad()),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Width {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Width, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Columns(u64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Columns(n) => n.to_string(),
            Raw::Text(s) => s,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The built-in colour schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    /// Colours for a dark terminal background.
    #[default]
    Dark,
    /// Colours for a light terminal background.
    Light,
    /// No colour at all: bold, dim, reverse and underline only (also what NO_COLOR gives).
    Mono,
}

/// What a colour is for on screen; `[ui.colors]` sets each by this name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The focused pane's border.
    Border,
    /// The other panes' borders.
    BorderDim,
    /// The selected row.
    Selected,
    /// Unread titles.
    Unread,
    /// Read titles.
    Read,
    /// Secondary text: feed names, ages, counts, hints.
    Dim,
    /// Marks and highlights: the unread dot, the article's byline, prompt labels.
    Accent,
    /// The reading-list star.
    Saved,
    /// Errors and failing feeds.
    Error,
    /// The status line.
    StatusBar,
    /// The mode badge on the status line.
    Badge,
    // — #13 commands —
    /// The `/` search's words where they occur in the list and the article.
    Match,
}

/// A colour for a role: `"red"`, `"#ff8800"`, `"208"`, or `"black on yellow"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorSpec {
    pub fg: Option<ratatui::style::Color>,
    pub bg: Option<ratatui::style::Color>,
}

impl FromStr for ColorSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<ColorSpec, String> {
        let color = |t: &str| -> Result<Option<ratatui::style::Color>, String> {
            let t = t.trim();
            if t.is_empty() || t == "default" {
                return Ok(None);
            }
            ratatui::style::Color::from_str(t).map(Some).map_err(|_| {
                format!("unknown colour \"{t}\"; use a name (red, lightblue, gray…), \"#rrggbb\" or 0–255")
            })
        };
        match s.split_once(" on ") {
            Some((fg, bg)) => Ok(ColorSpec { fg: color(fg)?, bg: color(bg)? }),
            None => Ok(ColorSpec { fg: color(s)?, bg: None }),
        }
    }
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ColorSpec, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    pub layout: LayoutMode,
    pub mark_read_on_open: bool,
    #[serde(deserialize_with = "de_date_format")]
    pub date_format: String,
    pub mouse: bool,
    pub theme: ThemeName,
    /// Per-role colours laid over the theme's.
    pub colors: BTreeMap<Role, ColorSpec>,
    /// The item list's share of the width beside the sidebar (three columns).
    pub list_width: Width,
    pub sidebar_width: Width,
    /// The command that opens links: `{url}` is replaced by the link (else it
    /// goes last). Unset: `$BROWSER`, else the desktop's opener.
    pub browser: Option<String>,
    /// The command `e` opens an enclosure with; `{url}` stands for its URL.
    /// None: the same opener as links.
    pub player: Option<String>,
    // — #13 feeds view —
    /// The sidebar's Feeds section: grouped under first tags, flat, or hidden.
    pub feeds: super::listing::FeedsMode,
    /// The list's order: date, feed, title or unread-first.
    pub sort: super::listing::SortOrder,
    // — #13 cmdline —
    /// A bulk change from the command line (`:read QUERY`…) that would change
    /// more items than this asks "… ? y/n" first.
    pub confirm_above: u64,
    // — #13 commands —
    /// Zen mode's (`z`) widest article text, in columns.
    pub max_width: u16,
    // — #13 images —
    /// Pictures in the article pane: detected protocol, half-blocks, or none.
    pub images: ImagesMode,
}

/// `[ui] images`: how the article pane shows an article's pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImagesMode {
    /// The terminal's graphics protocol (kitty, iTerm2, sixel), asked of the
    /// terminal at start; Unicode half-blocks where there is none.
    Auto,
    /// Unicode half-blocks (two coloured pixels per cell) in any terminal.
    Halfblocks,
    /// No pictures: `[image: alt]` placeholders, and nothing is fetched.
    #[default]
    Off,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            layout: LayoutMode::Auto,
            mark_read_on_open: true,
            date_format: "%d %b %Y %H:%M".to_string(),
            mouse: true,
            theme: ThemeName::Dark,
            colors: BTreeMap::new(),
            list_width: Width::Percent(50),
            sidebar_width: Width::Columns(24),
            browser: None,
            player: None,
            // — #13 images —
            images: ImagesMode::Off,
            max_width: 90,
            confirm_above: 50,
            // — #13 feeds view —
            feeds: super::listing::FeedsMode::Grouped,
            sort: super::listing::SortOrder::Date,
        }
    }
}

/// A strftime format chrono can use: `"%Q %"` is refused here, not
/// silently replaced when a date is drawn.
pub fn check_date_format(format: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    match StrftimeItems::new(format).position(|i| matches!(i, Item::Error)) {
        None => Ok(()),
        Some(_) => Err(format!(
            "invalid date format \"{format}\"; use strftime codes such as \"%d %b %Y %H:%M\" (%% for a percent sign)"
        )),
    }
}

fn de_date_format<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check_date_format(&s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_parse_and_apply() {
        assert_eq!("45%".parse(), Ok(Width::Percent(45)));
        assert_eq!("30".parse(), Ok(Width::Columns(30)));
        assert!("5%".parse::<Width>().is_err());
        assert!("wide".parse::<Width>().is_err());
        assert_eq!(Width::Percent(50).of(136), 68);
        assert_eq!(Width::Columns(200).of(136), 126, "the other pane keeps 10 columns");
        assert_eq!(Width::Columns(20).of(5), 5);
    }

    #[test]
    fn colours_parse() {
        use ratatui::style::Color;
        assert_eq!("red".parse(), Ok(ColorSpec { fg: Some(Color::Red), bg: None }));
        assert_eq!(
            "black on #ffcc00".parse(),
            Ok(ColorSpec { fg: Some(Color::Black), bg: Some(Color::Rgb(255, 204, 0)) })
        );
        assert_eq!("208".parse(), Ok(ColorSpec { fg: Some(Color::Indexed(208)), bg: None }));
        assert!("blurple".parse::<ColorSpec>().is_err());
    }

    #[test]
    fn date_formats_are_checked() {
        assert!(check_date_format("%d %b %Y %H:%M").is_ok());
        assert!(check_date_format("100%% %H").is_ok());
        assert!(check_date_format("%Q %").is_err());
        assert!(check_date_format("%").is_err());
    }
}
