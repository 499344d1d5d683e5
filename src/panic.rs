//! Panics from code that handles hostile input (the feed parser, the HTML
//! renderer) are contained: they become an error for that one feed or
//! article, stay off the terminal, and go to the log.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic inside it into `None`.
pub fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.ok()
}

/// Installs a panic hook (wrapping the current one) that logs contained
/// panics instead of printing them. Call again after `ratatui::init()` so it
/// sits in front of the terminal-restoring hook.
pub fn install_hook() {
    install_hook_with(|| {});
}

/// Like `install_hook`, running `before` ahead of the previous hook for
/// panics that are not contained (used to release the mouse).
pub fn install_hook_with(before: impl Fn() + Send + Sync + 'static) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CONTAINED.with(Cell::get) {
            tracing::warn!("contained panic: {info}");
        } else {
            tracing::error!("panic: {info}");
            before();
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_none_and_ok_values_pass() {
        assert_eq!(contained(|| 7), Some(7));
        assert_eq!(contained(|| -> i32 { panic!("boom") }), None);
        assert!(!CONTAINED.with(Cell::get));
    }
}
