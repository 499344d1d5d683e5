//! Repairs of JSON Feeds: raw control characters in strings, a missing or
//! odd `version`, `tags` as one comma-separated string, and fields of the
//! wrong type (a number for an id, a string for an author), so that
//! feed-rs's strict reader takes the document.

use serde_json::{Map, Value};

use super::{Kind, Tally};

const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// String fields of a feed and of an item (feed-rs wants strings or nothing there).
const FEED_STRINGS: &[&str] = &["home_page_url", "feed_url", "language", "description", "icon", "favicon"];
const ITEM_STRINGS: &[&str] = &[
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
];

/// The two commonest slips fixed on the bytes, without building the
/// document: the version URL written with http:, and `"tags"` given as one
/// comma-separated string. The cheap first try.
pub(super) fn quick(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 64);
    let (mut copied, mut tags, mut version) = (0, 0, 0);
    if let Some(at) = memchr::memmem::find(body, b"\"http://jsonfeed.org/version/") {
        out.extend_from_slice(&body[..at + 1]);
        out.extend_from_slice(b"https");
        copied = at + 5;
        version = 1;
    }
    // `"tags"` as a key (followed by `:`), then a string value: split it.
    for at in memchr::memmem::find_iter(body, b"\"tags\"") {
        if at < copied {
            continue;
        }
        let after = &body[at + 6..];
        let colon = after.iter().position(|b| !b.is_ascii_whitespace());
        let Some(c) = colon.filter(|&c| after[c] == b':') else { continue };
        let value_at = after[c + 1..].iter().position(|b| !b.is_ascii_whitespace()).map(|v| at + 6 + c + 1 + v);
        let Some(v) = value_at.filter(|&v| body[v] == b'"') else { continue };
        let Some(end) = string_end(body, v) else { continue };
        out.extend_from_slice(&body[copied..v]);
        out.push(b'[');
        let pieces = body[v + 1..end].split(|&b| b == b',').map(|p| p.trim_ascii()).filter(|p| !p.is_empty());
        for (i, piece) in pieces.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(piece);
            out.push(b'"');
        }
        out.push(b']');
        copied = end + 1;
        tags += 1;
    }
    if tags + version == 0 {
        return None;
    }
    out.extend_from_slice(&body[copied..]);
    tally.add(Kind::JsonVersion, version);
    tally.add(Kind::JsonTags, tags);
    Some(out)
}

/// The closing quote of the JSON string that opens at `start`.
fn string_end(body: &[u8], start: usize) -> Option<usize> {
    let mut escaped = false;
    for (i, &b) in body.iter().enumerate().skip(start + 1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// Every repair a JSON Feed may need, on the parsed document.
pub(super) fn repair(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let mut local = Tally::default();
    let escaped = escape_controls(body, &mut local);
    let mut doc: Value = serde_json::from_slice(escaped.as_deref().unwrap_or(body)).ok()?;
    let feed = doc.as_object_mut()?;
    match feed.get("version").and_then(Value::as_str) {
        Some(v) if v.starts_with("https://jsonfeed.org/version/1") => {}
        Some(v) if v.contains("jsonfeed.org/version/1") => {
            let fixed = v.replacen("http://", "https://", 1);
            feed.insert("version".into(), Value::String(fixed));
            local.add(Kind::JsonVersion, 1);
        }
        _ => {
            feed.insert("version".into(), Value::String(VERSION.into()));
            local.add(Kind::JsonVersion, 1);
        }
    }
    if !feed.get("title").is_some_and(Value::is_string) {
        let title = feed.get("title").map(as_text).unwrap_or_default();
        feed.insert("title".into(), Value::String(title));
        local.add(Kind::JsonField, 1);
    }
    strings(feed, FEED_STRINGS, &mut local);
    authors(feed, &mut local);
    match feed.get_mut("items") {
        Some(Value::Array(items)) => {
            let before = items.len();
            items.retain(Value::is_object);
            local.add(Kind::JsonField, before - items.len());
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                fix_item(item, &mut local);
            }
        }
        Some(Value::Null) | None => {
            feed.insert("items".into(), Value::Array(Vec::new()));
        }
        Some(_) => {
            feed.insert("items".into(), Value::Array(Vec::new()));
            local.add(Kind::JsonField, 1);
        }
    }
    if local == Tally::default() {
        return None;
    }
    tally.merge(local);
    serde_json::to_vec(&doc).ok()
}

fn fix_item(item: &mut Map<String, Value>, tally: &mut Tally) {
    strings(item, ITEM_STRINGS, tally);
    authors(item, tally);
    match item.get("tags") {
        Some(Value::String(s)) => {
            let tags = s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| Value::String(t.into())).collect();
            item.insert("tags".into(), Value::Array(tags));
            tally.add(Kind::JsonTags, 1);
        }
        Some(Value::Array(tags)) if !tags.iter().all(Value::is_string) => {
            let tags = tags.iter().filter(|t| !t.is_null()).map(|t| Value::String(as_text(t))).collect();
            item.insert("tags".into(), Value::Array(tags));
            tally.add(Kind::JsonField, 1);
        }
        Some(Value::Array(_) | Value::Null) | None => {}
        Some(_) => {
            item.remove("tags");
            tally.add(Kind::JsonField, 1);
        }
    }
    if let Some(value) = item.get_mut("attachments") {
        let Value::Array(list) = value else {
            item.remove("attachments");
            tally.add(Kind::JsonField, 1);
            return;
        };
        let before = list.len();
        list.retain(|a| a.get("url").is_some_and(Value::is_string));
        let mut fixed = before - list.len();
        for a in list.iter_mut().filter_map(Value::as_object_mut) {
            if !a.get("mime_type").is_some_and(Value::is_string) {
                a.insert("mime_type".into(), Value::String("application/octet-stream".into()));
                fixed += 1;
            }
            if let Some(v) = a.get("title").filter(|v| !v.is_string() && !v.is_null()) {
                let t = as_text(v);
                a.insert("title".into(), Value::String(t));
                fixed += 1;
            }
            match a.get("size_in_bytes") {
                Some(Value::Number(n)) if n.is_u64() => {}
                Some(Value::Null) | None => {}
                Some(v) => {
                    let size = as_text(v).trim().parse::<u64>().ok();
                    a.insert("size_in_bytes".into(), size.map_or(Value::Null, Value::from));
                    fixed += 1;
                }
            }
        }
        tally.add(Kind::JsonField, fixed);
    }
}

/// Numbers and booleans where strings belong become strings; objects and
/// lists there are dropped.
fn strings(obj: &mut Map<String, Value>, keys: &[&str], tally: &mut Tally) {
    for key in keys {
        match obj.get(*key) {
            Some(Value::String(_) | Value::Null) | None => {}
            Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                let s = as_text(v);
                obj.insert((*key).into(), Value::String(s));
                tally.add(Kind::JsonField, 1);
            }
            Some(_) => {
                obj.remove(*key);
                tally.add(Kind::JsonField, 1);
            }
        }
    }
}

/// `author` / `authors` as objects with a string name and url.
fn authors(obj: &mut Map<String, Value>, tally: &mut Tally) {
    let fix = |v: &Value, tally: &mut Tally| -> Option<Value> {
        match v {
            Value::Object(a) => {
                let mut a = a.clone();
                strings(&mut a, &["name", "url", "avatar"], tally);
                Some(Value::Object(a))
            }
            Value::String(name) => {
                tally.add(Kind::JsonField, 1);
                Some(serde_json::json!({ "name": name }))
            }
            _ => {
                tally.add(Kind::JsonField, 1);
                None
            }
        }
    };
    if let Some(v) = obj.get("author").filter(|v| !v.is_null()).cloned() {
        match fix(&v, tally) {
            Some(a) => obj.insert("author".into(), a),
            None => obj.remove("author"),
        };
    }
    match obj.get("authors").cloned() {
        Some(Value::Array(list)) => {
            let fixed: Vec<Value> = list.iter().filter_map(|a| fix(a, tally)).collect();
            obj.insert("authors".into(), Value::Array(fixed));
        }
        Some(Value::Null) | None => {}
        Some(other) => {
            let fixed: Vec<Value> = fix(&other, tally).into_iter().collect();
            obj.insert("authors".into(), Value::Array(fixed));
        }
    }
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Raw control characters inside strings (invalid JSON) escaped; None when there are none.
fn escape_controls(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let (mut in_string, mut escaped, mut n) = (false, false, 0);
    for &b in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            } else if b < 0x20 {
                out.extend_from_slice(format!("\\u{:04x}", b).as_bytes());
                n += 1;
                continue;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            n += 1;
            continue;
        }
        out.push(b);
    }
    tally.add(Kind::ControlChar, n);
    (n > 0).then_some(out)
}
