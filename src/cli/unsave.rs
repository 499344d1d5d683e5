//! `tidings unsave ID`: take an entry out of the reading list (undoable with
//! `u` in the reader, like every change).

use std::io::Write;

use super::{EXIT_OK, UsageError};
use crate::article::sanitize;
use crate::store::Store;

pub fn run(store: &mut Store, id: &str, out: &mut impl Write) -> anyhow::Result<i32> {
    let id = id.trim();
    // The URL of a saved entry works too.
    let resolved = match store.reading_entry(&id.to_ascii_lowercase())? {
        Some(e) => Some(e.id),
        None => store.saved_with_link(id)?,
    };
    let title = match resolved {
        Some(id) => store.unsave(&id)?,
        None => None,
    };
    match title {
        Some(title) => writeln!(out, "removed from the reading list: {}", sanitize::line(&title))?,
        None => return Err(UsageError(format!("no reading-list entry with ID {id}")).into()),
    }
    Ok(EXIT_OK)
}
