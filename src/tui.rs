//! The interactive program: terminal setup and restore, the tasks that feed
//! the app loop (terminal input, ticks, signals, the poller), and the loop.

use std::io::stdout;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, EventStream, KeyEventKind, MouseEventKind,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::app::reader::{Reader, Sink};
use crate::app::render_worker::RenderWorker;
use crate::app::state::State;
use crate::app::{App, Desktop, system_clock};
use crate::config::Config;
use crate::feed::poller::Net;
use crate::feed::{Fetcher, FullTextService, Poller};
use crate::store::Store;
use crate::sync::AnyBackend;
use crate::sync::task::SyncTask;
use crate::ui::theme::Theme;

/// How often the clock message is sent (ages in the list are in minutes).
const TICK_INTERVAL: Duration = Duration::from_secs(15);
/// At most this many queued messages are handled before a frame is drawn.
const MAX_BATCH: usize = 512;

/// The user's browser and clipboard (OSC 52, which also works over SSH and
/// in tmux). Links open with `[ui] browser`, else `$BROWSER`, else the
/// desktop's opener; the program is never waited for on the loop: a thread
/// waits, and a failure comes back as a message in words.
struct RealDesktop {
    /// Command templates to try (see `launch`); empty: the desktop's opener.
    browser: Vec<String>,
    report: Arc<dyn Fn(String) + Send + Sync>,
}

impl RealDesktop {
    fn new(cfg: &Config, report: Arc<dyn Fn(String) + Send + Sync>) -> RealDesktop {
        let env = std::env::var("BROWSER").ok();
        RealDesktop { browser: crate::launch::browser_commands(cfg.ui.browser.as_deref(), env.as_deref()), report }
    }
}

/// The desktop opener's commands (xdg-open, gio, …) as templates.
fn opener_commands(url: &str) -> Vec<String> {
    open::commands(url)
        .iter()
        .filter_map(|c| {
            let words: Vec<String> = std::iter::once(c.get_program())
                .chain(c.get_args())
                .map(|w| w.to_string_lossy().into_owned())
                .collect();
            shlex::try_join(words.iter().map(String::as_str)).ok()
        })
        .collect()
}

impl Desktop for RealDesktop {
    fn open_url(&mut self, url: &str) -> Result<(), String> {
        let commands = if self.browser.is_empty() { opener_commands(url) } else { self.browser.clone() };
        let launched = crate::launch::open_with(&commands, url)?;
        let report = self.report.clone();
        std::thread::spawn(move || {
            if let Err(e) = launched.wait() {
                report(format!("cannot open the link: {e}"));
            }
        });
        Ok(())
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        use ratatui::crossterm::clipboard::CopyToClipboard;
        execute!(stdout(), CopyToClipboard::to_clipboard_from(text)).map_err(|e| format!("cannot copy: {e}"))
    }
}

/// Restores the terminal when dropped: on quit, on error returns and on unwinding.
struct TerminalGuard {
    mouse: bool,
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // The terminal may be gone (pane killed, SSH dropped): nothing to
        // restore then, and nowhere to say so (ratatui::restore would print
        // to the dead stderr and panic).
        if self.mouse {
            let _ = execute!(stdout(), DisableMouseCapture);
        }
        if let Err(e) = ratatui::try_restore() {
            tracing::info!("terminal not restored (gone?): {e}");
        }
    }
}

fn init_terminal(mouse: bool) -> anyhow::Result<(DefaultTerminal, TerminalGuard)> {
    let terminal = ratatui::try_init()?;
    let guard = TerminalGuard { mouse };
    // ratatui's hook restores the terminal on panic; ours goes in front of it
    // so that contained parser panics do not tear the screen down.
    crate::panic::install_hook_with(move || {
        if mouse {
            let _ = execute!(stdout(), DisableMouseCapture);
        }
    });
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Ok((terminal, guard))
}

/// What the command line hands the reader besides the config and the store.
#[derive(Default)]
pub struct Launch {
    /// A first message for the status line (e.g. the config the first run wrote).
    pub status: Option<String>,
    /// Full text from these pages instead of the network (the demo).
    pub pages: Option<crate::demo::Pages>,
    /// With `[sync]`: the password, got before the terminal was taken over
    /// (a password_command may ask on it).
    pub sync_password: Option<String>,
}

/// Runs the TUI until the user quits. The store must already be synced with `cfg.feeds`.
pub async fn run(cfg: Config, store: Store, launch: Launch) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // One HTTP client and one set of limits for feeds and article pages alike.
    let net = Net::new(&cfg.poller)?;
    let poll_tx = tx.clone();
    // With [sync] the server fetches the feeds: no poller, a sync thread instead.
    let poller = match cfg.sync {
        Some(_) => None,
        None => Some(Poller::spawn_on(
            net.clone(),
            cfg.feeds.clone(),
            cfg.poller.clone(),
            store.poll_states()?,
            Arc::new(move |ev| {
                let _ = poll_tx.send(Msg::Poll(ev));
            }),
        )),
    };
    let sync = spawn_sync(&cfg, &store, launch.sync_password, &tx)?;
    let full_tx = tx.clone();
    let full_sink: crate::feed::fulltext::Sink = Arc::new(move |id, result| {
        let _ = full_tx.send(Msg::FullText { id, result });
    });
    let fulltext: Box<dyn crate::app::FullTextFetch> = match launch.pages {
        Some(pages) => Box::new(crate::demo::LocalPages::new(pages, full_sink)),
        None => Box::new(FullTextService::spawn_on(net, full_sink)),
    };
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let mut state = State::new(&cfg, system_clock(), utc_offset, Theme::from_config(&cfg.ui));
    state.notice = launch.status;
    let render_tx = tx.clone();
    let renderer = RenderWorker::spawn(Arc::new(move |msg| {
        let _ = render_tx.send(msg);
    }))?;
    let reader_store = store.open_reader()?;
    let mut app = App::new(state, store, system_clock)
        .with_render_worker(renderer)
        .with_full_text(fulltext)
        .with_desktop(Box::new(RealDesktop::new(&cfg, {
            let tx = tx.clone();
            Arc::new(move |error| {
                let _ = tx.send(Msg::Failed(error));
            })
        })));
    if let Some(poller) = poller {
        app = app.with_poller(poller);
    }
    if let Some(sync) = sync {
        app = app.with_sync(sync);
    }
    if let Some(reader_store) = reader_store {
        let reader_tx = tx.clone();
        let sink: Sink = Arc::new(move |msg| {
            let _ = reader_tx.send(msg);
        });
        app = app.with_reader(Reader::spawn(reader_store, cfg.queries.clone(), sink)?);
    }

    let (mut terminal, guard) = init_terminal(cfg.ui.mouse)?;
    let size = terminal.size()?;
    app.step(Msg::Resize(size.width, size.height));
    app.start();
    spawn_input(tx.clone());
    spawn_ticks(tx.clone());
    spawn_signals(tx.clone());
    drop(tx);

    let result = event_loop(&mut terminal, &mut app, &mut rx).await;
    drop(guard);
    // ratatui's Terminal shows the cursor when dropped and prints to stderr
    // (panicking, if stderr is the dead terminal) when it cannot: when the
    // terminal is gone, it is not dropped.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    result
}

/// The sync thread for `[sync]`, on a connection of its own, reporting to the loop.
fn spawn_sync(
    cfg: &Config,
    store: &Store,
    password: Option<String>,
    tx: &mpsc::UnboundedSender<Msg>,
) -> anyhow::Result<Option<SyncTask>> {
    let (Some(sync_cfg), Some(password)) = (&cfg.sync, password) else { return Ok(None) };
    let Some(sync_store) = store.open_another()? else { return Ok(None) };
    let backend = AnyBackend::new(sync_cfg, &password, Fetcher::new(&cfg.poller)?)?;
    let sync_tx = tx.clone();
    let sink: crate::sync::task::Sink = Arc::new(move |event| {
        let _ = sync_tx.send(Msg::Sync(event));
    });
    let account = crate::sync::account(sync_cfg);
    Ok(Some(SyncTask::spawn(sync_store, backend, account, sync_cfg.interval, sink)?))
}

/// Messages in, state changes, a frame out when something changed; until
/// the user quits or the terminal goes away.
async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
) -> anyhow::Result<()> {
    if let Err(e) = terminal.draw(|f| crate::ui::draw(f, &app.state)) {
        return terminal_gone(e);
    }
    app.state.dirty = false;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(m) => batch.push(m),
                Err(_) => break,
            }
        }
        app.step_many(batch);
        if app.state.quit {
            break;
        }
        if app.state.clear {
            // Not `terminal.clear()`: it asks the terminal where the cursor is
            // and waits for the answer, which the input task reads instead.
            // A resize to the same size clears the screen and the back buffer
            // without asking anything.
            let cleared =
                terminal.size().and_then(|s| terminal.resize(ratatui::layout::Rect::new(0, 0, s.width, s.height)));
            if let Err(e) = cleared {
                return terminal_gone(e);
            }
            app.state.clear = false;
            app.state.dirty = true;
        }
        if app.state.dirty {
            if let Err(e) = terminal.draw(|f| crate::ui::draw(f, &app.state)) {
                return terminal_gone(e);
            }
            app.state.dirty = false;
        }
    }
    Ok(())
}

/// A terminal that can no longer be written to has gone away (pane killed,
/// SSH dropped): a normal end. Returning drops the app, which closes the
/// store cleanly.
fn terminal_gone(e: std::io::Error) -> anyhow::Result<()> {
    tracing::info!("the terminal went away ({e}); quitting");
    Ok(())
}

/// Terminal events → messages. Only created once the terminal is set up
/// (EventStream needs a TTY).
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let Some(event) = events.next().await else {
                let _ = tx.send(Msg::Action(crate::app::action::Action::Quit));
                break;
            };
            let msg = match event {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                // Pointer motion arrives constantly with capture on and means nothing here.
                Ok(Event::Mouse(m)) if !matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {
                    Msg::Mouse(m)
                }
                Ok(_) => continue,
                // No more input: the terminal is gone. Quit as if asked to.
                Err(e) => {
                    tracing::info!("terminal input ended: {e}; quitting");
                    let _ = tx.send(Msg::Action(crate::app::action::Action::Quit));
                    break;
                }
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}

fn spawn_ticks(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(TICK_INTERVAL);
        loop {
            every.tick().await;
            if tx.send(Msg::Tick(system_clock())).is_err() {
                break;
            }
        }
    });
}

/// SIGTERM, SIGHUP and SIGINT quit cleanly, so the terminal is restored.
fn spawn_signals(tx: mpsc::UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) =
            (signal(SignalKind::terminate()), signal(SignalKind::hangup()), signal(SignalKind::interrupt()))
        else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
        let _ = tx.send(Msg::Action(crate::app::action::Action::Quit));
    });
}
