//! `tidings stats`: counts, database size, and per feed its last status (the
//! HTTP code or the error in words), last success, item count and next poll.

use std::io::Write;

use serde_json::{Value, json};

use super::EXIT_OK;
use crate::article::sanitize;
use crate::config::SyncConfig;
use crate::feed::fetch::{human_size, local_time};
use crate::model::{FeedHealth, Timestamp, rfc3339};
use crate::store::{Store, SyncStatus};
use crate::ui::text::fit;

/// The last status in words: "ok (200)", "timed out (3 failures in a row)", …
pub fn status_words(h: &FeedHealth) -> String {
    if h.last_fetch.is_none() {
        return "not fetched yet".into();
    }
    match (&h.error, h.status) {
        (Some(e), _) if h.failures > 1 => format!("{e} ({} failures in a row)", h.failures),
        (Some(e), _) => e.clone(),
        (None, Some(304)) => "ok (304 not modified)".into(),
        (None, Some(code)) => format!("ok ({code})"),
        (None, None) => "ok".into(),
    }
}

/// When the feed is fetched next, in words.
pub fn next_words(h: &FeedHealth, now: Timestamp) -> String {
    if let Some(at) = h.retry_at.filter(|at| *at > now) {
        return format!("{} (server asked to wait)", local_time(at));
    }
    match h.next_poll {
        Some(at) if at > now => local_time(at),
        _ => "due now".into(),
    }
}

/// A feed's name for a column: a URL standing in for a missing title keeps its end.
fn name_column(h: &FeedHealth, width: usize) -> String {
    let name = sanitize::line(&h.title);
    if h.title != h.url || name.chars().count() <= width {
        return fit(&name, width);
    }
    let bare = name.split_once("://").map_or(&*name, |(_, rest)| rest);
    let tail: String = bare.chars().rev().take(width - 1).collect::<Vec<_>>().into_iter().rev().collect();
    fit(&format!("…{tail}"), width)
}

fn when(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "never".into(), local_time)
}

/// One feed as JSON; text from the network sanitised.
pub fn feed_json(h: &FeedHealth, now: Timestamp) -> Value {
    let clean = |s: &str| sanitize::line(s).into_owned();
    json!({
        "url": h.url,
        "title": clean(&h.title),
        "tags": h.tags.iter().map(|t| clean(t)).collect::<Vec<_>>(),
        "healthy": h.error.is_none(),
        "status": h.status,
        "error": h.error.as_deref().map(clean),
        "status_text": clean(&status_words(h)),
        "failures": h.failures,
        "last_fetch": h.last_fetch.and_then(rfc3339),
        "last_success": h.last_success.and_then(rfc3339),
        "next_poll": h.next_poll.map(|t| t.max(now)).and_then(rfc3339),
        "retry_at": h.retry_at.filter(|t| *t > now).and_then(rfc3339),
        "moved_to": h.moved_to.as_deref().map(clean),
        "items": h.items,
        "unread": h.unread,
        "repaired": h.repaired.as_deref().map(clean),
    })
}

/// The sync's state in words: "last sync 14:05 (3 new items) · outbox empty".
pub fn sync_words(st: &SyncStatus) -> String {
    let last = match (&st.error, st.last_success) {
        (Some(e), ok) => {
            let since = ok.map_or_else(|| "never synced".to_string(), |t| format!("last success {}", local_time(t)));
            let times = if st.failures > 1 { format!(" ({} failures in a row)", st.failures) } else { String::new() };
            format!("failing: {e}{times} · {since}")
        }
        (None, Some(t)) => format!("last sync {} ({})", local_time(t), st.summary.as_deref().unwrap_or("ok")),
        (None, None) => "not synced yet".to_string(),
    };
    let outbox = match st.outbox {
        0 => "outbox empty".to_string(),
        1 => "outbox: 1 change waiting".to_string(),
        n => format!("outbox: {n} changes waiting"),
    };
    format!("{last} · {outbox} · {} items from the server", st.items)
}

fn sync_json(cfg: &SyncConfig, st: &SyncStatus) -> Value {
    json!({
        "url": cfg.url,
        "user": cfg.user,
        "healthy": st.error.is_none() && st.last_success.is_some(),
        "error": st.error.as_deref().map(|e| sanitize::line(e).into_owned()),
        "failures": st.failures,
        "last_attempt": st.last_attempt.and_then(rfc3339),
        "last_success": st.last_success.and_then(rfc3339),
        "summary": st.summary,
        "outbox": st.outbox,
        "items": st.items,
    })
}

pub fn run(store: &Store, sync: Option<&SyncConfig>, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let now = crate::app::system_clock();
    let sync = sync.map(|cfg| store.sync_status().map(|st| (cfg, st))).transpose()?;
    let feeds = store.feed_health()?;
    let counts = store.counts()?;
    let db = store.database_bytes()?;
    let failing = feeds.iter().filter(|h| h.error.is_some()).count();
    // #13: what each `[[mute]]` rule has dismissed as items arrived.
    let muted = store.mute_stats(store.mute_queries())?;
    if json {
        let doc = json!({
            "feeds": feeds.iter().map(|h| feed_json(h, now)).collect::<Vec<_>>(),
            "failing": failing,
            "items": counts.total,
            "unread": counts.unread,
            "tags": counts.tags.iter().map(|t| json!({"tag": sanitize::line(&t.tag), "items": t.total, "unread": t.unread})).collect::<Vec<_>>(),
            "database_bytes": db,
            "sync": sync.as_ref().map(|(cfg, st)| sync_json(cfg, st)),
            "muted": muted.iter().map(|m| json!({"query": sanitize::line(&m.query), "items": m.muted, "last": m.last_at.and_then(crate::model::rfc3339)})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} feeds ({failing} failing) · {} items, {} unread · database {}",
            feeds.len(),
            counts.total,
            counts.unread,
            human_size(db)
        )?;
        if let Some((cfg, st)) = &sync {
            writeln!(out, "sync with {}: {}", sanitize::line(&cfg.url), sanitize::line(&sync_words(st)))?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}  {}   ITEMS  NEXT POLL",
            fit("FEED", 30),
            fit("LAST STATUS", 44),
            fit("LAST SUCCESS", 12),
        )?;
        for h in &feeds {
            let line = format!(
                "{}  {}  {}  {:>6}  {}",
                name_column(h, 30),
                fit(&sanitize::line(&status_words(h)), 44),
                fit(&when(h.last_success), 12),
                h.items,
                if sync.is_some() { "by the sync server".to_string() } else { next_words(h, now) }
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        let repaired: Vec<&FeedHealth> = feeds.iter().filter(|h| h.repaired.is_some()).collect();
        if !repaired.is_empty() {
            // What the publisher could fix: read anyway, but worth telling them.
            writeln!(out)?;
            for h in repaired {
                let what = h.repaired.as_deref().unwrap_or_default();
                writeln!(out, "{}  repaired: {}", name_column(h, 30).trim_end(), sanitize::line(what))?;
            }
        }
        if !counts.tags.is_empty() {
            writeln!(out)?;
            let tags: Vec<String> = counts
                .tags
                .iter()
                .map(|t| format!("#{} {} ({} unread)", sanitize::line(&t.tag), t.total, t.unread))
                .collect();
            writeln!(out, "tags: {}", tags.join(" · "))?;
        }
        if !muted.is_empty() {
            writeln!(out)?;
            let rules: Vec<String> =
                muted.iter().map(|m| format!("{} ({} items)", sanitize::line(&m.query), m.muted)).collect();
            writeln!(out, "muted: {}", rules.join(" · "))?;
        }
    }
    Ok(EXIT_OK)
}
