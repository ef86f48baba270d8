//! One dotted segment of a variable, looked up the way Django's `Variable._resolve_lookup` does:
//! `value[segment]`, then `getattr(value, segment)`, then `value[int(segment)]`.

use std::borrow::Cow;

use super::{DictView, Key, Object, Value};
use crate::error::Error;

/// The public attributes of Python's `str` (all methods).
const STR_ATTRIBUTES: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "encode",
    "endswith",
    "expandtabs",
    "find",
    "format",
    "format_map",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "maketrans",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
];

/// The public attributes of Python's `list`.
const LIST_ATTRIBUTES: &[&str] = &[
    "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
    "sort",
];

/// The public attributes of Python's `dict` other than the views the engine provides.
pub(crate) const DICT_ATTRIBUTES: &[&str] = &[
    "clear",
    "copy",
    "fromkeys",
    "get",
    "pop",
    "popitem",
    "setdefault",
    "update",
];

/// The public attributes of Python's `int` and `bool` (3.11 to 3.13).
const INT_ATTRIBUTES: &[&str] = &[
    "as_integer_ratio",
    "bit_count",
    "bit_length",
    "conjugate",
    "denominator",
    "from_bytes",
    "imag",
    "is_integer",
    "numerator",
    "real",
    "to_bytes",
];

/// The public attributes of Python's `float`.
const FLOAT_ATTRIBUTES: &[&str] = &[
    "as_integer_ratio",
    "conjugate",
    "fromhex",
    "hex",
    "imag",
    "is_integer",
    "real",
];

/// Looks up `segment` on `value`; `Ok(None)` when Django would find nothing (an invalid
/// variable). `index` is `python_index(segment)`.
pub(crate) fn lookup_member(
    value: &Value,
    segment: &str,
    index: Option<usize>,
) -> Result<Option<Value>, Error> {
    let found = lookup_in(value, segment, index, |object| object.lookup(segment))?;
    Ok(found.map(Cow::into_owned))
}

/// [`lookup_member`] of a segment the template wrote (`index` computed when it was parsed),
/// lending the member of a map or list instead of cloning it.
#[inline]
pub(crate) fn lookup_segment<'v>(
    value: &'v Value,
    key: &Key,
    index: Option<usize>,
) -> Result<Option<Cow<'v, Value>>, Error> {
    lookup_in(value, key, index, |object| object.lookup_key(key))
}

#[inline]
fn lookup_in<'v>(
    value: &'v Value,
    segment: &str,
    index: Option<usize>,
    object_lookup: impl FnOnce(&dyn Object) -> Result<Option<Value>, Error>,
) -> Result<Option<Cow<'v, Value>>, Error> {
    match value {
        Value::Map(map) => {
            if let Some(found) = map.get(segment) {
                return Ok(Some(Cow::Borrowed(found)));
            }
            if let Some(view) = DictView::named(segment, map) {
                return Ok(Some(Cow::Owned(view)));
            }
            // `d[int(segment)]` cannot match: the engine's maps have string keys only.
            reject_builtin_attribute("dict", segment, DICT_ATTRIBUTES).map(|()| None)
        }
        Value::List(items) => {
            reject_builtin_attribute("list", segment, LIST_ATTRIBUTES)?;
            Ok(index.and_then(|i| items.get(i)).map(Cow::Borrowed))
        }
        Value::Str(text, _) => {
            reject_builtin_attribute("str", segment, STR_ATTRIBUTES)?;
            // Indexing a SafeString gives a plain str.
            Ok(index
                .and_then(|i| text.chars().nth(i))
                .map(|c| Cow::Owned(Value::from_str(c.to_string()))))
        }
        Value::Int(_) | Value::Bool(_) => {
            reject_builtin_attribute(value.type_name(), segment, INT_ATTRIBUTES).map(|()| None)
        }
        Value::Float(_) => {
            reject_builtin_attribute("float", segment, FLOAT_ATTRIBUTES).map(|()| None)
        }
        Value::None => Ok(None),
        Value::Object(object) => Ok(object_lookup(&**object)?.map(Cow::Owned)),
    }
}

/// Fails with `Unsupported` when `segment` names an attribute Python would find (and Django
/// would call) on a builtin type the engine does not emulate; a wrong page is worse than none.
pub(crate) fn reject_builtin_attribute(
    type_name: &str,
    segment: &str,
    attributes: &[&str],
) -> Result<(), Error> {
    if attributes.contains(&segment) {
        return Err(Error::unsupported(format!(
            "the attribute '{segment}' of a '{type_name}' value is not supported natively"
        )));
    }
    Ok(())
}

/// Python's `int(segment)` for a segment made of word characters, when it is a valid index:
/// ASCII digits with single underscores between them (`int("1_0") == 10`).
pub(crate) fn python_index(segment: &str) -> Option<usize> {
    let bytes = segment.as_bytes();
    let (first, last) = (bytes.first()?, bytes.last()?);
    if !first.is_ascii_digit() || !last.is_ascii_digit() || segment.contains("__") {
        return None;
    }
    let mut index: usize = 0;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                index = index.checked_mul(10)?.checked_add(usize::from(b - b'0'))?;
            }
            b'_' => {}
            _ => return None,
        }
    }
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::value::Map;

    fn find(value: &Value, segment: &str) -> Result<Option<Value>, Error> {
        lookup_member(value, segment, python_index(segment))
    }

    #[test]
    fn python_index_accepts_what_int_accepts() {
        assert_eq!(python_index("0"), Some(0));
        assert_eq!(python_index("007"), Some(7));
        assert_eq!(python_index("1_0"), Some(10));
        assert_eq!(python_index("1__0"), None);
        assert_eq!(python_index("_1"), None);
        assert_eq!(python_index("1_"), None);
        assert_eq!(python_index("x"), None);
        assert_eq!(python_index(""), None);
        assert_eq!(python_index("99999999999999999999999"), None);
    }

    #[test]
    fn maps_look_up_keys_then_views() {
        let map: Value = [("a", Value::Int(1)), ("items", Value::Int(2))]
            .into_iter()
            .collect();
        assert!(matches!(find(&map, "a"), Ok(Some(Value::Int(1)))));
        // A key shadows the method of the same name, as in Django.
        assert!(matches!(find(&map, "items"), Ok(Some(Value::Int(2)))));
        assert!(matches!(find(&map, "keys"), Ok(Some(Value::Object(_)))));
        assert!(matches!(find(&map, "zzz"), Ok(None)));
        assert!(matches!(find(&map, "0"), Ok(None)));
        let err = find(&Value::from(Map::default()), "get").err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Unsupported));
    }

    #[test]
    fn lists_and_strings_index_by_integer() {
        let list = Value::from(vec![Value::Int(5), Value::Int(6)]);
        assert!(matches!(find(&list, "1"), Ok(Some(Value::Int(6)))));
        assert!(matches!(find(&list, "2"), Ok(None)));
        assert!(matches!(find(&list, "x"), Ok(None)));
        assert!(find(&list, "pop").is_err());
        let text = Value::safe_str("hé");
        let second = find(&text, "1").ok().flatten();
        assert_eq!(
            second.as_ref().and_then(Value::as_str_and_safety),
            Some(("é", false))
        );
        assert!(find(&text, "upper").is_err());
    }

    #[test]
    fn scalars_have_no_members() {
        assert!(matches!(find(&Value::None, "x"), Ok(None)));
        assert!(matches!(find(&Value::Int(1), "0"), Ok(None)));
        assert!(find(&Value::Int(1), "real").is_err());
        assert!(find(&Value::Bool(true), "real").is_err());
        assert!(find(&Value::Float(1.0), "hex").is_err());
        assert!(matches!(find(&Value::Float(1.0), "x"), Ok(None)));
    }
}
