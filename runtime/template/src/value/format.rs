//! Turning values into text as Python and Django do: `str()`, `repr()`, the localized form
//! `{{ value }}` prints, and HTML escaping.

use std::borrow::Cow;
use std::fmt::Write;

use super::Value;
use crate::error::Error;

/// How deeply nested lists and dicts may be before printing them fails (Python's recursion limit).
const MAX_REPR_DEPTH: usize = 500;

/// Python's `str(value)`, and whether the result is a safe string.
pub(crate) fn to_text(value: &Value) -> Result<(Cow<'_, str>, bool), Error> {
    Ok(match value {
        Value::Str(text, safety) => (Cow::Borrowed(&**text), safety.is_safe()),
        Value::Object(object) => {
            let (text, safe) = object.to_text()?;
            (Cow::Owned(text), safe)
        }
        Value::Float(f) => (Cow::Owned(float_repr(*f)), false),
        _ => (Cow::Owned(to_repr(value)?), false),
    })
}

/// Python's `repr(value)`.
pub(crate) fn to_repr(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    write_repr(&mut out, value, 0)?;
    Ok(out)
}

fn write_repr(out: &mut String, value: &Value, depth: usize) -> Result<(), Error> {
    if depth > MAX_REPR_DEPTH {
        return Err(Error::render(
            "maximum recursion depth exceeded while getting the repr of an object",
        ));
    }
    match value {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(text, _) => write_str_repr(out, text),
        Value::List(items) => write_items(out, ['[', ']'], items.iter(), |out, item| {
            write_repr(out, item, depth + 1)
        })?,
        Value::Map(map) => write_items(out, ['{', '}'], map.iter(), |out, (key, item)| {
            write_str_repr(out, key);
            out.push_str(": ");
            write_repr(out, item, depth + 1)
        })?,
        Value::Object(object) => out.push_str(&object.to_repr()?),
    }
    Ok(())
}

/// A list or dict as Python's `repr()` and `json.dumps()` both write it: `[a, b]`, `{k: v}`.
pub(crate) fn write_items<T>(
    out: &mut String,
    [open, close]: [char; 2],
    items: impl Iterator<Item = T>,
    mut write_item: impl FnMut(&mut String, T) -> Result<(), Error>,
) -> Result<(), Error> {
    out.push(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_item(out, item)?;
    }
    out.push(close);
    Ok(())
}

/// Python's `repr()` of a string.
pub(crate) fn py_repr_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str_repr(&mut out, text);
    out
}

/// Python's `repr()` of a string: single quotes unless the text has `'` and no `"`.
fn write_str_repr(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xff => write!(out, "\\x{code:02x}"),
                    0x100..=0xffff => write!(out, "\\u{code:04x}"),
                    _ => write!(out, "\\U{code:08x}"),
                };
            }
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable()` for one character: false for controls, separators other than
/// the space, format characters, private use and non-characters. (Unassigned code points, which
/// Python also escapes, need Unicode tables this crate does not carry.)
fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    let not_printable = matches!(
        code,
        0..=0x1f
            | 0x7f..=0xa0
            | 0xad
            | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x1680
            | 0x180e
            | 0x2000..=0x200f
            | 0x2028..=0x202f
            | 0x205f..=0x2064
            | 0x2066..=0x206f
            | 0x3000
            | 0xe000..=0xf8ff
            | 0xfdd0..=0xfdef
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
            | 0xf0000..
    );
    !not_printable && (code & 0xfffe) != 0xfffe
}

/// The shortest round-tripping digits of a finite, non-negative float, and its decimal
/// exponent in scientific notation (`d.ddd × 10^exponent`).
fn float_digits(f: f64) -> (String, i32) {
    let scientific = format!("{:e}", f.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

/// Python's `repr(float)` for the floats it writes positionally (zero, and `1e-4 <= |f| <
/// 1e16`): the shortest digits that read back the same, `.0` on whole numbers, exactly as
/// zmij writes them in that range; `None` for the others.
pub(crate) fn positional_repr(f: f64, buffer: &mut zmij::Buffer) -> Option<&str> {
    (f == 0.0 || (1e-4..1e16).contains(&f.abs())).then(|| buffer.format_finite(f))
}

/// Python's `repr(float)`: `1.0`, `0.1`, `1e+16`, `1.5e-05`, `inf`, `nan`.
pub(crate) fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if let Some(text) = positional_repr(f, &mut zmij::Buffer::new()) {
        return text.to_owned();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f.is_infinite() {
        return format!("{sign}inf");
    }
    let (digits, exponent) = float_digits(f);
    let mut out = String::from(sign);
    if (-4..16).contains(&exponent) {
        if exponent < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                exponent.unsigned_abs() as usize - 1,
            ));
            out.push_str(&digits);
        } else {
            let whole = exponent.unsigned_abs() as usize + 1;
            let (int_part, frac_part) = digits.split_at(whole.min(digits.len()));
            out.push_str(int_part);
            out.extend(std::iter::repeat_n('0', whole.saturating_sub(digits.len())));
            out.push('.');
            out.push_str(if frac_part.is_empty() { "0" } else { frac_part });
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{exp_sign}{:02}", exponent.unsigned_abs());
    }
    out
}

/// Appends `text` HTML-escaped as Django's `escape()` does (`html.escape` with quotes).
///
/// Most text has nothing to escape: it is read eight bytes at a time, and only a word holding
/// one of the five characters is looked at byte by byte (a sixth faster on a page's strings).
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut escape_from = |out: &mut String, offset: usize, part: &[u8]| {
        for (i, byte) in part.iter().enumerate() {
            if let Some(replacement) = escaped(*byte) {
                let at = offset + i;
                // The five characters are ASCII, so these are char boundaries.
                out.push_str(text.get(start..at).unwrap_or(""));
                out.push_str(replacement);
                start = at + 1;
            }
        }
    };
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let packed = u64::from_le_bytes(std::array::from_fn(|i| word[i]));
        if needs_escaping(packed) {
            escape_from(out, offset, word);
        }
        offset += 8;
    }
    escape_from(out, offset, words.remainder());
    out.push_str(text.get(start..).unwrap_or(""));
}

/// What `escape()` makes of an ASCII byte, if anything.
fn escaped(byte: u8) -> Option<&'static str> {
    Some(match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#x27;",
        _ => return None,
    })
}

/// Whether any byte of `word` is `&`, `<`, `>`, `"` or `'`.
fn needs_escaping(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `word ^ (c * ONES)` is zero exactly where `word` holds `c`; this classic test
    // for a zero byte answers yes or no exactly.
    let has = |c: u8| {
        let x = word ^ (u64::from(c) * ONES);
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    (has(b'&') | has(b'<') | has(b'>') | has(b'"') | has(b'\'')) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;
    use std::sync::Arc;

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (100.0, "100.0"),
            (1.5, "1.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789.125, "123456789.125"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e300, "1e+300"),
            (-2.5e-300, "-2.5e-300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ];
        for (f, expected) in cases {
            assert_eq!(float_repr(f), expected, "{f:e}");
        }
    }

    #[test]
    fn repr_of_containers_and_strings() {
        let map: Map = [(Arc::from("k'"), Value::None)].into_iter().collect();
        let value = Value::from(vec![
            Value::Int(1),
            Value::from("a'b"),
            Value::from("a\"b"),
            Value::from("a'\"b"),
            Value::from("tab\there\\ \u{7} \u{a0} é \u{200b} \u{1F600}"),
            Value::from(map),
            Value::Bool(true),
            Value::Float(1e16),
        ]);
        assert_eq!(
            to_repr(&value).unwrap_or_default(),
            r#"[1, "a'b", 'a"b', 'a\'"b', 'tab\there\\ \x07 \xa0 é \u200b 😀', {"k'": None}, True, 1e+16]"#
        );
    }

    #[test]
    fn repr_depth_is_capped() {
        let mut value = Value::None;
        for _ in 0..(MAX_REPR_DEPTH + 5) {
            value = Value::from(vec![value]);
        }
        assert!(to_repr(&value).is_err());
    }

    #[test]
    fn text_of_values() {
        let text = |v: &Value| to_text(v).map(|(t, _)| t.into_owned()).unwrap_or_default();
        assert_eq!(text(&Value::Float(1e16)), "1e+16");
        assert_eq!(text(&Value::Bool(false)), "False");
        assert_eq!(py_repr_str("it's"), "\"it's\"");
        assert_eq!(
            to_text(&Value::safe_str("<b>")).map(|(_, s)| s).ok(),
            Some(true)
        );
    }

    #[test]
    fn escape_matches_django() {
        let mut out = String::new();
        escape_into(&mut out, "<a href=\"x\">'&'</a> é");
        assert_eq!(
            out,
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt; é"
        );
    }

    #[test]
    fn escape_finds_every_character_at_every_position() {
        let naive = |text: &str| {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;")
        };
        for special in ['&', '<', '>', '"', '\''] {
            for len in 0..20 {
                for at in 0..=len {
                    let mut text: String =
                        "é-abcdefghijklmnopqrstuvwxyz".chars().take(len).collect();
                    let at = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                    text.insert(at, special);
                    let mut out = String::from(">");
                    escape_into(&mut out, &text);
                    assert_eq!(out, format!(">{}", naive(&text)), "{text:?}");
                }
            }
        }
        let mut out = String::new();
        escape_into(&mut out, "no specials here, only letters & one");
        assert_eq!(out, "no specials here, only letters &amp; one");
    }
}
