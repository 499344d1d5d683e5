//! Article benchmarks: rendering a 10,000-line article at several widths,
//! the frame time while scrolling it, and full-text extraction on large real
//! pages (from the shared corpus, when present) and on the project's own
//! chrome-heavy pages (markers found, boilerplate leaked).
//!
//! Run with `cargo bench --bench articles`; numbers are written down in
//! `benches/README.md`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::app::action::Action;
use tidings::app::msg::Msg;
use tidings::app::state::{Focus, State};
use tidings::app::update;
use tidings::article::{extract, render};
use tidings::config::Config;
use tidings::model::{Article, ItemRow, View};
use tidings::ui::theme::Theme;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let times = (0..runs)
        .map(|_| {
            let t = Instant::now();
            out = Some(f());
            t.elapsed()
        })
        .collect();
    (median(times), out.expect("at least one run"))
}

/// An article of about 10,000 lines at 80 columns: sections of a heading,
/// paragraphs with emphasis and links, a list and a quote.
fn long_article() -> String {
    let mut html = String::new();
    for s in 0..500 {
        html.push_str(&format!("<h2>Section {s}</h2>"));
        for p in 0..3 {
            html.push_str(&format!(
                "<p>Paragraph {p} of section {s}: the harbour authority said on <em>Tuesday</em> that the \
                 <a href=\"/port/{s}/{p}\">eastern quay</a> would reopen after <strong>eleven days</strong>, \
                 once engineers had certified the repaired berths and the pilots had surveyed the channel.</p>"
            ));
        }
        html.push_str("<ul><li>Ferries resume at six.</li><li>Cargo waits one more day.</li></ul>");
        html.push_str("<blockquote><p>We were lucky this time, said the harbour master.</p></blockquote>");
    }
    html
}

fn bench_render() {
    let html = long_article();
    println!("## Rendering a long article ({} KB of HTML)\n", html.len() / 1024);
    println!("| width | lines | links | render (median of 5) |");
    println!("|---:|---:|---:|---:|");
    for width in [40u16, 80, 120, 200] {
        let (t, body) = time(5, || render::render(&html, Some("https://gazette.example/a"), width));
        println!("| {width} | {} | {} | {:.1} ms |", body.lines.len(), body.links.len(), t.as_secs_f64() * 1e3);
    }
    println!();
}

fn bench_scroll() {
    let html = long_article();
    let mut s = State::new(&Config::default(), 1_718_744_700, 0, Theme::default());
    update(&mut s, Msg::Resize(140, 40));
    let row = ItemRow {
        id: "a".into(),
        title: "Long".into(),
        feed: "F".into(),
        date: None,
        read: false,
        saved: false,
        link: None,
        key: Default::default(),
        ..Default::default()
    };
    update(&mut s, Msg::whole_view(View::All, vec![row]));
    let article = Article { id: "a".into(), title: "Long".into(), html: html.clone(), ..Default::default() };
    update(&mut s, Msg::ArticleLoaded { id: "a".into(), article: Some(Box::new(article)) });
    let width = s.panes().article_width();
    let body = Arc::new(render::render(&html, None, width));
    let lines = body.lines.len();
    update(&mut s, Msg::ArticleRendered { id: "a".into(), width, full: false, body });
    s.focus = Focus::Article;
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("test backend");
    let mut frames = Vec::new();
    for i in 0..2000 {
        let action = if i % 200 < 150 { Action::Down } else { Action::PageDown };
        let t = Instant::now();
        update(&mut s, Msg::Action(action));
        terminal.draw(|f| tidings::ui::draw(f, &s)).expect("draw");
        frames.push(t.elapsed());
    }
    let max = *frames.iter().max().expect("frames");
    let p99 = {
        let mut f = frames.clone();
        f.sort();
        f[f.len() * 99 / 100]
    };
    println!("## Scrolling it (140×40 terminal, {lines} body lines, 2,000 key presses, key → frame drawn)\n");
    println!(
        "median {:.3} ms, p99 {:.3} ms, max {:.3} ms per frame\n",
        median(frames).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn bench_corpus_extraction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/edge");
    let mut pages: Vec<_> = ["feedreader/html", "miniflux/html"]
        .iter()
        .filter_map(|d| std::fs::read_dir(root.join(d)).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    if pages.is_empty() {
        println!("(no corpus pages at {}: extraction on real pages skipped)\n", root.display());
        return;
    }
    println!("## Extraction on the corpus's large real pages\n");
    println!("| page | KB | extract (median of 3) | text chars | result |");
    println!("|---|---:|---:|---:|---|");
    for page in pages {
        let bytes = std::fs::read(&page).expect("read page");
        let (t, got) = time(3, || extract::extract_bytes(&bytes, Some("https://corpus.example/page")));
        let (chars, result) = match &got {
            Ok(e) => (e.text.chars().count(), "ok".to_string()),
            Err(e) => (0, e.to_string()),
        };
        let name = page.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("| {name} | {} | {:.1} ms | {chars} | {result} |", bytes.len() / 1024, t.as_secs_f64() * 1e3);
    }
    println!();
}

/// The project's own pages, with body markers and one marker per chrome block.
fn bench_fixture_extraction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let cases: [(&str, &[&str], &[&str]); 2] = [
        (
            "harbour-quay.html",
            &[
                "eleven days after",
                "first ferry from the northern islands",
                "vessels longer than ninety metres",
                "height of the herring season",
                "nobody was hurt",
                "raise the sea wall by half a metre",
                "engineers' report in full",
                "fish market roof",
            ],
            &[
                "We use cookies",
                "Subscribe from 1 crown",
                "Breaking: Ferry timetable",
                "Winter tyres at half price",
                "Share on social",
                "Storm damage bill",
                "Morning Tide newsletter",
                "Lighthouse keeper retires",
                "SeaDog77",
                "All rights reserved",
            ],
        ),
        (
            "ledger-budget.html",
            &[
                "412 million crowns",
                "no painless options",
                "visits rising for the third year",
                "Millbrook and on Canal Street",
                "saving an estimated 0.9 million",
                "generously padded",
                "second of July",
            ],
            &[
                "Your privacy matters",
                "Register for free",
                "Enjoying this article?",
                "Share this:",
                "Bridge tolls to rise",
                "Harbour bonds rally",
                "Weekly Ledger newsletter",
                "Advertise with us",
            ],
        ),
    ];
    println!("## Extraction on the project's chrome-heavy pages\n");
    println!("| page | extract | body markers found | chrome blocks leaked |");
    println!("|---|---:|---:|---|");
    for (file, body, chrome) in cases {
        let bytes = std::fs::read(dir.join(file)).expect("fixture");
        let (t, got) = time(5, || extract::extract_bytes(&bytes, Some("https://site.example/a")));
        let text = got.map(|e| e.text.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default();
        let found = body.iter().filter(|m| text.contains(*m)).count();
        let leaked: Vec<_> = chrome.iter().filter(|m| text.contains(*m)).collect();
        println!(
            "| {file} | {:.1} ms | {found}/{} | {}/{} {:?} |",
            t.as_secs_f64() * 1e3,
            body.len(),
            leaked.len(),
            chrome.len(),
            leaked
        );
    }
    println!();
}

fn main() {
    // `cargo test` runs benches with --bench absent: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    bench_render();
    bench_scroll();
    bench_corpus_extraction();
    bench_fixture_extraction();
}
