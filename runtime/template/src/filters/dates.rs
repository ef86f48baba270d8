//! Django's date filters: `date`, `time`, `timesince`, `timeuntil`, run natively on the
//! dates the host reads ([`Host::datetime`](crate::Host::datetime)) with the active
//! language's names and formats. Values the host does not read (a string, a subclass of
//! `datetime`, a zone only Python can convert) go to Django's own filter.

use std::sync::Arc;

use super::{needs_host, Filter, FilterEnv};
use crate::dates::{self, DateLocale, DateTime, Formatter, Outcome, SinceOutcome, TimeUnit};
use crate::error::Error;
use crate::host::Translation;
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

fn format_date(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    if empty_date(&value) {
        return Ok(Value::from(""));
    }
    format_with(&value, arg.as_ref(), env, Formatter::Date)
}

fn format_time(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    if empty_date(&value) {
        return Ok(Value::from(""));
    }
    format_with(&value, arg.as_ref(), env, Formatter::Time)
}

/// `formats.date_format(value, arg)` (or `time_format`), and on `AttributeError` (for
/// `time`, `TypeError` too) the same with `arg` itself as the format, then `""`.
fn format_with(
    value: &Value,
    arg: Option<&Value>,
    env: &FilterEnv<'_>,
    formatter: Formatter,
) -> Result<Value, Error> {
    let (name, default) = match formatter {
        Formatter::Date => ("date", "DATE_FORMAT"),
        Formatter::Time => ("time", "TIME_FORMAT"),
    };
    let Some(datetime) = env.host.datetime(value, true)? else {
        return Err(needs_host(name));
    };
    let arg = match arg {
        None => None,
        Some(Value::Str(text, _)) => Some(&**text),
        Some(_) => return Err(needs_host(name)),
    };
    let locale = env.host.date_locale()?;
    // `get_format(arg or "DATE_FORMAT")`.
    let Some(format_string) = locale.resolve(arg.filter(|a| !a.is_empty()).unwrap_or(default))
    else {
        return Err(needs_host(name));
    };
    let failed = |outcome| match (outcome, formatter) {
        (Outcome::Empty, _) | (Outcome::TypeError, Formatter::Time) => Ok(()),
        _ => Err(needs_host(name)),
    };
    match dates::format(&datetime, format_string, &locale, formatter) {
        Ok(text) => return Ok(Value::from(text)),
        Err(outcome) => failed(outcome)?,
    }
    // The retry formats with `str(arg)` unresolved.
    match dates::format(&datetime, arg.unwrap_or("None"), &locale, formatter) {
        Ok(text) => Ok(Value::from(text)),
        Err(outcome) => failed(outcome).map(|()| Value::from("")),
    }
}

/// `timesince_filter`: `if not value: return ""`, then `timesince(value, arg or now)`.
fn since(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    since_or_until(value, arg, env, "timesince")
}

/// `timeuntil_filter`: `timeuntil(value, arg or now)`.
fn until(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    since_or_until(value, arg, env, "timeuntil")
}

fn since_or_until(
    value: Value,
    arg: Option<Value>,
    env: &FilterEnv<'_>,
    name: &str,
) -> Result<Value, Error> {
    if !matches!(value, Value::Object(_)) && !value.is_true()? {
        return Ok(Value::from(""));
    }
    let Some(d) = env.host.datetime(&value, false)? else {
        return Err(needs_host(name));
    };
    let now = match arg {
        Some(arg) if arg.is_true()? => env.host.datetime(&arg, false)?,
        _ => now_in_zone_of(&d, env)?,
    };
    let Some(now) = now else {
        return Err(needs_host(name));
    };
    let parts = match dates::timesince(&d, &now, name == "timeuntil") {
        SinceOutcome::Parts(parts) => parts,
        SinceOutcome::Empty => return Ok(Value::from("")),
        SinceOutcome::Host => return Err(needs_host(name)),
    };
    let locale = env.host.date_locale()?;
    let mut text = String::new();
    for (i, (unit, count)) in parts.into_iter().enumerate() {
        if i > 0 {
            text.push_str(&locale.comma);
        }
        let Some(part) = count_text(&locale, unit, count, env)? else {
            return Err(needs_host(name));
        };
        text.push_str(&part);
    }
    Ok(Value::from(text))
}

/// `datetime.now(d.tzinfo if is_aware(d) else None)`: the host's local clock for a naive
/// `d`, the system clock placed in `d`'s zone when that is fixed; `None` for other zones.
fn now_in_zone_of(d: &DateTime, env: &FilterEnv<'_>) -> Result<Option<DateTime>, Error> {
    let Some(zone) = &d.zone else {
        return env.host.local_now();
    };
    if !zone.fixed || !zone.known {
        return Ok(None);
    }
    let utc = env.host.now_micros()?;
    let now = d.from_wall_micros(utc + i64::from(zone.offset) * 1_000_000);
    Ok(Some(DateTime {
        kind: dates::DateKind::DateTime,
        ..now
    }))
}

/// How many translated counts a language keeps (past that, it starts over).
const COUNT_CACHE_SIZE: usize = 4096;

/// `avoid_wrapping(TIME_STRINGS[unit] % {"num": count})` in the active language; `None`
/// where the translation holds a `%` directive other than `%(num)d`.
fn count_text(
    locale: &DateLocale,
    unit: TimeUnit,
    count: i64,
    env: &FilterEnv<'_>,
) -> Result<Option<Arc<str>>, Error> {
    if let Some(found) = locale
        .counts
        .lock()
        .ok()
        .and_then(|counts| counts.get(&(unit, count)).cloned())
    {
        return Ok(Some(found));
    }
    let (singular, plural) = unit.messages();
    let number = Value::Int(count);
    let translated = env.host.translate(Translation {
        context: None,
        singular,
        plural: Some((plural, &number)),
    })?;
    let Some(text) = substitute_num(&translated, count) else {
        return Ok(None);
    };
    let text: Arc<str> = Arc::from(text.replace(' ', "\u{a0}"));
    if let Ok(mut counts) = locale.counts.lock() {
        if counts.len() >= COUNT_CACHE_SIZE {
            counts.clear();
        }
        counts.insert((unit, count), text.clone());
    }
    Ok(Some(text))
}

/// Python's `text % {"num": count}` for the directives translations use.
fn substitute_num(text: &str, count: i64) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest
            .strip_prefix("%(num)d")
            .or_else(|| rest.strip_prefix("%(num)s"))
        {
            out.push_str(itoa::Buffer::new().format(count));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
        } else {
            return None;
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_substitute_as_python_does() {
        assert_eq!(
            substitute_num("%(num)d Jahre", 3).as_deref(),
            Some("3 Jahre")
        );
        assert_eq!(
            substitute_num("100%% %(num)s", 1).as_deref(),
            Some("100% 1")
        );
        assert_eq!(substitute_num("%d", 1), None);
        assert_eq!(substitute_num("plain", 1).as_deref(), Some("plain"));
    }
}
