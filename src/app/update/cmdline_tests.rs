use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;
use crate::app::msg::{Effect, Msg};
use crate::app::state::{Mode, PromptKind, State};
use crate::app::update;
use crate::config::Config;
use crate::store::{Bulk, BulkVerb};
use crate::theme::Theme;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| update(s, key(KeyCode::Char(c)))).collect()
}

fn line(s: &State) -> (String, Option<String>) {
    match &s.mode {
        Mode::Prompt(p) => (p.input.value().to_string(), p.error.clone()),
        Mode::Normal => panic!("no prompt open"),
    }
}

fn state() -> State {
    State::new(&Config::default(), 0, 0, Theme::default())
}

#[test]
fn colon_opens_the_line_and_an_action_runs_by_name() {
    let mut s = state();
    let effects = update(&mut s, key(KeyCode::Char(':')));
    assert_eq!(effects, [Effect::LoadFeedNames]);
    assert!(matches!(&s.mode, Mode::Prompt(p) if p.kind == PromptKind::Command));
    typed(&mut s, "quit");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(s.quit);
    assert_eq!(effects, [Effect::SaveHistory(vec!["quit".into()])]);
}

#[test]
fn a_bulk_change_is_counted_then_asked_above_the_threshold() {
    let mut s = state();
    s.cmdline.confirm_above = 50;
    update(&mut s, Msg::Action(Action::CommandLine));
    typed(&mut s, "read feed:BBC");
    let effects = update(&mut s, key(KeyCode::Enter));
    let bulk = Bulk { verb: BulkVerb::Read, query: "feed:BBC".into() };
    assert!(effects.contains(&Effect::CountBulk(bulk.clone())), "{effects:?}");
    assert_eq!(s.mode, Mode::Normal);

    // At or under the threshold it just happens.
    let effects = update(&mut s, Msg::BulkCounted { bulk: bulk.clone(), n: 50 });
    assert_eq!(effects, [Effect::Bulk(bulk.clone())]);
    assert_eq!(s.pending.len(), 1, "a user write, answered by the writer");

    // Above it: a question; n says no, y does it.
    update(&mut s, Msg::BulkCounted { bulk: bulk.clone(), n: 412 });
    assert_eq!(line(&s).0, "");
    assert!(matches!(&s.mode, Mode::Prompt(p) if p.kind.label() == "mark 412 items read? y/n "));
    assert!(update(&mut s, key(KeyCode::Char('n'))).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.status.as_deref(), Some("cancelled: nothing changed"));
    update(&mut s, Msg::BulkCounted { bulk: bulk.clone(), n: 412 });
    assert_eq!(update(&mut s, key(KeyCode::Char('y'))), [Effect::Bulk(bulk.clone())]);

    update(&mut s, Msg::BulkDone { bulk: bulk.clone(), n: 412 });
    assert_eq!(s.status.as_deref(), Some("mark 412 items read · u undoes"));
    update(&mut s, Msg::BulkCounted { bulk, n: 0 });
    assert!(s.status.as_deref().unwrap().starts_with("nothing to change"));
}

#[test]
fn a_wrong_line_stays_open_with_the_error() {
    let mut s = state();
    update(&mut s, Msg::Action(Action::CommandLine));
    typed(&mut s, "read (x");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(!effects.iter().any(|e| matches!(e, Effect::CountBulk(_))));
    let (text, error) = line(&s);
    assert_eq!(text, "read (x");
    assert!(error.unwrap().contains("invalid query"));
}

#[test]
fn tab_completes_and_cycles() {
    let mut s = state();
    update(&mut s, Msg::Action(Action::CommandLine));
    update(&mut s, Msg::FeedNames(vec!["BBC News".into(), "Blog".into()]));
    typed(&mut s, "redr");
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(line(&s).0, "redraw ");
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, Msg::Action(Action::CommandLine));
    typed(&mut s, "read feed:b");
    update(&mut s, key(KeyCode::Tab));
    let (text, hint) = line(&s);
    assert_eq!(text, "read feed:\"BBC News\"", "nothing more in common: the first candidate");
    assert!(hint.unwrap().contains("feed:Blog"), "the candidates are listed");
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(line(&s).0, "read feed:Blog");
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(line(&s).0, "read feed:\"BBC News\"");
}

#[test]
fn up_and_down_walk_the_history_by_prefix() {
    let mut s = state();
    s.cmdline.history = vec!["read tag:a".into(), "quit".into(), "read tag:b".into()];
    update(&mut s, Msg::Action(Action::CommandLine));
    update(&mut s, key(KeyCode::Up));
    assert_eq!(line(&s).0, "read tag:b");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(line(&s).0, "quit");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(line(&s).0, "", "past the newest: what was typed");
    typed(&mut s, "re");
    update(&mut s, key(KeyCode::Up));
    update(&mut s, key(KeyCode::Up));
    assert_eq!(line(&s).0, "read tag:a", "only lines starting with what was typed");
}
