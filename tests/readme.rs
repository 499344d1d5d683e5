//! The README stays true to the program: every action's key is in its key
//! table, and every setting of the default config is in its configuration
//! section.

use tidings::app::action::Action;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The text of the README from the heading `start` to the next heading of the same level.
fn section(text: &str, start: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?} in the README"));
    let level = start.split(' ').next().unwrap();
    let rest = &text[from + start.len()..];
    let end = rest.find(&format!("\n{level} ")).unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn every_action_has_its_default_key_in_the_key_table() {
    let keys = section(&readme(), "## Keys");
    let mut missing = Vec::new();
    for action in Action::ALL {
        let key = match action.default_keys()[0] {
            "BackTab" => "Shift-Tab",
            "|" => "\\|",
            k => k,
        };
        if !keys.contains(&format!("`{key}`")) {
            missing.push(format!("{} (`{key}`)", action.name()));
        }
    }
    assert!(missing.is_empty(), "the README's key table lacks: {missing:?}");
}

#[test]
fn every_setting_of_the_default_config_is_in_the_readme() {
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/default-config.toml")).unwrap();
    let readme = readme();
    let mut table = String::new();
    let mut missing = Vec::new();
    for line in config.lines().map(str::trim) {
        let line = line.trim_start_matches('#').trim();
        if line.starts_with('[') {
            table = line.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        let Some((key, _)) = line.split_once(" = ") else { continue };
        if table == "keys" {
            continue; // action names: `?` lists them, the key table above checks their keys
        }
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let written = readme.lines().any(|l| l.trim_start_matches(['#', ' ']).starts_with(&format!("{key} =")))
            || readme.contains(&format!("{key} = "))
            || readme.contains(&format!("`{key}`"));
        if !written {
            missing.push(format!("[{table}] {key}"));
        }
    }
    assert!(missing.is_empty(), "settings of assets/default-config.toml the README does not name: {missing:?}");
}
