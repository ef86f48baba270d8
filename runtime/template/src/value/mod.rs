//! The value model: the Python values a template sees, with Django's "safe string" flag.

mod format;
mod key;
mod lookup;
pub(crate) mod number;
mod object;
mod ops;

use std::sync::Arc;

use indexmap::IndexMap;

use crate::error::Error;

pub(crate) use format::{
    escape_into, float_repr, positional_repr, py_repr_str, to_repr, to_text, write_items,
};
pub use key::Key;
pub(crate) use lookup::{lookup_member, lookup_segment, python_index};
pub use object::{AsAny, Object, Tuple};
pub(crate) use object::{DictView, GroupedResult, LoopObject};
pub(crate) use ops::{compare, contains, identical, CompareOp};

/// A map as templates see it: Python's `dict` with string keys, in insertion order (hashed
/// with foldhash: fast on short keys, seeded per process).
pub type Map = IndexMap<Arc<str>, Value, foldhash::fast::RandomState>;

/// Whether a string is marked safe (Django's `SafeString`): printed as it is, where a plain
/// string is escaped.
///
/// A word wide, not a `bool`, on purpose: the compiler makes this word `Value`'s tag (the
/// other variants take its unused values), so every field of a `Value` is a whole word. With
/// a one-byte flag beside a one-byte tag, each move of a value read those bytes back wider
/// than they were written, which the processor cannot forward from the pending stores: a
/// stall of a dozen cycles per move, a fifth of a table's render time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Safety {
    /// Escaped when printed.
    Plain = 0,
    /// Printed as it is.
    Safe = 1,
}

impl Safety {
    /// Whether the string is marked safe.
    pub fn is_safe(self) -> bool {
        self == Safety::Safe
    }
}

impl From<bool> for Safety {
    fn from(safe: bool) -> Safety {
        if safe {
            Safety::Safe
        } else {
            Safety::Plain
        }
    }
}

/// A value in a template context: one of Python's builtin types, or a host object.
///
/// Clones are cheap: strings, lists, maps and objects are reference counted.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Python's `None`.
    #[default]
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An `int` (integers beyond 64 bits are not represented).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`: the text, and whether it is marked safe (Django's `SafeString`).
    Str(Arc<str>, Safety),
    /// A `list` (or any sequence the host converted up front).
    List(Arc<Vec<Value>>),
    /// A `dict` with string keys.
    Map(Arc<Map>),
    /// A host value resolved lazily through the [`Object`] trait.
    Object(Arc<dyn Object>),
}

impl Value {
    /// A plain (not safe) string, escaped when printed.
    #[expect(
        clippy::should_implement_trait,
        reason = "the pair of safe_str; it takes any Into<Arc<str>> and cannot fail"
    )]
    pub fn from_str(text: impl Into<Arc<str>>) -> Value {
        Value::Str(text.into(), Safety::Plain)
    }

    /// A string marked safe (Django's `mark_safe`), printed without escaping.
    pub fn safe_str(text: impl Into<Arc<str>>) -> Value {
        Value::Str(text.into(), Safety::Safe)
    }

    /// A host object.
    pub fn from_object(object: impl Object + 'static) -> Value {
        Value::Object(Arc::new(object))
    }

    /// The text of a `Str` and whether it is marked safe; `None` for other values.
    pub fn as_str_and_safety(&self) -> Option<(&str, bool)> {
        match self {
            Value::Str(text, safety) => Some((text, safety.is_safe())),
            _ => None,
        }
    }

    /// Whether this is a string marked safe (Python's `isinstance(value, SafeData)`).
    pub(crate) fn is_safe_str(&self) -> bool {
        matches!(self, Value::Str(_, Safety::Safe))
    }

    /// Python's truthiness: empty strings and containers, zero, `None` and `False` are false.
    pub(crate) fn is_true(&self) -> Result<bool, Error> {
        Ok(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(text, _) => !text.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Map(map) => !map.is_empty(),
            Value::Object(object) => object.is_true()?,
        })
    }

    /// Python's `len()`, or `None` where Python raises `TypeError`.
    pub(crate) fn length(&self) -> Result<Option<usize>, Error> {
        Ok(match self {
            Value::Str(text, _) => Some(text.chars().count()),
            Value::List(items) => Some(items.len()),
            Value::Map(map) => Some(map.len()),
            Value::Object(object) => object.length()?,
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) => None,
        })
    }

    /// Python's `list(value)`: characters, items, keys; `None` where Python raises `TypeError`.
    pub(crate) fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(match self {
            Value::Str(text, _) => Some(
                text.chars()
                    .map(|c| Value::from_str(c.to_string()))
                    .collect(),
            ),
            Value::List(items) => Some(items.as_ref().clone()),
            Value::Map(map) => Some(map.keys().map(|k| Value::from_str(k.clone())).collect()),
            Value::Object(object) => object.iterate()?,
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) => None,
        })
    }

    /// Python's type name, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_, Safety::Plain) => "str",
            Value::Str(_, Safety::Safe) => "SafeString",
            Value::List(_) => "list",
            Value::Map(_) => "dict",
            Value::Object(_) => "object",
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::from_str(text)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::from_str(text)
    }
}

impl From<Arc<str>> for Value {
    fn from(text: Arc<str>) -> Value {
        Value::from_str(text)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Int(i64::from(i))
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Map(Arc::new(map))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(option: Option<T>) -> Value {
        option.map_or(Value::None, Into::into)
    }
}

impl<K: Into<Arc<str>>, V: Into<Value>> FromIterator<(K, V)> for Value {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Value {
        Value::from(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect::<Map>(),
        )
    }
}

impl FromIterator<Value> for Value {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Value {
        Value::from(iter.into_iter().collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_is_pythons() {
        let falsy = [
            Value::None,
            Value::Bool(false),
            Value::Int(0),
            Value::Float(0.0),
            Value::Float(-0.0),
            Value::from(""),
            Value::from(Vec::new()),
            Value::from(Map::default()),
        ];
        for value in falsy {
            assert!(!value.is_true().unwrap_or(true), "{value:?}");
        }
        let truthy = [
            Value::Bool(true),
            Value::Int(-1),
            Value::Float(f64::NAN),
            Value::from(" "),
            Value::from(vec![Value::None]),
            [("k", 0)].into_iter().collect(),
        ];
        for value in truthy {
            assert!(value.is_true().unwrap_or(false), "{value:?}");
        }
    }

    #[test]
    fn a_value_is_three_words() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 24);
    }

    #[test]
    fn constructors_set_the_safe_flag() {
        assert_eq!(Value::from_str("a").as_str_and_safety(), Some(("a", false)));
        assert_eq!(
            Value::safe_str("<b>").as_str_and_safety(),
            Some(("<b>", true))
        );
        assert_eq!(
            Value::from(String::from("x")).as_str_and_safety(),
            Some(("x", false))
        );
        assert_eq!(Value::Int(1).as_str_and_safety(), None);
        assert!(matches!(Value::from(Some(3)), Value::Int(3)));
        assert!(matches!(Value::from(None::<i64>), Value::None));
    }

    #[test]
    fn length_and_iteration_follow_python() {
        let text = Value::from("héllo");
        assert_eq!(text.length().ok().flatten(), Some(5));
        assert_eq!(Value::Int(3).length().ok().flatten(), None);
        let map: Value = [("a", 1), ("b", 2)].into_iter().collect();
        let keys = map.iterate().ok().flatten().unwrap_or_default();
        let keys: Vec<_> = keys.iter().filter_map(|k| k.as_str_and_safety()).collect();
        assert_eq!(keys, [("a", false), ("b", false)]);
        assert!(Value::None.iterate().ok().flatten().is_none());
    }
}
