//! The interactive program: terminal setup and restore, the tasks that feed
//! the app loop (terminal input, ticks, signals, the poller), and the loop.

use std::io::stdout;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
use crate::commands::run::InputGate;
use crate::config::Config;
use crate::feed::poller::Net;
use crate::feed::{Fetcher, FullTextService, Poller};
use crate::store::Store;
use crate::sync::AnyBackend;
use crate::sync::task::SyncTask;
use crate::ui::theme::Theme;

/// How often the clock message is sent (ages in the list are in minutes).
const TICK_INTERVAL: Duration = Duration::from_secs(15);
/// How long the input thread waits for input before it looks whether a
/// command has taken the terminal (`InputGate`).
const INPUT_POLL: Duration = Duration::from_millis(200);
/// At most this many queued messages are handled before a frame is drawn.
const MAX_BATCH: usize = 512;
/// How long the loop has handled nothing before the memory freed meanwhile
/// goes back to the system (checked this often: it goes back 1–2 × this after).
const QUIET: Duration = Duration::from_millis(400);

/// The user's browser, media player and clipboard (OSC 52, which also works
/// over SSH and in tmux). Links open with `[ui] browser`, else `$BROWSER`,
/// else the desktop's opener; enclosures with `[ui] player`, else the same as
/// links. A program is never waited for on the loop: a thread waits, and a
/// failure comes back as a message in words.
struct RealDesktop {
    /// Command templates to try (see `launch`); empty: the desktop's opener.
    browser: Vec<String>,
    /// `[ui] player`: the command template enclosures open with.
    player: Option<String>,
    report: Arc<dyn Fn(String) + Send + Sync>,
    // — #13 commands —
    /// Where background commands' answers go (the loop's channel).
    sink: Arc<dyn Fn(Msg) + Send + Sync>,
    /// Stops the input thread reading while a command has the terminal.
    gate: Arc<InputGate>,
    /// Mouse capture is on (`[ui] mouse`): off while a command has the terminal.
    mouse: bool,
}

impl RealDesktop {
    fn new(
        cfg: &Config,
        report: Arc<dyn Fn(String) + Send + Sync>,
        sink: Arc<dyn Fn(Msg) + Send + Sync>,
        gate: Arc<InputGate>,
    ) -> RealDesktop {
        let env = std::env::var("BROWSER").ok();
        RealDesktop {
            browser: crate::launch::browser_commands(cfg.ui.browser.as_deref(), env.as_deref()),
            player: cfg.ui.player.clone(),
            report,
            sink,
            gate,
            mouse: cfg.ui.mouse,
        }
    }

    /// Starts the first command that starts; a thread reports how it ended.
    fn launch(&self, commands: &[String], url: &str, what: &'static str) -> Result<(), String> {
        let launched = crate::launch::open_with(commands, url)?;
        let report = self.report.clone();
        std::thread::spawn(move || {
            if let Err(e) = launched.wait() {
                report(format!("cannot open the {what}: {e}"));
            }
        });
        Ok(())
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
    fn play(&mut self, url: &str) -> Result<(), String> {
        match self.player.clone() {
            Some(template) => self
                .launch(&[template], url, "enclosure")
                .map_err(|e| e.replacen("cannot open a browser", "cannot start the player", 1)),
            None => self.open_url(url),
        }
    }

    fn open_url(&mut self, url: &str) -> Result<(), String> {
        let commands = if self.browser.is_empty() { opener_commands(url) } else { self.browser.clone() };
        self.launch(&commands, url, "link")
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        use ratatui::crossterm::clipboard::CopyToClipboard;
        execute!(stdout(), CopyToClipboard::to_clipboard_from(text)).map_err(|e| format!("cannot copy: {e}"))
    }

    fn run_command(&mut self, run: crate::commands::CommandRun) -> Option<Msg> {
        let (name, output) = (run.name.clone(), run.output);
        if run.interactive {
            let (gate, mouse) = (self.gate.clone(), self.mouse);
            let result = crate::commands::run::foreground(&run, || crate::commands::run::Suspended::enter(gate, mouse));
            return Some(Msg::CommandDone { name, output, result, redraw: true });
        }
        let sink = self.sink.clone();
        let done = {
            let name = name.clone();
            move |result| sink(Msg::CommandDone { name, output, result, redraw: false })
        };
        match crate::commands::run::background(run, done) {
            Ok(()) => None,
            Err(e) => Some(Msg::CommandDone { name, output, result: Err(e), redraw: false }),
        }
    }

    fn notify(&mut self, args: Vec<String>) {
        crate::commands::run::notify(&args, self.report.clone());
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
    // — #13 images —
    /// Where fetched pictures are kept (None: not kept).
    pub image_cache: Option<std::path::PathBuf>,
    /// The first screen, read while the config was parsed (see `startup`).
    pub first: Option<crate::startup::FirstScreen>,
    // — #10 first frame —
    /// The whole config, to check after the first frame (the reader started
    /// from it without its feeds), and how many feeds it lists.
    pub deferred: Option<(crate::config::preview::Deferred, usize)>,
}

/// How long quitting waits for changes still queued behind another
/// process's write lock before giving up on them (and saying so).
const QUIT_DEADLINE: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits. Before the first frame only the first
/// rows of the first view are read; the rest of the start (threads, the
/// config's feeds into the store, retention, counts, the poller) follows it.
pub async fn run(mut cfg: Config, mut store: Store, launch: Launch) -> anyhow::Result<()> {
    store.set_mute(cfg.mute_queries());
    store.set_stories(cfg.stories.config()); // #15
    crate::stories::sign_while_parsing(cfg.stories.enabled); // #15: the parser signs, the store assigns
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let mut state = State::new(&cfg, system_clock(), utc_offset, Theme::from_config(&cfg.ui));
    if let Some((_, feeds)) = &launch.deferred {
        state.feed_count = *feeds; // #10: the feeds themselves come after the first frame
    }
    state.notice = launch.status;
    // — #10 bulk — a `fetch` loading many items builds some indexes at its end.
    if state.notice.is_none() && store.indexes_deferred().unwrap_or(false) {
        state.notice = Some("a fetch is loading many items: lists are slower until it ends".into());
    }
    if launch.pages.is_some() {
        // The demo never runs the user's programs on what it shows.
        state.on_new = None;
    }
    let gate = Arc::new(InputGate::default());
    let read_only = store.read_only().map(String::from);
    state.read_only = read_only.clone();
    let history = store.data_dir().map(|dir| crate::store::history::path_in(&dir));
    let mut app = App::new(state, store, system_clock);
    if let Some(path) = history {
        app.set_history_file(path);
    }
    let (mut terminal, guard) = init_terminal(cfg.ui.mouse)?;
    let size = terminal.size()?;
    app.step(Msg::Resize(size.width, size.height));
    app.first_screen_from(launch.first);
    if let Err(e) = terminal.draw(|f| crate::ui::draw(f, &app.state)) {
        return terminal_gone(e);
    }
    app.state.dirty = false;
    // — #10 first frame — the whole config, checked now that the first frame
    // is up (it passed with this text before; an error still ends the reader).
    if let Some((deferred, _)) = launch.deferred {
        cfg = deferred.load()?;
        app.state.set_config_feeds(&cfg.feeds);
    }
    // — #13 images — asked of the terminal before the input task reads its answers.
    let picker = picker(cfg.ui.images);

    // Everything below comes after the first frame.
    let sink_tx = tx.clone();
    // — #10 search — the ingest thread merges the search index while the user is idle.
    app.merge_when_idle();
    app.spawn_workers(Arc::new(move |msg| {
        let _ = sink_tx.send(msg);
    }))?;
    // One HTTP client and one set of limits for feeds and article pages alike.
    let net = Net::new(&cfg.poller)?;
    // The poller keeps its own copy of the feeds and the start's chores take
    // this one: the config does not keep a third for the whole session.
    let feeds = std::mem::take(&mut cfg.feeds);
    let image_fetcher = net.fetcher.clone();
    let (states_tx, states_rx) = tokio::sync::oneshot::channel();
    let poll_tx = tx.clone();
    // A read-only database (a full disk, a read-only data dir) could keep
    // nothing fetched: no poller, and none of the start's chores that write.
    // With [sync] the server fetches the feeds: a sync thread instead.
    if read_only.is_none() && cfg.sync.is_none() {
        app.set_poller(Poller::spawn_after(
            net.clone(),
            feeds.clone(),
            cfg.poller.clone(),
            states_rx,
            Arc::new(move |ev| {
                let _ = poll_tx.send(Msg::Poll(ev));
            }),
        ));
    }
    if read_only.is_none()
        && let Some(sync) = spawn_sync(&cfg, app.store(), launch.sync_password, &tx)?
    {
        app.set_sync(sync);
    }
    let full_tx = tx.clone();
    let full_sink: crate::feed::fulltext::Sink = Arc::new(move |id, result| {
        let _ = full_tx.send(Msg::FullText { id, result });
    });
    app.set_full_text(match launch.pages {
        Some(pages) => Box::new(crate::demo::LocalPages::new(pages, full_sink)),
        None => Box::new(FullTextService::spawn_on(net, full_sink)),
    });
    if let Some(picker) = picker {
        let images_tx = tx.clone();
        let cache =
            launch.image_cache.map(|dir| crate::images::cache::Cache::new(dir, crate::images::cache::DEFAULT_LIMIT));
        app.set_images(crate::images::service::ImageService::spawn(
            image_fetcher,
            picker,
            cache,
            Arc::new(move |loaded| {
                let _ = images_tx.send(Msg::ImageLoaded(loaded));
            }),
        ));
    }
    let render_tx = tx.clone();
    app.set_render_worker(RenderWorker::spawn(Arc::new(move |msg| {
        let _ = render_tx.send(msg);
    }))?);
    let command_tx = tx.clone();
    app.set_desktop(Box::new(RealDesktop::new(
        &cfg,
        {
            let tx = tx.clone();
            Arc::new(move |error| {
                let _ = tx.send(Msg::Failed(error));
            })
        },
        Arc::new(move |msg| {
            let _ = command_tx.send(msg);
        }),
        gate.clone(),
    )));
    if read_only.is_none() {
        app.prepare(Prepare {
            feeds,
            keep_read_days: cfg.store.keep_read_days,
            max_items_per_feed: cfg.store.max_items_per_feed,
            synced: cfg.sync.is_some(),
            then: Box::new(move |states| {
                let _ = states_tx.send(states);
            }),
        });
    }
    app.start_background();
    spawn_input(tx.clone(), gate.clone());
    spawn_ticks(tx.clone());
    spawn_signals(tx.clone(), gate);
    drop(tx);

    let result = event_loop(&mut terminal, &mut app, &mut rx).await;
    if !app.state.pending.is_empty() {
        // Changes still waiting for another program's write lock: say why quitting waits.
        app.state.status = Some(format!("saving {} changes…", app.state.pending.len()));
        let _ = terminal.draw(|f| crate::ui::draw(f, &app.state));
    }
    let saved = app.finish(QUIT_DEADLINE);
    drop(guard);
    // ratatui's Terminal shows the cursor when dropped and prints to stderr
    // (panicking, if stderr is the dead terminal) when it cannot: when the
    // terminal is gone, it is not dropped.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    if !saved {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "tidings: some changes were not saved: the database stayed locked by another program"
        );
    }
    result
}

/// How pictures are drawn: the terminal's protocol (asked of it), half-blocks, or none.
fn picker(mode: crate::images::ImagesMode) -> Option<ratatui_image::picker::Picker> {
    use crate::images::ImagesMode;
    use ratatui_image::picker::Picker;
    match mode {
        ImagesMode::Off => None,
        ImagesMode::Halfblocks => Some(Picker::halfblocks()),
        ImagesMode::Auto => Some(Picker::from_query_stdio().unwrap_or_else(|e| {
            tracing::info!("the terminal did not say how it draws pictures ({e}): half-blocks");
            Picker::halfblocks()
        })),
    }
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
    // Memory freed while working goes back once the reader is quiet.
    let handled = Arc::new(AtomicU64::new(0));
    spawn_trimmer(handled.clone());
    // What frames lay out and the next ones can copy (#10 keys).
    let mut cache = crate::ui::Cache::default();
    while let Some(first) = rx.recv().await {
        handled.fetch_add(1, Ordering::Relaxed);
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
            if let Err(e) = terminal.draw(|f| crate::ui::draw_with(f, &app.state, &mut cache)) {
                return terminal_gone(e);
            }
            app.state.dirty = false;
        }
        // The frame is out: what waited for it starts (#10 keys).
        app.frame_drawn();
    }
    Ok(())
}

/// Gives the memory freed while working back to the system once the loop
/// has handled nothing for `QUIET` (the loop counts its batches in
/// `handled`): a thread of its own, so the loop never waits on a timer.
fn spawn_trimmer(handled: Arc<AtomicU64>) {
    let spawned = std::thread::Builder::new().name("tidings-trim".into()).spawn(move || {
        crate::app::priority::background(); // #10 keys
        let (mut seen, mut trimmed) = (0, 0);
        loop {
            std::thread::sleep(QUIET);
            let now = handled.load(Ordering::Relaxed);
            if now == seen && now != trimmed {
                crate::startup::give_back_memory();
                trimmed = now;
            }
            seen = now;
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("no thread to give memory back: {e}");
    }
}

/// A terminal that can no longer be written to has gone away (pane killed,
/// SSH dropped): a normal end. Returning drops the app, which closes the
/// store cleanly.
fn terminal_gone(e: std::io::Error) -> anyhow::Result<()> {
    tracing::info!("the terminal went away ({e}); quitting");
    Ok(())
}

/// Terminal events → messages, on a thread of its own that blocks on the
/// terminal and hands each event over as soon as it is read. The terminal is
/// polled level-triggered (crossterm's `use-dev-tty`), so a burst of keys or
/// a paste over 1 KB is read to its end at once and a key typed after it is
/// never stuck behind it; the loop takes everything queued before it draws.
/// Started once the terminal is set up.
fn spawn_input(tx: mpsc::UnboundedSender<Msg>, gate: Arc<InputGate>) {
    let spawned = std::thread::Builder::new().name("tidings-input".into()).spawn(move || {
        loop {
            // While a command has the terminal its keys are its own.
            if gate.hold() {
                std::thread::sleep(crate::commands::run::PARKED_NAP);
                continue;
            }
            match event::poll(INPUT_POLL) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::info!("terminal input ended: {e}; quitting");
                    let _ = tx.send(Msg::Action(crate::app::action::Action::Quit));
                    return;
                }
            }
            let msg = match event::read() {
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
/// SIGINT while a command has the terminal (Ctrl-c in it) is the command's.
fn spawn_signals(tx: mpsc::UnboundedSender<Msg>, gate: Arc<InputGate>) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) =
            (signal(SignalKind::terminate()), signal(SignalKind::hangup()), signal(SignalKind::interrupt()))
        else {
            return;
        };
        let why = loop {
            tokio::select! {
                _ = term.recv() => break "SIGTERM",
                _ = hup.recv() => break "the terminal went away (SIGHUP)",
                _ = int.recv() => if !gate.is_paused() { break "SIGINT" },
            }
        };
        tracing::info!("{why}; quitting");
        let _ = tx.send(Msg::Action(crate::app::action::Action::Quit));
    });
}
