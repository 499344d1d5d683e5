//! The poller against servers that misbehave, one loopback server per test.
//! Nothing here may hang, eat memory, or stop the other feeds.

mod common;

use std::time::{Duration, Instant};

use common::{TestServer, cp1252_feed, drip, endless, gzip_bomb, respond, three_item_feed};
use tidings::config::{FeedConfig, PollerConfig};
use tidings::feed::{Fetcher, Job, PollEvent, poll_one};
use tidings::store::{PollState, Validators};

fn cfg(timeout_ms: u64, max_body: u64) -> PollerConfig {
    PollerConfig { timeout: Duration::from_millis(timeout_ms), max_body, ..PollerConfig::default() }
}

async fn error_of(fetcher: &Fetcher, url: &str) -> String {
    match poll_one(fetcher, url, &Validators::default()).await {
        PollEvent::Failed { error, .. } => error,
        other => panic!("{url}: expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn last_modified_is_sent_back_and_304_changes_nothing() {
    let feed = three_item_feed();
    let lm = "Tue, 18 Jun 2024 21:05:00 GMT";
    let server = TestServer::start(move |req, stream| {
        if req.header("if-modified-since") == Some(lm) {
            respond(stream, 304, &[], b"");
        } else {
            respond(stream, 200, &[("Last-Modified", lm)], feed.as_bytes());
        }
    });
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let url = server.url("/feed");
    let PollEvent::Fetched(feed) = poll_one(&fetcher, &url, &Validators::default()).await else { panic!() };
    assert_eq!(feed.last_modified.as_deref(), Some(lm));
    let v = Validators { etag: None, last_modified: feed.last_modified.clone() };
    assert_eq!(poll_one(&fetcher, &url, &v).await, PollEvent::NotModified { url: url.clone() });
    assert_eq!(server.requests()[1].header("if-modified-since"), Some(lm));
}

#[tokio::test]
async fn rate_limit_sets_retry_at_and_the_next_poll_after_it() {
    let server = TestServer::start(|_, stream| respond(stream, 429, &[("Retry-After", "7200")], b""));
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let job = Job::new(&FeedConfig::new(server.url("/feed")), Duration::from_secs(600), None);
    let before = chrono::Utc::now().timestamp();
    let (event, info) = job.poll(&fetcher).await;
    let PollEvent::Failed { error, .. } = event else { panic!("{event:?}") };
    assert!(error.starts_with("429 rate limited, retry at "), "{error}");
    let retry_at = info.retry_at.expect("retry_at");
    assert!((before + 7200..=before + 7205).contains(&retry_at), "{retry_at} vs {before}");
    assert!(info.next_poll.unwrap() >= retry_at);
    assert_eq!(info.status, Some(429));
}

#[tokio::test]
async fn server_errors_back_off_exponentially() {
    let server = TestServer::start(|_, stream| respond(stream, 500, &[], b"oops"));
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let state = PollState { failures: 3, ..Default::default() };
    let job = Job::new(&FeedConfig::new(server.url("/feed")), Duration::from_secs(100), Some(&state));
    let now = chrono::Utc::now().timestamp();
    let (event, info) = job.poll(&fetcher).await;
    assert!(matches!(event, PollEvent::Failed { ref error, .. } if error == "HTTP 500 Internal Server Error"));
    // Fourth failure in a row: 100 s × 2³ = 800 s, ±20% jitter.
    let wait = info.next_poll.unwrap() - now;
    assert!((640..=961).contains(&wait), "{wait}");
    assert_eq!(info.retry_at, None);
}

#[tokio::test]
async fn a_dripping_response_is_cut_by_the_timeout() {
    let server = TestServer::start(|_, stream| drip(stream, Duration::from_millis(100), 100));
    let fetcher = Fetcher::new(&cfg(1000, 1_000_000)).unwrap();
    let start = Instant::now();
    assert_eq!(error_of(&fetcher, &server.url("/drip")).await, "timed out");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
}

#[tokio::test]
async fn an_endless_body_is_cut_by_the_cap() {
    let server = TestServer::start(|_, stream| endless(stream, 500_000_000));
    let fetcher = Fetcher::new(&cfg(10_000, 1_000_000)).unwrap();
    assert_eq!(error_of(&fetcher, &server.url("/endless")).await, "too large (over 1 MB)");
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_by_the_cap_after_decompression() {
    let bomb = gzip_bomb(100_000_000);
    assert!(bomb.len() < 1_000_000, "the bomb itself fits under the cap: {}", bomb.len());
    let server = TestServer::start(move |_, stream| respond(stream, 200, &[("Content-Encoding", "gzip")], &bomb));
    let fetcher = Fetcher::new(&cfg(10_000, 1_000_000)).unwrap();
    assert_eq!(error_of(&fetcher, &server.url("/bomb")).await, "too large (over 1 MB)");
    // The client asked for compression, so the cap really met decompressed bytes.
    assert!(server.requests()[0].header("accept-encoding").unwrap_or("").contains("gzip"));
}

#[tokio::test]
async fn a_gzipped_feed_within_the_cap_is_read() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(three_item_feed().as_bytes()).unwrap();
    let body = enc.finish().unwrap();
    let server = TestServer::start(move |_, stream| respond(stream, 200, &[("Content-Encoding", "gzip")], &body));
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let PollEvent::Fetched(feed) = poll_one(&fetcher, &server.url("/f"), &Validators::default()).await else {
        panic!()
    };
    assert_eq!(feed.items.len(), 3);
}

#[tokio::test]
async fn redirect_loops_and_long_chains_are_errors() {
    let server = TestServer::start(|req, stream| {
        let next = match req.path.as_str() {
            "/a" => "/b".to_string(),
            "/b" => "/a".to_string(),
            p if p.starts_with("/chain/") => format!("/chain/{}", p[7..].parse::<u32>().unwrap() + 1),
            _ => return respond(stream, 404, &[], b""),
        };
        respond(stream, 302, &[("Location", &next)], b"")
    });
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    assert_eq!(error_of(&fetcher, &server.url("/a")).await, "redirect loop");
    assert_eq!(error_of(&fetcher, &server.url("/chain/0")).await, "too many redirects (more than 5)");
    assert_eq!(server.requests().iter().filter(|r| r.path.starts_with("/chain/")).count(), 6);
}

#[tokio::test]
async fn a_permanent_redirect_is_followed_reported_and_used_next_time() {
    let feed = three_item_feed();
    let server = TestServer::start(move |req, stream| match req.path.as_str() {
        "/old" => respond(stream, 301, &[("Location", "/new")], b""),
        "/temp" => respond(stream, 302, &[("Location", "/new")], b""),
        "/new" => respond(stream, 200, &[], feed.as_bytes()),
        _ => respond(stream, 404, &[], b""),
    });
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let old = FeedConfig::new(server.url("/old"));
    let (event, info) = Job::new(&old, Duration::from_secs(60), None).poll(&fetcher).await;
    let PollEvent::Fetched(f) = event else { panic!("{event:?}") };
    assert_eq!(f.url, server.url("/old"), "results stay under the feed's own URL");
    assert_eq!(info.moved_to, Some(server.url("/new")));
    // The next poll goes straight to the new home.
    let state = PollState { moved_to: info.moved_to.clone(), ..Default::default() };
    let (event, _) = Job::new(&old, Duration::from_secs(60), Some(&state)).poll(&fetcher).await;
    assert!(matches!(event, PollEvent::Fetched(_)));
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/old", "/new", "/new"]);
    // A temporary redirect is followed but not remembered.
    let (_, info) = Job::new(&FeedConfig::new(server.url("/temp")), Duration::from_secs(60), None).poll(&fetcher).await;
    assert_eq!(info.moved_to, None);
}

#[tokio::test]
async fn a_windows_1252_body_declared_as_utf8_reads_right() {
    let server = TestServer::start(|_, stream| respond(stream, 200, &[], &cp1252_feed()));
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let PollEvent::Fetched(feed) = poll_one(&fetcher, &server.url("/f"), &Validators::default()).await else {
        panic!()
    };
    assert_eq!(feed.title.as_deref(), Some("Café Feed"));
    assert_eq!(feed.items[0].title, "Café \u{201c}Quotes\u{201d} \u{20ac}5");
}

#[tokio::test]
async fn empty_junk_and_refused_are_errors_in_words() {
    let server = TestServer::start(|req, stream| match req.path.as_str() {
        "/empty" => respond(stream, 200, &[], b""),
        _ => respond(stream, 200, &[], &[0x1f, 0x8b, 0, 0, 0, 7, 0, 0, 42, 42]),
    });
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    assert_eq!(error_of(&fetcher, &server.url("/empty")).await, "empty response");
    assert_eq!(error_of(&fetcher, &server.url("/junk")).await, "not a feed (binary data)");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    assert_eq!(error_of(&fetcher, &format!("http://{closed}/feed")).await, "connection refused");
}

/// A feed's `<ttl>` and the server's max-age outlive a 304: the poll after a
/// "not modified" is scheduled by them, not by the bare interval, and they
/// are kept in the store for the next run.
#[tokio::test]
async fn a_304_keeps_the_last_schedule_hints() {
    let with_ttl = three_item_feed().replace("<description>", "<ttl>120</ttl><description>");
    let server = TestServer::start(move |req, stream| {
        let etag = [("ETag", "\"v1\"")];
        match (req.path.as_str(), req.header("if-none-match")) {
            (_, Some("\"v1\"")) => respond(stream, 304, &etag, b""),
            ("/ttl", _) => respond(stream, 200, &etag, with_ttl.as_bytes()),
            _ => respond(stream, 200, &[etag[0], ("Cache-Control", "max-age=5400")], three_item_feed().as_bytes()),
        }
    });
    let fetcher = Fetcher::new(&cfg(3000, 1_000_000)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = tidings::store::Store::open(&dir.path().join("t.db")).unwrap();
    for (path, hint) in [("/ttl", 7200), ("/max-age", 5400)] {
        let feed = FeedConfig::new(server.url(path));
        store.sync_feeds(std::slice::from_ref(&feed)).unwrap();
        let (event, info) = Job::new(&feed, Duration::from_secs(600), None).poll(&fetcher).await;
        let PollEvent::Fetched(fetched) = event else { panic!("{event:?}") };
        store.store_fetched(&fetched, 0).unwrap();
        store.record_schedule(&feed.url, &info).unwrap();
        // The next run starts from what the store kept.
        let state = store.poll_states().unwrap().remove(&feed.url).unwrap();
        let now = chrono::Utc::now().timestamp();
        let (event, info) = Job::new(&feed, Duration::from_secs(600), Some(&state)).poll(&fetcher).await;
        assert!(matches!(event, PollEvent::NotModified { .. }), "{path}: {event:?}");
        let wait = info.next_poll.unwrap() - now;
        assert!((hint..hint + 5).contains(&wait), "{path}: next poll in {wait} s, not the hinted {hint} s");
        store.record_schedule(&feed.url, &info).unwrap();
        let state = store.poll_states().unwrap().remove(&feed.url).unwrap();
        assert_eq!(state.ttl.or(state.max_age), Some(hint as u64), "{path}: still known after the 304");
    }
}
