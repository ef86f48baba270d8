//! The names templates look up, each with a place for the host's own form of it.

use std::any::Any;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// A name a template looks up: a variable (`row`) or a member (`name` in `row.name`). A host
/// that converts names to look them up (the Python binding makes Python strings) keeps the
/// converted form here, made on first use and kept as long as the template, instead of
/// converting the name on every lookup.
pub struct Key {
    name: Arc<str>,
    host_form: OnceLock<Box<dyn Any + Send + Sync>>,
}

impl Key {
    /// A key for `name`.
    pub fn new(name: impl Into<Arc<str>>) -> Key {
        Key {
            name: name.into(),
            host_form: OnceLock::new(),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The host's form of the name, made by `make` the first time; `None` if a form of
    /// another type is kept already.
    pub fn host_form<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Option<&T> {
        self.host_form
            .get_or_init(|| Box::new(make()))
            .downcast_ref::<T>()
    }

    /// The name, shared.
    pub(crate) fn shared(&self) -> &Arc<str> {
        &self.name
    }
}

impl Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.name, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_form_is_made_once_and_typed() {
        let key = Key::new("name");
        assert_eq!(key.as_str(), "name");
        assert_eq!(&*key, "name");
        assert_eq!(key.host_form(|| 7_u32), Some(&7));
        assert_eq!(key.host_form(|| 8_u32), Some(&7), "made once");
        assert_eq!(
            key.host_form(|| "other"),
            None,
            "another type is not mistaken for it"
        );
        assert_eq!(format!("{key:?}"), "\"name\"");
    }
}
