//! Where a fetch's items go in time: undated and future-dated items placed
//! so that importing a feed never buries today's news.

use rusqlite::Connection;

use super::Result;
use crate::model::{FetchedFeed, Timestamp};

const DAY: i64 = 86_400;

/// The dates one item is stored with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    /// The feed's dates, a date more than a day ahead clamped to now (first seen).
    pub published: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// True when the feed's date was clamped: a known item keeps the date it has.
    pub clamped: bool,
    /// Where a new item sorts (items already stored keep theirs).
    pub sort_date: Timestamp,
}

/// Dates for each item of a fetch at `now`. Dated items sort by their date.
/// Undated ones take the feed's own date when it has one, else the time
/// they are first seen — except on a feed's first fetch, where they go no
/// higher than just below the newest dated item of the fetch, so that
/// importing a feed never buries today's news under its undated back
/// catalogue; with neither a dated item nor the feed's date, nothing tells
/// their age and they go below everything. Undated items keep their order in
/// the feed, a second apart.
pub(crate) fn place(feed: &FetchedFeed, now: Timestamp, first_fetch: bool) -> Vec<Placed> {
    let limit = now + DAY;
    let clamp = |d: Option<Timestamp>| match d {
        Some(d) if d > limit => (Some(now), true),
        d => (d, false),
    };
    let dated: Vec<(Option<Timestamp>, Option<Timestamp>, bool)> = feed
        .items
        .iter()
        .map(|i| {
            let (p, cp) = clamp(i.published);
            let (u, cu) = clamp(i.updated);
            (p, u, cp || cu)
        })
        .collect();
    let newest = dated.iter().filter_map(|(p, u, _)| p.or(*u)).max();
    let channel = feed.date.filter(|d| *d <= limit);
    let base = if first_fetch {
        match (newest, channel) {
            (Some(n), c) => c.map_or(n - 1, |c| c.min(n - 1)),
            (None, Some(c)) => c.min(now),
            // Nothing tells their age: the feed's back catalogue, oldest of all.
            (None, None) => 0,
        }
    } else {
        channel.unwrap_or(now)
    };
    let mut undated = 0;
    dated
        .into_iter()
        .map(|(published, updated, clamped)| {
            let sort_date = published.or(updated).unwrap_or_else(|| {
                undated += 1;
                base - (undated - 1)
            });
            Placed { published, updated, clamped, sort_date }
        })
        .collect()
}

/// True when the feed has no items stored yet: this fetch is its first.
pub(crate) fn first_fetch(conn: &Connection, feed_id: i64) -> Result<bool> {
    Ok(!conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1)")?
        .query_row([feed_id], |r| r.get::<_, bool>(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewItem;

    fn feed(dates: &[Option<i64>], date: Option<i64>) -> FetchedFeed {
        let items = dates
            .iter()
            .enumerate()
            .map(|(i, d)| NewItem { key: i.to_string(), published: *d, ..Default::default() })
            .collect();
        FetchedFeed { items, date, ..Default::default() }
    }

    fn sorts(p: &[Placed]) -> Vec<i64> {
        p.iter().map(|p| p.sort_date).collect()
    }

    const NOW: i64 = 1_718_744_700; // 2024-06-18 21:05 UTC

    #[test]
    fn on_a_first_fetch_undated_items_go_below_the_newest_dated_one_in_order() {
        let f = feed(&[None, Some(NOW - 3600), None, Some(NOW - 7200)], None);
        assert_eq!(sorts(&place(&f, NOW, true)), [NOW - 3601, NOW - 3600, NOW - 3602, NOW - 7200]);
        // Nothing dated at all, no date of the feed's own: below everything, in order.
        assert_eq!(sorts(&place(&feed(&[None, None], None), NOW, true)), [0, -1]);
    }

    #[test]
    fn later_undated_items_are_first_seen_now_or_take_the_feeds_date() {
        assert_eq!(sorts(&place(&feed(&[None, None], None), NOW, false)), [NOW, NOW - 1]);
        let channel = NOW - 500;
        assert_eq!(sorts(&place(&feed(&[None, Some(10)], Some(channel)), NOW, false)), [channel, 10]);
        // On a first fetch, the feed's date too stays below the newest dated item.
        assert_eq!(sorts(&place(&feed(&[None, Some(NOW - 60)], Some(NOW)), NOW, true)), [NOW - 61, NOW - 60]);
        assert_eq!(sorts(&place(&feed(&[None], Some(channel - DAY)), NOW, true)), [channel - DAY]);
        // A channel date in the future is no help.
        assert_eq!(sorts(&place(&feed(&[None], Some(NOW + 9 * DAY)), NOW, false)), [NOW]);
    }

    #[test]
    fn dates_more_than_a_day_ahead_are_clamped_to_first_seen() {
        let p = place(&feed(&[Some(NOW + 2 * DAY), Some(NOW + 3600)], None), NOW, true);
        assert_eq!((p[0].published, p[0].clamped, p[0].sort_date), (Some(NOW), true, NOW));
        assert_eq!((p[1].published, p[1].clamped, p[1].sort_date), (Some(NOW + 3600), false, NOW + 3600));
    }
}
