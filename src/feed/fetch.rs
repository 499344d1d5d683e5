//! Getting a feed's bytes: HTTP(S) through one shared client, or `file://`
//! from disk. Bodies are read as raw bytes under a size cap.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use crate::config::PollerConfig;
use crate::store::Validators;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out")]
    Timeout,
    #[error("too large (over {} bytes)", .0)]
    TooLarge(u64),
    #[error("HTTP {code}{}", if reason.is_empty() { String::new() } else { format!(" {reason}") })]
    Status { code: u16, reason: String },
    #[error("{0}")]
    Network(String),
    #[error("cannot read file: {0}")]
    File(String),
    #[error("unsupported URL: {0}")]
    BadUrl(String),
}

/// What a successful request brought back.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// 304: the feed is unchanged since the validators we sent.
    NotModified,
}

/// The HTTP side of the poller: one client, shared limits.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body: u64,
    timeout: Duration,
}

/// rustls needs a crypto provider before the first client is built.
fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn user_agent() -> String {
    format!("tidings/{} (+{})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_REPOSITORY"))
}

impl Fetcher {
    pub fn new(cfg: &PollerConfig) -> Result<Fetcher, FetchError> {
        install_crypto();
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone().unwrap_or_else(user_agent))
            .connect_timeout(cfg.timeout)
            .timeout(cfg.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client, max_body: cfg.max_body, timeout: cfg.timeout })
    }

    /// Fetches `url`, sending the validators for a conditional GET.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let parsed = url::Url::parse(url).map_err(|e| FetchError::BadUrl(e.to_string()))?;
        match parsed.scheme() {
            "file" => self.read_file(&parsed).await,
            "http" | "https" => tokio::time::timeout(self.timeout, self.get_http(url, validators))
                .await
                .unwrap_or(Err(FetchError::Timeout)),
            other => Err(FetchError::BadUrl(format!("scheme \"{other}\""))),
        }
    }

    async fn get_http(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url);
        if let Some(etag) = &validators.etag {
            req = req.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm);
        }
        let mut resp = req.send().await.map_err(classify)?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                code: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
            });
        }
        let header = |name| {
            resp.headers().get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).map(String::from)
        };
        let etag = header(ETAG);
        let last_modified = header(LAST_MODIFIED);
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if (bytes.len() + chunk.len()) as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body { bytes, etag, last_modified })
    }

    async fn read_file(&self, url: &url::Url) -> Result<Fetched, FetchError> {
        let path = url.to_file_path().map_err(|_| FetchError::BadUrl(url.to_string()))?;
        let meta = tokio::fs::metadata(&path).await.map_err(|e| FetchError::File(e.to_string()))?;
        if meta.len() > self.max_body {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let bytes = tokio::fs::read(&path).await.map_err(|e| FetchError::File(e.to_string()))?;
        Ok(Fetched::Body { bytes, etag: None, last_modified: None })
    }
}

fn classify(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    if e.is_redirect() {
        return FetchError::Network("too many redirects".into());
    }
    // The innermost cause is the one that says what happened ("connection refused").
    let mut msg = e.to_string();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = src {
        msg = s.to_string();
        src = s.source();
    }
    if e.is_connect() { FetchError::Network(format!("cannot connect: {msg}")) } else { FetchError::Network(msg) }
}
