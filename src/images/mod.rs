//! Pictures in the article pane (`[ui] images`): the body keeps a fixed-height
//! block of rows for each picture (`layout`), the pictures are fetched,
//! cached (`cache`), decoded and encoded for the terminal (`decode`) in the
//! background (`service`), and drawn over their blocks once ready. Until then,
//! and for good when anything fails, the `[image: alt]` placeholder shows.

use std::collections::HashMap;
use std::sync::Arc;

pub mod cache;
pub mod decode;
pub mod layout;
pub mod service;

pub use crate::config::ui::ImagesMode;

/// Rows a picture's block takes in the article (its placeholder line included).
pub const IMAGE_ROWS: u16 = 12;

/// Pictures per article given a block (the rest keep their placeholder).
pub const MAX_PER_ARTICLE: usize = 24;

/// Encoded pictures kept in memory beyond the current article's.
const MAX_SLOTS: usize = 48;

/// A picture encoded for the terminal at one size, ready to draw.
#[derive(Clone)]
pub struct Picture(pub Arc<ratatui_image::protocol::Protocol>);

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.0.size();
        write!(f, "Picture({}x{})", size.width, size.height)
    }
}

impl PartialEq for Picture {
    fn eq(&self, other: &Picture) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// One picture at one size: what is fetched and encoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Want {
    pub url: String,
    /// The size (in cells) the picture is fitted into.
    pub cols: u16,
    pub rows: u16,
}

/// Where a picture is.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    Loading,
    Ready(Picture),
    /// Why not (the placeholder stays).
    Failed(String),
}

/// A picture fetched and encoded, or why not (sent by the service).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub want: Want,
    pub result: Result<Picture, String>,
}

/// The state's pictures: the mode, and every picture asked for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Images {
    pub mode: ImagesMode,
    pub slots: HashMap<Want, Slot>,
}

impl Images {
    pub fn new(mode: ImagesMode) -> Images {
        Images { mode, slots: HashMap::new() }
    }

    pub fn on(&self) -> bool {
        self.mode != ImagesMode::Off
    }

    pub fn failed(&self, want: &Want) -> bool {
        matches!(self.slots.get(want), Some(Slot::Failed(_)))
    }

    /// Forgets pictures beyond the cap, keeping those `keep` says.
    pub fn trim(&mut self, keep: impl Fn(&Want) -> bool) {
        if self.slots.len() > MAX_SLOTS {
            // Failures are kept too: they are small, and are not asked for again.
            self.slots.retain(|w, s| keep(w) || matches!(s, Slot::Failed(_)));
        }
        if self.slots.len() > MAX_SLOTS * 4 {
            self.slots.retain(|w, _| keep(w));
        }
    }
}

/// The article's lead picture (an image enclosure, such as Media RSS
/// `media:content medium="image"`), as HTML to put above the body, when the
/// body does not show it already.
pub fn lead_html(article: &crate::model::Article, html: &str) -> Option<String> {
    let lead = article.enclosures.iter().find(|e| is_image(e))?;
    if html.contains(lead.url.as_str()) {
        return None;
    }
    let url = crate::url_policy::check(&lead.url, crate::url_policy::Origin::Network).ok()?;
    let escaped = url.as_str().replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Some(format!("<p><img src=\"{escaped}\" alt=\"\"></p>\n{html}"))
}

fn is_image(e: &crate::model::Enclosure) -> bool {
    match e.mime.as_deref() {
        Some(m) => m.starts_with("image/"),
        None => {
            let path = e.url.split(['?', '#']).next().unwrap_or(&e.url).to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".gif", ".webp"].iter().any(|ext| path.ends_with(ext))
        }
    }
}

#[cfg(test)]
mod tests;
