//! Django's date filters: `date`, `time`, `timesince`, `timeuntil`. Dates stay Python objects
//! (their formatting depends on the active language and time zone), so the host formats them;
//! only the empty cases are answered here.

use super::{needs_host, Filter, FilterEnv};
use crate::error::Error;
use crate::value::Value;

const fn date_filter(name: &'static str, run: super::FilterFn) -> Filter {
    Filter {
        name,
        required: 1,
        accepted: 2,
        is_safe: false,
        run,
    }
}

/// The date filters.
pub(super) const FILTERS: &[Filter] = &[
    date_filter("date", format_date),
    date_filter("time", format_time),
    date_filter("timesince", since),
    date_filter("timeuntil", until),
];

/// `value in (None, "")` gives `""` for `date` and `time`.
fn empty_date(value: &Value) -> bool {
    match value {
        Value::None => true,
        Value::Str(text, _) => text.is_empty(),
        _ => false,
    }
}

fn format_date(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    if empty_date(&value) {
        return Ok(Value::from(""));
    }
    Err(needs_host("date"))
}

fn format_time(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    if empty_date(&value) {
        return Ok(Value::from(""));
    }
    Err(needs_host("time"))
}

/// `if not value: return ""`.
fn since(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    if !matches!(value, Value::Object(_)) && !value.is_true()? {
        return Ok(Value::from(""));
    }
    Err(needs_host("timesince"))
}

fn until(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    if !matches!(value, Value::Object(_)) && !value.is_true()? {
        return Ok(Value::from(""));
    }
    Err(needs_host("timeuntil"))
}
