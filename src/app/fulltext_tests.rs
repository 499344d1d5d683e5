//! The app with a fake full-text service: requests are recorded, results are
//! fed back as messages — all synchronous.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::app::render_worker::RenderWorker;
use crate::article::extract::Extracted;
use crate::config::{Config, FeedConfig};
use crate::feed::PollEvent;
use crate::model::{FetchedFeed, NewItem};
use crate::ui::theme::Theme;

const FEED: &str = "https://full.example/rss";

/// (item, url, prefetch) for every request.
type Requests = Rc<RefCell<Vec<(String, String, bool)>>>;

struct Fake(Requests);

impl FullTextFetch for Fake {
    fn request(&mut self, id: &str, url: &str, prefetch: bool) {
        self.0.borrow_mut().push((id.to_string(), url.to_string(), prefetch));
    }
}

fn clock() -> Timestamp {
    2_000_000
}

fn app(full_text: bool) -> (App, Requests) {
    let cfg = Config { feeds: vec![FeedConfig { full_text, ..FeedConfig::new(FEED) }], ..Config::default() };
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&cfg.feeds).unwrap();
    let requests = Requests::default();
    let state = State::new(&cfg, clock(), 0, Theme::default());
    let mut app = App::new(state, store, clock).with_full_text(Box::new(Fake(requests.clone())));
    app.step(Msg::Resize(140, 40));
    app.start();
    (app, requests)
}

fn feed(n: usize) -> Box<FetchedFeed> {
    Box::new(FetchedFeed {
        url: FEED.into(),
        title: Some("Full".into()),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("g{i}"),
                title: format!("Item {i}"),
                link: Some(format!("https://full.example/story/{i}")),
                published: Some(1_000_000 + i as i64),
                summary: Some(format!("<p>Summary {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn extracted(i: usize) -> Extracted {
    Extracted {
        html: format!("<p>The whole story {i}, with <a href=\"/more\">more</a>.</p>"),
        text: format!("The whole story {i}"),
        title: None,
    }
}

fn shown(app: &App) -> String {
    let body = app.state.article.as_ref().and_then(|v| v.body.as_ref()).expect("rendered");
    body.lines().iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn full_text_feeds_prefetch_and_open_on_the_full_text() {
    let (mut app, requests) = app(true);
    app.step(Msg::Poll(PollEvent::Fetched(feed(3))));
    let reqs = requests.borrow().clone();
    // The open (newest) item is asked for at once; all three are queued for prefetch, newest first.
    let id2 = crate::store::stable_id(FEED, "g2");
    assert!(reqs.contains(&(id2.clone(), "https://full.example/story/2".into(), false)), "{reqs:?}");
    let prefetched: Vec<&str> = reqs.iter().filter(|r| r.2).map(|r| r.1.as_str()).collect();
    assert_eq!(
        prefetched,
        ["https://full.example/story/2", "https://full.example/story/1", "https://full.example/story/0"]
    );
    assert!(shown(&app).contains("Summary 2"), "the summary while fetching");

    app.step(Msg::FullText { id: id2.clone(), result: Ok(extracted(2)) });
    let text = shown(&app);
    assert!(text.contains("The whole story 2, with more[1]."), "{text}");
    assert!(text.contains("[1] https://full.example/more"), "links resolve against the item: {text}");
    assert_eq!(app.store.article(&id2).unwrap().unwrap().full_html, Some(extracted(2).html));

    // Answered items are not prefetched again; a failed one is remembered, not retried.
    let id1 = crate::store::stable_id(FEED, "g1");
    app.step(Msg::FullText { id: id1, result: Err("HTTP 500".into()) });
    requests.borrow_mut().clear();
    app.step(Msg::Poll(PollEvent::Fetched(feed(3))));
    let again: Vec<String> = requests.borrow().iter().filter(|r| r.2).map(|r| r.1.clone()).collect();
    assert_eq!(again, ["https://full.example/story/0"]);
}

#[test]
fn f_on_a_plain_feed_fetches_then_toggles() {
    let (mut app, requests) = app(false);
    app.step(Msg::Poll(PollEvent::Fetched(feed(1))));
    assert!(requests.borrow().is_empty(), "no prefetch for plain feeds");
    let id = crate::store::stable_id(FEED, "g0");
    app.step(Msg::Action(action::Action::ToggleFullText));
    assert_eq!(*requests.borrow(), [(id.clone(), "https://full.example/story/0".to_string(), false)]);
    app.step(Msg::FullText { id, result: Ok(extracted(0)) });
    assert!(shown(&app).contains("The whole story 0"));
    app.step(Msg::Action(action::Action::ToggleFullText));
    assert!(shown(&app).contains("Summary 0"));
    // The stored text survives leaving the item and coming back.
    app.step(Msg::Action(action::Action::ToggleFullText));
    assert!(shown(&app).contains("The whole story 0"));
    assert_eq!(requests.borrow().len(), 1);
}

#[test]
fn numbered_links_open_through_the_desktop() {
    let (mut app, _) = app(false);
    app.step(Msg::Poll(PollEvent::Fetched(feed(1))));
    let id = crate::store::stable_id(FEED, "g0");
    app.step(Msg::Action(action::Action::ToggleFullText));
    app.step(Msg::FullText { id, result: Ok(extracted(0)) });
    let key = ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Char('1'),
        ratatui::crossterm::event::KeyModifiers::NONE,
    );
    app.step(Msg::Key(key));
    assert_eq!(app.state.status.as_deref(), Some("opening [1] https://full.example/more"));
}

#[test]
fn without_the_service_a_fetch_fails_visibly() {
    let cfg = Config::default();
    let mut store = Store::open_in_memory().unwrap();
    store.sync_feeds(&[FeedConfig::new(FEED)]).unwrap();
    let mut app = App::new(State::new(&cfg, clock(), 0, Theme::default()), store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    app.step(Msg::Poll(PollEvent::Fetched(feed(1))));
    app.step(Msg::Action(action::Action::ToggleFullText));
    let view = app.state.article.as_ref().unwrap();
    assert!(view.article.full_error.is_some() && !view.fetching);
}

#[test]
fn big_bodies_render_on_the_worker_and_are_cached() {
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let tx = std::sync::Mutex::new(tx);
    let worker = RenderWorker::spawn(Arc::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    }))
    .unwrap();
    let (app, _) = app(false);
    let mut app = app.with_render_worker(worker);
    let mut f = feed(2);
    let long: String = (0..5000).map(|i| format!("<p>Paragraph {i}.</p>")).collect();
    f.items[1].summary = Some(long);
    app.step(Msg::Poll(PollEvent::Fetched(f)));
    // The newest item (the long one) is being rendered elsewhere; the pane waits.
    assert_eq!(app.state.article.as_ref().unwrap().article.title, "Item 1");
    assert!(app.state.article.as_ref().unwrap().body.is_none());
    let done = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the worker answers");
    app.step(done);
    assert!(shown(&app).contains("Paragraph 4999."));
    // Away (a short item renders in place) and back: from the cache, at once.
    app.step(Msg::Action(action::Action::Down));
    assert!(shown(&app).contains("Summary 0"));
    app.step(Msg::Action(action::Action::Up));
    assert!(shown(&app).contains("Paragraph 4999."));
    assert!(rx.try_recv().is_err(), "nothing rendered twice");
}
