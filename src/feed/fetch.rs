//! Getting a feed's bytes: HTTP(S) through one shared client, or `file://`
//! from disk. Bodies are read as raw bytes under a size cap that counts the
//! decompressed bytes (reqwest undoes gzip, brotli and deflate before we see
//! a chunk), and the whole request runs under one deadline, so a server that
//! drips bytes forever is cut off like one that never answers.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION};

use crate::config::PollerConfig;
use crate::model::Timestamp;
use crate::store::Validators;
use crate::url_policy::{self, Origin, Refused};

/// Redirects followed before a fetch is given up on.
pub const MAX_REDIRECTS: usize = 5;

/// Why a fetch failed. `Display` is the message the user sees (sidebar,
/// `tidings fetch`, `tidings stats`), so it is short and in words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out")]
    Timeout,
    #[error("too large (over {})", human_size(*.0))]
    TooLarge(u64),
    /// 429, or 503 with a Retry-After: the server asked us to come back later.
    #[error("{}", rate_limited(*code, *retry_at))]
    RateLimited { code: u16, retry_at: Option<Timestamp> },
    #[error("HTTP {code}{}", if reason.is_empty() { String::new() } else { format!(" {reason}") })]
    Status { code: u16, reason: String },
    #[error("redirect loop")]
    RedirectLoop,
    #[error("too many redirects (more than {MAX_REDIRECTS})")]
    TooManyRedirects,
    #[error("{0}")]
    Network(String),
    #[error("cannot read file: {0}")]
    File(String),
    #[error("unsupported URL: {0}")]
    BadUrl(String),
    /// The URL's scheme is not allowed where it came from (see `url_policy`).
    #[error("{0}")]
    Refused(#[from] Refused),
}

impl FetchError {
    /// The HTTP status behind the error, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::RateLimited { code, .. } | FetchError::Status { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The time the server asked us not to come back before.
    pub fn retry_at(&self) -> Option<Timestamp> {
        match self {
            FetchError::RateLimited { retry_at, .. } => *retry_at,
            _ => None,
        }
    }
}

fn rate_limited(code: u16, retry_at: Option<Timestamp>) -> String {
    let what = if code == 429 { "rate limited" } else { "unavailable" };
    match retry_at {
        Some(t) => format!("{code} {what}, retry at {}", local_time(t)),
        None => format!("{code} {what}"),
    }
}

/// "14:05" today, "19 Jun 14:05" on another day, in local time.
pub fn local_time(t: Timestamp) -> String {
    use chrono::{Local, TimeZone};
    let Some(when) = Local.timestamp_opt(t, 0).single() else { return t.to_string() };
    if when.date_naive() == Local::now().date_naive() {
        when.format("%H:%M").to_string()
    } else {
        when.format("%d %b %H:%M").to_string()
    }
}

/// "10 MB", "512 KB", "900 bytes".
pub fn human_size(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{} MB", n / 1_000_000),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{} KB", n / 1_000),
        n => format!("{n} bytes"),
    }
}

/// What a response said about itself, besides the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMeta {
    /// Status of the final response (None for `file://`).
    pub status: Option<u16>,
    /// Every redirect on the way was permanent (301/308): the feed's new home.
    pub moved_to: Option<String>,
    /// `Cache-Control: max-age`, in seconds.
    pub max_age: Option<u64>,
    /// The URL the body finally came from, after any redirects.
    pub final_url: Option<String>,
}

/// What a successful request brought back.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    Body {
        bytes: Vec<u8>,
        // — #10 fetch memory —
        /// The body in a temporary file instead (`bytes` is empty): a
        /// fetcher that spools (`Fetcher::spooling`), a body over its bound.
        spooled: Option<Spooled>,
        etag: Option<String>,
        last_modified: Option<String>,
        meta: ResponseMeta,
    },
    /// 304: the feed is unchanged since the validators we sent.
    NotModified { meta: ResponseMeta },
}

// — #10 fetch memory —
/// A response body in an unnamed temporary file (removed when the last
/// handle is dropped), `len` bytes from its start.
#[derive(Debug, Clone)]
pub struct Spooled {
    pub file: std::sync::Arc<std::fs::File>,
    pub len: u64,
}

/// A body being written to a temporary file.
struct Spool {
    out: std::io::BufWriter<std::fs::File>,
    len: u64,
}

impl Spool {
    /// A new file, starting with what came so far.
    fn new(start: Vec<u8>) -> std::io::Result<Spool> {
        let mut spool = Spool { out: std::io::BufWriter::with_capacity(256 << 10, tempfile::tempfile()?), len: 0 };
        spool.write(&start)?;
        Ok(spool)
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        std::io::Write::write_all(&mut self.out, bytes)?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    fn finish(self) -> std::io::Result<Spooled> {
        let file = self.out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        Ok(Spooled { file: std::sync::Arc::new(file), len: self.len })
    }
}

impl PartialEq for Spooled {
    /// The same file.
    fn eq(&self, other: &Spooled) -> bool {
        std::sync::Arc::ptr_eq(&self.file, &other.file)
    }
}

/// The HTTP side of the poller: one client, shared by every fetch.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body: u64,
    timeout: Duration,
    /// Feed bodies (`get_feed`) over this many bytes go to a temporary file.
    spool_above: Option<usize>,
}

/// rustls needs a crypto provider before the first client is built.
fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn user_agent() -> String {
    format!("tidings/{} (+{})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY"))
}

impl Fetcher {
    /// One client: the user agent, connect and total timeouts, and proxies
    /// from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY). Redirects are
    /// followed by `get` itself, so that it can tell permanent moves and loops.
    pub fn new(cfg: &PollerConfig) -> Result<Fetcher, FetchError> {
        install_crypto();
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone().unwrap_or_else(user_agent))
            .connect_timeout(cfg.timeout)
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client, max_body: cfg.max_body, timeout: cfg.timeout, spool_above: None })
    }

    // — #10 fetch memory —
    /// This fetcher writes a feed body (`get_feed`, over HTTP) larger than
    /// `above` bytes to a temporary file (`Fetched::Body::spooled`) instead
    /// of holding it in memory; `parse::parse_spooled` reads it from there.
    /// Only for callers that handle `spooled` (the poller).
    pub fn spooling(mut self, above: usize) -> Fetcher {
        self.spool_above = Some(above);
        self
    }

    /// The shared client, for requests that are not feed fetches (a sync
    /// server's API): same user agent, proxies and connect timeout.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The bound on one whole request.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The cap on a response body, in bytes (decompressed).
    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// Fetches a page or a feed a server pointed at (an item's link, a
    /// page's feed link): http(s) only, whatever the URL says. The whole
    /// fetch, redirects and body included, ends within the configured timeout.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        self.fetch(url_policy::check(url, Origin::Network)?, validators, None).await
    }

    /// Fetches a feed the user named (the config, `feeds add`, `import`):
    /// these alone may be `file://`.
    pub async fn get_feed(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        self.fetch(url_policy::check(url, Origin::UserFeed)?, validators, self.spool_above).await
    }

    async fn fetch(
        &self,
        parsed: url::Url,
        validators: &Validators,
        spool_above: Option<usize>,
    ) -> Result<Fetched, FetchError> {
        match parsed.scheme() {
            "file" => self.read_file(&parsed).await,
            _ => tokio::time::timeout(self.timeout, self.get_http(parsed, validators, spool_above))
                .await
                .unwrap_or(Err(FetchError::Timeout)),
        }
    }

    async fn get_http(
        &self,
        url: url::Url,
        validators: &Validators,
        spool_above: Option<usize>,
    ) -> Result<Fetched, FetchError> {
        let mut current = url.clone();
        let mut visited = vec![url];
        let mut permanent = true;
        let mut resp = loop {
            let mut req = self.client.get(current.clone());
            if let Some(etag) = &validators.etag {
                req = req.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &validators.last_modified {
                req = req.header(IF_MODIFIED_SINCE, lm);
            }
            let resp = req.send().await.map_err(classify)?;
            let status = resp.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                break resp;
            }
            let next = resp
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok())
                .ok_or_else(|| FetchError::Status {
                    code: status.as_u16(),
                    reason: "redirect without a usable Location".into(),
                })?;
            // A server may send us anywhere but to a local file.
            let next = url_policy::check(next.as_str(), Origin::Network)?;
            if visited.contains(&next) {
                return Err(FetchError::RedirectLoop);
            }
            if visited.len() > MAX_REDIRECTS {
                return Err(FetchError::TooManyRedirects);
            }
            permanent &= matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT);
            visited.push(next.clone());
            current = next;
        };
        let status = resp.status();
        let moved = visited.len() > 1 && permanent;
        let meta = ResponseMeta {
            status: Some(status.as_u16()),
            moved_to: moved.then(|| current.to_string()),
            max_age: max_age(resp.headers()),
            final_url: Some(current.to_string()),
        };
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified { meta });
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            let retry_at = retry_after(resp.headers(), crate::app::system_clock());
            if status == StatusCode::TOO_MANY_REQUESTS || retry_at.is_some() {
                return Err(FetchError::RateLimited { code: status.as_u16(), retry_at });
            }
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                code: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
            });
        }
        let header = |name| resp.headers().get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
        let etag = header(ETAG).map(String::from);
        let last_modified = header(LAST_MODIFIED).map(String::from);
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        // Chunks arrive decompressed, so the cap holds against compression bombs too.
        // Room for what the server announced (within the cap) at once, not
        // doubling its way there.
        let mut room = resp.content_length().unwrap_or(0).min(self.max_body) as usize;
        if let Some(above) = spool_above {
            room = room.min(above);
        }
        let mut bytes = Vec::with_capacity(room);
        let mut spool: Option<Spool> = None;
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            let len = spool.as_ref().map_or(bytes.len() as u64, |s| s.len);
            if len + chunk.len() as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            if spool.is_none() && spool_above.is_some_and(|above| bytes.len() + chunk.len() > above) {
                // Past the bound: what came so far and the rest go to a file
                // (where none can be made, the body stays in memory).
                spool = Spool::new(std::mem::take(&mut bytes)).ok();
            }
            match &mut spool {
                Some(s) => s.write(&chunk).map_err(|e| FetchError::File(e.to_string()))?,
                None => bytes.extend_from_slice(&chunk),
            }
        }
        let spooled = match spool {
            Some(s) => Some(s.finish().map_err(|e| FetchError::File(e.to_string()))?),
            None => None,
        };
        Ok(Fetched::Body { bytes, spooled, etag, last_modified, meta })
    }

    /// Reads a local feed under the same cap as a download. Only regular
    /// files: a device (`/dev/zero`), a pipe or a socket may never end, and
    /// opening a pipe blocks until someone writes to it.
    async fn read_file(&self, url: &url::Url) -> Result<Fetched, FetchError> {
        let path = url.to_file_path().map_err(|_| FetchError::BadUrl(url.to_string()))?;
        let max_body = self.max_body;
        let read = move || -> Result<Vec<u8>, FetchError> {
            use std::io::Read;
            let io = |e: std::io::Error| FetchError::File(e.to_string());
            regular(&std::fs::metadata(&path).map_err(io)?)?;
            let file = std::fs::File::open(&path).map_err(io)?;
            // Checked again on the open file: the path may have changed in between.
            let meta = file.metadata().map_err(io)?;
            regular(&meta)?;
            if meta.len() > max_body {
                return Err(FetchError::TooLarge(max_body));
            }
            // The file may grow while it is read: the cap holds whatever its size said.
            let mut bytes = Vec::with_capacity(meta.len() as usize);
            file.take(max_body + 1).read_to_end(&mut bytes).map_err(io)?;
            if bytes.len() as u64 > max_body {
                return Err(FetchError::TooLarge(max_body));
            }
            Ok(bytes)
        };
        let bytes = tokio::task::spawn_blocking(read)
            .await
            .unwrap_or_else(|_| Err(FetchError::File("the read was interrupted".into())))?;
        Ok(Fetched::Body { bytes, spooled: None, etag: None, last_modified: None, meta: ResponseMeta::default() })
    }
}

/// Refuses anything but a regular file, in words.
fn regular(meta: &std::fs::Metadata) -> Result<(), FetchError> {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    // A device, pipe or socket has no size to check against `max_body` and
    // may never end (`/dev/zero`): too large by nature, never read.
    let streams =
        |what: &str| Err(FetchError::File(format!("too large: {what} may never end (only regular files are read)")));
    if kind.is_file() {
        Ok(())
    } else if kind.is_dir() {
        Err(FetchError::File("not a regular file (a directory)".into()))
    } else if kind.is_char_device() || kind.is_block_device() {
        streams("a device")
    } else if kind.is_fifo() {
        streams("a pipe")
    } else if kind.is_socket() {
        streams("a socket")
    } else {
        Err(FetchError::File("not a regular file (of an unknown kind)".into()))
    }
}

/// `Cache-Control: max-age=N` in seconds (`no-cache`/`no-store` say nothing about polling).
pub fn max_age(headers: &HeaderMap) -> Option<u64> {
    headers.get_all(CACHE_CONTROL).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).find_map(|d| {
        let (k, v) = d.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("max-age").then(|| v.trim().trim_matches('"').parse().ok()).flatten()
    })
}

/// `Retry-After` as an absolute time: either delay-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: Timestamp) -> Option<Timestamp> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, now)
}

/// Parses a Retry-After value ("120" or "Wed, 21 Oct 2015 07:28:00 GMT")
/// relative to `now`, no later than the schedule's `MAX_RETRY_AFTER` from
/// now: a huge value would otherwise disable the feed for good.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Timestamp> {
    let most = super::schedule::MAX_RETRY_AFTER.as_secs();
    let latest = now.saturating_add(most as i64);
    if let Ok(secs) = value.parse::<u64>() {
        return Some(now.saturating_add(secs.min(most) as i64));
    }
    // A number too big for u64 is still a number of seconds.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(latest);
    }
    chrono::DateTime::parse_from_rfc2822(value).ok().map(|d| d.timestamp().clamp(now, latest))
}

pub(crate) fn classify(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    // The innermost cause is the one that says what happened ("connection refused").
    let mut msg = e.to_string();
    let mut io_kind = None;
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = src {
        msg = s.to_string();
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind = Some(io.kind());
        }
        src = s.source();
    }
    use std::io::ErrorKind::*;
    match io_kind {
        Some(TimedOut) => return FetchError::Timeout,
        Some(ConnectionRefused) => return FetchError::Network("connection refused".into()),
        Some(ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof) => {
            return FetchError::Network("connection closed by the server".into());
        }
        _ => {}
    }
    if msg.contains("failed to lookup address") || msg.contains("dns error") {
        return FetchError::Network("host not found".into());
    }
    if e.is_connect() {
        FetchError::Network(format!("cannot connect: {msg}"))
    } else if e.is_body() || e.is_decode() {
        FetchError::Network(format!("broken response: {msg}"))
    } else {
        FetchError::Network(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(parse_retry_after("120", 1_000), Some(1_120));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_480 - 3600), Some(1_445_412_480));
        // A date in the past means "now", not "never".
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 2_000_000_000), Some(2_000_000_000));
        assert_eq!(parse_retry_after("soon", 0), None);
        // A huge value is a week at most, not "retry at 9223372036854775807".
        let week = 7 * 86_400;
        assert_eq!(parse_retry_after("9223372036854775807", 1_000), Some(1_000 + week));
        assert_eq!(parse_retry_after("99999999999999999999999999", 1_000), Some(1_000 + week));
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 1_000), Some(1_000 + week));
        assert_eq!(parse_retry_after("604800", 0), Some(week));
    }

    #[test]
    fn max_age_is_read_from_cache_control() {
        let mut h = HeaderMap::new();
        h.insert(CACHE_CONTROL, "public, max-age=3600, must-revalidate".parse().unwrap());
        assert_eq!(max_age(&h), Some(3600));
        h.insert(CACHE_CONTROL, "no-cache".parse().unwrap());
        assert_eq!(max_age(&h), None);
    }

    #[test]
    fn errors_read_as_words() {
        assert_eq!(FetchError::TooLarge(10_000_000).to_string(), "too large (over 10 MB)");
        assert_eq!(FetchError::RateLimited { code: 429, retry_at: None }.to_string(), "429 rate limited");
        use chrono::TimeZone;
        let at = chrono::Local::now().timestamp();
        let shown = FetchError::RateLimited { code: 429, retry_at: Some(at) }.to_string();
        let hhmm = chrono::Local.timestamp_opt(at, 0).unwrap().format("%H:%M").to_string();
        assert!(shown == format!("429 rate limited, retry at {hhmm}"), "{shown}");
        assert_eq!(
            FetchError::Status { code: 500, reason: "Internal Server Error".into() }.to_string(),
            "HTTP 500 Internal Server Error"
        );
    }
}
