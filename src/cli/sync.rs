//! `tidings sync [--json]` (and `fetch` with `[sync]`): push the outbox and
//! pull from the server once, a line per step as it ends; exit 1 when a step
//! fails (the steps before it are kept). Progress of a long first sync goes
//! to stderr when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use serde_json::json;

use super::EXIT_OK;
use crate::article::sanitize;
use crate::config::{Config, SyncConfig};
use crate::feed::Fetcher;
use crate::store::Store;
use crate::sync::{AnyBackend, SyncEvent};

/// How often the progress line on a terminal is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// A sync that failed: exit 1 with the step and the reason on one line.
#[derive(Debug, thiserror::Error)]
#[error("sync failed at {step}: {error}")]
pub struct SyncFailed {
    pub step: String,
    pub error: String,
}

pub async fn run(
    cfg: &Config,
    sync: &SyncConfig,
    store: &mut Store,
    json: bool,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<i32> {
    let password =
        crate::sync::secret::password(sync).map_err(|e| SyncFailed { step: "start".into(), error: e.to_string() })?;
    let backend = AnyBackend::new(sync, &password, Fetcher::new(&cfg.poller)?)
        .map_err(|e| SyncFailed { step: "start".into(), error: e.to_string() })?;
    drop(password);
    let account = crate::sync::account(sync);
    let tty = std::io::stderr().is_terminal();
    let mut steps = Vec::new();
    let mut failed = None;
    let mut write_error = None;
    let mut last_progress = Instant::now() - PROGRESS_EVERY;
    let mut report = |event: SyncEvent| match event {
        SyncEvent::Step { step, detail } => {
            let detail = sanitize::line(&detail).into_owned();
            if tty && !json {
                eprint!("\r\x1b[K");
            }
            if !json && let Err(e) = writeln!(out, "{step}: {detail}") {
                write_error.get_or_insert(e);
            }
            steps.push(json!({ "step": step, "detail": detail }));
        }
        SyncEvent::Progress { done, total } if tty && last_progress.elapsed() >= PROGRESS_EVERY => {
            last_progress = Instant::now();
            match total {
                Some(t) => eprint!("\r\x1b[Kitems: {done}/{t}"),
                None => eprint!("\r\x1b[Kitems: {done}"),
            }
        }
        SyncEvent::Failed { step, error } => failed = Some((step, sanitize::line(&error).into_owned())),
        _ => {}
    };
    let result = crate::sync::run_once(&backend, store, &account, &mut report).await;
    if tty {
        eprint!("\r\x1b[K");
    }
    if let Some(e) = write_error {
        return Err(e.into());
    }
    let outbox = store.outbox_len()?;
    if json {
        let doc = json!({
            "ok": result.is_ok(),
            "steps": steps,
            "summary": result.as_ref().ok(),
            "failed_step": failed.as_ref().map(|(s, _)| s),
            "error": failed.as_ref().map(|(_, e)| e),
            "outbox": outbox,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    }
    match (result, failed) {
        (Ok(summary), _) => {
            if !json {
                let waiting = match outbox {
                    0 => "outbox empty".to_string(),
                    n => format!("{n} changes still waiting"),
                };
                writeln!(out, "synced: {}; {waiting}", summary.words())?;
            }
            Ok(EXIT_OK)
        }
        (Err(e), failed) => {
            let (step, error) = failed.unwrap_or(("sync", e.to_string()));
            Err(SyncFailed { step: step.into(), error }.into())
        }
    }
}
