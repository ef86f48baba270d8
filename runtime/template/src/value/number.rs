//! Numbers as Django prints them: `django.utils.numberformat.format` (separators, grouping,
//! decimal places) and the exact decimal arithmetic of `floatformat` (Python's `Decimal`).

use super::format::float_repr;
use crate::options::NumberFormat;

/// Django's `numberformat.format` for a number already written as text (`"-1234.5"`):
/// keeps `decimal_pos` decimals (padding with zeros), and groups the integer part when
/// `grouping` is on.
pub(crate) fn format_text(
    number: &str,
    format: &NumberFormat,
    decimal_pos: Option<usize>,
    grouping: bool,
) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int_part, dec_part) = match unsigned.split_once('.') {
        Some((int_part, dec_part)) => (int_part, dec_part),
        None => (unsigned, ""),
    };
    let mut dec: String = match decimal_pos {
        Some(pos) => dec_part.chars().take(pos).collect(),
        None => dec_part.to_owned(),
    };
    if let Some(pos) = decimal_pos {
        let have = dec.chars().count();
        dec.extend(std::iter::repeat_n('0', pos.saturating_sub(have)));
    }
    let mut out = String::with_capacity(number.len() + 8);
    out.push_str(sign);
    if grouping && format.grouping.first().is_some_and(|g| *g != 0) {
        out.push_str(&group(int_part, format));
    } else {
        out.push_str(int_part);
    }
    if !dec.is_empty() {
        out.push_str(&format.decimal_separator);
        out.push_str(&dec);
    }
    out
}

/// The integer part with thousand separators, as Django's loop over `int_part[::-1]` does.
fn group(int_part: &str, format: &NumberFormat) -> String {
    let mut intervals = format.grouping.iter().copied();
    let mut active = intervals.next().unwrap_or(0);
    let separator: String = format.thousand_separator.chars().rev().collect();
    let mut reversed = String::with_capacity(int_part.len() * 2);
    let mut count = 0;
    for digit in int_part.chars().rev() {
        if count != 0 && count == active {
            if let Some(next) = intervals.next() {
                if next != 0 {
                    active = next;
                }
            }
            reversed.push_str(&separator);
            count = 0;
        }
        reversed.push(digit);
        count += 1;
    }
    reversed.chars().rev().collect()
}

/// Django's `number_format(int)` with its digits grouped (`USE_THOUSAND_SEPARATOR`); an int
/// printed without grouping is its `str()` whatever the locale, so needs no format.
pub(crate) fn format_grouped_int(i: i64, format: &NumberFormat) -> String {
    format_text(&i.to_string(), format, None, true)
}

/// Django's `number_format(float)`: `str()` of the float, except that floats Python writes
/// with an exponent go through `Decimal` and come out positional (`1e+16` prints as
/// `10000000000000000`), unless they would need more than 200 digits.
pub(crate) fn format_float(f: f64, format: &NumberFormat, grouping: bool) -> String {
    let repr = float_repr(f);
    if !f.is_finite() || !repr.contains('e') {
        return format_text(&repr, format, None, grouping);
    }
    let Some(decimal) = Decimal::parse(&repr) else {
        return repr;
    };
    if decimal.digits.len() + decimal.exponent.unsigned_abs() as usize > 200 {
        let (coefficient, exponent) = decimal.scientific();
        return format!(
            "{}e{exponent}",
            format_text(&coefficient, format, None, grouping)
        );
    }
    format_text(&decimal.positional(), format, None, grouping)
}

/// A finite decimal number: `(-1)^negative × digits × 10^exponent`, as Python's `Decimal`
/// holds it (the digits keep trailing zeros: `1.50` has digits `150`, exponent `-2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub(crate) negative: bool,
    pub(crate) digits: Vec<u8>,
    pub(crate) exponent: i64,
}

/// What Python's `Decimal(text)` gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ParsedDecimal {
    Finite(Decimal),
    /// Infinity or NaN, which `floatformat` prints as its input.
    Special,
}

impl Decimal {
    /// Python's `Decimal(text)` for a finite number; `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        match parse_decimal(text)? {
            ParsedDecimal::Finite(decimal) => Some(decimal),
            ParsedDecimal::Special => None,
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.iter().all(|d| *d == 0)
    }

    /// Whether the value has a fractional part (`int(d) - d != 0`).
    pub(crate) fn has_fraction(&self) -> bool {
        if self.exponent >= 0 {
            return false;
        }
        let fraction = self.exponent.unsigned_abs() as usize;
        let start = self.digits.len().saturating_sub(fraction);
        self.digits
            .get(start..)
            .is_some_and(|f| f.iter().any(|d| *d != 0))
    }

    /// `"%d" % int(d)`: the integer part, truncated toward zero.
    pub(crate) fn integer_text(&self) -> String {
        let mut digits: Vec<u8> = if self.exponent >= 0 {
            let mut d = self.digits.clone();
            d.extend(std::iter::repeat_n(
                0,
                self.exponent.unsigned_abs() as usize,
            ));
            d
        } else {
            let fraction = self.exponent.unsigned_abs() as usize;
            let keep = self.digits.len().saturating_sub(fraction);
            self.digits.get(..keep).unwrap_or(&[]).to_vec()
        };
        while digits.len() > 1 && digits.first() == Some(&0) {
            digits.remove(0);
        }
        if digits.is_empty() {
            digits.push(0);
        }
        let negative = self.negative && digits.iter().any(|d| *d != 0);
        let mut out = String::from(if negative { "-" } else { "" });
        out.extend(digits.iter().map(|d| char::from(b'0' + d)));
        out
    }

    /// Rounds to `places` decimals, halves away from zero (`quantize(..., ROUND_HALF_UP)`).
    pub(crate) fn quantize(&self, places: usize) -> Decimal {
        let target = -i64::try_from(places).unwrap_or(i64::MAX);
        let mut digits = self.digits.clone();
        if self.exponent >= target {
            digits.extend(std::iter::repeat_n(0, (self.exponent - target) as usize));
        } else {
            let drop = (target - self.exponent) as usize;
            let round_up;
            if drop > digits.len() {
                round_up = false;
                digits.clear();
            } else {
                let first_dropped = digits.get(digits.len() - drop).copied().unwrap_or(0);
                round_up = first_dropped >= 5;
                digits.truncate(digits.len() - drop);
            }
            if round_up {
                let mut i = digits.len();
                loop {
                    if i == 0 {
                        digits.insert(0, 1);
                        break;
                    }
                    i -= 1;
                    if let Some(d) = digits.get_mut(i) {
                        if *d == 9 {
                            *d = 0;
                        } else {
                            *d += 1;
                            break;
                        }
                    }
                }
            }
            if digits.is_empty() {
                digits.push(0);
            }
        }
        Decimal {
            negative: self.negative,
            digits,
            exponent: target,
        }
    }

    /// `"{:f}".format(d)`: positional notation with every stored digit.
    pub(crate) fn positional(&self) -> String {
        let mut out = String::from(if self.negative { "-" } else { "" });
        let text: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        if self.exponent >= 0 {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(
                '0',
                self.exponent.unsigned_abs() as usize,
            ));
            return out;
        }
        let fraction = self.exponent.unsigned_abs() as usize;
        if text.len() > fraction {
            let (int_part, frac_part) = text.split_at(text.len() - fraction);
            out.push_str(int_part);
            out.push('.');
            out.push_str(frac_part);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', fraction - text.len()));
            out.push_str(&text);
        }
        out
    }

    /// `"{:e}".format(d)` split at the `e`: the coefficient and the signed exponent.
    fn scientific(&self) -> (String, String) {
        let text: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let (first, rest) = text.split_at(1.min(text.len()));
        let mut coefficient = String::from(if self.negative { "-" } else { "" });
        coefficient.push_str(first);
        if !rest.is_empty() {
            coefficient.push('.');
            coefficient.push_str(rest);
        }
        let adjusted = self.exponent + i64::try_from(text.len()).unwrap_or(0) - 1;
        let exponent = if adjusted < 0 {
            format!("-{}", adjusted.unsigned_abs())
        } else {
            format!("+{adjusted}")
        };
        (coefficient, exponent)
    }

    /// The floatformat text of a quantized value: sign only if non-zero, a leading `0`.
    pub(crate) fn floatformat_text(&self) -> String {
        let mut text = self.positional();
        if self.negative && self.is_zero() {
            text.remove(0);
        }
        text
    }
}

/// Python's `Decimal(text)`: surrounding whitespace, a sign, digits with single underscores,
/// a fraction, an exponent; or Infinity/NaN.
pub(crate) fn parse_decimal(text: &str) -> Option<ParsedDecimal> {
    let trimmed = text.trim_matches(super::super::compiler::is_py_space);
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let lower = unsigned.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan" | "snan")
        || (lower.starts_with("nan") || lower.starts_with("snan"))
            && lower
                .trim_start_matches('s')
                .trim_start_matches("nan")
                .bytes()
                .all(|b| b.is_ascii_digit())
    {
        return Some(ParsedDecimal::Special);
    }
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (lower.as_str(), None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let valid = |part: &str| {
        part.is_empty()
            || (part
                .split('_')
                .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_digit())))
    };
    if !valid(int_part) || !valid(frac_part) {
        return None;
    }
    let exponent: i64 = match exponent {
        Some(e) => {
            let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
            if digits.is_empty() || !valid(digits) {
                return None;
            }
            e.replace('_', "").parse().ok()?
        }
        None => 0,
    };
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    while digits.len() > 1 && digits.first() == Some(&0) {
        digits.remove(0);
    }
    let fraction_len = frac_part.bytes().filter(u8::is_ascii_digit).count();
    Some(ParsedDecimal::Finite(Decimal {
        negative,
        digits,
        exponent: exponent - i64::try_from(fraction_len).ok()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german() -> NumberFormat {
        NumberFormat {
            decimal_separator: ",".into(),
            thousand_separator: ".".into(),
            grouping: vec![3, 0],
        }
    }

    #[test]
    fn numbers_follow_numberformat() {
        let plain = NumberFormat::default();
        assert_eq!(format_grouped_int(1234567, &plain), "1,234,567");
        assert_eq!(format_grouped_int(-1234567, &german()), "-1.234.567");
        assert_eq!(format_float(1234.5, &german(), true), "1.234,5");
        assert_eq!(format_float(1234.5, &german(), false), "1234,5");
        assert_eq!(format_float(1e16, &plain, false), "10000000000000000");
        assert_eq!(format_float(1.5e-5, &plain, false), "0.000015");
        assert_eq!(format_float(1.5e300, &german(), true), "1,5e+300");
        assert_eq!(format_float(f64::NAN, &plain, false), "nan");
        let indian = NumberFormat {
            grouping: vec![3, 2, 0],
            ..german()
        };
        assert_eq!(format_grouped_int(12345678, &indian), "1.23.45.678");
        assert_eq!(format_text("1234.5", &plain, Some(3), false), "1234.500");
        assert_eq!(format_text("1234.5678", &plain, Some(2), false), "1234.56");
    }

    #[test]
    fn decimals_parse_like_python() {
        let d = |t: &str| Decimal::parse(t).map(|d| d.positional());
        assert_eq!(d("1.50").as_deref(), Some("1.50"));
        assert_eq!(d(" -0.5 ").as_deref(), Some("-0.5"));
        assert_eq!(d("1e3").as_deref(), Some("1000"));
        assert_eq!(d("1_000.5").as_deref(), Some("1000.5"));
        assert_eq!(d(".5").as_deref(), Some("0.5"));
        assert_eq!(d("5.").as_deref(), Some("5"));
        assert_eq!(d("1.5e-3").as_deref(), Some("0.0015"));
        assert!(d("abc").is_none());
        assert!(d("").is_none());
        assert!(d("1__0").is_none());
        assert_eq!(parse_decimal("-Infinity"), Some(ParsedDecimal::Special));
        assert_eq!(parse_decimal("nan"), Some(ParsedDecimal::Special));
    }

    #[test]
    fn quantize_rounds_half_away_from_zero() {
        let q = |t: &str, places| Decimal::parse(t).map(|d| d.quantize(places).floatformat_text());
        assert_eq!(q("2.345", 2).as_deref(), Some("2.35"));
        assert_eq!(q("-2.345", 2).as_deref(), Some("-2.35"));
        assert_eq!(q("9.995", 2).as_deref(), Some("10.00"));
        assert_eq!(q("0.004", 2).as_deref(), Some("0.00"));
        assert_eq!(q("-0.004", 2).as_deref(), Some("0.00"));
        assert_eq!(q("34", 3).as_deref(), Some("34.000"));
        assert_eq!(q("0.0005", 3).as_deref(), Some("0.001"));
        let d = Decimal::parse("-12.7");
        assert_eq!(
            d.as_ref().map(Decimal::integer_text).as_deref(),
            Some("-12")
        );
        assert!(d.is_some_and(|d| d.has_fraction()));
        assert!(!Decimal::parse("12.000").is_some_and(|d| d.has_fraction()));
    }
}
