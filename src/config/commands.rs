//! `[[command]]`: the user's own programs, run on the selected item with a
//! key (newsboat's macros, eilmeldung's share targets); and `[poller] on_new`.

use serde::Deserialize;

/// Where a background command's output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CommandOutput {
    /// The first line of its output (or why it failed) on the status line.
    #[default]
    Status,
    /// All of its output in the pager (`$PAGER`, else `less`).
    Pager,
}

/// One `[[command]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandConfig {
    /// Shown in the help and on the status line.
    pub name: String,
    /// The key that runs it (taken from a default binding if one has it).
    #[serde(default)]
    pub key: Option<String>,
    /// The command line: `{url}`, `{title}`, `{enclosure}`, `{id}`, `{feed}`
    /// stand for the selected item's values, each as (part of) one argument.
    pub run: String,
    /// Run by `sh -c` (pipes, redirections); the placeholders are then quoted.
    #[serde(default)]
    pub shell: bool,
    /// Takes over the terminal (an editor, a player with keys): the reader steps aside until it ends.
    #[serde(default)]
    pub interactive: bool,
    #[serde(default)]
    pub output: CommandOutput,
}

/// Checks each command; the error names the key (`command.run`, …) and says why.
pub fn check(commands: &[CommandConfig]) -> Result<(), (usize, &'static str, String)> {
    let mut names = std::collections::HashSet::new();
    for (i, c) in commands.iter().enumerate() {
        if c.name.trim().is_empty() {
            return Err((i, "name", "must not be empty".into()));
        }
        if !names.insert(c.name.trim()) {
            return Err((i, "name", format!("\"{}\" is listed twice", c.name)));
        }
        if c.run.trim().is_empty() {
            return Err((i, "run", "must not be empty".into()));
        }
        if !c.shell && shlex::split(&c.run).is_none_or(|w| w.is_empty()) {
            return Err((i, "run", format!("cannot read \"{}\" (unbalanced quotes?)", c.run)));
        }
        if let Err(e) = c.key.as_deref().map(crate::app::keymap::Key::parse).transpose() {
            return Err((i, "key", e));
        }
    }
    Ok(())
}
