//! `tidings read ID…` / `tidings unread ID…`: mark items, as one journal
//! entry (undoable with `u` in the reader, like its `r`). With `[sync]`, the
//! changes to the server's items wait in the outbox for the next sync.

use std::io::Write;

use super::{EXIT_OK, EXIT_PARTIAL};
use crate::store::Store;

pub fn run(store: &mut Store, ids: &[String], read: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let what = if read { "read" } else { "unread" };
    let mut known = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        let id = id.trim().to_ascii_lowercase();
        if store.has_item(&id)? {
            if !known.contains(&id) {
                known.push(id);
            }
        } else {
            missing.push(id);
        }
    }
    let changed = store.set_read(&known, read)?;
    let already = known.len() - changed;
    let mut line = format!("marked {changed} {} {what}", if changed == 1 { "item" } else { "items" });
    if already > 0 {
        line.push_str(&format!(" ({already} already {what})"));
    }
    let waiting = store.outbox_len()?;
    if changed > 0 && waiting > 0 {
        let changes = if waiting == 1 { "1 change waits".to_string() } else { format!("{waiting} changes wait") };
        line.push_str(&format!("; {changes} for the next sync"));
    }
    writeln!(out, "{line}")?;
    for id in &missing {
        let _ = writeln!(std::io::stderr(), "tidings: no item with ID {}", crate::article::sanitize::line(id));
    }
    Ok(if missing.is_empty() { EXIT_OK } else { EXIT_PARTIAL })
}
