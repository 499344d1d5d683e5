//! The interactive program: terminal setup and restore, the tasks that feed
//! the app loop (terminal input, ticks, signals, the poller), and the loop.

use std::io::stdout;
use std::sync::Arc;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseEventKind};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::app::msg::Msg;
use crate::app::render_worker::RenderWorker;
use crate::app::state::State;
use crate::app::writer::Prepare;
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

/// The user's browser (via `open`, detached so the TUI never waits) and
/// clipboard (OSC 52, which also works over SSH and in tmux).
struct RealDesktop;

impl Desktop for RealDesktop {
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

/// How long quitting waits for changes still queued behind another
/// process's write lock before giving up on them (and saying so).
const QUIT_DEADLINE: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits. Before the first frame only the first
/// rows of the first view are read; the rest of the start (threads, the
/// config's feeds into the store, retention, counts, the poller) follows it.
pub async fn run(cfg: Config, store: Store) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let state = State::new(&cfg, system_clock(), utc_offset, Theme::from_env());
    let mut app = App::new(state, store, system_clock);
    let (mut terminal, _guard) = init_terminal(cfg.ui.mouse)?;
    let size = terminal.size()?;
    app.step(Msg::Resize(size.width, size.height));
    app.first_screen();
    terminal.draw(|f| crate::ui::draw(f, &app.state))?;
    app.state.dirty = false;

    // Everything below comes after the first frame.
    let sink_tx = tx.clone();
    app.spawn_workers(Arc::new(move |msg| {
        let _ = sink_tx.send(msg);
    }))?;
    // One HTTP client and one set of limits for feeds and article pages alike.
    let net = Net::new(&cfg.poller)?;
    let (states_tx, states_rx) = tokio::sync::oneshot::channel();
    let poll_tx = tx.clone();
    app.set_poller(Poller::spawn_after(
        net.clone(),
        cfg.feeds.clone(),
        cfg.poller.clone(),
        states_rx,
        Arc::new(move |ev| {
            let _ = poll_tx.send(Msg::Poll(ev));
        }),
    ));
    let full_tx = tx.clone();
    app.set_full_text(Box::new(FullTextService::spawn_on(
        net,
        Arc::new(move |id, result| {
            let _ = full_tx.send(Msg::FullText { id, result });
        }),
    )));
    let render_tx = tx.clone();
    app.set_render_worker(RenderWorker::spawn(Arc::new(move |msg| {
        let _ = render_tx.send(msg);
    }))?);
    app.set_desktop(Box::new(RealDesktop));
    app.prepare(Prepare {
        feeds: cfg.feeds.clone(),
        keep_read_days: cfg.store.keep_read_days,
        max_items_per_feed: cfg.store.max_items_per_feed,
        then: Box::new(move |states| {
            let _ = states_tx.send(states);
        }),
    });
    app.start_background();
    spawn_input(tx.clone());
    spawn_ticks(tx.clone());
    spawn_signals(tx.clone());
    drop(tx);

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
    if !app.state.pending.is_empty() {
        // Changes still waiting for another program's write lock: say why quitting waits.
        app.state.status = Some(format!("saving {} changes…", app.state.pending.len()));
        terminal.draw(|f| crate::ui::draw(f, &app.state))?;
    }
    if !app.finish(QUIT_DEADLINE) {
        drop(_guard);
        eprintln!("tidings: some changes were not saved: the database stayed locked by another program");
    }
    Ok(())
}

/// Terminal events → messages, on a thread of its own that blocks on the
/// terminal and hands each event over as soon as it is read. The terminal is
/// polled level-triggered (crossterm's `use-dev-tty`), so a burst of keys or
/// a paste over 1 KB is read to its end at once and a key typed after it is
/// never stuck behind it; the loop takes everything queued before it draws.
/// Started once the terminal is set up.
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    let spawned = std::thread::Builder::new().name("tidings-input".into()).spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                // Pointer motion arrives constantly with capture on and means nothing here.
                Ok(Event::Mouse(m)) if !matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {
                    Msg::Mouse(m)
                }
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    return;
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start the input thread: {e}");
    }
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
