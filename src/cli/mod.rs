//! Command-line entry: parse arguments, load config, open the store, and run
//! the TUI or a headless command. Returns the process exit code.

mod export;
mod export_reading_list;
mod feeds;
mod fetch;
mod import;
mod list;
mod mark;
mod output;
mod save;
mod search;
mod show;
mod stats;
mod sync;
mod unsave;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{self, Config, ConfigError, Paths};
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(name = "tidings", version, about = "A keyboard-driven terminal news reader")]
pub struct Cli {
    // The environment variables are read in `dispatch`, not by clap: clap
    // counts a value from the environment as given and then shows the option
    // in every usage line as if it were required.
    /// Config file [env: TIDINGS_CONFIG] [default: the platform config dir, e.g. ~/.config/tidings/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Data directory (database, log) [env: TIDINGS_DATA_DIR] [default: e.g. ~/.local/share/tidings]
    #[arg(long, global = true, value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Open the reader on bundled demo feeds, in a throw-away data dir, without network
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every feed (or one) once, store new items, print a line per feed (with [sync]: sync)
    Fetch {
        /// Only this feed (its URL as in the config)
        #[arg(long, value_name = "URL")]
        feed: Option<String>,
        /// One JSON array on stdout, an object per feed
        #[arg(long)]
        json: bool,
    },
    /// Print items, newest first
    List {
        /// Only items matching this query, e.g. 'unread tag:news -sport' (see the README)
        #[arg(long, short, value_name = "Q", allow_hyphen_values = true)]
        query: Option<String>,
        /// At most this many items
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One JSON array on stdout
        #[arg(long)]
        json: bool,
        /// Stories instead of items: each with its items (grouped as in the reader)
        #[arg(long)]
        stories: bool,
    },
    /// Full-text search, best matches first (the words may be a whole query)
    Search {
        /// Words, "phrases" and filters, e.g. putin '"north korea"' since:7d -sport
        #[arg(required = true, num_args = 1.., value_name = "QUERY", allow_hyphen_values = true)]
        query: Vec<String>,
        /// At most this many items
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One JSON array on stdout (each item with its score)
        #[arg(long)]
        json: bool,
    },
    /// Print one item as plain text, its links listed under it
    Show {
        /// The item's id (as printed by `list`)
        id: String,
        /// The article extracted from the item's page (fetched now if not yet stored)
        #[arg(long)]
        full: bool,
        /// Wrap at this many columns [default: the terminal's width up to 100, else 80]
        #[arg(long, value_name = "N")]
        width: Option<u16>,
    },
    /// Add an item (by its ID) or a web page (by its URL) to the reading list
    Save {
        /// An item ID as `list --json` prints it, or an http(s) URL
        #[arg(value_name = "URL|ID")]
        target: String,
    },
    /// Take an entry out of the reading list
    Unsave {
        /// The entry's ID
        id: String,
    },
    /// The feeds in the config with their health; add or remove one
    Feeds {
        #[command(subcommand)]
        action: Option<FeedsCmd>,
    },
    /// Add the feeds of an OPML file or a newsboat urls file to the config
    Import {
        /// OPML (nested outlines become tags) or newsboat urls
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Write data out for other programs: the feed list or the reading list
    Export {
        #[command(subcommand)]
        what: ExportCmd,
    },
    /// Mark items read, as one undoable change (with [sync]: sent at the next sync)
    Read {
        /// Item IDs as `list --json` prints them
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Mark items unread, as one undoable change (with [sync]: sent at the next sync)
    Unread {
        /// Item IDs as `list --json` prints them
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Sync with the [sync] feed server once: send local changes, get feeds, items and read/saved state
    Sync {
        /// One JSON document on stdout: the steps, what they did, the outbox left
        #[arg(long)]
        json: bool,
    },
    /// Counts, database size, and each feed's last status, last success and next poll
    Stats {
        /// One JSON document on stdout
        #[arg(long)]
        json: bool,
    },
    /// Print a completion script for a shell (e.g. `tidings completions bash > ~/.local/share/bash-completion/completions/tidings`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `tidings man | man -l -`)
    Man,
}

#[derive(Debug, Subcommand)]
pub enum FeedsCmd {
    /// Each feed with its URL, tags and health (the default)
    List {
        /// One JSON array on stdout
        #[arg(long)]
        json: bool,
    },
    /// Add a feed: its URL, or a web page that links to it (<link rel="alternate">)
    Add {
        #[arg(value_name = "URL")]
        url: String,
        /// A tag for the feed (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// A title that overrides the feed's own
        #[arg(long)]
        title: Option<String>,
    },
    /// Remove a feed from the config
    Remove {
        #[arg(value_name = "URL")]
        url: String,
    },
}

/// What `tidings export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The feed list as OPML 2.0, each feed's tags as its category
    Opml {
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The reading list, as Markdown, JSON or one self-contained HTML page
    ReadingList {
        #[arg(long, value_enum, default_value = "md")]
        format: export_reading_list::Format,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Exit codes (§3): success, partial failure, bad usage or config.
pub const EXIT_OK: i32 = 0;
pub const EXIT_PARTIAL: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help, --version and usage errors; a closed stdout is no reason to complain.
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    crate::panic::install_hook();
    match dispatch(cli) {
        Ok(code) => code,
        // `tidings list | head -1`: the reader has had enough, which is success.
        Err(e) if is_broken_pipe(&e) => EXIT_OK,
        Err(e) => {
            let usage = e.downcast_ref::<ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some();
            // Messages can carry text from the network (a feed's error, a title): cleaned like the rest.
            let message = crate::article::sanitize::text(&format!("{e:#}")).into_owned();
            let _ = writeln!(std::io::stderr(), "tidings: {message}");
            if usage { EXIT_USAGE } else { EXIT_PARTIAL }
        }
    }
}

/// True when the error comes from writing to a closed pipe (stdout of `… | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// A mistake in the command line that clap cannot see (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

/// `search`'s words may start with `-` (`-sport`), so clap hands it every
/// word after the first, flags included: the flags it knows are taken back
/// out here, wherever they stand.
fn search_flags(cli: &mut Cli) -> Result<(), UsageError> {
    let Some(Command::Search { query, limit, json }) = &mut cli.command else { return Ok(()) };
    let mut words = std::mem::take(query).into_iter();
    let mut value = |flag: &str, inline: Option<&str>| -> Result<String, UsageError> {
        inline.map(String::from).or_else(|| words.next()).ok_or_else(|| UsageError(format!("{flag} needs a value")))
    };
    let mut kept = Vec::new();
    while let Ok(word) = value("", None) {
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        match flag.as_str() {
            "--json" => *json = true,
            "--limit" => {
                let v = value("--limit", inline.as_deref())?;
                *limit = Some(v.parse().map_err(|_| UsageError(format!("--limit takes a number, not \"{v}\"")))?);
            }
            "--config" => cli.config = Some(value("--config", inline.as_deref())?.into()),
            "--data-dir" => cli.data_dir = Some(value("--data-dir", inline.as_deref())?.into()),
            "--" => {}
            _ => kept.push(word),
        }
    }
    if kept.is_empty() {
        return Err(UsageError("search needs a query".into()));
    }
    *query = kept;
    Ok(())
}

/// The runtime of `fetch`: few blocking threads (feed parsing, DNS lookups),
/// since the machine's cores do the parsing and more threads only add
/// memory, each with its own allocator arena.
fn fetch_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    let parsers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(4, 8);
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(parsers)
        .enable_all()
        .build()?)
}

fn dispatch(mut cli: Cli) -> anyhow::Result<i32> {
    search_flags(&mut cli)?;
    if cli.demo {
        let demo = crate::demo::Demo::create()?;
        init_logging(&demo.paths);
        let cfg = config::load(&demo.paths.config)?;
        // The reader syncs the config's feeds itself, after its first frame.
        let store = Store::open(&demo.paths.database())?;
        let launch = crate::tui::Launch {
            status: None,
            pages: Some(demo.pages.clone()),
            sync_password: None,
            image_cache: Some(demo.paths.data_dir.join("images")),
            first: None,
            deferred: None,
        };
        runtime()?.block_on(crate::tui::run(cfg, store, launch))?;
        return Ok(EXIT_OK);
    }
    match &cli.command {
        // Generated into memory first: the generators panic on a failed write.
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut <Cli as clap::CommandFactory>::command(), "tidings", &mut script);
            std::io::stdout().lock().write_all(&script)?;
            return Ok(EXIT_OK);
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page)?;
            std::io::stdout().lock().write_all(&page)?;
            return Ok(EXIT_OK);
        }
        _ => {}
    }
    let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let config = cli.config.or_else(|| from_env("TIDINGS_CONFIG"));
    let data_dir = cli.data_dir.or_else(|| from_env("TIDINGS_DATA_DIR"));
    let explicit_config = config.is_some();
    let paths = Paths::resolve(config, data_dir)?;
    let wrote = !explicit_config && config::ensure_exists(&paths.config)?;
    let wrote_note = wrote.then(|| format!("wrote the default config to {}", paths.config.display()));
    if let Some(note) = wrote_note.as_ref().filter(|_| cli.command.is_some()) {
        let _ = writeln!(std::io::stderr(), "tidings: {note}");
    }
    let text = config::read(&paths.config)?;
    // The reader's database opens, and its first screen is read, on a
    // thread while the config is parsed (an existing database: a new one
    // is made only once the config is known to be good).
    let early = cli.command.is_none() && paths.database().exists();
    if cli.command.is_none() {
        crate::startup::bound_arenas(); // — #10 keys — before any thread
    }
    if early {
        init_logging(&paths); // before the thread, which may log
    }
    let start = early.then(|| crate::startup::Start::spawn(paths.database(), &text)).transpose()?;
    // — #10 first frame — a config checked in full by the last start (the
    // same text) starts without its feeds and is checked again after the
    // first frame; any other is checked now.
    let preview = early.then(|| config::preview::checked_before(&paths.data_dir, &text, &paths.config)).flatten();
    let (cfg, deferred) = match preview {
        Some((cfg, feeds)) => (cfg, Some((config::preview::Deferred { text, path: paths.config.clone() }, feeds))),
        None => {
            let cfg = config::load_text(&text, &paths.config)?;
            if early {
                config::preview::remember(&paths.data_dir, &text, &paths.config, &cfg);
            }
            (cfg, None)
        }
    };
    if !early {
        init_logging(&paths);
    }
    if let Some(note) = &wrote_note {
        tracing::info!("first run: {note}");
    }
    if cli.command.is_none() {
        // The reader syncs the config's feeds and prunes itself, after its
        // first frame (a read-only database: neither, and it says so).
        let (store, first) = match start {
            Some(start) => {
                let opened = start.join();
                (opened.store?, opened.first)
            }
            None => (Store::open_or_read_only(&paths.database())?, None),
        };
        // The reader's screen hides stderr: the first run says what it wrote on the status line.
        let status = wrote_note.map(|n| format!("first run: {n} (edit it to choose your feeds)"));
        // Asked for before the reader takes the terminal over (a password_command may prompt).
        let sync_password = cfg.sync.as_ref().map(crate::sync::secret::password).transpose()?;
        let image_cache = Some(paths.data_dir.join("images"));
        let launch = crate::tui::Launch { status, pages: None, sync_password, image_cache, first, deferred };
        runtime()?.block_on(crate::tui::run(cfg, store, launch))?;
        return Ok(EXIT_OK);
    }
    // — #10 refresh — a fetch tunes the allocator before any thread exists,
    // and starts reading its story index as soon as the store is open.
    let fetching = matches!(cli.command, Some(Command::Fetch { .. })) && cfg.sync.is_none();
    if fetching {
        fetch::tune_allocator();
    }
    let mut store = open_store(&paths, &cfg, fetching)?;
    refuse_if_read_only(&store, &cli.command)?;
    match cli.command {
        None => Ok(EXIT_OK),
        Some(Command::Fetch { feed: None, json }) if cfg.sync.is_some() => sync_once(&cfg, &mut store, json),
        Some(Command::Fetch { feed: Some(_), .. }) if cfg.sync.is_some() => {
            Err(UsageError("with [sync] the server fetches the feeds: --feed does not apply (run tidings sync)".into())
                .into())
        }
        Some(Command::Sync { json }) => sync_once(&cfg, &mut store, json),
        Some(Command::Read { ids }) => mark::run(&mut store, &ids, true, &mut std::io::stdout().lock()),
        Some(Command::Unread { ids }) => mark::run(&mut store, &ids, false, &mut std::io::stdout().lock()),
        Some(Command::Fetch { feed, json }) => {
            let mut out = std::io::stdout().lock();
            let code = fetch_runtime()?.block_on(fetch::run(&cfg, &mut store, feed.as_deref(), json, &mut out))?;
            prune(&mut store, &cfg);
            Ok(code)
        }
        Some(Command::List { query, limit, json, stories }) => {
            let out = &mut std::io::stdout().lock();
            match stories {
                true => list::run_stories(&store, query.as_deref(), limit, json, out),
                false => list::run(&store, query.as_deref(), limit, json, out),
            }
        }
        Some(Command::Search { query, limit, json }) => {
            search::run(&store, &query.join(" "), limit, json, &mut std::io::stdout().lock())
        }
        Some(Command::Show { id, full, width }) => {
            let mut out = std::io::stdout().lock();
            runtime()?.block_on(show::run(&cfg, &mut store, &id, full, show::width(width), &mut out))
        }
        Some(Command::Save { target }) => {
            let mut out = std::io::stdout().lock();
            runtime()?.block_on(save::run(&cfg, &mut store, &target, &mut out))
        }
        Some(Command::Unsave { id }) => unsave::run(&mut store, &id, &mut std::io::stdout().lock()),
        Some(Command::Feeds { action }) => {
            let mut out = std::io::stdout().lock();
            match action.unwrap_or(FeedsCmd::List { json: false }) {
                FeedsCmd::List { json } => feeds::list(&cfg, &store, json, &mut out),
                FeedsCmd::Add { url, tags, title } => {
                    runtime()?.block_on(feeds::add(&cfg, &paths.config, &url, tags, title, &mut out))
                }
                FeedsCmd::Remove { url } => feeds::remove(&paths.config, &url, &mut out),
            }
        }
        Some(Command::Import { file }) => import::run(&paths.config, &file, &mut std::io::stdout().lock()),
        Some(Command::Export { what: ExportCmd::Opml { output } }) => {
            export::opml(&cfg, &store, output.as_deref(), &mut std::io::stdout().lock())
        }
        Some(Command::Export { what: ExportCmd::ReadingList { format, output } }) => {
            export_reading_list::run(&store, format, output.as_deref(), &mut std::io::stdout().lock())
        }
        Some(Command::Stats { json }) => stats::run(&store, cfg.sync.as_ref(), json, &mut std::io::stdout().lock()),
        Some(Command::Completions { .. } | Command::Man) => Ok(EXIT_OK), // answered above
    }
}

/// Retention (`[store]`): old read items go; a failure is logged, never fatal.
fn prune(store: &mut Store, cfg: &Config) {
    if store.read_only().is_some() {
        return;
    }
    let now = crate::app::system_clock();
    match store.prune(cfg.store.keep_read_days, cfg.store.max_items_per_feed, now) {
        Ok(0) => {}
        Ok(n) => tracing::info!("retention removed {n} old read items"),
        Err(e) => tracing::warn!("retention failed: {e}"),
    }
}

/// Opens the database for writing, or — when the disk is full or the data
/// dir read-only — for reading only, so that reading still works.
/// `fetching`: the story index starts being read at once (a `fetch`).
fn open_store(paths: &Paths, cfg: &Config, fetching: bool) -> anyhow::Result<Store> {
    let path = paths.database();
    let mut store = Store::open_or_read_only(&path)?;
    tracing::debug!("opened the store");
    store.set_mute(cfg.mute_queries());
    store.set_stories(cfg.stories.config()); // #15
    if fetching && store.read_only().is_none() {
        store.preload_stories();
    }
    crate::stories::sign_while_parsing(cfg.stories.enabled); // #15: the parser signs, the store assigns
    // With [sync] the feeds are the server's.
    let feeds = |store: &mut Store| match cfg.sync {
        Some(_) => store.activate_sync_feeds(),
        None => store.sync_feeds(&cfg.feeds),
    };
    if store.read_only().is_none()
        && let Err(e) = feeds(&mut store)
    {
        let Some(reason) = e.unwritable() else { return Err(e.into()) };
        drop(store);
        store = Store::open_read_only(&path, reason)?;
        store.set_mute(cfg.mute_queries());
        store.set_stories(cfg.stories.config()); // #15
    }
    tracing::debug!("synced the feeds");
    Ok(store)
}

/// Commands that write the database cannot run on a read-only one: said
/// once, in words, before anything is tried.
fn refuse_if_read_only(store: &Store, command: &Option<Command>) -> anyhow::Result<()> {
    let Some(reason) = store.read_only() else { return Ok(()) };
    let what = match command {
        Some(Command::Fetch { .. }) => "fetch",
        Some(Command::Save { .. }) => "save",
        Some(Command::Unsave { .. }) => "unsave",
        Some(Command::Sync { .. }) => "sync",
        Some(Command::Read { .. }) => "mark items read",
        Some(Command::Unread { .. }) => "mark items unread",
        // The reader says so on its status line; reading commands on stderr.
        None => return Ok(()),
        _ => {
            eprintln!("tidings: read-only: {reason}; nothing is saved");
            return Ok(());
        }
    };
    anyhow::bail!("cannot {what}: the database is open read-only ({reason})")
}

/// `tidings sync` (and `fetch` with `[sync]`): once, then retention.
fn sync_once(cfg: &Config, store: &mut Store, json: bool) -> anyhow::Result<i32> {
    let Some(sync_cfg) = &cfg.sync else {
        return Err(UsageError(
            "no [sync] table in the config: add one to sync with a feed server (see the README)".into(),
        )
        .into());
    };
    let code = runtime()?.block_on(sync::run(cfg, sync_cfg, store, json, &mut std::io::stdout()))?;
    prune(store, cfg);
    Ok(code)
}

/// Logs go to a file in the data dir, never to the terminal. `TIDINGS_LOG`
/// sets the filter (default "info").
fn init_logging(paths: &Paths) {
    let _ = std::fs::create_dir_all(&paths.data_dir);
    let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(paths.log_file()) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIDINGS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(QuietLog(file)))
        .try_init();
}

/// The log file, whose write errors (a full disk) are dropped: tracing would
/// otherwise report them on stderr, over the reader's screen.
struct QuietLog(std::fs::File);

impl std::io::Write for QuietLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}
