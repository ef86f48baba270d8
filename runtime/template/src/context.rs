//! The variables a template is rendered with.

use std::sync::Arc;

use indexmap::IndexMap;

use crate::value::Value;

/// The variables a template is rendered with: Django's `Context({...})`.
///
/// Rendering never changes it; tags that set variables (`{% for %}`, `{% tag ... as x %}`)
/// write to scopes of their own on top. `True`, `False` and `None` are available unless the
/// context defines variables of those names, as in Django.
#[derive(Clone, Debug, Default)]
pub struct Context {
    vars: IndexMap<Arc<str>, Value>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// A context holding the variables of `map` (what `Context(dict)` does in Django).
    pub fn from_map(map: IndexMap<Arc<str>, Value>) -> Context {
        Context { vars: map }
    }

    /// Sets variable `name`, replacing any earlier value.
    pub fn set(&mut self, name: impl Into<Arc<str>>, value: Value) {
        self.vars.insert(name.into(), value);
    }

    /// The value of variable `name`, if set (Django's builtins `True`/`False`/`None` excluded).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    /// The number of variables set.
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether no variable is set.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, Value)> for Context {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Context {
        Context {
            vars: iter.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let map: IndexMap<Arc<str>, Value> = [(Arc::from("x"), Value::from("y"))].into();
        let context = Context::from_map(map);
        assert!(context.get("x").is_some());
        let context: Context = [("n", Value::None)].into_iter().collect();
        assert!(matches!(context.get("n"), Some(Value::None)));
    }
}
