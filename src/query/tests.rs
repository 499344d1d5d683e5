//! Parser tests: every construct, every error with its column, and a
//! fuzz-style run proving that no input panics.

use chrono::NaiveDate;

use super::*;

/// The canonical text of a parse (spans left out), or the error as shown.
fn p(text: &str) -> String {
    match parse(text) {
        Ok(e) => e.to_string(),
        Err(e) => format!("error {e}"),
    }
}

fn term(text: &str) -> Term {
    match parse(text).unwrap() {
        Expr::Term(t, _) => t,
        other => panic!("not one term: {other:?}"),
    }
}

fn error(text: &str) -> (usize, String) {
    let e = parse(text).unwrap_err();
    (e.column + 1, e.message)
}

#[test]
fn flags_and_fields() {
    assert_eq!(term("unread"), Term::Unread);
    assert_eq!(term("READ"), Term::Read);
    assert_eq!(term("saved"), Term::Saved);
    assert_eq!(term("tag:russia"), Term::Tag("russia".into()));
    assert_eq!(term("TAG:none"), Term::NoTag);
    assert_eq!(term("feed:\"Moscow Times\""), Term::Feed("Moscow Times".into()));
    assert_eq!(term("feed:themoscowtimes.com"), Term::Feed("themoscowtimes.com".into()));
    assert_eq!(term("tag:\"two words\""), Term::Tag("two words".into()));
    // — #15 stories —
    assert_eq!(term("story:0123abcd"), Term::Story("0123abcd".into()));
    assert_eq!(term("GROUPED"), Term::Grouped);
    assert_eq!(term("ungrouped"), Term::Ungrouped);
    assert_eq!(term("\"grouped\""), Term::Text { field: TextField::Any, text: "grouped".into(), phrase: true });
    assert_eq!(parse("story:ab -grouped").unwrap().to_string(), "story:ab -grouped");
    assert_eq!(error("story:"), (7, "expected a story's id after `story:`".into()));
}

#[test]
fn dates_and_ages() {
    let day = |s| When::Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    assert_eq!(term("since:2024-06-01"), Term::Since(day("2024-06-01")));
    assert_eq!(term("before:2024-06-20"), Term::Before(day("2024-06-20")));
    assert_eq!(term("since:7d"), Term::Since(When::Ago(7 * 86_400)));
    assert_eq!(term("since:12h"), Term::Since(When::Ago(12 * 3600)));
    assert_eq!(term("since:2w"), Term::Since(When::Ago(14 * 86_400)));
    assert_eq!(term("since:3mo"), Term::Since(When::Ago(90 * 86_400)));
    assert_eq!(term("before:1y"), Term::Before(When::Ago(365 * 86_400)));
    assert_eq!(term("since:today"), Term::Since(When::DaysBack(0)));
    assert_eq!(term("since:Yesterday"), Term::Since(When::DaysBack(1)));
}

#[test]
fn dates_resolve_against_the_clock_in_local_time() {
    // 2024-06-18 21:05 UTC, in a zone two hours east of UTC (23:05 local).
    let ctx = Context { now: 1_718_744_700, utc_offset: 7200 };
    let param = |q: &str| compile(&parse(q).unwrap(), &ctx).params[0].clone();
    use rusqlite::types::Value::Integer;
    assert_eq!(param("since:2024-06-18"), Integer(1_718_661_600), "local midnight = 22:00 UTC the day before");
    assert_eq!(param("since:1d"), Integer(1_718_744_700 - 86_400));
    assert_eq!(param("since:today"), Integer(1_718_661_600));
    assert_eq!(param("since:yesterday"), Integer(1_718_661_600 - 86_400));
}

#[test]
fn words_phrases_and_text_fields() {
    assert_eq!(term("Putin"), Term::Text { field: TextField::Any, text: "Putin".into(), phrase: false });
    assert_eq!(term("\"North Korea\""), Term::Text { field: TextField::Any, text: "North Korea".into(), phrase: true });
    assert_eq!(term("title:kremlin"), Term::Text { field: TextField::Title, text: "kremlin".into(), phrase: false });
    assert_eq!(
        term("author:\"Jane Doe\""),
        Term::Text { field: TextField::Author, text: "Jane Doe".into(), phrase: true }
    );
    // Digits before a colon are not a filter name: times and ratios are words.
    assert_eq!(term("10:30"), Term::Text { field: TextField::Any, text: "10:30".into(), phrase: false });
    // A dash inside a word is part of it.
    assert_eq!(term("covid-19"), Term::Text { field: TextField::Any, text: "covid-19".into(), phrase: false });
    // Keywords in quotes are words.
    assert_eq!(term("\"unread\""), Term::Text { field: TextField::Any, text: "unread".into(), phrase: true });
}

#[test]
fn spans_point_at_the_source() {
    let Expr::And(v) = parse("tag:x  -\"a b\"").unwrap() else { panic!() };
    assert!(matches!(v[0], Expr::Term(_, Span { start: 0, end: 5 })));
    let Expr::Not(inner) = &v[1] else { panic!() };
    assert!(matches!(**inner, Expr::Term(_, Span { start: 8, end: 13 })));
}

#[test]
fn boolean_structure() {
    assert_eq!(p(""), "");
    assert_eq!(p("   "), "");
    assert_eq!(p("a b"), "a b");
    assert_eq!(p("a and b"), "a b");
    assert_eq!(p("a AND b"), "a b");
    assert_eq!(p("a or b"), "a or b");
    assert_eq!(p("a OR b c"), "a or (b c)", "and binds tighter than or");
    assert_eq!(p("a b or c"), "(a b) or c");
    assert_eq!(p("(a or b) c"), "(a or b) c");
    assert_eq!(p("-a"), "-a");
    assert_eq!(p("--a"), "--a");
    assert_eq!(p("-(a or b)"), "-(a or b)");
    assert_eq!(p("tag:x -word"), "tag:x -word");
    assert_eq!(p("tag:none or word"), "tag:none or word");
    assert_eq!(p("((a))"), "a");
    assert_eq!(p("a(b)c"), "a b c");
    assert_eq!(p("unread tag:news -feed:\"Moscow Times\" since:7d"), "unread tag:news -feed:\"Moscow Times\" since:7d");
}

#[test]
fn every_error_has_its_column_and_what_was_expected() {
    let cases: &[(&str, usize, &str)] = &[
        ("(tag:x", 7, "expected `)` to close the `(` at column 1"),
        ("a (b or c", 10, "expected `)` to close the `(` at column 3"),
        ("a)", 2, "unexpected `)`: there is no `(` to close"),
        ("()", 2, "empty parentheses: expected a term inside `( )`"),
        ("or a", 1, "expected a term before `or`"),
        ("a or", 5, "expected a term after `or` (column 3)"),
        ("a or or b", 6, "expected a term after `or` (column 3)"),
        ("a or )", 6, "expected a term after `or` (column 3)"),
        ("and a", 1, "expected a term before `and`"),
        ("a and", 6, "expected a term after `and` (column 3)"),
        ("-", 2, "expected a term after `-` (column 1)"),
        ("a - b", 4, "expected a term after `-` (column 3)"),
        ("\"open phrase", 1, "this quote is never closed: expected a closing `\"`"),
        ("feed:\"Moscow", 6, "this quote is never closed: expected a closing `\"`"),
        ("\"\"", 1, "empty phrase: expected words between the quotes"),
        ("tag:", 5, "expected a tag name after `tag:`"),
        ("feed:", 6, "expected part of a feed's title or URL after `feed:`"),
        ("title:", 7, "expected a word or a \"phrase\" after `title:`"),
        ("since:", 7, "expected a date after `since:`"),
        ("since:last-week", 7, "expected a date after `since:`"),
        ("before:2024-13-01", 8, "expected a date after `before:`"),
        ("since:7x", 7, "expected a date after `since:`"),
        ("since:99999999999y", 7, "`99999999999y` is too far back"),
        ("word tga:x", 6, "unknown filter `tga:`; expected tag:, feed:, story:, since:, before:, title: or author:"),
    ];
    for (query, column, message) in cases {
        let (c, m) = error(query);
        assert_eq!(c, *column, "column for {query:?}: {m}");
        assert!(m.starts_with(message), "message for {query:?}: {m}");
    }
}

#[test]
fn nesting_and_size_are_bounded_with_a_column() {
    // 40,000 `(` used to overflow the stack: refused at the first one too many.
    let deep = "(".repeat(40_000);
    assert_eq!(error(&deep), (MAX_CHARS + 1, "too long: a query holds at most 4096 characters".into()));
    assert_eq!(error(&deep[..100]), (65, "nested too deeply: at most 64 levels of `(` and `-`".into()));
    assert_eq!(error(&"-".repeat(100)).0, 65);
    assert_eq!(
        error(&format!("a {}b", "-(".repeat(40))),
        (67, "nested too deeply: at most 64 levels of `(` and `-`".into())
    );
    let at_limit = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(p(&at_limit), "a");
    // 20,000 × `a or` used to reach SQLite as "Expression tree is too large".
    let wide = "a or ".repeat(20_000);
    assert_eq!(error(&wide[..MAX_CHARS]).1, "too many terms: a query holds at most 256");
    assert_eq!(error(&wide[..MAX_CHARS]).0, 256 * 5 + 1);
    assert_eq!(error(&wide), (MAX_CHARS + 1, "too long: a query holds at most 4096 characters".into()));
    let words = vec!["w"; MAX_TERMS].join(" ");
    assert!(parse(&words).is_ok());
    assert_eq!(error(&format!("{words} x")), (MAX_TERMS * 2 + 1, "too many terms: a query holds at most 256".into()));
}

#[test]
fn the_pointed_message_puts_a_caret_under_the_column() {
    let e = parse("(tag:x").unwrap_err();
    assert_eq!(
        e.pointed("(tag:x"),
        "invalid query at column 7: expected `)` to close the `(` at column 1\n  (tag:x\n        ^"
    );
    // Wide characters take two cells.
    let e = parse("東京 )").unwrap_err();
    assert!(e.pointed("東京 )").ends_with("\n  東京 )\n       ^"), "{}", e.pointed("東京 )"));
}

#[test]
fn views_are_queries() {
    use crate::model::View;
    assert_eq!(view_text(&View::All), "");
    assert_eq!(view_text(&View::Unread), "unread");
    assert_eq!(view_text(&View::Tag("news".into())), "tag:news");
    assert_eq!(view_text(&View::Tag("two words".into())), "tag:\"two words\"");
    assert_eq!(view_text(&View::Query("  putin -sport ".into())), "putin -sport");
    assert_eq!(view_expr(&View::Tag("news".into())).unwrap().to_string(), parse("tag:news").unwrap().to_string());
    assert!(view_expr(&View::Query("(".into())).is_err());
}

#[test]
fn fts_strings_are_quoted_and_text_is_bound_not_pasted() {
    let ctx = Context { now: 0, utc_offset: 0 };
    let sql = compile(&parse("x'; DROP TABLE items").unwrap(), &ctx);
    assert!(!sql.clause.contains("DROP"), "{}", sql.clause);
    let sql = compile(&parse("say \"a \"").unwrap(), &ctx);
    assert_eq!(sql.params, [rusqlite::types::Value::Text("(\"say\"* AND \"a \")".into())]);
    let sql = compile(&parse("feed:100%_sure").unwrap(), &ctx);
    assert_eq!(sql.params[0], rusqlite::types::Value::Text("%100\\%\\_sure%".into()));
    assert_eq!(sql::rank_match(&parse("a -b (c or tag:x)").unwrap()).as_deref(), Some("\"a\"* OR \"c\"*"));
}

/// A tiny deterministic generator (xorshift), so the fuzz run needs no crate
/// and fails the same way every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Pieces that make interesting queries when glued together at random.
const PIECES: &[&str] = &[
    "(",
    ")",
    "\"",
    "-",
    " ",
    "  ",
    ":",
    "or",
    "OR",
    "and",
    "unread",
    "read",
    "saved",
    "tag:",
    "tag:x",
    "tag:none",
    "feed:",
    "feed:\"",
    "since:",
    "since:7d",
    "since:2024-06-01",
    "before:",
    "before:1y",
    "title:",
    "author:",
    "word",
    "Putin",
    "東京",
    "é",
    "\u{202e}",
    "\u{0}",
    "\t",
    "\n",
    "%",
    "_",
    "*",
    "'",
    "10:30",
    "x:y",
    "7",
    "mo",
    "-tag:y",
    "\"a b\"",
    "NOT",
    "NEAR",
    "^",
    "{",
    "}",
    "covid-19",
];

#[test]
fn arbitrary_input_never_panics_and_good_parses_read_back() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let ctx = Context { now: 1_718_744_700, utc_offset: 3600 };
    let mut parsed = 0;
    for _ in 0..20_000 {
        let n = (rng.next() % 8) as usize;
        let text: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        match parse(&text) {
            Ok(expr) => {
                parsed += 1;
                // The canonical text parses back to the same tree.
                let again = parse(&expr.to_string()).unwrap_or_else(|e| panic!("{text:?} → {expr} → {e}"));
                assert_eq!(again.to_string(), expr.to_string(), "{text:?}");
                let sql = compile(&expr, &ctx);
                assert_eq!(sql.clause.matches('?').count(), sql.params.len(), "{text:?}: {}", sql.clause);
            }
            Err(e) => assert!(e.column <= text.chars().count(), "{text:?}: {e}"),
        }
    }
    assert!(parsed > 2_000, "the generator should also make valid queries ({parsed})");
    // Random characters too, not only pieces.
    for _ in 0..20_000 {
        let n = (rng.next() % 12) as usize;
        let text: String = (0..n).filter_map(|_| char::from_u32((rng.next() % 0x3000) as u32)).collect();
        if let Err(e) = parse(&text) {
            assert!(e.column <= text.chars().count());
        }
    }
}

// — #10 search —
#[test]
fn the_driving_lookup_is_the_top_level_one() {
    let d = |q: &str| sql::driving_match(&parse(q).unwrap()).map(|d| (d.fts, d.narrower));
    let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
    assert_eq!(d("korea"), pair("\"korea\"*", "\"korea\""));
    assert_eq!(d("\"north korea\""), pair("\"north korea\"", "\"north korea\""));
    assert_eq!(d("title:korea unread"), pair("title : \"korea\"*", "title : \"korea\""));
    assert_eq!(d("korea -north unread"), pair("(\"korea\"*) NOT (\"north\"*)", "(\"korea\") NOT (\"north\"*)"));
    assert_eq!(d("north korea"), pair("(\"north\"* AND \"korea\"*)", "(\"north\" AND \"korea\")"));
    for none in ["korea or unread", "-korea", "unread", "", "\"!!\"", "-korea unread", "(korea or seoul) unread"] {
        assert_eq!(d(none), None, "{none}");
    }
    // Bare words as the whole words they are a prefix of (ASCII words only).
    let longer = |t: &str| if t == "korea" { vec!["korean".to_string()] } else { vec![] };
    let x = |q: &str| sql::driving_match(&parse(q).unwrap()).and_then(|d| d.expanded(&longer));
    let some = |s: &str| Some(s.to_string());
    assert_eq!(x("Korea"), some("(\"korea\" OR \"korean\")"));
    assert_eq!(x("title:korea unread"), some("(title : \"korea\" OR title : \"korean\")"));
    assert_eq!(x("north korea"), some("(\"north\" AND (\"korea\" OR \"korean\"))"));
    assert_eq!(x("seoul -korea"), some("(\"seoul\") NOT ((\"korea\" OR \"korean\"))"));
    assert_eq!(x("\"north korea\" seoul"), some("(\"north korea\" AND \"seoul\")"));
    assert_eq!(x("korea-"), None);
    assert_eq!(x("séoul"), None);
    let prefixes = |q: &str| sql::driving_match(&parse(q).unwrap()).and_then(|d| d.prefixes());
    assert_eq!(prefixes("Korea -North \"seoul\""), Some(vec!["korea".to_string(), "north".to_string()]));
    assert_eq!(prefixes("\"north korea\""), Some(vec![]));
    assert_eq!(prefixes("korea séoul"), None);
    let phrase_words = |q: &str| sql::driving_match(&parse(q).unwrap()).map(|d| d.phrase_words());
    assert_eq!(phrase_words("\"prime minister\" korea -\"kim's\""), Some(4));
    // Written as given, the rest as compiled.
    let ctx = Context { now: 0, utc_offset: 0 };
    let given = Sql { clause: "G".into(), params: vec![] };
    let driven = |q: &str| sql::compile_driven(&parse(q).unwrap(), &ctx, &given).clause;
    assert_eq!(driven("korea"), "G");
    assert_eq!(driven("korea unread"), "(G AND i.read = 0)");
    assert_eq!(driven("korea -north read"), "(G AND i.read = 1)");
}
