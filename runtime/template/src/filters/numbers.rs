//! Django's number filters: `add`, `floatformat`, `filesizeformat`, `get_digit`, and the `l10n`
//! library's `localize` / `unlocalize`.

use super::{needs_host, one, optional, py_int, py_int_text, two, Filter, FilterEnv};
use crate::error::Error;
use crate::host::Translation;
use crate::value::number::{
    format_float, format_grouped_int, format_text, parse_decimal, ParsedDecimal,
};
use crate::value::{float_repr, positional_repr, to_text, Safety, Value};

/// The number filters.
pub(super) const FILTERS: &[Filter] = &[
    two("add", false, add),
    optional("floatformat", true, floatformat),
    one("filesizeformat", true, filesizeformat),
    two("get_digit", false, get_digit),
];

/// The `l10n` library's filters.
pub(super) const L10N_FILTERS: &[Filter] = &[
    one("localize", false, localize),
    one("unlocalize", false, unlocalize),
];

/// `int(value) + int(arg)`, else `value + arg`, else `""`.
fn add(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let arg = arg.unwrap_or_default();
    if matches!(value, Value::Object(_)) || matches!(arg, Value::Object(_)) {
        return Err(needs_host("add"));
    }
    if let (Some(a), Some(b)) = (py_int(&value)?, py_int(&arg)?) {
        return a
            .checked_add(b)
            .map(Value::Int)
            .ok_or_else(|| needs_host("add"));
    }
    Ok(match (&value, &arg) {
        (Value::Str(a, a_safe), Value::Str(b, b_safe)) => Value::Str(
            format!("{a}{b}").into(),
            Safety::from(a_safe.is_safe() && b_safe.is_safe()),
        ),
        (Value::List(a), Value::List(b)) => {
            Value::from(a.iter().chain(b.iter()).cloned().collect::<Vec<_>>())
        }
        (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
        (Value::Float(a), Value::Int(b)) | (Value::Int(b), Value::Float(a)) => {
            Value::Float(a + *b as f64)
        }
        _ => Value::from(""),
    })
}

/// Django's `floatformat`: rounds half up with exact decimal arithmetic, then formats with
/// the locale's separators (`g` forces grouping, `u` turns localization off).
fn floatformat(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let mut force_grouping = false;
    let mut use_l10n = true;
    let places = match arg {
        None => Value::Int(-1),
        Some(Value::Str(text, _)) => {
            let mut arg: &str = &text;
            if arg.is_empty() {
                // Django indexes arg[-1] and fails with IndexError.
                return Err(needs_host("floatformat"));
            }
            let mut from_end = arg.chars().rev();
            match (from_end.next(), from_end.next()) {
                (Some('g'), Some('u')) | (Some('u'), Some('g')) => {
                    force_grouping = true;
                    use_l10n = false;
                    arg = cut_chars(arg, 2);
                }
                (Some('g'), _) => {
                    force_grouping = true;
                    arg = cut_chars(arg, 1);
                }
                (Some('u'), _) => {
                    use_l10n = false;
                    arg = cut_chars(arg, 1);
                }
                _ => {}
            }
            if arg.is_empty() {
                Value::Int(-1)
            } else {
                // Parsed here once, so the rounding below need not parse text.
                py_int_text(arg).map_or_else(|| Value::from(arg), Value::Int)
            }
        }
        Some(other @ (Value::Int(_) | Value::Float(_) | Value::Bool(_))) => other,
        Some(_) => return Err(needs_host("floatformat")),
    };
    // Plain floats in the usual range: Rust prints the same shortest digits as Python's
    // repr(), positionally, so they can be rounded as Decimal(repr(f)) would be.
    if let Value::Float(f) = value {
        if f == 0.0 || (1e-6..1e15).contains(&f.abs()) {
            if let Some(p) = py_int(&places)?.filter(|p| p.unsigned_abs() <= 30) {
                let format = env.number_format(use_l10n)?;
                let grouping = (use_l10n && env.options.use_thousand_separator) || force_grouping;
                let (number, places) = round_float(f, p);
                // `number` has `places` decimals already: only separators would change it.
                let text = if grouping || format.decimal_separator != "." {
                    format_text(&number, format, Some(places), grouping)
                } else {
                    number
                };
                return Ok(Value::safe_str(text));
            }
        }
    }
    let input = match &value {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(text, _) => text.to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Value::None | Value::List(_) | Value::Map(_) => return Ok(Value::from("")),
        // A Decimal is Decimal(str(value)) again: its text takes the string's path.
        Value::Object(object) => match object.decimal_text()? {
            Some(text) => text,
            None => return Err(needs_host("floatformat")),
        },
    };
    let parsed = match parse_decimal(&input) {
        Some(parsed) => parsed,
        None => {
            // Decimal() refused it: try float(value), whose str() Decimal accepts.
            let float = match &value {
                Value::Bool(b) => Some(f64::from(u8::from(*b))),
                _ => crate::compiler::parse_float(crate::compiler::py_strip(&input)),
            };
            match float.and_then(|f| parse_decimal(&float_repr(f))) {
                Some(parsed) => parsed,
                None => return Ok(Value::from("")),
            }
        }
    };
    floatformat_decimal(
        parsed,
        &places,
        || input.clone(),
        force_grouping,
        use_l10n,
        env,
    )
}

/// The rest of `floatformat` once the value is a `Decimal`; `input` is `str(value)`, what
/// Django returns for values it cannot round.
fn floatformat_decimal(
    parsed: ParsedDecimal,
    places: &Value,
    input: impl Fn() -> String,
    force_grouping: bool,
    use_l10n: bool,
    env: &FilterEnv<'_>,
) -> Result<Value, Error> {
    let Some(p) = py_int(places)? else {
        return Ok(Value::from(input()));
    };
    let ParsedDecimal::Finite(decimal) = parsed else {
        return Ok(Value::from(input()));
    };
    if decimal.digits.len() as u64 + decimal.exponent.unsigned_abs() > 200 {
        return Ok(Value::from(input()));
    }
    let format = env.number_format(use_l10n)?;
    let grouping = (use_l10n && env.options.use_thousand_separator) || force_grouping;
    let places = usize::try_from(p.unsigned_abs()).unwrap_or(usize::MAX);
    if places > 10_000 {
        return Err(needs_host("floatformat"));
    }
    if !decimal.has_fraction() && p <= 0 {
        let text = format_text(&decimal.integer_text(), format, Some(0), grouping);
        return Ok(Value::safe_str(text));
    }
    let number = decimal.quantize(places).floatformat_text();
    Ok(Value::safe_str(format_text(
        &number,
        format,
        Some(places),
        grouping,
    )))
}

/// A float's shortest digits rounded half up to `|p|` places (none when `p <= 0` and the
/// value is whole), as `floatformat` rounds `Decimal(repr(f))`; and the places kept.
fn round_float(f: f64, p: i64) -> (String, usize) {
    let mut buffer = zmij::Buffer::new();
    let display;
    let text = match positional_repr(f.abs(), &mut buffer) {
        Some(repr) => repr,
        None => {
            display = f.abs().to_string();
            &display
        }
    };
    let (int_part, fraction) = text.split_once('.').unwrap_or((text, ""));
    let negative = f.is_sign_negative();
    if p <= 0 && fraction.bytes().all(|b| b == b'0') {
        let sign = if negative && int_part != "0" { "-" } else { "" };
        return (format!("{sign}{int_part}"), 0);
    }
    let places = usize::try_from(p.unsigned_abs()).unwrap_or(0);
    let mut digits: Vec<u8> = int_part.bytes().collect();
    let int_len = digits.len();
    digits.extend(fraction.bytes().take(places));
    digits.resize(int_len + places, b'0');
    if fraction.as_bytes().get(places).is_some_and(|d| *d >= b'5') {
        let mut carry = true;
        for digit in digits.iter_mut().rev() {
            if *digit == b'9' {
                *digit = b'0';
            } else {
                *digit += 1;
                carry = false;
                break;
            }
        }
        if carry {
            digits.insert(0, b'1');
        }
    }
    let int_len = digits.len() - places;
    let nonzero = digits.iter().any(|d| *d != b'0');
    let mut number = String::with_capacity(digits.len() + 2);
    if negative && nonzero {
        number.push('-');
    }
    number.extend(digits[..int_len].iter().map(|d| char::from(*d)));
    if places > 0 {
        number.push('.');
        number.extend(digits[int_len..].iter().map(|d| char::from(*d)));
    }
    (number, places)
}

/// `text` without its last `n` characters.
fn cut_chars(text: &str, n: usize) -> &str {
    let keep = text.chars().count().saturating_sub(n);
    let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// Replaces Python's `%(size)d`, `%s` and `%%` in a translated message.
fn interpolate(message: &str, size: Option<i64>, number: Option<&str>) -> String {
    let mut out = message.to_owned();
    if let Some(size) = size {
        out = out.replace("%(size)d", &size.to_string());
    }
    if let Some(number) = number {
        out = out.replace("%s", number);
    }
    out.replace("%%", "%")
}

/// A human-readable file size (`13 KB`, `4.1 MB`), its space unbreakable.
fn filesizeformat(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    if matches!(value, Value::Object(_)) {
        return Err(needs_host("filesizeformat"));
    }
    let bytes_plural = |count: i64| -> Result<String, Error> {
        let count_value = Value::Int(count);
        let message = env.host.translate(Translation {
            context: None,
            singular: "%(size)d byte",
            plural: Some(("%(size)d bytes", &count_value)),
        })?;
        Ok(interpolate(&message, Some(count), None))
    };
    let Some(bytes) = py_int(&value)? else {
        return Ok(Value::from(bytes_plural(0)?.replace(' ', "\u{a0}")));
    };
    let negative = bytes < 0;
    let bytes = bytes.unsigned_abs();
    let units = [
        (1u64 << 10, "%s KB"),
        (1 << 20, "%s MB"),
        (1 << 30, "%s GB"),
        (1 << 40, "%s TB"),
        (1 << 50, "%s PB"),
    ];
    let text = if bytes < 1 << 10 {
        bytes_plural(i64::try_from(bytes).unwrap_or(i64::MAX))?
    } else {
        let index = units
            .iter()
            .rposition(|(size, _)| bytes >= *size)
            .unwrap_or(0);
        let (size, message) = units[index];
        let scaled = bytes as f64 / size as f64;
        let rounded = format!("{scaled:.1}");
        // `number_format(round(value, 1), 1)` always localizes.
        let format = env.number_format(true)?;
        let number = format_text(
            &rounded,
            format,
            Some(1),
            env.options.use_thousand_separator,
        );
        interpolate(&env.gettext(message)?, None, Some(&number))
    };
    let text = if negative { format!("-{text}") } else { text };
    Ok(Value::from(text.replace(' ', "\u{a0}")))
}

/// The `arg`-th digit from the right of a whole number.
fn get_digit(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let arg = arg.unwrap_or_default();
    if matches!(
        value,
        Value::Object(_) | Value::None | Value::List(_) | Value::Map(_)
    ) || !matches!(
        arg,
        Value::Int(_) | Value::Str(..) | Value::Bool(_) | Value::Float(_)
    ) {
        return Err(needs_host("get_digit"));
    }
    let (Some(position), Some(number)) = (py_int(&arg)?, py_int(&value)?) else {
        return Ok(value);
    };
    if position < 1 {
        return Ok(Value::Int(number));
    }
    let text = number.to_string();
    let position = usize::try_from(position).unwrap_or(usize::MAX);
    if position > text.len() {
        return Ok(Value::Int(0));
    }
    match text.as_bytes().get(text.len() - position) {
        Some(digit) if digit.is_ascii_digit() => Ok(Value::Int(i64::from(digit - b'0'))),
        _ => Err(needs_host("get_digit")),
    }
}

/// `str(localize(value, use_l10n=...))` for the values the engine prints itself.
fn localized(
    name: &str,
    value: &Value,
    env: &FilterEnv<'_>,
    use_l10n: bool,
) -> Result<Value, Error> {
    let grouping = env.options.use_thousand_separator;
    Ok(Value::from(match value {
        Value::Int(i) if use_l10n && grouping => format_grouped_int(*i, env.number_format(true)?),
        Value::Float(f) if use_l10n => format_float(*f, env.number_format(true)?, grouping),
        Value::Float(f) => float_repr(*f),
        Value::Object(_) => return Err(needs_host(name)),
        other => to_text(other)?.0.into_owned(),
    }))
}

fn localize(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    localized("localize", &value, env, true)
}

fn unlocalize(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    localized("unlocalize", &value, env, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::run_filter;
    use crate::host::{Host, NoHost, TagCall};
    use crate::options::NumberFormat;

    /// A host whose active language formats numbers with `format`.
    struct Locale(NumberFormat);

    impl Host for Locale {
        fn call_simple_tag(&self, _: TagCall<'_>) -> Result<Value, Error> {
            Err(Error::render("no tags"))
        }

        fn number_format(&self) -> Result<NumberFormat, Error> {
            Ok(self.0.clone())
        }
    }

    fn run_with(
        host: &dyn Host,
        f: super::super::FilterFn,
        value: Value,
        arg: Option<Value>,
    ) -> Option<String> {
        run_filter(host, f, value, arg, true).map(|(text, _)| text)
    }

    fn run(f: super::super::FilterFn, value: Value, arg: Option<Value>) -> Option<String> {
        run_with(&NoHost, f, value, arg)
    }

    #[test]
    fn floatformat_matches_djangos_examples() {
        let ff = |v: Value, arg: Option<&str>| run(floatformat, v, arg.map(Value::from));
        assert_eq!(ff(Value::Float(34.23234), None).as_deref(), Some("34.2"));
        assert_eq!(ff(Value::Float(34.0), None).as_deref(), Some("34"));
        assert_eq!(ff(Value::Float(34.26), None).as_deref(), Some("34.3"));
        assert_eq!(
            ff(Value::Float(34.23234), Some("3")).as_deref(),
            Some("34.232")
        );
        assert_eq!(ff(Value::Float(34.0), Some("3")).as_deref(), Some("34.000"));
        assert_eq!(
            ff(Value::Float(34.26), Some("-3")).as_deref(),
            Some("34.260")
        );
        assert_eq!(ff(Value::Float(34.0), Some("-3")).as_deref(), Some("34"));
        assert_eq!(
            ff(Value::Float(6666.6666), Some("2g")).as_deref(),
            Some("6,666.67")
        );
        assert_eq!(ff(Value::Int(10000), Some("g")).as_deref(), Some("10,000"));
        assert_eq!(ff(Value::Float(-0.001), Some("2")).as_deref(), Some("0.00"));
        assert_eq!(ff(Value::from("abc"), None).as_deref(), Some(""));
        assert_eq!(
            ff(Value::Float(f64::INFINITY), None).as_deref(),
            Some("inf")
        );
        assert_eq!(ff(Value::Float(1.5), Some("x")).as_deref(), Some("1.5"));
        assert_eq!(
            ff(Value::from("1e3"), Some("2")).as_deref(),
            Some("1000.00")
        );
        let polish = Locale(NumberFormat {
            decimal_separator: ",".into(),
            thousand_separator: " ".into(),
            ..NumberFormat::default()
        });
        assert_eq!(
            run_with(
                &polish,
                floatformat,
                Value::Float(66666.6666),
                Some(Value::from("2"))
            )
            .as_deref(),
            Some("66666,67")
        );
        assert_eq!(
            run_with(
                &polish,
                floatformat,
                Value::Float(66666.6666),
                Some(Value::from("2u"))
            )
            .as_deref(),
            Some("66666.67")
        );
    }

    #[test]
    fn add_and_sizes() {
        assert_eq!(
            run(add, Value::from("1"), Some(Value::Int(2))).as_deref(),
            Some("3")
        );
        assert_eq!(
            run(add, Value::from("a"), Some(Value::from("b"))).as_deref(),
            Some("ab")
        );
        assert_eq!(
            run(add, Value::from("a"), Some(Value::Int(1))).as_deref(),
            Some("")
        );
        assert_eq!(
            run(filesizeformat, Value::Int(1), None).as_deref(),
            Some("1\u{a0}byte")
        );
        assert_eq!(
            run(filesizeformat, Value::Int(2048), None).as_deref(),
            Some("2.0\u{a0}KB")
        );
        assert_eq!(
            run(filesizeformat, Value::from("x"), None).as_deref(),
            Some("0\u{a0}bytes")
        );
        assert_eq!(
            run(get_digit, Value::Int(123), Some(Value::from("2"))).as_deref(),
            Some("2")
        );
        assert_eq!(
            run(get_digit, Value::Int(123), Some(Value::Int(5))).as_deref(),
            Some("0")
        );
    }
}
