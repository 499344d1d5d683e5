//! Running the built binary (integration tests only: the hostile-server
//! example shares `common` but has no binary to run).

/// Runs the built binary with `--config DIR/config.toml --data-dir DIR/data`
/// and `args`; returns the exit code, stdout and stderr. The zone is pinned to
/// UTC (calendar dates in queries are local days).
pub fn tidings(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env_remove("TIDINGS_CONFIG")
        .env_remove("TIDINGS_DATA_DIR")
        .env("TZ", "UTC")
        .output()
        .expect("run tidings");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
