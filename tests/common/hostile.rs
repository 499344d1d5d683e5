//! A loopback server with the worst of the internet on some paths and good
//! feeds on others: the acceptance set for `tidings fetch` (and the script
//! that measures it). Every misbehaviour ends by itself within seconds.

use std::time::Duration;

use super::{TestServer, cp1252_feed, drip, endless, gzip_bomb, respond, rss};

/// Paths that serve a good feed, with the number of items each has.
pub const GOOD: [(&str, usize); 6] = [
    ("/good-rss.xml", 3),
    ("/good-atom.xml", 2),
    ("/good-json.json", 2),
    ("/cp1252.xml", 1),
    ("/moved.xml", 3),
    ("/cached.xml", 3),
];

/// Paths that fail, with the words `tidings stats` must say about each.
pub const HOSTILE: [(&str, &str); 13] = [
    ("/drip.xml", "timed out"),
    ("/silent.xml", "timed out"),
    ("/endless.xml", "too large"),
    ("/bomb.xml", "too large"),
    ("/huge.xml", "too large"),
    ("/loop.xml", "redirect loop"),
    ("/ratelimited.xml", "429 rate limited, retry at"),
    ("/unavailable.xml", "503 unavailable, retry at"),
    ("/broken.xml", "HTTP 500"),
    ("/page.html", "not a feed"),
    ("/empty.xml", "empty response"),
    ("/junk.bin", "not a feed (binary data)"),
    ("/gone.xml", "HTTP 404"),
];

fn good_rss(tag: &str) -> String {
    rss(
        &format!("Good {tag}"),
        &[
            (&format!("{tag}-1"), "First", "Tue, 18 Jun 2024 21:05:00 GMT", "<p>one</p>"),
            (&format!("{tag}-2"), "Second", "Mon, 17 Jun 2024 09:00:00 GMT", "<p>two</p>"),
            (&format!("{tag}-3"), "Third", "Sun, 16 Jun 2024 08:00:00 GMT", "<p>three</p>"),
        ],
    )
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Good Atom</title><id>urn:good-atom</id>
<updated>2024-06-18T00:00:00Z</updated>
<entry><id>urn:a1</id><title>Atom one</title><updated>2024-06-18T00:00:00Z</updated><link href="https://loopback.example/a1"/></entry>
<entry><id>urn:a2</id><title>Atom two</title><updated>2024-06-17T00:00:00Z</updated><link href="https://loopback.example/a2"/></entry>
</feed>"#;

const JSON: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Good JSON",
"items":[{"id":"j1","title":"JSON one","content_html":"<p>1</p>","date_published":"2024-06-18T00:00:00Z"},
{"id":"j2","title":"JSON two","content_text":"2","date_published":"2024-06-17T00:00:00Z"}]}"#;

/// Starts the server. `drip_every` paces the dripping response.
pub fn server() -> TestServer {
    let bomb = gzip_bomb(200_000_000);
    TestServer::start(move |req, stream| {
        let xml = [("Content-Type", "application/rss+xml")];
        match req.path.as_str() {
            "/good-rss.xml" => respond(stream, 200, &xml, good_rss("rss").as_bytes()),
            "/good-atom.xml" => respond(stream, 200, &[("Content-Type", "application/atom+xml")], ATOM.as_bytes()),
            "/good-json.json" => respond(stream, 200, &[("Content-Type", "application/feed+json")], JSON.as_bytes()),
            "/cp1252.xml" => respond(stream, 200, &xml, &cp1252_feed()),
            "/moved.xml" => respond(stream, 301, &[("Location", "/moved-here.xml")], b""),
            "/moved-here.xml" => respond(stream, 200, &xml, good_rss("moved").as_bytes()),
            "/cached.xml" => {
                let v = [("ETag", "\"c1\""), ("Last-Modified", "Tue, 18 Jun 2024 21:05:00 GMT")];
                if req.header("if-none-match") == Some("\"c1\"") {
                    respond(stream, 304, &v, b"");
                } else {
                    respond(stream, 200, &[xml[0], v[0], v[1]], good_rss("cached").as_bytes());
                }
            }
            "/drip.xml" => drip(stream, Duration::from_millis(200), 75),
            "/silent.xml" => std::thread::sleep(Duration::from_secs(8)),
            "/endless.xml" => endless(stream, 200_000_000),
            "/bomb.xml" => respond(stream, 200, &[xml[0], ("Content-Encoding", "gzip")], &bomb),
            "/huge.xml" => {
                use std::io::Write;
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 50000000000\r\nConnection: close\r\n\r\n<rss>";
                let _ = stream.write_all(head.as_bytes());
            }
            "/loop.xml" => respond(stream, 302, &[("Location", "/loop-2.xml")], b""),
            "/loop-2.xml" => respond(stream, 302, &[("Location", "/loop.xml")], b""),
            "/ratelimited.xml" => respond(stream, 429, &[("Retry-After", "3600")], b"slow down"),
            "/unavailable.xml" => {
                let later = chrono::Utc::now() + chrono::Duration::hours(2);
                let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                respond(stream, 503, &[("Retry-After", &date)], b"maintenance")
            }
            "/broken.xml" => respond(stream, 500, &[], b"oops"),
            "/page.html" => respond(
                stream,
                200,
                &[("Content-Type", "text/html")],
                b"<!DOCTYPE html><html><head><title>A page</title></head><body>No feed here</body></html>",
            ),
            "/empty.xml" => respond(stream, 200, &xml, b""),
            "/junk.bin" => {
                let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
                respond(stream, 200, &xml, &junk)
            }
            _ => respond(stream, 404, &[], b"not found"),
        }
    })
}

/// A config over every path of the server, with the given timeout and cap.
pub fn config(server: &TestServer, timeout: &str) -> String {
    let mut text = format!("[poller]\ntimeout = \"{timeout}\"\nmax_body = \"5MB\"\nconcurrency = 8\nper_host = 32\n\n");
    for path in GOOD.iter().map(|g| g.0).chain(HOSTILE.iter().map(|h| h.0)) {
        text.push_str(&format!("[[feed]]\nurl = \"{}\"\ntags = [\"loop\"]\n\n", server.url(path)));
    }
    text
}
