use super::*;

fn p(text: &str) -> Result<Config, ConfigError> {
    parse(text, Path::new("/cfg/config.toml"))
}

#[test]
fn embedded_default_parses_to_the_rust_defaults() {
    let cfg = p(DEFAULT_CONFIG).unwrap();
    let d = Config::default();
    assert_eq!(cfg.poller, d.poller);
    assert_eq!(cfg.ui, d.ui);
    assert_eq!(cfg.store, d.store);
    assert_eq!(cfg.feeds, default_feeds());
    assert!(d.feeds.is_empty());
    assert!(cfg.feeds.len() >= 6);
    assert_eq!(cfg.feeds[0].url, "https://www.themoscowtimes.com/rss/news");
    assert_eq!(cfg.feeds[0].tags, ["news", "russia"]);
}

#[test]
fn empty_config_takes_defaults() {
    let cfg = p("").unwrap();
    assert_eq!(cfg, Config::default());
}

#[test]
fn a_config_without_feeds_has_no_feeds() {
    assert!(p("").unwrap().feeds.is_empty());
    assert!(p("[keys]\nsave = [\"S\"]\n").unwrap().feeds.is_empty(), "not the default news feeds");
}

#[test]
fn durations_and_sizes() {
    let cfg = p("[poller]\ninterval = \"5s\"\ntimeout = \"1m\"\nmax_body = \"2MiB\"\n").unwrap();
    assert_eq!(cfg.poller.interval, Duration::from_secs(5));
    assert_eq!(cfg.poller.timeout, Duration::from_secs(60));
    assert_eq!(cfg.poller.max_body, 2 << 20);
    assert_eq!(cfg.poller.concurrency, 8, "unset fields keep their default");
}

fn err(text: &str) -> String {
    p(text).unwrap_err().to_string()
}

#[test]
fn bad_duration_names_line_and_key() {
    let e = err("# comment\n[poller]\ninterval = \"5x\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `poller.interval`: invalid duration \"5x\""), "{e}");
}

#[test]
fn unknown_key_names_line_and_key() {
    let e = err("[ui]\nlayout = \"auto\"\ncolour = 3\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `ui.colour`: unknown field"), "{e}");
}

#[test]
fn unknown_section_is_named() {
    let e = err("[ui]\n\n[polller]\ninterval = \"5s\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `polller`"), "{e}");
}

#[test]
fn wrong_type_in_feed() {
    let e = err("[[feed]]\nurl = \"https://a.example/rss\"\ntags = \"news\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `feed.tags`: invalid type"), "{e}");
}

#[test]
fn bad_url_and_duplicates() {
    let e = err("[[feed]]\nurl = \"not a url\"\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `feed.url`"), "{e}");
    let e = err("[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n");
    assert!(e.contains("listed twice"), "{e}");
}

#[test]
fn key_clash_names_both_actions_and_line() {
    let e = err("[keys]\nrefresh = [\"R\"]\nquit = [\"j\"]\nsave = [\"j\"]\n");
    assert_eq!(e, "/cfg/config.toml:3: key `keys.quit`: key \"j\" is bound to both `save` and `quit`");
}

#[test]
fn a_user_key_moves_off_its_default_action() {
    let cfg = p("[keys]\nnext_unread = [\"Space\", \"n\"]\n").unwrap();
    assert_eq!(cfg.keymap.label(Action::NextUnread), "Space/n");
    assert_eq!(cfg.keymap.label(Action::PageOrNextUnread), "");
}

#[test]
fn quit_and_help_cannot_be_unbound() {
    let e = err("[ui]\nmouse = true\n\n[keys]\nsave = [\"S\"]\nquit = []\n");
    assert_eq!(e, "/cfg/config.toml:6: key `keys.quit`: `quit` must keep at least one key");
    let e = err("[keys]\nfilter = [\"?\"]\n");
    assert!(e.starts_with("/cfg/config.toml:1: key `keys.help`: `help` must keep at least one key"), "{e}");
    let e = err("[keys]\ncopy_link = [\"Ctrl-c\"]\n");
    assert_eq!(e, "/cfg/config.toml:2: key `keys.copy_link`: Ctrl-c always quits; it cannot be bound to `copy_link`");
}

#[test]
fn unknown_action_is_refused() {
    let e = err("[keys]\nfly = [\"f\"]\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `keys.fly`"), "{e}");
}

#[test]
fn saved_queries_are_read_and_checked() {
    let cfg = p("[[query]]\nname = \"Putin\"\nquery = \"putin unread\"\n").unwrap();
    assert_eq!(cfg.queries, [SavedQuery { name: "Putin".into(), query: "putin unread".into() }]);
    let e = err("[ui]\nmouse = true\n\n[[query]]\nname = \"Broken\"\nquery = \"(tag:x\"\n");
    assert_eq!(
        e,
        "/cfg/config.toml:6: key `query.query`: invalid query at column 7: expected `)` to close the `(` at column 1"
    );
    let e = err("[[query]]\nname = \"A\"\nquery = \"a\"\n[[query]]\nname = \"A\"\nquery = \"b\"\n");
    assert!(e.contains("\"A\" is listed twice"), "{e}");
    let e = err("[[query]]\nname = \"A\"\n");
    assert!(e.contains("missing field `query`"), "{e}");
}

// — #15 stories —
#[test]
fn the_stories_table_is_read_and_checked_with_its_line() {
    let cfg = p("").unwrap();
    assert_eq!(cfg.stories.config(), crate::stories::StoriesConfig::default());
    let cfg = p("[stories]\nenabled = false\nprefer = [\"Meduza\"]\ncount = \"items\"\nwindow = \"24h\"\n").unwrap();
    let c = cfg.stories.config();
    assert!(!c.enabled);
    assert_eq!((c.prefer, c.count, c.window_hours), (vec!["Meduza".to_string()], crate::stories::Count::Items, 24));
    let e = err("[ui]\nmouse = true\n\n[stories]\ncount = \"rows\"\n");
    assert!(e.starts_with("/cfg/config.toml:5: key `stories.count`: unknown variant `rows`"), "{e}");
    let e = err("[stories]\nenabled = true\nwindow = \"10m\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `stories.window`: must be between"), "{e}");
    let e = err("[stories]\nprefer = [\"\"]\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `stories.prefer`"), "{e}");
    let e = err("[stories]\ngroup = true\n");
    assert!(e.contains("stories.group") || e.contains("group"), "{e}");
}

#[test]
fn mute_rules_are_read_and_checked_with_their_line() {
    let cfg = p("[[mute]]\nquery = \"title:horoscope\"\n").unwrap();
    assert_eq!(cfg.mute_queries(), ["title:horoscope"]);
    let e = err("[ui]\nmouse = true\n\n[[mute]]\nquery = \"title:\"\n");
    assert!(e.starts_with("/cfg/config.toml:5: key `mute.query`: invalid query at column"), "{e}");
    let e = err("[[mute]]\nquery = \" \"\n");
    assert!(e.contains("mute.query") && e.contains("must not be empty"), "{e}");
    let e = err("[[mute]]\nquerry = \"x\"\n");
    assert!(e.contains("unknown field `querry`"), "{e}");
}

#[test]
fn ui_values_are_checked_at_load_time() {
    let cfg =
        p("[ui]\ntheme = \"light\"\nlist_width = \"45%\"\nsidebar_width = 30\n[ui.colors]\naccent = \"magenta\"\n")
            .unwrap();
    assert_eq!(cfg.ui.theme, ThemeName::Light);
    assert_eq!(cfg.ui.list_width, Width::Percent(45));
    assert_eq!(cfg.ui.sidebar_width, Width::Columns(30));
    assert_eq!(cfg.ui.colors[&Role::Accent].fg, Some(ratatui::style::Color::Magenta));
    let e = err("[ui]\nmouse = true\ndate_format = \"%Q %\"\n");
    assert!(e.starts_with("/cfg/config.toml:3: key `ui.date_format`: invalid date format \"%Q %\""), "{e}");
    let e = err("[ui]\ntheme = \"neon\"\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `ui.theme`: unknown variant `neon`"), "{e}");
    let e = err("[ui.colors]\nselected = \"blurple\"\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `ui.colors.selected`: unknown colour \"blurple\""), "{e}");
    let e = err("[ui.colors]\nsparkle = \"red\"\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `ui.colors.sparkle`: unknown variant"), "{e}");
    let e = err("[ui]\nlist_width = \"95%\"\n");
    assert!(e.starts_with("/cfg/config.toml:2: key `ui.list_width`: width \"95%\" out of range"), "{e}");
}

#[test]
fn sizes() {
    assert_eq!(parse_size("10MB"), Ok(10_000_000));
    assert_eq!(parse_size("512 KiB"), Ok(512 * 1024));
    assert_eq!(parse_size("42"), Ok(42));
    assert!(parse_size("ten").is_err());
}
