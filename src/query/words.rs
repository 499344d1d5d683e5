//! The words a query searches for, and where they occur in a text: what the
//! list and the article highlight, and what `n`/`N` jump between.

use super::{Term, TextField};
use crate::model::View;

/// The text words of a view's query (not negated, title or any field),
/// lower-cased; none for views that are not typed queries.
pub fn highlight_words(view: &View) -> Vec<String> {
    let View::Query(q) = view else { return Vec::new() };
    let Ok(expr) = super::parse(q) else { return Vec::new() };
    let mut words: Vec<String> = Vec::new();
    expr.positive_terms(&mut |t| {
        if let Term::Text { field: TextField::Any | TextField::Title, text, .. } = t {
            let w = text.trim().to_lowercase();
            if !w.is_empty() && !words.contains(&w) {
                words.push(w);
            }
        }
    });
    // The longest first: "markets" wins over "mark" where both start.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words
}

/// Byte ranges of `text` where one of `words` (lower-cased) starts a word, any case.
pub fn find_matches(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if words.is_empty() {
        return out;
    }
    let mut prev_alnum = false;
    let mut skip_until = 0;
    for (i, c) in text.char_indices() {
        if i >= skip_until
            && !prev_alnum
            && let Some(end) = words.iter().find_map(|w| match_at(text, i, w))
        {
            out.push((i, end));
            skip_until = end;
        }
        prev_alnum = c.is_alphanumeric();
    }
    out
}

/// The end of `word` matched at `start` of `text`, any case.
fn match_at(text: &str, start: usize, word: &str) -> Option<usize> {
    let mut chars = text[start..].char_indices();
    let mut end = start;
    for w in word.chars() {
        let (off, c) = chars.next()?;
        if !c.to_lowercase().eq(w.to_lowercase()) {
            return None;
        }
        end = start + off + c.len_utf8();
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_a_query() {
        let v = View::Query("unread Treaty -markets title:\"new deal\" feed:bbc".into());
        assert_eq!(highlight_words(&v), ["new deal", "treaty"]);
        assert!(highlight_words(&View::Unread).is_empty());
        assert!(highlight_words(&View::Query("(".into())).is_empty());
    }

    #[test]
    fn matches_start_words_in_any_case() {
        let words = vec!["treat".to_string()];
        assert_eq!(find_matches("The TREATY, retreat; treats", &words), [(4, 9), (21, 26)]);
        assert_eq!(find_matches("Ünïcode ünï", &["ünï".to_string()]), [(0, 5), (10, 15)]);
        assert!(find_matches("anything", &[]).is_empty());
    }
}
