//! Everything that talks to feed servers: fetching, parsing, the poller task.

pub mod fetch;
pub mod parse;
pub mod poller;

pub use fetch::{FetchError, Fetched, Fetcher};
pub use poller::{PollEvent, Poller, poll_one};
