//! The user's commands on items (`[[command]]`, `|`) and the `on_new`
//! notification: the command lines are built here, purely (so `update` can
//! decide everything), and run by `run` (the only IO).

pub mod run;

use crate::config::commands::{CommandConfig, CommandOutput};
use crate::launch::LaunchError;

/// What a command's placeholders stand for (empty when the item lacks it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    pub url: String,
    pub title: String,
    pub enclosure: String,
    pub id: String,
    pub feed: String,
}

impl Vars {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "url" => &self.url,
            "title" => &self.title,
            "enclosure" => &self.enclosure,
            "id" => &self.id,
            "feed" => &self.feed,
            _ => return None,
        })
    }
}

/// A command ready to start: its arguments, and how it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRun {
    /// For messages ("mpv failed …").
    pub name: String,
    /// The program first; `sh -c …` for shell commands.
    pub args: Vec<String>,
    /// Takes over the terminal until it ends.
    pub interactive: bool,
    pub output: CommandOutput,
    /// Written to its standard input (`|`: the article's text).
    pub stdin: Option<String>,
}

/// Replaces `{name}` placeholders in one pass (a value holding `{url}` stays
/// as it is); `quote` shell-quotes each value. Unknown `{…}` stay as written.
pub fn fill(word: &str, vars: &Vars, quote: bool) -> String {
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| vars.get(&after[..close]).map(|v| (close, v))) {
            Some((close, value)) => {
                if quote {
                    out.push_str(&shell_quote(value));
                } else {
                    out.push_str(value);
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One shell word for any text (single quotes; `'` as `'\''`).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The argument list of a `[[command]]` for an item. Without `shell` the
/// template is split first and each placeholder fills (part of) one argument,
/// so no value can add arguments; with `shell` the values are quoted.
pub fn command_line(run: &str, shell: bool, vars: &Vars) -> Result<Vec<String>, LaunchError> {
    if shell {
        if run.trim().is_empty() {
            return Err(LaunchError::Empty);
        }
        return Ok(vec!["sh".into(), "-c".into(), fill(run, vars, true)]);
    }
    Ok(crate::launch::split(run)?.iter().map(|w| fill(w, vars, false)).collect())
}

/// The run of a configured command on an item.
pub fn prepare(cfg: &CommandConfig, vars: &Vars) -> Result<CommandRun, LaunchError> {
    Ok(CommandRun {
        name: cfg.name.clone(),
        args: command_line(&cfg.run, cfg.shell, vars)?,
        interactive: cfg.interactive,
        output: cfg.output,
        stdin: None,
    })
}

/// `[poller] on_new` with `{count}` filled in.
pub fn notification(template: &[String], count: usize) -> Vec<String> {
    template.iter().map(|w| w.replace("{count}", &count.to_string())).collect()
}

/// What a finished background command shows on the status line: the first
/// line with text, made safe for the terminal, at most `max` characters.
pub fn first_line(output: &str, max: usize) -> String {
    let line = output.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let clean = crate::article::sanitize::line(line);
    let mut s: String = clean.chars().take(max).collect();
    if clean.chars().count() > max {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars {
            url: "https://x.example/a?b=1&c=2".into(),
            title: "It's {url} $(rm -rf ~) a; b".into(),
            enclosure: "https://x.example/e.mp3".into(),
            id: "42".into(),
            feed: "Feed".into(),
        }
    }

    #[test]
    fn without_a_shell_each_placeholder_stays_inside_its_argument() {
        let args = command_line("mpv --title={title} {enclosure}", false, &vars()).unwrap();
        assert_eq!(args, ["mpv", "--title=It's {url} $(rm -rf ~) a; b", "https://x.example/e.mp3"]);
        let args = command_line("echo '{feed} {id}' {unknown}", false, &vars()).unwrap();
        assert_eq!(args, ["echo", "Feed 42", "{unknown}"]);
        assert!(command_line("x 'open", false, &vars()).is_err());
    }

    #[test]
    fn with_a_shell_values_are_quoted() {
        let args = command_line("echo {title} | wc -c", true, &vars()).unwrap();
        assert_eq!(args[..2], ["sh", "-c"]);
        assert_eq!(args[2], "echo 'It'\\''s {url} $(rm -rf ~) a; b' | wc -c");
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("printf %s {}", fill("{title}", &vars(), true))])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), vars().title);
    }

    #[test]
    fn notifications_and_status_lines() {
        assert_eq!(notification(&["notify-send".into(), "{count} new".into()], 3), ["notify-send", "3 new"]);
        assert_eq!(first_line("\n  hello\x1b[31m world\nmore", 80), "hello world");
        assert_eq!(first_line("abcdef", 3), "abc…");
    }
}
