//! Keys → actions. Built from each action's defaults with `[keys]` laid over
//! them; a key that ends up on two actions is refused.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// One key press as the keymap sees it: shift is folded into the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            // Terminals disagree on whether Shift-Tab arrives as BackTab or Tab+SHIFT.
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        Key { code, ctrl: ev.modifiers.contains(KeyModifiers::CONTROL), alt: ev.modifiers.contains(KeyModifiers::ALT) }
    }

    /// Parses "j", "G", "Enter", "Ctrl-r", "Alt-x", "F5", "PageDown", "Space", "?".
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut rest = s;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(r) = strip_prefix_ci(rest, "ctrl-").or_else(|| strip_prefix_ci(rest, "c-")) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-").or_else(|| strip_prefix_ci(rest, "m-")) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "esc" | "escape" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            lower => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        // Ctrl combinations arrive lower-case from terminals.
                        KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                    }
                    _ => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                        Some(n @ 1..=24) => KeyCode::F(n),
                        _ => return Err(format!("unknown key \"{s}\"")),
                    },
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() > prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)).then(|| &s[prefix.len()..])
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Why a `[keys]` table was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("{action}: {message}")]
    BadKey { action: &'static str, key: String, message: String },
    #[error("key \"{key}\" is bound to both `{first}` and `{second}`")]
    Clash { key: String, first: &'static str, second: &'static str },
    /// Quit and help must stay reachable.
    #[error("`{action}` must keep at least one key{why}")]
    Unbound { action: &'static str, why: String },
    /// Ctrl-c always quits.
    #[error("Ctrl-c always quits; it cannot be bound to `{action}`")]
    Reserved { action: &'static str },
    // — #13 commands —
    /// A `[[command]]`'s key that cannot be had.
    #[error("command \"{command}\": {message}")]
    CommandKey { command: String, key: String, message: String },
}

impl KeymapError {
    /// The action whose entry in `[keys]` should be blamed.
    pub fn action(&self) -> &'static str {
        match self {
            KeymapError::BadKey { action, .. }
            | KeymapError::Unbound { action, .. }
            | KeymapError::Reserved { action } => action,
            KeymapError::Clash { second, .. } => second,
            KeymapError::CommandKey { .. } => "command",
        }
    }
}

/// Actions that must always have a key: without them there is no way out
/// and no way to find the way out.
const REACHABLE: [Action; 2] = [Action::Quit, Action::Help];

/// The key that quits whatever the keymap says (and in prompts and help too).
pub const CTRL_C: Key = Key { code: KeyCode::Char('c'), ctrl: true, alt: false };

/// The live keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    /// Per action, its keys in the order written (for help and hints).
    by_action: BTreeMap<Action, Vec<Key>>,
    // — #13 commands —
    /// `[[command]]` keys → the command's index in the config.
    commands: HashMap<Key, usize>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::build(&BTreeMap::new()).unwrap_or_else(|e| panic!("default keymap is broken: {e}"))
    }
}

impl Keymap {
    /// The defaults with `[keys]` laid over them. An action named in
    /// `overrides` takes exactly the keys given, and a key the user binds
    /// moves to the user's action (leaving the action it was a default of).
    /// Only two user bindings of one key clash. Quit and help must keep a
    /// key; Ctrl-c always quits.
    pub fn build(overrides: &BTreeMap<Action, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut by_key: HashMap<Key, Action> = HashMap::new();
        let mut by_action: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        // The user's bindings first, in the order actions are listed.
        for &action in Action::ALL {
            let Some(names) = overrides.get(&action) else { continue };
            let mut keys = Vec::new();
            for name in names {
                let key = Key::parse(name).map_err(|message| KeymapError::BadKey {
                    action: action.name(),
                    key: name.clone(),
                    message,
                })?;
                if key == CTRL_C && action != Action::Quit {
                    return Err(KeymapError::Reserved { action: action.name() });
                }
                if let Some(&other) = by_key.get(&key)
                    && other != action
                {
                    return Err(KeymapError::Clash { key: name.clone(), first: other.name(), second: action.name() });
                }
                by_key.insert(key, action);
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if keys.is_empty() && REACHABLE.contains(&action) {
                return Err(KeymapError::Unbound { action: action.name(), why: String::new() });
            }
            by_action.insert(action, keys);
        }
        // Then the defaults of the other actions, minus the keys the user took.
        for &action in Action::ALL {
            if overrides.contains_key(&action) {
                continue;
            }
            let mut keys = Vec::new();
            let mut taken = Vec::new();
            for name in action.default_keys() {
                let key = Key::parse(name).map_err(|message| KeymapError::BadKey {
                    action: action.name(),
                    key: name.to_string(),
                    message,
                })?;
                match by_key.get(&key) {
                    Some(&other) if other != action => taken.push(format!("{key} is bound to `{}`", other.name())),
                    _ => {
                        by_key.insert(key, action);
                        keys.push(key);
                    }
                }
            }
            if keys.is_empty() && REACHABLE.contains(&action) {
                let why = format!(" ({}); give it one in [keys]", taken.join(", "));
                return Err(KeymapError::Unbound { action: action.name(), why });
            }
            by_action.insert(action, keys);
        }
        // Ctrl-c quits even when the user's quit list leaves it out.
        by_key.insert(CTRL_C, Action::Quit);
        let quit = by_action.entry(Action::Quit).or_default();
        if !quit.contains(&CTRL_C) {
            quit.push(CTRL_C);
        }
        Ok(Keymap { by_key, by_action, commands: HashMap::new() })
    }

    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::from_event(ev)).copied()
    }

    pub fn keys_for(&self, action: Action) -> &[Key] {
        self.by_action.get(&action).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Binds each `[[command]]`'s key (`keys[i]` is command i's name and key).
    /// A key bound in `[keys]` or by another command clashes; a default
    /// binding gives its key up, as it does to `[keys]`. Ctrl-c stays quit,
    /// and quit and help keep a key.
    pub fn bind_commands(
        &mut self,
        keys: &[(String, Option<String>)],
        user: &BTreeMap<Action, Vec<String>>,
    ) -> Result<(), KeymapError> {
        let user_keys: HashMap<Key, Action> = user
            .iter()
            .flat_map(|(a, names)| names.iter().filter_map(|n| Key::parse(n).ok()).map(move |k| (k, *a)))
            .collect();
        for (i, (name, key)) in keys.iter().enumerate() {
            let Some(text) = key else { continue };
            let err = |message: String| KeymapError::CommandKey { command: name.clone(), key: text.clone(), message };
            let key = Key::parse(text).map_err(err)?;
            if key == CTRL_C {
                return Err(err("Ctrl-c always quits".into()));
            }
            if let Some(action) = user_keys.get(&key) {
                return Err(err(format!("key \"{text}\" is also bound to `{}` in [keys]", action.name())));
            }
            if let Some(&j) = self.commands.get(&key) {
                return Err(err(format!("key \"{text}\" is also the key of command \"{}\"", keys[j].0)));
            }
            if let Some(action) = self.by_key.remove(&key) {
                let left = self.by_action.entry(action).or_default();
                left.retain(|k| *k != key);
                if left.is_empty() && REACHABLE.contains(&action) {
                    return Err(err(format!("key \"{text}\" is the only key of `{}`", action.name())));
                }
            }
            self.commands.insert(key, i);
        }
        Ok(())
    }

    /// The `[[command]]` (its index) a key runs.
    pub fn command_for(&self, ev: &KeyEvent) -> Option<usize> {
        self.commands.get(&Key::from_event(ev)).copied()
    }

    /// The key of command `i`, if it has one.
    pub fn command_key(&self, i: usize) -> Option<Key> {
        self.commands.iter().find(|(_, j)| **j == i).map(|(k, _)| *k)
    }

    /// "j/↓" style label of an action's keys, empty when unbound.
    pub fn label(&self, action: Action) -> String {
        self.keys_for(action).iter().map(ToString::to_string).collect::<Vec<_>>().join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_resolve() {
        let km = Keymap::default();
        assert_eq!(km.action_for(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(km.action_for(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(km.action_for(&ev(KeyCode::Tab, KeyModifiers::SHIFT)), Some(Action::FocusPrev));
        assert_eq!(km.action_for(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL)), Some(Action::PageDown));
        assert_eq!(km.action_for(&ev(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn override_replaces_keys() {
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["Q".to_string(), "Ctrl-c".to_string()]);
        let km = Keymap::build(&o).unwrap();
        assert_eq!(km.action_for(&ev(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(km.action_for(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(km.label(Action::Quit), "Q/Ctrl-c");
    }

    #[test]
    fn clash_names_both_actions() {
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["j".to_string()]);
        o.insert(Action::Save, vec!["j".to_string()]);
        let err = Keymap::build(&o).unwrap_err();
        assert_eq!(err, KeymapError::Clash { key: "j".into(), first: "save", second: "quit" });
        assert_eq!(err.to_string(), "key \"j\" is bound to both `save` and `quit`");
    }

    #[test]
    fn a_user_binding_takes_the_key_from_a_default() {
        let mut o = BTreeMap::new();
        o.insert(Action::NextUnread, vec!["Space".to_string(), "n".to_string()]);
        let km = Keymap::build(&o).unwrap();
        assert_eq!(km.action_for(&ev(KeyCode::Char(' '), KeyModifiers::NONE)), Some(Action::NextUnread));
        assert_eq!(km.label(Action::PageOrNextUnread), "", "Space moved away from its default action");
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["j".to_string()]);
        let km = Keymap::build(&o).unwrap();
        assert_eq!(km.action_for(&ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(km.label(Action::Down), "↓");
    }

    #[test]
    fn quit_and_help_cannot_be_unbound() {
        for action in [Action::Quit, Action::Help] {
            let mut o = BTreeMap::new();
            o.insert(action, vec![]);
            let err = Keymap::build(&o).unwrap_err();
            assert_eq!(err.action(), action.name());
            assert_eq!(err.to_string(), format!("`{}` must keep at least one key", action.name()));
        }
        // Nor lose every key to other actions.
        let mut o = BTreeMap::new();
        o.insert(Action::Filter, vec!["?".to_string(), "/".to_string()]);
        let err = Keymap::build(&o).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`help` must keep at least one key (? is bound to `filter`); give it one in [keys]"
        );
        // Other actions may go without keys.
        let mut o = BTreeMap::new();
        o.insert(Action::Save, vec![]);
        assert_eq!(Keymap::build(&o).unwrap().label(Action::Save), "");
    }

    #[test]
    fn ctrl_c_always_quits() {
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["Q".to_string()]);
        let km = Keymap::build(&o).unwrap();
        assert_eq!(km.action_for(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(km.label(Action::Quit), "Q/Ctrl-c");
        let mut o = BTreeMap::new();
        o.insert(Action::CopyLink, vec!["Ctrl-c".to_string()]);
        assert_eq!(Keymap::build(&o).unwrap_err(), KeymapError::Reserved { action: "copy_link" });
    }

    #[test]
    fn bad_key_is_refused() {
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["Hyper-q".to_string()]);
        assert!(matches!(Keymap::build(&o), Err(KeymapError::BadKey { action: "quit", .. })));
    }
}
