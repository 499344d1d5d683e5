//! The query language: any text parses or gives an error with a column
//! inside it; a parse prints back to the same tree; and whatever parses,
//! SQLite runs (list and count) without an error.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use tidings::model::View;
use tidings::store::Store;

fn store() -> &'static Mutex<Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE.get_or_init(|| Mutex::new(Store::open_in_memory().expect("an in-memory store")))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match tidings::query::parse(text) {
        Err(e) => assert!(e.column <= text.chars().count(), "column {} past the end of {text:?}", e.column),
        Ok(expr) => {
            let again = tidings::query::parse(&expr.to_string());
            assert_eq!(again.as_ref().ok().map(ToString::to_string), Some(expr.to_string()), "{text:?}");
            let store = store().lock().expect("the store");
            let view = View::Query(text.to_string());
            if let Err(e) = store.list_rows(&view, Some(5)) {
                panic!("{text:?} parsed but SQLite refused it: {e}");
            }
            if let Err(e) = store.count_view(&view) {
                panic!("{text:?} parsed but its count failed: {e}");
            }
        }
    }
});
