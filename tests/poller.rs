//! The poller against a loopback server started by each test.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestServer, respond, three_item_feed};
use tidings::config::{FeedConfig, PollerConfig};
use tidings::feed::{Fetcher, PollEvent, Poller, poll_one};
use tidings::store::{PollState, Validators};

fn cfg() -> PollerConfig {
    PollerConfig { timeout: Duration::from_secs(3), ..PollerConfig::default() }
}

#[tokio::test]
async fn etag_then_304() {
    let feed = three_item_feed();
    let server = TestServer::start(move |req, stream| {
        if req.header("if-none-match") == Some("\"v1\"") {
            respond(stream, 304, &[], b"");
        } else {
            respond(stream, 200, &[("ETag", "\"v1\""), ("Content-Type", "application/rss+xml")], feed.as_bytes());
        }
    });
    let fetcher = Fetcher::new(&cfg()).unwrap();
    let url = server.url("/feed");
    let PollEvent::Fetched(feed) = poll_one(&fetcher, &url, &Validators::default()).await else {
        panic!("not fetched")
    };
    assert_eq!(feed.items.len(), 3);
    assert_eq!(feed.etag.as_deref(), Some("\"v1\""));
    let v = Validators { etag: feed.etag.clone(), last_modified: None };
    assert_eq!(poll_one(&fetcher, &url, &v).await, PollEvent::NotModified { url: url.clone() });
    let ua = server.requests()[0].header("user-agent").unwrap().to_string();
    assert!(ua.starts_with("tidings/"), "{ua}");
}

#[tokio::test]
async fn errors_are_per_feed_and_in_words() {
    let server = TestServer::start(|req, stream| match req.path.as_str() {
        "/html" => {
            respond(stream, 200, &[("Content-Type", "text/html")], b"<!doctype html><html><body>Hi</body></html>")
        }
        "/empty" => respond(stream, 200, &[], b""),
        "/junk" => respond(stream, 200, &[], &[0u8, 159, 146, 150, 7, 8, 9]),
        "/500" => respond(stream, 500, &[], b"oops"),
        _ => respond(stream, 404, &[], b""),
    });
    let fetcher = Fetcher::new(&cfg()).unwrap();
    let error = |path: &'static str| {
        let (fetcher, url) = (fetcher.clone(), server.url(path));
        async move {
            match poll_one(&fetcher, &url, &Validators::default()).await {
                PollEvent::Failed { error, .. } => error,
                other => panic!("{path}: {other:?}"),
            }
        }
    };
    assert_eq!(error("/html").await, "not a feed (the server sent a web page)");
    assert_eq!(error("/empty").await, "empty response");
    assert!(error("/junk").await.starts_with("not a feed"));
    assert_eq!(error("/500").await, "HTTP 500 Internal Server Error");
    assert_eq!(error("/404").await, "HTTP 404 Not Found");
}

#[tokio::test]
async fn a_slow_feed_times_out_without_holding_up_the_others() {
    let feed = three_item_feed();
    let server = TestServer::start(move |req, stream| {
        if req.path == "/slow" {
            std::thread::sleep(Duration::from_secs(5));
        }
        respond(stream, 200, &[], feed.as_bytes());
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let feeds = vec![
        FeedConfig::new(server.url("/slow")),
        FeedConfig::new(server.url("/a")),
        FeedConfig::new(server.url("/b")),
    ];
    let cfg = PollerConfig { timeout: Duration::from_secs(1), ..cfg() };
    let _poller = Poller::spawn(
        feeds,
        cfg,
        Default::default(),
        Arc::new(move |ev: PollEvent| sink_events.lock().unwrap().push(ev)),
    )
    .unwrap();
    let start = std::time::Instant::now();
    loop {
        let done = events.lock().unwrap().iter().filter(|e| is_result(e)).count();
        if done == 3 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(4), "poller hung: {:?}", events.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all: Vec<PollEvent> = events.lock().unwrap().clone();
    // Each feed's fetch is announced (the sidebar's `↻`) before its result.
    for url in ["/slow", "/a", "/b"] {
        let url = server.url(url);
        let at = |want: fn(&PollEvent) -> bool| all.iter().position(|e| want(e) && e.url() == Some(url.as_str()));
        assert!(at(|e| matches!(e, PollEvent::Fetching { .. })) < at(is_result), "{all:?}");
    }
    let events: Vec<PollEvent> =
        all.into_iter().filter(|e| !is_scheduled(e) && !matches!(e, PollEvent::Fetching { .. })).collect();
    assert_eq!(events[0], PollEvent::Started { feeds: 3 });
    // The two fast feeds land before the slow one is given up on.
    let order: Vec<&str> = events[1..].iter().map(|e| e.url().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(order.last(), Some(&"slow"), "{order:?}");
    assert!(matches!(&events[3], PollEvent::Failed { error, .. } if error == "timed out"), "{:?}", events[3]);
}

fn is_scheduled(e: &PollEvent) -> bool {
    matches!(e, PollEvent::Scheduled { .. })
}

fn is_result(e: &PollEvent) -> bool {
    e.url().is_some() && !is_scheduled(e) && !matches!(e, PollEvent::Fetching { .. })
}

#[tokio::test]
async fn file_urls_are_read_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, three_item_feed()).unwrap();
    let url = url::Url::from_file_path(&path).unwrap().to_string();
    let fetcher = Fetcher::new(&cfg()).unwrap();
    let PollEvent::Fetched(feed) = poll_one(&fetcher, &url, &Validators::default()).await else { panic!() };
    assert_eq!(feed.items.len(), 3);
    let missing = poll_one(&fetcher, "file:///nonexistent/feed.xml", &Validators::default()).await;
    assert!(matches!(missing, PollEvent::Failed { error, .. } if error.starts_with("cannot read file")));
}

#[tokio::test]
async fn a_restart_respects_the_stored_schedule_and_refresh_respects_retry_after() {
    let feed = three_item_feed();
    let server = TestServer::start(move |_, stream| respond(stream, 200, &[], feed.as_bytes()));
    let (due, later, limited) = (server.url("/due"), server.url("/later"), server.url("/limited"));
    let now = chrono::Utc::now().timestamp();
    let states: std::collections::HashMap<String, PollState> = [
        (later.clone(), PollState { next_poll: Some(now + 3600), ..Default::default() }),
        (
            limited.clone(),
            PollState { next_poll: Some(now + 3600), retry_at: Some(now + 3600), failures: 1, ..Default::default() },
        ),
    ]
    .into_iter()
    .collect();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let feeds = vec![FeedConfig::new(&due), FeedConfig::new(&later), FeedConfig::new(&limited)];
    let poller =
        Poller::spawn(feeds, cfg(), states, Arc::new(move |ev: PollEvent| sink_events.lock().unwrap().push(ev)))
            .unwrap();
    let results = |events: &Arc<Mutex<Vec<PollEvent>>>| {
        events.lock().unwrap().iter().filter(|e| is_result(e)).map(|e| e.url().unwrap().to_string()).collect::<Vec<_>>()
    };
    wait_for(|| results(&events).len() == 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(results(&events), std::slice::from_ref(&due), "only the feed that was due");
    let scheduled = events.lock().unwrap().iter().find_map(|e| match e {
        PollEvent::Scheduled { info, .. } => Some(info.clone()),
        _ => None,
    });
    let next = scheduled.unwrap().next_poll.unwrap();
    assert!((now + 1800..now + 1810).contains(&next), "next poll an interval away: {next}");

    // A manual refresh fetches everything except the feed under Retry-After.
    poller.refresh_all();
    wait_for(|| results(&events).len() == 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut got = results(&events);
    got.sort();
    let mut want = vec![due.clone(), due, later.clone()];
    want.sort();
    assert_eq!(got, want);
    assert!(server.requests().iter().all(|r| r.path != "/limited"));

    // — #13 feeds view — one feed refreshed alone; one under Retry-After is not.
    poller.refresh_feed(&later);
    poller.refresh_feed(&limited);
    wait_for(|| results(&events).len() == 4).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(results(&events)[3], later, "only the feed asked for");
    assert_eq!(results(&events).len(), 4);
    assert!(server.requests().iter().all(|r| r.path != "/limited"));
}

async fn wait_for(mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(5), "timed out waiting");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
