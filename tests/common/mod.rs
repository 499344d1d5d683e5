//! Test helpers shared by the integration tests: a loopback HTTP server the
//! tests script response by response, and feed fixtures written for tidings.
#![allow(dead_code)]

pub mod hostile;
pub mod injection;
pub mod tmux;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names are lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }
}

/// Answers a request by writing whatever it likes to the stream (a complete
/// response, a dripping one, garbage, or nothing).
pub type Handler = dyn Fn(&Request, &mut TcpStream) + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1, one thread per connection, alive until dropped
/// (the accept thread is detached; the port is simply never reused by the test).
pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl TestServer {
    pub fn start(handler: impl Fn(&Request, &mut TcpStream) + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (handler, log) = (handler.clone(), log.clone());
                thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    if let Some(req) = read_request(&mut stream) {
                        log.lock().unwrap().push(req.clone());
                        handler(&req, &mut stream);
                    }
                    let _ = stream.flush();
                });
            }
        });
        TestServer { addr, requests }
    }

    /// Serves fixed bodies by path; anything else is a 404.
    pub fn serve(routes: Vec<(&str, &str, Vec<u8>)>) -> TestServer {
        let routes: Vec<(String, String, Vec<u8>)> =
            routes.into_iter().map(|(p, ct, b)| (p.to_string(), ct.to_string(), b)).collect();
        TestServer::start(move |req, stream| match routes.iter().find(|(p, ..)| *p == req.path) {
            Some((_, ct, body)) => respond(stream, 200, &[("Content-Type", ct)], body),
            None => respond(stream, 404, &[], b"not found"),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    let mut content_length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
            if k == "content-length" {
                content_length = v.parse().unwrap_or(0);
            }
            headers.push((k, v));
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers })
}

/// Writes a complete response and closes the connection.
pub fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let mut head =
        format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// An RSS 2.0 feed written for these tests. Items are (guid, title, pubDate, html).
pub fn rss(title: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\n<title>{title}</title>\n\
         <link>https://loopback.example/</link>\n<description>test feed</description>\n"
    );
    for (guid, title, date, html) in items {
        out.push_str(&format!(
            "<item><title>{title}</title><guid>{guid}</guid><link>https://loopback.example/{guid}</link>\
             <pubDate>{date}</pubDate><content:encoded><![CDATA[{html}]]></content:encoded></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// The three-item feed of the skeleton's acceptance check: one title with
/// entities, one in CDATA, one plain. Titles must come out exactly as `TITLES`.
pub fn three_item_feed() -> String {
    rss(
        "Loopback &amp; Co News",
        &[
            (
                "item-1",
                "Live: Putin &amp; the &quot;Partnership&quot; &lt;Treaty&gt;",
                "Tue, 18 Jun 2024 21:05:00 GMT",
                "<p>First body: <b>treaty</b> text.</p>",
            ),
            (
                "item-2",
                "<![CDATA[Markets & \"Mood\" <Swing>]]>",
                "Mon, 17 Jun 2024 09:00:00 GMT",
                "<p>Second body about markets.</p>",
            ),
            ("item-3", "Plain third headline", "Sun, 16 Jun 2024 08:00:00 GMT", "<p>Third body, plain.</p>"),
        ],
    )
}

pub const TITLES: [&str; 3] =
    ["Live: Putin & the \"Partnership\" <Treaty>", "Markets & \"Mood\" <Swing>", "Plain third headline"];

/// A config file in `dir` with the given feed URLs (tags "loop" and "test").
pub fn write_config(dir: &std::path::Path, urls: &[String]) -> std::path::PathBuf {
    let mut text = String::from("[poller]\ntimeout = \"5s\"\n\n");
    for url in urls {
        text.push_str(&format!("[[feed]]\nurl = \"{url}\"\ntags = [\"loop\", \"test\"]\n\n"));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Sends headers promising a large body, then one byte every `every` for at
/// most `bytes` bytes: a server that never quite finishes.
pub fn drip(stream: &mut TcpStream, every: Duration, bytes: usize) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000000\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    for _ in 0..bytes {
        thread::sleep(every);
        if stream.write_all(b" ").and_then(|_| stream.flush()).is_err() {
            return; // the client gave up
        }
    }
}

/// A chunked body of `total` bytes of XML-ish filler (bounded so the test ends),
/// stopping as soon as the client hangs up.
pub fn endless(stream: &mut TcpStream, total: usize) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&frame).is_err() {
            return;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n");
}

/// `size` zero bytes, gzip-compressed (a 100 MB bomb is about 100 KB on the wire).
pub fn gzip_bomb(size: usize) -> Vec<u8> {
    use flate2::{Compression, write::GzEncoder};
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    let block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len());
        enc.write_all(&block[..n]).unwrap();
        left -= n;
    }
    enc.finish().unwrap()
}

/// The bytes of a feed written in windows-1252 but declared as UTF-8:
/// its title reads "Café “Quotes” €5" when decoded right.
pub fn cp1252_feed() -> Vec<u8> {
    let mut b =
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Caf\xe9 Feed</title>\n"
            .to_vec();
    b.extend_from_slice(b"<item><guid>w1</guid><title>Caf\xe9 \x93Quotes\x94 \x805</title></item>\n</channel></rss>\n");
    b
}

// — #15 stories —
/// Three outlets' feeds (paths `/a.xml`, `/b.xml`, `/c.xml`) that each carry
/// the same story in their own words, plus one unrelated item each.
pub fn story_feeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let story = "<p>Rescue teams searched collapsed buildings in Antakya and Gaziantep after the \
                 magnitude 7.8 earthquake struck southern Turkey before dawn.</p>";
    let feeds = [
        (
            "/a.xml",
            "Alpha Wire",
            "Earthquake of magnitude 7.8 hits southern Turkey",
            "Tue, 18 Jun 2024 04:10:00 GMT",
            ("Alpha garden show opens", "<p>Roses and tulips at the spring garden show in Leeds.</p>"),
        ),
        (
            "/b.xml",
            "Beta Post",
            "Magnitude 7.8 earthquake strikes southern Turkey, buildings collapse",
            "Tue, 18 Jun 2024 04:40:00 GMT",
            ("Beta chess final drawn", "<p>The chess final in Madras ended in a draw after six hours.</p>"),
        ),
        (
            "/c.xml",
            "Gamma Times",
            "Southern Turkey earthquake: 7.8 magnitude quake topples buildings",
            "Tue, 18 Jun 2024 05:20:00 GMT",
            ("Gamma bakery wins prize", "<p>A small bakery in Lyon won the national baguette prize.</p>"),
        ),
    ];
    feeds
        .iter()
        .map(|(path, name, title, date, (other, other_body))| {
            let guid = format!("{}-quake", &path[1..2]);
            let other_guid = format!("{}-other", &path[1..2]);
            let body = rss(
                name,
                &[(&guid, title, date, story), (&other_guid, other, "Mon, 17 Jun 2024 09:00:00 GMT", other_body)],
            );
            (*path, "application/rss+xml", body.into_bytes())
        })
        .collect()
}
