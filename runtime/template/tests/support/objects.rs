//! Host objects and a host for the fixtures, mirroring `verify_with_django.py`.

use std::fmt;
use std::sync::Arc;

use djust_template::{Error, Host, Libraries, Map, Object, TagCall, Value};

/// A host object with attributes and a `str()`: Python's `TestObject` in the Django check.
#[derive(Debug)]
pub struct Attributes {
    pub attributes: Arc<Map>,
    pub text: String,
}

impl Object for Attributes {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        Ok(self.attributes.get(segment).cloned())
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Ok(None)
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(None)
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(true)
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Ok((self.text.clone(), false))
    }
}

/// An error a tag raises, carried through `render()` as a host error.
#[derive(Debug)]
pub struct TagFailed(pub String);

impl fmt::Display for TagFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TagFailed {}

/// The libraries the fixtures may load.
pub fn libraries() -> Libraries {
    let mut libraries = Libraries::new();
    for tag in ["echo", "bold", "count", "fail", "nothing", "big", "letters"] {
        libraries.add_simple_tag("testtags", tag);
    }
    libraries.add_simple_tag("other", "greet");
    libraries
}

/// Python's `str()` for the simple values fixtures pass to tags; `?` for the others (as the
/// Python side of the check does).
fn text(value: &Value) -> String {
    match value {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Str(text, _) => text.to_string(),
        _ => "?".into(),
    }
}

/// Runs the fixture tags, as the Python library `testtags` in the Django check does.
pub struct FixtureHost;

impl Host for FixtureHost {
    fn call_simple_tag(&self, call: TagCall<'_>) -> Result<Value, Error> {
        let TagCall {
            library,
            name,
            args,
            kwargs,
            ..
        } = call;
        Ok(match (library, name) {
            ("testtags", "echo") => {
                let mut parts: Vec<String> = args.iter().map(text).collect();
                parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", text(v))));
                Value::from(format!("[{}]", parts.join(" ")))
            }
            ("testtags", "bold") => {
                let inner = args.first().map(text).unwrap_or_default();
                Value::safe_str(format!("<b>{inner}</b>"))
            }
            ("testtags", "count") => Value::Int((args.len() + kwargs.len()) as i64),
            ("testtags", "fail") => return Err(Error::host(TagFailed("boom".into()))),
            ("testtags", "nothing") => Value::None,
            ("testtags", "big") => Value::Float(1e16),
            ("testtags", "letters") => Value::from(vec![Value::from("a"), Value::from("<b>")]),
            ("other", "greet") => {
                let who = args.first().map(text).unwrap_or_else(|| "world".into());
                Value::from(format!("Hello, {who}!"))
            }
            _ => return Err(Error::host(TagFailed(format!("no tag {library}.{name}")))),
        })
    }
}
