//! A compiled template: parse once, render many times, from any thread.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use crate::compiler::{self, ast};
use crate::context::Context;
use crate::error::Error;
use crate::host::Host;
use crate::library::Libraries;
use crate::options::RenderOptions;
use crate::render;

/// A compiled template. Clones are cheap and share the compiled form.
#[derive(Clone, Debug)]
pub struct Template {
    inner: Arc<Compiled>,
}

/// A template that may have been dropped since (what `{% include %}` keeps of what it found).
pub(crate) struct WeakTemplate(Weak<Compiled>);

impl WeakTemplate {
    pub(crate) fn upgrade(&self) -> Option<Template> {
        self.0.upgrade().map(|inner| Template { inner })
    }
}

#[derive(Debug)]
struct Compiled {
    name: String,
    origin: Option<Arc<str>>,
    source: String,
    nodes: Vec<ast::Node>,
    /// Every `{% block %}` of the template, nested ones included, by name.
    blocks: HashMap<Arc<str>, Arc<ast::BlockNode>>,
    /// Whether the first node that is not text is `{% extends %}`.
    extends: bool,
    /// How long the last render's output was: the next one reserves that much up front
    /// instead of growing (and copying) its buffer over and over.
    last_output_len: AtomicUsize,
}

impl Template {
    /// Parses `source`; `name` appears in errors. `libraries` are those `{% load %}` accepts.
    pub fn parse(name: &str, source: &str, libraries: &Libraries) -> Result<Template, Error> {
        Template::parse_from(name, None, source, libraries)
    }

    /// Parses `source` found by a loader at `origin` (what `{% extends %}` skips when the
    /// parent has the same name as the child, and what debug pages show).
    pub fn parse_from(
        name: &str,
        origin: Option<&str>,
        source: &str,
        libraries: &Libraries,
    ) -> Result<Template, Error> {
        let nodes = compiler::compile(name, source, libraries)?;
        let mut blocks = HashMap::new();
        ast::walk(&nodes, &mut |node| {
            if let ast::Node::Block(block) = node {
                blocks.insert(block.name.clone(), block.clone());
            }
        });
        let extends = nodes
            .iter()
            .find(|node| !matches!(node, ast::Node::Text(_)))
            .is_some_and(|node| matches!(node, ast::Node::Extends(_)));
        Ok(Template {
            inner: Arc::new(Compiled {
                name: name.to_owned(),
                origin: origin.map(Arc::from),
                source: source.to_owned(),
                nodes,
                blocks,
                extends,
                last_output_len: AtomicUsize::new(0),
            }),
        })
    }

    /// The name given to `parse`.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Where a loader found the template, if it was loaded.
    pub fn origin(&self) -> Option<&str> {
        self.inner.origin.as_deref()
    }

    /// The source text the template was parsed from.
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Renders with `context` and Django's default options; `host` runs what only it can.
    pub fn render(&self, context: &Context, host: &dyn Host) -> Result<String, Error> {
        self.render_with(context, host, &RenderOptions::default())
    }

    /// Renders with `context` and `options`.
    pub fn render_with(
        &self,
        context: &Context,
        host: &dyn Host,
        options: &RenderOptions,
    ) -> Result<String, Error> {
        render::render(self, context, host, options)
    }

    /// The capacity to reserve for an output: the last render's length, or a guess.
    pub(crate) fn output_capacity(&self) -> usize {
        let last = self.inner.last_output_len.load(Ordering::Relaxed);
        last.max(self.inner.source.len() + 256)
    }

    pub(crate) fn record_output_len(&self, len: usize) {
        self.inner.last_output_len.store(len, Ordering::Relaxed);
    }

    pub(crate) fn nodes(&self) -> &[ast::Node] {
        &self.inner.nodes
    }

    pub(crate) fn blocks(&self) -> &HashMap<Arc<str>, Arc<ast::BlockNode>> {
        &self.inner.blocks
    }

    pub(crate) fn extends_first(&self) -> bool {
        self.inner.extends
    }

    pub(crate) fn downgrade(&self) -> WeakTemplate {
        WeakTemplate(Arc::downgrade(&self.inner))
    }

    pub(crate) fn origin_arc(&self) -> Option<Arc<str>> {
        self.inner.origin.clone()
    }

    /// The template name `{% include %}` resolves relative names against (`None` for a
    /// template made from a string).
    pub(crate) fn template_name(&self) -> Option<&str> {
        let name = self.name();
        (!name.is_empty() && !name.starts_with('<')).then_some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::NoHost;
    use crate::value::Value;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn templates_can_be_shared_across_threads() {
        assert_send_sync::<Template>();
        let template = Template::parse("t", "{{ x }}!", &Libraries::new());
        let Ok(template) = template else {
            panic!("parses");
        };
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let template = template.clone();
                std::thread::spawn(move || {
                    let context: Context = [("x", Value::Int(i))].into_iter().collect();
                    template.render(&context, &NoHost).ok()
                })
            })
            .collect();
        for (i, handle) in handles.into_iter().enumerate() {
            assert_eq!(handle.join().ok().flatten(), Some(format!("{i}!")));
        }
        assert_eq!(template.name(), "t");
        assert_eq!(template.source(), "{{ x }}!");
        assert!(template.origin().is_none());
    }

    #[test]
    fn blocks_are_collected_at_any_depth() {
        let source = "{% extends 'b' %}{% block a %}{% if x %}{% block b %}{% endblock %}{% endif %}{% endblock %}";
        let template = Template::parse_from("c.html", Some("/t/c.html"), source, &Libraries::new());
        let Ok(template) = template else {
            panic!("parses");
        };
        let mut names: Vec<&str> = template.blocks().keys().map(|k| &**k).collect();
        names.sort_unstable();
        assert_eq!(names, ["a", "b"]);
        assert!(template.extends_first());
        assert_eq!(template.origin(), Some("/t/c.html"));
    }
}
