//! Text normalisation for story matching: folding, tokens, light stemming,
//! and the cross-language lexicon.
//!
//! A text becomes a list of tokens: lower case, accents folded (`é` → `e`,
//! `ß` → `ss`), Cyrillic transliterated (`Путина` → `putina`, `ё` → `e`),
//! punctuation dropped, digit groups joined across a thousands separator
//! (`1,340`, `1.340` and `1 340` become `1340`) and kept with a `.` across a
//! decimal one, trailing decimal zeros dropped (`2,5` and `2.50` become
//! `2.5`; `21,0` becomes `21`), letters and digits split apart (`£5bn` → `5`,
//! `bn`), stop words of the supported languages dropped, single letters
//! dropped, and each word cut to its first [`STEM_CHARS`] characters. Cutting
//! is a crude stemmer, but it works the same way for every language:
//! `sanctions` and `sanction`, `санкции` and `санкций`, `Zinssenkung` and
//! `Zinssenkungen` meet. Last, a stem the news lexicon knows becomes its
//! concept token ([`super::lexicon`]: `ставк`, `rat`, `zins` → `=rate`;
//! `six`, `shest` → `6`).

use super::lexicon::concept;
use super::stopwords::{is_follow_up_marker, is_stop_word};

/// Words are cut to this many characters (a light, language-blind stemmer).
pub const STEM_CHARS: usize = 5;
/// Inflection letters are stripped from a stem only while it is longer than this.
pub const MIN_STEM: usize = 3;

/// Whether `c` is a Cyrillic letter (the basic block less its signs and combining marks).
fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{481}' | '\u{48a}'..='\u{4ff}')
}

/// Appends the lower-case, accent-folded form of `c` to `out`.
fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // The common Cyrillic capitals without the general (table) lookup.
    let lower = match c {
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50),
        'а'..='џ' => Some(c),
        _ => None,
    };
    match lower {
        Some(l) => push_lower(l, out),
        None => c.to_lowercase().for_each(|l| push_lower(l, out)),
    }
}

/// Appends the folded form of a lower-case letter.
fn push_lower(l: char, out: &mut String) {
    match l {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
        'ď' | 'đ' | 'ð' => out.push('d'),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
        'ĥ' | 'ħ' => out.push('h'),
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => out.push('i'),
        'ĵ' => out.push('j'),
        'ķ' => out.push('k'),
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => out.push('l'),
        'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
        'ŕ' | 'ŗ' | 'ř' => out.push('r'),
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => out.push('s'),
        'ţ' | 'ť' | 'ŧ' | 'ț' => out.push('t'),
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
        'ŵ' => out.push('w'),
        'ý' | 'ÿ' | 'ŷ' => out.push('y'),
        'ź' | 'ż' | 'ž' => out.push('z'),
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'þ' => out.push_str("th"),
        // Cyrillic, transliterated (the English press's spelling, simplified) so that
        // names and places meet their Latin forms: Путина → putina, Собянин → sobyanin.
        'а' => out.push('a'),
        'б' => out.push('b'),
        'в' => out.push('v'),
        'г' | 'ґ' | 'ѓ' => out.push('g'),
        'д' => out.push('d'),
        'е' | 'ё' | 'э' => out.push('e'),
        'ж' => out.push_str("zh"),
        'з' => out.push('z'),
        'и' | 'і' => out.push('i'),
        'й' | 'ы' => out.push('y'),
        'к' | 'ќ' => out.push('k'),
        'л' => out.push('l'),
        'м' => out.push('m'),
        'н' => out.push('n'),
        'о' => out.push('o'),
        'п' => out.push('p'),
        'р' => out.push('r'),
        'с' => out.push('s'),
        'т' => out.push('t'),
        'у' | 'ў' => out.push('u'),
        'ф' => out.push('f'),
        'х' => out.push_str("kh"),
        'ц' => out.push_str("ts"),
        'ч' => out.push_str("ch"),
        'ш' => out.push_str("sh"),
        'щ' => out.push_str("shch"),
        'ъ' | 'ь' => {}
        'ю' => out.push_str("yu"),
        'я' => out.push_str("ya"),
        'ї' => out.push_str("yi"),
        'є' => out.push_str("ye"),
        'ј' => out.push('j'),
        'љ' => out.push_str("lj"),
        'њ' => out.push_str("nj"),
        'ђ' => out.push_str("dj"),
        'ћ' => out.push('c'),
        'џ' | 'ѕ' => out.push_str("dz"),
        // Combining marks of decomposed text (e + U+0301): drop them.
        '\u{300}'..='\u{36f}' => {}
        _ => out.push(l),
    }
}

/// Lower case and accents folded, everything else kept (for tests and debugging).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// A separator that may sit inside a number: `2,5`, `2.5`, `1 340` (no-break spaces).
fn is_digit_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')
}

/// Whether a separator between digits groups thousands (`1,340`, `1.340`,
/// `1 340`, `1'340`: three digits follow, then no more) rather than marking
/// decimals (`2,5`, `2.50`). `rest` starts after the separator.
fn groups_thousands(separator: char, rest: &std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    if !matches!(separator, '.' | ',') {
        return true;
    }
    let mut ahead = rest.clone();
    let mut n = 0;
    while ahead.next_if(char::is_ascii_digit).is_some() {
        n += 1;
    }
    n == 3
}

/// Hands a finished word to `f`; a number loses the zeros that end its
/// decimals (`21,0` → `21`, `2,50` → `2.5`).
fn emit(word: &mut String, digits: bool, f: &mut impl FnMut(&str)) {
    if digits && word.contains('.') {
        let trimmed = word.trim_end_matches('0').trim_end_matches('.').len();
        word.truncate(trimmed);
    }
    if !word.is_empty() {
        f(word);
    }
    word.clear();
}

/// Calls `f` with each folded word of `text`: runs of letters, or runs of
/// digits (joined across thousands separators, with a `.` for a decimal
/// comma or point). Stop words are not removed here.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::with_capacity(32);
    let mut digits = false;
    let mut chars = text.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        let cyrillic = is_cyrillic_letter(c);
        if !cyrillic && c.is_numeric() {
            if !digits && !word.is_empty() {
                emit(&mut word, false, &mut f);
            }
            digits = true;
            word.push(c.to_digit(10).and_then(|d| char::from_digit(d, 10)).unwrap_or(c));
            prev_digit = true;
            continue;
        }
        if prev_digit && is_digit_separator(c) && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            if !groups_thousands(c, &chars) {
                word.push('.');
            }
            continue;
        }
        prev_digit = false;
        if cyrillic || c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c) {
            if digits && !word.is_empty() {
                emit(&mut word, true, &mut f);
            }
            digits = false;
            push_folded(c, &mut word);
        } else if !word.is_empty() {
            emit(&mut word, digits, &mut f);
            digits = false;
        }
    }
    emit(&mut word, digits, &mut f);
}

/// Letters that end inflected forms in the supported languages (plural `s`,
/// vowels, the soft sign): stripped from the end of a cut word.
fn is_inflection(c: char) -> bool {
    matches!(c, 's' | 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The stem of a folded word: its first [`STEM_CHARS`] characters, then
/// trailing inflection letters dropped while more than [`MIN_STEM`] remain.
/// `rate` and `rates` → `rat`; `ставка` and `ставку` (`stavka`, `stavku`) →
/// `stavk`; `russia` and `russian` → `russ`.
pub fn stem(word: &str) -> &str {
    let mut end = word.char_indices().nth(STEM_CHARS).map_or(word.len(), |(i, _)| i);
    let mut chars = word[..end].chars().count();
    while chars > MIN_STEM {
        match word[..end].chars().next_back() {
            Some(c) if is_inflection(c) => {
                end -= c.len_utf8();
                chars -= 1;
            }
            _ => break,
        }
    }
    &word[..end]
}

/// Calls `f` with each matching token of `text`: folded, stop words and single
/// letters dropped, cut to [`STEM_CHARS`] characters.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |w| {
        let first_is_digit = w.starts_with(|c: char| c.is_ascii_digit());
        if first_is_digit {
            f(w);
            return;
        }
        if w.chars().nth(1).is_none() || is_stop_word(w) {
            return;
        }
        let s = stem(w);
        match concept(s) {
            Some(c) => c.split(' ').for_each(&mut f),
            None => f(s),
        }
    });
}

/// The tokens of `text` as owned strings (tests and the evaluation).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// Whether a title marks a follow-up: "UPDATE:", "Live:", "Обновлено", "EN DIRECT", …
pub fn is_follow_up(title: &str) -> bool {
    let mut found = false;
    for_each_word(title, |w| found |= is_follow_up_marker(w));
    found
}

/// Plain text of the first paragraph of an HTML (or plain) summary, at most
/// `max_chars` characters: tags skipped (with the contents of `script` and
/// `style`), the common entities decoded, white space collapsed. It stops at
/// the end of the first block (`</p>`, `</div>`, `</li>`), at `<br><br>` or at a
/// blank line, once some text was seen. Cheap on purpose, with no HTML
/// parser: the result is only hashed, never shown.
pub fn first_paragraph(html: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(html.len().min(max_chars * 2));
    let mut count = 0;
    let mut space = false;
    let mut newlines = 0;
    let mut brs = 0;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if count >= max_chars {
            break;
        }
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            for raw in ["script", "style"] {
                if tag.starts_with(&format!("<{raw}")) {
                    let close = format!("</{raw}");
                    let lower = rest.to_ascii_lowercase();
                    rest = lower.find(&close).map_or("", |i| &rest[i..]);
                }
            }
            if count > 0 && (tag.starts_with("</p") || tag.starts_with("</div") || tag.starts_with("</li")) {
                break;
            }
            if tag.starts_with("<br") {
                brs += 1;
                if count > 0 && brs >= 2 {
                    break;
                }
            }
            space |= !is_inline_tag(&tag);
            continue;
        }
        rest = &rest[c.len_utf8()..];
        let c = if c == '&' {
            match rest.find(';').filter(|&i| i <= 9).and_then(|i| Some((i, decode_entity(&rest[..i])?))) {
                Some((i, d)) => {
                    rest = &rest[i + 1..];
                    d
                }
                None => c,
            }
        } else {
            c
        };
        if c.is_whitespace() {
            if c == '\n' {
                newlines += 1;
                if count > 0 && newlines >= 2 {
                    break;
                }
            }
            space = true;
            continue;
        }
        if space && count > 0 {
            out.push(' ');
        }
        out.push(c);
        count += 1;
        space = false;
        newlines = 0;
        brs = 0;
    }
    out
}

/// Whether a (lower-cased) tag is inline markup, which does not separate words.
fn is_inline_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches(['<', '/']);
    let name = name.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    matches!(
        name,
        "a" | "b" | "i" | "u" | "s" | "em" | "strong" | "span" | "code" | "small" | "sup" | "sub" | "mark" | "abbr"
    )
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}
