//! The renderer: walks the nodes of a template with a context and writes the output.

mod condition;
mod expression;
mod scope;

use std::sync::Arc;

use crate::compiler::ast::{ForNode, IfNode, Node, SimpleTagNode, VariableNode};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Span};
use crate::library::Host;
use crate::value::{escape_into, to_output, to_text, LoopObject, Map, Value};
use scope::Scope;

/// Renders `nodes` of the template `name` (whose source is `source`).
pub(crate) fn render(
    name: &str,
    source: &str,
    nodes: &[Node],
    context: &Context,
    host: &dyn Host,
) -> Result<String, Error> {
    let mut renderer = Renderer {
        name,
        source,
        host,
        scope: Scope::new(context),
        forloop: Arc::from("forloop"),
        empty: Arc::from(""),
    };
    let mut out = String::with_capacity(source.len());
    renderer.render_nodes(nodes, &mut out)?;
    Ok(out)
}

/// The state of one render.
pub(crate) struct Renderer<'a> {
    name: &'a str,
    source: &'a str,
    host: &'a dyn Host,
    scope: Scope<'a>,
    /// The name `forloop`, allocated once per render.
    forloop: Arc<str>,
    /// The empty string, Django's default `string_if_invalid`.
    empty: Arc<str>,
}

impl Renderer<'_> {
    fn render_nodes(&mut self, nodes: &[Node], out: &mut String) -> Result<(), Error> {
        for node in nodes {
            match node {
                Node::Text(range) => out.push_str(self.source.get(range.clone()).unwrap_or("")),
                Node::Variable(node) => self.variable(node, out)?,
                Node::If(node) => self.if_tag(node, out)?,
                Node::For(node) => self.for_tag(node, out)?,
                Node::SimpleTag(node) => self.simple_tag(node, out)?,
            }
        }
        Ok(())
    }

    /// Records where an error happened, unless an inner node already did.
    fn locate(&self, span: Span) -> impl FnOnce(Error) -> Error + '_ {
        move |error| error.located(self.name, self.source, span)
    }

    /// `{{ expression }}`: Django's `render_value_in_context` with autoescaping on.
    fn variable(&mut self, node: &VariableNode, out: &mut String) -> Result<(), Error> {
        let value = self
            .eval_expression(&node.expression, false)
            .map_err(self.locate(node.span))?;
        let (text, safe) = to_output(&value).map_err(self.locate(node.span))?;
        write_escaped(out, &text, safe);
        Ok(())
    }

    /// `{% if %}`: the first branch whose condition is true renders.
    fn if_tag(&mut self, node: &IfNode, out: &mut String) -> Result<(), Error> {
        for (condition, body) in &node.branches {
            let matched = match condition {
                None => true,
                Some(condition) => match self.eval_condition(condition) {
                    Ok(value) => value.is_true().map_err(self.locate(node.span))?,
                    Err(error) if error.kind() == ErrorKind::VariableDoesNotExist => false,
                    Err(error) => return Err(self.locate(node.span)(error)),
                },
            };
            if matched {
                return self.render_nodes(body, out);
            }
        }
        Ok(())
    }

    /// `{% for %}`: Django's `ForNode.render`, with its `forloop` and scoping.
    fn for_tag(&mut self, node: &ForNode, out: &mut String) -> Result<(), Error> {
        let parentloop = self
            .scope
            .get("forloop")
            .cloned()
            .unwrap_or_else(|| Value::from(Map::new()));
        self.scope.push();
        let result = self.for_loop(node, parentloop, out);
        self.scope.pop();
        result.map_err(self.locate(node.span))
    }

    fn for_loop(
        &mut self,
        node: &ForNode,
        parentloop: Value,
        out: &mut String,
    ) -> Result<(), Error> {
        let sequence = self.eval_expression(&node.sequence, true)?;
        let mut items = match sequence {
            Value::None => Vec::new(),
            other => other.iterate()?.ok_or_else(|| {
                Error::render(format!("'{}' object is not iterable", other.type_name()))
            })?,
        };
        if items.is_empty() {
            return self.render_nodes(&node.empty, out);
        }
        if node.reversed {
            items.reverse();
        }
        let length = items.len();
        for (counter0, item) in items.into_iter().enumerate() {
            let forloop = LoopObject {
                parentloop: parentloop.clone(),
                counter0,
                length,
            };
            self.scope
                .set(&self.forloop.clone(), Value::from_object(forloop));
            match node.targets.as_slice() {
                [target] => {
                    self.scope.set(target, item);
                    self.render_nodes(&node.body, out)?;
                }
                targets => {
                    let parts = unpack(&item, targets.len())?;
                    // Django pushes the unpacked names for each iteration and pops them after.
                    self.scope.push();
                    for (target, part) in targets.iter().zip(parts) {
                        self.scope.set(target, part);
                    }
                    let result = self.render_nodes(&node.body, out);
                    self.scope.pop();
                    result?;
                }
            }
        }
        Ok(())
    }

    /// A simple tag: resolve the arguments, call the host, output (escaped) or assign.
    fn simple_tag(&mut self, node: &SimpleTagNode, out: &mut String) -> Result<(), Error> {
        let value = self.call_simple_tag(node).map_err(self.locate(node.span))?;
        match &node.target {
            Some(target) => self.scope.set(target, value),
            None => {
                // conditional_escape(output): str() of the value, escaped unless safe.
                let (text, safe) = to_text(&value).map_err(self.locate(node.span))?;
                write_escaped(out, &text, safe);
            }
        }
        Ok(())
    }

    fn call_simple_tag(&self, node: &SimpleTagNode) -> Result<Value, Error> {
        let mut args = Vec::with_capacity(node.args.len());
        for arg in &node.args {
            args.push(self.eval_expression(arg, false)?);
        }
        let mut kwargs = Vec::with_capacity(node.kwargs.len());
        for (key, arg) in &node.kwargs {
            kwargs.push((key.to_string(), self.eval_expression(arg, false)?));
        }
        self.host
            .call_simple_tag(&node.library, &node.name, args, kwargs)
    }
}

/// The parts of one item of a `{% for a, b in ... %}` loop, as Django unpacks them.
fn unpack(item: &Value, count: usize) -> Result<Vec<Value>, Error> {
    // Django takes a value without len() to have length 1.
    let length = item.length()?.unwrap_or(1);
    if length != count {
        return Err(Error::render(format!(
            "Need {count} values to unpack in for loop; got {length}. "
        )));
    }
    item.iterate()?
        .ok_or_else(|| Error::render(format!("'{}' object is not iterable", item.type_name())))
}

fn write_escaped(out: &mut String, text: &str, safe: bool) {
    if safe {
        out.push_str(text);
    } else {
        escape_into(out, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Libraries, NoHost};
    use crate::template::Template;

    fn run(source: &str, context: &Context) -> Result<String, Error> {
        Template::parse("t", source, &Libraries::new())?.render(context, &NoHost)
    }

    fn list(items: Vec<Value>) -> Value {
        Value::from(items)
    }

    #[test]
    fn unpack_checks_lengths_like_django() {
        let pair = list(vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(unpack(&pair, 2).map(|parts| parts.len()).ok(), Some(2));
        let text = Value::from("ab");
        assert_eq!(unpack(&text, 2).map(|parts| parts.len()).ok(), Some(2));
        let error = unpack(&Value::Int(1), 2).err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("Need 2 values to unpack in for loop; got 1. ")
        );
    }

    #[test]
    fn escaping_applies_only_to_unsafe_text() {
        let mut out = String::new();
        write_escaped(&mut out, "<a>", false);
        write_escaped(&mut out, "<b>", true);
        assert_eq!(out, "&lt;a&gt;<b>");
    }

    #[test]
    fn loop_variables_do_not_leak_out_of_the_loop() {
        let context: Context = [("l", list(vec![Value::Int(1)]))].into_iter().collect();
        let out = run(
            "{% for x in l %}{{ x }}{% endfor %}[{{ x }}][{{ forloop }}]",
            &context,
        );
        assert_eq!(out.ok().as_deref(), Some("1[][]"));
    }

    #[test]
    fn render_errors_point_at_the_failing_tag() {
        let context: Context = [("n", Value::Int(1))].into_iter().collect();
        let error = run("a\n {% for x in n %}{% endfor %}", &context).err();
        let located = error.map(|e| (e.kind(), e.line(), e.column()));
        assert_eq!(located, Some((ErrorKind::Render, Some(2), Some(2))));
    }
}
