//! The filter registry: every Django 5.2 builtin filter (and the `l10n` library's), one file per
//! group of `defaultfilters`, with Django's flags and argument counts.
//!
//! A native filter that meets a value it cannot handle the way Python would (a host object, a
//! date) fails with `Unsupported`; the renderer then asks the host to run Django's own filter,
//! so the output is the same either way. Filters marked host-only always go to the host.

mod case;
mod case_table;
mod dates;
mod html;
mod lists;
mod logic;
mod numbers;
mod slug_table;
mod strings;
mod urls;
mod wrap;

use std::borrow::Cow;

use crate::error::Error;
use crate::host::{Host, Translation};
use crate::options::{NumberFormat, NumberFormats, RenderOptions};
use crate::value::{to_text, Safety, Value};

/// What a filter sees besides its value and argument.
pub(crate) struct FilterEnv<'a> {
    /// Whether autoescaping is on (for `needs_autoescape` filters).
    pub(crate) autoescape: bool,
    pub(crate) options: &'a RenderOptions,
    pub(crate) host: &'a dyn Host,
    pub(crate) numbers: &'a NumberFormats<'a>,
}

impl FilterEnv<'_> {
    /// The active language's number format when localizing (`use_l10n`), else the settings'.
    pub(crate) fn number_format(&self, use_l10n: bool) -> Result<&NumberFormat, Error> {
        self.numbers.get(use_l10n)
    }

    /// gettext through the host.
    pub(crate) fn gettext(&self, message: &str) -> Result<String, Error> {
        self.host.translate(Translation {
            context: None,
            singular: message,
            plural: None,
        })
    }
}

/// A filter's implementation: the value, the argument if given, the environment.
pub(crate) type FilterFn = fn(Value, Option<Value>, &FilterEnv<'_>) -> Result<Value, Error>;

/// A filter as Django registers it.
#[derive(Debug)]
pub(crate) struct Filter {
    /// The name templates use.
    pub(crate) name: &'static str,
    /// Arguments Django's `args_check` requires and accepts (the value counted).
    pub(crate) required: u8,
    pub(crate) accepted: u8,
    /// Django's `is_safe`: a safe input keeps its result safe.
    pub(crate) is_safe: bool,
    /// The filter itself.
    pub(crate) run: FilterFn,
}

/// A filter taking only the value.
pub(super) const fn one(name: &'static str, is_safe: bool, run: FilterFn) -> Filter {
    Filter {
        name,
        required: 1,
        accepted: 1,
        is_safe,
        run,
    }
}

/// A filter taking the value and a required argument.
pub(super) const fn two(name: &'static str, is_safe: bool, run: FilterFn) -> Filter {
    Filter {
        name,
        required: 2,
        accepted: 2,
        is_safe,
        run,
    }
}

/// A filter taking the value and an optional argument.
pub(super) const fn optional(name: &'static str, is_safe: bool, run: FilterFn) -> Filter {
    Filter {
        name,
        required: 1,
        accepted: 2,
        is_safe,
        run,
    }
}

/// The builtin filters, group by group.
const GROUPS: [&[Filter]; 7] = [
    strings::FILTERS,
    html::FILTERS,
    lists::FILTERS,
    logic::FILTERS,
    numbers::FILTERS,
    dates::FILTERS,
    urls::FILTERS,
];

/// Every builtin filter (not those of the `l10n` library).
pub(crate) fn all() -> impl Iterator<Item = &'static Filter> {
    GROUPS.iter().flat_map(|group| group.iter())
}

/// The native filter Django registers as `name` (builtins and the `l10n` library).
pub(crate) fn find(name: &str) -> Option<&'static Filter> {
    all()
        .chain(numbers::L10N_FILTERS.iter())
        .find(|filter| filter.name == name)
}

/// Django's `mark_safe`: strings become safe; anything else becomes its safe `str()`.
pub(crate) fn mark_safe(value: Value) -> Result<Value, Error> {
    Ok(match value {
        Value::Str(text, _) => Value::Str(text, Safety::Safe),
        other => {
            let (text, _) = to_text(&other)?;
            Value::safe_str(text.into_owned())
        }
    })
}

/// The refusal that sends a value to the host's filter.
pub(crate) fn needs_host(name: &str) -> Error {
    Error::unsupported(format!(
        "the filter '{name}' is run by Django for this value"
    ))
}

/// `str(value)` for `@stringfilter` filters (a host object's `str()` is the host's).
fn text_of<'v>(_name: &str, value: &'v Value) -> Result<(Cow<'v, str>, bool), Error> {
    to_text(value)
}

/// Django's `@stringfilter`: runs `f` on `str(input)` and returns a plain string, safe only when
/// the filter `is_safe` and `str(input)` was safe.
fn string_filter(
    name: &str,
    input: &Value,
    is_safe: bool,
    f: impl FnOnce(&str) -> Result<String, Error>,
) -> Result<Value, Error> {
    let (text, safe) = text_of(name, input)?;
    Ok(Value::Str(f(&text)?.into(), (is_safe && safe).into()))
}

/// Python's `int(value)` for the values filters pass to it; `None` where it raises.
pub(crate) fn py_int(value: &Value) -> Result<Option<i64>, Error> {
    Ok(match value {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Float(f) if f.is_finite() => {
            let t = f.trunc();
            (t.abs() < 9.2e18).then_some(t as i64)
        }
        // int(inf) raises OverflowError, which Django lets out: the host raises it.
        Value::Float(f) if f.is_infinite() => return Err(Error::unsupported("int(inf)")),
        Value::Float(_) => None,
        Value::Str(text, _) => py_int_text(text),
        Value::Object(_) => return Err(Error::unsupported("int() of a host object")),
        _ => None,
    })
}

/// Python's `int(text)`: digits with an optional sign, single underscores between digits,
/// surrounding whitespace; `None` where it raises.
pub(crate) fn py_int_text(text: &str) -> Option<i64> {
    let trimmed = text.trim_matches(crate::compiler::is_py_space);
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if digits.is_empty()
        || !digits
            .split('_')
            .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if trimmed.contains('_') {
        trimmed.replace('_', "").parse().ok()
    } else {
        trimmed.parse().ok()
    }
}

/// Running one filter outside a template, for the filter modules' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{FilterEnv, FilterFn};
    use crate::host::{Host, NoHost};
    use crate::options::{NumberFormats, RenderOptions};
    use crate::value::{to_text, Value};

    /// The filter's result as text and whether it is safe; `None` when it fails.
    pub(crate) fn run_filter(
        host: &dyn Host,
        f: FilterFn,
        value: Value,
        arg: Option<Value>,
        autoescape: bool,
    ) -> Option<(String, bool)> {
        let options = RenderOptions::default();
        let env = FilterEnv {
            autoescape,
            options: &options,
            host,
            numbers: &NumberFormats::new(&options, host),
        };
        f(value, arg, &env)
            .ok()
            .and_then(|v| to_text(&v).ok().map(|(t, s)| (t.into_owned(), s)))
    }

    /// The filter's result as text, autoescaping on, without a host.
    pub(crate) fn run(f: FilterFn, value: Value, arg: Option<Value>) -> Option<String> {
        run_filter(&NoHost, f, value, arg, true).map(|(text, _)| text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_django_filter_is_registered_once() {
        let mut names: Vec<_> = all().map(|f| f.name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(count, 57);
        assert!(find("localize").is_some());
        assert!(find("nope").is_none());
    }

    #[test]
    fn mark_safe_turns_values_into_safe_text() {
        let safe = mark_safe(Value::Int(5)).ok();
        assert_eq!(
            safe.as_ref().and_then(Value::as_str_and_safety),
            Some(("5", true))
        );
    }

    #[test]
    fn py_int_follows_python() {
        let int = |v: Value| py_int(&v).ok().flatten();
        assert_eq!(int(Value::from(" 42 ")), Some(42));
        assert_eq!(int(Value::from("1_0")), Some(10));
        assert_eq!(int(Value::from("1.5")), None);
        assert_eq!(int(Value::Float(-2.7)), Some(-2));
        assert_eq!(int(Value::Bool(true)), Some(1));
        assert_eq!(int(Value::None), None);
    }
}
