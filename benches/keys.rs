//! Key-to-frame on a big archive, in process: the whole app with its real
//! threads (reader, writer, ingest) on the archive's database, each key
//! timed from `App::step` through the window reads it needs (when the rows
//! to show are not held yet) to a frame drawn on ratatui's `TestBackend`.
//! Keys come 33 ms apart (a held key's repeat rate); what the threads
//! answer meanwhile is handled between them, as the terminal loop would.
//! Prints p50 / p99 / max per key, the first screen, and the app's RSS; and
//! per key the loop thread's CPU time (the key, its frame and whatever it
//! led to before the next press, frames included) and when the selected
//! item's article was on screen.
//!
//!   BENCH_DB=target/archives/1m/tidings/tidings.db cargo bench --bench keys
//!
//! BENCH_WORDS=a,b,c: the filters typed (default: a common, a medium, a
//! rare word and one in no item); BENCH_FILTER_RUNS: how many times each is
//! typed (default 5); BENCH_SORT=feed|title|unread-first: the list's order
//! (default date); BENCH_KEYS_ONLY=1: the keys alone, no filters.
//!
//! Without BENCH_DB (or when it does not exist) an archive of BENCH_ITEMS
//! items (default 1,000,000: several minutes) is built at
//! target/bench-keys/tidings.db through the store, and kept for the next run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::app::msg::Msg;
use tidings::app::state::State;
use tidings::app::{App, system_clock};
use tidings::config::{Config, FeedConfig};
use tidings::model::{FetchedFeed, NewItem};
use tidings::store::Store;
use tidings::ui::theme::Theme;

/// Between presses: a held key's repeat rate (about 30 a second).
const KEY_GAP: Duration = Duration::from_millis(33);
const WIDTH: u16 = 140;
const HEIGHT: u16 = 40;
const PER_FEED: usize = 200;
/// Each filter word is typed this many times (BENCH_FILTER_RUNS replaces it).
const FILTER_RUNS: usize = 5;

fn main() {
    let path = archive();
    // BENCH_STORE_ONLY=1: only the store-level table (BENCH_PLANS=auto: only the plan as chosen).
    if std::env::var_os("BENCH_STORE_ONLY").is_some() {
        let words: Vec<String> = std::env::var("BENCH_WORDS")
            .map(|w| w.split(',').map(str::to_string).collect())
            .unwrap_or_else(|_| vec!["minister".into(), "pyongyang".into()]);
        store_level(&path, tidings::config::SortOrder::Date, &words);
        return;
    }
    let rss_before = rss_kb();
    let started = Instant::now();
    let store = Store::open(&path).expect("open");
    let shape = store.index_shape().expect("index shape");
    // BENCH_SORT: the list's order (`[ui] sort`: date, feed, title, unread-first).
    let config = match std::env::var("BENCH_SORT") {
        Ok(order) => {
            tidings::config::parse(&format!("[ui]\nsort = \"{order}\"\n"), Path::new("BENCH_SORT")).expect("sort")
        }
        Err(_) => Config::default(),
    };
    let mut app = App::new(State::new(&config, system_clock(), 0, Theme::default()), store, system_clock);
    let mut term =
        Screen { term: Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal"), cache: Default::default() };
    app.step(Msg::Resize(WIDTH, HEIGHT));
    app.first_screen();
    term.draw(&mut app);
    let first = started.elapsed();
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    app.spawn_workers(Arc::new(move |m| {
        if let Ok(t) = tx.lock() {
            let _ = t.send(m);
        }
    }))
    .expect("workers");
    app.start_background();
    // The sidebar's counts first (at a million items, before the store keeps
    // them as aggregates, they take a while), so they do not run under the keys.
    while app.state.counts.total == 0 {
        settle(&mut app, &rx, Duration::from_secs(1));
    }
    println!(
        "archive: {} (order: {:?}); full-text index: {} segments, {} leaf pages",
        path.display(),
        app.state.sort,
        shape.segments(),
        shape.pages()
    );
    println!("first screen (open, first window, first article, draw): {:.1} ms", ms(first));

    let mut rows = Vec::new();
    let mut loop_rows = Vec::new();
    let mut bench = |name: &str, keys: &[Msg], times: usize, app: &mut App| {
        let mut samples = Vec::with_capacity(times);
        let mut shown = Vec::with_capacity(times);
        let mut cpu = Vec::with_capacity(times);
        let mut key_cpu = Vec::with_capacity(times);
        let mut waited = 0;
        for i in 0..times {
            let key = keys[i % keys.len()].clone();
            let start = Instant::now();
            let cpu_before = thread_cpu();
            let (took, w, article) = key_to_frame(app, &rx, &mut term, vec![key]);
            key_cpu.push(thread_cpu() - cpu_before);
            samples.push(took);
            waited += usize::from(w);
            let article = article.then_some(took);
            shown.push(idle(app, &rx, &mut term, KEY_GAP, start, article));
            cpu.push(thread_cpu() - cpu_before);
        }
        rows.push((name.to_string(), samples, waited));
        loop_rows.push((name.to_string(), cpu, key_cpu, shown));
    };
    // BENCH_FILTERS_ONLY=1: only the filters (and the store-level table).
    if std::env::var_os("BENCH_FILTERS_ONLY").is_none() {
        bench("j", &[key(KeyCode::Char('j'))], 1_000, &mut app);
        bench("k", &[key(KeyCode::Char('k'))], 500, &mut app);
        bench("PageDown", &[key(KeyCode::PageDown)], 500, &mut app);
        bench("PageUp", &[key(KeyCode::PageUp)], 300, &mut app);
        bench("G then g", &[key(KeyCode::Char('G')), key(KeyCode::Char('g'))], 100, &mut app);
    }
    // The floor: a frame of the same state again (the list, sidebar and
    // panes drawn, ratatui's diff against the last frame), loop CPU.
    let mut same = Vec::new();
    for _ in 0..300 {
        let cpu = thread_cpu();
        term.draw(&mut app);
        same.push(thread_cpu() - cpu);
    }
    same.sort();
    println!("a frame of the same state again (loop CPU): p50 {:.3} ms, p99 {:.3} ms", ms(same[150]), ms(same[296]));
    // A word filter: `/`, the word and Enter typed at once; timed to the first
    // screen of results, and (apart) to the view's count, which comes after it.
    // Words of both vocabularies (this file's archive and `examples/feedgen.rs`'s):
    // common, medium, rare (feedgen) and in no item; BENCH_WORDS replaces them
    // (comma-separated queries).
    let words: Vec<String> = std::env::var("BENCH_WORDS")
        .map(|w| w.split(',').map(str::to_string).collect())
        .unwrap_or_else(|_| ["minister", "pyongyang", "quinvelmar", "korea"].map(String::from).to_vec());
    // BENCH_KEYS_ONLY=1: no filters (nor the store-level table).
    let keys_only = std::env::var_os("BENCH_KEYS_ONLY").is_some();
    let words = if keys_only { Vec::new() } else { words };
    let mut filter = Vec::new();
    let mut per_word = Vec::new();
    let runs = std::env::var("BENCH_FILTER_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(FILTER_RUNS);
    for word in &words {
        let mut screens = Vec::new();
        let mut counted = Vec::new();
        let mut total = None;
        for run in 0..runs {
            app.step(key(KeyCode::Char('/')));
            // Every other run with its first letter upper-case: the same
            // matches, but not the set of matches the reader kept from the
            // run before (kept by MATCH string while nothing changes).
            let word = match run % 2 {
                1 => word.chars().enumerate().map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c }).collect(),
                _ => word.clone(),
            };
            let mut typed: Vec<Msg> = word.chars().map(|c| key(KeyCode::Char(c))).collect();
            typed.push(key(KeyCode::Enter));
            let start = Instant::now();
            let (took, _, _) = key_to_frame(&mut app, &rx, &mut term, typed);
            screens.push(took);
            // The count comes after the first screen, off the loop thread.
            while app.state.window.total.is_none() && start.elapsed() < Duration::from_secs(60) {
                if let Ok(m) = rx.recv_timeout(Duration::from_millis(50)) {
                    let mut batch = vec![m];
                    batch.extend(rx.try_iter());
                    app.step_many(batch);
                }
            }
            counted.push(start.elapsed());
            total = app.state.window.total;
            app.step(key(KeyCode::Esc));
            settle(&mut app, &rx, Duration::from_secs(60));
        }
        filter.extend(screens.iter().copied());
        per_word.push((word.clone(), total, screens, counted));
    }
    let n = filter.len();
    if n > 0 {
        rows.push(("/word Enter (first screen)".into(), filter, n));
    }
    println!();
    println!("| filter | items matching | first screen p50 | p99 | max (the first, cold) | count shown after (p50) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (word, total, mut screens, mut counted) in per_word {
        screens.sort();
        counted.sort();
        let total = total.map_or("?".to_string(), |t| t.to_string());
        let p99 = screens[((screens.len() as f64 * 0.99) as usize).min(screens.len() - 1)];
        println!(
            "| `/{word}` | {total} | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} ms |",
            ms(screens[screens.len() / 2]),
            ms(p99),
            ms(screens[screens.len() - 1]),
            ms(counted[counted.len() / 2])
        );
    }
    println!();
    println!("| key | presses | waited for rows | p50 | p99 | max |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, mut samples, waited) in rows {
        samples.sort();
        let q = |p: f64| ms(samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)]);
        println!("| {name} | {} | {waited} | {:.2} ms | {:.2} ms | {:.2} ms |", samples.len(), q(0.5), q(0.99), q(1.0));
    }
    println!();
    println!(
        "| key | loop CPU to the key's frame: p50 | p99 | loop CPU per key, all: mean | p50 | p99 | article shown after: p50 | p99 | max | never |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, mut cpu, mut key_cpu, shown) in loop_rows {
        cpu.sort();
        key_cpu.sort();
        let mean = cpu.iter().sum::<Duration>() / cpu.len() as u32;
        let q = |v: &[Duration], p: f64| ms(v[((v.len() as f64 * p) as usize).min(v.len() - 1)]);
        let never = shown.iter().filter(|s| s.is_none()).count();
        let mut shown: Vec<Duration> = shown.into_iter().flatten().collect();
        shown.sort();
        let (s50, s99, smax) = if shown.is_empty() {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            (q(&shown, 0.5), q(&shown, 0.99), q(&shown, 1.0))
        };
        println!(
            "| {name} | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {s50:.2} ms | {s99:.2} ms | {smax:.2} ms | {never} |",
            q(&key_cpu, 0.5),
            q(&key_cpu, 0.99),
            ms(mean),
            q(&cpu, 0.5),
            q(&cpu, 0.99)
        );
    }
    settle(&mut app, &rx, Duration::from_secs(120));
    println!("counts: {} items, {} unread", app.state.counts.total, app.state.counts.unread);
    println!();
    println!("RSS: {} MB before opening, {} MB now", rss_before / 1024, rss_kb() / 1024);
    let order = app.state.sort;
    app.finish(Duration::from_secs(10));
    if !keys_only {
        store_level(&path, order, &words);
    }
}

/// The first window of each filter read from the store alone (no app, no
/// frame), walking the list's index (the plan before #10) and as the store
/// chooses now; median of 5, interleaved.
fn store_level(path: &Path, order: tidings::config::SortOrder, words: &[String]) {
    use tidings::model::View;
    use tidings::store::FtsPlan;
    let store = Store::open(path).expect("open");
    store.set_list_order(order);
    println!();
    println!("store only ({order:?}):");
    // BENCH_WINDOW: the window's rows (250; a typed query's first is 64).
    let n: usize = std::env::var("BENCH_WINDOW").ok().and_then(|s| s.parse().ok()).unwrap_or(250);
    println!("(first window of {n} rows; CPU time of the thread, p50 of 5, interleaved)");
    println!(
        "| filter | walk, SQLite's set | walk, bitmap set | point lookups | as chosen | last window (`G`) as chosen |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let plans: &[FtsPlan] = match std::env::var("BENCH_PLANS").as_deref() {
        Ok("auto") => &[FtsPlan::Auto],
        _ => &[FtsPlan::Walk, FtsPlan::Set, FtsPlan::Probe, FtsPlan::Auto],
    };
    let reps = if plans.len() == 1 { 1 } else { 5 };
    // Point lookups forced on a rare word would walk most of the index: at
    // most 3,000 rows looked up (about 0.15 s), then the set.
    store.set_probe_budget(Some(3_000));
    for word in words {
        let view = View::Query(word.clone());
        let mut top: Vec<Vec<Duration>> = vec![Vec::new(); plans.len()];
        let mut end = Vec::new();
        for _ in 0..reps {
            for (i, plan) in plans.iter().enumerate() {
                store.set_fts_plan(*plan);
                store.forget_match_sets();
                let t = thread_cpu();
                store.window_top(&view, n).expect("window");
                top[i].push(thread_cpu() - t);
                if *plan == FtsPlan::Auto {
                    store.forget_match_sets();
                    let t = thread_cpu();
                    store.window_bottom(&view, n).expect("window");
                    end.push(thread_cpu() - t);
                }
            }
        }
        for v in top.iter_mut().chain([&mut end]) {
            v.sort();
        }
        let p50 = |v: &[Duration]| ms(v[v.len() / 2]);
        if plans.len() == 1 {
            println!("| `{word}` | | | | {:.2} ms | {:.2} ms |", p50(&top[0]), p50(&end));
            continue;
        }
        println!(
            "| `{word}` | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |",
            p50(&top[0]),
            p50(&top[1]),
            p50(&top[2]),
            p50(&top[3]),
            p50(&end)
        );
    }
    println!("reads whose point lookups gave way to the set: {}", store.probes_abandoned());
}

/// One key (or a typed burst): `step`, then whatever window reads it waits
/// for, then a frame. The time a user waits to see the key's effect,
/// whether it had to wait for rows, and whether that frame showed the
/// selected item's article.
fn key_to_frame(app: &mut App, rx: &mpsc::Receiver<Msg>, term: &mut Screen, keys: Vec<Msg>) -> (Duration, bool, bool) {
    let start = Instant::now();
    app.step_many(keys);
    let waited = waiting(app);
    // Rows not held yet (a jump, or moves past the window): wait for them.
    while waiting(app) {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(m) => {
                let mut batch = vec![m];
                batch.extend(rx.try_iter());
                app.step_many(batch);
            }
            Err(_) => panic!("no answer from the reader"),
        }
    }
    term.draw(app);
    let took = start.elapsed();
    // Whatever else arrives (growth asked ahead, counts, the article) is
    // handled outside the timing, by `idle` (or the caller).
    (took, waited, article_shown(app))
}

/// The terminal, and what its frames keep for the next ones (as the terminal loop does).
struct Screen {
    term: Terminal<TestBackend>,
    cache: tidings::ui::Cache,
}

impl Screen {
    fn draw(&mut self, app: &mut App) {
        self.term.draw(|f| tidings::ui::draw_with(f, &app.state, &mut self.cache)).expect("draw");
        app.state.dirty = false;
        app.frame_drawn();
    }
}

/// The time between two presses: the loop handles what the threads send
/// meanwhile and draws when something changed, as the terminal loop does.
/// Returns when the selected item's article was first on screen, counted
/// from `start` (the press), if it was by the end of the gap; `shown`: it
/// was already in the key's own frame.
fn idle(
    app: &mut App,
    rx: &mpsc::Receiver<Msg>,
    term: &mut Screen,
    gap: Duration,
    start: Instant,
    mut shown: Option<Duration>,
) -> Option<Duration> {
    let until = Instant::now() + gap;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if let Ok(m) = rx.recv_timeout(left) {
            let mut batch = vec![m];
            batch.extend(rx.try_iter());
            app.step_many(batch);
            if app.state.dirty {
                term.draw(app);
                if shown.is_none() && article_shown(app) {
                    shown = Some(start.elapsed());
                }
            } else {
                app.frame_drawn();
            }
        }
    }
    shown
}

/// The article pane shows the selected item's article with its body.
fn article_shown(app: &App) -> bool {
    let s = &app.state;
    match (s.selected_item(), &s.article) {
        (Some(row), Some(view)) => view.article.id == row.id && view.body.is_some(),
        (None, _) => true,
        _ => false,
    }
}

/// CPU time the calling thread (the loop) has used: load does not change it
/// much, unlike the wall time of a key on a busy machine.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer to a timespec on the stack.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn waiting(app: &App) -> bool {
    let w = &app.state.window;
    w.want.is_some() || w.overshoot != 0 || !app.state.loaded
}

/// Handles everything the threads send until they have been quiet for a while.
fn settle(app: &mut App, rx: &mpsc::Receiver<Msg>, limit: Duration) {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        match rx.recv_timeout(Duration::from_millis(300)) {
            Ok(m) => {
                let mut batch = vec![m];
                batch.extend(rx.try_iter());
                app.step_many(batch);
            }
            Err(_) if !waiting(app) => return,
            Err(_) => {}
        }
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// The archive to open: BENCH_DB, else one built here (and kept).
fn archive() -> PathBuf {
    if let Some(p) = std::env::var_os("BENCH_DB").map(PathBuf::from).filter(|p| p.exists()) {
        return p;
    }
    let items: usize = std::env::var("BENCH_ITEMS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let path = PathBuf::from(format!("target/bench-keys/{items}.db"));
    if !path.exists() {
        build(&path, items);
    }
    path
}

/// Words for generated titles and bodies (the filter words are among them).
const WORDS: &[&str] = &[
    "pyongyang",
    "sanctions",
    "budget",
    "ceasefire",
    "kinshasa",
    "pension",
    "drought",
    "satellite",
    "minister",
    "election",
    "budget",
    "strike",
    "energy",
    "border",
    "talks",
    "city",
    "council",
    "bank",
    "trade",
    "school",
    "hospital",
    "railway",
    "festival",
    "museum",
    "bridge",
    "port",
    "farmers",
    "weather",
    "science",
    "football",
];

fn build(path: &Path, items: usize) {
    eprintln!("building an archive of {items} items at {} (once)…", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("dir");
    }
    let tmp = path.with_extension("building");
    let _ = std::fs::remove_file(&tmp);
    let mut store = Store::open(&tmp).expect("open");
    let feeds: Vec<FeedConfig> =
        (0..items.div_ceil(PER_FEED)).map(|f| FeedConfig::new(format!("https://feed{f}.example/rss"))).collect();
    store.sync_feeds(&feeds).expect("sync");
    let mut rng = fastrand::Rng::with_seed(7);
    let year = 365 * 86_400;
    let started = Instant::now();
    for (f, feed) in feeds.iter().enumerate() {
        let n = PER_FEED.min(items - f * PER_FEED);
        let items = (0..n)
            .map(|i| {
                let paragraphs = rng.usize(3..9);
                let mut words =
                    |k: usize| (0..k).map(|_| WORDS[rng.usize(..WORDS.len())]).collect::<Vec<_>>().join(" ");
                let title = words(7);
                let body = (0..paragraphs).map(|_| format!("<p>{}.</p>", words(30))).collect::<String>();
                NewItem {
                    key: format!("item-{i}"),
                    title,
                    link: Some(format!("https://feed{f}.example/{i}")),
                    published: Some(1_700_000_000 - rng.i64(0..year)),
                    content: Some(body),
                    ..Default::default()
                }
            })
            .collect();
        let fetched =
            FetchedFeed { url: feed.url.clone(), title: Some(format!("Feed {f}")), items, ..Default::default() };
        store.store_fetched(&fetched, 1_700_000_000).expect("store");
        if f % 500 == 0 {
            eprintln!("  {} items, {:.0} s", f * PER_FEED, started.elapsed().as_secs_f64());
        }
    }
    drop(store);
    std::fs::rename(&tmp, path).expect("rename");
    let _ = std::fs::rename(tmp.with_extension("building-wal"), path.with_extension("db-wal"));
}
