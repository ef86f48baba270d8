//! Python values as template values: plain data converted when a template first uses it,
//! everything else lazily.
//!
//! The context is read one variable at a time ([`PyContext`]): a variable the template never
//! names is never converted. `str`, numbers, `None`, and lists/tuples/dicts of them become
//! native values. Any other object (a model instance, a queryset, a date) stays a Python
//! object behind [`PyValue`] and is looked into only where the template asks, with Django's
//! rules.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use djust_template::{ContextSource, Error, Key, Map, Object, Tuple, Value};
use pyo3::exceptions::{PyAttributeError, PyIndexError, PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::PyHostError;

/// Containers nested deeper than this stay lazy: converting them up front could recurse
/// forever on a list that contains itself.
const MAX_EAGER_DEPTH: usize = 32;

/// The render context: a Python mapping whose variables are converted when first used.
pub struct PyContext {
    mapping: Py<PyAny>,
    is_dict: bool,
}

impl PyContext {
    /// Reads variables from `mapping` (a dict, or any mapping).
    pub fn new(mapping: &Bound<'_, PyAny>) -> PyResult<PyContext> {
        let is_dict = mapping.is_exact_instance_of::<PyDict>();
        if !is_dict && !mapping.hasattr("__getitem__")? {
            return Err(PyTypeError::new_err(format!(
                "a template context must be a mapping, not {}. Instead of passing it, pass a \
                 dict of the variables the template uses.",
                mapping.get_type().name()?
            )));
        }
        Ok(PyContext {
            mapping: mapping.clone().unbind(),
            is_dict,
        })
    }
}

impl ContextSource for PyContext {
    fn get(&self, name: &str) -> Result<Option<Value>, Error> {
        Python::attach(|py| self.read(py, name_string(py, name)))
    }

    fn get_key(&self, key: &Key) -> Result<Option<Value>, Error> {
        Python::attach(|py| self.read(py, key_string(py, key)))
    }
}

impl PyContext {
    fn read(&self, py: Python<'_>, key: Bound<'_, PyString>) -> Result<Option<Value>, Error> {
        (|| {
            let mapping = self.mapping.bind(py);
            let found = if self.is_dict {
                mapping.cast::<PyDict>()?.get_item(key)?
            } else {
                match mapping.get_item(key) {
                    Ok(found) => Some(found),
                    Err(err) if err.is_instance_of::<PyKeyError>(py) => None,
                    Err(err) => return Err(err),
                }
            };
            found.map(|value| to_value(&value)).transpose()
        })()
        .map_err(host)
    }
}

/// A Python value as a template value.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    match plain_value(obj)? {
        Some(value) => Ok(value),
        None => Converter::default().convert(obj, 0),
    }
}

/// `str`, `int`, `float`, `bool` and `None` (exactly those types: subclasses may behave
/// otherwise), which need nothing but a type check; `None` for anything else.
fn plain_value(obj: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Some(Value::from(s.to_str()?)));
    }
    if let Ok(i) = obj.cast_exact::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Some(Value::Int(n)));
        }
        return Ok(None);
    }
    if obj.is_none() {
        return Ok(Some(Value::None));
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Some(Value::Bool(b.is_true())));
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        return Ok(Some(Value::Float(f.value())));
    }
    Ok(None)
}

/// How many distinct dict keys one conversion remembers (rows of a table share theirs).
const KEY_CACHE_SIZE: usize = 32;

/// One conversion: remembers the `Arc<str>` made for each dict key object, so a list of
/// dicts with the same keys allocates each key once.
#[derive(Default)]
struct Converter {
    keys: Vec<(*mut pyo3::ffi::PyObject, Arc<str>)>,
}

impl Converter {
    fn convert(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
        if let Some(value) = plain_value(obj)? {
            return Ok(value);
        }
        if obj.is_instance_of::<PyString>() && obj.hasattr("__html__")? {
            // SafeString and other str subclasses that declare themselves HTML.
            let html = obj.call_method0("__html__")?;
            return Ok(Value::safe_str(html.str()?.to_str()?));
        }
        if depth < MAX_EAGER_DEPTH {
            if let Ok(dict) = obj.cast_exact::<PyDict>() {
                if depth > 0 {
                    return Ok(Value::Object(Arc::new(PyValue(obj.clone().unbind()))));
                }
                if let Some(map) = self.convert_str_dict(dict, depth)? {
                    return Ok(Value::Map(Arc::new(map)));
                }
            } else if let Ok(list) = obj.cast_exact::<PyList>() {
                let mut items = Vec::with_capacity(list.len());
                for item in list.iter() {
                    items.push(self.convert(&item, depth + 1)?);
                }
                return Ok(Value::List(Arc::new(items)));
            } else if let Ok(tuple) = obj.cast_exact::<PyTuple>() {
                let mut items = Vec::with_capacity(tuple.len());
                for item in tuple.iter() {
                    items.push(self.convert(&item, depth + 1)?);
                }
                return Ok(Value::from_object(Tuple(items)));
            }
        }
        Ok(Value::Object(Arc::new(PyValue(obj.clone().unbind()))))
    }

    /// A dict with only `str` keys as a map; `None` if any key is not a `str` (then Django's
    /// lookup rules, which can reach int keys, need the dict itself).
    fn convert_str_dict(
        &mut self,
        dict: &Bound<'_, PyDict>,
        depth: usize,
    ) -> PyResult<Option<Map>> {
        let mut map = Map::with_capacity_and_hasher(dict.len(), Default::default());
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast_exact::<PyString>() else {
                return Ok(None);
            };
            let key = self.key(key)?;
            map.insert(key, self.convert(&value, depth + 1)?);
        }
        Ok(Some(map))
    }

    /// The `Arc<str>` for a dict key, shared with earlier dicts that have the same key object.
    fn key(&mut self, key: &Bound<'_, PyString>) -> PyResult<Arc<str>> {
        let pointer = key.as_ptr();
        if let Some((_, known)) = self.keys.iter().find(|(p, _)| *p == pointer) {
            return Ok(known.clone());
        }
        let text: Arc<str> = Arc::from(key.to_str()?);
        if self.keys.len() < KEY_CACHE_SIZE {
            // The dict being converted holds the key, so the pointer stays valid meanwhile.
            self.keys.push((pointer, text.clone()));
        }
        Ok(text)
    }
}

/// A template value as a Python value (for simple tag arguments).
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(n) => n.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.into_pyobject(py)?.into_any(),
        Value::Str(text, safety) => {
            let s = PyString::new(py, text).into_any();
            if safety.is_safe() {
                mark_safe(py, s)?
            } else {
                s
            }
        }
        Value::List(items) => {
            let converted = items
                .iter()
                .map(|item| to_python(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, converted)?.into_any()
        }
        Value::Map(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map.iter() {
                dict.set_item(key.as_ref(), to_python(py, item)?)?;
            }
            dict.into_any()
        }
        Value::Object(object) => match object.as_any().downcast_ref::<PyValue>() {
            Some(PyValue(obj)) => obj.bind(py).clone(),
            None if object.as_any().is::<Tuple>() => {
                let items = object.iterate().ok().flatten().unwrap_or_default();
                let converted = items
                    .iter()
                    .map(|item| to_python(py, item))
                    .collect::<PyResult<Vec<_>>>()?;
                PyTuple::new(py, converted)?.into_any()
            }
            None => {
                PyString::new(py, &object.to_text().map(|(t, _)| t).unwrap_or_default()).into_any()
            }
        },
    })
}

fn mark_safe<'py>(py: Python<'py>, s: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    py.import("django.utils.safestring")?
        .getattr("mark_safe")?
        .call1((s,))
}

/// How many names keep their Python string per thread (past that, the cache starts over).
const NAME_CACHE_SIZE: usize = 4096;

thread_local! {
    /// Python strings for the names templates look up (`row`, `name` in `row.name`), by text:
    /// a table's thousands of lookups reuse one interned string, hashed once, that dicts
    /// holding the same literal key find by identity.
    static NAMES: RefCell<HashMap<Box<str>, Py<PyString>, foldhash::fast::RandomState>> =
        RefCell::new(HashMap::default());
}

/// The interned Python string of a name the template wrote, kept in its key.
fn key_string<'py>(py: Python<'py>, key: &Key) -> Bound<'py, PyString> {
    match key.host_form(|| PyString::intern(py, key).unbind()) {
        Some(name) => name.bind(py).clone(),
        None => name_string(py, key),
    }
}

/// The interned Python string for a variable name or lookup segment.
fn name_string<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(found) = names.get(name) {
            return found.bind(py).clone();
        }
        if names.len() >= NAME_CACHE_SIZE {
            names.clear();
        }
        let key = PyString::intern(py, name);
        names.insert(name.into(), key.clone().unbind());
        key
    })
}

/// A Python object looked into lazily, following Django's variable resolution.
#[derive(Debug)]
pub struct PyValue(pub Py<PyAny>);

fn host(err: PyErr) -> Error {
    Error::host(PyHostError(err))
}

/// Whether a failed lookup step is one Django treats as "not found" rather than an error.
fn is_lookup_miss(py: Python<'_>, err: &PyErr) -> bool {
    err.is_instance_of::<PyTypeError>(py)
        || err.is_instance_of::<PyAttributeError>(py)
        || err.is_instance_of::<PyKeyError>(py)
        || err.is_instance_of::<PyValueError>(py)
        || err.is_instance_of::<PyIndexError>(py)
}

/// Whether Django would render an exception as an invalid variable (`silent_variable_failure`).
fn is_silent(py: Python<'_>, err: &PyErr) -> bool {
    err.value(py)
        .getattr("silent_variable_failure")
        .and_then(|v| v.is_truthy())
        .unwrap_or(false)
}

impl PyValue {
    /// `obj.segment` as Django's `Variable._resolve_lookup` finds it; `key` is `segment` as a
    /// Python string.
    fn find(
        &self,
        py: Python<'_>,
        segment: &str,
        key: &Bound<'_, PyString>,
    ) -> Result<Option<Value>, Error> {
        let current = self.0.bind(py);
        let result = Self::lookup_in(py, current, segment, key).and_then(|found| match found {
            // Plain values are never callable: no need to ask.
            Some(found) => match plain_value(&found)? {
                Some(value) => Ok(Some(value)),
                None => Self::call_if_callable(py, found)?
                    .map(|found| to_value(&found))
                    .transpose(),
            },
            None => Ok(None),
        });
        match result {
            Ok(value) => Ok(value),
            Err(err) if is_silent(py, &err) => Ok(None),
            Err(err) => Err(host(err)),
        }
    }

    fn lookup_in<'py>(
        py: Python<'py>,
        current: &Bound<'py, PyAny>,
        segment: &str,
        key: &Bound<'py, PyString>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        // A dict's own lookup first: the common case, without a Python exception on a miss.
        if let Ok(dict) = current.cast_exact::<PyDict>() {
            if let Some(found) = dict.get_item(key)? {
                return Ok(Some(found));
            }
        }
        match current.get_item(key) {
            Ok(found) => return Ok(Some(found)),
            Err(err) if is_lookup_miss(py, &err) => {}
            Err(err) => return Err(err),
        }
        match current.getattr(segment) {
            Ok(found) => return Ok(Some(found)),
            Err(err)
                if err.is_instance_of::<PyAttributeError>(py)
                    || err.is_instance_of::<PyTypeError>(py) =>
            {
                // Django re-raises when the attribute exists but its getter failed.
                if current.dir()?.contains(segment)? {
                    return Err(err);
                }
            }
            Err(err) => return Err(err),
        }
        let Ok(index) = segment.parse::<i64>() else {
            return Ok(None);
        };
        match current.get_item(index) {
            Ok(found) => Ok(Some(found)),
            Err(err) if is_lookup_miss(py, &err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Django calls what it finds, unless told not to.
    fn call_if_callable<'py>(
        py: Python<'py>,
        found: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        if !found.is_callable() {
            return Ok(Some(found));
        }
        if flag(&found, "do_not_call_in_templates") {
            return Ok(Some(found));
        }
        if flag(&found, "alters_data") {
            return Ok(None);
        }
        match found.call0() {
            Ok(result) => Ok(Some(result)),
            Err(err) if err.is_instance_of::<PyTypeError>(py) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

fn flag(obj: &Bound<'_, PyAny>, name: &str) -> bool {
    obj.getattr(name)
        .and_then(|v| v.is_truthy())
        .unwrap_or(false)
}

impl Object for PyValue {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        Python::attach(|py| self.find(py, segment, &name_string(py, segment)))
    }

    fn lookup_key(&self, key: &Key) -> Result<Option<Value>, Error> {
        Python::attach(|py| self.find(py, key, &key_string(py, key)))
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Python::attach(|py| {
            let obj = self.0.bind(py);
            let iter = match obj.try_iter() {
                Ok(iter) => iter,
                Err(err) if err.is_instance_of::<PyTypeError>(py) => return Ok(None),
                Err(err) => return Err(host(err)),
            };
            let mut items = Vec::new();
            for item in iter {
                items.push(to_value(&item.map_err(host)?).map_err(host)?);
            }
            Ok(Some(items))
        })
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Python::attach(|py| match self.0.bind(py).len() {
            Ok(n) => Ok(Some(n)),
            Err(err) if err.is_instance_of::<PyTypeError>(py) => Ok(None),
            Err(err) => Err(host(err)),
        })
    }

    fn is_true(&self) -> Result<bool, Error> {
        Python::attach(|py| self.0.bind(py).is_truthy().map_err(host))
    }

    fn to_output(&self, use_l10n: bool) -> Result<(String, bool), Error> {
        // Django's render_value_in_context: template_localtime, then localize, then str().
        static LOCALTIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        static LOCALIZE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        Python::attach(|py| {
            let obj = self.0.bind(py);
            let result = (|| -> PyResult<(String, bool)> {
                let localtime =
                    LOCALTIME.import(py, "django.utils.timezone", "template_localtime")?;
                let localize = LOCALIZE.import(py, "django.utils.formats", "localize")?;
                let value = localtime.call1((obj,))?;
                let kwargs = PyDict::new(py);
                kwargs.set_item("use_l10n", use_l10n)?;
                let text = localize.call((value,), Some(&kwargs))?.str()?;
                // str() may return a SafeString (forms' bound fields do): then it is safe.
                let safe = text.hasattr("__html__")?;
                Ok((text.to_str()?.to_owned(), safe))
            })();
            result.map_err(host)
        })
    }

    fn decimal_text(&self) -> Result<Option<String>, Error> {
        static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        Python::attach(|py| {
            let result = (|| -> PyResult<Option<String>> {
                let obj = self.0.bind(py);
                // Exactly Decimal: a subclass may print itself otherwise.
                if !obj.get_type().is(DECIMAL.import(py, "decimal", "Decimal")?) {
                    return Ok(None);
                }
                Ok(Some(obj.str()?.to_str()?.to_owned()))
            })();
            result.map_err(host)
        })
    }

    fn to_repr(&self) -> Result<String, Error> {
        Python::attach(|py| {
            let repr = self.0.bind(py).repr().map_err(host)?;
            Ok(repr.to_str().map_err(host)?.to_owned())
        })
    }

    fn compare(&self, op: &str, other: &Value, reflected: bool) -> Result<bool, Error> {
        use pyo3::basic::CompareOp;
        let op = match op {
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            _ => CompareOp::Ge,
        };
        Python::attach(|py| {
            let other = to_python(py, other).map_err(host)?;
            let obj = self.0.bind(py);
            let result = if reflected {
                other.rich_compare(obj, op)
            } else {
                obj.rich_compare(other, op)
            };
            result.and_then(|r| r.is_truthy()).map_err(host)
        })
    }

    fn equals(&self, other: &Value) -> Result<bool, Error> {
        Python::attach(|py| {
            let other = to_python(py, other).map_err(host)?;
            self.0.bind(py).eq(other).map_err(host)
        })
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Python::attach(|py| {
            let result = (|| -> PyResult<(String, bool)> {
                let text = self.0.bind(py).str()?;
                let safe = text.hasattr("__html__")?;
                Ok((text.to_str()?.to_owned(), safe))
            })();
            result.map_err(host)
        })
    }
}
