//! Serves the hostile + good feed set of the tests on 127.0.0.1 and writes a
//! config over it, for measuring `tidings fetch` by hand (see
//! `benches/hostile-fetch.sh`). Runs until killed, or for `--for SECONDS`.
//!
//!     cargo run --example hostile_server -- CONFIG_PATH [TIMEOUT] [--for SECONDS]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(config) = args.first() else {
        eprintln!("usage: hostile_server CONFIG_PATH [TIMEOUT] [--for SECONDS]");
        std::process::exit(2);
    };
    let timeout = args.get(1).filter(|a| !a.starts_with("--")).cloned().unwrap_or_else(|| "5s".into());
    let lifetime = args.iter().position(|a| a == "--for").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok());
    let server = common::hostile::server();
    std::fs::write(config, common::hostile::config(&server, &timeout)).expect("write config");
    println!("serving on {}", server.addr);
    std::thread::sleep(Duration::from_secs(lifetime.unwrap_or(3600)));
}
