//! `_core.Template`: a compiled template, rendered with the GIL released.

use std::sync::Arc;

use djust_template::{Context, Error, Host, Libraries, Value};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString, PyTuple};

use crate::errors::{template_error, PyHostError};
use crate::values::{to_python, to_value};

/// A template compiled by the Rust engine.
#[pyclass(module = "djust._core", frozen)]
pub struct Template {
    inner: Arc<djust_template::Template>,
}

#[pymethods]
impl Template {
    /// Compile `source`; `libraries` maps each `{% load %}`-able library to its simple tags.
    #[new]
    #[pyo3(signature = (source, name = "<string>", libraries = None))]
    fn new(
        py: Python<'_>,
        source: &str,
        name: &str,
        libraries: Option<&Bound<'_, PyMapping>>,
    ) -> PyResult<Self> {
        let mut libs = Libraries::new();
        if let Some(libraries) = libraries {
            for item in libraries.items()?.iter() {
                let (library, tags): (String, Vec<String>) = item.extract()?;
                for tag in tags {
                    libs.add_simple_tag(&library, &tag);
                }
            }
        }
        let source = source.to_owned();
        let name = name.to_owned();
        let parsed = py.detach(|| djust_template::Template::parse(&name, &source, &libs));
        match parsed {
            Ok(inner) => Ok(Template {
                inner: Arc::new(inner),
            }),
            Err(err) => Err(template_error(py, err)),
        }
    }

    /// The template's name, as used in error messages.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// Render with `context`; `call_tag(library, name, args, kwargs)` runs simple tags.
    #[pyo3(signature = (context, call_tag = None))]
    fn render(
        &self,
        py: Python<'_>,
        context: &Bound<'_, PyAny>,
        call_tag: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let ctx = build_context(context)?;
        let host = PyTagHost { call_tag };
        let inner = Arc::clone(&self.inner);
        let rendered = py.detach(|| inner.render(&ctx, &host));
        rendered.map_err(|err| template_error(py, err))
    }
}

fn build_context(context: &Bound<'_, PyAny>) -> PyResult<Context> {
    let mut ctx = Context::new();
    if let Ok(dict) = context.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            let key = key.cast_into::<PyString>()?;
            ctx.set(key.to_str()?, to_value(&value)?);
        }
        return Ok(ctx);
    }
    let mapping = context.cast::<PyMapping>()?;
    for item in mapping.items()?.iter() {
        let (key, value): (String, Bound<'_, PyAny>) = item.extract()?;
        ctx.set(key, to_value(&value)?);
    }
    Ok(ctx)
}

/// Simple tags answered by a Python callable.
struct PyTagHost {
    call_tag: Option<Py<PyAny>>,
}

impl Host for PyTagHost {
    fn call_simple_tag(
        &self,
        library: &str,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> Result<Value, Error> {
        Python::attach(|py| {
            let Some(call_tag) = &self.call_tag else {
                return Err(Error::host(PyHostError(
                    pyo3::exceptions::PyRuntimeError::new_err(format!(
                        "the simple tag '{name}' of library '{library}' has no implementation here"
                    )),
                )));
            };
            let result = (|| -> PyResult<Value> {
                let args = args
                    .iter()
                    .map(|v| to_python(py, v))
                    .collect::<PyResult<Vec<_>>>()?;
                let kw = PyDict::new(py);
                for (key, value) in &kwargs {
                    kw.set_item(key, to_python(py, value)?)?;
                }
                let out = call_tag
                    .bind(py)
                    .call1((library, name, PyTuple::new(py, args)?, kw))?;
                to_value(&out)
            })();
            result.map_err(|err| Error::host(PyHostError(err)))
        })
    }
}
