//! When a feed is fetched next. Pure: the caller passes the clock and the
//! random jitter, so the rules are tested without waiting.
//!
//! - A healthy feed waits its interval, stretched (never shortened) by the
//!   feed's `<ttl>` and the server's `Cache-Control: max-age`.
//! - A failing feed backs off exponentially: interval × 2^(failures−1),
//!   capped at a day, with ±20% jitter so feeds that failed together do not
//!   come back together.
//! - A `Retry-After` (429/503) is a floor that even a manual refresh respects.

use std::time::Duration;

use crate::model::Timestamp;

/// However long a feed or server asks, a healthy feed is polled at least this often.
pub const MAX_STRETCH: Duration = Duration::from_secs(24 * 3600);
/// A failing feed is retried at least this often.
pub const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);
/// A Retry-After further out than this is treated as this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);
/// Backoff delays vary by up to this fraction either way.
const JITTER: f64 = 0.2;

/// The outcome of one poll, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Fetched (or 304): the freshness hints the feed and the server gave, in seconds.
    Ok { ttl: Option<u64>, max_age: Option<u64> },
    /// Failed; `failures` counts this one (1 for the first failure in a row).
    Failed { failures: u32, retry_at: Option<Timestamp> },
}

/// The time of the next poll. `jitter` is a random number in [0, 1).
pub fn next_poll(now: Timestamp, interval: Duration, outcome: Outcome, jitter: f64) -> Timestamp {
    let interval = interval.max(Duration::from_secs(1));
    match outcome {
        Outcome::Ok { ttl, max_age } => {
            let hinted = Duration::from_secs(ttl.unwrap_or(0).max(max_age.unwrap_or(0)));
            let wait = interval.max(hinted.min(MAX_STRETCH));
            now + wait.as_secs() as Timestamp
        }
        Outcome::Failed { failures, retry_at } => {
            let doublings = failures.saturating_sub(1).min(20);
            let base = interval.saturating_mul(1 << doublings).min(MAX_BACKOFF.max(interval));
            let factor = 1.0 - JITTER + 2.0 * JITTER * jitter.clamp(0.0, 1.0);
            let backoff = now + (base.as_secs_f64() * factor) as Timestamp;
            match retry_at {
                Some(at) => backoff.max(at.min(now + MAX_RETRY_AFTER.as_secs() as Timestamp)),
                None => backoff,
            }
        }
    }
}

/// The floor a Retry-After sets, clamped like `next_poll` clamps it.
pub fn retry_floor(now: Timestamp, retry_at: Option<Timestamp>) -> Option<Timestamp> {
    retry_at.map(|at| at.min(now + MAX_RETRY_AFTER.as_secs() as Timestamp)).filter(|at| *at > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);
    const NOW: Timestamp = 1_700_000_000;

    #[test]
    fn healthy_feeds_wait_their_interval_stretched_by_hints() {
        let ok = |ttl, max_age| Outcome::Ok { ttl, max_age };
        assert_eq!(next_poll(NOW, 30 * MIN, ok(None, None), 0.5), NOW + 1800);
        assert_eq!(next_poll(NOW, 30 * MIN, ok(Some(3600), None), 0.5), NOW + 3600, "ttl stretches");
        assert_eq!(next_poll(NOW, 30 * MIN, ok(None, Some(7200)), 0.5), NOW + 7200, "max-age stretches");
        assert_eq!(next_poll(NOW, 30 * MIN, ok(Some(60), Some(10)), 0.5), NOW + 1800, "never shortens");
        assert_eq!(next_poll(NOW, 30 * MIN, ok(Some(10_000_000), None), 0.5), NOW + 86_400, "capped");
    }

    #[test]
    fn failures_back_off_exponentially_with_jitter() {
        let fail = |failures| Outcome::Failed { failures, retry_at: None };
        let mid: Vec<_> = (1..=8).map(|n| next_poll(NOW, 30 * MIN, fail(n), 0.5) - NOW).collect();
        assert_eq!(mid, [1800, 3600, 7200, 14_400, 28_800, 57_600, 86_400, 86_400]);
        assert_eq!(next_poll(NOW, 30 * MIN, fail(1), 0.0) - NOW, 1440, "-20%");
        assert_eq!(next_poll(NOW, 30 * MIN, fail(1), 0.999_999) - NOW, 2159, "+20%");
        assert_eq!(next_poll(NOW, 30 * MIN, fail(u32::MAX), 0.5) - NOW, 86_400, "no overflow");
    }

    #[test]
    fn retry_after_is_a_floor() {
        let limited = |at| Outcome::Failed { failures: 1, retry_at: Some(at) };
        assert_eq!(next_poll(NOW, 30 * MIN, limited(NOW + 5 * 3600), 0.5), NOW + 5 * 3600);
        assert_eq!(next_poll(NOW, 30 * MIN, limited(NOW + 60), 0.5), NOW + 1800, "backoff still applies");
        assert_eq!(next_poll(NOW, 30 * MIN, limited(NOW + 365 * 86_400), 0.5), NOW + 7 * 86_400);
        assert_eq!(retry_floor(NOW, Some(NOW - 5)), None);
        assert_eq!(retry_floor(NOW, Some(NOW + 5)), Some(NOW + 5));
    }
}
