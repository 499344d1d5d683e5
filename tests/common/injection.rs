//! Injection fixtures written for tidings: every class of escape sequence
//! (CSI, OSC with BEL and ST, DCS, SOS, PM, APC, SS2/SS3, their 8-bit C1
//! forms), bidi controls and invisible code points, in every field a feed
//! has, raw and as HTML character references; plus the checks every output
//! must pass.

/// A title with one of everything. `owned`, `ZXZpbA` and `[31m` are the
/// payloads: after sanitising none of them may be left.
pub const TITLE: &str = "CSI \u{1b}[31mRED\u{1b}[0m OSC \u{1b}]0;owned\u{7} ST \u{1b}]52;c;ZXZpbA==\u{1b}\\ \
    DCS \u{1b}P1$qowned\u{1b}\\ APC \u{1b}_owned\u{1b}\\ PM \u{1b}^owned\u{1b}\\ SOS \u{1b}Xowned\u{1b}\\ \
    SS \u{1b}Nx\u{1b}Oy C1 \u{9b}31m\u{9d}0;owned\u{9c}\u{90}owned\u{9c}\u{9f}owned\u{9c}\u{9e}owned\u{9c} \
    bidi \u{202e}lve\u{202c}\u{2066}iso\u{2069}\u{200f} invisible a\u{200b}b\u{ad}c\u{34f}d\u{115f}e\u{3164}f\
    \u{e0041}\u{e007f}g\u{2060}h\u{feff}i zwj x\u{200d}日[14] family 👩\u{200d}👩\u{200d}👧 end\u{7}\u{8}\u{d}";

/// The same payloads as HTML character references (decoded by the HTML parser).
pub const BODY_REFS: &str = "refs &#27;[31mRED&#x1b;[0m &#x1B;]0;owned&#7; &#155;31m &#x202e;lve &#x200b;z &#173;";

/// A JSON Feed (raw control characters are legal there, escaped) carrying the
/// payloads in the feed title, item title, author, link, tags and content.
pub fn json_feed(base: &str) -> String {
    let body = format!("<p>{TITLE}</p><p>{BODY_REFS}</p><h2>{TITLE}</h2><a href=\"{base}/page\">{TITLE}</a>");
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": format!("Feed {TITLE}"),
        "home_page_url": format!("{base}/home\u{202e}\u{1b}"),
        "items": [
            {
                "id": "evil-1",
                "url": format!("{base}/page"),
                "title": TITLE,
                "content_html": body,
                "date_published": "2024-06-18T21:05:00Z",
                "authors": [{ "name": format!("mal@example.com (Mal {TITLE})") }],
                "tags": [format!("tag\u{1b}[31m\u{202e}x")],
            },
            {
                "id": "evil-2",
                "url": format!("{base}/page2"),
                "title": format!("second {TITLE}"),
                "content_text": TITLE,
                "date_published": "2024-06-17T21:05:00Z",
            }
        ]
    })
    .to_string()
}

/// An article page for `show --full` and `f`.
pub fn page() -> String {
    format!(
        "<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>{}</article></body></html>",
        format!("<p>A paragraph long enough to be the article, with {TITLE} inside it, and {BODY_REFS}.</p>").repeat(4)
    )
}

/// What no output may contain: the first offending thing, described.
pub fn dirt(text: &str) -> Option<String> {
    controls(text).or_else(|| {
        ["owned", "ZXZpbA", "[31m", "[0m", "]0;", "$q"]
            .iter()
            .find(|p| text.contains(*p))
            .map(|p| format!("escape-sequence residue {p:?}"))
    })
}

/// Control, bidi and invisible characters only (for text written by others,
/// which may say anything).
pub fn controls(text: &str) -> Option<String> {
    if let Some(c) = text.chars().find(|&c| (c < ' ' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)) {
        return Some(format!("control character U+{:04X}", c as u32));
    }
    if let Some(c) = tidings::article::sanitize::first_unsafe(text) {
        return Some(format!("invisible or bidi U+{:04X}", c as u32));
    }
    None
}

/// `check` of every string in a JSON document (escapes decoded).
pub fn json_dirt(doc: &serde_json::Value, check: fn(&str) -> Option<String>) -> Option<String> {
    match doc {
        serde_json::Value::String(s) => check(s).map(|d| format!("{d} in {s:?}")),
        serde_json::Value::Array(a) => a.iter().find_map(|v| json_dirt(v, check)),
        serde_json::Value::Object(o) => o.values().find_map(|v| json_dirt(v, check)),
        _ => None,
    }
}
