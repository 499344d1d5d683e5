//! The reader's start, before its first frame: the database is opened and
//! the first screen's rows and article are read on a thread of their own
//! while the config is parsed and checked (at a thousand feeds the parse
//! costs about as much as the reads on a cold file; together they would
//! add up). The reads need two settings of the config — the list's order
//! and whether stories fold — and those are read early from the config's
//! `[ui]` and `[stories]` tables alone; once the whole config is loaded, a
//! first screen read with other settings is dropped and read again.

use std::path::PathBuf;
use std::thread::JoinHandle;

use crate::app::update::list::FETCH_ROWS;
use crate::config::{Config, SortOrder};
use crate::model::{Article, ItemId, View};
use crate::store::{self, Folding, Store, Window};

/// The first screen as read on the start thread: the first rows of the
/// list (All) and the first row's article.
#[derive(Debug)]
pub struct FirstScreen {
    /// The order and folding the rows were read with.
    pub sort: SortOrder,
    pub folding: Folding,
    /// The undo journal's head (changes before it are not undone by `u`).
    pub journal_head: store::Result<i64>,
    pub window: store::Result<Window>,
    /// The first row's article, if there is a first row.
    pub article: Option<(ItemId, store::Result<Option<Article>>)>,
}

/// What the start thread hands back: the store (the loop's connection), and
/// the first screen when the settings could be told from the config's text.
pub struct Opened {
    pub store: store::Result<Store>,
    pub first: Option<FirstScreen>,
}

/// The start thread.
pub struct Start(JoinHandle<Opened>);

impl Start {
    /// Opens `db` (read-only when it cannot be written, as the reader does)
    /// and reads the first screen, with the settings in `config_text`.
    pub fn spawn(db: PathBuf, config_text: &str) -> std::io::Result<Start> {
        let settings = early_settings(config_text);
        let handle = std::thread::Builder::new().name("tidings-start".into()).spawn(move || {
            let store = Store::open_or_read_only(&db);
            let first = match (&store, settings) {
                (Ok(store), Some((sort, folding))) => Some(read_first_screen(store, sort, folding)),
                _ => None,
            };
            Opened { store, first }
        })?;
        Ok(Start(handle))
    }

    /// Waits for the thread's answer.
    pub fn join(self) -> Opened {
        match self.0.join() {
            Ok(opened) => opened,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The order and folding the list's windows are read with under `cfg`.
pub fn list_settings(cfg: &Config) -> (SortOrder, Folding) {
    let folding = Folding { on: cfg.stories.enabled, prefer: cfg.stories.prefer.clone(), unfolded: Vec::new() };
    (cfg.ui.sort, folding)
}

/// `list_settings` from the config's `[ui]` and `[stories]` tables alone
/// (a small part of a config with many feeds); None when that part does
/// not parse by itself. A guess: the caller compares it with the settings
/// of the whole config.
pub fn early_settings(text: &str) -> Option<(SortOrder, Folding)> {
    let part = tables(text, &["ui", "stories"]);
    let cfg = crate::config::parse(&part, std::path::Path::new("")).ok()?;
    Some(list_settings(&cfg))
}

/// The lines of the tables `names` (`[name]` to the next table header).
fn tables(text: &str, names: &[&str]) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in text.lines() {
        if let Some(header) = crate::config::preview::table_header(line) {
            keep = names.iter().any(|n| header.strip_prefix('[').and_then(|h| h.strip_suffix(']')) == Some(n));
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The reads of the first screen, as `App::first_screen` does them.
pub fn read_first_screen(store: &Store, sort: SortOrder, folding: Folding) -> FirstScreen {
    store.set_list_order(sort);
    store.set_folding(folding.clone());
    let journal_head = store.journal_head();
    let window = store.window_top(&View::All, FETCH_ROWS);
    let article = match &window {
        Ok(w) => w.rows.first().map(|r| (r.id.clone(), store.article(&r.id))),
        Err(_) => None,
    };
    FirstScreen { sort, folding, journal_head, window, article }
}

// — #10 keys —
/// Bounds the allocator's arenas to two for the reader's process (glibc
/// makes up to eight per core, one per thread that allocates at once here:
/// the loop, the list reader, the article, writer and ingest threads, the
/// runtime's), so that freed memory is shared instead of kept per thread.
/// Called before the reader starts its threads.
pub fn bound_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; arenas made before
    // it stay as they are.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives the memory freed since the last call back to the system (glibc
/// keeps freed pages of each thread's arena otherwise): called when the
/// reader has gone quiet after work. A few hundred microseconds.
pub fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own
    // arenas; it takes each arena's lock like malloc does.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_settings_come_from_ui_and_stories_alone() {
        let text = "[poller]\ninterval = \"1h\"\n\n[ui] # the look\nsort = \"feed\"\n\n[[feed]]\nurl = \"https://a.example/\"\n\n[stories]\nprefer = [\"Wire\"]\n[[feed]]\nurl = \"x\"\n";
        let (sort, folding) = early_settings(text).unwrap();
        assert_eq!(sort, SortOrder::Feed);
        assert_eq!(folding, Folding { on: true, prefer: vec!["Wire".into()], unfolded: vec![] });
        assert_eq!(tables(text, &["ui"]), "[ui] # the look\nsort = \"feed\"\n\n");
        // Defaults without the tables; nothing when they do not parse alone.
        assert_eq!(early_settings("[[feed]]\nurl = \"https://a.example/\"\n"), Some(list_settings(&Config::default())));
        assert_eq!(early_settings("[ui]\nsort = \"sideways\"\n"), None);
    }
}
