//! — #10 keys — The loop thread first: the threads that work in the
//! background (the article reader, the render worker, the writer and ingest
//! threads with the index's idle merge, the memory trimmer) run at a lower
//! scheduling priority, so that on a machine with few cores a key's frame
//! does not wait behind them for a core. The list reader keeps the loop's
//! priority: the loop waits for its rows after a jump (`G`, a search), and
//! its read-ahead is asked only once the key's frame is drawn
//! (`App::frame_drawn`).
//!
//! On Linux a nice value belongs to a thread, not the process
//! (`setpriority(PRIO_PROCESS, tid)`), so each thread lowers its own when
//! it starts. An unprivileged thread can lower its priority but never raise
//! it again, so only threads that never do urgent work call this.

/// How many steps of nice a background thread is below the thread that
/// started it: at 10, a thread gets about a tenth of a core that the loop
/// wants as well (CFS weights 1,024 against 110).
pub const BACKGROUND_NICE: i32 = 10;

/// How many steps of nice the list reader is below the loop: little, so
/// that its read-ahead gives way to a key's frame, while it still comes
/// before the background threads (the loop waits for it after a jump, and
/// a waiting loop leaves the core to it anyway). PageDown's p99 at 1M
/// items: 4.2 ms with the reader at the loop's priority (loop CPU p99
/// 1.8 ms: the rest was waiting for a core).
pub const READER_NICE: i32 = 3;

/// Lowers the calling thread's scheduling priority by `BACKGROUND_NICE`
/// (to at most 19). Does nothing where threads have no nice value of their own.
pub fn background() {
    lower(BACKGROUND_NICE);
}

/// Lowers the calling thread's scheduling priority by `steps` (to at most 19).
pub fn lower(steps: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid, getpriority and setpriority only read and set the
    // calling thread's scheduling attributes; errno is the thread's own.
    unsafe {
        let tid = libc::gettid() as libc::id_t;
        *libc::__errno_location() = 0;
        let now = libc::getpriority(libc::PRIO_PROCESS, tid);
        if now == -1 && *libc::__errno_location() != 0 {
            return;
        }
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid, (now + steps).min(19));
    }
}

/// The calling thread's nice value (tests).
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn current() -> i32 {
    // SAFETY: as above.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_background_thread_lowers_its_own_priority_and_no_one_elses() {
        let before = current();
        let (inside, after) = std::thread::spawn(move || {
            let start = current();
            background();
            (start, current())
        })
        .join()
        .unwrap();
        assert_eq!(inside, before, "a new thread starts at its parent's nice value");
        assert_eq!(after, (before + BACKGROUND_NICE).min(19));
        assert_eq!(current(), before, "the calling thread only");
    }
}
