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
use crate::feed::{FullTextService, Poller};
use crate::store::Store;
use crate::ui::theme::Theme;

/// How often the clock message is sent (ages in the list are in minutes).
const TICK_INTERVAL: Duration = Duration::from_secs(15);
/// At most this many queued messages are handled before a frame is drawn.
const MAX_BATCH: usize = 512;

/// The user's browser (via `open`, detached so the TUI never waits),
/// clipboard (OSC 52, which also works over SSH and in tmux) and media player.
struct RealDesktop {
    /// `[ui] player`: the command template enclosures open with.
    player: Option<String>,
}

impl Desktop for RealDesktop {
    fn play(&mut self, url: &str) -> Result<(), String> {
        match &self.player {
            Some(template) => crate::launch::spawn_detached(template, url).map_err(|e| e.to_string()),
            None => self.open_url(url),
        }
    }

    fn open_url(&mut self, url: &str) -> Result<(), String> {
        open::that_detached(url).map_err(|e| format!("cannot open a browser: {e}"))
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
        if self.mouse {
            let _ = execute!(stdout(), DisableMouseCapture);
        }
        ratatui::restore();
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

/// Runs the TUI until the user quits. The store must already be synced with `cfg.feeds`.
pub async fn run(cfg: Config, store: Store) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // One HTTP client and one set of limits for feeds and article pages alike.
    let net = Net::new(&cfg.poller)?;
    let poll_tx = tx.clone();
    let poller = Poller::spawn_on(
        net.clone(),
        cfg.feeds.clone(),
        cfg.poller.clone(),
        store.poll_states()?,
        Arc::new(move |ev| {
            let _ = poll_tx.send(Msg::Poll(ev));
        }),
    );
    let full_tx = tx.clone();
    let fulltext = FullTextService::spawn_on(
        net,
        Arc::new(move |id, result| {
            let _ = full_tx.send(Msg::FullText { id, result });
        }),
    );
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let state = State::new(&cfg, system_clock(), utc_offset, Theme::from_env());
    let render_tx = tx.clone();
    let renderer = RenderWorker::spawn(Arc::new(move |msg| {
        let _ = render_tx.send(msg);
    }))?;
    let reader_store = store.open_reader()?;
    let mut app = App::new(state, store, system_clock)
        .with_poller(poller)
        .with_render_worker(renderer)
        .with_full_text(Box::new(fulltext))
        .with_desktop(Box::new(RealDesktop { player: cfg.ui.player.clone() }));
    if let Some(reader_store) = reader_store {
        let reader_tx = tx.clone();
        let sink: Sink = Arc::new(move |msg| {
            let _ = reader_tx.send(msg);
        });
        app = app.with_reader(Reader::spawn(reader_store, cfg.queries.clone(), sink)?);
    }

    let (mut terminal, _guard) = init_terminal(cfg.ui.mouse)?;
    let size = terminal.size()?;
    app.step(Msg::Resize(size.width, size.height));
    app.start();
    spawn_input(tx.clone());
    spawn_ticks(tx.clone());
    spawn_signals(tx.clone());
    drop(tx);

    terminal.draw(|f| crate::ui::draw(f, &app.state))?;
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
        if app.state.dirty {
            terminal.draw(|f| crate::ui::draw(f, &app.state))?;
            app.state.dirty = false;
        }
    }
    Ok(())
}

/// Terminal events → messages. Only created once the terminal is set up
/// (EventStream needs a TTY).
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(event) = events.next().await {
            let msg = match event {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                // Pointer motion arrives constantly with capture on and means nothing here.
                Ok(Event::Mouse(m)) if !matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {
                    Msg::Mouse(m)
                }
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
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
