//! Django's string filters: `upper`, `lower`.

use super::{string_filter, Filter, FilterArg};
use crate::error::Error;
use crate::value::Value;

/// The string filters.
pub(super) const FILTERS: &[Filter] = &[
    Filter {
        name: "upper",
        arg: FilterArg::None,
        is_safe: false,
        run: upper,
    },
    Filter {
        name: "lower",
        arg: FilterArg::None,
        is_safe: true,
        run: lower,
    },
];

/// `str(value).upper()`; not `is_safe`, so `"<b>"|safe|upper` is escaped again.
fn upper(value: Value, _arg: Option<Value>) -> Result<Value, Error> {
    string_filter(&value, false, str::to_uppercase)
}

/// `str(value).lower()`; `is_safe` in Django, so a safe input stays safe.
fn lower(value: Value, _arg: Option<Value>) -> Result<Value, Error> {
    string_filter(&value, true, str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        f: fn(Value, Option<Value>) -> Result<Value, Error>,
        value: Value,
    ) -> Option<(String, bool)> {
        f(value, None)
            .ok()
            .and_then(|v| v.as_str_and_safety().map(|(t, s)| (t.to_owned(), s)))
    }

    #[test]
    fn case_mapping_is_unicode_aware() {
        assert_eq!(
            run(upper, Value::from("straße")),
            Some(("STRASSE".into(), false))
        );
        assert_eq!(
            run(lower, Value::from("ΟΔΟΣ")),
            Some(("οδος".into(), false))
        );
    }

    #[test]
    fn non_strings_are_converted_with_str() {
        assert_eq!(run(upper, Value::None), Some(("NONE".into(), false)));
        assert_eq!(run(lower, Value::Bool(true)), Some(("true".into(), false)));
        assert_eq!(
            run(upper, Value::Float(1e16)),
            Some(("1E+16".into(), false))
        );
        let list = Value::from(vec![Value::from("a")]);
        assert_eq!(run(upper, list), Some(("['A']".into(), false)));
    }

    #[test]
    fn lower_keeps_safety_and_upper_drops_it() {
        assert_eq!(
            run(lower, Value::safe_str("<B>")),
            Some(("<b>".into(), true))
        );
        assert_eq!(
            run(upper, Value::safe_str("<b>")),
            Some(("<B>".into(), false))
        );
    }
}
