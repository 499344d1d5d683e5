//! Everything that talks to feed and article servers: fetching, parsing, the
//! poller task and its schedule, finding a site's feed, the full-text service.

pub mod charset;
pub mod dates;
pub mod discover;
mod enclosures;
mod entry;
pub mod fetch;
pub mod fulltext;
pub mod opml;
pub mod parse;
pub mod poller;
pub mod recover;
pub mod schedule;
pub mod spill;
mod split;
mod text;
pub mod urls;
pub mod xml_scan;

pub use fetch::{FetchError, Fetched, Fetcher};
pub use fulltext::FullTextService;
pub use poller::{Job, PollEvent, Poller, poll_one};
