//! The reader's background sync: a thread of its own, with its own store
//! connection and its own small runtime, so a first sync of tens of
//! thousands of items never holds up the loop (which only hears about it,
//! as `SyncEvent`s). Syncs once at start, then every `[sync] interval`;
//! after a failure sooner, backing off (15 s, 30 s, 1 min, … up to the
//! interval). `R` in the reader asks for a sync now; so does the reader's
//! start, which is when the first sync begins.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{AnyBackend, SyncEvent, run_once};
use crate::store::Store;

/// Where the task's events go (the loop's channel). Called from the sync thread.
pub type Sink = Arc<dyn Fn(SyncEvent) + Send + Sync>;

/// The first retry after a failure; doubled for each failure in a row.
const FIRST_RETRY: Duration = Duration::from_secs(15);

/// Requests from the loop to the sync thread.
enum Cmd {
    /// Sync as soon as the running sync (if any) ends.
    Now,
}

/// Handle to the running sync thread. Dropping it ends the thread after the
/// request in flight (the process usually exits first: every write is its
/// own transaction, so nothing is left half-done).
pub struct SyncTask {
    cmds: mpsc::UnboundedSender<Cmd>,
    _thread: JoinHandle<()>,
}

/// How long to wait before the next sync: the interval after a success,
/// less after failures, with ±10% jitter (`jitter` in 0..1).
pub fn next_delay(interval: Duration, failures: u32, jitter: f64) -> Duration {
    let base = if failures == 0 {
        interval
    } else {
        let backoff = FIRST_RETRY.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
        backoff.min(interval)
    };
    base.mul_f64(0.9 + 0.2 * jitter.clamp(0.0, 1.0))
}

impl SyncTask {
    /// Starts syncing `account` with `backend` into `store` (a connection of
    /// its own) every `interval`.
    pub fn spawn(
        store: Store,
        backend: AnyBackend,
        account: String,
        interval: Duration,
        sink: Sink,
    ) -> std::io::Result<SyncTask> {
        let (cmds, rx) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new().name("sync".into()).spawn(move || {
            crate::app::priority::background(); // #10 keys
            run(store, backend, account, interval, sink, rx)
        })?;
        Ok(SyncTask { cmds, _thread: thread })
    }

    /// Syncs now (after the running sync, if one is running).
    pub fn sync_now(&self) {
        let _ = self.cmds.send(Cmd::Now);
    }
}

fn run(
    mut store: Store,
    backend: AnyBackend,
    account: String,
    interval: Duration,
    sink: Sink,
    mut rx: mpsc::UnboundedReceiver<Cmd>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            sink(SyncEvent::Failed { step: "start", error: format!("cannot start the sync: {e}") });
            return;
        }
    };
    runtime.block_on(async move {
        // The first sync waits for the reader's word (`sync_now`, sent once it
        // has started), so that its progress lands on a screen already drawn.
        if rx.recv().await.is_none() {
            return;
        }
        let mut failures = 0u32;
        loop {
            let mut report = |event: SyncEvent| sink(event);
            match run_once(&backend, &mut store, &account, &mut report).await {
                Ok(_) => failures = 0,
                Err(_) => failures = failures.saturating_add(1),
            }
            // Asked for while it ran (the change may have come after the
            // push): once more, straight away; several asks are one.
            let again = rx.try_recv().is_ok();
            while rx.try_recv().is_ok() {}
            if again {
                continue;
            }
            let delay = next_delay(interval, failures, fastrand::f64());
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(Cmd::Now) => {}
                    None => break, // the reader is gone
                },
                _ = tokio::time::sleep(delay) => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_up_to_the_interval() {
        let five_min = Duration::from_secs(300);
        assert_eq!(next_delay(five_min, 0, 0.5), five_min);
        assert_eq!(next_delay(five_min, 1, 0.5), Duration::from_secs(15));
        assert_eq!(next_delay(five_min, 3, 0.5), Duration::from_secs(60));
        assert_eq!(next_delay(five_min, 9, 0.5), five_min);
        assert_eq!(next_delay(Duration::from_secs(2), 1, 0.5), Duration::from_secs(2));
        let low = next_delay(five_min, 0, 0.0);
        assert!(low >= Duration::from_secs(270) && low < five_min);
    }
}
