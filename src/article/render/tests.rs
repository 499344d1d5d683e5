use super::*;

fn text(body: &Body) -> String {
    body.plain_lines().collect::<Vec<_>>().join("\n")
}

fn line_with<'a>(body: &'a Body, needle: &str) -> &'a Line<'static> {
    body.lines.iter().find(|l| l.to_string().contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?}"))
}

fn span_with<'a>(body: &'a Body, needle: &str) -> &'a Span<'static> {
    line_with(body, needle).spans.iter().find(|s| s.content.contains(needle)).unwrap()
}

/// An article written for these tests, with one of everything.
const ARTICLE: &str = r##"
<h1>Harbour Reopens After Storm</h1>
<p>The <strong>harbour authority</strong> said on <em>Tuesday</em> that the
<a href="/port/notices">eastern quay</a> would reopen, after
<a href="https://weather.example/storm?id=7&amp;lang=en">the storm</a> passed.</p>
<h2>What changed</h2>
<ul><li>Ferries resume at 06:00.</li><li>Cargo waits <del>two</del> one day.</li></ul>
<ol><li>Check the <a href="timetable.html">timetable</a>.</li><li>Board early.</li></ol>
<blockquote><p>We were lucky this time, said the harbour master.</p></blockquote>
<h3>Numbers</h3>
<table><tr><th>Berth</th><th>Status</th></tr><tr><td>East</td><td>open</td></tr><tr><td>West</td><td>closed</td></tr></table>
<pre>tide  06:10  1.2m
tide  18:40  1.4m</pre>
<p>Run <code>harbour --status</code> for more.</p>
<p><img src="/img/quay.jpg" alt="The eastern quay at dawn"> <img src="/img/x.png"></p>
<p>Again: <a href="/port/notices">notices</a>, <a href="#top">top</a>, <a href="javascript:void(0)">share</a>.</p>
"##;

const BASE: &str = "https://gazette.example/news/2024/harbour.html";

#[test]
fn an_article_at_two_widths() {
    insta::assert_snapshot!("article_72", text(&render(ARTICLE, Some(BASE), 72)));
    insta::assert_snapshot!("article_36", text(&render(ARTICLE, Some(BASE), 36)));
}

#[test]
fn every_line_fits_the_width() {
    for width in [20u16, 36, 50, 72, 120] {
        let body = render(ARTICLE, Some(BASE), width);
        // The link list's URLs are whole, however wide: only the text must fit.
        for l in body.lines.iter().take_while(|l| l.to_string() != "Links") {
            assert!(l.width() <= width as usize, "{width}: {:?} is {} wide", l.to_string(), l.width());
        }
    }
}

#[test]
fn headings_are_styled_not_prefixed() {
    let body = render(ARTICLE, Some(BASE), 72);
    let t = text(&body);
    assert!(!t.contains('#'), "{t}");
    let h1 = span_with(&body, "Harbour Reopens");
    assert!(h1.style.add_modifier.contains(Modifier::BOLD | Modifier::UNDERLINED));
    let h2 = span_with(&body, "What changed");
    assert!(h2.style.add_modifier.contains(Modifier::BOLD));
    assert!(!h2.style.add_modifier.contains(Modifier::UNDERLINED));
    let h3 = span_with(&body, "Numbers");
    assert!(h3.style.add_modifier.contains(Modifier::BOLD | Modifier::ITALIC));
    assert_eq!(line_with(&body, "Harbour Reopens").to_string(), "Harbour Reopens After Storm");
}

#[test]
fn emphasis_code_and_strikeout_become_style() {
    let body = render(ARTICLE, Some(BASE), 72);
    assert!(span_with(&body, "harbour authority").style.add_modifier.contains(Modifier::BOLD));
    assert!(span_with(&body, "Tuesday").style.add_modifier.contains(Modifier::ITALIC));
    assert!(span_with(&body, "two").style.add_modifier.contains(Modifier::CROSSED_OUT));
    assert!(span_with(&body, "harbour --status").style.add_modifier.contains(Modifier::DIM));
    assert!(span_with(&body, "tide  06:10").style.add_modifier.contains(Modifier::DIM));
}

#[test]
fn lists_quotes_tables_and_images_read_as_text() {
    let body = render(ARTICLE, Some(BASE), 72);
    let t = text(&body);
    assert!(t.contains("• Ferries resume at 06:00."), "{t}");
    assert!(t.contains("1. Check the timetable[3]."), "{t}");
    assert!(t.contains("2. Board early."), "{t}");
    let quote = line_with(&body, "We were lucky");
    assert!(quote.to_string().starts_with("│ We were lucky"), "{quote:?}");
    let words = quote.spans.iter().find(|s| s.content.contains("lucky")).unwrap();
    assert!(words.style.add_modifier.contains(Modifier::ITALIC));
    for cell in ["Berth", "Status", "East", "open", "West", "closed"] {
        assert!(t.contains(cell), "{cell}: {t}");
    }
    assert!(t.contains("[image: The eastern quay at dawn]"), "{t}");
    assert!(t.contains("[image]"), "{t}");
}

#[test]
fn links_are_numbered_once_and_listed_absolute() {
    let body = render(ARTICLE, Some(BASE), 72);
    assert_eq!(
        body.links,
        [
            "https://gazette.example/port/notices",
            "https://weather.example/storm?id=7&lang=en",
            "https://gazette.example/news/2024/timetable.html",
        ]
    );
    let t = text(&body);
    assert!(t.contains("eastern quay[1]"), "{t}");
    assert!(t.contains("the storm[2]"), "{t}");
    assert!(t.contains("notices[1], top, share."), "the same URL keeps its number; dead ends get none: {t}");
    assert!(t.ends_with(
        "Links\n[1] https://gazette.example/port/notices\n[2] https://weather.example/storm?id=7&lang=en\n\
         [3] https://gazette.example/news/2024/timetable.html"
    ));
    // Link text is underlined, its number is not.
    let quay = span_with(&body, "eastern quay");
    assert!(quay.style.add_modifier.contains(Modifier::UNDERLINED));
    let number = span_with(&body, "[1]");
    assert!(!number.style.add_modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn links_in_tables_and_nested_blocks_keep_their_order() {
    let html = r#"<p><a href="/a">a</a></p><table><tr><td><a href="/b">b</a></td><td><a href="/c">c</a></td></tr></table>
        <blockquote><ul><li><a href="/d">d</a></li></ul></blockquote><p><a href="/e">e</a></p>"#;
    let body = render(html, Some("https://x.example/"), 60);
    let paths: Vec<_> = body.links.iter().map(|u| u.trim_start_matches("https://x.example")).collect();
    assert_eq!(paths, ["/a", "/b", "/c", "/d", "/e"]);
    let t = text(&body);
    for (i, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        assert!(t.contains(&format!("{name}[{}]", i + 1)), "{t}");
    }
}

#[test]
fn long_urls_stay_whole_in_the_link_list() {
    let long = format!("https://x.example/{}", "segment/".repeat(12));
    let body = render(&format!("<p><a href=\"{long}\">long</a></p>"), None, 30);
    let list: Vec<String> = body.plain_lines().skip_while(|l| l != "Links").skip(1).collect();
    assert_eq!(list, [format!("[1] {long}")]);
}

#[test]
fn paragraphs_wrap_to_width() {
    let body = render("<p>one two three four five six seven eight nine ten</p>", None, 20);
    assert!(body.lines.len() >= 3);
    assert!(body.lines.iter().all(|l| l.width() <= 20));
}

#[test]
fn control_characters_never_survive() {
    let html = "<h2>t&#17;itle</h2><p>evil\u{1b}]0;title\u{7} &#27;[31m red &#x202e;rev &#x1e;&#x1f;&#x1d;[9]</p>\
                <blockquote>&#17;q</blockquote><a href=\"https://x.example/&#27;\">l\u{200b}</a>";
    let body = render(html, None, 60);
    let t = text(&body);
    assert!(!t.chars().any(super::sanitize::is_unsafe), "{t:?}");
    assert!(t.contains("evil red rev"), "{t:?}");
    assert!(!t.contains("[31m") && !t.contains("]0;"), "whole sequences go, also through references: {t:?}");
}

#[test]
fn scripts_and_styles_do_not_show() {
    let body =
        render("<style>p{color:red}</style><script>alert(1)</script><p>kept</p><noscript>x</noscript>", None, 40);
    let t = text(&body);
    assert!(t.starts_with("kept"), "{t}");
    assert!(!t.contains("alert") && !t.contains("color"), "{t}");
}

#[test]
fn wide_and_combining_text_keeps_columns() {
    let html = "<p>東京の港で会議が開かれた。Zoë café e\u{301}te\u{301} 👩‍👩‍👧 مرحبا بالعالم</p>";
    for width in [12u16, 20, 33] {
        let body = render(html, None, width);
        assert!(body.lines.iter().all(|l| l.width() <= width as usize), "{width}");
        let t: String = text(&body).split_whitespace().collect();
        assert!(t.contains("東京") && t.contains("مرحبا") && t.contains("👩‍👩‍👧"), "{t}");
    }
}

#[test]
fn huge_input_is_cut_not_choked_on() {
    let big = "<p>word </p>".repeat(200_000);
    assert!(!render(&big, None, 80).lines.is_empty());
}

#[test]
fn pathological_nesting_falls_back_to_text() {
    let html = format!("{}deep text{}", "<div>".repeat(5000), "</div>".repeat(5000));
    let t = text(&render(&html, None, 60));
    assert!(t.contains("too deeply nested") && t.contains("deep text"), "{t}");
}

#[test]
fn empty_or_broken_html_is_fine() {
    assert!(render("", None, 40).lines.is_empty());
    let t = text(&render("<p>unclosed <b>bold <i>both</p> tail &amp; &bogus; <", None, 40));
    assert!(t.contains("unclosed bold both"), "{t}");
}

#[test]
fn an_image_placeholder_sits_on_its_own_line() {
    let body = render("<p><img src=\"p.jpg\" alt=\"Putin in Pyongyang\">President Putin landed.</p>", None, 60);
    let t = text(&body);
    assert!(t.contains("[image: Putin in Pyongyang]\nPresident Putin landed."), "{t:?}");
    let body = render("<p>Before <img src=\"p.jpg\" alt=\"x\"> after.</p>", None, 60);
    assert_eq!(text(&body), "Before\n[image: x]\nafter.");
}

#[test]
fn long_urls_are_never_broken() {
    let url = "https://www.themoscowtimes.com/2024/06/18/putin-hails-north-korea-support-a85430";
    let html = format!("<p>Read <a href=\"{url}\">{url}</a> and {url}/bare for more.</p>");
    let body = render(&html, None, 40);
    let t = text(&body);
    // In the text: shortened to fit, not cut in two.
    assert!(body.lines.iter().take_while(|l| l.to_string() != "Links").all(|l| l.width() <= 40), "{t}");
    assert!(t.contains("www.themoscowtimes.com/2024/06…[1]"), "{t}");
    // In the link list: whole, on one line each.
    assert_eq!(body.links, [url.to_string(), format!("{url}/bare")]);
    assert!(t.contains(&format!("[1] {url}\n")) && t.ends_with(&format!("[2] {url}/bare")), "{t}");
}
