//! Django's logic filters: `default`.

use super::{Filter, FilterArg};
use crate::error::Error;
use crate::value::Value;

/// The logic filters.
pub(super) const FILTERS: &[Filter] = &[Filter {
    name: "default",
    arg: FilterArg::Required,
    is_safe: false,
    run: default,
}];

/// `value or arg`: the argument replaces any falsy value, whatever its type.
fn default(value: Value, arg: Option<Value>) -> Result<Value, Error> {
    if value.is_true()? {
        return Ok(value);
    }
    Ok(arg.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(value: Value) -> Value {
        default(value, Some(Value::safe_str("d"))).unwrap_or_default()
    }

    #[test]
    fn falsy_values_take_the_default() {
        for value in [
            Value::None,
            Value::Int(0),
            Value::from(""),
            Value::from(Vec::new()),
        ] {
            assert_eq!(run(value).as_str_and_safety(), Some(("d", true)));
        }
    }

    #[test]
    fn truthy_values_pass_through_unchanged() {
        assert_eq!(
            run(Value::from("x")).as_str_and_safety(),
            Some(("x", false))
        );
        assert!(matches!(run(Value::Int(2)), Value::Int(2)));
    }
}
