//! Django's list filters: `length`.

use super::{Filter, FilterArg};
use crate::error::Error;
use crate::value::Value;

/// The list filters.
pub(super) const FILTERS: &[Filter] = &[Filter {
    name: "length",
    arg: FilterArg::None,
    is_safe: false,
    run: length,
}];

/// `len(value)`, or 0 where Python's `len()` raises `TypeError`.
fn length(value: Value, _arg: Option<Value>) -> Result<Value, Error> {
    let len = value.length()?.unwrap_or(0);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(value: Value) -> Option<i64> {
        match length(value, None) {
            Ok(Value::Int(n)) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn counts_characters_items_and_keys() {
        assert_eq!(len(Value::from("héllo")), Some(5));
        assert_eq!(len(Value::from(vec![Value::None; 3])), Some(3));
        assert_eq!(len([("a", 1)].into_iter().collect()), Some(1));
    }

    #[test]
    fn things_without_a_length_count_zero() {
        assert_eq!(len(Value::None), Some(0));
        assert_eq!(len(Value::Int(12)), Some(0));
        assert_eq!(len(Value::Bool(true)), Some(0));
    }
}
