//! Running a command template the user configured (`[ui] player`): split
//! into words as a shell would (quotes honoured), `{url}` replaced in each
//! word — or the URL appended when no word has it — and started without a
//! shell, detached, its output discarded. Nothing from a feed can add words
//! or reach a shell: the URL is always one argument.

use std::process::{Command, Stdio};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LaunchError {
    #[error("the command is empty or its quotes do not match: {0:?}")]
    Template(String),
    #[error("cannot run {program}: {error}")]
    Spawn { program: String, error: String },
}

/// The program and its arguments for a template and a URL.
pub fn argv(template: &str, url: &str) -> Result<Vec<String>, LaunchError> {
    let words =
        shlex::split(template).filter(|w| !w.is_empty()).ok_or_else(|| LaunchError::Template(template.into()))?;
    let has_placeholder = words.iter().any(|w| w.contains("{url}"));
    let mut argv: Vec<String> = words.into_iter().map(|w| w.replace("{url}", url)).collect();
    if !has_placeholder {
        argv.push(url.to_string());
    }
    Ok(argv)
}

/// Starts the command and returns at once; a thread reaps it when it ends.
pub fn spawn_detached(template: &str, url: &str) -> Result<(), LaunchError> {
    let argv = argv(template, url)?;
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| LaunchError::Spawn { program: argv[0].clone(), error: e.to_string() })?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_one_argument_wherever_it_goes() {
        let url = "https://p.example/a b.mp3?x=1&y=$(rm -rf ~)";
        assert_eq!(argv("mpv --force-window {url}", url).unwrap(), ["mpv", "--force-window", url]);
        assert_eq!(argv("'/opt/my player/play' --title=x", url).unwrap(), ["/opt/my player/play", "--title=x", url]);
        assert_eq!(argv("vlc --url={url}", url).unwrap(), ["vlc", &format!("--url={url}")]);
        assert!(matches!(argv("", url), Err(LaunchError::Template(_))));
        assert!(matches!(argv("mpv 'unclosed", url), Err(LaunchError::Template(_))));
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_panic() {
        let err = spawn_detached("/nonexistent/player {url}", "https://p.example/a.mp3").unwrap_err();
        assert!(err.to_string().starts_with("cannot run /nonexistent/player"), "{err}");
    }
}
