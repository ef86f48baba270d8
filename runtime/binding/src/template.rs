//! `_core.Template`, `_core.Libraries`, `_core.Host`, `_core.RenderOptions`: the template engine
//! from Python. Templates render with the GIL released; the engine calls back into Python only
//! for what Django alone can do (the callbacks object of `Host`).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use djust_template::{
    Context, DateLocale, DateTime, Error, ErrorKind, FilterCall, FilterSpec, NumberFormat,
    RenderOptions as CoreOptions, SimpleTagSpec, StaticUrl, TagCall, Translation, Value,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::dates::{self, CurrentZone, DatetimeFacts, Reading};
use crate::errors::{template_error, PyHostError, TemplateError};
use crate::values::{to_python, to_value, PyContext};

/// A template compiled by the Rust engine.
#[pyclass(module = "djust._core", frozen)]
pub struct Template {
    inner: djust_template::Template,
}

#[pymethods]
impl Template {
    /// Compile `source`; `origin` is where a loader found it; `libraries` are the tags and
    /// filters `{% load %}` can bring in (Django's defaults when omitted).
    #[new]
    #[pyo3(signature = (source, name = "<string>", origin = None, libraries = None))]
    fn new(
        py: Python<'_>,
        source: &str,
        name: &str,
        origin: Option<&str>,
        libraries: Option<&Libraries>,
    ) -> PyResult<Self> {
        let default;
        let libs = match libraries {
            Some(libraries) => &libraries.inner,
            None => {
                default = djust_template::Libraries::new();
                &default
            }
        };
        let parsed = py.detach(|| djust_template::Template::parse_from(name, origin, source, libs));
        match parsed {
            Ok(inner) => Ok(Template { inner }),
            Err(err) => Err(template_error(py, err)),
        }
    }

    /// The template's name, as used in error messages.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// Where a loader found the template, if it was loaded.
    #[getter]
    fn origin(&self) -> Option<&str> {
        self.inner.origin()
    }

    /// Render with `context` (a mapping, read lazily); `host` answers what only Django can do.
    ///
    /// The GIL stays held: the context's rows and objects are Python objects read during the
    /// render, and re-taking the GIL for each read cost a third of a table's render time.
    #[pyo3(signature = (context, host = None, options = None, request = None))]
    fn render(
        &self,
        py: Python<'_>,
        context: &Bound<'_, PyAny>,
        host: Option<&Host>,
        options: Option<&RenderOptions>,
        request: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let ctx = Context::from_source(Arc::new(PyContext::new(context)?));
        let default_options;
        let options = match options {
            Some(options) => &options.inner,
            None => {
                default_options = CoreOptions::default();
                &default_options
            }
        };
        let render_host = RenderHost {
            host,
            context: context.clone().unbind(),
            request,
            date_locale: OnceCell::new(),
            zone: OnceCell::new(),
            local_now: OnceCell::new(),
        };
        let template = &self.inner;
        let rendered = template.render_with(&ctx, &render_host, options);
        rendered.map_err(|err| template_error(py, err))
    }
}

/// The tags and filters of an engine, as the Python glue describes them.
#[pyclass(module = "djust._core")]
pub struct Libraries {
    inner: djust_template::Libraries,
}

#[pymethods]
impl Libraries {
    /// Django's defaults (`default=True`), or nothing at all to build up from.
    #[new]
    #[pyo3(signature = (default = true))]
    fn new(default: bool) -> Self {
        let inner = if default {
            djust_template::Libraries::new()
        } else {
            djust_template::Libraries::empty()
        };
        Libraries { inner }
    }

    /// Registers library `name` for `{% load %}`.
    fn add_library(&mut self, name: &str) {
        self.inner.add_library(name);
    }

    /// `tag` of `library` (`None`: a builtin) is Django's tag `django_name`, run natively.
    fn add_django_tag(
        &mut self,
        library: Option<&str>,
        tag: &str,
        django_name: &str,
    ) -> PyResult<()> {
        self.inner
            .add_django_tag(library, tag, django_name)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }

    /// A tag the engine cannot run: templates using it go to Django.
    fn add_foreign_tag(&mut self, library: Option<&str>, tag: &str) {
        self.inner.add_foreign_tag(library, tag);
    }

    /// A simple tag the host runs, with its Python signature (checked as `parse_bits` does).
    #[pyo3(signature = (library, tag, params, defaults, varargs, varkw, kwonly, kwonly_defaults, takes_context))]
    #[allow(clippy::too_many_arguments)]
    fn add_simple_tag(
        &mut self,
        library: Option<&str>,
        tag: &str,
        params: Vec<String>,
        defaults: usize,
        varargs: bool,
        varkw: bool,
        kwonly: Vec<String>,
        kwonly_defaults: Vec<String>,
        takes_context: bool,
    ) {
        let spec = SimpleTagSpec {
            params,
            defaults,
            varargs,
            varkw,
            kwonly,
            kwonly_defaults,
            takes_context,
        };
        self.inner.add_simple_tag_with(library, tag, spec);
    }

    /// `filter` of `library` is Django's filter `django_name`, run natively (values it cannot
    /// handle go to the host's filter of that name).
    fn add_django_filter(
        &mut self,
        library: Option<&str>,
        filter: &str,
        django_name: &str,
    ) -> PyResult<()> {
        self.inner
            .add_django_filter(library, filter, django_name, true)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }

    /// A filter the host runs; `required`/`accepted` as Django's `args_check` counts them.
    fn add_host_filter(&mut self, library: Option<&str>, filter: &str, required: u8, accepted: u8) {
        let spec = FilterSpec::host(library.unwrap_or(""), required, accepted);
        self.inner.add_filter(library, filter, spec);
    }
}

/// The engine's options and the settings' number format, for every render of an engine.
#[pyclass(module = "djust._core", frozen)]
pub struct RenderOptions {
    inner: CoreOptions,
}

/// `(decimal_separator, thousand_separator, grouping)`, grouping as Python's `locale` lists it.
type FormatTuple = (String, String, Vec<usize>);

fn number_format((decimal, thousand, grouping): FormatTuple) -> NumberFormat {
    NumberFormat {
        decimal_separator: decimal,
        thousand_separator: thousand,
        grouping,
    }
}

#[pymethods]
impl RenderOptions {
    /// `unlocalized` is the settings' number format (`{% localize off %}`) as a
    /// `(decimal_separator, thousand_separator, grouping)` tuple, grouping as `[3, 0]`.
    #[new]
    #[pyo3(signature = (autoescape = true, string_if_invalid = "", use_thousand_separator = false, unlocalized = None))]
    fn new(
        autoescape: bool,
        string_if_invalid: &str,
        use_thousand_separator: bool,
        unlocalized: Option<FormatTuple>,
    ) -> Self {
        RenderOptions {
            inner: CoreOptions {
                autoescape,
                string_if_invalid: Arc::from(string_if_invalid),
                use_thousand_separator,
                unlocalized: unlocalized.map(number_format).unwrap_or_default(),
                ..CoreOptions::default()
            },
        }
    }
}

/// Templates a host loaded, by the names asked for and the origins skipped.
type TemplateCache = Mutex<HashMap<(Vec<String>, Vec<Arc<str>>), djust_template::Template>>;

/// The Python side of an engine: `callbacks` answers what only Django can do. With
/// `cache_templates`, templates it loads are kept here (Django's cached loader, no DEBUG).
#[pyclass(module = "djust._core", frozen)]
pub struct Host {
    callbacks: Py<PyAny>,
    cache: Option<TemplateCache>,
    /// Changes when the cache is cleared: nodes keep what they found only as long as this
    /// stays the same (numbers come from one counter, so no two hosts share one).
    generation: AtomicU64,
}

/// The source of `Host` generations.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

#[pymethods]
impl Host {
    #[new]
    #[pyo3(signature = (callbacks, cache_templates = false))]
    fn new(callbacks: Py<PyAny>, cache_templates: bool) -> Self {
        Host {
            callbacks,
            cache: cache_templates.then(|| Mutex::new(HashMap::new())),
            generation: AtomicU64::new(next_generation()),
        }
    }

    /// Forgets the templates loaded so far.
    fn clear_cache(&self) {
        self.generation.store(next_generation(), Ordering::Relaxed);
        if let Some(cache) = &self.cache {
            if let Ok(mut cache) = cache.lock() {
                cache.clear();
            }
        }
    }
}

/// The host of one render: the engine's callbacks plus this render's context and request,
/// and what it asked once (the active language's dates, the current time zone).
struct RenderHost<'h> {
    host: Option<&'h Host>,
    context: Py<PyAny>,
    request: Option<Py<PyAny>>,
    date_locale: OnceCell<Arc<DateLocale>>,
    zone: OnceCell<CurrentZone>,
    /// `datetime.now()`, read once per render: Django reads it per value, microseconds
    /// apart, and `timesince` counts whole minutes.
    local_now: OnceCell<DateTime>,
}

/// A Python exception as an engine error: `TemplateError(kind="unsupported")` (a template the
/// host could only hand to Django) stays `Unsupported`; anything else propagates unchanged.
fn host_error(py: Python<'_>, err: PyErr) -> Error {
    if err.is_instance_of::<TemplateError>(py) {
        let value = err.value(py);
        let kind = value.getattr("kind").and_then(|k| k.extract::<String>());
        if kind.is_ok_and(|k| k == "unsupported") {
            let message = value.str().map(|s| s.to_string()).unwrap_or_default();
            return Error::new(ErrorKind::Unsupported, message);
        }
    }
    Error::host(PyHostError(err))
}

impl RenderHost<'_> {
    /// Calls `callbacks.<method>(*args)` with the GIL held.
    fn call<T>(
        &self,
        method: &str,
        args: impl FnOnce(Python<'_>) -> PyResult<Bound<'_, PyTuple>>,
        convert: impl FnOnce(&Bound<'_, PyAny>) -> PyResult<T>,
    ) -> Result<T, Error> {
        let Some(host) = self.host else {
            return Err(Error::host(PyHostError(
                pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "the template needs Django ({method}) but was rendered without a host; \
                     render it through djust.template instead"
                )),
            )));
        };
        Python::attach(|py| {
            let result = args(py).and_then(|args| {
                let out = host.callbacks.bind(py).call_method1(method, args)?;
                convert(&out)
            });
            result.map_err(|err| host_error(py, err))
        })
    }

    /// The current time zone, asked once per render.
    fn current_zone(&self) -> Result<CurrentZone, Error> {
        if let Some(zone) = self.zone.get() {
            return Ok(zone.clone());
        }
        let zone = self.call(
            "time_zone",
            |py| Ok(PyTuple::empty(py)),
            |out| {
                let (use_tz, fixed, tz): (bool, Option<(i32, String)>, Option<Py<PyAny>>) =
                    out.extract()?;
                Ok(CurrentZone {
                    use_tz,
                    fixed: fixed.map(|(offset, name)| djust_template::Zone {
                        offset,
                        name: Arc::from(name),
                        dst: false,
                        ambiguous: false,
                        fixed: true,
                        known: true,
                    }),
                    tz: tz.map(Arc::new),
                })
            },
        )?;
        Ok(self.zone.get_or_init(|| zone).clone())
    }

    fn request(&self, py: Python<'_>) -> Py<PyAny> {
        self.request
            .as_ref()
            .map_or_else(|| py.None(), |r| r.clone_ref(py))
    }
}

fn py_list<'py>(py: Python<'py>, values: &[Value]) -> PyResult<Bound<'py, PyList>> {
    let items = values
        .iter()
        .map(|v| to_python(py, v))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn py_kwargs<'py>(py: Python<'py>, kwargs: &[(String, Value)]) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in kwargs {
        dict.set_item(key, to_python(py, value)?)?;
    }
    Ok(dict)
}

impl djust_template::Host for RenderHost<'_> {
    fn call_simple_tag(&self, call: TagCall<'_>) -> Result<Value, Error> {
        self.call(
            "call_simple_tag",
            |py| {
                let locals = match &call.locals {
                    Some(locals) => {
                        let dict = PyDict::new(py);
                        for (key, value) in locals {
                            dict.set_item(&**key, to_python(py, value)?)?;
                        }
                        dict.into_any()
                    }
                    None => py.None().into_bound(py),
                };
                PyTuple::new(
                    py,
                    [
                        PyString::new(py, call.library).into_any(),
                        PyString::new(py, call.name).into_any(),
                        py_list(py, &call.args)?.into_any(),
                        py_kwargs(py, &call.kwargs)?.into_any(),
                        locals,
                        self.context.bind(py).clone(),
                        self.request(py).into_bound(py),
                        call.autoescape.into_pyobject(py)?.to_owned().into_any(),
                    ],
                )
            },
            to_value,
        )
    }

    fn call_filter(&self, call: FilterCall<'_>) -> Result<Value, Error> {
        self.call(
            "call_filter",
            |py| {
                let args = match &call.arg {
                    Some(arg) => PyTuple::new(py, [to_python(py, arg)?])?,
                    None => PyTuple::empty(py),
                };
                PyTuple::new(
                    py,
                    [
                        PyString::new(py, call.library).into_any(),
                        PyString::new(py, call.name).into_any(),
                        to_python(py, &call.value)?,
                        args.into_any(),
                        call.autoescape.into_pyobject(py)?.to_owned().into_any(),
                    ],
                )
            },
            to_value,
        )
    }

    fn loader_generation(&self) -> Option<u64> {
        let host = self.host?;
        host.cache
            .as_ref()
            .map(|_| host.generation.load(Ordering::Relaxed))
    }

    fn get_template(
        &self,
        names: &[String],
        skip: &[Arc<str>],
    ) -> Result<djust_template::Template, Error> {
        let key = (names.to_vec(), skip.to_vec());
        if let Some(cache) = self.host.and_then(|h| h.cache.as_ref()) {
            if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
                return Ok(found);
            }
        }
        let found = self.call(
            "get_template",
            |py| {
                let skip: Vec<&str> = skip.iter().map(|s| &**s).collect();
                PyTuple::new(
                    py,
                    [
                        PyList::new(py, names)?.into_any(),
                        PyList::new(py, skip)?.into_any(),
                    ],
                )
            },
            |out| Ok(out.cast::<Template>()?.get().inner.clone()),
        )?;
        if let Some(cache) = self.host.and_then(|h| h.cache.as_ref()) {
            if let Ok(mut cache) = cache.lock() {
                cache.insert(key, found.clone());
            }
        }
        Ok(found)
    }

    fn translate(&self, message: Translation<'_>) -> Result<String, Error> {
        if self.host.is_none() {
            return Ok(match message.plural {
                Some((plural, Value::Int(n))) if *n != 1 => plural.to_owned(),
                Some((plural, Value::Float(f))) if *f != 1.0 => plural.to_owned(),
                _ => message.singular.to_owned(),
            });
        }
        self.call(
            "translate",
            |py| {
                let (plural, count) = match message.plural {
                    Some((plural, count)) => {
                        (PyString::new(py, plural).into_any(), to_python(py, count)?)
                    }
                    None => (py.None().into_bound(py), py.None().into_bound(py)),
                };
                let context = match message.context {
                    Some(context) => PyString::new(py, context).into_any(),
                    None => py.None().into_bound(py),
                };
                PyTuple::new(
                    py,
                    [
                        context,
                        PyString::new(py, message.singular).into_any(),
                        plural,
                        count,
                    ],
                )
            },
            |out| out.extract::<String>(),
        )
    }

    fn current_language(&self) -> Result<String, Error> {
        if self.host.is_none() {
            return Ok("en-us".into());
        }
        self.call(
            "current_language",
            |py| Ok(PyTuple::empty(py)),
            |out| out.extract(),
        )
    }

    fn number_format(&self) -> Result<NumberFormat, Error> {
        if self.host.is_none() {
            return Ok(NumberFormat::default());
        }
        self.call(
            "number_format",
            |py| Ok(PyTuple::empty(py)),
            |out| out.extract().map(number_format),
        )
    }

    fn reverse_url(
        &self,
        view_name: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        silent: bool,
    ) -> Result<String, Error> {
        self.call(
            "reverse_url",
            |py| {
                PyTuple::new(
                    py,
                    [
                        to_python(py, &view_name)?,
                        py_list(py, &args)?.into_any(),
                        py_kwargs(py, &kwargs)?.into_any(),
                        silent.into_pyobject(py)?.to_owned().into_any(),
                        self.request(py).into_bound(py),
                    ],
                )
            },
            |out| out.extract(),
        )
    }

    fn static_url(&self, kind: StaticUrl, path: Option<Value>) -> Result<String, Error> {
        let kind = match kind {
            StaticUrl::File => "file",
            StaticUrl::StaticPrefix => "static_prefix",
            StaticUrl::MediaPrefix => "media_prefix",
        };
        self.call(
            "static_url",
            |py| {
                let path = match &path {
                    Some(path) => to_python(py, path)?,
                    None => py.None().into_bound(py),
                };
                PyTuple::new(py, [PyString::new(py, kind).into_any(), path])
            },
            |out| out.extract(),
        )
    }

    fn datetime(&self, value: &Value, localtime: bool) -> Result<Option<DateTime>, Error> {
        if self.host.is_none() {
            return Ok(None);
        }
        let reading =
            Python::attach(|py| dates::read(py, value, localtime, || self.current_zone()))?;
        match reading {
            Reading::Read(datetime) => Ok(Some(datetime)),
            Reading::Foreign => Ok(None),
            Reading::AskHost { localtime } => {
                let facts: Option<DatetimeFacts> = self.call(
                    "datetime_facts",
                    |py| {
                        PyTuple::new(
                            py,
                            [
                                to_python(py, value)?,
                                localtime.into_pyobject(py)?.to_owned().into_any(),
                            ],
                        )
                    },
                    |out| out.extract(),
                )?;
                Ok(facts.map(dates::from_facts))
            }
        }
    }

    fn local_now(&self) -> Result<Option<DateTime>, Error> {
        if let Some(now) = self.local_now.get() {
            return Ok(Some(now.clone()));
        }
        let now = Python::attach(dates::local_now).map_err(|err| Error::host(PyHostError(err)))?;
        Ok(Some(self.local_now.get_or_init(|| now).clone()))
    }

    fn date_locale(&self) -> Result<Arc<DateLocale>, Error> {
        if let Some(locale) = self.date_locale.get() {
            return Ok(locale.clone());
        }
        if self.host.is_none() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "dates need the host's catalogs",
            ));
        }
        let locale = self.call(
            "date_locale",
            |py| Ok(PyTuple::empty(py)),
            |out| Ok(out.cast::<dates::DateLocale>()?.get().inner.clone()),
        )?;
        Ok(self.date_locale.get_or_init(|| locale).clone())
    }

    fn now(&self, format: &str) -> Result<String, Error> {
        self.call(
            "now",
            |py| PyTuple::new(py, [PyString::new(py, format)]),
            |out| out.extract(),
        )
    }
}
