//! What a refresh's storing costs into an empty database and into a big one,
//! without the network: parses a folder of feed files once (untimed), then,
//! alternating, copies BASE_DB (or starts an empty database) and stores
//! every feed the way `tidings fetch` does (one bulk run, the checkpoint
//! thread beside it, the story index preloaded and saved), RUNS times each.
//! Prints the median wall time and the storing thread's CPU of each part.
//!
//!   cargo run --release --example refresh_store -- FEED_DIR BASE_DB [RUNS]
//!
//! BASE_DB's copy (and its `.stories` file) goes to a temporary folder beside
//! it: the copy of a 1M archive takes 5 GB and a few seconds, untimed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tidings::config::FeedConfig;
use tidings::model::FetchedFeed;
use tidings::store::Store;
use tidings::stories::StoriesConfig;

#[path = "../benches/support/cpu_time.rs"]
mod cpu_time;
use cpu_time::cpu_time;

/// Wall and CPU of each part of one run, in ms.
#[derive(Default, Clone, Copy)]
struct Parts {
    store_wall: f64,
    store_cpu: f64,
    save_wall: f64,
    end_wall: f64,
    total_wall: f64,
    total_cpu: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(db: &Path, feeds: &[FetchedFeed], configs: &[FeedConfig], now: i64) -> Parts {
    let mut store = Store::open(db).expect("open");
    store.set_stories(StoriesConfig::default());
    store.preload_stories();
    store.tune_for_ingest().expect("tune");
    store.sync_feeds(configs).expect("sync");
    let (wall0, cpu0) = (Instant::now(), cpu_time());
    let checkpointer = store.checkpoint_beside().expect("checkpointer");
    let mut ingest = store.ingest_bulk();
    for feed in feeds {
        ingest.fetched(feed, now).expect("store");
    }
    ingest.flush().expect("flush");
    drop(ingest);
    let (wall1, cpu1) = (Instant::now(), cpu_time());
    if let Some(c) = &checkpointer {
        c.copy_now();
    }
    store.save_stories_soon();
    let wall2 = Instant::now();
    if let Some(c) = checkpointer {
        store.finish_checkpoints(c).expect("checkpoints");
    }
    drop(store);
    let (wall3, cpu3) = (Instant::now(), cpu_time());
    Parts {
        store_wall: ms(wall1 - wall0),
        store_cpu: ms(cpu1 - cpu0),
        save_wall: ms(wall2 - wall1),
        end_wall: ms(wall3 - wall2),
        total_wall: ms(wall3 - wall0),
        total_cpu: ms(cpu3 - cpu0),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn report(label: &str, runs: &[Parts]) {
    let m = |f: fn(&Parts) -> f64| median(runs.iter().map(f).collect());
    println!(
        "{label:>6}: total {:6.1} ms wall {:6.1} ms CPU (main thread) | storing {:6.1} wall {:6.1} CPU | story save {:5.1} | checkpoints + close {:5.1}",
        m(|p| p.total_wall),
        m(|p| p.total_cpu),
        m(|p| p.store_wall),
        m(|p| p.store_cpu),
        m(|p| p.save_wall),
        m(|p| p.end_wall),
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("a folder of feed files"));
    let base = PathBuf::from(args.next().expect("a tidings.db to copy"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    tidings::stories::sign_while_parsing(true);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut feeds = Vec::new();
    let mut configs = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let url = format!("http://127.0.0.1:37965/dir/{name}");
        let Ok(feed) = tidings::feed::parse::parse(&url, &std::fs::read(path).unwrap()) else { continue };
        configs.push(toml::from_str::<FeedConfig>(&format!("url = {url:?}")).unwrap());
        feeds.push(feed);
    }
    let items: usize = feeds.iter().map(|f| f.items.len()).sum();
    println!("{} feeds, {items} items", feeds.len());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let work = tempfile::tempdir_in(base.parent().unwrap()).unwrap();
    let db = work.path().join("tidings.db");
    let (mut empty, mut big) = (Vec::new(), Vec::new());
    for i in 0..runs {
        for into_big in [false, true] {
            // ONLY=empty or ONLY=big: one kind of run (a profile of it).
            if std::env::var("ONLY").is_ok_and(|o| o != if into_big { "big" } else { "empty" }) {
                continue;
            }
            for f in std::fs::read_dir(work.path()).unwrap() {
                std::fs::remove_file(f.unwrap().path()).unwrap();
            }
            if into_big {
                std::fs::copy(&base, &db).unwrap();
                let stories = PathBuf::from(format!("{}.stories", base.display()));
                if stories.exists() {
                    std::fs::copy(&stories, format!("{}.stories", db.display())).unwrap();
                }
            }
            // SAFETY: sync takes no arguments.
            unsafe { libc::sync() };
            std::thread::sleep(Duration::from_millis(500));
            let parts = run(&db, &feeds, &configs, now);
            eprintln!(
                "run {i} {}: {:.1} ms wall, {:.1} ms CPU",
                if into_big { "big" } else { "empty" },
                parts.total_wall,
                parts.total_cpu
            );
            if into_big { big.push(parts) } else { empty.push(parts) }
        }
    }
    report("empty", &empty);
    report("big", &big);
    let ratio =
        |f: fn(&Parts) -> f64| median(big.iter().map(f).collect()) / median(empty.iter().map(f).collect()).max(1e-9);
    println!("big / empty: {:.2} wall, {:.2} CPU", ratio(|p| p.total_wall), ratio(|p| p.total_cpu));
}
