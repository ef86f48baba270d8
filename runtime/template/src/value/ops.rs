//! Python's comparison operators on values: `==`, `<` and friends, `in`, `is`.
//!
//! Where Python raises `TypeError` these return a `Render` error, which the `{% if %}` tag turns
//! into False as Django does; host objects the engine cannot compare give `Unsupported`.

use std::cmp::Ordering;
use std::sync::Arc;

use super::Value;
use crate::error::{Error, PythonException};

/// How deeply nested lists and dicts may be compared (Python's recursion limit).
const MAX_COMPARE_DEPTH: usize = 500;

/// A comparison operator of the `{% if %}` tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl CompareOp {
    fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Gt => ">",
            CompareOp::Le => "<=",
            CompareOp::Ge => ">=",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            CompareOp::Eq => ordering.is_eq(),
            CompareOp::Ne => ordering.is_ne(),
            CompareOp::Lt => ordering.is_lt(),
            CompareOp::Gt => ordering.is_gt(),
            CompareOp::Le => ordering.is_le(),
            CompareOp::Ge => ordering.is_ge(),
        }
    }
}

/// Python's `left <op> right`.
pub(crate) fn compare(op: CompareOp, left: &Value, right: &Value) -> Result<bool, Error> {
    match op {
        CompareOp::Eq => equals(left, right, 0),
        CompareOp::Ne => equals(left, right, 0).map(|eq| !eq),
        _ => order(op, left, right, 0),
    }
}

/// Python's `item in container`.
pub(crate) fn contains(container: &Value, item: &Value) -> Result<bool, Error> {
    match container {
        Value::Str(text, _) => match item {
            Value::Str(needle, _) => Ok(text.contains(&**needle)),
            other => Err(Error::render_as(
                PythonException::TypeError,
                format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                ),
            )),
        },
        Value::List(items) => any_equal(items, item),
        Value::Map(map) => match item {
            Value::Str(key, _) => Ok(map.contains_key(key)),
            Value::List(_) | Value::Map(_) => Err(Error::render_as(
                PythonException::TypeError,
                format!("unhashable type: '{}'", item.type_name()),
            )),
            // Numbers, None and host objects never equal the engine's string keys.
            _ => Ok(false),
        },
        Value::Object(object) => match object.iterate()? {
            Some(items) => any_equal(&items, item),
            None => Err(not_iterable(container)),
        },
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            Err(not_iterable(container))
        }
    }
}

/// Python's `left is right`, as far as the engine can know object identity.
///
/// `None` and booleans are singletons; ints are identical when equal within CPython's small-int
/// cache; strings, lists and maps when they are the very same value (a variable compared with
/// itself, or one literal); host objects when they are the same `Arc`, else `Unsupported`.
pub(crate) fn identical(left: &Value, right: &Value) -> Result<bool, Error> {
    Ok(match (left, right) {
        (Value::None, Value::None) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b && (-5..=256).contains(a),
        (Value::Str(a, _), Value::Str(b, _)) => Arc::ptr_eq(a, b),
        (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
        (Value::Map(a), Value::Map(b)) => Arc::ptr_eq(a, b),
        (Value::Object(a), Value::Object(b)) => {
            if !Arc::ptr_eq(a, b) {
                return Err(Error::unsupported("the identity of two host objects"));
            }
            true
        }
        _ => false,
    })
}

fn not_iterable(value: &Value) -> Error {
    Error::render_as(
        PythonException::TypeError,
        format!("argument of type '{}' is not iterable", value.type_name()),
    )
}

fn any_equal(items: &[Value], item: &Value) -> Result<bool, Error> {
    for candidate in items {
        if equals(candidate, item, 0)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A number as Python compares it: `bool` is an `int`.
#[derive(Clone, Copy)]
enum Number {
    Int(i64),
    Float(f64),
}

fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Bool(b) => Some(Number::Int(i64::from(*b))),
        Value::Int(i) => Some(Number::Int(*i)),
        Value::Float(f) => Some(Number::Float(*f)),
        _ => None,
    }
}

/// Compares two numbers exactly, as Python does (no rounding of big ints to float); `None`
/// when a NaN is involved.
fn compare_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(x), Number::Float(y)) => compare_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => compare_int_float(y, x).map(Ordering::reverse),
    }
}

fn compare_int_float(i: i64, f: f64) -> Option<Ordering> {
    // 2^63 as a float: every float at or beyond it is outside i64's range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= LIMIT {
        return Some(Ordering::Less);
    }
    if f < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    // In range and integral, so the conversion is exact.
    let ordering = i.cmp(&(whole as i64));
    Some(ordering.then(if f > whole {
        Ordering::Less
    } else if f < whole {
        Ordering::Greater
    } else {
        Ordering::Equal
    }))
}

fn too_deep(depth: usize) -> Result<(), Error> {
    if depth > MAX_COMPARE_DEPTH {
        return Err(Error::render(
            "maximum recursion depth exceeded in comparison",
        ));
    }
    Ok(())
}

fn equals(left: &Value, right: &Value, depth: usize) -> Result<bool, Error> {
    too_deep(depth)?;
    if let (Some(a), Some(b)) = (number(left), number(right)) {
        return Ok(compare_numbers(a, b) == Some(Ordering::Equal));
    }
    Ok(match (left, right) {
        (Value::Object(object), other) | (other, Value::Object(object)) => object.equals(other)?,
        (Value::None, Value::None) => true,
        (Value::Str(a, _), Value::Str(b, _)) => a == b,
        (Value::List(a), Value::List(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (x, y) in a.iter().zip(b.iter()) {
                if !equals(x, y, depth + 1)? {
                    return Ok(false);
                }
            }
            true
        }
        (Value::Map(a), Value::Map(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (key, x) in a.iter() {
                match b.get(key) {
                    Some(y) if equals(x, y, depth + 1)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        _ => false,
    })
}

fn order(op: CompareOp, left: &Value, right: &Value, depth: usize) -> Result<bool, Error> {
    too_deep(depth)?;
    if let (Some(a), Some(b)) = (number(left), number(right)) {
        return Ok(compare_numbers(a, b).is_some_and(|ordering| op.holds(ordering)));
    }
    match (left, right) {
        (Value::Object(object), other) => object.compare(op.symbol(), other, false),
        (other, Value::Object(object)) => object.compare(op.symbol(), other, true),
        // UTF-8 byte order is code point order, which is how Python orders strings.
        (Value::Str(a, _), Value::Str(b, _)) => Ok(op.holds(a.as_bytes().cmp(b.as_bytes()))),
        (Value::List(a), Value::List(b)) => {
            for (x, y) in a.iter().zip(b.iter()) {
                if !equals(x, y, depth + 1)? {
                    return order(op, x, y, depth + 1);
                }
            }
            Ok(op.holds(a.len().cmp(&b.len())))
        }
        _ => Err(Error::render_as(
            PythonException::TypeError,
            format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                left.type_name(),
                right.type_name()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::value::Map;

    fn list(items: Vec<Value>) -> Value {
        Value::from(items)
    }

    #[test]
    fn numbers_compare_across_types_exactly() {
        assert!(compare(CompareOp::Eq, &Value::Int(1), &Value::Float(1.0)).unwrap_or(false));
        assert!(compare(CompareOp::Eq, &Value::Bool(true), &Value::Int(1)).unwrap_or(false));
        assert!(compare(CompareOp::Lt, &Value::Bool(true), &Value::Int(2)).unwrap_or(false));
        let big = Value::Int(9_007_199_254_740_993);
        let near = Value::Float(9_007_199_254_740_992.0);
        assert!(!compare(CompareOp::Eq, &big, &near).unwrap_or(true));
        assert!(compare(CompareOp::Gt, &big, &near).unwrap_or(false));
        assert!(compare(CompareOp::Lt, &Value::Int(1), &Value::Float(1.5)).unwrap_or(false));
        assert!(compare(CompareOp::Gt, &Value::Int(-1), &Value::Float(-1.5)).unwrap_or(false));
        assert!(
            compare(CompareOp::Lt, &Value::Int(i64::MAX), &Value::Float(1e19)).unwrap_or(false)
        );
        let nan = Value::Float(f64::NAN);
        assert!(!compare(CompareOp::Eq, &nan, &nan).unwrap_or(true));
        assert!(compare(CompareOp::Ne, &nan, &nan).unwrap_or(false));
        assert!(!compare(CompareOp::Le, &nan, &Value::Int(1)).unwrap_or(true));
    }

    #[test]
    fn mismatched_types_are_unequal_and_unordered() {
        assert!(!compare(CompareOp::Eq, &Value::from("1"), &Value::Int(1)).unwrap_or(true));
        assert!(compare(CompareOp::Ne, &Value::None, &Value::Int(0)).unwrap_or(false));
        let err = compare(CompareOp::Lt, &Value::from("a"), &Value::Int(1)).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("'<' not supported between instances of 'str' and 'int'".into())
        );
        assert!(compare(CompareOp::Lt, &Value::None, &Value::None).is_err());
    }

    #[test]
    fn strings_and_lists_order_like_python() {
        assert!(compare(CompareOp::Lt, &Value::from("B"), &Value::from("a")).unwrap_or(false));
        assert!(compare(CompareOp::Lt, &Value::from("ab"), &Value::from("b")).unwrap_or(false));
        let short = list(vec![Value::Int(1)]);
        let long = list(vec![Value::Int(1), Value::Int(0)]);
        assert!(compare(CompareOp::Lt, &short, &long).unwrap_or(false));
        assert!(compare(CompareOp::Le, &short, &short).unwrap_or(false));
        let mixed = list(vec![Value::from("x")]);
        assert!(compare(CompareOp::Lt, &short, &mixed).is_err());
        assert!(compare(CompareOp::Eq, &long, &long.clone()).unwrap_or(false));
    }

    #[test]
    fn maps_compare_by_content_not_order() {
        let a: Value = [("x", 1), ("y", 2)].into_iter().collect();
        let b: Value = [("y", 2), ("x", 1)].into_iter().collect();
        let c: Value = [("y", 2), ("z", 1)].into_iter().collect();
        assert!(compare(CompareOp::Eq, &a, &b).unwrap_or(false));
        assert!(!compare(CompareOp::Eq, &a, &c).unwrap_or(true));
        assert!(compare(CompareOp::Lt, &a, &b).is_err());
    }

    #[test]
    fn membership_follows_python() {
        let text = Value::from("hello");
        assert!(contains(&text, &Value::from("ell")).unwrap_or(false));
        assert!(contains(&text, &Value::Int(1)).is_err());
        let items = list(vec![Value::Int(1), Value::from("a")]);
        assert!(contains(&items, &Value::Float(1.0)).unwrap_or(false));
        assert!(!contains(&items, &Value::from("b")).unwrap_or(true));
        let map: Value = [("k", 0)].into_iter().collect();
        assert!(contains(&map, &Value::from("k")).unwrap_or(false));
        assert!(!contains(&map, &Value::Int(0)).unwrap_or(true));
        assert!(contains(&map, &items).is_err());
        assert!(contains(&Value::Int(5), &Value::Int(5)).is_err());
        assert!(contains(&Value::None, &Value::Int(5)).is_err());
        assert!(contains(&Value::from(Map::default()), &Value::None).is_ok());
    }

    #[test]
    fn identity_is_as_close_to_cpython_as_can_be_known() {
        assert!(identical(&Value::None, &Value::None).unwrap_or(false));
        assert!(identical(&Value::Int(256), &Value::Int(256)).unwrap_or(false));
        assert!(!identical(&Value::Int(257), &Value::Int(257)).unwrap_or(true));
        assert!(!identical(&Value::Int(1), &Value::Bool(true)).unwrap_or(true));
        let text = Value::from("a");
        assert!(identical(&text, &text.clone()).unwrap_or(false));
        assert!(!identical(&text, &Value::from("a")).unwrap_or(true));
        let err = identical(
            &Value::from_object(crate::value::LoopObject {
                parentloop: Value::None,
                counter0: 0,
                length: 1,
                run: 0,
            }),
            &Value::from_object(crate::value::LoopObject {
                parentloop: Value::None,
                counter0: 0,
                length: 1,
                run: 0,
            }),
        )
        .err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Unsupported));
    }

    #[test]
    fn deep_comparisons_fail_instead_of_overflowing() {
        let mut a = Value::None;
        for _ in 0..(MAX_COMPARE_DEPTH + 5) {
            a = list(vec![a]);
        }
        assert!(compare(CompareOp::Eq, &a, &a.clone()).is_err());
    }
}
