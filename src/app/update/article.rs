//! The article pane's own logic: which text it shows (the feed's or the
//! extracted full text), full-text fetches and their results, and following
//! numbered links.

use super::prompt;
use crate::app::msg::Effect;
use crate::app::state::{ArticleView, PromptKind, State};
use crate::article::extract::Extracted;
use crate::model::{Article, ItemId};

/// An article arrived from the store: items of `full_text` feeds open on
/// their full text, fetched now if it is not there yet.
pub fn on_loaded(state: &mut State, article: Article) -> Vec<Effect> {
    // A reload of the open article (after an undo or a tag edit, say) keeps its place.
    let same = |v: &ArticleView| {
        !v.loading
            && v.article.id == article.id
            && v.article.html == article.html
            && v.article.full_html == article.full_html
    };
    if let Some(view) = state.article.as_mut().filter(|v| same(v)) {
        view.article = article;
        return super::render_if_needed(state);
    }
    // — #10 keys — what was asked of the row's stand-in meanwhile (`f`) carries over.
    let stand_in = state.article.as_ref().filter(|v| v.loading && v.article.id == article.id);
    let (asked_full, fetching) = stand_in.map_or((false, false), |v| (v.show_full, v.fetching));
    let full_feed = state.full_text_feeds.contains(&article.feed_url);
    let mut view = ArticleView::new(article, full_feed || asked_full);
    view.fetching = fetching;
    let mut effects = Vec::new();
    if full_feed && !fetching && view.article.full_html.is_none() && view.article.full_error.is_none() {
        effects.extend(fetch(&mut view));
    }
    state.article = Some(view);
    effects.extend(super::render_if_needed(state));
    effects
}

/// Starts a fetch of the view's page, if it has one.
fn fetch(view: &mut ArticleView) -> Option<Effect> {
    let url = view.article.link.clone().filter(|l| !l.is_empty())?;
    view.fetching = true;
    Some(Effect::FetchFullText { id: view.article.id.clone(), url })
}

/// `f`: full text on (fetching it when needed, or again after a failure) or off.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.article.as_mut() else {
        state.status = Some("no article open".into());
        return vec![];
    };
    let mut effects = Vec::new();
    if view.show_full && (view.article.full_html.is_some() || view.fetching) {
        view.show_full = false;
    } else {
        view.show_full = true;
        if view.article.full_html.is_none() && !view.fetching {
            match fetch(view) {
                Some(e) => {
                    view.article.full_error = None;
                    effects.push(e);
                }
                None => {
                    view.show_full = false;
                    state.status = Some("this item has no link to fetch".into());
                    return vec![];
                }
            }
        }
    }
    view.scroll = 0;
    effects.extend(super::render_if_needed(state));
    effects
}

/// A full-text fetch finished: keep the result, and show it if its article is open.
pub fn on_full_text(state: &mut State, id: ItemId, result: Result<Extracted, String>) -> Vec<Effect> {
    let open = state.article.as_mut().filter(|v| v.article.id == id);
    let mut effects = Vec::new();
    match result {
        Ok(full) => {
            if let Some(view) = open {
                view.fetching = false;
                view.article.full_html = Some(full.html.clone());
                view.article.full_error = None;
                state.dirty = true;
            }
            effects.push(Effect::StoreFullText { id, full: Box::new(full) });
        }
        Err(error) => {
            if let Some(view) = open {
                view.fetching = false;
                view.article.full_error = Some(error.clone());
                state.dirty = true;
            }
            effects.push(Effect::RecordFullTextError { id, error });
        }
    }
    effects.extend(super::render_if_needed(state));
    effects
}

/// The prefetches a stored feed asks for.
pub fn after_stored(state: &State, url: &str) -> Option<Effect> {
    state.full_text_feeds.iter().any(|f| f == url).then(|| Effect::PrefetchFullText { feed: url.to_string() })
}

/// Opens link `n` (1-based) of the article on screen.
pub fn open_link(state: &mut State, n: usize) -> Vec<Effect> {
    let links = state.article.as_ref().and_then(|v| v.body.as_ref()).map(|b| b.body.links.as_slice()).unwrap_or(&[]);
    match links.get(n.wrapping_sub(1)) {
        Some(url) => {
            let url = url.clone();
            state.status = Some(format!("opening [{n}] {url}"));
            vec![Effect::OpenUrl(url)]
        }
        None => {
            state.status = Some(match links.len() {
                0 => "this article has no links".to_string(),
                1 => format!("no link [{n}]: this article has one link"),
                k => format!("no link [{n}]: this article has links 1–{k}"),
            });
            vec![]
        }
    }
}

/// `1`–`9` open that link; the same action on a key without a digit asks for the number.
pub fn open_link_key(state: &mut State, digit: Option<u32>) -> Vec<Effect> {
    match digit {
        Some(n) if n > 0 => open_link(state, n as usize),
        _ => ask_link_number(state),
    }
}

/// `#`: a prompt for the link number.
pub fn ask_link_number(state: &mut State) -> Vec<Effect> {
    if state.article.as_ref().and_then(|v| v.body.as_ref()).is_none_or(|b| b.body.links.is_empty()) {
        state.status = Some("this article has no links".into());
        return vec![];
    }
    prompt::open(state, PromptKind::Link, "");
    vec![]
}

/// What the link prompt's text means: a number, checked as it is typed.
pub fn on_link_prompt(state: &mut State, event: prompt::PromptEvent) -> Vec<Effect> {
    match event {
        prompt::PromptEvent::Changed(text) => {
            let error = (!text.trim().is_empty() && text.trim().parse::<usize>().is_err())
                .then(|| "type the number shown in brackets, e.g. 12".to_string());
            if let crate::app::state::Mode::Prompt(p) = &mut state.mode {
                p.error = error;
            }
            vec![]
        }
        prompt::PromptEvent::Submitted(text) => match text.trim().parse::<usize>() {
            Ok(n) => open_link(state, n),
            Err(_) if text.trim().is_empty() => vec![],
            Err(_) => {
                state.status = Some(format!("not a link number: {}", crate::article::sanitize::line(&text)));
                vec![]
            }
        },
        prompt::PromptEvent::Cancelled => vec![],
    }
}

#[cfg(test)]
mod tests;
