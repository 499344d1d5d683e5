//! Everything that talks to feed and article servers: fetching, parsing, the
//! poller task and its schedule, finding a site's feed, the full-text service.

pub mod charset;
pub mod discover;
pub mod fetch;
pub mod fulltext;
pub mod opml;
pub mod parse;
pub mod poller;
mod quirks;
pub mod schedule;
mod split;
pub mod urls;

pub use fetch::{FetchError, Fetched, Fetcher};
pub use fulltext::FullTextService;
pub use poller::{Job, PollEvent, Poller, poll_one};
