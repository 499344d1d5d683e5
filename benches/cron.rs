//! The cron scenario, timed: `tidings fetch` (the release binary) runs in a
//! loop over 6 feeds × 3,000 items served on 127.0.0.1 while the reader —
//! the whole app with its threads, driven like the terminal loop drives it,
//! drawing on ratatui's `TestBackend` — gets 100 `s` presses (each followed
//! by `j`), one every 50 ms. Prints how many saves the database holds
//! afterwards and each key's wait for its frame (p50 / p99 / max).
//!
//!   cargo bench --bench cron

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::app::msg::Msg;
use tidings::app::state::State;
use tidings::app::{App, system_clock};
use tidings::store::Store;
use tidings::ui::theme::Theme;

const FEEDS: usize = 6;
const ITEMS: usize = 3_000;
const SAVES: usize = 100;
const EVERY: Duration = Duration::from_millis(50);
/// As in the terminal loop: at most this many messages before a frame.
const MAX_BATCH: usize = 512;

fn feed(f: usize) -> Vec<u8> {
    let items: Vec<(String, String, String, String)> = (0..ITEMS)
        .map(|i| {
            let when = chrono::DateTime::from_timestamp(1_700_000_000 - (i * FEEDS + f) as i64 * 600, 0).unwrap();
            let body = format!("<p>Story {i} of feed {f}: {}</p>", "words to index and render ".repeat(40));
            (format!("f{f}-{i}"), format!("Feed {f} story {i}"), when.to_rfc2822(), body)
        })
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> =
        items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
    common::rss(&format!("Feed {f}"), &refs).into_bytes()
}

fn run(dir: &std::path::Path, args: &[&str]) -> i32 {
    std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .map_or(-1, |s| s.code().unwrap_or(-1))
}

fn main() {
    let bodies: Vec<(String, Vec<u8>)> = (0..FEEDS).map(|f| (format!("/f{f}.xml"), feed(f))).collect();
    let server =
        common::TestServer::serve(bodies.iter().map(|(p, b)| (p.as_str(), "application/rss+xml", b.clone())).collect());
    let dir = tempfile::tempdir().expect("dir");
    let urls: Vec<String> = bodies.iter().map(|(p, _)| server.url(p)).collect();
    common::write_config(dir.path(), &urls);
    assert_eq!(run(dir.path(), &["fetch"]), 0, "first fetch");

    let stop = Arc::new(AtomicBool::new(false));
    let runs = Arc::new(AtomicUsize::new(0));
    let fetch_loop = {
        let (stop, runs, dir) = (stop.clone(), runs.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                run(&dir, &["fetch"]);
                runs.fetch_add(1, Ordering::SeqCst);
            }
        })
    };

    let cfg = tidings::config::load(&dir.path().join("config.toml")).expect("config");
    let db = dir.path().join("data/tidings.db");
    let mut app =
        App::new(State::new(&cfg, system_clock(), 0, Theme::default()), Store::open(&db).expect("open"), system_clock);
    let mut term = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    app.step(Msg::Resize(140, 40));
    app.first_screen();
    let (tx, rx) = mpsc::channel::<Msg>();
    let sink = Mutex::new(tx.clone());
    app.spawn_workers(Arc::new(move |m| {
        if let Ok(t) = sink.lock() {
            let _ = t.send(m);
        }
    }))
    .expect("workers");
    app.start_background();

    // The keys, sent like the terminal's input thread sends them.
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let keys = {
        let sent = sent.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            for _ in 0..SAVES {
                for c in ['s', 'j'] {
                    sent.lock().unwrap().push(Instant::now());
                    let _ = tx.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
                    std::thread::sleep(EVERY / 2);
                }
            }
        })
    };

    // The terminal loop: batch, step, draw; each key waits until the frame after its batch.
    let mut waits = Vec::new();
    // Of each key's wait, the part the loop spent handling its batch and drawing.
    let mut work = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(600);
    while waits.len() < SAVES * 2 || !app.state.pending.is_empty() {
        assert!(
            Instant::now() < deadline,
            "timed out: {} keys, {} writes pending",
            waits.len(),
            app.state.pending.len()
        );
        let Ok(first) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
        let mut batch = vec![first];
        batch.extend(rx.try_iter().take(MAX_BATCH - 1));
        let keys_in = batch.iter().filter(|m| matches!(m, Msg::Key(_))).count();
        let began = Instant::now();
        app.step_many(batch);
        term.draw(|f| tidings::ui::draw(f, &app.state)).expect("draw");
        app.frame_drawn();
        let now = Instant::now();
        let sent = sent.lock().unwrap();
        for at in &sent[waits.len()..waits.len() + keys_in] {
            waits.push(now - *at);
            work.push(now - began);
        }
    }
    keys.join().expect("keys");
    let fetches = runs.load(Ordering::SeqCst);
    assert!(app.finish(Duration::from_secs(60)), "writes left unsaved");
    stop.store(true, Ordering::SeqCst);
    fetch_loop.join().expect("fetch loop");

    let store = Store::open(&db).expect("open");
    let list = store.reading_list().expect("reading list");
    waits.sort();
    work.sort();
    let q = |p: f64| waits[((waits.len() as f64 * p) as usize).min(waits.len() - 1)].as_secs_f64() * 1000.0;
    let w = |p: f64| work[((work.len() as f64 * p) as usize).min(work.len() - 1)].as_secs_f64() * 1000.0;
    println!("{FEEDS} feeds × {ITEMS} items; `tidings fetch` ran {fetches} times during the keys");
    println!("saves stored: {} of {SAVES}", list.len());
    println!(
        "key to frame over {} keys: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        waits.len(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
    println!(
        "  of which the loop's own work (its batch and the frame): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        w(0.5),
        w(0.99),
        w(1.0)
    );
}
