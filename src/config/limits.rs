//! Values that parse but cannot work — a zero interval, a zero size cap, a
//! user agent with a newline (every request would fail to build) — refused
//! at load time with the line and key, like any other config error.

use std::time::Duration;

use super::Config;

/// Shortest interval and timeout: zero would poll in a busy loop or fail every fetch.
const MIN_DURATION: Duration = Duration::from_secs(1);
/// Smallest `max_body`: below this no feed fits.
const MIN_BODY: u64 = 1_000;

/// Values that parse but cannot work: the offset, key and message of the first.
pub(super) fn check(cfg: &Config, text: &str) -> Result<(), (usize, String, String)> {
    let short = |d: Duration| d < MIN_DURATION;
    let too_short = || "must be at least 1s".to_string();
    for key in ["interval", "timeout"] {
        let value = if key == "interval" { cfg.poller.interval } else { cfg.poller.timeout };
        if short(value) {
            return Err((super::find_key(text, "poller", key), format!("poller.{key}"), too_short()));
        }
    }
    if cfg.poller.max_body < MIN_BODY {
        let message = format!("must be at least {}", crate::feed::fetch::human_size(MIN_BODY));
        return Err((super::find_key(text, "poller", "max_body"), "poller.max_body".into(), message));
    }
    if let Some(agent) = &cfg.poller.user_agent
        && let Some(c) = agent.chars().find(|c| c.is_control())
    {
        let message = format!("must be one line of text (it holds the control character {:?})", c);
        return Err((super::find_key(text, "poller", "user_agent"), "poller.user_agent".into(), message));
    }
    for feed in &cfg.feeds {
        if feed.interval.is_some_and(short) {
            let at = find_key_after(text, super::find(text, &feed.url), "interval");
            return Err((at, "feed.interval".into(), too_short()));
        }
    }
    Ok(())
}

/// Offset of the first `key = …` line at or after `from` (else `from`).
fn find_key_after(text: &str, from: usize, key: &str) -> usize {
    let mut offset = from.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_start().split('=').next().map(|k| k.trim().trim_matches('"')) == Some(key) {
            return offset;
        }
        offset += line.len();
    }
    from
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn err(text: &str) -> String {
        super::super::parse(text, Path::new("/cfg/config.toml")).unwrap_err().to_string()
    }

    #[test]
    fn values_that_cannot_work_are_refused_with_file_line_and_key() {
        let cases = [
            ("[poller]\ninterval = \"0s\"\n", "/cfg/config.toml:2: key `poller.interval`: must be at least 1s"),
            ("# t\n[poller]\ntimeout = \"0s\"\n", "/cfg/config.toml:3: key `poller.timeout`: must be at least 1s"),
            ("[poller]\nmax_body = \"0\"\n", "/cfg/config.toml:2: key `poller.max_body`: must be at least 1 KB"),
            ("[poller]\nmax_body = 999\n", "/cfg/config.toml:2: key `poller.max_body`: must be at least 1 KB"),
            (
                "[poller]\nconcurrency = 2\nuser_agent = \"bot/1\\nX-Evil: 1\"\n",
                "/cfg/config.toml:3: key `poller.user_agent`: must be one line of text (it holds the control character '\\n')",
            ),
            (
                "[[feed]]\nurl = \"https://a.example/\"\n\n[[feed]]\nurl = \"https://b.example/\"\ntags = []\ninterval = \"0s\"\n",
                "/cfg/config.toml:7: key `feed.interval`: must be at least 1s",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(err(text), expected, "{text}");
        }
    }

    #[test]
    fn sensible_values_pass() {
        let text = "[poller]\ninterval = \"1s\"\ntimeout = \"1s\"\nmax_body = \"1KB\"\nuser_agent = \"me/1 (+https://x.example)\"\n";
        assert!(super::super::parse(text, Path::new("x")).is_ok());
    }
}
