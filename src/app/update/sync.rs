//! The background sync's events: progress and failures on the status line,
//! reloads when the server's items or state changed the store (the list
//! keeps its selection, as after any reload).

use super::super::msg::Effect;
use super::super::state::State;
use crate::sync::SyncEvent;

pub fn on_event(state: &mut State, event: SyncEvent) -> Vec<Effect> {
    let Some(sync) = state.sync.as_mut() else { return vec![] };
    match event {
        SyncEvent::Started => {
            sync.running = true;
            sync.progress = None;
        }
        SyncEvent::Progress { done, total } => sync.progress = Some((done, total)),
        SyncEvent::Step { .. } => return vec![],
        SyncEvent::Changed => return reload(state),
        SyncEvent::Finished(summary) => {
            *sync = Default::default();
            if summary.new_items
                + summary.fetched_by_id
                + summary.state.read
                + summary.state.unread
                + summary.state.saved
                > 0
            {
                state.status = Some(format!("synced: {}", summary.words()));
            }
        }
        SyncEvent::Failed { step, error } => {
            sync.running = false;
            sync.progress = None;
            sync.error = Some(if step == "login" { error } else { format!("{step}: {error}") });
        }
    }
    state.dirty = true;
    vec![]
}

fn reload(state: &mut State) -> Vec<Effect> {
    state.dirty = true;
    vec![Effect::LoadView(state.view.clone()), Effect::LoadCounts]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::msg::Msg;
    use crate::app::state::SyncView;
    use crate::app::update;
    use crate::config::Config;
    use crate::model::View;
    use crate::sync::Summary;
    use crate::theme::Theme;

    fn state() -> State {
        let mut s = State::new(&Config::default(), 1_000_000, 0, Theme::mono());
        s.sync = Some(SyncView::default());
        s
    }

    #[test]
    fn progress_failure_and_recovery_show_and_changes_reload() {
        let mut s = state();
        assert!(update(&mut s, Msg::Sync(SyncEvent::Started)).is_empty());
        update(&mut s, Msg::Sync(SyncEvent::Progress { done: 50, total: Some(60) }));
        assert_eq!(s.sync, Some(SyncView { running: true, progress: Some((50, Some(60))), error: None }));
        let fx = update(&mut s, Msg::Sync(SyncEvent::Changed));
        assert_eq!(fx, vec![Effect::LoadView(View::All), Effect::LoadCounts]);
        let failed = SyncEvent::Failed { step: "items", error: "timed out".into() };
        update(&mut s, Msg::Sync(failed));
        assert_eq!(s.sync.as_ref().and_then(|v| v.error.as_deref()), Some("items: timed out"));
        assert!(!s.sync.as_ref().unwrap().running);
        // A quiet success clears the failure without a message.
        update(&mut s, Msg::Sync(SyncEvent::Finished(Summary::default())));
        assert_eq!((s.sync.clone(), s.status.clone()), (Some(SyncView::default()), None));
        let news = Summary { new_items: 3, ..Default::default() };
        update(&mut s, Msg::Sync(SyncEvent::Finished(news)));
        assert_eq!(s.status.as_deref(), Some("synced: 3 new items"));
    }

    #[test]
    fn without_sync_its_events_change_nothing() {
        let mut s = State::new(&Config::default(), 1_000_000, 0, Theme::mono());
        assert!(update(&mut s, Msg::Sync(SyncEvent::Changed)).is_empty());
        assert!(s.sync.is_none());
    }
}
