//! Text → `Expr`: a hand-written lexer and recursive-descent parser.
//!
//! ```text
//! query   := or EOF
//! or      := and ( "or" and )*
//! and     := unary ( ["and"] unary )*
//! unary   := "-" unary | "(" or ")" | term
//! term    := unread | read | saved | FIELD:VALUE | word | "phrase"
//! ```
//! Keywords and field names are case-insensitive. Every error names the
//! column where the query broke and what was expected there.

use chrono::NaiveDate;

use super::QueryError;
use super::ast::{Expr, Span, Term, TextField, When};

/// `(` and `-` nested deeper than this are refused: every layer is a frame
/// of recursion here and in SQL, and a saved query must not crash the reader.
pub const MAX_DEPTH: usize = 64;
/// Terms in one query, at most: SQLite's expression depth and the search's
/// cost both grow with them.
pub const MAX_TERMS: usize = 256;
/// Characters in one query, at most.
pub const MAX_CHARS: usize = 4096;

/// The filters written as `name:value`.
const FIELDS: &str = "tag:, feed:, story:, since:, before:, title: or author:";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Minus,
    /// A bare word (keywords are recognised by the parser).
    Word(String),
    Phrase(String),
    /// `name:value`; `value_at` is where the value starts, `quoted` when written as `name:"…"`.
    Field {
        name: String,
        value: String,
        value_at: usize,
        quoted: bool,
    },
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

fn err(at: usize, message: impl Into<String>) -> QueryError {
    QueryError { column: at, message: message.into() }
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Reads a `"…"` string starting at `at` (which holds the opening quote).
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), QueryError> {
    match chars[at + 1..].iter().position(|&c| c == '"') {
        Some(len) => Ok((chars[at + 1..at + 1 + len].iter().collect(), at + len + 2)),
        None => Err(err(at, "this quote is never closed: expected a closing `\"`")),
    }
}

fn lex(chars: &[char]) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            '-' => {
                i += 1;
                Tok::Minus
            }
            '"' => {
                let (text, end) = quoted(chars, i)?;
                i = end;
                Tok::Phrase(text)
            }
            _ => {
                while i < chars.len() && !is_break(chars[i]) {
                    i += 1;
                }
                let run: String = chars[start..i].iter().collect();
                match run.split_once(':') {
                    Some((name, value)) if !name.is_empty() && name.chars().all(|c| c.is_alphabetic()) => {
                        let value_at = start + name.chars().count() + 1;
                        if value.is_empty() && chars.get(i) == Some(&'"') {
                            let (text, end) = quoted(chars, i)?;
                            i = end;
                            Tok::Field { name: name.to_lowercase(), value: text, value_at, quoted: true }
                        } else {
                            let value = value.to_string();
                            Tok::Field { name: name.to_lowercase(), value, value_at, quoted: false }
                        }
                    }
                    _ => match run.to_lowercase().as_str() {
                        "or" => Tok::Or,
                        "and" => Tok::And,
                        _ => Tok::Word(run),
                    },
                }
            }
        };
        out.push(Token { tok, span: Span::new(start, i) });
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// Where the text ends (for errors at the end).
    end: usize,
    /// `(` and `-` open around the current token.
    depth: usize,
    /// Terms read so far.
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn here(&self) -> usize {
        self.peek().map_or(self.end, |t| t.span.start)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut alts = vec![self.and()?];
        while let Some(Token { tok: Tok::Or, span }) = self.peek().cloned() {
            self.pos += 1;
            if self.starts_term() {
                alts.push(self.and()?);
            } else {
                return Err(err(self.here(), format!("expected a term after `or` (column {})", span.start + 1)));
            }
        }
        Ok(if alts.len() == 1 { alts.remove(0) } else { Expr::Or(alts) })
    }

    /// True when the next token can begin a term.
    fn starts_term(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.tok),
            Some(Tok::LParen | Tok::Minus | Tok::Word(_) | Tok::Phrase(_) | Tok::Field { .. })
        )
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut all = Vec::new();
        loop {
            match self.peek().map(|t| (t.tok.clone(), t.span)) {
                None | Some((Tok::RParen, _)) => break,
                Some((Tok::Or, span)) => {
                    if all.is_empty() {
                        return Err(err(span.start, "expected a term before `or`"));
                    }
                    break;
                }
                Some((Tok::And, span)) => {
                    if all.is_empty() {
                        return Err(err(span.start, "expected a term before `and`"));
                    }
                    self.pos += 1;
                    if !self.starts_term() {
                        return Err(err(
                            self.here(),
                            format!("expected a term after `and` (column {})", span.start + 1),
                        ));
                    }
                }
                Some(_) => all.push(self.unary()?),
            }
        }
        match all.len() {
            0 => Err(err(self.here(), "expected a term")),
            1 => Ok(all.remove(0)),
            _ => Ok(Expr::And(all)),
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let Some(Token { tok, span }) = self.peek().cloned() else {
            return Err(err(self.end, "expected a term"));
        };
        self.pos += 1;
        if matches!(tok, Tok::Minus | Tok::LParen) {
            if self.depth >= MAX_DEPTH {
                return Err(err(span.start, format!("nested too deeply: at most {MAX_DEPTH} levels of `(` and `-`")));
            }
            self.depth += 1;
            let inner = self.nested(tok, span);
            self.depth -= 1;
            return inner;
        }
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(err(span.start, format!("too many terms: a query holds at most {MAX_TERMS}")));
        }
        match tok {
            Tok::Word(w) => Ok(Expr::Term(word_term(&w), span)),
            Tok::Phrase(p) => {
                if p.trim().is_empty() {
                    return Err(err(span.start, "empty phrase: expected words between the quotes"));
                }
                Ok(Expr::Term(Term::Text { field: TextField::Any, text: p, phrase: true }, span))
            }
            Tok::Field { name, value, value_at, quoted } => {
                Ok(Expr::Term(field_term(&name, value, value_at, quoted, span)?, span))
            }
            Tok::RParen | Tok::Or | Tok::And | Tok::Minus | Tok::LParen => Err(err(span.start, "expected a term")),
        }
    }

    /// What follows a `-` or a `(` (already consumed, at `span`).
    fn nested(&mut self, tok: Tok, span: Span) -> Result<Expr, QueryError> {
        if tok == Tok::Minus {
            // `-` binds to what follows it directly: `a - b` is more likely a typo than a negation.
            if !self.starts_term() || self.here() != span.end {
                return Err(err(span.end, format!("expected a term after `-` (column {})", span.start + 1)));
            }
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::RParen)) {
            return Err(err(self.here(), "empty parentheses: expected a term inside `( )`"));
        }
        let inner = self.or()?;
        match self.peek().map(|t| &t.tok) {
            Some(Tok::RParen) => {
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(err(self.here(), format!("expected `)` to close the `(` at column {}", span.start + 1))),
        }
    }
}

fn word_term(w: &str) -> Term {
    match w.to_lowercase().as_str() {
        "unread" => Term::Unread,
        "read" => Term::Read,
        "saved" => Term::Saved,
        "grouped" => Term::Grouped,
        "ungrouped" => Term::Ungrouped,
        _ => Term::Text { field: TextField::Any, text: w.to_string(), phrase: false },
    }
}

fn field_term(name: &str, value: String, at: usize, quoted: bool, span: Span) -> Result<Term, QueryError> {
    let need = |what: &str| {
        if value.trim().is_empty() { Err(err(at, format!("expected {what} after `{name}:`"))) } else { Ok(()) }
    };
    match name {
        "tag" => {
            need("a tag name")?;
            Ok(if value.eq_ignore_ascii_case("none") { Term::NoTag } else { Term::Tag(value) })
        }
        "feed" => {
            need("part of a feed's title or URL")?;
            Ok(Term::Feed(value))
        }
        "story" => {
            need("a story's id")?;
            Ok(Term::Story(value))
        }
        "since" => Ok(Term::Since(when(name, &value, at)?)),
        "before" => Ok(Term::Before(when(name, &value, at)?)),
        "title" | "author" => {
            need("a word or a \"phrase\"")?;
            let field = if name == "title" { TextField::Title } else { TextField::Author };
            Ok(Term::Text { field, text: value, phrase: quoted })
        }
        _ => Err(err(
            span.start,
            format!("unknown filter `{name}:`; expected {FIELDS} (put the word in quotes to search for it)"),
        )),
    }
}

/// `2024-06-01`, `today`, `yesterday`, or an age: `12h`, `7d`, `2w`, `3mo`, `1y`.
fn when(name: &str, value: &str, at: usize) -> Result<When, QueryError> {
    let expected = || {
        err(
            at,
            format!(
                "expected a date after `{name}:`: YYYY-MM-DD, today, yesterday, \
                 or an age such as 12h, 7d, 2w, 3mo, 1y"
            ),
        )
    };
    let v = value.trim().to_lowercase();
    match v.as_str() {
        "" => return Err(expected()),
        "today" => return Ok(When::DaysBack(0)),
        "yesterday" => return Ok(When::DaysBack(1)),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
        return Ok(When::Day(d));
    }
    let digits = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (n, unit) = v.split_at(digits);
    let n: i64 = n.parse().map_err(|_| expected())?;
    let unit_secs: i64 = match unit {
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 7 * 86_400,
        "mo" | "month" | "months" => 30 * 86_400,
        "y" | "year" | "years" => 365 * 86_400,
        _ => return Err(expected()),
    };
    // Anything beyond a thousand years is a typo, and would overflow the clock arithmetic.
    match n.checked_mul(unit_secs) {
        Some(secs) if secs <= 1000 * 365 * 86_400 => Ok(When::Ago(secs)),
        _ => Err(err(at, format!("`{value}` is too far back"))),
    }
}

/// Parses a query. The empty (or all-blank) query is `Expr::All`.
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_CHARS {
        return Err(err(MAX_CHARS, format!("too long: a query holds at most {MAX_CHARS} characters")));
    }
    let toks = lex(&chars)?;
    if toks.is_empty() {
        return Ok(Expr::All);
    }
    let mut p = Parser { toks, pos: 0, end: chars.len(), depth: 0, terms: 0 };
    let expr = p.or()?;
    match p.peek() {
        None => Ok(expr),
        Some(Token { tok: Tok::RParen, span }) => Err(err(span.start, "unexpected `)`: there is no `(` to close")),
        Some(t) => Err(err(t.span.start, "expected the end of the query")),
    }
}
