//! The `:` command line in the state machine (#13): opening it, Tab and
//! ↑/↓, running a line (an action, or a bulk change over a query), the
//! count that comes back from the reader thread, the "… ? y/n" question
//! above `[ui] confirm_above`, and the writer's answer.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::prompt::{self, PromptEvent};
use crate::app::cmdline::{self, Command};
use crate::app::msg::Effect;
use crate::app::state::{Mode, PromptKind, State};
use crate::store::Bulk;

/// `:` opens an empty line; the feed names for completion are asked for.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.cmdline.browsing = None;
    state.cmdline.cycle = None;
    prompt::open(state, PromptKind::Command, "");
    vec![Effect::LoadFeedNames]
}

/// Keys the command line takes before the text editor: Tab/BackTab complete,
/// ↑/↓ walk the history. None: an ordinary edit.
pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    match key.code {
        KeyCode::Tab => complete(state, true),
        KeyCode::BackTab => complete(state, false),
        KeyCode::Up => browse(state, true),
        KeyCode::Down => browse(state, false),
        _ => return None,
    }
    state.dirty = true;
    Some(vec![])
}

pub(super) fn on_event(state: &mut State, event: PromptEvent) -> Vec<Effect> {
    match event {
        PromptEvent::Changed(_) => {
            state.cmdline.cycle = None;
            state.cmdline.browsing = None;
            set_error(state, None);
            vec![]
        }
        PromptEvent::Cancelled => vec![],
        PromptEvent::Submitted(text) => submit(state, &text),
    }
}

fn submit(state: &mut State, text: &str) -> Vec<Effect> {
    if text.trim().is_empty() {
        return vec![];
    }
    let mut effects = Vec::new();
    if cmdline::sanitize(text).is_some() {
        cmdline::remember(&mut state.cmdline.history, text);
        effects.push(Effect::SaveHistory(state.cmdline.history.clone()));
    }
    match cmdline::parse(text) {
        Ok(Command::Action(action)) => effects.extend(super::on_action(state, action)),
        Ok(Command::Bulk(bulk)) => {
            if state.read_only.is_some() {
                state.status = Some("the database is read-only: nothing can be changed".into());
                return effects;
            }
            state.status = Some(format!("counting: {} …", crate::article::sanitize::line(&bulk.query)));
            effects.push(Effect::CountBulk(bulk));
        }
        Err(error) => {
            // The line stays open, with what is wrong under it.
            prompt::open(state, PromptKind::Command, text);
            set_error(state, Some(error));
        }
    }
    effects
}

/// The reader counted what a bulk change would change: nothing, a question
/// (above the threshold), or the change itself.
pub(super) fn counted(state: &mut State, bulk: Bulk, n: u64) -> Vec<Effect> {
    state.dirty = true;
    if n == 0 {
        let query = crate::article::sanitize::line(&bulk.query).into_owned();
        state.status = Some(format!("nothing to change: no item of “{query}” needs it"));
        return vec![];
    }
    if n > state.cmdline.confirm_above {
        if matches!(state.mode, Mode::Prompt(_)) {
            state.status = Some(format!("not done: {} (another prompt was open)", bulk.describe(n)));
            return vec![];
        }
        let question = format!("{}? y/n ", bulk.describe(n));
        state.status = None;
        prompt::open(state, PromptKind::Confirm { bulk, question }, "");
        return vec![];
    }
    run(state, bulk, n)
}

/// The answer to "… ? y/n".
pub(super) fn confirm(state: &mut State, bulk: Bulk, yes: bool) -> Vec<Effect> {
    state.dirty = true;
    if !yes {
        state.status = Some("cancelled: nothing changed".into());
        return vec![];
    }
    run(state, bulk, 0)
}

fn run(state: &mut State, bulk: Bulk, n: u64) -> Vec<Effect> {
    state.status = Some(if n > 0 { format!("{} …", bulk.describe(n)) } else { "changing …".into() });
    vec![Effect::Bulk(bulk)]
}

/// The writer made the change: `n` items changed.
pub(super) fn done(state: &mut State, bulk: Bulk, n: usize) -> Vec<Effect> {
    state.dirty = true;
    let what = bulk.describe(n as u64);
    state.status = Some(if n == 0 { "nothing changed".into() } else { format!("{what} · u undoes") });
    vec![]
}

fn set_error(state: &mut State, error: Option<String>) {
    if let Mode::Prompt(p) = &mut state.mode {
        p.error = error;
    }
}

fn replace_text(state: &mut State, text: String, cursor: usize) {
    if let Mode::Prompt(p) = &mut state.mode {
        p.input = tui_input::Input::new(text).with_cursor(cursor);
        p.error = None;
    }
}

fn prompt_text(state: &State) -> Option<(String, usize)> {
    match &state.mode {
        Mode::Prompt(p) => Some((p.input.value().to_string(), p.input.cursor())),
        Mode::Normal => None,
    }
}

/// Tab: completes the word before the cursor to what all candidates share; when
/// that adds nothing, cycles through them (BackTab backwards) and lists them.
fn complete(state: &mut State, forward: bool) {
    let Some((text, cursor)) = prompt_text(state) else { return };
    let chars: Vec<char> = text.chars().collect();
    let after: String = chars[cursor.min(chars.len())..].iter().collect();
    if let Some((start, cands, shown)) = state.cmdline.cycle.clone() {
        let n = cands.len();
        let next = if forward { (shown + 1) % n } else { (shown + n - 1) % n };
        let before: String = chars[..start].iter().collect();
        let line = format!("{before}{}{after}", cands[next]);
        replace_text(state, line, start + cands[next].chars().count());
        state.cmdline.cycle = Some((start, cands, next));
        return;
    }
    let start = cmdline::word_start(&text, cursor);
    let before: String = chars[..start].iter().collect();
    let word: String = chars[start..cursor.min(chars.len())].iter().collect();
    let tags: Vec<String> = state.counts.tags.iter().map(|t| t.tag.clone()).collect();
    let cands = cmdline::candidates(&before, &word, &tags, &state.cmdline.feeds);
    match cands.as_slice() {
        [] => set_error(state, Some(format!("no completion for “{}”", crate::article::sanitize::line(&word)))),
        [one] => {
            let space = if one.ends_with(':') || after.starts_with(' ') { "" } else { " " };
            let line = format!("{before}{one}{space}{after}");
            replace_text(state, line, start + one.chars().count() + space.len());
        }
        many => {
            let common = cmdline::common_prefix(many);
            if common.chars().count() > word.chars().count() {
                let line = format!("{before}{common}{after}");
                replace_text(state, line, start + common.chars().count());
            } else {
                let first = if forward { 0 } else { many.len() - 1 };
                let line = format!("{before}{}{after}", many[first]);
                replace_text(state, line, start + many[first].chars().count());
                state.cmdline.cycle = Some((start, many.to_vec(), first));
            }
            let shown: Vec<String> = many.iter().take(12).map(|c| crate::article::sanitize::line(c).into()).collect();
            let more = if many.len() > 12 { format!(" (+{})", many.len() - 12) } else { String::new() };
            set_error(state, Some(format!("Tab: {}{more}", shown.join("  "))));
        }
    }
}

/// ↑ (older) / ↓ (newer) through the lines that start with what was typed.
fn browse(state: &mut State, older: bool) {
    let Some((text, _)) = prompt_text(state) else { return };
    state.cmdline.cycle = None;
    let (from, typed) = match state.cmdline.browsing.clone() {
        Some((i, typed)) => (Some(i), typed),
        None => (None, text),
    };
    let history = &state.cmdline.history;
    let matches = |i: &usize| history[*i].starts_with(typed.as_str());
    let found = if older {
        (0..from.unwrap_or(history.len())).rev().find(matches)
    } else {
        from.and_then(|f| (f + 1..history.len()).find(matches))
    };
    match (found, from) {
        (Some(i), _) => {
            let line = history[i].clone();
            let n = line.chars().count();
            state.cmdline.browsing = Some((i, typed));
            replace_text(state, line, n);
        }
        // ↓ past the newest: back to what was typed.
        (None, Some(_)) if !older => {
            let n = typed.chars().count();
            state.cmdline.browsing = None;
            replace_text(state, typed, n);
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "cmdline_tests.rs"]
mod tests;
