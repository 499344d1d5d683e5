//! The effect runner: what `update` asks for, done. Reads of the list and
//! the sidebar go to the reader thread, the selected article to the article
//! thread (once the frame is drawn), writes to the writer threads; the loop
//! itself reads only what a prompt needs (tags, feed names) and renders
//! short bodies at a new width. Without threads (tests, and the first
//! screen) everything runs here, in order.

use std::sync::Arc;

use super::msg::{Effect, Msg};
use super::render_worker::{INLINE_HTML_BYTES, Job};
use super::{App, RENDER_CACHE_ENTRIES, article_reader, reader, writer};
use crate::article::render::Body;

impl App {
    /// Runs one effect; its replies go back through `update`.
    pub(super) fn run(&mut self, effect: Effect) -> Vec<Msg> {
        if effect.runs_on_reader() {
            // — #10 keys — reading ahead (rows the list does not need yet)
            // starts once the key's frame is drawn, not beside it.
            if self.reader.is_some() && effect.reads_ahead() && self.state.window.overshoot == 0 {
                self.ahead_wanted.retain(|l| l.load_slot() != effect.load_slot());
                self.ahead_wanted.push(effect);
                return vec![];
            }
            if let Some(reader) = &self.reader {
                reader.set_order(self.state.sort); // #13: windows are read in the list's order
                reader.set_folding(&self.state.folding); // #15: and fold stories so
                reader.request(effect);
                return vec![];
            }
            self.store.set_list_order(self.state.sort);
            self.store.set_folding(self.state.folding.clone());
            let queries = self.state.saved_queries.clone();
            return reader::read_inline(&self.store, effect, &queries, &mut self.query_cache)
                .unwrap_or_else(|e| vec![failed(e)]);
        }
        let now = (self.clock)();
        if let Effect::StoreFullText { id, .. } = &effect {
            // A new extraction replaces the old one on screen too.
            self.rendered.retain(|k, _| !(&k.0 == id && k.2));
        }
        if effect.is_user_write() || effect.is_ingest() {
            let thread = if effect.is_ingest() { &self.ingest } else { &self.writer };
            return match thread {
                Some(w) => {
                    w.send(effect);
                    vec![]
                }
                None => writer::execute(&mut self.store, effect, now, &mut self.session, &self.give_up)
                    .into_iter()
                    .collect(),
            };
        }
        let result = match effect {
            Effect::LoadTags(id) => self.store.user_tags(&id).map(|tags| Some(Msg::TagsLoaded { id, tags })),
            Effect::LoadArticle(id) => {
                let read = match self.first_article.take() {
                    Some((first, read)) if first == id => read,
                    // — #10 keys — read and laid out on the article thread,
                    // asked once the frame showing the key is drawn (`frame_drawn`).
                    _ if self.articles.is_some() => {
                        self.article_wanted = Some(self.article_job(id));
                        return vec![];
                    }
                    _ => self.store.article(&id),
                };
                read.map(|a| Some(Msg::ArticleLoaded { id, article: a.map(Box::new) }))
            }
            Effect::RenderArticle { id, html, base, width, full } => Ok(self.render(id, html, base, width, full)),
            Effect::FetchFullText { id, url } => match &mut self.fulltext {
                Some(f) => {
                    f.request(&id, &url, false);
                    Ok(None)
                }
                None => Ok(Some(Msg::FullText { id, result: Err("full text cannot be fetched here".into()) })),
            },
            Effect::Refresh => {
                if let Some(p) = &self.poller {
                    p.refresh_all();
                }
                if let Some(s) = &self.sync {
                    s.sync_now();
                }
                Ok(None)
            }
            // — #13 feeds view —
            Effect::RefreshFeed(url) => {
                if let Some(p) = &self.poller {
                    p.refresh_feed(&url);
                }
                if let Some(s) = &self.sync {
                    s.sync_now();
                }
                Ok(None)
            }
            Effect::OpenUrl(url) => Ok(self.desktop.open_url(&url).err().map(Msg::Failed)),
            Effect::Copy(text) => Ok(self.desktop.copy(&text).err().map(Msg::Failed)),
            Effect::Play(url) => Ok(self.desktop.play(&url).err().map(Msg::Failed)),
            // — #13 images —
            Effect::FetchImage(want) => match &self.images {
                Some(service) => {
                    service.request(want);
                    Ok(None)
                }
                None => Ok(Some(Msg::ImageLoaded(crate::images::Loaded {
                    want,
                    result: Err("pictures cannot be fetched here".into()),
                }))),
            },
            // — #13 commands —
            Effect::RunCommand(run) => Ok(self.desktop.run_command(*run)),
            Effect::Page(text) => Ok(self.desktop.run_command(crate::commands::run::pager(text))),
            Effect::Notify(args) => {
                self.desktop.notify(args);
                Ok(None)
            }
            // — #13 cmdline —
            Effect::LoadFeedNames => self.store.feed_titles().map(|names| Some(Msg::FeedNames(names))),
            Effect::SaveHistory(lines) => {
                if let Some(path) = &self.history
                    && let Err(e) = crate::store::history::write_lines(path, &super::cmdline::to_keep(&lines))
                {
                    tracing::warn!("writing the command history {} failed: {e}", path.display());
                }
                Ok(None)
            }
            // Reads and writes are handed over above.
            _ => Ok(None),
        };
        result.unwrap_or_else(|e| Some(failed(e))).into_iter().collect()
    }

    // — #10 keys —
    /// What the article thread needs to read `id` and lay it out for the pane.
    fn article_job(&self, id: crate::model::ItemId) -> article_reader::Job {
        article_reader::Job {
            id,
            width: self.state.panes().article_width(),
            full_text_feeds: self.state.full_text_feeds.clone(),
            images: self.state.images.on(),
        }
    }

    /// Keeps a rendered body (at most `RENDER_CACHE_ENTRIES`, then only `key`'s item's).
    pub(super) fn keep_rendered(&mut self, key: (crate::model::ItemId, u16, bool), body: Arc<Body>) {
        if self.rendered.len() > RENDER_CACHE_ENTRIES {
            self.rendered.retain(|k, _| k.0 == key.0);
        }
        self.rendered.insert(key, body);
    }

    /// A body from the cache, rendered here (short ones), or handed to the worker.
    fn render(&mut self, id: String, html: String, base: Option<String>, width: u16, full: bool) -> Option<Msg> {
        if self.rendered.len() > RENDER_CACHE_ENTRIES {
            self.rendered.retain(|k, _| k.0 == id);
        }
        let key = (id.clone(), width, full);
        if let Some(body) = self.rendered.get(&key) {
            return Some(Msg::ArticleRendered { id, width, full, body: body.clone() });
        }
        // — #13 images — the lead picture above the body, when pictures are shown.
        let lead = self.state.article.as_ref().filter(|v| self.state.images.on() && v.article.id == id);
        let html = lead.and_then(|v| crate::images::lead_html(&v.article, &html)).unwrap_or(html);
        match &self.renderer {
            Some(worker) if html.len() > INLINE_HTML_BYTES => {
                if self.rendering.as_ref() != Some(&key) {
                    self.rendering = Some(key);
                    worker.render(Job { id, html, base, width, full });
                }
                None
            }
            _ => {
                let body = Arc::new(crate::article::render::render(&html, base.as_deref(), width));
                self.rendered.insert(key, body.clone());
                Some(Msg::ArticleRendered { id, width, full, body })
            }
        }
    }
}

pub(super) fn failed(e: crate::store::StoreError) -> Msg {
    tracing::error!("effect failed: {e}");
    Msg::Failed(e.to_string())
}
