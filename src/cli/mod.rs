//! Command-line entry: parse arguments, load config, open the store, and run
//! the TUI or a headless command. Returns the process exit code.

mod fetch;
mod list;
mod search;

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
        let store = open_store(&demo.paths, &cfg)?;
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
    let mut store = open_store(&paths, &cfg)?;
    match cli.command {
        None => {
            runtime()?.block_on(crate::tui::run(cfg, store))?;
            Ok(EXIT_OK)
        }
        Some(Command::Fetch { feed }) => {
            let mut out = std::io::stdout().lock();
            runtime()?.block_on(fetch::run(&cfg, &mut store, feed.as_deref(), &mut out))
        }
        Some(Command::List { query, limit, json }) => {
            list::run(&store, query.as_deref(), limit, json, &mut std::io::stdout().lock())
        }
        Some(Command::Search { query, limit, json }) => {
            search::run(&store, &query.join(" "), limit, json, &mut std::io::stdout().lock())
        }
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
