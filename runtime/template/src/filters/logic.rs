//! Django's logic filters: `default`, `default_if_none`, `yesno`, `pluralize`, `divisibleby`.

use super::{needs_host, optional, py_int, two, Filter, FilterEnv};
use crate::compiler::{parse_float, py_strip};
use crate::error::Error;
use crate::value::Value;

/// The logic filters.
pub(super) const FILTERS: &[Filter] = &[
    two("default", false, default),
    two("default_if_none", false, default_if_none),
    optional("yesno", false, yesno),
    optional("pluralize", false, pluralize),
    two("divisibleby", false, divisibleby),
];

/// `value or arg`: the argument replaces any falsy value, whatever its type.
fn default(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    if value.is_true()? {
        return Ok(value);
    }
    Ok(arg.unwrap_or_default())
}

/// The argument only for `None`.
fn default_if_none(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    Ok(match value {
        Value::None => arg.unwrap_or_default(),
        other => other,
    })
}

/// `"yes,no,maybe"` picked by truthiness (and `None`).
fn yesno(value: Value, arg: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let arg = match arg {
        None => env.gettext("yes,no,maybe")?,
        Some(Value::Str(text, _)) => text.to_string(),
        Some(_) => return Err(needs_host("yesno")),
    };
    let bits: Vec<&str> = arg.split(',').collect();
    if bits.len() < 2 {
        return Ok(value);
    }
    let (yes, no, maybe) = match bits.as_slice() {
        [yes, no, maybe] => (*yes, *no, *maybe),
        [yes, no, ..] => (*yes, *no, *no),
        _ => return Ok(value),
    };
    Ok(Value::from(if matches!(value, Value::None) {
        maybe
    } else if value.is_true()? {
        yes
    } else {
        no
    }))
}

/// `""` or the plural suffix (`"s"`, or the part after the comma of `"y,ies"`).
fn pluralize(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let arg = match arg {
        None => "s".to_owned(),
        Some(Value::Str(text, _)) => text.to_string(),
        Some(_) => return Err(needs_host("pluralize")),
    };
    let arg = if arg.contains(',') {
        arg
    } else {
        format!(",{arg}")
    };
    let bits: Vec<&str> = arg.split(',').collect();
    let [singular, plural] = bits.as_slice() else {
        return Ok(Value::from(""));
    };
    let pick = |one: bool| Value::from(if one { *singular } else { *plural });
    Ok(match &value {
        Value::Int(n) => pick(*n == 1),
        Value::Bool(b) => pick(*b),
        Value::Float(f) => pick(*f == 1.0),
        Value::Str(text, _) => match parse_float(py_strip(text)) {
            Some(f) => pick(f == 1.0),
            None => Value::from(""),
        },
        Value::List(_) | Value::Map(_) => pick(value.length()? == Some(1)),
        Value::None => Value::from(""),
        Value::Object(_) => return Err(needs_host("pluralize")),
    })
}

/// `int(value) % int(arg) == 0`.
fn divisibleby(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (Some(a), Some(b)) = (
        py_int(&value)?,
        arg.as_ref().map(py_int).transpose()?.flatten(),
    ) else {
        return Err(needs_host("divisibleby"));
    };
    match a.checked_rem(b) {
        Some(rest) => Ok(Value::Bool(rest == 0)),
        None if b == -1 => Ok(Value::Bool(true)),
        None => Err(needs_host("divisibleby")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::run;

    #[test]
    fn defaults() {
        assert_eq!(
            run(default, Value::from(""), Some(Value::from("d"))).as_deref(),
            Some("d")
        );
        assert_eq!(
            run(default_if_none, Value::from(""), Some(Value::from("d"))).as_deref(),
            Some("")
        );
        assert_eq!(
            run(default_if_none, Value::None, Some(Value::from("d"))).as_deref(),
            Some("d")
        );
    }

    #[test]
    fn yesno_and_pluralize() {
        assert_eq!(run(yesno, Value::None, None).as_deref(), Some("maybe"));
        assert_eq!(
            run(yesno, Value::None, Some(Value::from("y,n"))).as_deref(),
            Some("n")
        );
        assert_eq!(
            run(yesno, Value::Int(1), Some(Value::from("y"))).as_deref(),
            Some("1")
        );
        assert_eq!(run(pluralize, Value::Int(1), None).as_deref(), Some(""));
        assert_eq!(
            run(pluralize, Value::from("2"), Some(Value::from("y,ies"))).as_deref(),
            Some("ies")
        );
        assert_eq!(
            run(pluralize, Value::from(vec![Value::None]), None).as_deref(),
            Some("")
        );
        assert_eq!(run(pluralize, Value::from("x"), None).as_deref(), Some(""));
        assert_eq!(
            run(pluralize, Value::Int(2), Some(Value::from("a,b,c"))).as_deref(),
            Some("")
        );
    }

    #[test]
    fn divisibility() {
        assert_eq!(
            run(divisibleby, Value::Int(9), Some(Value::from("3"))).as_deref(),
            Some("True")
        );
        assert!(run(divisibleby, Value::Int(9), Some(Value::Int(0))).is_none());
    }
}
