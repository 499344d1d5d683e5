//! Feed parsing, recovery included: any bytes give a feed or an error,
//! never an uncontained panic. (Panics inside the parser are contained by
//! `tidings::panic::contained` and become that feed's error, as in the app.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(tidings::panic::install_hook);
    if let Ok(feed) = tidings::feed::parse::parse("https://fuzz.example/feed.xml", data) {
        for item in &feed.items {
            assert!(!item.key.is_empty(), "every item has a key");
        }
    }
});
