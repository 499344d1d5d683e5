//! Writes that fail, and writes on the writer thread: the screen never keeps
//! a change the store does not hold, and nothing is dropped while another
//! connection holds the write lock.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::config::{Config, FeedConfig};
use crate::feed::PollEvent;
use crate::model::{FetchedFeed, NewItem, View};
use crate::ui::theme::Theme;

const A: &str = "https://a.example/rss";

fn clock() -> Timestamp {
    2_000_000
}

fn fetched(n: usize) -> Box<FetchedFeed> {
    Box::new(FetchedFeed {
        url: A.into(),
        title: Some("Feed A".into()),
        items: (0..n)
            .map(|i| NewItem {
                key: format!("k{i}"),
                title: format!("Item {i}"),
                published: Some(1_000_000 + i as i64),
                content: Some(format!("<p>Body {i}</p>")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

fn app_on(mut store: Store) -> App {
    let cfg = Config { feeds: vec![FeedConfig::new(A)], ..Config::default() };
    store.sync_feeds(&cfg.feeds).unwrap();
    let mut app = App::new(State::new(&cfg, clock(), 0, Theme::default()), store, clock);
    app.step(Msg::Resize(140, 40));
    app.start();
    app
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_save_that_fails_goes_back_off_the_screen_and_says_so() {
    let mut app = app_on(Store::open_in_memory().unwrap());
    app.step(Msg::Poll(PollEvent::Fetched(fetched(3))));
    assert_eq!(app.state.items.len(), 3);
    app.store.simulate_write_failure().unwrap();
    app.step(key('s'));
    let row = &app.state.items[0];
    assert!(!row.saved, "the ★ is gone again: the store does not hold it");
    let status = app.state.status.clone().unwrap_or_default();
    assert!(status.starts_with("not saved: saving “Item 2” to the reading list ("), "{status}");
    assert!(status.contains("read-only"), "the reason in words: {status}");
    assert_eq!(app.state.counts.saved, 0);
    assert!(app.state.pending.is_empty());
    // Marking read fails the same way; the row is unread again.
    app.step(key('r'));
    assert!(!app.state.items[0].read);
    assert!(app.state.status.as_deref().unwrap_or_default().starts_with("not saved: marking “Item 2” read"));
}

#[test]
fn a_reload_while_a_write_waits_keeps_the_change_on_screen() {
    let mut s = State::new(&Config::default(), 0, 0, Theme::default());
    update(&mut s, Msg::Resize(140, 40));
    let row = |id: &str| crate::model::ItemRow {
        id: id.into(),
        title: id.into(),
        feed: "F".into(),
        date: None,
        read: false,
        saved: false,
        link: None,
        key: Default::default(),
        ..Default::default()
    };
    update(&mut s, Msg::whole_view(View::All, vec![row("a"), row("b")]));
    let fx = update(&mut s, key('s'));
    assert_eq!(fx, vec![msg::Effect::SetSaved { id: "a".into(), saved: true }]);
    // Another process wrote: the list reloads before the save is stored.
    update(&mut s, Msg::whole_view(View::All, vec![row("a"), row("b")]));
    assert!(s.items[0].saved, "the pending save is laid over the reloaded row");
    update(&mut s, Msg::Written { write: Box::new(fx[0].clone()), result: Ok(None) });
    assert!(s.pending.is_empty());
    assert!(s.items[0].saved);
}

/// Sends everything the app's threads answer into a channel the test pumps.
fn threaded(path: &std::path::Path) -> (App, mpsc::Receiver<Msg>) {
    let mut app = app_on(Store::open(path).unwrap());
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    app.spawn_workers(Arc::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    }))
    .unwrap();
    (app, rx)
}

/// Feeds the app what its threads answer until `done` holds (or 20 s pass).
fn pump(app: &mut App, rx: &mpsc::Receiver<Msg>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(app) {
        assert!(Instant::now() < deadline, "timed out; status {:?}", app.state.status);
        if let Ok(m) = rx.recv_timeout(Duration::from_millis(50)) {
            let mut batch = vec![m];
            batch.extend(rx.try_iter());
            app.step_many(batch);
        }
        app.frame_drawn();
    }
}

/// A database at `path` holding 30 items of feed A, and the threaded app on
/// it once its list shows them.
fn threaded_on_30_items(path: &std::path::Path) -> (App, mpsc::Receiver<Msg>) {
    let mut setup = Store::open(path).unwrap();
    setup.sync_feeds(&[FeedConfig::new(A)]).unwrap();
    setup.store_fetched(&fetched(30), 1).unwrap();
    drop(setup);
    let (mut app, rx) = threaded(path);
    pump(&mut app, &rx, |a| a.state.items.len() == 30);
    (app, rx)
}

#[test]
fn saves_wait_for_a_lock_held_elsewhere_and_none_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let (mut app, rx) = threaded_on_30_items(&path);
    // Another connection takes the write lock and keeps it for a while.
    let blocker = crate::store::LockHolder::take(&path);
    let started = Instant::now();
    for _ in 0..30 {
        app.step(key('s'));
        app.step(key('j'));
    }
    assert!(started.elapsed() < Duration::from_millis(500), "keys never wait for the lock");
    assert!(app.state.items.iter().all(|r| r.saved), "every ★ is on screen at once");
    std::thread::sleep(Duration::from_millis(300));
    blocker.release();
    pump(&mut app, &rx, |a| a.state.pending.is_empty() && a.state.counts.saved == 30);
    assert!(app.state.status.as_deref().is_none_or(|s| !s.contains("not saved")));
    assert!(app.finish(Duration::from_secs(5)));
    let store = Store::open(&path).unwrap();
    assert_eq!(store.reading_list().unwrap().len(), 30);
}

// — #10 search —
#[test]
fn the_ingest_thread_merges_the_search_index_once_the_user_is_idle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut setup = Store::open(&path).unwrap();
    setup.sync_feeds(&[FeedConfig::new(A)]).unwrap();
    // A commit a segment: more than one on the index's first level.
    for n in 1..=3 {
        setup.store_fetched(&fetched(10 * n), 1).unwrap();
    }
    let shape = setup.index_shape().unwrap();
    assert!(shape.unmerged(), "{shape:?}");
    let mut app = app_on(Store::open(&path).unwrap());
    app.merge_when_idle();
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    app.spawn_workers(Arc::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    }))
    .unwrap();
    // While keys come, nothing is merged.
    let busy_until = Instant::now() + idle_merge::QUIET + Duration::from_millis(800);
    while Instant::now() < busy_until {
        app.step(key('j'));
        std::thread::sleep(Duration::from_millis(150));
        let _: Vec<Msg> = rx.try_iter().collect();
    }
    assert_eq!(setup.index_shape().unwrap(), shape, "not while the user is at the keys");
    // Then, once idle, it is.
    let deadline = Instant::now() + Duration::from_secs(20);
    while setup.index_shape().unwrap().unmerged() {
        assert!(Instant::now() < deadline, "merged once idle");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(app.finish(Duration::from_secs(5)));
    assert_eq!(setup.window_top(&View::Query("item".into()), 100).unwrap().rows.len(), 30);
}

// — #10 keys —
#[test]
fn a_held_key_shows_the_rows_at_once_and_the_last_ones_article_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let (mut app, rx) = threaded_on_30_items(&path);
    for _ in 0..12 {
        app.step(key('j'));
        app.frame_drawn();
        // The frame after a key shows the row it moved to, its article still being read.
        let view = app.state.article.as_ref().expect("the pane shows the row");
        assert_eq!(Some(&view.article.id), app.state.selected_item().map(|r| &r.id));
        assert_eq!(view.article.title, app.state.selected_item().unwrap().title);
    }
    assert!(app.state.article.as_ref().unwrap().loading);
    // Then the article thread answers with the article and its body, laid out for the pane.
    let shown = |a: &App| a.state.article.as_ref().is_some_and(|v| !v.loading && v.body.is_some());
    pump(&mut app, &rx, shown);
    let view = app.state.article.as_ref().unwrap();
    assert_eq!(view.article.title, "Item 17");
    assert_eq!(view.body.as_ref().unwrap().width, app.state.panes().article_width());
    let text: String =
        view.body.as_ref().unwrap().lines().iter().flat_map(|l| l.spans.iter()).map(|s| s.content.as_ref()).collect();
    assert!(text.contains("Body 17"), "{text}");
    assert!(app.finish(Duration::from_secs(5)));
}

// — #10 keys —
/// The threaded app on 600 items of feed A, its first window (250 rows) on screen.
fn threaded_on_600_items(path: &std::path::Path) -> (App, mpsc::Receiver<Msg>) {
    let mut setup = Store::open(path).unwrap();
    setup.sync_feeds(&[FeedConfig::new(A)]).unwrap();
    setup.store_fetched(&fetched(600), 1).unwrap();
    drop(setup);
    let (mut app, rx) = threaded(path);
    pump(&mut app, &rx, |a| a.state.loaded && a.state.items.len() == 250); // the first window (`FETCH_ROWS`)
    (app, rx)
}

/// Handles what the threads send for `wait`, without drawing a frame.
fn answers_without_a_frame(app: &mut App, rx: &mpsc::Receiver<Msg>, wait: Duration) {
    let until = Instant::now() + wait;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if let Ok(m) = rx.recv_timeout(left) {
            let mut batch = vec![m];
            batch.extend(rx.try_iter());
            app.step_many(batch);
        }
    }
}

#[test]
fn rows_ahead_are_read_once_the_frame_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, rx) = threaded_on_600_items(&dir.path().join("t.db"));
    let held = app.state.items.len();
    // Down to where the list asks for more rows: asked, but held back for the frame.
    while !app.state.window.growing_down {
        app.step(key('j'));
    }
    assert_eq!(app.ahead_wanted.len(), 1, "{:?}", app.ahead_wanted);
    answers_without_a_frame(&mut app, &rx, Duration::from_millis(300));
    assert_eq!(app.state.items.len(), held, "nothing read ahead before the frame");
    app.frame_drawn();
    assert!(app.ahead_wanted.is_empty());
    pump(&mut app, &rx, |a| a.state.items.len() > held && !a.state.window.growing_down);
}

#[test]
fn rows_held_back_for_the_frame_are_read_at_once_when_the_list_needs_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, rx) = threaded_on_600_items(&dir.path().join("t.db"));
    let held = app.state.items.len();
    // Past the rows held without a frame between the keys (a burst): the
    // selection waits for rows, so they are asked for at once.
    app.step_many((0..held + 20).map(|_| key('j')).collect());
    assert!(app.state.window.overshoot != 0 || app.state.items.len() > held);
    assert!(app.ahead_wanted.is_empty(), "sent without a frame: {:?}", app.ahead_wanted);
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.state.window.overshoot != 0 {
        assert!(Instant::now() < deadline, "the rows never came");
        answers_without_a_frame(&mut app, &rx, Duration::from_millis(50));
    }
    assert_eq!(app.state.list.sel, held + 20);
}

#[test]
fn a_writer_that_gave_its_cache_back_writes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let (mut app, rx) = threaded_on_30_items(&path);
    app.step(key('s'));
    pump(&mut app, &rx, |a| a.state.pending.is_empty());
    // Past `GIVE_BACK_AFTER` without work: the writer's connection gave its pages back.
    std::thread::sleep(super::writer::GIVE_BACK_AFTER + Duration::from_millis(300));
    app.step(key('j'));
    app.step(key('s'));
    pump(&mut app, &rx, |a| a.state.pending.is_empty());
    let saved = Store::open(&path).unwrap().window_top(&View::Saved, 10).unwrap().rows.len();
    assert_eq!(saved, 2);
}
