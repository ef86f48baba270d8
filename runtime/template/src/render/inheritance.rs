//! Rendering template inheritance and inclusion: `{% extends %}`, `{% block %}` with
//! `{{ block.super }}`, and `{% include %}`, following Django's `loader_tags`.

use std::sync::Arc;

use super::scope::Scope;
use super::{located, node_key, Renderer, BLOCK};
use crate::compiler::ast::{BlockNode, ExtendsNode, IncludeNode};
use crate::compiler::relative_path;
use crate::error::Error;
use crate::template::Template;
use crate::value::{to_repr, Object, Value};

/// A block and the template it belongs to (for its errors).
type BlockRef = (Template, Arc<BlockNode>);

/// Django's `BlockContext`: for each block name, the blocks of the inheritance chain, the
/// most derived last. One list for all names (a page has a few blocks, and one list is one
/// allocation): the entries of a name keep the order Django's list for that name has.
#[derive(Default)]
pub(crate) struct BlockContext {
    blocks: Vec<(Arc<str>, BlockRef)>,
}

impl BlockContext {
    /// Adds the blocks of one template below those already known (parents come later).
    fn add_blocks(&mut self, template: &Template) {
        let below = template
            .blocks()
            .iter()
            .map(|(name, block)| (name.clone(), (template.clone(), block.clone())));
        self.blocks.splice(0..0, below);
    }

    fn pop(&mut self, name: &str) -> Option<BlockRef> {
        let index = self
            .blocks
            .iter()
            .rposition(|(known, _)| &**known == name)?;
        Some(self.blocks.remove(index).1)
    }

    fn push(&mut self, name: &Arc<str>, block: BlockRef) {
        self.blocks.push((name.clone(), block));
    }

    fn has_block(&self, name: &str) -> bool {
        self.blocks.iter().any(|(known, _)| &**known == name)
    }
}

/// The `block` variable inside `{% block %}`: `{{ block.super }}` renders the parent's
/// version of the block.
#[derive(Debug)]
pub(crate) struct BlockVar {
    name: Arc<str>,
    template: Template,
    node: Arc<BlockNode>,
    /// Whether the block renders inside inheritance (Django's `block.context` is set).
    inherited: bool,
}

impl Object for BlockVar {
    fn lookup(&self, segment: &str) -> Result<Option<Value>, Error> {
        match segment {
            "name" => Ok(Some(Value::from(&*self.name))),
            _ => Err(Error::unsupported(format!(
                "the attribute '{segment}' of a block node"
            ))),
        }
    }

    fn iterate(&self) -> Result<Option<Vec<Value>>, Error> {
        Err(Error::unsupported("iterating a block node"))
    }

    fn length(&self) -> Result<Option<usize>, Error> {
        Ok(None)
    }

    fn is_true(&self) -> Result<bool, Error> {
        Ok(true)
    }

    fn to_text(&self) -> Result<(String, bool), Error> {
        Err(Error::unsupported("printing a block node"))
    }
}

impl Renderer<'_> {
    /// `{% block %}`: the most derived version of the block, as Django's `BlockNode.render`.
    pub(super) fn block_tag(
        &mut self,
        template: &Template,
        node: &Arc<BlockNode>,
        out: &mut String,
    ) -> Result<(), Error> {
        self.render_block((template.clone(), node.clone()), out)
    }

    fn render_block(&mut self, own: BlockRef, out: &mut String) -> Result<(), Error> {
        let name = own.1.name.clone();
        self.scope.push();
        let block_name = BLOCK.clone();
        let result = match self.state().blocks.as_mut() {
            None => {
                let var = BlockVar {
                    name: name.clone(),
                    template: own.0.clone(),
                    node: own.1.clone(),
                    inherited: false,
                };
                self.scope.set(&block_name, Value::from_object(var));
                self.render_nodes(&own.0, &own.1.body, out)
            }
            Some(blocks) => {
                let popped = blocks.pop(&name);
                let (template, node) = popped.clone().unwrap_or(own);
                let var = BlockVar {
                    name: name.clone(),
                    template: template.clone(),
                    node: node.clone(),
                    inherited: true,
                };
                self.scope.set(&block_name, Value::from_object(var));
                let result = self.render_nodes(&template, &node.body, out);
                if let Some(popped) = popped {
                    if let Some(blocks) = self.state().blocks.as_mut() {
                        blocks.push(&name, popped);
                    }
                }
                result
            }
        };
        self.scope.pop();
        result
    }

    /// A member of the `block` variable: `super` renders the parent block.
    pub(super) fn block_member(
        &mut self,
        block: &BlockVar,
        segment: &str,
    ) -> Result<Option<Value>, Error> {
        if segment != "super" {
            return block.lookup(segment);
        }
        if !block.inherited {
            return Err(Error::syntax(
                "'BlockNode' object has no attribute 'context'. Did you use {{ block.super }} \
                 in a base template?",
            ));
        }
        let has_parent = self
            .state()
            .blocks
            .as_ref()
            .is_some_and(|blocks| blocks.has_block(&block.name));
        if !has_parent {
            return Ok(Some(Value::from("")));
        }
        if self.depth >= self.options.max_template_depth {
            return Err(Error::render(
                "maximum recursion depth exceeded while rendering {{ block.super }}",
            ));
        }
        self.depth += 1;
        let mut rendered = String::with_capacity(128);
        let result = self.render_block((block.template.clone(), block.node.clone()), &mut rendered);
        self.depth -= 1;
        result?;
        Ok(Some(Value::safe_str(rendered)))
    }

    /// `{% extends %}`: renders the parent with this template's blocks in place.
    pub(super) fn extends_tag(
        &mut self,
        template: &Template,
        node: &ExtendsNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let parent = self
            .find_parent(template, node)
            .map_err(located(template, node.span))?;
        let state = self.state();
        let blocks = state.blocks.get_or_insert_with(BlockContext::default);
        blocks.add_blocks(template);
        if !parent.extends_first() {
            blocks.add_blocks(&parent);
        }
        if self.depth >= self.options.max_template_depth {
            return Err(located(template, node.span)(Error::render(
                "maximum recursion depth exceeded while rendering {% extends %}",
            )));
        }
        self.depth += 1;
        let result = self.render_nodes(&parent, parent.nodes(), out);
        self.depth -= 1;
        result
    }

    fn find_parent(&mut self, template: &Template, node: &ExtendsNode) -> Result<Template, Error> {
        let parent = self.eval_expression(&node.parent, false)?;
        if !parent.is_true()? {
            let mut message = format!(
                "Invalid template name in 'extends' tag: {}.",
                to_repr(&parent)?
            );
            if node.parent_is_variable {
                message.push_str(&format!(
                    " Got this from the '{}' variable.",
                    node.parent.token
                ));
            }
            return Err(Error::syntax(message));
        }
        let Value::Str(name, _) = parent else {
            return Err(Error::unsupported(
                "{% extends %} with a template object or a non-string name",
            ));
        };
        let host = self.host;
        let history = self
            .state()
            .extends_history
            .get_or_insert_with(|| template.origin_arc().into_iter().collect());
        let found = node
            .found
            .find(host, std::slice::from_ref(&name), history, || {
                Ok(vec![name.to_string()])
            })?;
        history.extend(found.origin_arc());
        Ok(found)
    }

    /// `{% include %}`: another template rendered here, with this context or only `with`.
    pub(super) fn include_tag(
        &mut self,
        template: &Template,
        node: &IncludeNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let included = self
            .find_included(template, node)
            .map_err(located(template, node.span))?;
        let mut values = Vec::with_capacity(node.extra.len());
        for (name, expression) in &node.extra {
            let value = self
                .eval_expression(expression, false)
                .map_err(located(template, node.span))?;
            values.push((name.clone(), value));
        }
        if node.only {
            let saved = std::mem::replace(&mut self.scope, Scope::isolated(values));
            let result = self.render_template(&included, out);
            self.scope = saved;
            result
        } else {
            self.scope.push_frame(values);
            let result = self.render_template(&included, out);
            self.scope.pop();
            result
        }
    }

    fn find_included(
        &mut self,
        template: &Template,
        node: &IncludeNode,
    ) -> Result<Template, Error> {
        let value = self.eval_expression(&node.template, false)?;
        let asked: Vec<Arc<str>> = match &value {
            Value::Str(name, _) if !name.is_empty() => vec![name.clone()],
            Value::List(items) => items
                .iter()
                .map(|item| match item {
                    Value::Str(name, _) => Ok(name.clone()),
                    _ => Err(Error::unsupported(
                        "{% include %} of a list holding non-strings",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Value::Object(_) => {
                return Err(Error::unsupported("{% include %} of a template object"));
            }
            other if !other.is_true()? => Vec::new(),
            other => {
                return Err(Error::unsupported(format!(
                    "{{% include %}} of a '{}' value",
                    other.type_name()
                )))
            }
        };
        let names = || -> Result<Vec<String>, Error> {
            match (&value, asked.as_slice()) {
                (Value::Str(..), [name]) => {
                    Ok(vec![relative_path(template.template_name(), name, true)?])
                }
                _ => Ok(asked.iter().map(|name| name.to_string()).collect()),
            }
        };
        if self.host.loader_generation().is_some() {
            return node.found.find(self.host, &asked, &[], names);
        }
        // Loaders that read templates again (debug): once per render, as Django does.
        let names = names()?;
        let key = (node_key(node), names.clone());
        if let Some(found) = self.include_cache.get(&key) {
            return Ok(found.clone());
        }
        let found = self.host.get_template(&names, &[])?;
        self.include_cache.insert(key, found.clone());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::host::{Host, TagCall};
    use crate::library::Libraries;

    use std::collections::HashMap;

    /// A host with a few named templates.
    struct Templates(HashMap<&'static str, &'static str>);

    impl Host for Templates {
        fn call_simple_tag(&self, _: TagCall<'_>) -> Result<Value, Error> {
            Err(Error::render("no tags"))
        }

        fn get_template(&self, names: &[String], skip: &[Arc<str>]) -> Result<Template, Error> {
            for name in names {
                let origin = format!("/t/{name}");
                if skip.iter().any(|s| **s == *origin) {
                    continue;
                }
                if let Some(source) = self.0.get(name.as_str()) {
                    return Template::parse_from(name, Some(&origin), source, &Libraries::new());
                }
            }
            Err(Error::render(format!(
                "TemplateDoesNotExist: {}",
                names.join(", ")
            )))
        }
    }

    fn render(templates: &[(&'static str, &'static str)], name: &str) -> String {
        let host = Templates(templates.iter().copied().collect());
        let context: Context = [("x", Value::from("<x>"))].into_iter().collect();
        host.get_template(&[name.to_owned()], &[])
            .and_then(|t| t.render(&context, &host))
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn blocks_override_and_super_reaches_the_parent() {
        let templates = [
            ("base.html", "[{% block a %}A{% endblock %}|{% block b %}B{% endblock %}]"),
            ("mid.html", "{% extends 'base.html' %}{% block a %}M{{ block.super }}{% endblock %}"),
            ("leaf.html", "{% extends 'mid.html' %}ignored{% block a %}L{{ block.super }}{{ x }}{% endblock %}"),
        ];
        assert_eq!(render(&templates, "leaf.html"), "[LMA&lt;x&gt;|B]");
        assert_eq!(render(&templates, "base.html"), "[A|B]");
    }

    #[test]
    fn super_in_a_base_template_is_an_error() {
        let templates = [("base.html", "{% block a %}{{ block.super }}{% endblock %}")];
        assert!(render(&templates, "base.html").contains("Did you use {{ block.super }}"));
    }

    #[test]
    fn includes_see_the_context_unless_only() {
        let templates = [
            (
                "page.html",
                "{% include 'part.html' with y=1 %}/{% include 'part.html' with y=2 only %}",
            ),
            ("part.html", "{{ x }}{{ y }}"),
        ];
        assert_eq!(render(&templates, "page.html"), "&lt;x&gt;1/2");
    }

    #[test]
    fn a_template_extending_its_own_name_skips_itself() {
        let templates = [("self.html", "{% extends 'self.html' %}")];
        assert!(render(&templates, "self.html").starts_with("error: TemplateDoesNotExist"));
    }

    #[test]
    fn endless_includes_stop() {
        let templates = [("loop.html", "{% include 'loop.html' %}")];
        assert!(render(&templates, "loop.html").contains("maximum recursion depth"));
    }
}
