//! Python values as template values: plain data converted up front, everything else lazily.
//!
//! `str`, numbers, `None`, and lists/tuples/dicts of them become native values. Any other
//! object (a model instance, a queryset, a `SafeString`'s cousins) stays a Python object behind
//! [`PyValue`] and is looked into only where the template asks, with Django's rules.

use std::sync::Arc;

use djust_template::{Error, Object, Value};
use indexmap::IndexMap;
use pyo3::exceptions::{PyAttributeError, PyIndexError, PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::PyHostError;

/// Containers nested deeper than this stay lazy: converting them up front could recurse
/// forever on a list that contains itself.
const MAX_EAGER_DEPTH: usize = 32;

/// A Python value as a template value.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    convert(obj, 0)
}

fn convert(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::None);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::from(s.to_str()?));
    }
    if let Ok(i) = obj.cast_exact::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::Int(n));
        }
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if obj.is_instance_of::<PyString>() && obj.hasattr("__html__")? {
        // SafeString and other str subclasses that declare themselves HTML.
        let html = obj.call_method0("__html__")?;
        return Ok(Value::safe_str(html.str()?.to_str()?));
    }
    if depth < MAX_EAGER_DEPTH {
        if let Ok(list) = obj.cast_exact::<PyList>() {
            let items = list
                .iter()
                .map(|item| convert(&item, depth + 1))
                .collect::<PyResult<Vec<_>>>()?;
            return Ok(Value::List(Arc::new(items)));
        }
        if let Ok(tuple) = obj.cast_exact::<PyTuple>() {
            let items = tuple
                .iter()
                .map(|item| convert(&item, depth + 1))
                .collect::<PyResult<Vec<_>>>()?;
            return Ok(Value::List(Arc::new(items)));
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            if let Some(map) = convert_str_dict(dict, depth)? {
                return Ok(Value::Map(Arc::new(map)));
            }
        }
    }
    Ok(Value::Object(Arc::new(PyValue(obj.clone().unbind()))))
}

/// A dict with only `str` keys as a map; `None` if any key is not a `str` (then Django's lookup
/// rules, which can reach int keys, need the dict itself).
fn convert_str_dict(
    dict: &Bound<'_, PyDict>,
    depth: usize,
) -> PyResult<Option<IndexMap<Arc<str>, Value>>> {
    let mut map = IndexMap::with_capacity(dict.len());
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast_exact::<PyString>() else {
            return Ok(None);
        };
        map.insert(Arc::from(key.to_str()?), convert(&value, depth + 1)?);
    }
    Ok(Some(map))
}

/// A template value as a Python value (for simple tag arguments).
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(n) => n.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.into_pyobject(py)?.into_any(),
        Value::Str(text, safe) => {
            let s = PyString::new(py, text).into_any();
            if *safe {
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
    fn lookup_in<'py>(
        py: Python<'py>,
        current: &Bound<'py, PyAny>,
        segment: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        match current.get_item(segment) {
            Ok(found) => return Ok(Some(found)),
            Err(err) if is_lookup_miss(py, &err) => {}
            Err(err) => return Err(err),
        }
        match current.getattr(segment) {
            Ok(found) => return Ok(Some(found)),
            Err(err) if err.is_instance_of::<PyAttributeError>(py) => {
                // Django re-raises when the attribute exists but its getter failed.
                if current.dir()?.contains(segment)? {
                    return Err(err);
                }
            }
            Err(err) if err.is_instance_of::<PyTypeError>(py) => {}
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
        Python::attach(|py| {
            let current = self.0.bind(py);
            let result = Self::lookup_in(py, current, segment)
                .and_then(|found| match found {
                    Some(found) => Self::call_if_callable(py, found),
                    None => Ok(None),
                })
                .and_then(|found| found.map(|f| to_value(&f)).transpose());
            match result {
                Ok(value) => Ok(value),
                Err(err) if is_silent(py, &err) => Ok(None),
                Err(err) => Err(host(err)),
            }
        })
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

    fn to_output(&self) -> Result<(String, bool), Error> {
        // Django localizes what `{{ }}` prints (dates, decimals) before making it text.
        Python::attach(|py| {
            let obj = self.0.bind(py);
            let safe = obj.hasattr("__html__").map_err(host)?;
            let text = if safe {
                obj.call_method0("__html__").and_then(|h| h.str())
            } else {
                py.import("django.utils.formats")
                    .and_then(|m| m.getattr("localize"))
                    .and_then(|localize| localize.call1((obj,)))
                    .and_then(|v| v.str())
            };
            let text = text.map_err(host)?;
            Ok((text.to_str().map_err(host)?.to_owned(), safe))
        })
    }

    fn to_repr(&self) -> Result<String, Error> {
        Python::attach(|py| {
            let repr = self.0.bind(py).repr().map_err(host)?;
            Ok(repr.to_str().map_err(host)?.to_owned())
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
            let obj = self.0.bind(py);
            let safe = obj.hasattr("__html__").map_err(host)?;
            let text = if safe {
                obj.call_method0("__html__").and_then(|h| h.str())
            } else {
                obj.str()
            };
            let text = text.map_err(host)?;
            Ok((text.to_str().map_err(host)?.to_owned(), safe))
        })
    }
}
