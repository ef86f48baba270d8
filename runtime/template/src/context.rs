//! The variables a template is rendered with.

use std::sync::Arc;

use crate::error::Error;
use crate::value::{Key, Map, Value};

/// Where variables not set in a [`Context`] come from, looked up only when a template uses
/// them (the binding reads them from the Python dict, so unused ones are never converted).
pub trait ContextSource: Send + Sync {
    /// The value of variable `name`, or `None` if it is not set.
    fn get(&self, name: &str) -> Result<Option<Value>, Error>;

    /// [`ContextSource::get`] of a name the template wrote, which can keep the source's own
    /// form of the name ([`Key::host_form`]).
    fn get_key(&self, key: &Key) -> Result<Option<Value>, Error> {
        self.get(key)
    }
}

/// The variables a template is rendered with: Django's `Context({...})`.
///
/// Rendering never changes it; tags that set variables (`{% for %}`, `{% with %}`) write to
/// scopes of their own on top. `True`, `False` and `None` are available unless the context
/// defines variables of those names, as in Django.
#[derive(Clone, Default)]
pub struct Context {
    vars: Map,
    source: Option<Arc<dyn ContextSource>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("vars", &self.vars)
            .field("source", &self.source.is_some())
            .finish()
    }
}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// A context holding the variables of `map` (what `Context(dict)` does in Django).
    pub fn from_map(map: Map) -> Context {
        Context {
            vars: map,
            source: None,
        }
    }

    /// A context whose variables are looked up in `source` when first used.
    pub fn from_source(source: Arc<dyn ContextSource>) -> Context {
        Context {
            vars: Map::default(),
            source: Some(source),
        }
    }

    /// Sets variable `name`, replacing any earlier value (and hiding the source's).
    pub fn set(&mut self, name: impl Into<Arc<str>>, value: Value) {
        self.vars.insert(name.into(), value);
    }

    /// The value of variable `name` set with [`Context::set`] or [`Context::from_map`].
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    /// The value of `name`: set values first, then the source.
    pub(crate) fn lookup(&self, name: &str) -> Result<Option<Value>, Error> {
        if let Some(value) = self.vars.get(name) {
            return Ok(Some(value.clone()));
        }
        match &self.source {
            Some(source) => source.get(name),
            None => Ok(None),
        }
    }

    /// [`Context::lookup`] of a name the template wrote.
    pub(crate) fn lookup_key(&self, key: &Key) -> Result<Option<Value>, Error> {
        if let Some(value) = self.vars.get(key.as_str()) {
            return Ok(Some(value.clone()));
        }
        match &self.source {
            Some(source) => source.get_key(key),
            None => Ok(None),
        }
    }

    /// The number of variables set (the source's are not counted).
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether no variable is set and there is no source.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty() && self.source.is_none()
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, Value)> for Context {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Context {
        Context {
            vars: iter.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            source: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Numbers;

    impl ContextSource for Numbers {
        fn get(&self, name: &str) -> Result<Option<Value>, Error> {
            Ok(name.parse::<i64>().ok().map(Value::Int))
        }
    }

    #[test]
    fn set_replaces_and_get_reads() {
        let mut context = Context::new();
        assert!(context.is_empty());
        context.set("a", Value::Int(1));
        context.set(String::from("a"), Value::Int(2));
        assert!(matches!(context.get("a"), Some(Value::Int(2))));
        assert!(context.get("b").is_none());
        assert_eq!(context.len(), 1);
    }

    #[test]
    fn builds_from_a_map_or_pairs() {
        let map: Map = [(Arc::from("x"), Value::from("y"))].into_iter().collect();
        let context = Context::from_map(map);
        assert!(context.get("x").is_some());
        let context: Context = [("n", Value::None)].into_iter().collect();
        assert!(matches!(context.get("n"), Some(Value::None)));
    }

    #[test]
    fn a_source_answers_what_is_not_set() {
        let mut context = Context::from_source(Arc::new(Numbers));
        assert!(!context.is_empty());
        context.set("7", Value::from("seven"));
        assert!(matches!(context.lookup("7"), Ok(Some(Value::Str(..)))));
        assert!(matches!(context.lookup("8"), Ok(Some(Value::Int(8)))));
        assert!(matches!(context.lookup("x"), Ok(None)));
        assert!(format!("{context:?}").contains("source: true"));
    }
}
