//! A compiled template: parse once, render many times, from any thread.

use crate::compiler::{self, ast::Node};
use crate::context::Context;
use crate::error::Error;
use crate::library::{Host, Libraries};
use crate::render;

/// A compiled template.
#[derive(Debug)]
pub struct Template {
    name: String,
    source: String,
    nodes: Vec<Node>,
}

impl Template {
    /// Parses `source`; `name` appears in errors. `libraries` are those `{% load %}` accepts.
    pub fn parse(name: &str, source: &str, libraries: &Libraries) -> Result<Template, Error> {
        let nodes = compiler::compile(name, source, libraries)?;
        Ok(Template {
            name: name.to_owned(),
            source: source.to_owned(),
            nodes,
        })
    }

    /// The name given to `parse`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The source text the template was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Renders with `context`; `host` runs the simple tags of loaded libraries.
    pub fn render(&self, context: &Context, host: &dyn Host) -> Result<String, Error> {
        render::render(&self.name, &self.source, &self.nodes, context, host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::NoHost;
    use crate::value::Value;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn templates_can_be_shared_across_threads() {
        assert_send_sync::<Template>();
        let template = Template::parse("t", "{{ x }}!", &Libraries::new());
        let Ok(template) = template else {
            panic!("parses");
        };
        let template = std::sync::Arc::new(template);
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
    }
}
