//! The user's commands (`[[command]]` keys, `|`), `on_new` after a poll
//! round, and reading comfort: zen mode and `n`/`N` between search matches.

use super::prompt::{self, PromptEvent};
use crate::app::msg::Effect;
use crate::app::state::{Focus, PromptKind, State};
use crate::commands::{CommandRun, Vars};
use crate::config::commands::CommandOutput;

/// Lines shown above a match `n`/`N` jumped to.
const MATCH_CONTEXT: usize = 2;
/// Characters of a command's output shown on the status line.
const STATUS_CHARS: usize = 200;

/// The placeholders' values for the item the user is looking at: the open
/// article when the article pane has focus, else the selected row.
fn vars(state: &State) -> Option<Vars> {
    let row = state.selected_item();
    let article = state
        .article
        .as_ref()
        .filter(|a| state.focus == Focus::Article || row.is_some_and(|r| r.id == a.article.id))
        .map(|a| &a.article);
    let (id, title, feed) = match (article, row) {
        (Some(a), _) => (a.id.clone(), a.title.clone(), a.feed.clone()),
        (None, Some(r)) => (r.id.clone(), r.title.clone(), r.feed.clone()),
        (None, None) => return None,
    };
    let link = article.and_then(|a| a.link.clone()).or_else(|| row.and_then(|r| r.link.clone()));
    let safe = |u: &str| crate::article::links::resolve_str(None, u).unwrap_or_default();
    let enclosure = article.and_then(|a| crate::model::enclosure_to_play(&a.enclosures)).map(|e| safe(&e.url));
    Some(Vars {
        url: link.as_deref().map(safe).unwrap_or_default(),
        // Titles are the feed's text: no control characters reach the program either.
        title: crate::article::sanitize::line(&title).into_owned(),
        enclosure: enclosure.unwrap_or_default(),
        id,
        feed: crate::article::sanitize::line(&feed).into_owned(),
    })
}

/// A `[[command]]`'s key: its command on the item looked at.
pub(super) fn run_configured(state: &mut State, index: usize) -> Vec<Effect> {
    state.dirty = true;
    state.status = None;
    let Some(cfg) = state.commands.get(index).cloned() else { return vec![] };
    let Some(vars) = vars(state) else {
        state.status = Some(format!("{}: no item selected", cfg.name));
        return vec![];
    };
    for (place, value, what) in [("{url}", &vars.url, "link"), ("{enclosure}", &vars.enclosure, "enclosure")] {
        if cfg.run.contains(place) && value.is_empty() {
            state.status = Some(format!("{}: this item has no {what}", cfg.name));
            return vec![];
        }
    }
    match crate::commands::prepare(&cfg, &vars) {
        Ok(run) => {
            if !run.interactive {
                state.status = Some(format!("running {}…", cfg.name));
            }
            vec![Effect::RunCommand(Box::new(run))]
        }
        Err(e) => {
            state.status = Some(format!("{}: {e}", cfg.name));
            vec![]
        }
    }
}

/// `|`: asks for the command the article's text goes to.
pub(super) fn ask_pipe(state: &mut State) -> Vec<Effect> {
    if state.article.as_ref().and_then(|a| a.body.as_ref()).is_none() {
        state.status = Some("no article open to pipe".into());
        return vec![];
    }
    prompt::open(state, PromptKind::Pipe, "");
    vec![]
}

/// The open article as plain text: title, link, then the body as shown.
fn article_text(state: &State) -> Option<String> {
    let view = state.article.as_ref()?;
    let body = view.body.as_ref()?;
    let mut text = crate::article::sanitize::line(&view.article.title).into_owned();
    text.push('\n');
    if let Some(link) = &view.article.link {
        text.push_str(&crate::article::sanitize::line(link));
        text.push('\n');
    }
    text.push('\n');
    for line in body.body.plain_lines() {
        text.push_str(&line);
        text.push('\n');
    }
    Some(text)
}

pub(super) fn on_pipe_prompt(state: &mut State, event: PromptEvent) -> Vec<Effect> {
    let PromptEvent::Submitted(line) = event else { return vec![] };
    let line = line.trim();
    // `!less`: a command that needs the terminal.
    let (interactive, command) = match line.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, line),
    };
    if command.is_empty() {
        return vec![];
    }
    let Some(text) = article_text(state) else {
        state.status = Some("no article open to pipe".into());
        return vec![];
    };
    if !interactive {
        state.status = Some(format!("piping to {command}…"));
    }
    let name = command.split_whitespace().next().unwrap_or(command).to_string();
    vec![Effect::RunCommand(Box::new(CommandRun {
        name,
        args: vec!["sh".into(), "-c".into(), command.to_string()],
        interactive,
        output: CommandOutput::Status,
        stdin: Some(text),
    }))]
}

/// A command ended: its first line (or its failure) on the status line, or
/// all of its output in the pager.
pub(super) fn done(
    state: &mut State,
    name: String,
    output: CommandOutput,
    result: Result<String, String>,
    redraw: bool,
) -> Vec<Effect> {
    state.dirty = true;
    if redraw {
        state.clear = true;
    }
    let name = crate::article::sanitize::line(&name).into_owned();
    match result {
        Ok(text) if output == CommandOutput::Pager && !text.trim().is_empty() => {
            state.status = None;
            return vec![Effect::Page(text)];
        }
        Ok(text) => {
            let first = crate::commands::first_line(&text, STATUS_CHARS);
            state.status = Some(if first.is_empty() { format!("{name}: done") } else { format!("{name}: {first}") });
        }
        Err(e) => state.status = Some(crate::commands::first_line(&e, STATUS_CHARS)),
    }
    vec![]
}

/// A fetched feed went to the store.
pub(super) fn storing(state: &mut State) {
    state.round.storing += 1;
}

/// A fetched feed is stored, with `new` new items.
pub(super) fn stored(state: &mut State, new: usize) -> Vec<Effect> {
    state.round.storing = state.round.storing.saturating_sub(1);
    state.round.new += new;
    round_check(state)
}

/// Every feed of the round has answered.
pub(super) fn round_over(state: &mut State) -> Vec<Effect> {
    state.round.over = true;
    round_check(state)
}

/// A new round from idle: what the last one left unanswered is forgotten.
pub(super) fn round_started(state: &mut State) {
    if state.progress.total == 0 {
        state.round = Default::default();
    }
}

/// `on_new` once a round is over and all it fetched is stored, if anything was new.
fn round_check(state: &mut State) -> Vec<Effect> {
    let r = state.round;
    if !r.over || r.storing > 0 {
        return vec![];
    }
    state.round = Default::default();
    match &state.on_new {
        Some(template) if r.new > 0 => vec![Effect::Notify(crate::commands::notification(template, r.new))],
        _ => vec![],
    }
}

/// `[ui] mark_read_on_open` for `o`: the item whose link was opened is read now.
pub(super) fn mark_looked_at_read(state: &mut State) -> Option<Effect> {
    if !state.mark_read_on_open {
        return None;
    }
    let id = match state.article.as_ref().filter(|_| state.focus == Focus::Article) {
        Some(a) => a.article.id.clone(),
        None => state.selected_item()?.id.clone(),
    };
    let row = state.items.iter_mut().find(|r| r.id == id);
    match row {
        Some(r) if !r.read => {
            r.read = true;
            Some(Effect::SetRead { ids: vec![id], read: true })
        }
        Some(_) => None,
        // The article's row is outside the window: the store knows whether it is read.
        None => Some(Effect::SetRead { ids: vec![id], read: true }),
    }
}

/// `z`: the article alone (centred), or back to the panes.
pub(super) fn toggle_zen(state: &mut State) -> Vec<Effect> {
    if !state.zen && state.article.is_none() {
        state.status = Some("open an item first (zen mode shows the article alone)".into());
        return vec![];
    }
    state.zen = !state.zen;
    state.focus = if state.zen { Focus::Article } else { Focus::List };
    super::resize_panes(state)
}

/// True when `n`/`N` move between matches: the article has focus and a search is shown.
pub(super) fn in_search(state: &State) -> bool {
    state.focus == Focus::Article && !crate::query::words::highlight_words(&state.shown).is_empty()
}

/// `n`/`N` in the article: scrolls to the next (or previous) body line with a match.
pub(super) fn jump_match(state: &mut State, forward: bool) -> Vec<Effect> {
    let words = crate::query::words::highlight_words(&state.shown);
    if words.is_empty() {
        state.status = Some("no search: / starts one".into());
        return vec![];
    }
    let Some(view) = state.article.as_ref() else { return vec![] };
    let Some(body) = view.body.as_ref() else { return vec![] };
    let hits: Vec<usize> = body
        .lines()
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            !crate::query::words::find_matches(&text, &words).is_empty()
        })
        .map(|(i, _)| i)
        .collect();
    // From the match jumped to last in this article, else from the top of the screen.
    let id = view.article.id.clone();
    let current = state.search_hit.as_ref().filter(|(hit_id, _)| *hit_id == id).map(|(_, line)| *line);
    let target = match (forward, current) {
        (true, Some(at)) => hits.iter().copied().find(|&i| i > at),
        (true, None) => hits.iter().copied().find(|&i| i >= view.scroll),
        (false, Some(at)) => hits.iter().rev().copied().find(|&i| i < at),
        (false, None) => hits.iter().rev().copied().find(|&i| i < view.scroll),
    };
    let (line, wrapped) = match target {
        Some(line) => (line, false),
        None => match if forward { hits.first() } else { hits.last() } {
            Some(&line) => (line, true),
            None => {
                state.status = Some("no match in this article".into());
                return vec![];
            }
        },
    };
    let n = hits.iter().position(|&i| i == line).map_or(0, |p| p + 1);
    let max = super::article_max_scroll(state);
    if let Some(v) = state.article.as_mut() {
        // The match a couple of lines down, with what leads to it above.
        v.scroll = line.saturating_sub(MATCH_CONTEXT).min(max);
    }
    state.search_hit = Some((id, line));
    state.status = Some(format!("match {n}/{}{}", hits.len(), if wrapped { " (wrapped)" } else { "" }));
    vec![]
}
