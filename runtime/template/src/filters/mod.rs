//! The filter registry: every filter the engine runs natively, one file per group of
//! Django's `defaultfilters` (strings, HTML, lists, logic), and Django's rules for applying them.

mod html;
mod lists;
mod logic;
mod strings;

use std::borrow::Cow;

use crate::error::Error;
use crate::value::{to_text, Value};

/// Whether a filter takes an argument (`|default:"x"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FilterArg {
    /// `|upper`.
    None,
    /// `|default:x`.
    Required,
}

/// A filter as Django registers it.
#[derive(Debug)]
pub(crate) struct Filter {
    /// The name templates use.
    pub(crate) name: &'static str,
    /// Whether it takes an argument.
    pub(crate) arg: FilterArg,
    /// Django's `is_safe`: a safe input keeps its result safe.
    pub(crate) is_safe: bool,
    /// The filter itself, given the input and the argument.
    pub(crate) run: fn(Value, Option<Value>) -> Result<Value, Error>,
}

/// Every native filter, group by group.
const GROUPS: [&[Filter]; 4] = [
    strings::FILTERS,
    html::FILTERS,
    lists::FILTERS,
    logic::FILTERS,
];

/// The names of all 57 filters Django 5.2 registers by default.
const DJANGO_FILTERS: &[&str] = &[
    "add",
    "addslashes",
    "capfirst",
    "center",
    "cut",
    "date",
    "default",
    "default_if_none",
    "dictsort",
    "dictsortreversed",
    "divisibleby",
    "escape",
    "escapejs",
    "escapeseq",
    "filesizeformat",
    "first",
    "floatformat",
    "force_escape",
    "get_digit",
    "iriencode",
    "join",
    "json_script",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "linenumbers",
    "ljust",
    "lower",
    "make_list",
    "phone2numeric",
    "pluralize",
    "pprint",
    "random",
    "rjust",
    "safe",
    "safeseq",
    "slice",
    "slugify",
    "stringformat",
    "striptags",
    "time",
    "timesince",
    "timeuntil",
    "title",
    "truncatechars",
    "truncatechars_html",
    "truncatewords",
    "truncatewords_html",
    "unordered_list",
    "upper",
    "urlencode",
    "urlize",
    "urlizetrunc",
    "wordcount",
    "wordwrap",
    "yesno",
];

/// The native filter called `name`.
pub(crate) fn find(name: &str) -> Option<&'static Filter> {
    GROUPS
        .iter()
        .flat_map(|group| group.iter())
        .find(|filter| filter.name == name)
}

/// Whether `name` is one of Django's default filters.
pub(crate) fn is_django_filter(name: &str) -> bool {
    DJANGO_FILTERS.contains(&name)
}

/// Django's `args_check`: the message when a filter gets the wrong number of arguments.
pub(crate) fn check_args(filter: &Filter, has_arg: bool) -> Result<(), Error> {
    let (required, accepted) = match filter.arg {
        FilterArg::None => (1, 1),
        FilterArg::Required => (2, 2),
    };
    let provided = 1 + usize::from(has_arg);
    if provided < required || provided > accepted {
        return Err(Error::syntax(format!(
            "{} requires {required} arguments, {provided} provided",
            filter.name
        )));
    }
    Ok(())
}

/// Applies `filter` to `input` as Django's `FilterExpression.resolve` does: a filter marked
/// `is_safe` keeps the result of a safe string safe.
pub(crate) fn apply(filter: &Filter, input: Value, arg: Option<Value>) -> Result<Value, Error> {
    let input_was_safe = input.is_safe_str();
    let output = (filter.run)(input, arg)?;
    if filter.is_safe && input_was_safe {
        return mark_safe(output);
    }
    Ok(output)
}

/// Django's `mark_safe`: strings become safe; anything else becomes its safe `str()`.
fn mark_safe(value: Value) -> Result<Value, Error> {
    Ok(match value {
        Value::Str(text, _) => Value::Str(text, true),
        other => {
            let (text, _) = to_text(&other)?;
            Value::safe_str(text.into_owned())
        }
    })
}

/// Django's `@stringfilter`: runs `f` on `str(input)` and returns a plain string, safe only when
/// the filter `is_safe` and `str(input)` was safe.
fn string_filter(
    input: &Value,
    is_safe: bool,
    f: impl FnOnce(&str) -> String,
) -> Result<Value, Error> {
    let (text, safe): (Cow<'_, str>, bool) = to_text(input)?;
    Ok(Value::Str(f(&text).into(), is_safe && safe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_native_filter_is_a_django_filter_and_unique() {
        let mut names: Vec<_> = GROUPS
            .iter()
            .flat_map(|g| g.iter())
            .map(|f| f.name)
            .collect();
        for name in &names {
            assert!(is_django_filter(name), "{name}");
        }
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(DJANGO_FILTERS.len(), 57);
    }

    #[test]
    fn argument_count_messages_match_django() {
        let upper = find("upper").map(|f| check_args(f, true));
        assert_eq!(
            upper.and_then(Result::err).map(|e| e.to_string()),
            Some("upper requires 1 arguments, 2 provided".into())
        );
        let default = find("default").map(|f| check_args(f, false));
        assert_eq!(
            default.and_then(Result::err).map(|e| e.to_string()),
            Some("default requires 2 arguments, 1 provided".into())
        );
        assert!(find("default").is_some_and(|f| check_args(f, true).is_ok()));
        assert!(find("nope").is_none());
    }

    #[test]
    fn is_safe_filters_keep_safe_input_safe() {
        let lower = find("lower").map(|f| apply(f, Value::safe_str("<B>"), None));
        assert_eq!(
            lower
                .and_then(Result::ok)
                .as_ref()
                .and_then(Value::as_str_and_safety),
            Some(("<b>", true))
        );
        let upper = find("upper").map(|f| apply(f, Value::safe_str("<b>"), None));
        assert_eq!(
            upper
                .and_then(Result::ok)
                .as_ref()
                .and_then(Value::as_str_and_safety),
            Some(("<B>", false))
        );
    }

    #[test]
    fn mark_safe_turns_values_into_safe_text() {
        let safe = mark_safe(Value::Int(5)).ok();
        assert_eq!(
            safe.as_ref().and_then(Value::as_str_and_safety),
            Some(("5", true))
        );
    }
}
