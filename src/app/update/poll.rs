//! The poller's events: progress on the status line, what each fetch stored.

use super::{Effect, State, commands, feeds};
use crate::feed::PollEvent;

pub(super) fn on_poll(state: &mut State, event: PollEvent) -> Vec<Effect> {
    state.dirty = true;
    feeds::fetched(state, &event);
    let effect = match event {
        PollEvent::Started { feeds } => {
            commands::round_started(state);
            state.progress.total += feeds;
            return vec![];
        }
        PollEvent::Scheduled { url, info } => return vec![Effect::RecordSchedule { url, info }],
        PollEvent::Fetching { url } => {
            feeds::fetching(state, url);
            return vec![];
        }
        PollEvent::Fetched(feed) => {
            commands::storing(state);
            Effect::StoreFetched(feed)
        }
        PollEvent::NotModified { url } => Effect::RecordNotModified { url },
        PollEvent::Failed { url, error } => {
            let p = &mut state.progress;
            p.failed += 1;
            p.first_error.get_or_insert_with(|| (url.clone(), error.clone()));
            Effect::RecordFailure { url, error }
        }
    };
    let p = &mut state.progress;
    p.done += 1;
    let round_ended = p.done >= p.total;
    if round_ended {
        state.status = Some(match (p.failed, &p.first_error) {
            (0, _) => format!("fetched {} feeds", p.done),
            (n, Some((_, error))) if n == p.done => {
                format!("every feed failed ({n}): {error} · see the sidebar's ⚠ entries")
            }
            (n, _) => format!("fetched {} feeds, {n} failed", p.done),
        });
        state.last_batch = Some(std::mem::take(p));
    }
    let mut effects = vec![effect];
    if matches!(effects[0], Effect::RecordFailure { .. }) {
        effects.push(Effect::LoadCounts);
    }
    if round_ended {
        effects.extend(commands::round_over(state));
    }
    effects
}
