//! Dates as real feeds write them. feed-rs hands every date string it meets
//! (pubDate, dc:date, published, updated, JSON Feed's dates) to `parse`,
//! registered as its timestamp parser.
//!
//! Well-formed RFC 3339 and RFC 2822 dates go straight through chrono's
//! parsers. Everything else is read by a small tolerant reader: the time
//! (`14:33`, `02:02:33 PM`), the zone after it (`+0300`, `-05:00`, `Z`,
//! `GMT`, `EST`, RFC 822's military letters), and the date from the numbers
//! and month names that remain, in English, Russian, Portuguese, Spanish,
//! French, German or Italian. Weekdays and other words are ignored. A date
//! without a zone is taken as UTC.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

/// Reads a date; None when the text holds no recognisable date.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d.with_timezone(&Utc));
    }
    lenient(text)
}

/// One run of the text: digits, letters, or a single other character.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    Word(String),
    Sym(char),
}

fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                s.push(d);
                chars.next();
            }
            out.push(Tok::Num(s));
        } else if c.is_alphabetic() {
            let mut s = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphabetic()) {
                s.extend(d.to_lowercase());
                chars.next();
            }
            out.push(Tok::Word(s));
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Sym(c));
            }
            chars.next();
        }
    }
    out
}

fn num(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Num(n)) => Some(n),
        _ => None,
    }
}

fn value(n: &str) -> Option<u32> {
    if n.len() > 9 { None } else { n.parse().ok() }
}

/// The time found in the text, and where its tokens are.
struct Time {
    at: usize,
    end: usize,
    h: u32,
    m: u32,
    s: u32,
}

/// The first `H:MM[:SS[.frac]]`.
fn find_time(toks: &[Tok]) -> Option<Time> {
    (0..toks.len()).find_map(|i| {
        let h = value(num(toks.get(i)).filter(|n| n.len() <= 2)?)?;
        if toks.get(i + 1) != Some(&Tok::Sym(':')) {
            return None;
        }
        let m = value(num(toks.get(i + 2)).filter(|n| n.len() == 2)?)?;
        let mut end = i + 3;
        let mut s = 0;
        if toks.get(end) == Some(&Tok::Sym(':'))
            && let Some(sec) = num(toks.get(end + 1)).filter(|n| n.len() == 2).and_then(value)
        {
            s = sec;
            end += 2;
            // Fractions of a second are dropped.
            if matches!(toks.get(end), Some(Tok::Sym('.' | ','))) && num(toks.get(end + 1)).is_some() {
                end += 2;
            }
        }
        Some(Time { at: i, end, h, m, s })
    })
}

/// Zone names with their offset in minutes east of UTC (RFC 822's, and a
/// few common ones).
fn zone_name(w: &str) -> Option<i32> {
    let hours = match w {
        "z" | "ut" | "utc" | "gmt" | "wet" => 0,
        "bst" | "cet" | "met" | "wat" | "west" => 1,
        "cest" | "eet" | "mest" | "sast" => 2,
        "eest" | "msk" => 3,
        "adt" => -3,
        "ast" | "at" | "edt" => -4,
        "est" | "et" | "cdt" => -5,
        "cst" | "ct" | "mdt" => -6,
        "mst" | "mt" | "pdt" => -7,
        "pst" | "pt" | "akdt" => -8,
        "akst" => -9,
        "hst" => -10,
        "jst" | "kst" => 9,
        "aest" => 10,
        "aedt" => 11,
        "nzst" => 12,
        "nzdt" => 13,
        "ist" => return Some(5 * 60 + 30),
        // Military letters: RFC 822 got their signs backwards, so RFC 2822
        // says to read them as -0000 (as chrono's RFC 2822 parser does).
        _ if w.len() == 1 && w != "j" && w.is_ascii() => 0,
        _ => return None,
    };
    Some(hours * 60)
}

/// A numeric offset starting at `toks[i]` (`+0300`, `-05:00`, `+3`): minutes and tokens used.
fn offset(toks: &[Tok], i: usize) -> Option<(i32, usize)> {
    let sign = match toks.get(i) {
        Some(Tok::Sym('+')) => 1,
        Some(Tok::Sym('-' | '−')) => -1,
        _ => return None,
    };
    let n = num(toks.get(i + 1))?;
    let (h, m, used) = match n.len() {
        1 | 2 if toks.get(i + 2) == Some(&Tok::Sym(':')) => {
            (value(n)?, value(num(toks.get(i + 3)).filter(|m| m.len() == 2)?)?, 4)
        }
        1 | 2 => (value(n)?, 0, 2),
        3 | 4 => {
            let v = value(n)?;
            (v / 100, v % 100, 2)
        }
        _ => return None,
    };
    (h <= 14 && m < 60).then_some((sign * (h * 60 + m) as i32, used))
}

/// What follows the time: am/pm, then a zone (numeric, named, or a name then
/// an offset as in `GMT+2`). Returns the hour shift for pm, the offset, and
/// the index after what was read.
fn after_time(toks: &[Tok], mut i: usize) -> (Option<bool>, Option<i32>, usize) {
    let mut pm = None;
    let dotted = toks.get(i + 1) == Some(&Tok::Sym('.'));
    if let Some(Tok::Word(w)) = toks.get(i)
        && (matches!(w.as_str(), "am" | "pm") || (matches!(w.as_str(), "a" | "p") && dotted))
    {
        pm = Some(w.starts_with('p'));
        i += 1;
        // "p.m."
        while matches!(toks.get(i), Some(Tok::Sym('.'))) || toks.get(i) == Some(&Tok::Word("m".into())) {
            i += 1;
        }
    }
    if toks.get(i) == Some(&Tok::Sym('(')) {
        i += 1;
    }
    if let Some((off, used)) = offset(toks, i) {
        return (pm, Some(off), i + used);
    }
    if let Some(Tok::Word(w)) = toks.get(i)
        && let Some(base) = zone_name(w)
    {
        if let Some((off, used)) = offset(toks, i + 1).filter(|_| base == 0) {
            return (pm, Some(off), i + 1 + used);
        }
        return (pm, Some(base), i + 1);
    }
    (pm, None, i)
}

fn lenient(text: &str) -> Option<DateTime<Utc>> {
    let toks = tokens(text);
    let (mut time, mut zone, mut used) = (None, None, (0, 0));
    if let Some(t) = find_time(&toks) {
        let (pm, z, end) = after_time(&toks, t.end);
        let h = match pm {
            Some(true) if t.h < 12 => t.h + 12,
            Some(false) if t.h == 12 => 0,
            _ => t.h,
        };
        time = Some((h, t.m, t.s));
        zone = z;
        used = (t.at, end);
    }
    let rest: Vec<&Tok> =
        toks.iter().enumerate().filter(|(i, _)| *i < used.0 || *i >= used.1).map(|(_, t)| t).collect();
    let (y, m, d) = date_part(&rest)?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let (h, min, s) = time.unwrap_or((0, 0, 0));
    let (date, h) = if h == 24 && min == 0 && s == 0 { (date.checked_add_days(Days::new(1))?, 0) } else { (date, h) };
    let time = NaiveTime::from_hms_opt(h, min, s.min(59))?;
    let local = date.and_time(time).and_utc();
    let zone = zone.unwrap_or(0);
    Some(local - chrono::Duration::minutes(zone as i64))
}

/// Year, month and day from the date's tokens (the time and zone taken out).
fn date_part(toks: &[&Tok]) -> Option<(i32, u32, u32)> {
    let mut numbers: Vec<(&str, Option<char>)> = Vec::new();
    let mut month = None;
    let mut prev_sym = None;
    for t in toks {
        match t {
            Tok::Num(n) => {
                numbers.push((n, prev_sym));
                prev_sym = None;
            }
            Tok::Word(w) => {
                // Weekdays, "de", an ISO "T": only month names count, the
                // last one (French "mar." is Tuesday in "mar., 05 sept.").
                if let Some(m) = month_name(w) {
                    month = Some(m);
                }
                prev_sym = None;
            }
            Tok::Sym(c) => prev_sym = Some(*c),
        }
    }
    // A compact 20180106.
    if numbers.len() == 1 && numbers[0].0.len() == 8 && month.is_none() {
        let v = value(numbers[0].0)?;
        return Some(((v / 10_000) as i32, v / 100 % 100, v % 100));
    }
    if let Some(m) = month {
        let year_at = numbers.iter().position(|(n, _)| n.len() == 4 || n.len() == 3);
        let day_at = numbers.iter().enumerate().position(|(i, (n, _))| Some(i) != year_at && n.len() <= 2)?;
        let year = match year_at {
            Some(i) => value(numbers[i].0)? as i32,
            None => {
                let (n, _) = numbers.iter().enumerate().find(|(i, _)| *i != day_at)?.1;
                two_digit_year(value(n).filter(|_| n.len() <= 2)?)
            }
        };
        return Some((year, m, value(numbers[day_at].0)?));
    }
    if numbers.len() < 3 {
        return None;
    }
    let (a, b, c) = (numbers[0], numbers[1], numbers[2]);
    if a.0.len() >= 3 {
        return Some((value(a.0)? as i32, value(b.0)?, value(c.0)?));
    }
    let (a_v, b_v) = (value(a.0)?, value(b.0)?);
    let year = if c.0.len() == 4 { value(c.0)? as i32 } else { two_digit_year(value(c.0).filter(|_| c.0.len() <= 2)?) };
    // 10/01/2020 is American (month first) when written with slashes and it can be; 10.01.2020 is not.
    let month_first = b.1 == Some('/') && a_v <= 12;
    if month_first && b_v <= 31 { Some((year, a_v, b_v)) } else { Some((year, b_v, a_v)) }
}

/// RFC 2822's rule: 00–49 are 2000–2049, 50–99 are 1950–1999.
fn two_digit_year(y: u32) -> i32 {
    if y < 50 { 2000 + y as i32 } else { 1900 + y as i32 }
}

/// Month names and their abbreviations in the languages of the default
/// outlets' regions, lower case.
const MONTHS: [&[&str]; 12] = [
    &[
        "jan",
        "january",
        "janv",
        "janvier",
        "januar",
        "jänner",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
        "января",
        "январь",
        "янв",
    ],
    &[
        "feb",
        "february",
        "févr",
        "fév",
        "fevr",
        "février",
        "fevrier",
        "februar",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
        "февраля",
        "февраль",
        "фев",
    ],
    &["mar", "march", "mars", "märz", "mär", "mrz", "marz", "marzo", "março", "marco", "марта", "март", "мар"],
    &["apr", "april", "avr", "avril", "abril", "abr", "aprile", "апреля", "апрель", "апр"],
    &["may", "mai", "mayo", "maio", "maggio", "mag", "мая", "май"],
    &["jun", "june", "juin", "juni", "junio", "junho", "giugno", "giu", "июня", "июнь", "июн"],
    &["jul", "july", "juil", "juillet", "juli", "julio", "julho", "luglio", "lug", "июля", "июль", "июл"],
    &["aug", "august", "août", "aout", "agosto", "ago", "августа", "август", "авг"],
    &[
        "sep",
        "sept",
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "settembre",
        "set",
        "сентября",
        "сентябрь",
        "сен",
        "сент",
    ],
    &[
        "oct",
        "october",
        "octobre",
        "oktober",
        "okt",
        "octubre",
        "outubro",
        "out",
        "ottobre",
        "ott",
        "октября",
        "октябрь",
        "окт",
    ],
    &["nov", "november", "novembre", "noviembre", "novembro", "ноября", "ноябрь", "ноя", "нояб"],
    &[
        "dec",
        "december",
        "déc",
        "decembre",
        "décembre",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
        "декабря",
        "декабрь",
        "дек",
    ],
];

fn month_name(w: &str) -> Option<u32> {
    if let Some(i) = MONTHS.iter().position(|names| names.contains(&w)) {
        return Some(i as u32 + 1);
    }
    // English spelled out or cut anywhere after three letters: "Sept", "Janu".
    if w.len() >= 3 && w.is_ascii() {
        return MONTHS
            .iter()
            .position(|names| names[1].starts_with(w) || w.starts_with(names[1]))
            .map(|i| i as u32 + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<String> {
        parse(text).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    #[test]
    fn standard_dates_take_the_fast_path() {
        assert_eq!(at("Tue, 18 Jun 2024 21:05:00 GMT").as_deref(), Some("2024-06-18T21:05:00Z"));
        assert_eq!(at("2024-06-18T21:05:00+03:00").as_deref(), Some("2024-06-18T18:05:00Z"));
        assert_eq!(at("2024-06-18T21:05:00.123Z").as_deref(), Some("2024-06-18T21:05:00Z"));
    }

    #[test]
    fn rfc_822_as_feeds_write_it() {
        // No comma, no weekday, a wrong weekday, a long month, single-digit day.
        assert_eq!(at("Fri 1 Oct 2010 01:30:00 GMT").as_deref(), Some("2010-10-01T01:30:00Z"));
        assert_eq!(at("1 Oct 2010 01:30:00 +0000").as_deref(), Some("2010-10-01T01:30:00Z"));
        assert_eq!(at("Mon, 25 July 2011 01:30:00 EST").as_deref(), Some("2011-07-25T06:30:00Z"));
        assert_eq!(at("Thurs, 13 Jul 2011 07:38 GMT").as_deref(), Some("2011-07-13T07:38:00Z"));
        assert_eq!(at("Wed, 02 Oct 02 08:00:00 EST").as_deref(), Some("2002-10-02T13:00:00Z"));
        assert_eq!(at("Sun, 17 Dec 23 00:58:40 -0500").as_deref(), Some("2023-12-17T05:58:40Z"));
        assert_eq!(at("17 Dec 1999 00:58:40 PDT").as_deref(), Some("1999-12-17T07:58:40Z"));
        assert_eq!(at("Sat, 16 Dec 2023 00:58:40 UT").as_deref(), Some("2023-12-16T00:58:40Z"));
        assert_eq!(at("Sat, 16 Dec 2023 00:58:40 UTC").as_deref(), Some("2023-12-16T00:58:40Z"));
        assert_eq!(at("Sat, 16 Dec 2023 00:58:40 GMT+2").as_deref(), Some("2023-12-15T22:58:40Z"));
    }

    #[test]
    fn military_zones_are_read_as_utc_as_rfc_2822_says() {
        assert_eq!(at("Sat, 16 Dec 2023 12:00:00 Z").as_deref(), Some("2023-12-16T12:00:00Z"));
        assert_eq!(at("Sat, 16 Dec 2023 12:00:00 A").as_deref(), Some("2023-12-16T12:00:00Z"));
        assert_eq!(at("16 Dec 2023 12:00 N").as_deref(), Some("2023-12-16T12:00:00Z"));
        assert_eq!(at("Sat, Dec 16 2023 12:00:00 Y").as_deref(), Some("2023-12-16T12:00:00Z"));
    }

    #[test]
    fn numeric_and_american_forms() {
        assert_eq!(at("2018-01-06T08:00").as_deref(), Some("2018-01-06T08:00:00Z"));
        assert_eq!(at("2018-01-06 08:00:12").as_deref(), Some("2018-01-06T08:00:12Z"));
        assert_eq!(at("2018-01-06").as_deref(), Some("2018-01-06T00:00:00Z"));
        assert_eq!(at("2020/1/10 14:33:00").as_deref(), Some("2020-01-10T14:33:00Z"));
        assert_eq!(at("Sat, Dec 16 2023 02:02:33 PM").as_deref(), Some("2023-12-16T14:02:33Z"));
        assert_eq!(at("December 16, 2023 12:15 am").as_deref(), Some("2023-12-16T00:15:00Z"));
        assert_eq!(at("16.12.2023 10:00").as_deref(), Some("2023-12-16T10:00:00Z"));
        assert_eq!(at("12/16/2023 10:00 -0800").as_deref(), Some("2023-12-16T18:00:00Z"));
        assert_eq!(at("2004-01-01T10:00:00-0500").as_deref(), Some("2004-01-01T15:00:00Z"));
        assert_eq!(at("20040105").as_deref(), Some("2004-01-05T00:00:00Z"));
        assert_eq!(at("2023-12-16 24:00:00").as_deref(), Some("2023-12-17T00:00:00Z"));
    }

    #[test]
    fn month_and_day_names_in_other_languages() {
        assert_eq!(at("18 июня 2024 21:05").as_deref(), Some("2024-06-18T21:05:00Z"));
        assert_eq!(at("Вт, 18 июн 2024 21:05:00 +0300").as_deref(), Some("2024-06-18T18:05:00Z"));
        assert_eq!(at("ter, 18 jun 2024 21:05:00 -0300").as_deref(), Some("2024-06-19T00:05:00Z"));
        assert_eq!(at("16 de dezembro de 2023 10:00").as_deref(), Some("2023-12-16T10:00:00Z"));
        assert_eq!(at("sáb, 16 dic 2023 10:00:00 +0100").as_deref(), Some("2023-12-16T09:00:00Z"));
        assert_eq!(at("mar., 05 sept. 2023 10:00:00 +0200").as_deref(), Some("2023-09-05T08:00:00Z"));
        assert_eq!(at("Di, 05 Mär 2024 10:00:00 +0100").as_deref(), Some("2024-03-05T09:00:00Z"));
        assert_eq!(at("Donnerstag, 3. Oktober 2024 09:30").as_deref(), Some("2024-10-03T09:30:00Z"));
        assert_eq!(at("gio, 16 mag 2024 10:00:00 +0200").as_deref(), Some("2024-05-16T08:00:00Z"));
        assert_eq!(at("16 août 2024 10:00").as_deref(), Some("2024-08-16T10:00:00Z"));
    }

    #[test]
    fn nonsense_is_none_and_never_panics() {
        for junk in [
            "",
            "yesterday",
            "99/99/9999",
            "Feb 30 2024",
            "12:00",
            "+0300",
            "::::",
            "2024-13-45",
            "9999999999999999999",
        ] {
            assert_eq!(at(junk), None, "{junk}");
        }
        assert_eq!(at(&"1".repeat(500)), None);
    }
}
