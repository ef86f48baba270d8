//! Tag libraries that `{% load %}` can bring in, and the host that runs their tags.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::value::Value;

/// The tag libraries `{% load %}` accepts, and the simple tags each one provides.
#[derive(Clone, Debug, Default)]
pub struct Libraries {
    libraries: BTreeMap<String, BTreeSet<String>>,
}

impl Libraries {
    /// No libraries: `{% load anything %}` is a syntax error.
    pub fn new() -> Libraries {
        Libraries::default()
    }

    /// Registers library `library` (if new) and its simple tag `tag`.
    pub fn add_simple_tag(&mut self, library: &str, tag: &str) {
        self.libraries
            .entry(library.to_owned())
            .or_default()
            .insert(tag.to_owned());
    }

    /// The simple tags of `library`, or `None` if it is not registered.
    pub(crate) fn tags(&self, library: &str) -> Option<&BTreeSet<String>> {
        self.libraries.get(library)
    }

    /// The registered library names, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.libraries.keys().map(String::as_str)
    }
}

/// What runs the simple tags of loaded libraries (the binding calls the Python functions).
pub trait Host {
    /// Calls a simple tag from a loaded library; returns its output value.
    fn call_simple_tag(
        &self,
        library: &str,
        name: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> Result<Value, Error>;
}

/// A host with no tags: every call fails with a `Render` error.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn call_simple_tag(
        &self,
        library: &str,
        name: &str,
        _args: Vec<Value>,
        _kwargs: Vec<(String, Value)>,
    ) -> Result<Value, Error> {
        Err(Error::render(format!(
            "no host is attached to run the tag '{name}' of library '{library}'"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn libraries_collect_tags_and_sort_names() {
        let mut libraries = Libraries::new();
        libraries.add_simple_tag("zeta", "a");
        libraries.add_simple_tag("alpha", "b");
        libraries.add_simple_tag("alpha", "c");
        assert_eq!(libraries.names().collect::<Vec<_>>(), ["alpha", "zeta"]);
        assert_eq!(libraries.tags("alpha").map(BTreeSet::len), Some(2));
        assert!(libraries.tags("beta").is_none());
    }

    #[test]
    fn no_host_refuses_every_call() {
        let err = NoHost
            .call_simple_tag("lib", "tag", Vec::new(), Vec::new())
            .err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Render));
    }
}
