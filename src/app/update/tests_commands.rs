//! Pure tests of #13 commands: `[[command]]` keys, `|`, `on_new`, zen, `n`/`N`, `o` marking read.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::row;
use super::*;
use crate::commands::CommandRun;
use crate::config::commands::{CommandConfig, CommandOutput};
use crate::config::{Config, PollerConfig};
use crate::model::{Article, FetchedFeed};
use crate::ui::theme::Theme;

fn config(text: &str) -> Config {
    crate::config::parse(text, std::path::Path::new("config.toml")).unwrap()
}

fn state_with(cfg: &Config, ids: &[&str]) -> State {
    let mut s = State::new(cfg, 1_000_000, 0, Theme::mono());
    update(&mut s, Msg::Resize(140, 40));
    update(&mut s, Msg::whole_view(View::All, ids.iter().map(|id| row(id, false)).collect()));
    s
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn runs(fx: &[Effect]) -> Vec<CommandRun> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::RunCommand(r) => Some((**r).clone()),
            _ => None,
        })
        .collect()
}

/// The article `id` open with a body of these lines.
fn open_article(s: &mut State, id: &str, lines: &[&str]) {
    update(
        s,
        Msg::ArticleLoaded {
            id: id.into(),
            article: Some(Box::new(Article {
                id: id.into(),
                title: format!("Title {id}"),
                link: Some(format!("https://x.example/{id}")),
                ..Default::default()
            })),
        },
    );
    let width = s.panes().article_width();
    let body = crate::article::render::Body {
        lines: lines.iter().map(|l| ratatui::text::Line::raw(l.to_string())).collect(),
        ..Default::default()
    };
    update(s, Msg::ArticleRendered { id: id.into(), width, full: false, body: Arc::new(body) });
}

const COMMANDS: &str = r#"
[[command]]
name = "rec"
key = "m"
run = "rec --url {url} '{title} ({feed})'"

[[command]]
name = "play"
key = "e"
run = "mpv {enclosure}"
interactive = true
"#;

#[test]
fn a_command_key_runs_it_on_the_selected_item() {
    let cfg = config(COMMANDS);
    let mut s = state_with(&cfg, &["a", "b"]);
    update(&mut s, key('j'));
    let fx = update(&mut s, key('m'));
    assert_eq!(
        runs(&fx),
        [CommandRun {
            name: "rec".into(),
            args: vec!["rec".into(), "--url".into(), "https://x.example/b".into(), "Title b (Feed)".into()],
            interactive: false,
            output: CommandOutput::Status,
            stdin: None,
        }]
    );
    assert_eq!(s.status.as_deref(), Some("running rec…"));
    // `e` is the command's now (it took the key from play_enclosure); no enclosure: said, not run.
    assert!(runs(&update(&mut s, key('e'))).is_empty());
    assert_eq!(s.status.as_deref(), Some("play: this item has no enclosure"));
    // The answer goes to the status line, sanitised.
    let output = CommandOutput::Status;
    update(
        &mut s,
        Msg::CommandDone { name: "rec".into(), output, result: Ok("\nsaved \x1b[31mit\nmore".into()), redraw: false },
    );
    assert_eq!(s.status.as_deref(), Some("rec: saved it"));
    update(
        &mut s,
        Msg::CommandDone { name: "rec".into(), output, result: Err("rec failed (exit status 2)".into()), redraw: true },
    );
    assert_eq!(s.status.as_deref(), Some("rec failed (exit status 2)"));
    assert!(s.clear, "a command that had the terminal leaves the screen to be drawn anew");
    // Pager output goes to the pager.
    let fx = update(
        &mut s,
        Msg::CommandDone {
            name: "rec".into(),
            output: CommandOutput::Pager,
            result: Ok("all of it".into()),
            redraw: false,
        },
    );
    assert_eq!(fx, [Effect::Page("all of it".into())]);
}

#[test]
fn command_keys_clash_only_with_user_bindings_and_errors_have_lines() {
    let cfg = config(COMMANDS);
    assert_eq!(cfg.keymap.label(crate::app::action::Action::PlayEnclosure), "");
    let err = crate::config::parse(
        "[keys]\nsave = [\"m\"]\n\n[[command]]\nname = \"x\"\nkey = \"m\"\nrun = \"x\"\n",
        std::path::Path::new("c.toml"),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(err, "c.toml:6: key `command.key`: command \"x\": key \"m\" is also bound to `save` in [keys]");
    let err = crate::config::parse(
        "[[command]]\nname = \"x\"\nkey = \"m\"\nrun = \"x\"\n[[command]]\nname = \"y\"\nkey = \"m\"\nrun = \"y\"\n",
        std::path::Path::new("c.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("c.toml:") && err.contains("also the key of command \"x\""), "{err}");
    let err = crate::config::parse("[[command]]\nname = \"x\"\nrun = \"x 'open\"\n", std::path::Path::new("c.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.toml:3: key `command.run`"), "{err}");
    let err =
        crate::config::parse("[[command]]\nname = \"h\"\nkey = \"?\"\nrun = \"x\"\n", std::path::Path::new("c.toml"))
            .unwrap_err()
            .to_string();
    assert!(err.contains("the only key of `help`"), "{err}");
}

#[test]
fn pipe_sends_the_article_text_to_the_typed_command() {
    let mut s = state_with(&Config::default(), &["a"]);
    update(&mut s, Msg::Action(Action::PipeArticle));
    assert_eq!(s.status.as_deref(), Some("no article open to pipe"));
    open_article(&mut s, "a", &["First line", "second"]);
    update(&mut s, Msg::Action(Action::PipeArticle));
    assert!(matches!(&s.mode, crate::app::state::Mode::Prompt(p) if p.kind == crate::app::state::PromptKind::Pipe));
    for c in "wc -w".chars() {
        update(&mut s, key(c));
    }
    let fx = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let run = &runs(&fx)[0];
    assert_eq!(run.args, ["sh", "-c", "wc -w"]);
    assert!(!run.interactive);
    assert_eq!(run.stdin.as_deref(), Some("Title a\nhttps://x.example/a\n\nFirst line\nsecond\n"));
}

#[test]
fn on_new_runs_once_per_round_after_everything_is_stored() {
    let on_new = Some(vec!["notify-send".into(), "{count} new".into()]);
    let cfg = Config { poller: PollerConfig { on_new, ..Default::default() }, ..Default::default() };
    let mut s = state_with(&cfg, &["a"]);
    let feed = |url: &str| Box::new(FetchedFeed { url: url.into(), ..Default::default() });
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Started { feeds: 2 }));
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Fetched(feed("u1"))));
    let fx = update(&mut s, Msg::Poll(crate::feed::PollEvent::Fetched(feed("u2"))));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Notify(_))), "not before the items are stored");
    let fx = update(&mut s, Msg::Stored { url: "u1".into(), new: 2 });
    assert!(!fx.iter().any(|e| matches!(e, Effect::Notify(_))));
    let fx = update(&mut s, Msg::Stored { url: "u2".into(), new: 3 });
    let notes: Vec<_> = fx.iter().filter(|e| matches!(e, Effect::Notify(_))).collect();
    assert_eq!(notes, [&Effect::Notify(vec!["notify-send".into(), "5 new".into()])]);
    // A round with nothing new says nothing.
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Started { feeds: 1 }));
    update(&mut s, Msg::Poll(crate::feed::PollEvent::Fetched(feed("u1"))));
    let fx = update(&mut s, Msg::Stored { url: "u1".into(), new: 0 });
    assert!(!fx.iter().any(|e| matches!(e, Effect::Notify(_))));
}

#[test]
fn zen_shows_the_article_alone_centred() {
    let mut s = state_with(&Config::default(), &[]);
    update(&mut s, Msg::Action(Action::ZenMode));
    assert!(!s.zen, "nothing to read");
    let mut s = state_with(&Config::default(), &["a"]);
    open_article(&mut s, "a", &["x"]);
    update(&mut s, Msg::Resize(200, 40));
    update(&mut s, Msg::Action(Action::ZenMode));
    assert!(s.zen && s.focus == Focus::Article);
    let p = s.panes();
    assert_eq!((p.article_width(), p.article.x), (90, (200 - 94) / 2));
    assert!(p.sidebar.is_none() && p.list.area() == 0);
    update(&mut s, Msg::Action(Action::ZenMode));
    assert!(!s.zen && s.focus == Focus::List);
    update(&mut s, Msg::Action(Action::ZenMode));
    update(&mut s, Msg::Action(Action::ClearFilter));
    assert!(!s.zen, "Esc leaves zen mode");
}

#[test]
fn n_and_shift_n_jump_between_matches_in_the_article_with_a_search() {
    let mut s = state_with(&Config::default(), &["a"]);
    // The list shows a search (as after `/treaty` Enter).
    s.view = View::Query("treaty".into());
    s.shown = s.view.clone();
    let mut lines = vec!["intro"; 60];
    lines[5] = "The Treaty begins";
    lines[30] = "treaty again";
    open_article(&mut s, "a", &lines);
    s.focus = Focus::Article;
    let max = 60 - article_body_rows(&s);
    update(&mut s, key('n'));
    assert_eq!(s.article.as_ref().unwrap().scroll, 3, "the match two lines down");
    assert_eq!(s.status.as_deref(), Some("match 1/2"));
    update(&mut s, key('n'));
    assert_eq!(s.article.as_ref().unwrap().scroll, 28.min(max));
    assert_eq!(s.status.as_deref(), Some("match 2/2"));
    update(&mut s, key('n'));
    assert_eq!(s.status.as_deref(), Some("match 1/2 (wrapped)"));
    update(&mut s, key('N'));
    assert_eq!(s.status.as_deref(), Some("match 2/2 (wrapped)"));
    update(&mut s, key('N'));
    assert_eq!(s.article.as_ref().unwrap().scroll, 3);
    // In the list, n is next unread as ever.
    s.focus = Focus::List;
    let fx = update(&mut s, key('n'));
    assert!(!fx.is_empty() || s.status.is_some());
    assert_eq!(s.article.as_ref().unwrap().scroll, 3);
}

#[test]
fn o_marks_the_item_read_when_opening_marks_read() {
    let mut s = state_with(&Config::default(), &["a"]);
    let fx = update(&mut s, key('o'));
    assert_eq!(
        fx,
        [Effect::OpenUrl("https://x.example/a".into()), Effect::SetRead { ids: vec!["a".into()], read: true }]
    );
    assert!(s.items[0].read);
    let ui = crate::config::UiConfig { mark_read_on_open: false, ..Default::default() };
    let cfg = Config { ui, ..Default::default() };
    let mut s = state_with(&cfg, &["a"]);
    assert_eq!(update(&mut s, key('o')), [Effect::OpenUrl("https://x.example/a".into())]);
    let _ = CommandConfig {
        name: String::new(),
        key: None,
        run: String::new(),
        shell: false,
        interactive: false,
        output: CommandOutput::Status,
    };
}
