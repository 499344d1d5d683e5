//! tidings: a keyboard-driven terminal news reader.
//!
//! The poller (`feed`) streams parsed items into the state machine (`app`),
//! which the loop persists through `store` and `ui` draws.

pub mod app;
pub mod article;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod feed;
pub mod images;
pub mod launch;
pub mod layout;
pub mod model;
pub mod panic;
pub mod query;
pub mod startup;
pub mod store;
pub mod stories;
pub mod sync;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod url_policy;
