//! The CPU time of the calling thread, for the benches and examples that
//! time one thread's work.

use std::time::Duration;

/// CPU time of this thread: unlike the wall clock, it does not count the time
/// other processes on a busy machine take from it.
pub fn cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
