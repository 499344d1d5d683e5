//! Command-line entry: parse arguments, load config, open the store, and run
//! the TUI or a headless command. Returns the process exit code.

mod export;
mod export_reading_list;
mod feeds;
mod fetch;
mod import;
mod list;
mod save;
mod search;
mod show;
mod stats;
mod unsave;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{self, Config, ConfigError, Paths};
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(name = "tidings", version, about = "A keyboard-driven terminal news reader")]
pub struct Cli {
    /// Config file [default: the platform config dir, e.g. ~/.config/tidings/config.toml]
    #[arg(long, global = true, env = "TIDINGS_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Data directory (database, log) [default: e.g. ~/.local/share/tidings]
    #[arg(long, global = true, env = "TIDINGS_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Open the reader on bundled demo feeds, in a throw-away data dir, without network
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every feed (or one) once, store new items, print a line per feed
    Fetch {
        /// Only this feed (its URL as in the config)
        #[arg(long, value_name = "URL")]
        feed: Option<String>,
    },
    /// Print items, newest first
    List {
        /// Only items matching this query, e.g. 'unread tag:news -sport' (see the README)
        #[arg(long, short, value_name = "Q")]
        query: Option<String>,
        /// At most this many items
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One JSON array on stdout
        #[arg(long)]
        json: bool,
    },
    /// Full-text search, best matches first (the words may be a whole query)
    Search {
        /// Words, "phrases" and filters, e.g. putin '"north korea"' since:7d
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
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
    /// Counts, database size, and each feed's last status, last success and next poll
    Stats {
        /// One JSON document on stdout
        #[arg(long)]
        json: bool,
    },
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
    let cli = Cli::parse();
    crate::panic::install_hook();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            let usage = e.downcast_ref::<ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some();
            eprintln!("tidings: {e:#}");
            if usage { EXIT_USAGE } else { EXIT_PARTIAL }
        }
    }
}

/// A mistake in the command line that clap cannot see (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?)
}

fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    if cli.demo {
        let demo = crate::demo::Demo::create()?;
        init_logging(&demo.paths);
        let cfg = config::load(&demo.paths.config)?;
        // The reader syncs the config's feeds itself, after its first frame.
        let store = Store::open(&demo.paths.database())?;
        runtime()?.block_on(crate::tui::run(cfg, store))?;
        return Ok(EXIT_OK);
    }
    let explicit_config = cli.config.is_some();
    let paths = Paths::resolve(cli.config, cli.data_dir)?;
    if !explicit_config && config::ensure_exists(&paths.config)? {
        eprintln!("tidings: wrote the default config to {}", paths.config.display());
    }
    let cfg = config::load(&paths.config)?;
    init_logging(&paths);
    if cli.command.is_none() {
        // The reader syncs the config's feeds and prunes itself, after its first frame.
        let store = Store::open(&paths.database())?;
        runtime()?.block_on(crate::tui::run(cfg, store))?;
        return Ok(EXIT_OK);
    }
    let mut store = open_store(&paths, &cfg)?;
    match cli.command {
        None => Ok(EXIT_OK),
        Some(Command::Fetch { feed }) => {
            let mut out = std::io::stdout().lock();
            let code = runtime()?.block_on(fetch::run(&cfg, &mut store, feed.as_deref(), &mut out))?;
            prune(&mut store, &cfg);
            Ok(code)
        }
        Some(Command::List { query, limit, json }) => {
            list::run(&store, query.as_deref(), limit, json, &mut std::io::stdout().lock())
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
        Some(Command::Stats { json }) => stats::run(&store, json, &mut std::io::stdout().lock()),
    }
}

/// Retention (`[store]`): old read items go; a failure is logged, never fatal.
fn prune(store: &mut Store, cfg: &Config) {
    let now = crate::app::system_clock();
    match store.prune(cfg.store.keep_read_days, cfg.store.max_items_per_feed, now) {
        Ok(0) => {}
        Ok(n) => tracing::info!("retention removed {n} old read items"),
        Err(e) => tracing::warn!("retention failed: {e}"),
    }
}

fn open_store(paths: &Paths, cfg: &Config) -> anyhow::Result<Store> {
    let mut store = Store::open(&paths.database())?;
    store.sync_feeds(&cfg.feeds)?;
    Ok(store)
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
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
