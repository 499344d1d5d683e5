//! The config loader: any text loads or gives an error naming a line inside
//! it; a config that loads can be edited (a feed added) and still loads.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tidings::config::edit::{ConfigFile, NewFeed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("/fuzz/config.toml");
    match tidings::config::parse(text, path) {
        Err(tidings::config::ConfigError::Invalid { line, .. }) => {
            assert!(line >= 1 && line <= text.lines().count().max(1) + 1, "line {line} outside the text");
        }
        Err(e) => panic!("a parse error that is not Invalid: {e}"),
        Ok(_) => {
            let mut file = ConfigFile::parse(text, path).expect("a config that loads can be edited");
            let feed = NewFeed {
                url: "https://fuzz.example/new.xml".into(),
                title: Some("T \"q\"".into()),
                tags: vec!["t".into()],
            };
            file.add_feed(&feed);
            let edited = file.to_text();
            if let Err(e) = tidings::config::parse(&edited, path) {
                panic!("adding a feed broke the config: {e}\n--- before\n{text}\n--- after\n{edited}");
            }
        }
    }
});
