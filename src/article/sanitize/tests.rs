use super::*;

#[test]
fn plain_text_is_borrowed() {
    assert!(matches!(line("Putin & the \"Partnership\" <Treaty>"), Cow::Borrowed(_)));
    assert!(matches!(text("two\nlines"), Cow::Borrowed(_)));
    assert!(matches!(line("👩\u{200d}👩\u{200d}👧 family"), Cow::Borrowed(_)));
}

#[test]
fn whole_escape_sequences_are_removed() {
    // CSI: colours, erase screen, private modes.
    assert_eq!(line("Evil \x1b[31mRED\x1b[0m title"), "Evil RED title");
    assert_eq!(line("a\x1b[2Jb\x1b[?1049hc\x1b[1;31;4mD"), "abcD");
    // OSC ended by BEL or by ST: window title, clipboard, hyperlinks.
    assert_eq!(line("a\x1b]0;pwned\x07b"), "ab");
    assert_eq!(line("x\x1b]52;c;ZXZpbA==\x1b\\y"), "xy");
    assert_eq!(line("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"), "link");
    // DCS, SOS, PM, APC strings.
    assert_eq!(line("a\x1bP1$qm\x1b\\b"), "ab");
    assert_eq!(line("a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d"), "abcd");
    // SS2/SS3 take one character; other escapes their final byte.
    assert_eq!(line("a\x1bNxb\x1bOyc"), "abc");
    assert_eq!(line("a\x1bcb\x1b7c\x1b(Bd\x1b#8e"), "abcde");
    // 8-bit C1 forms.
    assert_eq!(line("c1\u{9b}31mred"), "c1red");
    assert_eq!(line("a\u{9d}0;title\u{9c}b"), "ab");
    assert_eq!(line("a\u{90}dcs\u{9c}b\u{9e}pm\u{9c}c\u{9f}apc\u{9c}d\u{98}sos\u{9c}e"), "abcde");
    assert_eq!(line("a\u{8e}xb\u{8f}yc"), "abc");
    // A lone ESC goes, the text after it stays.
    assert_eq!(line("a\x1b"), "a");
    assert_eq!(line("a\x1b\u{e9}t\u{e9}"), "a\u{e9}t\u{e9}");
    // CAN aborts a sequence; an unterminated string ends at the line's end.
    assert_eq!(line("a\x1b[3\x18b"), "ab");
    assert_eq!(text("a\x1b]0;never ended\nnext line"), "a\nnext line");
}

#[test]
fn bidi_and_invisible_code_points_are_removed() {
    assert_eq!(line("abc\u{202e}fed\u{202c}"), "abcfed");
    assert_eq!(line("a\u{2066}b\u{2069}c\u{200e}d\u{200f}e\u{61c}f"), "abcdef");
    assert_eq!(line("zero\u{200b}width\u{feff}"), "zerowidth");
    for c in [
        '\u{ad}',
        '\u{34f}',
        '\u{115f}',
        '\u{1160}',
        '\u{3164}',
        '\u{ffa0}',
        '\u{17b4}',
        '\u{180e}',
        '\u{200c}',
        '\u{2060}',
        '\u{2064}',
        '\u{206f}',
        '\u{fe0f}',
        '\u{fe0e}',
        '\u{fff9}',
        '\u{e0001}',
        '\u{e0041}',
        '\u{e007f}',
        '\u{e0100}',
        '\u{1d173}',
        '\u{1bca0}',
        '\u{13430}',
    ] {
        let s = format!("in{c}visible");
        assert_eq!(line(&s), "invisible", "U+{:04X}", c as u32);
        assert_eq!(text(&s), "invisible", "U+{:04X}", c as u32);
        assert!(is_unsafe(c), "U+{:04X}", c as u32);
    }
}

#[test]
fn zero_width_joiner_stays_only_between_wide_emoji() {
    // Emoji ZWJ sequences: two cells for unicode-width and for terminals.
    for s in ["👩\u{200d}👩\u{200d}👧", "👨\u{200d}💻", "🧑\u{200d}🤝\u{200d}🧑"] {
        assert_eq!(line(s), s);
        assert_eq!(unicode_width::UnicodeWidthStr::width(s), 2);
    }
    // Anywhere else a terminal glues the next character onto the previous cell.
    assert_eq!(line("x\u{200d}日"), "x日");
    assert_eq!(line("\u{200d}日[14]"), "日[14]");
    assert_eq!(line("👩\u{200d}"), "👩");
    assert_eq!(line("👩\u{200d}x"), "👩x");
    // Text-presentation pictographs are narrow: the sequence falls apart consistently.
    assert_eq!(line("🏳\u{fe0f}\u{200d}🌈"), "🏳🌈");
    assert_eq!(line("❤\u{fe0f}"), "❤");
    // Skin tones after an emoji are drawn apart by terminals: they go.
    assert_eq!(line("👍🏽 ok"), "👍 ok");
    assert_eq!(line("🏽"), "🏽");
}

#[test]
fn cell_width_of_sanitised_text_is_what_ratatui_draws() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use unicode_width::UnicodeWidthStr;
    let hostile = [
        "x\u{200d}日本",
        "👩\u{200d}👩\u{200d}👧 family",
        "a\u{ad}b\u{3164}c\u{115f}d",
        "👍🏽x",
        "🏳\u{fe0f}\u{200d}🌈!",
        "tag\u{e0041}\u{e0042}s",
        "e\u{301}t\u{301}",
        "🇺🇦 flag",
    ];
    for raw in hostile {
        let s = line(raw);
        let mut buf = Buffer::empty(Rect::new(0, 0, 40, 1));
        let (end, _) = buf.set_stringn(0, 0, s.as_ref(), 40, ratatui::style::Style::default());
        assert_eq!(usize::from(end), s.width(), "{raw:?} → {s:?}");
        // Every character of it is accounted for per grapheme, as the list lays rows out.
        let graphemes: usize =
            unicode_segmentation::UnicodeSegmentation::graphemes(s.as_ref(), true).map(UnicodeWidthStr::width).sum();
        assert_eq!(graphemes, s.width(), "{s:?}");
    }
}

#[test]
fn whitespace_is_collapsed_in_lines() {
    assert_eq!(line("  two\n  lines\r\n\tand tab "), "two lines and tab");
}

#[test]
fn text_keeps_newlines() {
    assert_eq!(text("a\r\nb\tc\x08"), "a\nb    c");
    assert_eq!(text("a\u{2028}b\u{2029}c"), "a b c");
    assert_eq!(line("a\u{2028}b"), "a b");
    assert_eq!(text("one\x1b[1m bold\x1b[0m\ntwo"), "one bold\ntwo");
}

#[test]
fn world_text_survives() {
    for s in ["Zoë's café — 東京 — Москва", "مرحبا بالعالم", "👩‍👩‍👧 family", "한국어 텍스트", "ผู้ใหญ่"]
    {
        assert_eq!(line(s), s);
        assert_eq!(first_unsafe(s), None);
    }
}

#[test]
fn first_unsafe_finds_what_line_removes() {
    assert_eq!(first_unsafe("ok"), None);
    assert_eq!(first_unsafe("a\u{1b}b"), Some('\u{1b}'));
    assert_eq!(first_unsafe("x\u{200d}日"), Some('\u{200d}'));
    assert_eq!(first_unsafe("a\u{3164}"), Some('\u{3164}'));
}

#[test]
fn html_references_to_controls_start_sequences_too() {
    assert_eq!(html("a &#27;[31mred&#x1B;[0m b"), "a red b");
    assert_eq!(html("&#155;1mx&#x9d;0;t&#7;y"), "xy");
    assert_eq!(html("keep &#38; &#x41; &#; &#xZZ;"), "keep &#38; &#x41; &#; &#xZZ;");
}

#[test]
fn authors_show_their_name() {
    assert_eq!(author("evil@example.com (Mallory X)"), "Mallory X");
    assert_eq!(author("\"Jane Doe\" <jane@example.com>"), "Jane Doe");
    assert_eq!(author("Jane Doe"), "Jane Doe");
    assert_eq!(author("jane@example.com"), "jane@example.com");
    assert_eq!(author("Reuters (Moscow)"), "Reuters (Moscow)");
    assert_eq!(author("x@y.example (\u{1b}[31mMal\u{202e}lory)"), "Mallory");
}
