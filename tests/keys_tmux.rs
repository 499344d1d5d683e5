//! Holding `j` in a real terminal (#10 keys): the list moves on every press
//! while the article of each row passed is read off the loop thread, and the
//! article of the row it stops on appears — body and all — once keys stop.

mod common;

use std::time::Duration;

use common::tmux::{self, article_title};
use tidings::model::NewItem;

const ITEMS: usize = 300;
const PRESSES: usize = 40;

#[test]
fn holding_j_ends_on_the_right_row_with_its_article() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let items = (0..ITEMS)
        .map(|i| NewItem {
            key: i.to_string(),
            title: format!("Story {i:03}"),
            content: Some(format!("<p>The body of story {i:03} says so.</p>")),
            published: Some(1_700_000_000 - i as i64 * 60),
            ..Default::default()
        })
        .collect();
    let (config, data) = tmux::unserved_archive(dir.path(), items);
    let t = tmux::start_reader(env!("CARGO_BIN_EXE_tidings"), "keys", &config, &data);
    t.wait_text("The body of story 000 says so.");
    // A held key: one press every 20 ms.
    for _ in 0..PRESSES {
        t.send(&["j"]);
        std::thread::sleep(Duration::from_millis(20));
    }
    let body = format!("The body of story {PRESSES:03} says so.");
    let screen = t.wait_for("the last row's article", Duration::from_secs(20), |s| s.contains(&body));
    assert_eq!(article_title(&screen), format!("Story {PRESSES:03}"), "{screen}");
    t.send(&["q"]);
    t.wait_exit();
}
