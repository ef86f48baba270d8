//! Django's sequence filters: `length`, `first`, `last`, `join`, `slice`, `make_list`,
//! `dictsort`, `dictsortreversed`, `random`.

use std::cmp::Ordering;

use super::{needs_host, one, text_of, two, Filter, FilterEnv};
use crate::error::Error;
use crate::value::{compare, escape_into, lookup_member, python_index, to_text, CompareOp, Value};

/// `join`: `needs_autoescape`, with its `autoescape` parameter counted by `args_check`.
const JOIN: Filter = Filter {
    name: "join",
    required: 2,
    accepted: 3,
    is_safe: true,
    run: join,
};

/// The list filters.
pub(super) const FILTERS: &[Filter] = &[
    one("length", false, length),
    one("first", false, first),
    one("last", true, last),
    JOIN,
    two("slice", true, slice),
    one("make_list", false, make_list),
    two("dictsort", false, dictsort),
    two("dictsortreversed", false, dictsortreversed),
    one("random", true, random),
];

/// `len(value)`, or 0 where Python's `len()` raises `TypeError`.
fn length(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let len = value.length()?.unwrap_or(0);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

/// `value[index]` for strings and lists; `""` when empty.
fn item(name: &str, value: &Value, from_end: bool) -> Result<Value, Error> {
    match value {
        Value::Str(text, _) => {
            let c = if from_end {
                text.chars().next_back()
            } else {
                text.chars().next()
            };
            Ok(c.map_or_else(|| Value::from(""), |c| Value::from(c.to_string())))
        }
        Value::List(items) => {
            let found = if from_end {
                items.last()
            } else {
                items.first()
            };
            Ok(found.cloned().unwrap_or_else(|| Value::from("")))
        }
        // Dicts, numbers and host objects: Python's own indexing decides (or raises).
        _ => Err(needs_host(name)),
    }
}

fn first(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    item("first", &value, false)
}

fn last(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    item("last", &value, true)
}

/// `arg.join(value)`, each item escaped when autoescaping; the value itself if not iterable.
fn join(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let items = match &value {
        Value::Object(_) => return Err(needs_host("join")),
        Value::Str(..) | Value::List(_) | Value::Map(_) => value.iterate()?.unwrap_or_default(),
        _ => return Ok(value),
    };
    let arg = arg.unwrap_or_default();
    let mut out = String::new();
    if env.autoescape {
        let (separator, safe) = to_text(&arg)?;
        let separator = if safe {
            separator.into_owned()
        } else {
            let mut escaped = String::new();
            escape_into(&mut escaped, &separator);
            escaped
        };
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&separator);
            }
            let (text, safe) = to_text(item)?;
            if safe {
                out.push_str(&text);
            } else {
                escape_into(&mut out, &text);
            }
        }
    } else {
        let Value::Str(separator, _) = &arg else {
            return Err(needs_host("join"));
        };
        for (i, item) in items.iter().enumerate() {
            let Value::Str(text, _) = item else {
                // str.join() raises TypeError for anything but strings: the value comes back.
                return Ok(value);
            };
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(text);
        }
    }
    Ok(Value::safe_str(out))
}

/// Python's slice of a sequence, `"start:stop:step"`; the value unchanged where Python raises.
fn slice(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let spec = match &arg {
        Some(Value::Str(text, _)) => text.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        _ => return Err(needs_host("slice")),
    };
    let mut bits: Vec<Option<i64>> = Vec::new();
    for part in spec.split(':') {
        if part.is_empty() {
            bits.push(None);
        } else {
            match super::py_int(&Value::from(part))? {
                Some(n) => bits.push(Some(n)),
                None => return Ok(value),
            }
        }
    }
    let (start, stop, step) = match bits.as_slice() {
        [stop] => (None, *stop, None),
        [start, stop] => (*start, *stop, None),
        [start, stop, step] => (*start, *stop, *step),
        _ => return Ok(value),
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Ok(value);
    }
    match &value {
        Value::Str(text, safe) => {
            let chars: Vec<char> = text.chars().collect();
            let picked: String = slice_indices(chars.len(), start, stop, step)
                .into_iter()
                .filter_map(|i| chars.get(i))
                .collect();
            Ok(Value::Str(picked.into(), *safe))
        }
        Value::List(items) => Ok(Value::from(
            slice_indices(items.len(), start, stop, step)
                .into_iter()
                .filter_map(|i| items.get(i).cloned())
                .collect::<Vec<_>>(),
        )),
        Value::Object(_) => Err(needs_host("slice")),
        _ => Ok(value),
    }
}

/// The indices Python's `slice(start, stop, step).indices(len)` visits.
fn slice_indices(len: usize, start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<usize> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let clamp = |index: Option<i64>, default: i64, low: i64, high: i64| match index {
        None => default,
        Some(i) if i < 0 => (i + len).max(low),
        Some(i) => i.min(high),
    };
    let mut out = Vec::new();
    if step > 0 {
        let start = clamp(start, 0, 0, len);
        let stop = clamp(stop, len, 0, len);
        let mut i = start;
        while i < stop {
            out.push(usize::try_from(i).unwrap_or(0));
            i += step;
        }
    } else {
        let start = clamp(start, len - 1, -1, len - 1);
        let stop = clamp(stop, -1, -1, len - 1);
        let mut i = start;
        while i > stop {
            out.push(usize::try_from(i).unwrap_or(0));
            i += step;
        }
    }
    out
}

/// `list(str(value))`.
fn make_list(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, _) = text_of("make_list", &value)?;
    Ok(Value::from(
        text.chars()
            .map(|c| Value::from(c.to_string()))
            .collect::<Vec<_>>(),
    ))
}

fn dictsort(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    sort_by_key("dictsort", value, arg, false)
}

fn dictsortreversed(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    sort_by_key("dictsortreversed", value, arg, true)
}

/// `sorted(value, key=_property_resolver(arg))`; `""` where Python raises.
fn sort_by_key(
    name: &str,
    value: Value,
    arg: Option<Value>,
    reverse: bool,
) -> Result<Value, Error> {
    let Some(Value::Str(path, _)) = arg else {
        return Err(needs_host(name));
    };
    let Value::List(items) = &value else {
        return Err(needs_host(name));
    };
    if crate::compiler::is_py_space(path.chars().next().unwrap_or(' ')) || path.is_empty() {
        return Err(needs_host(name));
    }
    // A number-like argument is an itemgetter with the string itself as the key.
    let numeric = crate::compiler::parse_float(crate::compiler::py_strip(&path)).is_some();
    if !numeric && (path.contains("._") || path.starts_with('_')) {
        return Ok(Value::from(""));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in items.iter() {
        let key = if numeric {
            match item {
                // A missing key raises KeyError, which Django lets out: the host raises it.
                Value::Map(map) => Some(map.get(&*path).cloned().ok_or_else(|| needs_host(name))?),
                Value::List(_) | Value::Str(..) => return Ok(Value::from("")),
                _ => return Err(needs_host(name)),
            }
        } else {
            let mut current = item.clone();
            let mut found = true;
            for part in path.split('.') {
                if matches!(current, Value::Object(_)) {
                    return Err(needs_host(name));
                }
                match lookup_member(&current, part, python_index(part)) {
                    Ok(Some(next)) if matches!(current, Value::Map(_)) => current = next,
                    // Lists and strings are indexed only by integers in `value[part]`.
                    Ok(Some(_)) | Ok(None) => {
                        found = false;
                        break;
                    }
                    Err(_) => return Err(needs_host(name)),
                }
            }
            found.then_some(current)
        };
        let Some(key) = key else {
            return Ok(Value::from(""));
        };
        if matches!(key, Value::Object(_)) {
            return Err(needs_host(name));
        }
        keyed.push((key, item.clone()));
    }
    let mut failed = false;
    let mut order = |a: &Value, b: &Value| -> Ordering {
        let less = compare(CompareOp::Lt, a, b);
        let greater = compare(CompareOp::Lt, b, a);
        match (less, greater) {
            (Ok(true), _) => Ordering::Less,
            (Ok(false), Ok(true)) => Ordering::Greater,
            (Ok(false), Ok(false)) => Ordering::Equal,
            _ => {
                failed = true;
                Ordering::Equal
            }
        }
    };
    if reverse {
        keyed.sort_by(|(a, _), (b, _)| order(b, a));
    } else {
        keyed.sort_by(|(a, _), (b, _)| order(a, b));
    }
    if failed {
        return Ok(Value::from(""));
    }
    Ok(Value::from(
        keyed.into_iter().map(|(_, item)| item).collect::<Vec<_>>(),
    ))
}

/// `random.choice(value)`: the host's random generator.
fn random(_: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    Err(needs_host("random"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::run;

    fn ints(values: &[i64]) -> Value {
        Value::from(values.iter().map(|i| Value::Int(*i)).collect::<Vec<_>>())
    }

    #[test]
    fn slices_follow_python() {
        let s = |spec: &str| run(slice, ints(&[0, 1, 2, 3, 4]), Some(Value::from(spec)));
        assert_eq!(s(":2").as_deref(), Some("[0, 1]"));
        assert_eq!(s("1:-1").as_deref(), Some("[1, 2, 3]"));
        assert_eq!(s("::-2").as_deref(), Some("[4, 2, 0]"));
        assert_eq!(s("-2:").as_deref(), Some("[3, 4]"));
        assert_eq!(s("x").as_deref(), Some("[0, 1, 2, 3, 4]"));
        assert_eq!(s("::0").as_deref(), Some("[0, 1, 2, 3, 4]"));
        assert_eq!(
            run(slice, Value::from("héllo"), Some(Value::from("1:3"))).as_deref(),
            Some("él")
        );
    }

    #[test]
    fn join_escapes_items_and_separator() {
        let items = Value::from(vec![
            Value::from("<a>"),
            Value::safe_str("<b>"),
            Value::Int(1),
        ]);
        assert_eq!(
            run(join, items, Some(Value::from("&"))).as_deref(),
            Some("&lt;a&gt;&amp;<b>&amp;1")
        );
        assert_eq!(
            run(join, Value::Int(3), Some(Value::from(","))).as_deref(),
            Some("3")
        );
    }

    #[test]
    fn dictsort_sorts_by_a_key_path() {
        let rows = Value::from(vec![
            [("n", Value::Int(2)), ("s", Value::from("b"))]
                .into_iter()
                .collect(),
            [("n", Value::Int(1)), ("s", Value::from("a"))]
                .into_iter()
                .collect(),
        ]);
        assert_eq!(
            run(dictsort, rows.clone(), Some(Value::from("n"))).as_deref(),
            Some("[{'n': 1, 's': 'a'}, {'n': 2, 's': 'b'}]")
        );
        assert_eq!(
            run(dictsortreversed, rows.clone(), Some(Value::from("s"))).as_deref(),
            Some("[{'n': 2, 's': 'b'}, {'n': 1, 's': 'a'}]")
        );
        assert_eq!(
            run(dictsort, rows, Some(Value::from("zz"))).as_deref(),
            Some("")
        );
    }
}
