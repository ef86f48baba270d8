//! The `Object` trait through which host values plug in lazily, and the engine's own objects
//! (dict views, tuples, `forloop`) that behave like the Python objects Django would see.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::{format, lookup, Key, Map, Value};
use crate::error::Error;

/// A host value resolved lazily (the binding implements it for Python objects: model
/// instances, querysets...). Every method may fail with a host error, which propagates out of
/// `render()` unchanged.
pub trait Object: AsAny + Send + Sync + fmt::Debug {
    /// Django's lookup of one dotted segment (key, then attribute, then index; callables called).
    /// `Ok(None)` means no such member (an invalid variable).
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error>;

    /// [`Object::lookup`] of a name the template wrote. A host that converts names to look
    /// them up keeps the converted name in the key ([`Key::host_form`]); the default looks
    /// up the name as text.
    fn lookup_key(&self, key: &Key) -> Result<Option<Value>, Error> {
        self.lookup(key)
    }

    /// The items a `{% for %}` iterates, or `None` if not iterable.
    fn iterate(&self) -> Result<Option<Vec<Value>>, Error>;

    /// Python's `len()`, or `None` where it raises `TypeError`.
    fn length(&self) -> Result<Option<usize>, Error>;

    /// Python's truthiness (`bool(obj)`).
    fn is_true(&self) -> Result<bool, Error>;

    /// `str(obj)` and whether it is safe (a `SafeString`, or an object with `__html__`).
    fn to_text(&self) -> Result<(String, bool), Error>;

    /// What `{{ obj }}` prints before escaping: Django converts datetimes to the current
    /// time zone and localizes numbers and dates (unless `use_l10n` is false, inside
    /// `{% localize off %}`). Defaults to [`Object::to_text`], right for every type Django
    /// does not localize.
    fn to_output(&self, use_l10n: bool) -> Result<(String, bool), Error> {
        let _ = use_l10n;
        self.to_text()
    }

    /// `str(obj)` when the object is a `decimal.Decimal`: filters that compute with Decimals
    /// (`floatformat`) read it as Django's `Decimal(str(value))` does. `None`, the default,
    /// for anything else.
    fn decimal_text(&self) -> Result<Option<String>, Error> {
        Ok(None)
    }

    /// `repr(obj)`, used when the object is printed inside a list or a dict.
    /// Defaults to an `Unsupported` error: the engine cannot guess it.
    fn to_repr(&self) -> Result<String, Error> {
        Err(Error::unsupported(
            "printing a host object inside a list or dict needs Object::to_repr",
        ))
    }

    /// Python's `obj == other`. Defaults to an `Unsupported` error: the engine cannot guess it.
    fn equals(&self, _other: &Value) -> Result<bool, Error> {
        Err(Error::unsupported(
            "comparing a host object needs Object::equals",
        ))
    }

    /// Python's `obj <op> other` for `op` one of `<`, `<=`, `>`, `>=`; with `reflected`,
    /// `other <op> obj` instead. Defaults to an `Unsupported` error.
    fn compare(&self, op: &str, other: &Value, reflected: bool) -> Result<bool, Error> {
        let _ = (op, other, reflected);
        Err(Error::unsupported(
            "ordering a host object needs Object::compare",
        ))
    }
}

/// Gives any `Object` as `&dyn Any`, so a host can recognise its own objects
/// (`object.as_any().downcast_ref::<MyObject>()`); implemented for every object automatically.
pub trait AsAny {
    /// `self` as `&dyn Any`.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Object + 'static> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Which of `dict.items()`, `dict.keys()`, `dict.values()` a view is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DictViewKind {
    Items,
    Keys,
    Values,
}

/// `dict.items()` / `.keys()` / `.values()`: what `{% for k, v in d.items %}` iterates.
#[derive(Debug)]
pub(crate) struct DictView {
    kind: DictViewKind,
    map: Arc<Map>,
}

impl DictView {
    /// The view `name` (`items`, `keys` or `values`) of `map`, if that is a view's name.
    pub(crate) fn named(name: &str, map: &Arc<Map>) -> Option<Value> {
        let kind = match name {
            "items" => DictViewKind::Items,
            "keys" => DictViewKind::Keys,
            "values" => DictViewKind::Values,
            _ => return None,
        };
        Some(Value::Object(Arc::new(DictView {
            kind,
            map: map.clone(),
        })))
    }

    fn elements(&self) -> Vec<Value> {
        self.map
            .iter()
            .map(|(key, value)| match self.kind {
                DictViewKind::Keys => Value::from_str(key.clone()),
                DictViewKind::Values => value.clone(),
                DictViewKind::Items => Value::Object(Arc::new(Tuple(vec![
                    Value::from_str(key.clone()),
                    value.clone(),
                ]))),
            })
            .collect()
    }
}

impl Object for DictView {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        // Views are not subscriptable; their only public attributes are these two.
        lookup::reject_builtin_attribute("dict_items", segment, &["isdisjoint", "mapping"])
            .map(|()| None)
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(Some(self.elements()))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(Some(self.map.len()))
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(!self.map.is_empty())
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        let name = match self.kind {
            DictViewKind::Items => "dict_items",
            DictViewKind::Keys => "dict_keys",
            DictViewKind::Values => "dict_values",
        };
        let list = format::to_repr(&Value::from(self.elements()))?;
        Ok((format!("{name}({list})"), false))
    }

    fn to_repr(&self) -> Result<String, Error> {
        Ok(self.to_text()?.0)
    }
}

/// A Python tuple (hosts convert theirs to it; `dict.items()` yields them).
#[derive(Debug)]
pub struct Tuple(pub Vec<Value>);

impl Object for Tuple {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        lookup::reject_builtin_attribute("tuple", segment, &["count", "index"])?;
        Ok(lookup::python_index(segment).and_then(|i| self.0.get(i).cloned()))
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(Some(self.0.clone()))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(Some(self.0.len()))
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(!self.0.is_empty())
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        let mut parts = Vec::with_capacity(self.0.len());
        for item in &self.0 {
            parts.push(format::to_repr(item)?);
        }
        let text = match parts.as_slice() {
            [only] => format!("({only},)"),
            _ => format!("({})", parts.join(", ")),
        };
        Ok((text, false))
    }

    fn to_repr(&self) -> Result<String, Error> {
        Ok(self.to_text()?.0)
    }

    fn equals(&self, other: &Value) -> Result<bool, Error> {
        let Value::Object(object) = other else {
            // A tuple never equals a list or a scalar.
            return Ok(false);
        };
        let Some(other) = object.as_any().downcast_ref::<Tuple>() else {
            return Err(Error::unsupported("comparing a tuple with a host object"));
        };
        if self.0.len() != other.0.len() {
            return Ok(false);
        }
        for (a, b) in self.0.iter().zip(&other.0) {
            if !super::compare(super::CompareOp::Eq, a, b)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The `forloop` variable of one iteration: Django's loop dict, read-only.
#[derive(Debug)]
pub(crate) struct LoopObject {
    pub(crate) parentloop: Value,
    pub(crate) counter0: usize,
    pub(crate) length: usize,
    /// Which run of which `{% for %}` this is (`{% ifchanged %}` keeps its state per run).
    pub(crate) run: usize,
}

/// The keys of Django's loop dict, in the order Django inserts them.
const LOOP_KEYS: [&str; 7] = [
    "parentloop",
    "counter0",
    "counter",
    "revcounter",
    "revcounter0",
    "first",
    "last",
];

impl LoopObject {
    fn get(&self, key: &str) -> Option<Value> {
        let int = |n: usize| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        let i = self.counter0;
        Some(match key {
            "parentloop" => self.parentloop.clone(),
            "counter0" => int(i),
            "counter" => int(i + 1),
            "revcounter" => int(self.length - i),
            "revcounter0" => int(self.length - i - 1),
            "first" => Value::Bool(i == 0),
            "last" => Value::Bool(i + 1 == self.length),
            _ => return None,
        })
    }
}

impl Object for LoopObject {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        match self.get(segment) {
            Some(value) => Ok(Some(value)),
            None => {
                lookup::reject_builtin_attribute("dict", segment, lookup::DICT_ATTRIBUTES)?;
                lookup::reject_builtin_attribute("dict", segment, &["items", "keys", "values"])?;
                Ok(None)
            }
        }
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(Some(LOOP_KEYS.iter().map(|k| Value::from(*k)).collect()))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(Some(LOOP_KEYS.len()))
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(true)
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Ok((self.to_repr()?, false))
    }

    fn to_repr(&self) -> Result<String, Error> {
        let mut map = Map::with_capacity_and_hasher(LOOP_KEYS.len(), Default::default());
        for key in LOOP_KEYS {
            if let Some(value) = self.get(key) {
                map.insert(Arc::from(key), value);
            }
        }
        format::to_repr(&Value::from(map))
    }
}

/// One group of `{% regroup %}`: Django's `GroupedResult(grouper, list)` namedtuple.
#[derive(Debug)]
pub(crate) struct GroupedResult {
    pub(crate) grouper: Value,
    pub(crate) list: Value,
}

impl Object for GroupedResult {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        Ok(match segment {
            "grouper" | "0" => Some(self.grouper.clone()),
            "list" | "1" => Some(self.list.clone()),
            _ => {
                lookup::reject_builtin_attribute("GroupedResult", segment, &["count", "index"])?;
                None
            }
        })
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(Some(vec![self.grouper.clone(), self.list.clone()]))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(Some(2))
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(true)
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Ok((self.to_repr()?, false))
    }

    fn to_repr(&self) -> Result<String, Error> {
        Ok(format!(
            "GroupedResult(grouper={}, list={})",
            format::to_repr(&self.grouper)?,
            format::to_repr(&self.list)?
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &Value) -> String {
        format::to_text(value)
            .map(|(t, _)| t.into_owned())
            .unwrap_or_default()
    }

    #[test]
    fn dict_views_print_and_iterate_like_python() {
        let map: Arc<Map> = Arc::new(
            [("a", Value::Int(1)), ("b", Value::from("x"))]
                .into_iter()
                .map(|(k, v)| (Arc::from(k), v))
                .collect(),
        );
        let items = DictView::named("items", &map).unwrap_or_default();
        assert_eq!(text(&items), "dict_items([('a', 1), ('b', 'x')])");
        let keys = DictView::named("keys", &map).unwrap_or_default();
        assert_eq!(text(&keys), "dict_keys(['a', 'b'])");
        let values = DictView::named("values", &map).unwrap_or_default();
        assert_eq!(text(&values), "dict_values([1, 'x'])");
        assert!(DictView::named("get", &map).is_none());
        let Value::Object(items) = items else {
            panic!("a view is an object")
        };
        let pairs = items.iterate().ok().flatten().unwrap_or_default();
        assert_eq!(pairs.len(), 2);
        assert_eq!(text(&pairs[0]), "('a', 1)");
        let Value::Object(pair) = &pairs[1] else {
            panic!("an item is a tuple")
        };
        assert_eq!(
            pair.lookup("1").ok().flatten().map(|v| text(&v)),
            Some("x".into())
        );
        assert!(pair.lookup("2").ok().flatten().is_none());
        assert!(pair.lookup("count").is_err());
    }

    mod only_object_in_scope {
        use super::super::{LoopObject, Tuple};
        use crate::value::Value;

        #[test]
        fn objects_downcast_to_their_own_type() {
            let value = Value::from_object(Tuple(vec![Value::Int(1)]));
            let Value::Object(object) = &value else {
                panic!("an object")
            };
            assert!(object.as_any().downcast_ref::<Tuple>().is_some());
            assert!(object.as_any().downcast_ref::<LoopObject>().is_none());
        }
    }

    #[test]
    fn tuples_of_one_have_a_trailing_comma() {
        assert_eq!(
            text(&Value::from_object(Tuple(vec![Value::Int(1)]))),
            "(1,)"
        );
        assert_eq!(text(&Value::from_object(Tuple(Vec::new()))), "()");
    }

    #[test]
    fn loop_object_matches_djangos_loop_dict() {
        let outer = LoopObject {
            parentloop: Value::from(Map::default()),
            counter0: 0,
            length: 2,
            run: 1,
        };
        assert_eq!(
            outer.to_repr().unwrap_or_default(),
            "{'parentloop': {}, 'counter0': 0, 'counter': 1, 'revcounter': 2, \
             'revcounter0': 1, 'first': True, 'last': False}"
        );
        let inner = LoopObject {
            parentloop: Value::from_object(outer),
            counter0: 2,
            length: 3,
            run: 2,
        };
        let counter = inner.lookup("counter").ok().flatten();
        assert_eq!(counter.map(|v| text(&v)), Some("3".into()));
        let last = inner.lookup("last").ok().flatten();
        assert_eq!(last.map(|v| text(&v)), Some("True".into()));
        assert!(inner.lookup("nothing").ok().flatten().is_none());
        assert!(inner.lookup("items").is_err());
    }
}
