//! Sync with a feed server the user already runs: the server is the source
//! of feeds and items, and read/saved state goes both ways.
//!
//! A protocol is one file implementing `Backend` (`fever.rs` now). The
//! Google Reader API (FreshRSS, Miniflux, Inoreader) fits the same trait:
//! `subscription/list` → `feeds`, `stream/contents` with a continuation →
//! `items_since`, `stream/items/ids` for `user/-/state/com.google/read` and
//! `starred` → `unread_ids`/`saved_ids`, `edit-tag` → `mark`. It is not
//! written yet: no server speaking it could be run in the tests here.
//!
//! `engine` runs one sync (push the outbox, pull feeds, items and state)
//! against any backend and the store; `task` runs it in the background for
//! the reader; `secret` gets the password.

pub mod engine;
pub mod fever;
pub mod secret;
pub mod task;

use std::future::Future;

use crate::config::{SyncConfig, SyncKind};
use crate::feed::Fetcher;

pub use engine::{Summary, SyncEvent, run_once};

/// A feed as the server lists it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerFeed {
    pub id: i64,
    pub title: String,
    /// The feed's own URL (its identity in the local store); may be empty.
    pub url: String,
    pub site_url: Option<String>,
    /// The server's groups (folders, categories) the feed is in: local tags.
    pub groups: Vec<String>,
}

/// An item as the server sends it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerItem {
    pub id: i64,
    pub feed_id: i64,
    pub title: String,
    pub author: Option<String>,
    /// HTML as the server has it.
    pub html: Option<String>,
    pub url: Option<String>,
    pub is_read: bool,
    pub is_saved: bool,
    /// Unix seconds; None when the server has no date.
    pub created: Option<i64>,
}

/// One page of items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemsPage {
    pub items: Vec<ServerItem>,
    /// How many items the server holds in all (for progress), when it says.
    pub total: Option<u64>,
}

/// A change to send to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Read,
    Unread,
    Saved,
    Unsaved,
}

impl Mark {
    pub fn new(field: crate::store::SyncField, value: bool) -> Mark {
        use crate::store::SyncField;
        match (field, value) {
            (SyncField::Read, true) => Mark::Read,
            (SyncField::Read, false) => Mark::Unread,
            (SyncField::Saved, true) => Mark::Saved,
            (SyncField::Saved, false) => Mark::Unsaved,
        }
    }
}

/// Why a sync (or one request of it) failed. `Display` is the one line the
/// user sees (status line, `stats`, `tidings sync`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The server refused the credentials (Fever `auth: 0`, HTTP 401/403).
    #[error("the server refused the user or password ({0})")]
    Auth(String),
    /// The server could not be reached, timed out or answered with an error status.
    #[error("{0}")]
    Network(String),
    /// The server answered something that is not its API (an HTML page, broken JSON).
    #[error("the server's answer is not the {api} API: {detail}")]
    Garbage { api: &'static str, detail: String },
    /// The server does not know an item (deleted there): a change to it is dropped.
    #[error("the server has no item {0}")]
    NoSuchItem(i64),
    /// The local store failed.
    #[error("local database: {0}")]
    Store(String),
    /// The password could not be had.
    #[error("{0}")]
    Secret(String),
}

impl From<crate::store::StoreError> for SyncError {
    fn from(e: crate::store::StoreError) -> SyncError {
        SyncError::Store(e.to_string())
    }
}

/// A sync protocol. Every call is one request (or a few) with a bounded
/// time; ids are the server's.
pub trait Backend: Send + Sync {
    /// Checks that the server answers and accepts the credentials.
    fn login(&self) -> impl Future<Output = Result<(), SyncError>> + Send;
    /// The feeds subscribed to, with their groups.
    fn feeds(&self) -> impl Future<Output = Result<Vec<ServerFeed>, SyncError>> + Send;
    /// Items with ids above `since_id`, oldest first, one page.
    fn items_since(&self, since_id: i64) -> impl Future<Output = Result<ItemsPage, SyncError>> + Send;
    /// These items (at most `MAX_WITH_IDS`).
    fn items_with_ids(&self, ids: &[i64]) -> impl Future<Output = Result<ItemsPage, SyncError>> + Send;
    /// The ids of every unread item.
    fn unread_ids(&self) -> impl Future<Output = Result<Vec<i64>, SyncError>> + Send;
    /// The ids of every saved (starred) item.
    fn saved_ids(&self) -> impl Future<Output = Result<Vec<i64>, SyncError>> + Send;
    /// Marks one item.
    fn mark(&self, id: i64, mark: Mark) -> impl Future<Output = Result<(), SyncError>> + Send;
}

/// Items asked for by id in one request.
pub const MAX_WITH_IDS: usize = 50;

/// The backend of a `[sync]` table, ready to use.
pub enum AnyBackend {
    Fever(fever::Fever),
}

impl AnyBackend {
    /// Builds the client for `cfg` with its password, over the shared HTTP client.
    pub fn new(cfg: &SyncConfig, password: &str, fetcher: Fetcher) -> Result<AnyBackend, SyncError> {
        match cfg.kind {
            SyncKind::Fever => Ok(AnyBackend::Fever(fever::Fever::new(&cfg.url, &cfg.user, password, fetcher)?)),
        }
    }
}

impl Backend for AnyBackend {
    async fn login(&self) -> Result<(), SyncError> {
        match self {
            AnyBackend::Fever(b) => b.login().await,
        }
    }
    async fn feeds(&self) -> Result<Vec<ServerFeed>, SyncError> {
        match self {
            AnyBackend::Fever(b) => b.feeds().await,
        }
    }
    async fn items_since(&self, since_id: i64) -> Result<ItemsPage, SyncError> {
        match self {
            AnyBackend::Fever(b) => b.items_since(since_id).await,
        }
    }
    async fn items_with_ids(&self, ids: &[i64]) -> Result<ItemsPage, SyncError> {
        match self {
            AnyBackend::Fever(b) => b.items_with_ids(ids).await,
        }
    }
    async fn unread_ids(&self) -> Result<Vec<i64>, SyncError> {
        match self {
            AnyBackend::Fever(b) => b.unread_ids().await,
        }
    }
    async fn saved_ids(&self) -> Result<Vec<i64>, SyncError> {
        match self {
            AnyBackend::Fever(b) => b.saved_ids().await,
        }
    }
    async fn mark(&self, id: i64, mark: Mark) -> Result<(), SyncError> {
        match self {
            AnyBackend::Fever(b) => b.mark(id, mark).await,
        }
    }
}

/// Who the local sync state belongs to: kind, server and user. When it
/// changes, the mapping of server ids is started afresh.
pub fn account(cfg: &SyncConfig) -> String {
    let kind = match cfg.kind {
        SyncKind::Fever => "fever",
    };
    format!("{kind} {} {}", cfg.url, cfg.user)
}
