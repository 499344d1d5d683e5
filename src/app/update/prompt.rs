//! The one-line prompt: keys edit its text; Enter submits, Esc cancels, and
//! each kind of prompt decides what its text means.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use crate::app::msg::Effect;
use crate::app::state::{Mode, Prompt, PromptKind, State};

/// What happened to a prompt's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptEvent {
    /// The text changed (every key that edits it).
    Changed(String),
    /// Enter: the prompt is closed with this text.
    Submitted(String),
    /// Esc: the prompt is closed, its text dropped.
    Cancelled,
}

/// Opens a prompt prefilled with `text`.
pub fn open(state: &mut State, kind: PromptKind, text: &str) {
    state.mode = Mode::Prompt(Prompt::new(kind, text));
    state.dirty = true;
}

/// Routes a key to the open prompt.
pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Mode::Prompt(prompt) = &state.mode else { return vec![] };
    state.dirty = true;
    let kind = prompt.kind.clone();
    // #13: "… ? y/n" takes one key; the command line takes Tab and ↑/↓ itself.
    if let PromptKind::Confirm { bulk, .. } = kind {
        state.mode = Mode::Normal;
        return super::cmdline::confirm(state, bulk, matches!(key.code, KeyCode::Char('y' | 'Y')));
    }
    if kind == PromptKind::Command
        && let Some(effects) = super::cmdline::on_key(state, key)
    {
        return effects;
    }
    let Mode::Prompt(prompt) = &mut state.mode else { return vec![] };
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            on_event(state, kind, PromptEvent::Cancelled)
        }
        KeyCode::Enter => {
            let text = prompt.input.value().to_string();
            state.mode = Mode::Normal;
            on_event(state, kind, PromptEvent::Submitted(text))
        }
        // A link number is digits: other characters are not typed at all.
        KeyCode::Char(c)
            if kind == PromptKind::Link && !c.is_ascii_digit() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            vec![]
        }
        _ => {
            let changed = prompt.input.handle_event(&Event::Key(key)).is_some_and(|r| r.value);
            if changed {
                let text = prompt.input.value().to_string();
                on_event(state, kind, PromptEvent::Changed(text))
            } else {
                vec![]
            }
        }
    }
}

/// What each kind of prompt does with its text.
fn on_event(state: &mut State, kind: PromptKind, event: PromptEvent) -> Vec<Effect> {
    match kind {
        PromptKind::Filter => super::filter::on_event(state, event),
        PromptKind::Tags(id) => super::tags::on_prompt(state, id, event),
        PromptKind::Link => super::article::on_link_prompt(state, event),
        // — #13 commands —
        PromptKind::Pipe => super::commands::on_pipe_prompt(state, event),
        PromptKind::Command => super::cmdline::on_event(state, event),
        PromptKind::Confirm { .. } => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::theme::Theme;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_edits_and_enter_or_esc_close() {
        let mut s = State::new(&Config::default(), 0, 0, Theme::default());
        open(&mut s, PromptKind::Filter, "ab");
        on_key(&mut s, key(KeyCode::Char('c')));
        on_key(&mut s, key(KeyCode::Left));
        on_key(&mut s, key(KeyCode::Backspace));
        let Mode::Prompt(p) = &s.mode else { panic!() };
        assert_eq!(p.input.value(), "ac");
        on_key(&mut s, key(KeyCode::Enter));
        assert_eq!(s.mode, Mode::Normal);
        open(&mut s, PromptKind::Filter, "x");
        on_key(&mut s, key(KeyCode::Esc));
        assert_eq!(s.mode, Mode::Normal);
    }

    #[test]
    fn the_link_prompt_takes_digits_only() {
        let mut s = State::new(&Config::default(), 0, 0, Theme::default());
        open(&mut s, PromptKind::Link, "");
        for c in ['1', 'x', 'Q', ' ', '2', '-'] {
            on_key(&mut s, key(KeyCode::Char(c)));
        }
        let Mode::Prompt(p) = &s.mode else { panic!() };
        assert_eq!(p.input.value(), "12");
    }

    #[test]
    fn keys_in_a_prompt_are_text_not_actions() {
        let mut s = State::new(&Config::default(), 0, 0, Theme::default());
        open(&mut s, PromptKind::Filter, "");
        crate::app::update(&mut s, crate::app::msg::Msg::Key(key(KeyCode::Char('q'))));
        assert!(!s.quit);
        let Mode::Prompt(p) = &s.mode else { panic!() };
        assert_eq!(p.input.value(), "q");
    }
}
