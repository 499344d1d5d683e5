//! `tidings search`: full-text search, best matches first.

use std::io::Write;

use super::EXIT_OK;
use super::list::{checked, clean, line};
use crate::store::{SearchHit, Store};

pub fn run(store: &Store, query: &str, limit: Option<usize>, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    checked(query)?;
    let hits: Vec<SearchHit> =
        store.search(query, limit)?.into_iter().map(|h| SearchHit { item: clean(h.item), ..h }).collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &hits)?;
        writeln!(out)?;
    } else {
        for h in &hits {
            line(out, &h.item)?;
        }
    }
    Ok(EXIT_OK)
}
