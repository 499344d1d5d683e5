//! Running the user's commands: in the background (output read, the loop
//! told how it went), or in the foreground with the terminal handed over
//! (the reader's screen left and restored, whatever happens meanwhile).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::crossterm;
use ratatui::crossterm::execute;

use super::CommandRun;

/// Lets the terminal-input thread stand aside while a command owns the
/// terminal (else it would read the keys meant for the command).
#[derive(Debug, Default)]
pub struct InputGate {
    paused: AtomicBool,
    parked: AtomicBool,
}

/// How long a pause waits for the input thread to stop reading.
const PARK_WAIT: Duration = Duration::from_millis(500);
/// How often a paused input thread looks whether it may read again.
pub const PARKED_NAP: Duration = Duration::from_millis(20);

impl InputGate {
    /// Stops the input thread reading (waits until it has).
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        let start = Instant::now();
        while !self.parked.load(Ordering::SeqCst) && start.elapsed() < PARK_WAIT {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }

    /// A command has the terminal (Ctrl-c then is the command's, not ours).
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Called by the input thread before each read: true while it must not read.
    pub fn hold(&self) -> bool {
        let paused = self.paused.load(Ordering::SeqCst);
        self.parked.store(paused, Ordering::SeqCst);
        paused
    }
}

/// The terminal handed to a command: the reader's screen left (input not
/// read, raw mode and mouse capture off) until dropped, which brings it back
/// — after the command, after a failure to start it, and when unwinding.
pub struct Suspended {
    gate: Arc<InputGate>,
    mouse: bool,
}

impl Suspended {
    pub fn enter(gate: Arc<InputGate>, mouse: bool) -> Suspended {
        use crossterm::{cursor, terminal};
        gate.pause();
        if mouse {
            let _ = execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        }
        let _ = execute!(std::io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
        let _ = terminal::disable_raw_mode();
        Suspended { gate, mouse }
    }
}

impl Drop for Suspended {
    fn drop(&mut self) {
        use crossterm::{cursor, terminal};
        let _ = terminal::enable_raw_mode();
        let _ = execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide);
        if self.mouse {
            let _ = execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
        }
        self.gate.resume();
    }
}

/// How a command ended, in words: the first line of its output on success,
/// else why it failed.
pub type Outcome = Result<String, String>;

fn start_error(name: &str, program: &str, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("{name}: {program} was not found"),
        _ => format!("{name}: {program} could not be started: {e}"),
    }
}

/// Starts a command with its output read; `done` is called (on another
/// thread) with its whole output or why it failed. Never waits for it.
pub fn background(run: CommandRun, done: impl FnOnce(Outcome) + Send + 'static) -> Result<(), String> {
    let (program, rest) = run.args.split_first().ok_or_else(|| format!("{}: the command is empty", run.name))?;
    let mut child = Command::new(program)
        .args(rest)
        .stdin(if run.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| start_error(&run.name, program, &e))?;
    let input = child.stdin.take().zip(run.stdin);
    let name = run.name.clone();
    std::thread::spawn(move || {
        if let Some((mut pipe, text)) = input {
            // A command that does not read its input closes the pipe: not an error.
            let _ = pipe.write_all(text.as_bytes());
        }
        done(match child.wait_with_output() {
            Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
            Ok(out) => {
                let why = super::first_line(&String::from_utf8_lossy(&out.stderr), 120);
                let status = match out.status.code() {
                    Some(code) => format!("exit status {code}"),
                    None => "stopped by a signal".to_string(),
                };
                Err(if why.is_empty() {
                    format!("{name} failed ({status})")
                } else {
                    format!("{name} failed ({status}): {why}")
                })
            }
            Err(e) => Err(format!("{name}: {e}")),
        });
    });
    Ok(())
}

/// Runs a command on the terminal: `suspend` leaves the reader's screen,
/// and the returned guard's drop brings it back (also when starting fails
/// or anything unwinds). Waits until the command ends.
pub fn foreground<G>(run: &CommandRun, suspend: impl FnOnce() -> G) -> Outcome {
    let (program, rest) = run.args.split_first().ok_or_else(|| format!("{}: the command is empty", run.name))?;
    let _restore = suspend();
    let mut child = Command::new(program)
        .args(rest)
        .stdin(if run.stdin.is_some() { Stdio::piped() } else { Stdio::inherit() })
        .spawn()
        .map_err(|e| start_error(&run.name, program, &e))?;
    let writer = child.stdin.take().zip(run.stdin.clone()).map(|(mut pipe, text)| {
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        })
    });
    let status = child.wait().map_err(|e| format!("{}: {e}", run.name))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    match status.code() {
        Some(0) => Ok(String::new()),
        Some(code) => Err(format!("{} failed (exit status {code})", run.name)),
        None => Err(format!("{} was stopped by a signal", run.name)),
    }
}

/// The pager (`$PAGER`, else `less`) on `text`, on the terminal.
pub fn pager(text: String) -> CommandRun {
    let args = std::env::var("PAGER")
        .ok()
        .and_then(|p| crate::launch::split(&p).ok())
        .unwrap_or_else(|| vec!["less".to_string(), "-R".to_string()]);
    CommandRun {
        name: "pager".into(),
        args,
        interactive: true,
        output: crate::config::commands::CommandOutput::Status,
        stdin: Some(crate::article::sanitize::text(&text).into_owned()),
    }
}

/// Starts `[poller] on_new` (no shell, output discarded); a thread reaps it.
pub fn notify(args: &[String], report: Arc<dyn Fn(String) + Send + Sync>) {
    match crate::launch::spawn(args) {
        Ok(launched) => {
            std::thread::spawn(move || {
                if let Err(e) = launched.wait() {
                    report(format!("on_new: {e}"));
                }
            });
        }
        Err(e) => report(format!("on_new: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::commands::CommandOutput;

    fn run(args: &[&str], stdin: Option<&str>) -> CommandRun {
        CommandRun {
            name: "t".into(),
            args: args.iter().map(|s| s.to_string()).collect(),
            interactive: false,
            output: CommandOutput::Status,
            stdin: stdin.map(String::from),
        }
    }

    fn wait(r: CommandRun) -> Outcome {
        let (tx, rx) = std::sync::mpsc::channel();
        background(r, move |o| tx.send(o).unwrap()).map_err(|e| e.to_string())?;
        rx.recv_timeout(Duration::from_secs(10)).unwrap()
    }

    #[test]
    fn background_commands_report_output_or_failure() {
        assert_eq!(wait(run(&["echo", "hi"], None)), Ok("hi\n".into()));
        assert_eq!(wait(run(&["wc", "-w"], Some("one two three"))).map(|s| s.trim().to_string()), Ok("3".into()));
        assert_eq!(wait(run(&["sh", "-c", "echo bad >&2; exit 3"], None)), Err("t failed (exit status 3): bad".into()));
        assert_eq!(
            wait(run(&["tidings-no-such-program"], None)),
            Err("t: tidings-no-such-program was not found".into())
        );
    }

    #[test]
    fn the_terminal_comes_back_even_when_the_command_cannot_start() {
        let restored = std::cell::Cell::new(false);
        struct Guard<'a>(&'a std::cell::Cell<bool>);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let r = foreground(&run(&["tidings-no-such-program"], None), || Guard(&restored));
        assert!(r.is_err() && restored.get());
        assert_eq!(foreground(&run(&["true"], Some("x")), || ()), Ok(String::new()));
        assert_eq!(foreground(&run(&["false"], None), || ()), Err("t failed (exit status 1)".into()));
    }
}
