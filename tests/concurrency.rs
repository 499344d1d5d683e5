//! The reader and `tidings fetch` at once: the cron scenario. Another process
//! (the real binary, in a loop) stores thousands of items over and over
//! while the reader — the whole app with its real threads — saves and marks
//! items. Every save and every mark must be in the database afterwards.

mod common;

#[path = "common/bin.rs"]
mod bin;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::app::msg::Msg;
use tidings::app::state::State;
use tidings::app::{App, system_clock};
use tidings::model::View;
use tidings::store::Store;
use tidings::ui::theme::Theme;

const FEEDS: usize = 6;
const ITEMS: usize = 500;
const SAVES: usize = 100;

/// Feed `f` with `ITEMS` items, dated an hour apart.
fn feed(f: usize) -> String {
    let items: Vec<(String, String, String, String)> = (0..ITEMS)
        .map(|i| {
            let when = chrono::DateTime::from_timestamp(1_700_000_000 - (i * FEEDS + f) as i64 * 3600, 0).unwrap();
            (
                format!("f{f}-{i}"),
                format!("Feed {f} story {i}"),
                when.to_rfc2822(),
                format!("<p>Body of story {i} in feed {f}, with a few words to index.</p>"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> =
        items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
    common::rss(&format!("Feed {f}"), &refs)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Hands the app everything its threads have answered so far.
fn drain(app: &mut App, rx: &mpsc::Receiver<Msg>) {
    let batch: Vec<Msg> = rx.try_iter().collect();
    if !batch.is_empty() {
        app.step_many(batch);
    }
}

#[test]
fn every_save_and_mark_lands_while_fetch_runs_in_a_loop() {
    let bodies: Vec<Vec<u8>> = (0..FEEDS).map(|f| feed(f).into_bytes()).collect();
    let routes: Vec<(String, Vec<u8>)> =
        bodies.into_iter().enumerate().map(|(f, b)| (format!("/f{f}.xml"), b)).collect();
    let server =
        common::TestServer::serve(routes.iter().map(|(p, b)| (p.as_str(), "application/rss+xml", b.clone())).collect());
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = routes.iter().map(|(p, _)| server.url(p)).collect();
    common::write_config(dir.path(), &urls);
    let (code, _, err) = bin::tidings(dir.path(), &["fetch"]);
    assert_eq!(code, 0, "{err}");

    // The fetch loop: another process storing 6,000 items again and again.
    let stop = Arc::new(AtomicBool::new(false));
    let runs = Arc::new(AtomicUsize::new(0));
    let fetcher = {
        let (stop, runs, dir) = (stop.clone(), runs.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let (code, _, err) = bin::tidings(&dir, &["fetch"]);
                assert_eq!(code, 0, "{err}");
                runs.fetch_add(1, Ordering::SeqCst);
            }
        })
    };

    // The reader, with its writer, ingest and reader threads.
    let cfg = tidings::config::load(&dir.path().join("config.toml")).unwrap();
    let store = Store::open(&dir.path().join("data/tidings.db")).unwrap();
    let mut app = App::new(State::new(&cfg, system_clock(), 0, Theme::default()), store, system_clock);
    app.step(Msg::Resize(140, 40));
    app.first_screen();
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    app.spawn_workers(Arc::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    }))
    .unwrap();
    app.start_background();

    // Wait until a fetch is under way, then save 100 items and mark every
    // other one read (`r` then `r` again on each tenth: unread), moving down.
    while runs.load(Ordering::SeqCst) == 0 && app.state.items.len() < SAVES * 2 {
        drain(&mut app, &rx);
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut saved = Vec::new();
    let mut read = Vec::new();
    for i in 0..SAVES {
        drain(&mut app, &rx);
        let row = app.state.selected_item().expect("a row").clone();
        app.step(key('s'));
        saved.push(row.id.clone());
        if i % 2 == 0 && !row.read {
            app.step(key('r'));
            read.push(row.id.clone());
        }
        app.step(key('j'));
        std::thread::sleep(Duration::from_millis(5));
    }
    // Every answer in, the fetch loop still running.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !app.state.pending.is_empty() {
        assert!(Instant::now() < deadline, "writes still pending: {}", app.state.pending.len());
        drain(&mut app, &rx);
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(app.finish(Duration::from_secs(30)));
    stop.store(true, Ordering::SeqCst);
    fetcher.join().unwrap();
    assert!(runs.load(Ordering::SeqCst) >= 1, "fetch ran while the reader wrote");
    let status = app.state.status.clone().unwrap_or_default();
    assert!(!status.contains("not saved"), "{status}");

    let store = Store::open(&dir.path().join("data/tidings.db")).unwrap();
    let list: Vec<String> = store.reading_list().unwrap().into_iter().map(|e| e.id).collect();
    let missing: Vec<&String> = saved.iter().filter(|id| !list.contains(id)).collect();
    assert!(missing.is_empty(), "{} of {SAVES} saves lost: {missing:?}", missing.len());
    assert_eq!(list.len(), SAVES);
    let unread: Vec<String> = store.list_rows(&View::Unread, None).unwrap().into_iter().map(|r| r.id).collect();
    let lost_marks: Vec<&String> = read.iter().filter(|id| unread.contains(id)).collect();
    assert!(lost_marks.is_empty(), "{} marks lost", lost_marks.len());
}
