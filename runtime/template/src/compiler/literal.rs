//! Python's rules for the pieces of Django's template syntax: whitespace (`str.strip`,
//! `str.split`), word characters (`\w`), `int()`, `float()`, string literals, and
//! `smart_split`, which splits a tag into bits while keeping quoted strings whole.

/// Python's `str.isspace()` for one character (Rust's `White_Space` plus `\x1c`..`\x1f`).
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()`.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `str.split()` with no argument.
pub(crate) fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_py_space).filter(|part| !part.is_empty())
}

/// A character of the regular expression class `\w`.
pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// What Python's `int(text)` gives.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PyInt {
    /// Not an integer literal (`ValueError`).
    Invalid,
    /// An integer that fits 64 bits.
    Int(i64),
    /// A valid integer beyond 64 bits (Python has no limit; the engine does).
    TooBig,
}

/// Digits with single underscores between them, as Python's numeric literals allow.
fn is_digit_part(s: &str) -> bool {
    !s.is_empty()
        && s.split('_')
            .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_digit()))
}

/// Python's `int(text)` in base 10 (ASCII digits).
pub(crate) fn parse_int(text: &str) -> PyInt {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !is_digit_part(digits) {
        return PyInt::Invalid;
    }
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    match cleaned.parse::<i64>() {
        Ok(i) => PyInt::Int(i),
        Err(_) => PyInt::TooBig,
    }
}

/// Python's `float(text)`, or `None` where it raises `ValueError`.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    let special = matches!(lower.as_str(), "inf" | "infinity" | "nan");
    if !special {
        let (mantissa, exponent) = match lower.split_once('e') {
            Some((m, e)) => (m, Some(e)),
            None => (lower.as_str(), None),
        };
        let mantissa_ok = match mantissa.split_once('.') {
            Some((int_part, frac_part)) => {
                (int_part.is_empty() || is_digit_part(int_part))
                    && (frac_part.is_empty() || is_digit_part(frac_part))
                    && !(int_part.is_empty() && frac_part.is_empty())
            }
            None => is_digit_part(mantissa),
        };
        let exponent_ok =
            exponent.is_none_or(|e| is_digit_part(e.strip_prefix(['-', '+']).unwrap_or(e)));
        if !mantissa_ok || !exponent_ok {
            return None;
        }
    }
    text.chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .parse()
        .ok()
}

/// Django's `unescape_string_literal`: the text of `"..."` or `'...'` with `\"` (or `\'`)
/// and `\\` unescaped; `None` if `s` is not quoted.
pub(crate) fn unescape_string_literal(s: &str) -> Option<String> {
    let quote = s.chars().next().filter(|&c| c == '"' || c == '\'')?;
    if s.len() < 2 || !s.ends_with(quote) {
        return None;
    }
    let inner = s.get(1..s.len() - 1)?;
    let escaped_quote = format!("\\{quote}");
    Some(
        inner
            .replace(&escaped_quote, &quote.to_string())
            .replace("\\\\", "\\"),
    )
}

/// The end of a quoted string starting at byte `start` (which holds the quote), as the regex
/// `"(?:[^"\\]|\\.)*"` matches it; `None` if it is not terminated.
pub(crate) fn quoted_end(s: &str, start: usize) -> Option<usize> {
    let rest = s.get(start..)?;
    let mut chars = rest.char_indices();
    let (_, quote) = chars.next()?;
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return Some(start + i + c.len_utf8());
        }
        if c == '\\' {
            // `.` matches anything but a newline.
            match chars.next() {
                Some((_, '\n')) | None => return None,
                Some(_) => {}
            }
        }
    }
    None
}

/// Django's `smart_split`: splits on whitespace, keeping quoted strings (with anything
/// attached to them) in one bit.
pub(crate) fn smart_split(s: &str) -> Vec<&str> {
    let mut bits = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        let rest = s.get(pos..).unwrap_or("");
        let Some(offset) = rest.find(|c: char| !is_py_space(c)) else {
            break;
        };
        let start = pos + offset;
        let end = quoted_bit_end(s, start).unwrap_or_else(|| {
            s.get(start..)
                .and_then(|after| after.find(is_py_space))
                .map_or(s.len(), |len| start + len)
        });
        bits.push(s.get(start..end).unwrap_or(""));
        pos = end;
    }
    bits
}

/// The first alternative of `smart_split_re`: `[^\s'"]*` then one or more quoted strings,
/// each followed by `[^\s'"]*`.
fn quoted_bit_end(s: &str, start: usize) -> Option<usize> {
    let plain_run = |from: usize| -> usize {
        s.get(from..)
            .and_then(|after| after.find(|c: char| is_py_space(c) || c == '"' || c == '\''))
            .map_or(s.len(), |len| from + len)
    };
    let mut pos = plain_run(start);
    let mut quoted = 0;
    while matches!(
        s.get(pos..).and_then(|r| r.chars().next()),
        Some('"' | '\'')
    ) {
        match quoted_end(s, pos) {
            Some(end) => {
                pos = plain_run(end);
                quoted += 1;
            }
            None => break,
        }
    }
    (quoted > 0).then_some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_pythons() {
        assert_eq!(py_strip("\x1c a \u{3000}"), "a");
        assert_eq!(py_split(" if  a\tb ").collect::<Vec<_>>(), ["if", "a", "b"]);
        assert!(!is_py_space('\u{200b}'));
    }

    #[test]
    fn int_follows_python() {
        assert_eq!(parse_int("42"), PyInt::Int(42));
        assert_eq!(parse_int("-7"), PyInt::Int(-7));
        assert_eq!(parse_int("+007"), PyInt::Int(7));
        assert_eq!(parse_int("1_000"), PyInt::Int(1000));
        assert_eq!(parse_int("1__0"), PyInt::Invalid);
        assert_eq!(parse_int("_1"), PyInt::Invalid);
        assert_eq!(parse_int("1.0"), PyInt::Invalid);
        assert_eq!(parse_int(""), PyInt::Invalid);
        assert_eq!(parse_int("-"), PyInt::Invalid);
        assert_eq!(parse_int("99999999999999999999"), PyInt::TooBig);
    }

    #[test]
    fn float_follows_python() {
        let ok = [
            ("1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e5", 1e5),
            ("1E5", 1e5),
            ("1.e5", 1e5),
            ("-1.5e-3", -1.5e-3),
            ("1_0.5", 10.5),
            ("1e1_0", 1e10),
            ("1e500", f64::INFINITY),
        ];
        for (text, expected) in ok {
            assert_eq!(parse_float(text), Some(expected), "{text}");
        }
        for text in [
            "1e", "e5", ".", ".e5", "1_.5", "1.2.3", "1e5.0", "abc", "", "1__0.0",
        ] {
            assert_eq!(parse_float(text), None, "{text}");
        }
        assert!(parse_float("nan").is_some_and(f64::is_nan));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn string_literals_unescape_like_django() {
        assert_eq!(unescape_string_literal("\"abc\"").as_deref(), Some("abc"));
        assert_eq!(unescape_string_literal("'a\\'b'").as_deref(), Some("a'b"));
        assert_eq!(
            unescape_string_literal("\"a\\\\b\"").as_deref(),
            Some("a\\b")
        );
        assert_eq!(
            unescape_string_literal("\"a\\'b\"").as_deref(),
            Some("a\\'b")
        );
        assert_eq!(unescape_string_literal("\"").as_deref(), None);
        assert_eq!(unescape_string_literal("'a\"").as_deref(), None);
        assert_eq!(unescape_string_literal("abc").as_deref(), None);
        assert_eq!(unescape_string_literal("\"\"").as_deref(), Some(""));
    }

    #[test]
    fn smart_split_keeps_quotes_together() {
        assert_eq!(smart_split("if a == 'b c'"), ["if", "a", "==", "'b c'"]);
        assert_eq!(smart_split("t x=\"a b\" y"), ["t", "x=\"a b\"", "y"]);
        assert_eq!(smart_split("'a'\"b\"c d"), ["'a'\"b\"c", "d"]);
        assert_eq!(smart_split("\"a b"), ["\"a", "b"]);
        assert_eq!(smart_split("\"a\"b\"c d"), ["\"a\"b", "\"c", "d"]);
        assert_eq!(smart_split("'it\\'s' x"), ["'it\\'s'", "x"]);
        assert!(smart_split("   ").is_empty());
    }
}
