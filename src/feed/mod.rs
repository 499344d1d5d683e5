//! Everything that talks to feed and article servers: fetching, parsing, the
//! poller task, the full-text service.

pub mod fetch;
pub mod fulltext;
pub mod parse;
pub mod poller;

pub use fetch::{FetchError, Fetched, Fetcher};
pub use fulltext::FullTextService;
pub use poller::{PollEvent, Poller, poll_one};
