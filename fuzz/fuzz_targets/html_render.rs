//! HTML rendering at any width: never panics, and nothing unsafe for a
//! terminal comes out. The first two bytes choose the width.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(tidings::panic::install_hook);
    let (width, html) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]) % 300, String::from_utf8_lossy(rest)),
        _ => return,
    };
    let body = tidings::article::render::render(&html, Some("https://fuzz.example/a/b.html"), width);
    for line in body.plain_lines() {
        assert!(!line.chars().any(tidings::article::sanitize::is_unsafe), "unsafe character in {line:?}");
    }
});
