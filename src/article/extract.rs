//! Full text: the main content of an article page, found with a readability
//! port (dom_smoothie) and returned as HTML (for rendering, with links made
//! absolute) and plain text (for searching).
//!
//! Its input is bounded (bytes, elements and nesting depth) because the
//! scorer's time grows quickly with all three; callers run it off the UI
//! thread.

use dom_smoothie::{Config, Readability, TextMode};

use super::sanitize;

/// Pages are cut to this many bytes before parsing (article pages with all
/// their inline scripts stay well under it).
pub const MAX_PAGE_BYTES: usize = 4 << 20;
/// More elements than this and the page is refused.
pub const MAX_ELEMENTS: usize = 30_000;
/// Deeper nesting than this and the page is refused.
pub const MAX_NESTING: usize = 400;
/// Less text than this (letters and digits) is not an article: a page of
/// navigation, a consent wall, a login form.
const MIN_TEXT_CHARS: usize = 80;

/// The extracted article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extracted {
    /// The main content as HTML, links absolute.
    pub html: String,
    /// The same as plain text: what search indexes and `show --full` falls back to.
    pub text: String,
    /// The page's own title for the article, if it had one.
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExtractError {
    #[error("the page is too complex to extract ({0})")]
    TooComplex(String),
    #[error("no article text found on the page")]
    NothingFound,
    #[error("the extractor failed on this page")]
    Panicked,
}

/// Decodes a page's bytes: a byte-order mark, else the charset a `<meta>`
/// declares near the top, else UTF-8 if it is valid, else Windows-1252 (what
/// browsers assume).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let declared = head.find("charset=").and_then(|at| {
        let rest = head[at + 8..].trim_start_matches(['"', '\'', ' ']);
        let label: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c)).collect();
        encoding_rs::Encoding::for_label(label.as_bytes())
    });
    // A page that says UTF-16 in ASCII is not UTF-16 (the HTML standard says so too).
    let declared = declared.filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE);
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 => enc.decode_without_bom_handling(bytes).0.into_owned(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) if declared == Some(encoding_rs::UTF_8) => String::from_utf8_lossy(bytes).into_owned(),
            Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
        },
    }
}

/// Extracts the article from a page's HTML. `url` is the page's address,
/// used to make links absolute.
pub fn extract(html: &str, url: Option<&str>) -> Result<Extracted, ExtractError> {
    let html = super::render::cut(html, MAX_PAGE_BYTES);
    let depth = super::nesting_depth(html);
    if depth > MAX_NESTING {
        return Err(ExtractError::TooComplex(format!("elements nested {depth} deep")));
    }
    let cfg = Config { max_elements_to_parse: MAX_ELEMENTS, text_mode: TextMode::Formatted, ..Config::default() };
    // A URL the extractor does not accept as absolute only costs the link fixing.
    let url = url.filter(|u| url::Url::parse(u).is_ok_and(|p| p.has_host()));
    let parsed = crate::panic::contained(|| {
        let mut r =
            Readability::new(html, url, Some(cfg.clone())).or_else(|_| Readability::new(html, None, Some(cfg)))?;
        r.parse()
    });
    let article = match parsed {
        None => return Err(ExtractError::Panicked),
        Some(Err(dom_smoothie::ReadabilityError::TooManyElements(n, max))) => {
            return Err(ExtractError::TooComplex(format!("{n} elements, at most {max} are read")));
        }
        Some(Err(_)) => return Err(ExtractError::NothingFound),
        Some(Ok(a)) => a,
    };
    let text = sanitize::text(article.text_content.trim()).into_owned();
    if text.chars().filter(|c| c.is_alphanumeric()).count() < MIN_TEXT_CHARS {
        return Err(ExtractError::NothingFound);
    }
    let title = Some(sanitize::line(&article.title).into_owned()).filter(|t| !t.is_empty());
    Ok(Extracted { html: article.content.to_string(), text, title })
}

/// `decode` then `extract`.
pub fn extract_bytes(bytes: &[u8], url: Option<&str>) -> Result<Extracted, ExtractError> {
    extract(&decode(bytes), url)
}

#[cfg(test)]
mod tests;
