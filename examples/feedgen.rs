//! Serves generated news feeds on 127.0.0.1 for benchmarks, and writes a
//! tidings config and a newsboat `urls` file over them.
//!
//! The feeds are RSS 2.0: N feeds of M items each plus, optionally, one big
//! feed of K items. Items have news-like titles, 1–3 KB HTML bodies and dates
//! spread over the year before `--anchor`; everything is a pure function of
//! `--seed`, so two runs serve byte-identical feeds. Nothing is held in
//! memory: each response is generated when it is asked for.
//!
//! With `--dir PATH` it serves the feed files of a directory instead (e.g. a
//! corpus of real feeds), one feed per file.
//!
//!     cargo run --release --example feedgen -- --out DIR [--feeds 450] [--items 200]
//!         [--big 10000] [--seed 1] [--anchor UNIX] [--port 0] [--dir PATH] [--for SECONDS]
//!
//! Writes `DIR/config.toml` (tidings), `DIR/urls` and `DIR/newsboat.conf`
//! (newsboat), then prints `serving on http://127.0.0.1:PORT` and serves until
//! killed (or for `--for` seconds). Requests: `/feed/N.xml` (N < feeds: a
//! normal feed, N = feeds: the big one), `/dir/NAME` (a file of `--dir`).
//! Every response carries an ETag and answers `If-None-Match` with 304.

use std::error::Error;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

type Res<T> = Result<T, Box<dyn Error>>;

/// 2026-12-01T00:00:00Z: the newest possible item date unless `--anchor` says otherwise.
const DEFAULT_ANCHOR: i64 = 1_796_083_200;
const YEAR: i64 = 365 * 86_400;

#[derive(Debug, Clone)]
struct Opts {
    out: PathBuf,
    feeds: u64,
    items: u64,
    big: u64,
    seed: u64,
    anchor: i64,
    port: u16,
    dir: Option<PathBuf>,
    lifetime: Option<u64>,
    concurrency: u32,
}

fn parse_args() -> Res<Opts> {
    let mut o = Opts {
        out: PathBuf::from("."),
        feeds: 450,
        items: 200,
        big: 10_000,
        seed: 1,
        anchor: DEFAULT_ANCHOR,
        port: 0,
        dir: None,
        lifetime: None,
        concurrency: 8,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => o.out = PathBuf::from(value()?),
            "--feeds" => o.feeds = value()?.parse()?,
            "--items" => o.items = value()?.parse()?,
            "--big" => o.big = value()?.parse()?,
            "--seed" => o.seed = value()?.parse()?,
            "--anchor" => o.anchor = value()?.parse()?,
            "--port" => o.port = value()?.parse()?,
            "--dir" => o.dir = Some(PathBuf::from(value()?)),
            "--for" => o.lifetime = Some(value()?.parse()?),
            "--concurrency" => o.concurrency = value()?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: feedgen --out DIR [--feeds N] [--items M] [--big K] [--seed S] [--anchor UNIX] \
                     [--port P] [--dir PATH] [--for SECONDS] [--concurrency C]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(o)
}

fn main() -> Res<()> {
    let opts = Arc::new(parse_args()?);
    let listener = TcpListener::bind(("127.0.0.1", opts.port))?;
    let base = format!("http://{}", listener.local_addr()?);
    let files = match &opts.dir {
        Some(dir) => feed_files(dir)?,
        None => Vec::new(),
    };
    write_configs(&opts, &base, &files)?;
    let count = if opts.dir.is_some() { files.len() as u64 } else { opts.feeds + u64::from(opts.big > 0) };
    println!("serving on {base}: {count} feeds");
    std::io::stdout().flush()?;
    if let Some(secs) = opts.lifetime {
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(secs));
            std::process::exit(0);
        });
    }
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let opts = opts.clone();
        std::thread::spawn(move || {
            let _ = serve(&opts, stream);
        });
    }
    Ok(())
}

/// The feed files of a directory, in name order (reference data and notes skipped).
fn feed_files(dir: &Path) -> Res<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            let ext = n.rsplit('.').next().unwrap_or("");
            n != "reference.json" && matches!(ext, "xml" | "rss" | "atom" | "rdf" | "json")
        })
        .collect();
    names.sort();
    Ok(names)
}

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "world", "politics", "business", "tech", "science", "sport", "culture", "europe", "asia",
];

/// The tags of generated feed `n`: one or two, fixed by the seed.
fn feed_tags(seed: u64, n: u64) -> Vec<&'static str> {
    let mut rng = fastrand::Rng::with_seed(mix(seed, n, u64::MAX - 1));
    let first = TAGS[rng.usize(..TAGS.len())];
    let second = TAGS[rng.usize(..TAGS.len())];
    if second == first || rng.bool() { vec![first] } else { vec![first, second] }
}

fn write_configs(o: &Opts, base: &str, files: &[String]) -> Res<()> {
    std::fs::create_dir_all(&o.out)?;
    let mut feeds: Vec<(String, Vec<&str>)> = Vec::new();
    if o.dir.is_some() {
        feeds.extend(files.iter().map(|f| (format!("{base}/dir/{f}"), Vec::new())));
    } else {
        feeds.extend((0..o.feeds).map(|n| (format!("{base}/feed/{n}.xml"), feed_tags(o.seed, n))));
        if o.big > 0 {
            feeds.push((format!("{base}/feed/{}.xml", o.feeds), vec!["firehose"]));
        }
    }
    let mut toml = format!(
        "# Written by examples/feedgen.rs for benchmarks: {} feeds on {base}.\n\
         [poller]\ninterval = \"24h\"\nconcurrency = {c}\nper_host = {c}\ntimeout = \"120s\"\nmax_body = \"1GB\"\n\n\
         [store]\nkeep_read_days = 0\nmax_items_per_feed = 0\n\n",
        feeds.len(),
        c = o.concurrency
    );
    let mut urls = String::new();
    for (url, tags) in &feeds {
        let quoted: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
        let _ = writeln!(toml, "[[feed]]\nurl = \"{url}\"\ntags = [{}]\n", quoted.join(", "));
        let _ = writeln!(urls, "{url} {}", tags.join(" "));
    }
    std::fs::write(o.out.join("config.toml"), toml)?;
    std::fs::write(o.out.join("urls"), urls)?;
    std::fs::write(
        o.out.join("newsboat.conf"),
        format!(
            "# Written by examples/feedgen.rs: as many parallel fetches as tidings.\nreload-threads {}\n",
            o.concurrency
        ),
    )?;
    Ok(())
}

/// Answers requests on one connection until the client closes it (keep-alive).
fn serve(o: &Opts, stream: TcpStream) -> Res<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (Some(_method), Some(path), version) = (parts.next(), parts.next(), parts.next()) else {
            return Ok(());
        };
        let path = path.to_string();
        let mut keep_alive = version == Some("HTTP/1.1");
        let mut if_none_match = None;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                match k.as_str() {
                    "connection" => keep_alive = !v.eq_ignore_ascii_case("close"),
                    "if-none-match" => if_none_match = Some(v.to_string()),
                    _ => {}
                }
            }
        }
        let (status, ctype, etag, body) = match route(o, &path) {
            Some((ctype, etag, _)) if if_none_match.as_deref() == Some(etag.as_str()) => (304, ctype, etag, Vec::new()),
            Some((ctype, etag, body)) => (200, ctype, etag, body),
            None => (404, "text/plain", String::new(), b"not found".to_vec()),
        };
        let reason = match status {
            200 => "OK",
            304 => "Not Modified",
            _ => "Not Found",
        };
        write!(out, "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n", body.len())?;
        if !etag.is_empty() {
            write!(out, "ETag: {etag}\r\n")?;
        }
        write!(out, "Connection: {}\r\n\r\n", if keep_alive { "keep-alive" } else { "close" })?;
        out.write_all(&body)?;
        out.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// The content type, ETag and body for a path, or None (404).
fn route(o: &Opts, path: &str) -> Option<(&'static str, String, Vec<u8>)> {
    if let Some(name) = path.strip_prefix("/dir/") {
        let dir = o.dir.as_ref()?;
        if name.contains('/') || name.contains("..") {
            return None;
        }
        let body = std::fs::read(dir.join(name)).ok()?;
        let ctype = if name.ends_with(".json") { "application/feed+json" } else { "application/xml" };
        let hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
        let etag = format!("\"d{hash:x}\"");
        return Some((ctype, etag, body));
    }
    let n: u64 = path.strip_prefix("/feed/")?.strip_suffix(".xml")?.parse().ok()?;
    let items = if n < o.feeds {
        o.items
    } else if n == o.feeds && o.big > 0 {
        o.big
    } else {
        return None;
    };
    let etag = format!("\"g{}-{n}-{items}-{}\"", o.seed, o.anchor);
    Some(("application/rss+xml; charset=utf-8", etag, feed_xml(o, n, items)))
}

/// A 64-bit mix of three numbers (splitmix64 over their combination): the
/// seed of each item's own random generator.
fn mix(a: u64, b: u64, c: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(c.wrapping_mul(0x94D0_49BB_1331_11EB))
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn feed_xml(o: &Opts, n: u64, items: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(mix(o.seed, n, u64::MAX));
    let name = feed_name(&mut rng, n);
    let host = format!("news{n}.example.org");
    let mut x = String::with_capacity(items as usize * 2_600 + 1_000);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n\
         <title>{}</title>\n<link>https://{host}/</link>\n\
         <description>News from {}</description>\n<language>en</language>\n<lastBuildDate>{}</lastBuildDate>\n",
        esc(&name),
        esc(&name),
        rfc2822(o.anchor)
    );
    for i in 0..items {
        item_xml(&mut x, o, n, i, items, &host);
    }
    x.push_str("</channel>\n</rss>\n");
    x.into_bytes()
}

/// Item `i` of feed `n` (0 is the newest): dates spread evenly over the year
/// before the anchor, with jitter, newest first.
fn item_xml(x: &mut String, o: &Opts, n: u64, i: u64, items: u64, host: &str) {
    let mut rng = fastrand::Rng::with_seed(mix(o.seed, n, i));
    let step = YEAR / items.max(1) as i64;
    let date = o.anchor - i as i64 * step - rng.i64(0..step.max(1));
    let title = headline(&mut rng);
    let slug: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let year = chrono::DateTime::from_timestamp(date, 0).map_or(2026, |d| chrono::Datelike::year(&d));
    let link = format!("https://{host}/{year}/{slug}-{i}");
    let author = format!("{} {}", pick(&mut rng, FIRST_NAMES), pick(&mut rng, LAST_NAMES));
    let category = pick(&mut rng, SECTIONS);
    let _ = write!(
        x,
        "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"false\">gen:{}:{n}:{i}</guid>\n\
         <pubDate>{}</pubDate>\n<dc:creator>{}</dc:creator>\n<category>{category}</category>\n<description><![CDATA[",
        esc(&title),
        o.seed,
        rfc2822(date),
        esc(&author)
    );
    body_html(x, &mut rng, host);
    x.push_str("]]></description>\n</item>\n");
}

/// 1–3 KB of article HTML: paragraphs, a link or two, emphasis, sometimes a
/// quote, a list or an image.
fn body_html(x: &mut String, rng: &mut fastrand::Rng, host: &str) {
    let target = rng.usize(1_000..3_000);
    let start = x.len();
    let mut para = 0;
    while x.len() - start < target {
        match (para, rng.u8(0..10)) {
            (p, 0) if p > 0 => {
                x.push_str("<blockquote><p>\u{201c}");
                sentence(x, rng);
                x.push_str("\u{201d}</p></blockquote>\n");
            }
            (p, 1) if p > 0 => {
                x.push_str("<ul>");
                for _ in 0..rng.usize(2..5) {
                    x.push_str("<li>");
                    sentence(x, rng);
                    x.push_str("</li>");
                }
                x.push_str("</ul>\n");
            }
            (p, 2) if p > 0 => {
                let _ = write!(
                    x,
                    "<figure><img src=\"https://{host}/img/{}.jpg\" alt=\"{}\"><figcaption>",
                    rng.u32(..),
                    pick(rng, PLACES)
                );
                sentence(x, rng);
                x.push_str("</figcaption></figure>\n");
            }
            _ => {
                x.push_str("<p>");
                for s in 0..rng.usize(2..5) {
                    if s > 0 {
                        x.push(' ');
                    }
                    match rng.u8(0..8) {
                        0 => {
                            let _ = write!(x, "<a href=\"https://{host}/story/{}\">", rng.u32(..));
                            sentence(x, rng);
                            x.push_str("</a>");
                        }
                        1 => {
                            x.push_str("<strong>");
                            sentence(x, rng);
                            x.push_str("</strong>");
                        }
                        _ => sentence(x, rng),
                    }
                }
                x.push_str("</p>\n");
            }
        }
        para += 1;
    }
}

/// One sentence of news prose, with a long tail of rarer words (invented
/// names) so the search index sees a realistic vocabulary.
fn sentence(x: &mut String, rng: &mut fastrand::Rng) {
    let start = x.len();
    match rng.u8(0..5) {
        0 => {
            let _ = write!(
                x,
                "{} {} {} {} in {}",
                pick(rng, ACTORS),
                pick(rng, VERBS),
                pick(rng, OBJECTS),
                pick(rng, CONNECTORS),
                pick(rng, PLACES)
            );
        }
        1 => {
            let _ = write!(
                x,
                "According to {} {}, {} {} {} {}",
                pick(rng, FIRST_NAMES),
                invented(rng),
                pick(rng, ACTORS),
                pick(rng, VERBS),
                pick(rng, OBJECTS),
                pick(rng, TAILS)
            );
        }
        _ => {
            let words = rng.usize(8..20);
            for w in 0..words {
                if w > 0 {
                    x.push(' ');
                }
                if rng.u8(0..12) == 0 {
                    x.push_str(&invented(rng));
                } else {
                    x.push_str(pick(rng, WORDS));
                }
            }
        }
    }
    // Capitalise the first letter and end the sentence.
    if let Some(c) = x[start..].chars().next()
        && c.is_ascii_lowercase()
    {
        x.replace_range(start..start + 1, &c.to_ascii_uppercase().to_string());
    }
    x.push('.');
}

/// A news headline.
fn headline(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..8) {
        0 => format!("{}: {} {} {}", pick(rng, PLACES), pick(rng, ACTORS), pick(rng, VERBS), pick(rng, OBJECTS)),
        1 => format!("Why {} matters for {}", pick(rng, OBJECTS), pick(rng, PLACES)),
        2 => format!("{} {} as {} {}", cap(pick(rng, ACTORS)), pick(rng, VERBS), pick(rng, OBJECTS), pick(rng, TAILS)),
        3 => {
            format!("Live: {} {} {} in {}", pick(rng, ACTORS), pick(rng, VERBS), pick(rng, OBJECTS), pick(rng, PLACES))
        }
        4 => format!(
            "{} things we learned from the {} summit in {}",
            rng.u8(3..12),
            pick(rng, PLACES),
            pick(rng, PLACES)
        ),
        5 => format!(
            "{} {} {} after {} talks",
            cap(pick(rng, ACTORS)),
            pick(rng, VERBS),
            pick(rng, OBJECTS),
            invented(rng)
        ),
        _ => format!(
            "{} {} {} {} {}",
            pick(rng, PLACES),
            pick(rng, ACTORS),
            pick(rng, VERBS),
            pick(rng, OBJECTS),
            pick(rng, TAILS)
        ),
    }
}

fn feed_name(rng: &mut fastrand::Rng, n: u64) -> String {
    format!("The {} {} {}", invented(rng), pick(rng, PAPER_WORDS), n)
}

/// A made-up proper name (three syllables), for the vocabulary's long tail.
fn invented(rng: &mut fastrand::Rng) -> String {
    const SYL: &[&str] = &[
        "ka", "ro", "vel", "dan", "mi", "tor", "sa", "len", "bri", "os", "quin", "ha", "zel", "mar", "to", "vik",
        "ell", "ra", "nor", "phi", "lu", "gan", "des", "ter", "ya",
    ];
    let mut s = String::new();
    for _ in 0..rng.usize(2..4) {
        s.push_str(SYL[rng.usize(..SYL.len())]);
    }
    cap(&s)
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn pick(rng: &mut fastrand::Rng, list: &[&'static str]) -> &'static str {
    list[rng.usize(..list.len())]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn rfc2822(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.to_rfc2822()).unwrap_or_default()
}

#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Pyongyang", "Seoul", "Tokyo", "Beijing", "Taipei", "Manila", "Jakarta", "Delhi", "Karachi", "Kabul",
    "Tehran", "Baghdad", "Riyadh", "Ankara", "Cairo", "Lagos", "Nairobi", "Addis Ababa", "Johannesburg",
    "Kinshasa", "Moscow", "Kyiv", "Minsk", "Warsaw", "Berlin", "Paris", "Brussels", "London", "Madrid", "Rome",
    "Athens", "Stockholm", "Helsinki", "Oslo", "Reykjavik", "Washington", "Ottawa", "Mexico City", "Havana",
    "Caracas", "Bogota", "Lima", "Santiago", "Buenos Aires", "Brasilia", "Canberra", "Wellington", "Geneva",
    "Vienna", "Budapest", "Belgrade", "Tbilisi", "Yerevan", "Baku", "Astana", "Tashkent", "Hanoi", "Bangkok",
    "Dhaka", "Colombo",
];

#[rustfmt::skip]
const ACTORS: &[&str] = &[
    "the government", "parliament", "the central bank", "regulators", "prosecutors", "the prime minister",
    "the president", "opposition leaders", "trade unions", "investors", "scientists", "health officials",
    "the foreign ministry", "election monitors", "protesters", "the supreme court", "energy companies",
    "the finance minister", "aid agencies", "the military", "local councils", "farmers", "teachers", "doctors",
    "tech giants", "shipping firms", "the European Commission", "the United Nations", "NATO allies",
    "lawmakers",
];

#[rustfmt::skip]
const VERBS: &[&str] = &[
    "rejects", "backs", "delays", "approves", "warns over", "launches", "suspends", "unveils", "blocks",
    "pushes for", "cuts", "raises", "defends", "questions", "investigates", "signs", "abandons", "revives",
    "criticises", "welcomes", "extends", "scraps", "reviews", "doubles", "freezes",
];

#[rustfmt::skip]
const OBJECTS: &[&str] = &[
    "new sanctions", "the budget", "interest rates", "a ceasefire plan", "fuel subsidies", "the trade deal",
    "climate targets", "pension reform", "a rescue package", "the nuclear talks", "border controls", "tax cuts",
    "the vaccine rollout", "data privacy rules", "wage increases", "the rail strike", "arms exports",
    "housing plans", "water rationing", "the satellite launch", "grain shipments", "the election timetable",
    "a fishing ban", "chip export limits", "the refugee quota", "emergency powers", "the merger",
    "drought relief", "a new constitution", "the power grid upgrade",
];

#[rustfmt::skip]
const CONNECTORS: &[&str] =
    &[
    "amid protests", "despite warnings", "after a long night of talks", "ahead of the vote",
    "for the first time",
];

#[rustfmt::skip]
const TAILS: &[&str] = &[
    "amid rising prices", "as markets slide", "after weeks of protests", "despite fierce opposition",
    "ahead of the summit", "as talks stall", "in a surprise move", "as storms batter the coast",
    "after a court ruling", "as inflation eases", "in the wake of the floods", "as the deadline nears",
];

#[rustfmt::skip]
const SECTIONS: &[&str] =
    &[
    "World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture", "Opinion",
    "Climate",
];

#[rustfmt::skip]
const PAPER_WORDS: &[&str] = &[
    "Herald", "Ledger", "Courier", "Gazette", "Observer", "Tribune", "Dispatch", "Review",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
    "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tamar", "Umar", "Vera", "Wei", "Yusuf",
    "Zofia",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Almeida", "Novak", "Okafor", "Schmidt", "Tanaka", "Ivanova", "Haddad", "Larsen", "Moreau", "Kowalski",
    "Rossi", "Nguyen", "Petrov", "Garcia", "Johansson", "Mensah", "Yilmaz", "Kim", "O'Brien", "Fischer",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "the", "the", "a", "of", "of", "to", "to", "and", "and", "in", "in", "on", "for", "with", "by",
    "that", "was", "is", "were", "has", "had", "will", "would", "could", "said", "says", "after", "before",
    "while", "since", "government", "minister", "officials", "report", "year", "week", "month", "people",
    "country", "city", "region", "market", "prices", "growth", "economy", "workers", "companies", "plan",
    "deal", "talks", "vote", "election", "court", "law", "police", "security", "forces", "border", "war",
    "peace", "crisis", "energy", "oil", "gas", "power", "climate", "weather", "storm", "flood", "drought",
    "health", "hospital", "patients", "schools", "students", "research", "study", "scientists", "data",
    "technology", "software", "network", "satellite", "launch", "mission", "space", "team", "season", "match",
    "final", "record", "festival", "film", "music", "museum", "exhibition", "history", "statement",
    "spokesperson", "agency", "committee", "council", "budget", "billion", "million", "percent", "rise", "fall",
    "increase", "decline", "support", "opposition", "protest", "strike", "union", "sanctions", "exports",
    "imports", "trade", "tariffs", "investment", "bank", "rates", "inflation", "jobs", "housing", "transport",
    "rail", "airport", "port", "shipping", "food", "water", "farmers", "harvest", "emissions", "renewable",
    "nuclear", "reactor", "pipeline", "grid", "outage", "cyberattack", "hackers", "privacy", "platform",
    "users", "regulation", "inquiry", "investigation", "evidence", "trial", "verdict", "appeal", "refugees",
    "migrants", "aid", "relief", "reconstruction", "ceasefire", "negotiators", "diplomats", "embassy", "summit",
    "leaders", "allies", "partners", "neighbours", "residents", "villagers", "officers", "soldiers",
    "volunteers", "experts", "analysts", "critics", "supporters", "voters", "candidates", "campaign", "poll",
    "survey", "results", "figures", "estimates", "forecast", "quarter", "decade", "century", "morning",
    "evening", "overnight", "early", "late", "recent", "new", "old", "major", "minor", "significant",
    "unexpected", "sharp", "steady", "slow", "rapid", "urgent", "controversial", "historic", "fragile",
    "strong", "weak", "largest", "smallest", "first", "last", "next", "previous", "local", "national",
    "international", "regional", "federal", "public", "private", "independent", "official", "former", "current",
    "senior", "announced", "confirmed", "denied", "reported", "warned", "promised", "rejected", "approved",
    "expected", "planned", "delayed", "cancelled", "agreed", "failed", "managed", "continued", "started",
    "ended", "remained",
];
