//! Everything that talks to feed servers: fetching, parsing, the poller task,
//! its schedule, and finding a site's feed.

pub mod charset;
pub mod discover;
pub mod fetch;
pub mod opml;
pub mod parse;
pub mod poller;
mod quirks;
pub mod schedule;
pub mod urls;

pub use fetch::{FetchError, Fetched, Fetcher};
pub use poller::{Job, PollEvent, Poller, poll_one};
