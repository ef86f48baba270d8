//! What `{% include %}` and `{% extends %}` found, kept on the node. While the host's loaders
//! keep what they found (Django's cached loader, outside debug), the same names give the same
//! template, and asking the host again costs more than rendering a small template.

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::host::Host;
use crate::template::{Template, WeakTemplate};

/// The template a node found last, and what it asked for. Weak: a template that includes
/// itself must not keep itself alive.
#[derive(Default)]
pub(crate) struct FoundTemplate {
    last: Mutex<Option<Found>>,
}

struct Found {
    generation: u64,
    /// The names the template asked for (before relative names were resolved).
    asked: Vec<Arc<str>>,
    skip: Vec<Arc<str>>,
    template: WeakTemplate,
}

impl FoundTemplate {
    /// The template for `asked` skipping the origins in `skip`: the one found last time if
    /// the host's loaders have not changed since, else the host's answer for `names()`.
    pub(crate) fn find(
        &self,
        host: &dyn Host,
        asked: &[Arc<str>],
        skip: &[Arc<str>],
        names: impl FnOnce() -> Result<Vec<String>, Error>,
    ) -> Result<Template, Error> {
        let Some(generation) = host.loader_generation() else {
            return host.get_template(&names()?, skip);
        };
        if let Ok(last) = self.last.lock() {
            let kept = last.as_ref().filter(|found| {
                found.generation == generation
                    && same_names(&found.asked, asked)
                    && same_names(&found.skip, skip)
            });
            if let Some(template) = kept.and_then(|found| found.template.upgrade()) {
                return Ok(template);
            }
        }
        let template = host.get_template(&names()?, skip)?;
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Found {
                generation,
                asked: asked.to_vec(),
                skip: skip.to_vec(),
                template: template.downgrade(),
            });
        }
        Ok(template)
    }
}

fn same_names(a: &[Arc<str>], b: &[Arc<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
}

impl fmt::Debug for FoundTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FoundTemplate")
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    use super::*;
    use crate::context::Context;
    use crate::host::TagCall;
    use crate::library::Libraries;
    use crate::value::Value;

    /// A host whose loaders keep what they found, for as long as `generation` stays.
    #[derive(Default)]
    struct Loaders {
        generation: Cell<u64>,
        asked: Cell<usize>,
        kept: RefCell<HashMap<String, Template>>,
    }

    impl Host for Loaders {
        fn call_simple_tag(&self, _: TagCall<'_>) -> Result<Value, Error> {
            Err(Error::render("no tags"))
        }

        fn loader_generation(&self) -> Option<u64> {
            Some(self.generation.get())
        }

        fn get_template(&self, names: &[String], _: &[Arc<str>]) -> Result<Template, Error> {
            self.asked.set(self.asked.get() + 1);
            let name = names.first().cloned().unwrap_or_default();
            if let Some(kept) = self.kept.borrow().get(&name) {
                return Ok(kept.clone());
            }
            let source = match name.as_str() {
                "base.html" => "<{% block a %}A{% endblock %}|{% include 'part.html' %}>",
                "part.html" => "part",
                _ => return Err(Error::render(format!("TemplateDoesNotExist: {name}"))),
            };
            let template = Template::parse_from(
                &name,
                Some(&format!("/t/{name}")),
                source,
                &Libraries::new(),
            )?;
            self.kept.borrow_mut().insert(name, template.clone());
            Ok(template)
        }
    }

    #[test]
    fn nodes_ask_again_only_when_the_loaders_change() {
        let page = "{% extends 'base.html' %}{% block a %}B{% include 'part.html' %}{% endblock %}";
        let page = Template::parse_from("page.html", Some("/t/page.html"), page, &Libraries::new());
        let Ok(page) = page else {
            panic!("parses");
        };
        let host = Loaders::default();
        let render = || page.render(&Context::new(), &host).unwrap_or_default();
        assert_eq!(render(), "<Bpart|part>");
        assert_eq!(host.asked.get(), 3, "the parent and two includes");
        assert_eq!(render(), "<Bpart|part>");
        assert_eq!(host.asked.get(), 3, "nothing asked again");
        host.generation.set(2);
        host.kept.borrow_mut().clear();
        assert_eq!(render(), "<Bpart|part>");
        assert_eq!(host.asked.get(), 6, "asked again once the loaders changed");
        // What a node found is not kept alive by the node: once the loaders let it go, it
        // is asked for again.
        host.kept.borrow_mut().clear();
        assert_eq!(render(), "<Bpart|part>");
        assert_eq!(host.asked.get(), 9);
    }
}
