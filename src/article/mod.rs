//! Articles: HTML → styled terminal lines with numbered links, full-text
//! extraction from article pages, and the sanitiser every piece of network
//! text passes through before it is shown.

pub mod extract;
pub mod links;
pub mod long_urls;
pub mod page;
pub mod plain;
pub mod render;
pub mod safe_html;
pub mod sanitize;

/// Elements that never have content, and elements whose end tag may be left
/// out (a parser closes them by itself): neither nests.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt",
    "rp", "html", "head", "body",
];

/// Elements whose content is not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noembed", "noframes"];

/// A cheap estimate of how deep `html`'s elements nest, without building a
/// tree: the HTML renderer and the readability scorer both slow down with the
/// square of the depth, so pathological pages are caught before them.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if len == 0 {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        let end = memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
        i = end.min(bytes.len());
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            if RAW_TEXT.contains(&name.as_str()) {
                i = find_ci(&html[i..], &format!("</{name}")).map_or(bytes.len(), |e| i + e);
                continue;
            }
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Where ASCII `needle` first occurs in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes().windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// The text of `html` without a parser: tags dropped (script and style with
/// their content), block ends as newlines, the common entities decoded.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt + 1..];
        let gt = rest.find('>').unwrap_or(rest.len());
        let tag = rest[..gt].to_ascii_lowercase();
        rest = rest.get(gt + 1..).unwrap_or("");
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let at = find_ci(rest, &format!("</{name}")).unwrap_or(rest.len());
            rest = &rest[at..];
            continue;
        }
        if matches!(name.as_str(), "p" | "div" | "br" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            out.push('\n');
        }
    }
    out.push_str(rest);
    for (entity, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
    {
        out = out.replace(entity, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_elements_only() {
        assert_eq!(nesting_depth("<p>a<p>b<br><img src=x><div><span>x</span></div>"), 2);
        assert_eq!(nesting_depth("<div><div><div></div></div></div><div></div>"), 3);
        assert_eq!(nesting_depth("<script>if (a<b) { '<div><div>' }</script><div>x</div>"), 1);
        assert_eq!(nesting_depth("<!-- <div><div> --><ul><li>a<li>b</ul>"), 1);
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("a < b and <"), 0);
    }

    #[test]
    fn strip_tags_keeps_text_and_blocks() {
        let t = strip_tags("<style>x{}</style><p>one &amp; two</p><script>evil()</script><div>three</div>");
        assert_eq!(t, "\none & two\n\nthree\n");
    }
}
