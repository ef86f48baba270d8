//! The one error type of the engine: a kind, Django's message, and where in which template.

use std::fmt;

/// The host's own error, carried unchanged so the caller can downcast it back.
pub type HostError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong, in the categories a caller acts on differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The template is not valid Django template language (Django's `TemplateSyntaxError`).
    Syntax,
    /// Rendering failed the way Django's rendering fails (a `TypeError`, a `ValueError`...).
    Render,
    /// A variable used as a filter argument does not exist (Django's `VariableDoesNotExist`).
    VariableDoesNotExist,
    /// The host (a simple tag, a host object) raised an error; `host_error()` returns it.
    Host,
    /// Valid Django that this engine does not run natively: hand the template to Django instead.
    Unsupported,
}

/// Where an error happened: byte offsets into the source, and the 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, counted in characters.
    pub column: usize,
}

/// The builtin Python exception Django raises for a render error, where code may catch it
/// by that class (`except ValueError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PythonException {
    /// `ValueError` (a `{% for a, b in ... %}` item of the wrong length).
    ValueError,
    /// `TypeError` (a `{% for %}` over a value that is not iterable, an ordering of
    /// values Python cannot compare).
    TypeError,
}

/// An error from parsing or rendering a template.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    name: Option<String>,
    span: Option<Span>,
    source_line: Option<String>,
    source: Option<String>,
    host: Option<HostError>,
    python: Option<PythonException>,
}

impl Error {
    /// A new error of `kind` with Django's message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                name: None,
                span: None,
                source_line: None,
                source: None,
                host: None,
                python: None,
            }),
        }
    }

    /// Wraps an error raised by the host (a Python exception, say) so it propagates unchanged.
    pub fn host(err: impl Into<HostError>) -> Error {
        let host = err.into();
        let mut error = Error::new(ErrorKind::Host, host.to_string());
        error.inner.host = Some(host);
        error
    }

    pub(crate) fn syntax(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, message)
    }

    pub(crate) fn render(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Render, message)
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unsupported, message)
    }

    /// A render error Django raises as the builtin exception `python`.
    pub(crate) fn render_as(python: PythonException, message: impl Into<String>) -> Error {
        let mut error = Error::render(message);
        error.inner.python = Some(python);
        error
    }

    /// The builtin Python exception Django raises here, where the engine knows it.
    pub fn python_exception(&self) -> Option<PythonException> {
        self.inner.python
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The message alone, without location (what `Display` prints).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The name of the template the error happened in, once known.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The 1-based line of the offending tag, once known.
    pub fn line(&self) -> Option<usize> {
        self.inner.span.map(|span| span.line)
    }

    /// The 1-based column (in characters) of the offending tag, once known.
    pub fn column(&self) -> Option<usize> {
        self.inner.span.map(|span| span.column)
    }

    /// The byte span and position of the offending tag, once known.
    pub fn span(&self) -> Option<Span> {
        self.inner.span
    }

    /// The whole source line holding the offending tag, for debug pages.
    pub fn source_line(&self) -> Option<&str> {
        self.inner.source_line.as_deref()
    }

    /// The whole source of the template the error happened in, once known.
    pub fn template_source(&self) -> Option<&str> {
        self.inner.source.as_deref()
    }

    /// The span as character offsets into [`Error::template_source`] (what Python indexes).
    pub fn char_range(&self) -> Option<(usize, usize)> {
        let span = self.inner.span?;
        let source = self.inner.source.as_deref()?;
        let chars = |offset: usize| {
            source
                .get(..offset.min(source.len()))
                .map_or(0, |s| s.chars().count())
        };
        Some((chars(span.start), chars(span.end)))
    }

    /// The host's own error, for errors of kind `Host`.
    pub fn host_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.inner.host.as_deref()
    }

    /// Takes the host's error out if it is an `E` (to re-raise it as it was); else gives the
    /// error back unchanged.
    pub fn into_host<E: std::error::Error + 'static>(mut self) -> Result<E, Error> {
        match self.inner.host.take().map(|host| host.downcast::<E>()) {
            Some(Ok(host)) => Ok(*host),
            Some(Err(host)) => {
                self.inner.host = Some(host);
                Err(self)
            }
            None => Err(self),
        }
    }

    /// Records where the error happened, unless an inner tag already claimed it (as Django does).
    pub(crate) fn located(mut self, name: &str, source: &str, span: Span) -> Error {
        if self.inner.span.is_none() {
            self.inner.name = Some(name.to_owned());
            self.inner.span = Some(span);
            self.inner.source_line = Some(line_around(source, span.start).to_owned());
            self.inner.source = Some(source.to_owned());
        }
        self
    }
}

/// The line of `source` that contains byte `offset`, without its line break.
fn line_around(source: &str, offset: usize) -> &str {
    let offset = offset.min(source.len());
    let start = source
        .get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |newline| newline + 1);
    let end = source
        .get(offset..)
        .and_then(|after| after.find('\n'))
        .map_or(source.len(), |newline| offset + newline);
    source.get(start..end).unwrap_or("")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    /// Prints the kind, message and location, then the source line with the tag underlined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        write!(f, "{:?} error: {}", inner.kind, inner.message)?;
        if let Some(span) = inner.span {
            let name = inner.name.as_deref().unwrap_or("<template>");
            write!(f, "\n  --> {name}:{}:{}", span.line, span.column)?;
            if let Some(line) = &inner.source_line {
                let indent = span.column.saturating_sub(1);
                let width = line
                    .chars()
                    .skip(indent)
                    .take(span.end.saturating_sub(span.start))
                    .count()
                    .max(1);
                write!(
                    f,
                    "\n   | {line}\n   | {}{}",
                    " ".repeat(indent),
                    "^".repeat(width)
                )?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.host {
            Some(host) => Some(host.as_ref()),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Boom;

    impl fmt::Display for Boom {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("boom")
        }
    }

    impl std::error::Error for Boom {}

    #[test]
    fn error_stays_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn host_errors_can_be_downcast_back() {
        let err = Error::host(Boom);
        assert_eq!(err.kind(), ErrorKind::Host);
        assert_eq!(err.to_string(), "boom");
        assert!(err.host_error().is_some_and(|e| e.is::<Boom>()));
        assert!(std::error::Error::source(&err).is_some());
        assert!(err.into_host::<Boom>().is_ok());
        let err = Error::host(Boom).into_host::<std::fmt::Error>();
        assert!(err.is_err_and(|e| e.host_error().is_some()));
        assert!(Error::syntax("x").into_host::<Boom>().is_err());
    }

    #[test]
    fn location_is_kept_from_the_innermost_tag() {
        let source = "first\n  {% bad %}\nlast";
        let inner = Span {
            start: 8,
            end: 17,
            line: 2,
            column: 3,
        };
        let outer = Span {
            start: 0,
            end: 5,
            line: 1,
            column: 1,
        };
        let err = Error::syntax("nope")
            .located("page.html", source, inner)
            .located("page.html", source, outer);
        assert_eq!(err.line(), Some(2));
        assert_eq!(err.column(), Some(3));
        assert_eq!(err.name(), Some("page.html"));
        assert_eq!(err.source_line(), Some("  {% bad %}"));
        assert_eq!(err.template_source(), Some(source));
        assert_eq!(err.char_range(), Some((8, 17)));
        let debug = format!("{err:?}");
        assert!(debug.contains("page.html:2:3"), "{debug}");
        assert!(debug.contains("\n   |   ^^^^^^^^^"), "{debug}");
    }

    #[test]
    fn source_line_handles_edges() {
        assert_eq!(line_around("", 0), "");
        assert_eq!(line_around("abc", 10), "abc");
        assert_eq!(line_around("a\nb", 2), "b");
        assert_eq!(line_around("a\nb", 1), "a");
    }
}
