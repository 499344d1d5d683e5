use super::*;

const QUAY: &[u8] = include_bytes!("../../../tests/fixtures/pages/harbour-quay.html");
const BUDGET: &[u8] = include_bytes!("../../../tests/fixtures/pages/ledger-budget.html");

/// Phrases from the body paragraphs of each page: all must be extracted.
const QUAY_BODY: &[&str] = &[
    "eleven days after",
    "first ferry from the northern islands",
    "vessels longer than ninety metres",
    "height of the herring season",
    "nobody was hurt",
    "raise the sea wall by half a metre",
    "engineers' report in full",
    "fish market roof",
];
/// One phrase per block of site chrome: at most one block may leak.
const QUAY_CHROME: &[&str] = &[
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
];
const BUDGET_BODY: &[&str] = &[
    "412 million crowns",
    "no painless options",
    "visits rising for the third year",
    "Millbrook and on Canal Street",
    "saving an estimated 0.9 million",
    "\u{201c}generously padded\u{201d}",
    "second of July",
];
const BUDGET_CHROME: &[&str] = &[
    "Your privacy matters",
    "Register for free",
    "Enjoying this article?",
    "Share this:",
    "Bridge tolls to rise",
    "Harbour bonds rally",
    "Weekly Ledger newsletter",
    "Advertise with us",
];

/// (body markers missing, chrome blocks leaked) in `text`.
fn score(text: &str, body: &[&str], chrome: &[&str]) -> (Vec<String>, Vec<String>) {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let missing = body.iter().filter(|m| !flat.contains(*m)).map(|m| m.to_string()).collect();
    let leaked = chrome.iter().filter(|m| flat.contains(*m)).map(|m| m.to_string()).collect();
    (missing, leaked)
}

#[test]
fn the_body_is_kept_and_the_chrome_dropped() {
    for (name, page, url, body, chrome) in [
        ("quay", QUAY, "https://gazette.example/news/2024/06/quay.html", QUAY_BODY, QUAY_CHROME),
        ("budget", BUDGET, "https://ledger.example/economy/budget", BUDGET_BODY, BUDGET_CHROME),
    ] {
        let got = extract_bytes(page, Some(url)).unwrap();
        let (missing, leaked) = score(&got.text, body, chrome);
        assert!(missing.is_empty(), "{name}: body missing {missing:?}\n{}", got.text);
        assert!(leaked.len() <= 1, "{name}: chrome leaked {leaked:?}\n{}", got.text);
        // The HTML for the reader says the same.
        let rendered = crate::article::render::render(&got.html, Some(url), 80);
        let shown = rendered.plain_lines().collect::<Vec<_>>().join("\n");
        let (missing, leaked) = score(&shown, body, chrome);
        assert!(missing.is_empty() && leaked.len() <= 1, "{name}: {missing:?} {leaked:?}\n{shown}");
    }
}

#[test]
fn links_come_out_absolute() {
    let url = "https://gazette.example/news/2024/06/quay.html";
    let got = extract_bytes(QUAY, Some(url)).unwrap();
    let body = crate::article::render::render(&got.html, Some(url), 100);
    assert!(
        body.links.contains(&"https://gazette.example/documents/port-authority-notice-114.pdf".to_string()),
        "{:?}",
        body.links
    );
    assert!(body.links.contains(&"https://budget.example/ardane/seawall".to_string()));
    let budget = extract_bytes(BUDGET, Some("https://ledger.example/economy/budget")).unwrap();
    let body = crate::article::render::render(&budget.html, None, 100);
    assert!(
        body.links.contains(&"https://ledger.example/economy/reports/library-board-2024.html".to_string()),
        "links are absolute in the extracted HTML itself: {:?}",
        body.links
    );
}

#[test]
fn the_declared_charset_is_honoured() {
    let got = extract_bytes(BUDGET, None).unwrap();
    assert!(
        got.text.contains("\u{2013} updated")
            || got.html.contains("\u{2013} updated")
            || !got.text.contains('\u{fffd}')
    );
    assert!(!got.text.contains('\u{fffd}'), "{}", got.text);
    assert_eq!(decode(b"caf\xe9"), "café", "not UTF-8, nothing declared: Windows-1252");
    assert_eq!(decode("café".as_bytes()), "café");
    assert_eq!(decode(b"\xef\xbb\xbfbom"), "bom");
    assert_eq!(
        decode(b"<meta charset=\"koi8-r\"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"),
        "<meta charset=\"koi8-r\"><p>Привет</p>"
    );
}

#[test]
fn titles_and_text_are_sanitised() {
    let page = "<html><head><title>Evil\u{1b}]0;owned\u{7} title</title></head><body><article><h1>x</h1>\
                <p>Paragraph one is long enough to count as an article body for the extractor to keep it around, \
                with \u{202e}bidi\u{200b} tricks and an escape \u{1b}[2J in the middle of the text for good measure.</p>\
                <p>Paragraph two is also long enough to count as content, and it talks about the harbour for a while \
                so that the scorer has something to chew on when it decides what the article is.</p></article></body></html>";
    let got = extract(page, None).unwrap();
    assert!(!got.text.chars().any(sanitize::is_unsafe), "{:?}", got.text);
    assert!(!got.title.unwrap_or_default().chars().any(sanitize::is_unsafe));
}

#[test]
fn empty_and_hostile_pages_are_errors_not_panics() {
    assert_eq!(extract("", None), Err(ExtractError::NothingFound));
    assert_eq!(
        extract("<html><body><nav><a href=/>home</a></nav></body></html>", None).map(|_| ()),
        Err(ExtractError::NothingFound)
    );
    let deep = format!("<html><body>{}<p>x</p></body></html>", "<div>".repeat(20_000));
    assert!(matches!(extract(&deep, None), Err(ExtractError::TooComplex(_))));
    let wide = format!("<html><body>{}</body></html>", "<span>x</span>".repeat(40_000));
    assert!(matches!(extract(&wide, None), Err(ExtractError::TooComplex(_))));
}
