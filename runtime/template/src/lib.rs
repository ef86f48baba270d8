//! The Django template language, parsed and rendered in Rust.
//!
//! The pipeline is the module tree: `compiler` (lexer, parser, filter expressions, `{% if %}`
//! conditions, one file per group of tags, the AST), `render` (scopes, expressions,
//! conditions, one file per group of tags), `value` (the value model, Python's formatting,
//! numbers and comparisons, host objects), `filters` (one file per group). What only Django
//! can do (loading templates, gettext, `reverse()`, formatting dates, project filters and
//! simple tags) the engine asks of its [`Host`]. Output is byte for byte what Django 5.2
//! renders; anything valid in Django that neither the engine nor the host can run fails with
//! [`ErrorKind::Unsupported`] so the caller can hand the template to Django instead.
//! `COMPATIBILITY.md` lists the known differences.
//!
//! ```
//! use djust_template::{Context, Libraries, NoHost, Template, Value};
//!
//! let template = Template::parse("hello.html", "Hi {{ name|upper }}!", &Libraries::new())?;
//! let mut context = Context::new();
//! context.set("name", Value::from("<ada>"));
//! assert_eq!(template.render(&context, &NoHost)?, "Hi &lt;ADA&gt;!");
//! # Ok::<(), djust_template::Error>(())
//! ```

#![warn(missing_docs)]

mod compiler;
mod context;
mod dates;
mod error;
mod filters;
mod host;
mod library;
mod options;
mod render;
mod template;
mod value;

pub use context::{Context, ContextSource};
pub use dates::{DateKind, DateLocale, DateTime, TimeUnit, Zone};
pub use error::{Error, ErrorKind, HostError, PythonException, Span};
pub use host::{FilterCall, Host, NoHost, StaticUrl, TagCall, Translation};
pub use library::{FilterSpec, Libraries, SimpleTagSpec};
pub use options::{NumberFormat, RenderOptions};
pub use template::Template;
pub use value::{AsAny, Key, Map, Object, Safety, Tuple, Value};
