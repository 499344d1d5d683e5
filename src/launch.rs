//! Running the user's programs for a URL (the browser, and anything else
//! configured as a command template), without ever waiting for them.
//!
//! A template is a command line, split like a shell would (quotes work, no
//! shell runs it): `{url}` (or `%s`, as in `$BROWSER`) is replaced by the
//! URL as one argument; without either, the URL goes last. `$BROWSER` is a
//! colon-separated list of such commands, tried in order (as xdg-utils does).

use std::process::{Command, Stdio};

/// Why a program could not be started, in words for the status line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    #[error("the command \"{0}\" cannot be read (unbalanced quotes?)")]
    BadTemplate(String),
    #[error("the command is empty")]
    Empty,
    #[error("{program} was not found")]
    NotFound { program: String },
    #[error("{program} could not be started: {reason}")]
    Failed { program: String, reason: String },
}

/// A template's words, split like a shell would (no shell runs them).
pub fn split(template: &str) -> Result<Vec<String>, LaunchError> {
    let words = shlex::split(template).ok_or_else(|| LaunchError::BadTemplate(template.to_string()))?;
    if words.is_empty() {
        return Err(LaunchError::Empty);
    }
    Ok(words)
}

/// The argument list for `template` and `url`.
pub fn command_line(template: &str, url: &str) -> Result<Vec<String>, LaunchError> {
    let words = split(template)?;
    let mut placed = false;
    let mut args: Vec<String> = words
        .into_iter()
        .map(|w| {
            if w.contains("{url}") || w.contains("%s") {
                placed = true;
                w.replace("{url}", url).replace("%s", url)
            } else {
                w
            }
        })
        .collect();
    if !placed {
        args.push(url.to_string());
    }
    Ok(args)
}

/// A started program; `wait` reports how it ended (call it off the UI thread).
pub struct Launched {
    pub program: String,
    child: std::process::Child,
}

impl Launched {
    /// Waits for the program; an error in words when it failed.
    pub fn wait(mut self) -> Result<(), String> {
        match self.child.wait() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(match status.code() {
                Some(code) => format!("{} failed (exit status {code})", self.program),
                None => format!("{} was stopped by a signal", self.program),
            }),
            Err(e) => Err(format!("{}: {e}", self.program)),
        }
    }
}

/// Starts one command line, detached from the terminal: no input, its
/// output discarded (a browser's chatter must not garble the screen).
pub fn spawn(args: &[String]) -> Result<Launched, LaunchError> {
    let (program, rest) = args.split_first().ok_or(LaunchError::Empty)?;
    let child = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LaunchError::NotFound { program: program.clone() },
            _ => LaunchError::Failed { program: program.clone(), reason: e.to_string() },
        })?;
    Ok(Launched { program: program.clone(), child })
}

/// The commands to try for opening a URL: `[ui] browser`, else each entry
/// of `$BROWSER`, else none (the caller falls back to the desktop opener).
pub fn browser_commands(configured: Option<&str>, env_browser: Option<&str>) -> Vec<String> {
    match (configured.map(str::trim).filter(|c| !c.is_empty()), env_browser) {
        (Some(c), _) => vec![c.to_string()],
        (None, Some(list)) => list.split(':').map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect(),
        (None, None) => Vec::new(),
    }
}

/// Starts the first of `commands` that can be started for `url`. The error
/// names every one tried.
pub fn open_with(commands: &[String], url: &str) -> Result<Launched, String> {
    let mut errors = Vec::new();
    for template in commands {
        match command_line(template, url).and_then(|args| spawn(&args)) {
            Ok(launched) => return Ok(launched),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Err(format!("cannot open a browser: {}", errors.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://x.example/a?b=1&c=2";

    #[test]
    fn templates_place_the_url_as_one_argument() {
        assert_eq!(command_line("firefox --new-tab {url}", URL).unwrap(), ["firefox", "--new-tab", URL]);
        assert_eq!(command_line("open", URL).unwrap(), ["open", URL]);
        assert_eq!(command_line("sh -c 'echo \"$0\"' %s", URL).unwrap(), ["sh", "-c", "echo \"$0\"", URL]);
        assert_eq!(command_line("'my browser' --url={url}", URL).unwrap(), ["my browser", &format!("--url={URL}")]);
        assert_eq!(command_line("x 'unbalanced", URL), Err(LaunchError::BadTemplate("x 'unbalanced".into())));
        assert_eq!(command_line("  ", URL), Err(LaunchError::Empty));
    }

    #[test]
    fn browser_env_is_a_colon_separated_list() {
        assert_eq!(browser_commands(None, Some("w3m:firefox %s: ")), ["w3m", "firefox %s"]);
        assert_eq!(browser_commands(Some("chromium"), Some("w3m")), ["chromium"], "the config wins");
        assert!(browser_commands(None, None).is_empty());
    }

    #[test]
    fn the_first_command_that_starts_is_used_and_failures_are_words() {
        let commands = vec!["tidings-no-such-browser".to_string(), "true".to_string()];
        let launched = open_with(&commands, URL).unwrap();
        assert_eq!(launched.program, "true");
        assert_eq!(launched.wait(), Ok(()));
        let err = open_with(&["tidings-no-such-browser {url}".to_string()], URL).err().unwrap();
        assert_eq!(err, "cannot open a browser: tidings-no-such-browser was not found");
        let failing = open_with(&["false".to_string()], URL).unwrap();
        assert_eq!(failing.wait(), Err("false failed (exit status 1)".into()));
    }
}
