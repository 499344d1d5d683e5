//! Feeds that lie about their charset. A body that claims UTF-8 (or claims
//! nothing, which in XML means UTF-8) but is not valid UTF-8 was almost
//! always written in windows-1252; it is decoded as that, so "café" comes out
//! as "café" and not as replacement characters or a parse error. Bodies that
//! declare another charset are left to the parser, which honours it.

use encoding_rs::WINDOWS_1252;

/// The body re-encoded as UTF-8 when it needs repair; None when it is fine as is.
pub fn repair(body: &[u8]) -> Option<Vec<u8>> {
    let (bom, rest) = match body.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    if std::str::from_utf8(rest).is_ok() {
        return None;
    }
    if !bom && !claims_utf8(rest) {
        return None;
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(rest);
    tracing::debug!("body is not the UTF-8 it claims; decoded as windows-1252");
    Some(text.into_owned().into_bytes())
}

/// UTF-16 without the byte order mark XML requires for it (feed-rs panics
/// on the big-endian kind): the document in UTF-8, its declaration saying so.
pub fn utf16_without_bom(body: &[u8]) -> Option<Vec<u8>> {
    let enc = if body.starts_with(b"\0<") {
        encoding_rs::UTF_16BE
    } else if body.starts_with(b"<\0") {
        encoding_rs::UTF_16LE
    } else {
        return None;
    };
    let (text, _) = enc.decode_without_bom_handling(body);
    let mut text = text.into_owned();
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
        && let Some(at) = text[..end].find("encoding")
    {
        let value = text[at..end].find(['"', '\'']).map(|q| at + q + 1);
        let close = value.and_then(|v| text[v..end].find(['"', '\'']).map(|c| (v, v + c)));
        if let Some((v0, v1)) = close {
            text.replace_range(v0..v1, "utf-8");
        }
    }
    Some(text.into_bytes())
}

/// A whole document as text (OPML files, urls files): a BOM or the XML
/// prolog's encoding if it names one, else UTF-8, else windows-1252.
pub fn decode_document(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let declared = declared_encoding(bytes).and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    if let Some(enc) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// True when the XML prolog names UTF-8 or no encoding at all (JSON and
/// prolog-less XML count as UTF-8 too).
fn claims_utf8(body: &[u8]) -> bool {
    match declared_encoding(body) {
        None => true,
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()) == Some(encoding_rs::UTF_8),
    }
}

/// The `encoding="…"` of an `<?xml …?>` prolog at the start of the body.
fn declared_encoding(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(512)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let prolog = String::from_utf8_lossy(&head[..end]);
    let at = prolog.find("encoding")?;
    let rest = prolog[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_left_alone() {
        assert_eq!(repair("<?xml version=\"1.0\"?><rss>café</rss>".as_bytes()), None);
    }

    #[test]
    fn invalid_utf8_claiming_utf8_is_read_as_windows_1252() {
        let body = b"<?xml version='1.0' encoding='utf-8'?><t>caf\xe9 \x80</t>";
        assert_eq!(repair(body).unwrap(), "<?xml version='1.0' encoding='utf-8'?><t>café €</t>".as_bytes());
        let bare = b"<rss><t>na\xefve</t></rss>";
        assert_eq!(repair(bare).unwrap(), "<rss><t>naïve</t></rss>".as_bytes());
    }

    #[test]
    fn utf16_without_a_bom_becomes_utf8() {
        let doc = "<?xml version='1.0' encoding='utf-16'?><rss>é</rss>";
        let be: Vec<u8> = doc.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le: Vec<u8> = doc.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let want = "<?xml version='1.0' encoding='utf-8'?><rss>é</rss>".as_bytes();
        assert_eq!(utf16_without_bom(&be).unwrap(), want);
        assert_eq!(utf16_without_bom(&le).unwrap(), want);
        assert_eq!(utf16_without_bom(doc.as_bytes()), None);
    }

    #[test]
    fn other_declared_charsets_are_left_to_the_parser() {
        assert_eq!(repair(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf\xe9</t>"), None);
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\" encoding = \"koi8-r\" ?>"), Some("koi8-r".into()));
    }
}
