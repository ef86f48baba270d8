//! What the engine asks of its host (the Python binding): running tags and filters of Python
//! libraries, finding templates, translating, reversing URLs, and the clock.

use std::sync::Arc;

use crate::dates::{DateLocale, DateTime};
use crate::error::Error;
use crate::options::NumberFormat;
use crate::template::Template;
use crate::value::Value;

/// A simple tag call for the host to run.
#[derive(Debug)]
pub struct TagCall<'a> {
    /// The library the tag comes from (`""` for a builtin).
    pub library: &'a str,
    /// The tag's name.
    pub name: &'a str,
    /// Positional arguments.
    pub args: Vec<Value>,
    /// Keyword arguments, in template order.
    pub kwargs: Vec<(String, Value)>,
    /// For tags that take the context: the variables the template set so far (loop
    /// variables, `with` values...), innermost last, over the render's context.
    pub locals: Option<Vec<(Arc<str>, Value)>>,
    /// Whether autoescaping is on where the tag is.
    pub autoescape: bool,
}

/// A filter call for the host to run, with Django's `FilterExpression.resolve` rules.
#[derive(Debug)]
pub struct FilterCall<'a> {
    /// The library the filter comes from (`""` for a builtin).
    pub library: &'a str,
    /// The filter's name.
    pub name: &'a str,
    /// The value filtered.
    pub value: Value,
    /// The argument, if given.
    pub arg: Option<Value>,
    /// Whether autoescaping is on (for `needs_autoescape` filters).
    pub autoescape: bool,
}

/// A message to translate with the active language (gettext and friends).
#[derive(Debug)]
pub struct Translation<'a> {
    /// `pgettext`'s context, if any.
    pub context: Option<&'a str>,
    /// The message (the singular for plurals).
    pub singular: &'a str,
    /// The plural message and the count (`ngettext`).
    pub plural: Option<(&'a str, &'a Value)>,
}

/// Which URL of the `static` library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticUrl {
    /// `{% static path %}`: the URL of one static file.
    File,
    /// `{% get_static_prefix %}`: `STATIC_URL`.
    StaticPrefix,
    /// `{% get_media_prefix %}`: `MEDIA_URL`.
    MediaPrefix,
}

/// What the engine needs from its host. Every method but `call_simple_tag` has a default for
/// hosts without Django: no translations, and `Unsupported` for what only Django can do.
pub trait Host {
    /// Runs a simple tag from a loaded library; returns its output value.
    fn call_simple_tag(&self, call: TagCall<'_>) -> Result<Value, Error>;

    /// Runs a filter the engine does not run natively (or not for this value).
    fn call_filter(&self, call: FilterCall<'_>) -> Result<Value, Error> {
        Err(Error::unsupported(format!(
            "the filter '{}' needs the host for this value",
            call.name
        )))
    }

    /// The first of `names` that the host's loaders find (Django's `select_template`),
    /// skipping the origins in `skip` (what `{% extends %}` already went through).
    fn get_template(&self, names: &[String], skip: &[Arc<str>]) -> Result<Template, Error> {
        let _ = skip;
        Err(Error::unsupported(format!(
            "loading templates ({}) needs a host",
            names.join(", ")
        )))
    }

    /// While this gives the same number, `get_template` gives the same template for the same
    /// arguments (the host's loaders keep what they found), so a node may keep what it found
    /// instead of asking again. `None`, the default: ask every time (templates that change on
    /// disk in debug are read again).
    fn loader_generation(&self) -> Option<u64> {
        None
    }

    /// Translates a message with the active language; the default leaves it untranslated,
    /// as Django does with translations deactivated.
    fn translate(&self, message: Translation<'_>) -> Result<String, Error> {
        Ok(untranslated(&message))
    }

    /// The active language code (`{% get_current_language %}`).
    fn current_language(&self) -> Result<String, Error> {
        Ok("en-us".into())
    }

    /// The active language's number format (Django's `get_format` with localization on);
    /// a render asks at most once, when it first prints a localized number.
    fn number_format(&self) -> Result<NumberFormat, Error> {
        Ok(NumberFormat::default())
    }

    /// Django's `reverse()`; with `silent`, a URL that does not reverse is `""`.
    fn reverse_url(
        &self,
        view_name: Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
        silent: bool,
    ) -> Result<String, Error> {
        let _ = (view_name, args, kwargs, silent);
        Err(Error::unsupported("{% url %} needs a host"))
    }

    /// A URL of the `static` library.
    fn static_url(&self, kind: StaticUrl, path: Option<Value>) -> Result<String, Error> {
        let _ = (kind, path);
        Err(Error::unsupported("the static library needs a host"))
    }

    /// `value` as a date, datetime or time the engine formats itself, for the date filters;
    /// with `localtime`, an aware datetime is first converted to the current time zone
    /// (Django's `template_localtime`). `None`, the default: not such a value, or not one
    /// the host reads (Django's own filter then runs).
    fn datetime(&self, value: &Value, localtime: bool) -> Result<Option<DateTime>, Error> {
        let _ = (value, localtime);
        Ok(None)
    }

    /// The active language's date names and formats; the default is English with Django's
    /// default settings.
    fn date_locale(&self) -> Result<Arc<DateLocale>, Error> {
        static ENGLISH: std::sync::OnceLock<Arc<DateLocale>> = std::sync::OnceLock::new();
        Ok(ENGLISH
            .get_or_init(|| Arc::new(DateLocale::english()))
            .clone())
    }

    /// The current instant in microseconds since 1970-01-01 UTC (`timesince` without an
    /// argument); the default reads the system clock.
    fn now_micros(&self) -> Result<i64, Error> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|err| Error::render(format!("the system clock is before 1970: {err}")))?;
        Ok(i64::try_from(since.as_micros()).unwrap_or(i64::MAX))
    }

    /// `datetime.now()`: the current wall time in the system's zone, for `timesince`
    /// without an argument on naive values; `None`, the default, where the host cannot tell
    /// (Django's filter then runs).
    fn local_now(&self) -> Result<Option<DateTime>, Error> {
        Ok(None)
    }

    /// The current time formatted with Django's `date` format characters (`{% now %}`).
    fn now(&self, format: &str) -> Result<String, Error> {
        let _ = format;
        Err(Error::unsupported("{% now %} needs a host"))
    }
}

/// What gettext gives with no translation: the singular, or the plural unless the count is 1.
pub(crate) fn untranslated(message: &Translation<'_>) -> String {
    match message.plural {
        Some((plural, count)) => {
            let one = match count {
                Value::Int(n) => *n == 1,
                Value::Bool(b) => *b,
                Value::Float(f) => *f == 1.0,
                _ => false,
            };
            if one {
                message.singular.to_owned()
            } else {
                plural.to_owned()
            }
        }
        None => message.singular.to_owned(),
    }
}

/// A host with no tags: every tag call fails with a `Render` error.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn call_simple_tag(&self, call: TagCall<'_>) -> Result<Value, Error> {
        Err(Error::render(format!(
            "no host is attached to run the tag '{}' of library '{}'",
            call.name, call.library
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn no_host_refuses_tags_and_defaults_the_rest() {
        let call = TagCall {
            library: "lib",
            name: "tag",
            args: Vec::new(),
            kwargs: Vec::new(),
            locals: None,
            autoescape: true,
        };
        let err = NoHost.call_simple_tag(call).err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Render));
        let count = Value::Int(2);
        let text = NoHost.translate(Translation {
            context: None,
            singular: "one",
            plural: Some(("many", &count)),
        });
        assert_eq!(text.ok().as_deref(), Some("many"));
        assert_eq!(NoHost.current_language().ok().as_deref(), Some("en-us"));
        assert_eq!(NoHost.number_format().ok(), Some(NumberFormat::default()));
        assert!(NoHost.now("Y").is_err());
        assert!(NoHost.get_template(&["a".into()], &[]).is_err());
    }
}
