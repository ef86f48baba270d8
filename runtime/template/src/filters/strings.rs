//! Django's string filters: case, padding, cutting, slugs, truncation, `stringformat`.

use super::{needs_host, one, py_int, string_filter, text_of, two, Filter, FilterEnv};
use crate::compiler::is_py_space;
use crate::error::Error;
use crate::host::Translation;
use crate::value::{to_repr, to_text, Value};

/// The string filters.
pub(super) const FILTERS: &[Filter] = &[
    one("upper", false, upper),
    one("lower", true, lower),
    one("capfirst", true, capfirst),
    one("title", true, title),
    one("addslashes", true, addslashes),
    two("cut", false, cut),
    two("center", true, center),
    two("ljust", true, ljust),
    two("rjust", true, rjust),
    one("slugify", true, slugify),
    two("truncatechars", true, truncatechars),
    two("truncatewords", true, truncatewords),
    one("wordcount", false, wordcount),
    two("wordwrap", true, wordwrap),
    one("phone2numeric", true, phone2numeric),
    two("stringformat", true, stringformat),
];

/// `str(value).upper()`; not `is_safe`, so `"<b>"|safe|upper` is escaped again.
fn upper(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("upper", &value, false, |t| Ok(t.to_uppercase()))
}

/// `str(value).lower()`; `is_safe` in Django, so a safe input stays safe.
fn lower(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("lower", &value, true, |t| Ok(t.to_lowercase()))
}

/// The first character upper-cased.
fn capfirst(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("capfirst", &value, true, |t| {
        let mut chars = t.chars();
        Ok(match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        })
    })
}

/// `str.title()` then Django's fixes for `'` and digits; other than ASCII through the tables
/// of Python's Unicode database (`case.rs`).
fn title(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("title", &value, true, |text| {
        if !text.is_ascii() {
            return Ok(super::case::django_title(text));
        }
        let mut titled = text.as_bytes().to_vec();
        let mut previous_cased = false;
        for b in &mut titled {
            let cased = b.is_ascii_alphabetic();
            if previous_cased {
                b.make_ascii_lowercase();
            } else {
                b.make_ascii_uppercase();
            }
            previous_cased = cased;
        }
        // re.sub("([a-z])'([A-Z])", lower) then re.sub(r"\d([A-Z])", lower), left to right.
        let mut i = 0;
        while i + 2 < titled.len() {
            if titled[i].is_ascii_lowercase()
                && titled[i + 1] == b'\''
                && titled[i + 2].is_ascii_uppercase()
            {
                titled[i + 2] = titled[i + 2].to_ascii_lowercase();
                i += 3;
            } else {
                i += 1;
            }
        }
        let mut i = 0;
        while i + 1 < titled.len() {
            if titled[i].is_ascii_digit() && titled[i + 1].is_ascii_uppercase() {
                titled[i + 1] = titled[i + 1].to_ascii_lowercase();
                i += 2;
            } else {
                i += 1;
            }
        }
        Ok(String::from_utf8(titled).unwrap_or_default())
    })
}

/// Backslashes before `\`, `"` and `'`.
fn addslashes(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("addslashes", &value, true, |t| {
        Ok(t.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\'', "\\'"))
    })
}

/// Removes every occurrence of the argument; a safe input stays safe unless it cut `;`.
fn cut(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("cut", &value)?;
    let Some(Value::Str(arg, _)) = arg else {
        return Err(needs_host("cut"));
    };
    let cut = text.replace(&*arg, "");
    Ok(Value::Str(cut.into(), (safe && &*arg != ";").into()))
}

fn width(name: &str, arg: Option<Value>) -> Result<usize, Error> {
    match arg.as_ref().map(py_int).transpose()?.flatten() {
        Some(n) => Ok(usize::try_from(n).unwrap_or(0)),
        // int() raised: Django lets the ValueError out.
        None => Err(needs_host(name)),
    }
}

/// `str.center(width)`, with Python's placement of the odd space.
fn center(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let width = width("center", arg)?;
    string_filter("center", &value, true, |t| {
        let len = t.chars().count();
        if width <= len {
            return Ok(t.to_owned());
        }
        let margin = width - len;
        let left = margin / 2 + (margin & width & 1);
        Ok(format!(
            "{}{t}{}",
            " ".repeat(left),
            " ".repeat(margin - left)
        ))
    })
}

fn ljust(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let width = width("ljust", arg)?;
    string_filter("ljust", &value, true, |t| {
        let pad = width.saturating_sub(t.chars().count());
        Ok(format!("{t}{}", " ".repeat(pad)))
    })
}

fn rjust(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let width = width("rjust", arg)?;
    string_filter("rjust", &value, true, |t| {
        let pad = width.saturating_sub(t.chars().count());
        Ok(format!("{}{t}", " ".repeat(pad)))
    })
}

/// Django's `slugify`: the ASCII of the text's NFKD form (from a table of Python's
/// `unicodedata`), lowercased, word characters, spaces and hyphens kept, runs of spaces and
/// hyphens made one hyphen.
fn slugify(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    string_filter("slugify", &value, true, |text| {
        let ascii = if text.is_ascii() {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(nfkd_ascii(text))
        };
        let kept: String = ascii
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || is_py_space(*c))
            .collect();
        let mut out = String::with_capacity(kept.len());
        let mut in_run = false;
        for c in kept.chars() {
            if c == '-' || is_py_space(c) {
                if !in_run {
                    out.push('-');
                }
                in_run = true;
            } else {
                out.push(c);
                in_run = false;
            }
        }
        Ok(out.trim_matches(|c| c == '-' || c == '_').to_owned())
    })
}

/// `unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()`.
fn nfkd_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Ok(at) =
            super::slug_table::ASCII_OF.binary_search_by_key(&u32::from(c), |e| e.0)
        {
            out.push_str(super::slug_table::ASCII_OF[at].1);
        }
    }
    out
}

/// The truncation text with `text` in it: Django's `add_truncation_text`.
fn add_truncation_text(text: &str, truncate: &str) -> String {
    if truncate.contains("%(truncated_text)s") {
        return truncate
            .replace("%(truncated_text)s", text)
            .replace("%%", "%");
    }
    if text.ends_with(truncate) {
        return text.to_owned();
    }
    format!("{text}{truncate}")
}

/// `Truncator(value).chars(n)` for ASCII text (other text is NFC-normalized and measured
/// without combining characters in Django: the host does that).
fn truncatechars(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("truncatechars", &value)?;
    let Some(length) = arg.as_ref().map(py_int).transpose()?.flatten() else {
        return Ok(Value::Str(text.into_owned().into(), safe.into()));
    };
    let out = if length <= 0 {
        String::new()
    } else {
        if !text.is_ascii() {
            return Err(needs_host("truncatechars"));
        }
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        if text.len() <= length {
            text.into_owned()
        } else {
            let truncate = env.host.translate(Translation {
                context: Some("String to return when truncating text"),
                singular: "%(truncated_text)s…",
                plural: None,
            })?;
            let marker = add_truncation_text("", &truncate);
            let mut keep = length;
            for c in marker.chars() {
                if !is_combining(c) {
                    keep -= 1;
                    if keep == 0 {
                        break;
                    }
                }
            }
            add_truncation_text(text.get(..keep).unwrap_or(""), &truncate)
        }
    };
    Ok(Value::Str(out.into(), safe.into()))
}

/// Combining marks as `unicodedata.combining` reports them, for the marks a translated
/// truncation text could plausibly hold (the main combining blocks).
fn is_combining(c: char) -> bool {
    matches!(u32::from(c), 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

/// `Truncator(value).words(n, truncate=" …")`.
fn truncatewords(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("truncatewords", &value)?;
    let Some(length) = arg.as_ref().map(py_int).transpose()?.flatten() else {
        return Ok(Value::Str(text.into_owned().into(), safe.into()));
    };
    let out = if length <= 0 {
        String::new()
    } else {
        let words: Vec<&str> = crate::compiler::py_split(&text).collect();
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        if words.len() > length {
            add_truncation_text(&words[..length].join(" "), " …")
        } else {
            words.join(" ")
        }
    };
    Ok(Value::Str(out.into(), safe.into()))
}

/// `len(value.split())`.
fn wordcount(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, _) = text_of("wordcount", &value)?;
    let count = crate::compiler::py_split(&text).count();
    Ok(Value::Int(i64::try_from(count).unwrap_or(i64::MAX)))
}

/// `wrap(value, int(arg))`; a width Python's `int()` or `textwrap` refuses goes to the
/// host, which raises as Django does.
fn wordwrap(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let width = match arg.as_ref().map(py_int).transpose()?.flatten() {
        Some(width) if width > 0 => usize::try_from(width).unwrap_or(usize::MAX),
        _ => return Err(needs_host("wordwrap")),
    };
    string_filter("wordwrap", &value, true, |text| {
        Ok(super::wrap::wrap(text, width))
    })
}

/// Letters on a phone keypad become their digits.
fn phone2numeric(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let Value::Str(text, _) = &value else {
        return Err(needs_host("phone2numeric"));
    };
    let out: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='c' => '2',
            'd'..='f' => '3',
            'g'..='i' => '4',
            'j'..='l' => '5',
            'm'..='o' => '6',
            'p'..='s' => '7',
            't'..='v' => '8',
            'w'..='z' => '9',
            other => other,
        })
        .collect();
    Ok(Value::from(out))
}

/// `("%" + arg) % value` for one conversion (`s`, `r`, `d`, `i`, `f`, `F`, `x`, `X`, `o`) with
/// flags, width and precision; `""` where Python raises; the host for anything rarer.
fn stringformat(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let spec = match &arg {
        Some(Value::Str(spec, _)) => spec.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        _ => return Err(needs_host("stringformat")),
    };
    if matches!(value, Value::Object(_)) || spec.contains(['%', '(', '*']) {
        return Err(needs_host("stringformat"));
    }
    let bytes = spec.as_bytes();
    let mut i = 0;
    let mut flags = String::new();
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b'-' | b'+' | b' ' | b'0' | b'#') {
            flags.push(char::from(b));
            i += 1;
        } else {
            break;
        }
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        spec.get(start..*i).and_then(|d| d.parse::<usize>().ok())
    };
    let width = digits(&mut i);
    let precision = if bytes.get(i) == Some(&b'.') {
        i += 1;
        Some(digits(&mut i).unwrap_or(0))
    } else {
        None
    };
    // Python skips a length modifier.
    if matches!(bytes.get(i), Some(b'h' | b'l' | b'L')) {
        i += 1;
    }
    let Some(&conversion) = bytes.get(i) else {
        return Ok(Value::from(""));
    };
    if i + 1 != bytes.len() {
        // More text after the conversion: Python would print it, or need more arguments.
        return Err(needs_host("stringformat"));
    }
    let number = |value: &Value| -> Option<f64> {
        match value {
            Value::Int(n) => Some(*n as f64),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    };
    // %d and %i take int(float); %x, %X and %o want an integer.
    let integer = |value: &Value| -> Result<Option<i64>, Error> {
        Ok(match value {
            Value::Int(n) => Some(*n),
            Value::Bool(b) => Some(i64::from(*b)),
            Value::Float(f) if matches!(conversion, b'd' | b'i') => {
                if !f.is_finite() {
                    return Err(needs_host("stringformat"));
                }
                Some(f.trunc() as i64)
            }
            _ => None,
        })
    };
    let body = match conversion {
        b's' => {
            let (text, _) = to_text(&value)?;
            let text = text.into_owned();
            match precision {
                Some(p) => text.chars().take(p).collect(),
                None => text,
            }
        }
        b'r' => {
            let text = to_repr(&value)?;
            match precision {
                Some(p) => text.chars().take(p).collect(),
                None => text,
            }
        }
        b'd' | b'i' | b'x' | b'X' | b'o' => {
            let Some(n) = integer(&value)? else {
                return Ok(Value::from(""));
            };
            let magnitude = n.unsigned_abs();
            let mut digits = match conversion {
                b'x' => format!("{magnitude:x}"),
                b'X' => format!("{magnitude:X}"),
                b'o' => format!("{magnitude:o}"),
                _ => magnitude.to_string(),
            };
            if flags.contains('#') && conversion != b'd' && conversion != b'i' {
                let prefix = match conversion {
                    b'x' => "0x",
                    b'X' => "0X",
                    _ => "0o",
                };
                digits.insert_str(0, prefix);
            }
            if let Some(p) = precision {
                while digits.len() < p {
                    digits.insert(0, '0');
                }
            }
            signed(n < 0, digits, &flags)
        }
        b'f' | b'F' => {
            let Some(f) = number(&value) else {
                return Ok(Value::from(""));
            };
            let p = precision.unwrap_or(6);
            let body = if f.is_finite() {
                format!("{:.p$}", f.abs())
            } else if f.is_nan() {
                "nan".into()
            } else {
                "inf".into()
            };
            let body = if conversion == b'F' {
                body.to_uppercase()
            } else {
                body
            };
            signed(f.is_sign_negative() && !f.is_nan(), body, &flags)
        }
        _ => return Err(needs_host("stringformat")),
    };
    Ok(Value::from(pad(
        body,
        width,
        &flags,
        conversion != b's' && conversion != b'r',
    )))
}

/// Applies `+` / ` ` flags and the sign.
fn signed(negative: bool, digits: String, flags: &str) -> String {
    let sign = if negative {
        "-"
    } else if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    };
    format!("{sign}{digits}")
}

/// Pads to `width`: left-aligned with `-`, zero-padded (after the sign) with `0` for numbers.
fn pad(body: String, width: Option<usize>, flags: &str, numeric: bool) -> String {
    let Some(width) = width else {
        return body;
    };
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = width - len;
    if flags.contains('-') {
        return format!("{body}{}", " ".repeat(fill));
    }
    if numeric && flags.contains('0') {
        let sign_len = usize::from(body.starts_with(['-', '+', ' ']));
        let (sign, rest) = body.split_at(sign_len);
        let prefix_len =
            if rest.starts_with("0x") || rest.starts_with("0X") || rest.starts_with("0o") {
                2
            } else {
                0
            };
        let (prefix, digits) = rest.split_at(prefix_len);
        return format!("{sign}{prefix}{}{digits}", "0".repeat(fill));
    }
    format!("{}{body}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::run;

    #[test]
    fn case_filters_follow_python() {
        assert_eq!(
            run(upper, Value::from("straße"), None).as_deref(),
            Some("STRASSE")
        );
        assert_eq!(
            run(title, Value::from("they're 1st bill's"), None).as_deref(),
            Some("They're 1st Bill's")
        );
        assert_eq!(
            run(capfirst, Value::from("éa"), None).as_deref(),
            Some("Éa")
        );
        assert_eq!(
            run(title, Value::from("élan"), None).as_deref(),
            Some("Élan")
        );
    }

    #[test]
    fn padding_matches_python() {
        assert_eq!(
            run(center, Value::from("ab"), Some(Value::Int(5))).as_deref(),
            Some("  ab ")
        );
        assert_eq!(
            run(center, Value::from("abc"), Some(Value::Int(6))).as_deref(),
            Some(" abc  ")
        );
        assert_eq!(
            run(ljust, Value::from("a"), Some(Value::from("3"))).as_deref(),
            Some("a  ")
        );
        assert_eq!(
            run(rjust, Value::from("a"), Some(Value::Int(3))).as_deref(),
            Some("  a")
        );
    }

    #[test]
    fn slugs_and_words() {
        assert_eq!(
            run(slugify, Value::from(" Hello, World! -_ x "), None).as_deref(),
            Some("hello-world-_-x")
        );
        // django.utils.text.slugify under Python 3.11 (unicodedata 14.0.0).
        let non_ascii = [
            ("Ünïcödé straße ß", "unicode-strae"),
            ("Ｆｕｌｌ ｗｉｄｔｈ ½", "full-width-12"),
            ("Ærøskøbing — naïve café", "rskbing-naive-cafe"),
            ("日本語 text", "text"),
        ];
        for (text, slug) in non_ascii {
            assert_eq!(run(slugify, Value::from(text), None).as_deref(), Some(slug));
        }
        assert_eq!(
            run(truncatewords, Value::from("a b  c"), Some(Value::Int(2))).as_deref(),
            Some("a b …")
        );
        assert_eq!(
            run(truncatechars, Value::from("abcdef"), Some(Value::Int(4))).as_deref(),
            Some("abc…")
        );
        assert_eq!(
            run(truncatechars, Value::from("abc"), Some(Value::from("x"))).as_deref(),
            Some("abc")
        );
        assert_eq!(
            run(wordcount, Value::from(" a b\nc "), None).as_deref(),
            Some("3")
        );
    }

    #[test]
    fn stringformat_covers_the_common_conversions() {
        let f = |v: Value, spec: &str| run(stringformat, v, Some(Value::from(spec)));
        assert_eq!(f(Value::Int(5), "03d").as_deref(), Some("005"));
        assert_eq!(f(Value::Float(1.5), ".2f").as_deref(), Some("1.50"));
        assert_eq!(f(Value::Int(255), "#x").as_deref(), Some("0xff"));
        assert_eq!(f(Value::from("ab"), "5s").as_deref(), Some("   ab"));
        assert_eq!(f(Value::from("ab"), "-5s").as_deref(), Some("ab   "));
        assert_eq!(f(Value::from("ab"), "d").as_deref(), Some(""));
        assert_eq!(f(Value::Int(-5), "+04d").as_deref(), Some("-005"));
        assert_eq!(f(Value::from("x"), "r").as_deref(), Some("'x'"));
    }
}
