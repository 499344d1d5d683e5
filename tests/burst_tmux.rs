//! A burst of input in a real terminal: 5,000 `j` at once (5 KB, more than
//! crossterm reads per wake-up) must all be handled — the screen ends on row
//! 5,000 of a longer list, without waiting for another key — and the `q`
//! that follows must quit at once.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{self, article_title};
use tidings::model::NewItem;

const ITEMS: usize = 5_500;
const BURST: usize = 5_000;

#[test]
fn a_5_kb_burst_of_j_lands_on_the_right_row_and_q_quits_at_once() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let items = (0..ITEMS)
        .map(|i| NewItem {
            key: i.to_string(),
            title: format!("Story {i:05}"),
            published: Some(1_700_000_000 - i as i64 * 60),
            ..Default::default()
        })
        .collect();
    let (config, data) = tmux::unserved_archive(dir.path(), items);
    let t = tmux::start_reader(env!("CARGO_BIN_EXE_tidings"), "burst", &config, &data);
    t.wait_text("Story 00001");
    t.send(&["-l", &"j".repeat(BURST)]);
    // The article pane shows the selected item: row 5,000.
    let target = format!("Story {BURST:05}");
    let screen = t.wait_for("the burst to land", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.contains("│ Story") && l.contains(&target) && !l.contains("Story 0499"))
            && article_title(s) == target
    });
    assert_eq!(article_title(&screen), target, "{screen}");
    let asked = Instant::now();
    t.send(&["q"]);
    t.wait_exit();
    assert!(asked.elapsed() < Duration::from_secs(2), "q took {:?}", asked.elapsed());
}
