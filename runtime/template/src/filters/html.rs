//! Django's HTML filters: `escape`, `safe`.

use super::{Filter, FilterArg};
use crate::error::Error;
use crate::value::{escape_into, to_text, Value};

/// The HTML filters.
pub(super) const FILTERS: &[Filter] = &[
    Filter {
        name: "escape",
        arg: FilterArg::None,
        is_safe: true,
        run: escape,
    },
    Filter {
        name: "safe",
        arg: FilterArg::None,
        is_safe: true,
        run: safe,
    },
];

/// `conditional_escape(str(value))`: escapes once; an already safe string is left alone.
fn escape(value: Value, _arg: Option<Value>) -> Result<Value, Error> {
    let (text, is_safe) = to_text(&value)?;
    if is_safe {
        return Ok(Value::safe_str(text.into_owned()));
    }
    let mut escaped = String::with_capacity(text.len());
    escape_into(&mut escaped, &text);
    Ok(Value::safe_str(escaped))
}

/// `mark_safe(str(value))`.
fn safe(value: Value, _arg: Option<Value>) -> Result<Value, Error> {
    let (text, _) = to_text(&value)?;
    Ok(Value::safe_str(text.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: Result<Value, Error>) -> Option<(String, bool)> {
        value
            .ok()
            .and_then(|v| v.as_str_and_safety().map(|(t, s)| (t.to_owned(), s)))
    }

    #[test]
    fn escape_marks_safe_and_never_double_escapes() {
        assert_eq!(
            text(escape(Value::from("<&>"), None)),
            Some(("&lt;&amp;&gt;".into(), true))
        );
        assert_eq!(
            text(escape(Value::safe_str("<b>"), None)),
            Some(("<b>".into(), true))
        );
        let once = escape(Value::from("&"), None).unwrap_or_default();
        assert_eq!(text(escape(once, None)), Some(("&amp;".into(), true)));
    }

    #[test]
    fn safe_converts_to_a_safe_string() {
        assert_eq!(
            text(safe(Value::from("<b>"), None)),
            Some(("<b>".into(), true))
        );
        assert_eq!(text(safe(Value::Int(3), None)), Some(("3".into(), true)));
        let list = Value::from(vec![Value::from("<")]);
        assert_eq!(text(safe(list, None)), Some(("['<']".into(), true)));
    }
}
