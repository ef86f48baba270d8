//! The variables visible while rendering: scopes pushed by tags, over the caller's context,
//! over Django's builtins `True`, `False` and `None`.

use std::sync::Arc;

use crate::context::Context;
use crate::value::Value;

static TRUE: Value = Value::Bool(true);
static FALSE: Value = Value::Bool(false);
static NONE: Value = Value::None;

/// A stack of scopes over a context, like Django's `Context.dicts`.
pub(crate) struct Scope<'c> {
    context: &'c Context,
    /// Innermost last; the first is the template's own top-level scope.
    frames: Vec<Vec<(Arc<str>, Value)>>,
}

impl<'c> Scope<'c> {
    /// A scope with one empty frame over `context`.
    pub(crate) fn new(context: &'c Context) -> Scope<'c> {
        Scope {
            context,
            frames: vec![Vec::new()],
        }
    }

    /// The value of `name`: innermost frame first, then the context, then the builtins.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        for frame in self.frames.iter().rev() {
            if let Some((_, value)) = frame.iter().find(|(key, _)| &**key == name) {
                return Some(value);
            }
        }
        self.context.get(name).or(match name {
            "True" => Some(&TRUE),
            "False" => Some(&FALSE),
            "None" => Some(&NONE),
            _ => None,
        })
    }

    /// Sets `name` in the innermost frame (Django's `context[name] = value`).
    pub(crate) fn set(&mut self, name: &Arc<str>, value: Value) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        match frame.iter_mut().find(|(key, _)| key == name) {
            Some((_, slot)) => *slot = value,
            None => frame.push((name.clone(), value)),
        }
    }

    /// Opens a new innermost frame.
    pub(crate) fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    /// Closes the innermost frame (the template's own frame always stays).
    pub(crate) fn pop(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_frames_shadow_outer_ones_until_popped() {
        let context: Context = [("x", Value::Int(1))].into_iter().collect();
        let mut scope = Scope::new(&context);
        let x: Arc<str> = Arc::from("x");
        assert!(matches!(scope.get("x"), Some(Value::Int(1))));
        scope.push();
        scope.set(&x, Value::Int(2));
        scope.set(&x, Value::Int(3));
        assert!(matches!(scope.get("x"), Some(Value::Int(3))));
        scope.pop();
        assert!(matches!(scope.get("x"), Some(Value::Int(1))));
        scope.pop();
        scope.set(&x, Value::Int(4));
        assert!(matches!(scope.get("x"), Some(Value::Int(4))));
    }

    #[test]
    fn builtins_sit_below_the_context() {
        let context: Context = [("None", Value::Int(0))].into_iter().collect();
        let scope = Scope::new(&context);
        assert!(matches!(scope.get("True"), Some(Value::Bool(true))));
        assert!(matches!(scope.get("None"), Some(Value::Int(0))));
        assert!(scope.get("missing").is_none());
    }
}
