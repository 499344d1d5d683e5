//! The Fever API: every call is a POST to `URL?api&COMMAND` with the form
//! field `api_key` = md5("user:password"); answers are JSON objects whose
//! `auth` is 1 when the key was accepted. Spoken by Miniflux, FreshRSS,
//! Coldsweat, yarr and Tiny Tiny RSS's plugin, with small differences in
//! types (ids as numbers or strings, flags as numbers or booleans), which
//! are all read here.

use std::collections::HashMap;

use md5::{Digest, Md5};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::Value;

use super::{Backend, ItemsPage, MAX_WITH_IDS, Mark, ServerFeed, ServerItem, SyncError};
use crate::feed::Fetcher;
use crate::feed::fetch::{classify, human_size};

const API: &str = "Fever";

pub struct Fever {
    fetcher: Fetcher,
    endpoint: url::Url,
    api_key: String,
}

/// md5 of "user:password", in lower-case hex.
pub fn api_key(user: &str, password: &str) -> String {
    Md5::digest(format!("{user}:{password}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A number, a numeric string or a boolean, as an integer.
fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// "1,2,3" (or a JSON array of ids) as ids.
fn id_list(v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::String(s) => Some(s.split(',').filter_map(|i| i.trim().parse().ok()).collect()),
        Value::Array(a) => Some(a.iter().filter_map(int).collect()),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn garbage(detail: impl Into<String>) -> SyncError {
    SyncError::Garbage { api: API, detail: detail.into() }
}

fn item(v: &Value) -> Option<ServerItem> {
    Some(ServerItem {
        id: int(&v["id"])?,
        feed_id: int(&v["feed_id"]).unwrap_or(0),
        title: text(&v["title"]).unwrap_or_default(),
        author: text(&v["author"]),
        html: text(&v["html"]),
        url: text(&v["url"]),
        is_read: int(&v["is_read"]) == Some(1),
        is_saved: int(&v["is_saved"]) == Some(1),
        created: int(&v["created_on_time"]).filter(|t| *t > 0),
    })
}

fn items_page(doc: &Value) -> Result<ItemsPage, SyncError> {
    let items = match &doc["items"] {
        Value::Array(a) => a.iter().filter_map(item).collect(),
        Value::Null => Vec::new(),
        _ => return Err(garbage("`items` is not a list")),
    };
    Ok(ItemsPage { items, total: int(&doc["total_items"]).map(|n| n.max(0) as u64) })
}

/// feed id → its groups' titles, from `groups` and `feeds_groups`.
fn feed_groups(doc: &Value) -> HashMap<i64, Vec<String>> {
    let titles: HashMap<i64, String> = doc["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| Some((int(&g["id"])?, text(&g["title"])?)))
        .collect();
    let mut by_feed: HashMap<i64, Vec<String>> = HashMap::new();
    for fg in doc["feeds_groups"].as_array().into_iter().flatten() {
        let Some(title) = int(&fg["group_id"]).and_then(|g| titles.get(&g)) else { continue };
        for feed in id_list(&fg["feed_ids"]).unwrap_or_default() {
            by_feed.entry(feed).or_default().push(title.clone());
        }
    }
    by_feed
}

impl Fever {
    pub fn new(url: &str, user: &str, password: &str, fetcher: Fetcher) -> Result<Fever, SyncError> {
        let endpoint = url::Url::parse(url).map_err(|e| SyncError::Network(format!("bad server URL: {e}")))?;
        Ok(Fever { fetcher, endpoint, api_key: api_key(user, password) })
    }

    /// POSTs `?api&{command}` with the key and `form`; the answer's JSON
    /// object, once `auth` says the key was accepted.
    async fn call(&self, command: &str, form: &[(&str, String)]) -> Result<Value, SyncError> {
        let mut url = self.endpoint.clone();
        let query = match (url.query().filter(|q| !q.is_empty()), command) {
            (Some(q), "") => format!("{q}&api"),
            (Some(q), c) => format!("{q}&api&{c}"),
            (None, "") => "api".to_string(),
            (None, c) => format!("api&{c}"),
        };
        url.set_query(Some(&query));
        let body = {
            let mut body = url::form_urlencoded::Serializer::new(String::new());
            body.append_pair("api_key", &self.api_key);
            for (k, v) in form {
                body.append_pair(k, v);
            }
            body.finish()
        };
        let request =
            self.fetcher.client().post(url).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body);
        let bytes = tokio::time::timeout(self.fetcher.timeout(), self.send(request))
            .await
            .unwrap_or(Err(SyncError::Network("timed out".into())))?;
        let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
            let start = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
            if start.contains("<html") || start.contains("<!doctype") {
                garbage("an HTML page")
            } else {
                garbage(format!("not JSON ({e})"))
            }
        })?;
        if !doc.is_object() {
            return Err(garbage("not a JSON object"));
        }
        match int(&doc["auth"]) {
            Some(1) => Ok(doc),
            Some(_) => Err(SyncError::Auth("the API key was not accepted".into())),
            None => Err(garbage("no `auth` field")),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, SyncError> {
        let mut resp = request.send().await.map_err(|e| SyncError::Network(classify(e).to_string()))?;
        let status = resp.status();
        if status.is_redirection() {
            let to = resp.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or("elsewhere");
            return Err(SyncError::Network(format!(
                "HTTP {} to {to}: set [sync] url to that address",
                status.as_u16()
            )));
        }
        if matches!(status.as_u16(), 401 | 403) {
            return Err(SyncError::Auth(format!("HTTP {}", status.as_u16())));
        }
        if !status.is_success() {
            let reason = status.canonical_reason().unwrap_or("");
            return Err(SyncError::Network(format!("HTTP {} {reason}", status.as_u16()).trim_end().to_string()));
        }
        let max = self.fetcher.max_body();
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| SyncError::Network(classify(e).to_string()))? {
            if (bytes.len() + chunk.len()) as u64 > max {
                return Err(SyncError::Network(format!("answer too large (over {})", human_size(max))));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

impl Backend for Fever {
    async fn login(&self) -> Result<(), SyncError> {
        self.call("", &[]).await.map(|_| ())
    }

    async fn feeds(&self) -> Result<Vec<ServerFeed>, SyncError> {
        // Two calls: some servers answer only the first command of a request.
        let groups = feed_groups(&self.call("groups", &[]).await?);
        let doc = self.call("feeds", &[]).await?;
        let Value::Array(feeds) = &doc["feeds"] else { return Err(garbage("`feeds` is not a list")) };
        let mut groups_of = feed_groups(&doc);
        for (feed, g) in groups {
            groups_of.entry(feed).or_insert(g);
        }
        Ok(feeds
            .iter()
            .filter_map(|f| {
                let id = int(&f["id"])?;
                Some(ServerFeed {
                    id,
                    title: text(&f["title"]).unwrap_or_default(),
                    url: text(&f["url"]).unwrap_or_default(),
                    site_url: text(&f["site_url"]),
                    groups: groups_of.get(&id).cloned().unwrap_or_default(),
                })
            })
            .collect())
    }

    async fn items_since(&self, since_id: i64) -> Result<ItemsPage, SyncError> {
        let mut page = items_page(&self.call(&format!("items&since_id={since_id}"), &[]).await?)?;
        // Oldest first, whatever order the server used.
        page.items.sort_by_key(|i| i.id);
        Ok(page)
    }

    async fn items_with_ids(&self, ids: &[i64]) -> Result<ItemsPage, SyncError> {
        let list: Vec<String> = ids.iter().take(MAX_WITH_IDS).map(i64::to_string).collect();
        items_page(&self.call(&format!("items&with_ids={}", list.join(",")), &[]).await?)
    }

    async fn unread_ids(&self) -> Result<Vec<i64>, SyncError> {
        let doc = self.call("unread_item_ids", &[]).await?;
        id_list(&doc["unread_item_ids"]).ok_or_else(|| garbage("`unread_item_ids` is not a list of ids"))
    }

    async fn saved_ids(&self) -> Result<Vec<i64>, SyncError> {
        let doc = self.call("saved_item_ids", &[]).await?;
        id_list(&doc["saved_item_ids"]).ok_or_else(|| garbage("`saved_item_ids` is not a list of ids"))
    }

    async fn mark(&self, id: i64, mark: Mark) -> Result<(), SyncError> {
        let state = match mark {
            Mark::Read => "read",
            Mark::Unread => "unread",
            Mark::Saved => "saved",
            Mark::Unsaved => "unsaved",
        };
        let form = [("mark", "item".to_string()), ("as", state.to_string()), ("id", id.to_string())];
        match self.call("", &form).await {
            Err(SyncError::Network(e)) if e.starts_with("HTTP 404") => Err(SyncError::NoSuchItem(id)),
            other => other.map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_api_key_is_md5_of_user_and_password() {
        // printf 'me@example.com:passwordpassword' | md5sum
        assert_eq!(api_key("me@example.com", "passwordpassword"), "689bb4144337dd8bef5e7d91ce326b74");
        assert_eq!(api_key("a", "b"), "d8160c9b3dc20d4e931aeb4f45262155");
    }

    #[test]
    fn servers_types_are_read_leniently() {
        let doc = json!({"items": [
            {"id": "7", "feed_id": 2, "title": "T", "html": "<p>x</p>", "url": "http://e/1", "is_read": true, "is_saved": "1", "created_on_time": 1700000000},
            {"id": 8, "feed_id": "2", "title": "", "is_read": 0, "is_saved": 0, "created_on_time": 0},
            {"title": "no id"}
        ], "total_items": "3"});
        let page = items_page(&doc).unwrap();
        assert_eq!(page.total, Some(3));
        assert_eq!(page.items.len(), 2);
        assert_eq!((page.items[0].id, page.items[0].is_read, page.items[0].is_saved), (7, true, true));
        assert_eq!((page.items[1].feed_id, page.items[1].created, page.items[1].is_read), (2, None, false));
        assert_eq!(id_list(&json!("1,2, 3,")), Some(vec![1, 2, 3]));
        assert_eq!(id_list(&json!([4, "5"])), Some(vec![4, 5]));
        assert_eq!(id_list(&json!({})), None);
        let groups = feed_groups(
            &json!({"groups": [{"id": 10, "title": "News"}], "feeds_groups": [{"group_id": 10, "feed_ids": "1,2"}]}),
        );
        assert_eq!(groups[&2], ["News"]);
    }
}
