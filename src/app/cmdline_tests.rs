use super::*;

#[test]
fn actions_by_name_and_bulk_changes_over_a_query() {
    assert_eq!(parse("quit"), Ok(Command::Action(Action::Quit)));
    assert_eq!(parse(" q "), Ok(Command::Action(Action::Quit)));
    assert_eq!(parse("mark-all-read"), Ok(Command::Action(Action::MarkAllRead)));
    assert_eq!(parse("save"), Ok(Command::Action(Action::Save)), "without a query: the item's own action");
    let bulk = |verb, q: &str| Ok(Command::Bulk(Bulk { verb, query: q.into() }));
    assert_eq!(parse("read feed:BBC since:2d"), bulk(BulkVerb::Read, "feed:BBC since:2d"));
    assert_eq!(parse("save tag:x"), bulk(BulkVerb::Save, "tag:x"));
    assert_eq!(parse("dismiss -tag:x"), bulk(BulkVerb::Dismiss, "-tag:x"));
    let tag = BulkVerb::Tag { add: vec!["later".into()], remove: vec!["news".into()] };
    assert_eq!(parse("tag +later -news unread -tag:x"), bulk(tag, "unread -tag:x"));
}

#[test]
fn mistakes_are_said() {
    assert!(parse("frobnicate").unwrap_err().contains("unknown command"));
    assert!(parse("quit now").unwrap_err().contains("takes no arguments"));
    assert!(parse("read").unwrap_err().contains("needs a query"));
    assert!(parse("tag unread").unwrap_err().contains("+TAG"));
    assert!(parse("tag +x").unwrap_err().contains("needs a query"));
    assert!(parse("read (tag:x").unwrap_err().starts_with("invalid query at column"));
}

#[test]
fn completion_offers_commands_tags_feeds_and_query_words() {
    let tags = vec!["news".to_string(), "nature".to_string()];
    let feeds = vec!["BBC News".to_string(), "Blog".to_string()];
    assert_eq!(candidates("", "redr", &tags, &feeds), ["redraw"]);
    assert_eq!(candidates("", "ref", &tags, &feeds), ["refresh", "refresh_feed"]);
    assert!(candidates("", "un", &tags, &feeds).contains(&"unread".to_string()));
    assert_eq!(candidates("read ", "tag:n", &tags, &feeds), ["tag:nature", "tag:news"]);
    assert_eq!(candidates("read ", "feed:bb", &tags, &feeds), ["feed:\"BBC News\""]);
    assert_eq!(candidates("read ", "-feed:Bl", &tags, &feeds), ["-feed:Blog"]);
    assert_eq!(candidates("read ", "feed:news", &tags, &feeds), ["feed:\"BBC News\""], "part of the title");
    assert!(candidates("read ", "sin", &tags, &feeds).contains(&"since:".to_string()));
    assert!(candidates("read ", "since:", &tags, &feeds).contains(&"since:7d".to_string()));
    assert_eq!(candidates("tag ", "+na", &tags, &feeds), ["+nature"]);
    assert_eq!(common_prefix(&["tag:nature".into(), "tag:news".into()]), "tag:n");
    assert_eq!(word_start("read feed:\"BBC N", 16), 5, "a quoted phrase is one word");
}

#[test]
fn history_is_bounded_deduplicated_and_clean() {
    let mut h = Vec::new();
    for i in 0..HISTORY_MAX + 5 {
        remember(&mut h, &format!("read feed:{i}"));
    }
    assert_eq!(h.len(), HISTORY_MAX);
    remember(&mut h, "read feed:10");
    assert_eq!(h.last().unwrap(), "read feed:10");
    assert_eq!(h.iter().filter(|l| *l == "read feed:10").count(), 1);
    remember(&mut h, "quit\x1b[2J\nnow");
    assert!(!h.last().unwrap().chars().any(char::is_control));
    let n = h.len();
    remember(&mut h, "   ");
    assert_eq!(h.len(), n);
}
