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
}

impl KeymapError {
    /// The action whose entry in `[keys]` should be blamed.
    pub fn action(&self) -> &'static str {
        match self {
            KeymapError::BadKey { action, .. } => action,
            KeymapError::Clash { second, .. } => second,
        }
    }
}

/// The live keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    /// Per action, its keys in the order written (for help and hints).
    by_action: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::build(&BTreeMap::new()).unwrap_or_else(|e| panic!("default keymap is broken: {e}"))
    }
}

impl Keymap {
    /// Defaults, with each action named in `overrides` taking exactly the keys given.
    pub fn build(overrides: &BTreeMap<Action, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut by_key: HashMap<Key, Action> = HashMap::new();
        let mut by_action = BTreeMap::new();
        for &action in Action::ALL {
            let names: Vec<String> = match overrides.get(&action) {
                Some(v) => v.clone(),
                None => action.default_keys().iter().map(|s| s.to_string()).collect(),
            };
            let mut keys = Vec::new();
            for name in names {
                let key = Key::parse(&name).map_err(|message| KeymapError::BadKey {
                    action: action.name(),
                    key: name.clone(),
                    message,
                })?;
                if let Some(&other) = by_key.get(&key)
                    && other != action
                {
                    // Blame the action the user wrote, when only one of the two was written.
                    let (first, second) = if overrides.contains_key(&other) && !overrides.contains_key(&action) {
                        (action, other)
                    } else {
                        (other, action)
                    };
                    return Err(KeymapError::Clash { key: name, first: first.name(), second: second.name() });
                }
                by_key.insert(key, action);
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            by_action.insert(action, keys);
        }
        Ok(Keymap { by_key, by_action })
    }

    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::from_event(ev)).copied()
    }

    pub fn keys_for(&self, action: Action) -> &[Key] {
        self.by_action.get(&action).map(Vec::as_slice).unwrap_or(&[])
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
        assert_eq!(km.action_for(&ev(KeyCode::Char('z'), KeyModifiers::NONE)), None);
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
        let err = Keymap::build(&o).unwrap_err();
        assert_eq!(err, KeymapError::Clash { key: "j".into(), first: "down", second: "quit" });
        assert_eq!(err.to_string(), "key \"j\" is bound to both `down` and `quit`");
    }

    #[test]
    fn bad_key_is_refused() {
        let mut o = BTreeMap::new();
        o.insert(Action::Quit, vec!["Hyper-q".to_string()]);
        assert!(matches!(Keymap::build(&o), Err(KeymapError::BadKey { action: "quit", .. })));
    }
}
