//! The Django template language, parsed and rendered in Rust.
//!
//! The pipeline is the module tree: `compiler` (lexer, parser, filter expressions, `{% if %}`
//! conditions, the AST), `render` (scopes, expressions, conditions, tags), `value` (the value
//! model, Python's formatting and comparisons, host objects), `filters` (one file per group).
//! Output is byte for byte what Django 5.2 renders for the supported subset; anything else
//! valid in Django fails with [`ErrorKind::Unsupported`] so the caller can hand the template
//! to Django instead. `COMPATIBILITY.md` lists the known differences.
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
mod error;
mod filters;
mod library;
mod render;
mod template;
mod value;

pub use context::Context;
pub use error::{Error, ErrorKind, HostError, Span};
pub use library::{Host, Libraries, NoHost};
pub use template::Template;
pub use value::{AsAny, Map, Object, Value};
