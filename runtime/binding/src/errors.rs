//! The exceptions `_core` raises, and how Rust errors become them.

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::{create_exception, PyErr};

use djust_template::{ErrorKind, PythonException};

create_exception!(
    _core,
    TemplateError,
    PyException,
    "A template that failed: kind 'syntax', 'render', 'variable_does_not_exist', or 'unsupported' (valid Django the engine does not run; hand the template to Django)."
);
create_exception!(
    _core,
    ProtocolError,
    PyValueError,
    "A browser frame that is not a valid djust message; `code` names the problem."
);
create_exception!(
    _core,
    VdomError,
    PyValueError,
    "HTML that cannot serve as a LiveView page."
);

/// A Python exception carried through the template engine as a host error.
#[derive(Debug)]
pub struct PyHostError(pub PyErr);

impl std::fmt::Display for PyHostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for PyHostError {}

/// The Python exception for a template error: the original one if Python code raised it.
pub fn template_error(py: Python<'_>, err: djust_template::Error) -> PyErr {
    let err = match err.into_host::<PyHostError>() {
        Ok(host) => return host.0,
        Err(err) => err,
    };
    let kind = match err.kind() {
        ErrorKind::Syntax => "syntax",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::VariableDoesNotExist => "variable_does_not_exist",
        _ => "render",
    };
    let exc = TemplateError::new_err(err.to_string());
    let value = exc.value(py);
    let set = || -> PyResult<()> {
        value.setattr("kind", kind)?;
        value.setattr("template_name", err.name())?;
        value.setattr("line", err.line())?;
        value.setattr("column", err.column())?;
        value.setattr("source_line", err.source_line().unwrap_or_default())?;
        value.setattr("template_source", err.template_source())?;
        let (start, end) = err.char_range().unzip();
        value.setattr("start", start)?;
        value.setattr("end", end)?;
        let python = err.python_exception().map(|python| match python {
            PythonException::ValueError => "ValueError",
            PythonException::TypeError => "TypeError",
            _ => "Exception",
        });
        value.setattr("python_exception", python)?;
        Ok(())
    };
    match set() {
        Ok(()) => exc,
        Err(other) => other,
    }
}

/// The Python exception for a frame the protocol refused.
pub fn protocol_error(py: Python<'_>, err: &djust_protocol::ProtocolError) -> PyErr {
    let exc = ProtocolError::new_err(err.to_string());
    let value = exc.value(py);
    // The ref lets the error frame answer the message, so the browser settles it.
    match value
        .setattr("code", err.code())
        .and_then(|()| value.setattr("ref", err.ref_()))
    {
        Ok(()) => exc,
        Err(other) => other,
    }
}
