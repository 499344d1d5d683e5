//! Width-aware text helpers: columns stay aligned with wide and combining
//! characters. Widths are counted per grapheme cluster, exactly as ratatui
//! lays cells out (an emoji ZWJ sequence is one two-cell cluster, not the sum
//! of its emoji).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::model::Timestamp;

/// `s` cut to `width` columns (with "…" when cut) and padded with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = truncate(s, width);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// `s` cut to at most `width` columns, ending in "…" when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    out
}

pub use crate::layout::{is_url, wrap};

/// "now", "5m", "3h", "2d", "6w", "2y": how long ago `then` was.
pub fn age(now: Timestamp, then: Timestamp) -> String {
    age_of(now, then).to_string()
}

// — #10 keys —
/// How long ago, as `age` writes it, before it is written: the list
/// compares and measures the ages on screen every frame without writing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    /// None: "now"; else how many of `unit` (`m`, `h`, `d`, `w`, `y`).
    count: Option<i64>,
    unit: char,
}

pub fn age_of(now: Timestamp, then: Timestamp) -> Age {
    let secs = (now - then).max(0);
    let (count, unit) = match secs {
        s if s < 60 => (None, ' '),
        s if s < 3600 => (Some(s / 60), 'm'),
        s if s < 86_400 => (Some(s / 3600), 'h'),
        s if s < 7 * 86_400 => (Some(s / 86_400), 'd'),
        s if s < 365 * 86_400 => (Some(s / (7 * 86_400)), 'w'),
        s => (Some(s / (365 * 86_400)), 'y'),
    };
    Age { count, unit }
}

impl Age {
    /// Columns it takes when written.
    pub fn width(self) -> usize {
        self.count.map_or(3, |n| n.max(1).ilog10() as usize + 2)
    }
}

impl std::fmt::Display for Age {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.count {
            None => f.write_str("now"),
            Some(n) => write!(f, "{n}{}", self.unit),
        }
    }
}

/// A timestamp in the configured format, shifted to local time.
pub fn date(ts: Timestamp, utc_offset: i32, format: &str) -> String {
    use std::fmt::Write;
    let Some(dt) = chrono::DateTime::from_timestamp(ts + i64::from(utc_offset), 0) else {
        return String::new();
    };
    let mut out = String::new();
    // A bad format string must not crash drawing.
    match write!(out, "{}", dt.naive_utc().format(format)) {
        Ok(()) => out,
        Err(_) => dt.naive_utc().format("%Y-%m-%d %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_columns() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("東京都庁", 5), "東京…");
        assert_eq!(fit("東京都庁", 6), "東京… ");
        assert_eq!(fit("東京都庁", 6).width(), 6);
        assert_eq!(fit("e\u{301}e\u{301}", 2), "e\u{301}e\u{301}");
    }

    #[test]
    fn wrap_by_words() {
        assert_eq!(wrap("the quick brown fox", 9), ["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn urls_are_never_broken() {
        let url = "https://www.themoscowtimes.com/2024/06/18/putin-lands-in-north-korea-a85430";
        assert_eq!(wrap(&format!("see {url} now"), 30), ["see", url, "now"]);
        assert_eq!(wrap(&format!("({url})"), 30), [format!("({url})")]);
    }

    #[test]
    fn widths_are_counted_per_grapheme_like_ratatui() {
        let family = "👩\u{200d}👩\u{200d}👧";
        assert_eq!(fit(&format!("{family} family"), 10), format!("{family} family "));
        assert_eq!(fit(&format!("{family} family"), 10).width(), 10);
        assert_eq!(truncate(&format!("{family}{family}{family}"), 5), format!("{family}{family}…"));
        assert_eq!(wrap(&format!("{family}{family}{family}"), 4), [format!("{family}{family}"), family.to_string()]);
    }

    #[test]
    fn ages_measure_as_written() {
        for secs in [0, 59, 60, 599, 3_600, 36_000, 86_400, 6 * 86_400, 8 * 86_400, 400 * 86_400, 40_000 * 86_400] {
            let a = age_of(secs, 0);
            assert_eq!(a.width(), a.to_string().width(), "{a}");
        }
    }

    #[test]
    fn ages() {
        assert_eq!(age(1000, 990), "now");
        assert_eq!(age(10_000, 10_000 - 5 * 60), "5m");
        assert_eq!(age(100_000, 100_000 - 2 * 3600), "2h");
        assert_eq!(age(1_000_000, 1_000_000 - 86_400), "1d");
        assert_eq!(age(0, 100), "now", "future dates do not go negative");
    }

    #[test]
    fn dates() {
        assert_eq!(date(1718744700, 0, "%d %b %Y %H:%M"), "18 Jun 2024 21:05");
        assert_eq!(date(1718744700, 3600, "%H:%M"), "22:05");
    }
}
