//! A web page saved by URL: the title and content the reading list keeps.

/// What the reading list keeps of a page: its title (the article's own, else
/// the page's `<title>`, else the URL) and the article extracted from the
/// site's navigation and chrome — or, for a page with no article to find,
/// the page's HTML as it is. The article pane and the exports render the
/// HTML; scripts and styles never show.
pub fn title_and_content(html: &str, url: &str) -> (String, String) {
    let page = page_title(html);
    match super::extract::extract(html, Some(url)) {
        Ok(article) => {
            let title = article.title.filter(|t| !t.trim().is_empty()).or(page).unwrap_or_else(|| url.to_string());
            (title, article.html)
        }
        Err(_) => (page.unwrap_or_else(|| url.to_string()), html.to_string()),
    }
}

fn page_title(html: &str) -> Option<String> {
    // ASCII lower-casing keeps byte offsets, so they index `html` too.
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let fragment = format!("<p>{}</p>", &html[start..end]);
    let text = html2text::from_read(fragment.as_bytes(), 100_000).ok()?;
    let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::extract::decode;

    #[test]
    fn the_title_is_found_and_decoded() {
        let html = "<html><HEAD><Title lang=en>\n  Markets &amp; \"Mood\"\n</TITLE></head><body><p>x</p></body></html>";
        let (title, content) = title_and_content(html, "https://x.example/a");
        assert_eq!(title, "Markets & \"Mood\"");
        assert_eq!(content, html, "nothing to extract: the page is kept as it is");
    }

    #[test]
    fn no_title_falls_back_to_the_url() {
        assert_eq!(title_and_content("<p>hello</p>", "https://x.example/a").0, "https://x.example/a");
        assert_eq!(title_and_content("<title>  </title>", "https://x.example/b").0, "https://x.example/b");
    }

    #[test]
    fn charsets_are_honoured() {
        // "Москва" in windows-1251.
        let mut page = b"<html><head><meta charset=\"windows-1251\"><title>".to_vec();
        page.extend_from_slice(&[0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0]);
        page.extend_from_slice(b"</title></head></html>");
        assert_eq!(page_title(&decode(&page)).as_deref(), Some("Москва"));
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><title>Caf\xe9</title>";
        assert_eq!(page_title(&decode(http_equiv)).as_deref(), Some("Café"));
        assert_eq!(decode("plain ütf-8".as_bytes()), "plain ütf-8");
    }
}
