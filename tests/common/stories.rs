//! The labelled story fixtures (`tests/fixtures/stories/labelled.toml`) and the
//! pairwise evaluation of a grouping over them. Shared by `tests/stories_eval.rs`
//! and `examples/stories_eval.rs` (included with `#[path]`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use tidings::stories::StoryItem;

#[derive(Deserialize)]
struct File {
    base: i64,
    item: Vec<RawItem>,
    languages: HashMap<String, String>,
}

#[derive(Deserialize)]
struct RawItem {
    id: String,
    feed: String,
    hours: f64,
    title: String,
    summary: String,
    story: Option<String>,
}

/// One labelled item.
pub struct Labelled {
    pub item: StoryItem,
    /// The event it reports, or None when no other item reports it.
    pub story: Option<String>,
    /// Its outlet's language.
    pub lang: String,
}

/// The fixture items (`labelled.toml`, the set the tuning was chosen on), in the file's order.
pub fn load() -> Vec<Labelled> {
    load_file("labelled.toml")
}

/// The hold-out items (`holdout.toml`, written after the tuning was frozen and never tuned on).
pub fn load_holdout() -> Vec<Labelled> {
    load_file("holdout.toml")
}

/// Items of one file of `tests/fixtures/stories/`, in the file's order.
pub fn load_file(name: &str) -> Vec<Labelled> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories").join(name);
    let text = std::fs::read_to_string(&path).expect("read the story fixtures");
    let file: File = toml::from_str(&text).expect("parse the story fixtures");
    file.item
        .into_iter()
        .map(|r| Labelled {
            lang: file.languages.get(&r.feed).cloned().unwrap_or_else(|| panic!("no language for {}", r.feed)),
            item: StoryItem {
                id: r.id,
                feed: r.feed,
                title: r.title,
                summary: r.summary,
                published: file.base + (r.hours * 3600.0).round() as i64,
            },
            story: r.story,
        })
        .collect()
}

/// The items sorted as a reader receives them: by published date, then id.
pub fn in_arrival_order(items: &[Labelled]) -> Vec<&Labelled> {
    let mut v: Vec<&Labelled> = items.iter().collect();
    v.sort_by(|a, b| a.item.published.cmp(&b.item.published).then_with(|| a.item.id.cmp(&b.item.id)));
    v
}

/// Pairwise scores of a grouping against the labels.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    /// Pairs grouped together that share a label.
    pub true_pos: usize,
    /// Pairs grouped together that do not.
    pub false_pos: usize,
    /// Labelled pairs (all).
    pub labelled: usize,
    /// Labelled pairs whose two outlets write in the same language.
    pub labelled_same_lang: usize,
    /// Of those, the pairs grouped together.
    pub found_same_lang: usize,
}

impl Scores {
    pub fn precision(&self) -> f64 {
        let grouped = self.true_pos + self.false_pos;
        if grouped == 0 { 1.0 } else { self.true_pos as f64 / grouped as f64 }
    }
    /// Recall over every labelled pair, cross-language ones included.
    pub fn recall(&self) -> f64 {
        self.true_pos as f64 / self.labelled.max(1) as f64
    }
    /// Recall over the pairs written in one language.
    pub fn recall_same_lang(&self) -> f64 {
        self.found_same_lang as f64 / self.labelled_same_lang.max(1) as f64
    }
}

/// Scores a grouping: `assigned[i]` is the story the grouper gave `items[i]`.
pub fn score(items: &[Labelled], assigned: &[String]) -> Scores {
    let mut s = Scores::default();
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            let same_label = matches!((&items[i].story, &items[j].story), (Some(a), Some(b)) if a == b);
            let grouped = assigned[i] == assigned[j];
            let same_lang = items[i].lang == items[j].lang;
            if same_label {
                s.labelled += 1;
                if same_lang {
                    s.labelled_same_lang += 1;
                    if grouped {
                        s.found_same_lang += 1;
                    }
                }
            }
            match (grouped, same_label) {
                (true, true) => s.true_pos += 1,
                (true, false) => s.false_pos += 1,
                _ => {}
            }
        }
    }
    s
}

/// The pairs a grouping got wrong, for printing: (kind, id, id, titles).
pub fn mistakes(items: &[Labelled], assigned: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            let same_label = matches!((&items[i].story, &items[j].story), (Some(a), Some(b)) if a == b);
            let grouped = assigned[i] == assigned[j];
            if grouped != same_label {
                let kind = if grouped { "wrongly grouped" } else { "missed" };
                let cross = if items[i].lang != items[j].lang { " (cross-language)" } else { "" };
                out.push(format!(
                    "{kind}{cross}: {} / {}\n    {}\n    {}",
                    items[i].item.id, items[j].item.id, items[i].item.title, items[j].item.title
                ));
            }
        }
    }
    out
}

/// Groups the items with a fresh grouper, in arrival order; returns the story
/// of each item in the fixture's order.
pub fn group(items: &[Labelled], tuning: tidings::stories::Tuning) -> Vec<String> {
    let mut grouper = tidings::stories::Grouper::new(tuning);
    let mut by_id = HashMap::new();
    for l in in_arrival_order(items) {
        let story = grouper.assign(&l.item);
        by_id.insert(l.item.id.clone(), story.as_str().to_string());
    }
    items.iter().map(|l| by_id[&l.item.id].clone()).collect()
}
