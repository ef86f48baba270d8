//! The variables visible while rendering: scopes pushed by tags, over the caller's context,
//! over Django's builtins `True`, `False` and `None` (Django's `Context.dicts`).

use std::sync::Arc;

use crate::context::Context;
use crate::error::Error;
use crate::value::{Key, Value};

static TRUE: Value = Value::Bool(true);
static FALSE: Value = Value::Bool(false);
static NONE: Value = Value::None;

/// One scope: the variables a tag set, in the order it set them.
pub(crate) type Frame = Vec<(Arc<str>, Value)>;

/// A stack of scopes over a context.
pub(crate) struct Scope<'c> {
    /// The caller's context; `None` inside `{% include ... only %}`.
    base: Option<&'c Context>,
    /// Variables already looked up in the context (found or not), so each is read once.
    loaded: Vec<(Arc<str>, Option<Value>)>,
    /// Innermost last; the first is the template's own top-level scope.
    frames: Vec<Frame>,
    /// Frames popped, emptied, kept for their allocation: loops, blocks and `with` open one
    /// each, thousands per render.
    spare: Vec<Frame>,
}

impl<'c> Scope<'c> {
    /// A scope with one empty frame over `context`.
    pub(crate) fn new(context: &'c Context) -> Scope<'c> {
        Scope {
            base: Some(context),
            loaded: Vec::new(),
            frames: frames(Vec::new()),
            spare: Vec::new(),
        }
    }

    /// A scope that sees only `values` (Django's `context.new(values)`).
    pub(crate) fn isolated(values: Frame) -> Scope<'c> {
        Scope {
            base: None,
            loaded: Vec::new(),
            frames: frames(values),
            spare: Vec::new(),
        }
    }

    /// The value of `name`: innermost frame first, then the context, then the builtins.
    pub(crate) fn get(&mut self, name: &str) -> Result<Option<Value>, Error> {
        Ok(self.find(name, None)?.cloned())
    }

    /// [`Scope::get`] without the clone, for lookups that go on into the value.
    pub(crate) fn get_ref(&mut self, key: &Key) -> Result<Option<&Value>, Error> {
        self.find(key, Some(key))
    }

    /// The value of `name`, with its key when the template wrote it.
    fn find(&mut self, name: &str, key: Option<&Key>) -> Result<Option<&Value>, Error> {
        let found = self.frames.iter().enumerate().rev().find_map(|(f, frame)| {
            let slot = frame.iter().rposition(|(key, _)| &**key == name)?;
            Some((f, slot))
        });
        if let Some((frame, slot)) = found {
            return Ok(self
                .frames
                .get(frame)
                .and_then(|f| f.get(slot))
                .map(|(_, v)| v));
        }
        if let Some(slot) = self.load(name, key)? {
            if let Some((_, Some(value))) = self.loaded.get(slot) {
                return Ok(Some(value));
            }
        }
        Ok(match name {
            "True" => Some(&TRUE),
            "False" => Some(&FALSE),
            "None" => Some(&NONE),
            _ => None,
        })
    }

    /// Where `name` is in `loaded`, read from the context the first time; `None` without a
    /// context.
    fn load(&mut self, name: &str, key: Option<&Key>) -> Result<Option<usize>, Error> {
        let Some(base) = self.base else {
            return Ok(None);
        };
        if let Some(slot) = self.loaded.iter().position(|(known, _)| &**known == name) {
            return Ok(Some(slot));
        }
        let (name, value) = match key {
            Some(key) => (key.shared().clone(), base.lookup_key(key)?),
            None => (Arc::from(name), base.lookup(name)?),
        };
        if self.loaded.is_empty() {
            self.loaded.reserve(8);
        }
        self.loaded.push((name, value));
        Ok(Some(self.loaded.len() - 1))
    }

    /// Whether the caller's context sets `name`.
    fn in_base(&mut self, name: &str) -> Result<bool, Error> {
        Ok(match self.load(name, None)? {
            Some(slot) => self.loaded.get(slot).is_some_and(|(_, v)| v.is_some()),
            None => false,
        })
    }

    /// Sets `name` in the innermost frame (Django's `context[name] = value`).
    pub(crate) fn set(&mut self, name: &Arc<str>, value: Value) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        set_in(frame, name, value);
    }

    /// Sets `name` where it is already set, else in the innermost frame (Django's
    /// `set_upward`); a variable of the caller's context is shadowed at the bottom.
    pub(crate) fn set_upward(&mut self, name: &Arc<str>, value: Value) -> Result<(), Error> {
        let found = self
            .frames
            .iter()
            .rposition(|frame| frame.iter().any(|(key, _)| key == name));
        let index = match found {
            Some(index) => index,
            None if self.in_base(name)? => 0,
            None => self.frames.len().saturating_sub(1),
        };
        if let Some(frame) = self.frames.get_mut(index) {
            set_in(frame, name, value);
        }
        Ok(())
    }

    /// Opens a new innermost frame.
    pub(crate) fn push(&mut self) {
        let frame = self.spare.pop().unwrap_or_default();
        self.frames.push(frame);
    }

    /// Opens a new innermost frame holding `values`.
    pub(crate) fn push_frame(&mut self, values: Frame) {
        self.frames.push(values);
    }

    /// Closes the innermost frame (the template's own frame always stays).
    pub(crate) fn pop(&mut self) {
        if self.frames.len() > 1 {
            if let Some(mut frame) = self.frames.pop() {
                frame.clear();
                self.spare.push(frame);
            }
        }
    }

    /// The variables the template set so far, outermost first (for tags that take the
    /// context).
    pub(crate) fn locals(&self) -> Frame {
        self.frames.iter().flatten().cloned().collect()
    }
}

/// The frame stack with its first frame, room made for the few a template opens inside it.
fn frames(first: Frame) -> Vec<Frame> {
    let mut frames = Vec::with_capacity(8);
    frames.push(first);
    frames
}

fn set_in(frame: &mut Frame, name: &Arc<str>, value: Value) {
    match frame.iter_mut().find(|(key, _)| key == name) {
        Some((_, slot)) => *slot = value,
        None => frame.push((name.clone(), value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(scope: &mut Scope<'_>, name: &str) -> Option<Value> {
        scope.get(name).ok().flatten()
    }

    #[test]
    fn inner_frames_shadow_outer_ones_until_popped() {
        let context: Context = [("x", Value::Int(1))].into_iter().collect();
        let mut scope = Scope::new(&context);
        let x: Arc<str> = Arc::from("x");
        assert!(matches!(get(&mut scope, "x"), Some(Value::Int(1))));
        scope.push();
        scope.set(&x, Value::Int(2));
        scope.set(&x, Value::Int(3));
        assert!(matches!(get(&mut scope, "x"), Some(Value::Int(3))));
        scope.pop();
        assert!(matches!(get(&mut scope, "x"), Some(Value::Int(1))));
        scope.pop();
        scope.set(&x, Value::Int(4));
        assert!(matches!(get(&mut scope, "x"), Some(Value::Int(4))));
    }

    #[test]
    fn builtins_sit_below_the_context() {
        let context: Context = [("None", Value::Int(0))].into_iter().collect();
        let mut scope = Scope::new(&context);
        assert!(matches!(get(&mut scope, "True"), Some(Value::Bool(true))));
        assert!(matches!(get(&mut scope, "None"), Some(Value::Int(0))));
        assert!(get(&mut scope, "missing").is_none());
    }

    #[test]
    fn set_upward_writes_where_the_name_lives() {
        let context: Context = [("c", Value::Int(0))].into_iter().collect();
        let mut scope = Scope::new(&context);
        let (a, c): (Arc<str>, Arc<str>) = (Arc::from("a"), Arc::from("c"));
        scope.set(&a, Value::Int(1));
        scope.push();
        let _ = scope.set_upward(&a, Value::Int(2));
        let _ = scope.set_upward(&c, Value::Int(3));
        scope.pop();
        assert!(matches!(get(&mut scope, "a"), Some(Value::Int(2))));
        assert!(matches!(get(&mut scope, "c"), Some(Value::Int(3))));
        assert_eq!(scope.locals().len(), 2);
    }

    #[test]
    fn isolated_scopes_see_only_their_values() {
        let mut scope = Scope::isolated(vec![(Arc::from("v"), Value::Int(1))]);
        assert!(get(&mut scope, "v").is_some());
        assert!(get(&mut scope, "True").is_some());
        assert!(get(&mut scope, "x").is_none());
    }
}
