//! A fetcher that spools large feed bodies to a file (`tidings fetch`), against
//! a loopback server: the same feed as one held in memory, the size cap kept.
#![cfg(unix)]

mod common;

use std::time::Duration;

use common::{TestServer, respond};
use tidings::config::PollerConfig;
use tidings::feed::{Fetched, Fetcher, PollEvent, poll_one};
use tidings::store::Validators;

fn cfg(max_body: u64) -> PollerConfig {
    PollerConfig { timeout: Duration::from_secs(20), max_body, ..PollerConfig::default() }
}

/// An RSS document of about `size` bytes.
fn rss(size: usize) -> Vec<u8> {
    let mut x = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title>\n");
    let body = "<p>Plain words of a long story.</p>".repeat(60);
    let mut n = 0;
    while x.len() < size {
        x.push_str(&format!(
            "<item><title>Story {n}</title><guid>g{n}</guid><description><![CDATA[{body}]]></description></item>\n"
        ));
        n += 1;
    }
    x.push_str("</channel></rss>\n");
    x.into_bytes()
}

#[tokio::test]
async fn a_large_body_is_spooled_and_parses_to_the_same_feed() {
    let (big, small) = (rss(5 << 20), rss(10_000));
    let (b, s) = (big.clone(), small.clone());
    let server = TestServer::start(move |req, stream| {
        let body = if req.path == "/big" { &b } else { &s };
        respond(stream, 200, &[("Content-Type", "application/rss+xml")], body);
    });
    let plain = Fetcher::new(&cfg(1 << 30)).unwrap();
    let spooling = plain.clone().spooling(1 << 20);
    let none = Validators::default();

    let Ok(Fetched::Body { bytes, spooled: Some(file), .. }) = spooling.get_feed(&server.url("/big"), &none).await
    else {
        panic!("not spooled")
    };
    assert!(bytes.is_empty());
    assert_eq!(file.len, big.len() as u64);
    let mut copy = vec![0; big.len()];
    std::os::unix::fs::FileExt::read_exact_at(&*file.file, &mut copy, 0).unwrap();
    assert!(copy == big, "the file holds the body");
    let Ok(Fetched::Body { bytes, spooled: None, .. }) = spooling.get_feed(&server.url("/small"), &none).await else {
        panic!("a small body stays in memory")
    };
    assert_eq!(bytes, small);
    // Only feed fetches spool: a page or an image comes back in memory.
    let Ok(Fetched::Body { bytes, spooled: None, .. }) = spooling.get(&server.url("/big"), &none).await else {
        panic!("get does not spool")
    };
    assert_eq!(bytes.len(), big.len());

    let parsed = |fetcher: Fetcher| {
        let url = server.url("/big");
        async move {
            match poll_one(&fetcher, &url, &Validators::default()).await {
                PollEvent::Fetched(f) => f.unspilled().unwrap(),
                other => panic!("{other:?}"),
            }
        }
    };
    let (a, b) = (parsed(spooling.clone()).await, parsed(plain).await);
    assert!(a.items.len() > 1_000);
    assert!(a == b, "spooled or in memory: the same feed");
}

#[tokio::test]
async fn the_size_cap_holds_for_a_spooled_body() {
    let big = rss(3 << 20);
    let server = TestServer::serve(vec![("/big", "application/rss+xml", big)]);
    let fetcher = Fetcher::new(&cfg(2 << 20)).unwrap().spooling(1 << 20);
    match poll_one(&fetcher, &server.url("/big"), &Validators::default()).await {
        PollEvent::Failed { error, .. } => assert!(error.contains("2 MB") || error.contains("large"), "{error}"),
        other => panic!("{other:?}"),
    }
}
