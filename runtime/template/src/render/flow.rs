//! Rendering the tags that shape output: `if`, `for`, `ifchanged`, `cycle`, `firstof`,
//! `with`, `regroup`, `filter`, `spaceless`.

use std::sync::Arc;

use super::{located, node_key, Renderer, Seen, FORLOOP};
use crate::compiler::ast::{
    CycleNode, FilterNode, FirstOfNode, ForNode, IfChangedNode, IfNode, Node, RegroupNode, WithNode,
};
use crate::compiler::{is_py_space, py_strip};
use crate::error::{Error, ErrorKind, PythonException};
use crate::template::Template;
use crate::value::{compare, CompareOp, GroupedResult, LoopObject, Map, Value};

impl Renderer<'_> {
    /// `{% if %}`: the first branch whose condition is true renders.
    pub(super) fn if_tag(
        &mut self,
        template: &Template,
        node: &IfNode,
        out: &mut String,
    ) -> Result<(), Error> {
        for (condition, body) in &node.branches {
            let matched = match condition {
                None => true,
                Some(condition) => match self.condition_holds(condition) {
                    Ok(truth) => truth,
                    Err(error) if error.kind() == ErrorKind::VariableDoesNotExist => false,
                    Err(error) => return Err(located(template, node.span)(error)),
                },
            };
            if matched {
                return self.render_nodes(template, body, out);
            }
        }
        Ok(())
    }

    /// `{% for %}`: Django's `ForNode.render`, with its `forloop` and scoping.
    pub(super) fn for_tag(
        &mut self,
        template: &Template,
        node: &ForNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let parentloop = if node.needs_forloop {
            self.scope
                .get("forloop")
                .map_err(located(template, node.span))?
                .unwrap_or_else(|| Value::from(Map::default()))
        } else {
            Value::None
        };
        self.scope.push();
        let result = self.for_loop(template, node, parentloop, out);
        self.scope.pop();
        result.map_err(located(template, node.span))
    }

    fn for_loop(
        &mut self,
        template: &Template,
        node: &ForNode,
        parentloop: Value,
        out: &mut String,
    ) -> Result<(), Error> {
        let sequence = self.eval_expression(&node.sequence, true)?;
        // A list is iterated in place (no copy of its items); anything else is listed first.
        let items: Arc<Vec<Value>> = match sequence {
            Value::None => Arc::new(Vec::new()),
            Value::List(items) => items,
            other => Arc::new(other.iterate()?.ok_or_else(|| not_iterable(&other))?),
        };
        if items.is_empty() {
            return self.render_nodes(template, &node.empty, out);
        }
        self.loop_runs += 1;
        let run = self.loop_runs;
        let length = items.len();
        let forloop = FORLOOP.clone();
        for counter0 in 0..length {
            let index = if node.reversed {
                length - 1 - counter0
            } else {
                counter0
            };
            let Some(item) = items.get(index).cloned() else {
                break;
            };
            if node.needs_forloop {
                let loop_object = LoopObject {
                    parentloop: parentloop.clone(),
                    counter0,
                    length,
                    run,
                };
                self.scope.set(&forloop, Value::from_object(loop_object));
            }
            match node.targets.as_slice() {
                [target] => {
                    self.scope.set(target, item);
                    self.render_nodes(template, &node.body, out)?;
                }
                targets => {
                    let parts = unpack(&item, targets.len())?;
                    // Django pushes the unpacked names for each iteration and pops them after.
                    let frame = targets.iter().cloned().zip(parts).collect();
                    self.scope.push_frame(frame);
                    let result = self.render_nodes(template, &node.body, out);
                    self.scope.pop();
                    result?;
                }
            }
        }
        Ok(())
    }

    /// `{% ifchanged %}`: renders when its values (or its output) differ from the last time
    /// in this run of the enclosing loop.
    pub(super) fn ifchanged_tag(
        &mut self,
        template: &Template,
        node: &IfChangedNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let key = node_key(node);
        let run = match self
            .scope
            .get("forloop")
            .map_err(located(template, node.span))?
        {
            None => None,
            Some(Value::Object(object)) => match object.as_any().downcast_ref::<LoopObject>() {
                Some(forloop) => Some(forloop.run),
                None => {
                    return Err(Error::unsupported(
                        "{% ifchanged %} with a 'forloop' variable that is not a loop",
                    ))
                }
            },
            Some(_) => {
                return Err(Error::unsupported(
                    "{% ifchanged %} with a 'forloop' variable that is not a loop",
                ))
            }
        };
        let mut rendered = None;
        let seen = if node.values.is_empty() {
            let mut body = String::new();
            self.render_nodes(template, &node.body, &mut body)?;
            rendered = Some(body.clone());
            Seen::Output(body)
        } else {
            let mut values = Vec::with_capacity(node.values.len());
            for expression in &node.values {
                values.push(
                    self.eval_expression(expression, true)
                        .map_err(located(template, node.span))?,
                );
            }
            Seen::Values(values)
        };
        let previous = match run {
            Some(run) => self.loop_changes.get(&(run, key)).cloned(),
            None => self.state().changes.get(&key).cloned(),
        };
        let changed = match (&previous, &seen) {
            (None, _) => true,
            (Some(Seen::Output(a)), Seen::Output(b)) => a != b,
            (Some(Seen::Values(a)), Seen::Values(b)) => {
                a.len() != b.len() || !all_equal(a, b).map_err(located(template, node.span))?
            }
            _ => true,
        };
        if changed {
            match run {
                Some(run) => {
                    self.loop_changes.insert((run, key), seen);
                }
                None => {
                    self.state().changes.insert(key, seen);
                }
            }
            // Django renders the body again when its output was empty.
            match rendered.filter(|body| !body.is_empty()) {
                Some(body) => out.push_str(&body),
                None => self.render_nodes(template, &node.body, out)?,
            }
        } else {
            self.render_nodes(template, &node.otherwise, out)?;
        }
        Ok(())
    }

    /// `{% cycle %}`: the next value, printed and/or stored.
    pub(super) fn cycle_tag(
        &mut self,
        node: &Arc<CycleNode>,
        out: &mut String,
    ) -> Result<(), Error> {
        let key = node_key(&**node);
        let count = node.values.len();
        if count == 0 {
            return Ok(());
        }
        let index = {
            let slot = self.state().cycles.entry(key).or_insert(0);
            let index = *slot % count;
            *slot = index + 1;
            index
        };
        let Some(expression) = node.values.get(index) else {
            return Ok(());
        };
        let value = self.eval_expression(expression, false)?;
        if let Some(target) = &node.target {
            self.scope.set_upward(target, value.clone())?;
        }
        if !node.silent {
            self.write_value(&value, out)?;
        }
        Ok(())
    }

    /// `{% firstof %}`: the first true value, rendered.
    pub(super) fn firstof_tag(
        &mut self,
        node: &FirstOfNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let mut first = Value::from("");
        for expression in &node.values {
            let value = self.eval_expression(expression, true)?;
            if value.is_true()? {
                let (text, safe) = self.value_text(&value)?;
                first = Value::Str(text.into(), safe.into());
                break;
            }
        }
        match &node.target {
            Some(target) => self.scope.set(target, first),
            None => {
                if let Value::Str(text, _) = &first {
                    out.push_str(text);
                }
            }
        }
        Ok(())
    }

    /// `{% with %}`: the body with extra variables.
    pub(super) fn with_tag(
        &mut self,
        template: &Template,
        node: &WithNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let mut frame = Vec::with_capacity(node.values.len());
        for (name, expression) in &node.values {
            let value = self
                .eval_expression(expression, false)
                .map_err(located(template, node.span))?;
            frame.push((name.clone(), value));
        }
        self.scope.push_frame(frame);
        let result = self.render_nodes(template, &node.body, out);
        self.scope.pop();
        result
    }

    /// `{% regroup %}`: consecutive items with equal keys, as `GroupedResult`s.
    pub(super) fn regroup_tag(&mut self, node: &RegroupNode) -> Result<(), Error> {
        let items = self.eval_expression(&node.target, true)?;
        if matches!(items, Value::None) {
            self.scope.set(&node.name, Value::from(Vec::new()));
            return Ok(());
        }
        let items = items.iterate()?.ok_or_else(|| not_iterable(&items))?;
        let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
        for item in items {
            self.scope.set(&node.name, item.clone());
            let key = self.eval_expression(&node.key, true)?;
            match groups.last_mut() {
                Some((last, members)) if compare(CompareOp::Eq, last, &key)? => {
                    members.push(item);
                }
                _ => groups.push((key, vec![item])),
            }
        }
        let grouped: Vec<Value> = groups
            .into_iter()
            .map(|(grouper, list)| {
                Value::from_object(GroupedResult {
                    grouper,
                    list: Value::from(list),
                })
            })
            .collect();
        self.scope.set(&node.name, Value::from(grouped));
        Ok(())
    }

    /// `{% filter %}`: the body's output through filters, printed as they return it.
    pub(super) fn filter_tag(
        &mut self,
        template: &Template,
        node: &FilterNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let mut body = String::new();
        self.render_nodes(template, &node.body, &mut body)?;
        self.scope
            .push_frame(vec![(Arc::from("var"), Value::safe_str(body))]);
        let result = self.eval_expression(&node.expression, false);
        self.scope.pop();
        match result.map_err(located(template, node.span))? {
            Value::Str(text, _) => {
                out.push_str(&text);
                Ok(())
            }
            // Django joins the node outputs and fails with TypeError on anything else.
            _ => Err(located(template, node.span)(Error::unsupported(
                "{% filter %} whose filters return something other than text",
            ))),
        }
    }

    /// `{% spaceless %}`: whitespace between tags removed.
    pub(super) fn spaceless_tag(
        &mut self,
        template: &Template,
        body: &[Node],
        out: &mut String,
    ) -> Result<(), Error> {
        let mut rendered = String::new();
        self.render_nodes(template, body, &mut rendered)?;
        out.push_str(&strip_spaces_between_tags(py_strip(&rendered)));
        Ok(())
    }
}

/// Django's `strip_spaces_between_tags`: `re.sub(r">\s+<", "><", value)`.
fn strip_spaces_between_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('>') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let trimmed = rest.trim_start_matches(is_py_space);
        if trimmed.len() < rest.len() && trimmed.starts_with('<') {
            rest = trimmed;
        }
    }
    out.push_str(rest);
    out
}

fn all_equal(a: &[Value], b: &[Value]) -> Result<bool, Error> {
    for (x, y) in a.iter().zip(b) {
        if !compare(CompareOp::Eq, x, y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The parts of one item of a `{% for a, b in ... %}` loop, as Django unpacks them.
fn unpack(item: &Value, count: usize) -> Result<Vec<Value>, Error> {
    // Django takes a value without len() to have length 1.
    let length = item.length()?.unwrap_or(1);
    if length != count {
        return Err(Error::render_as(
            PythonException::ValueError,
            format!("Need {count} values to unpack in for loop; got {length}. "),
        ));
    }
    item.iterate()?.ok_or_else(|| not_iterable(item))
}

/// Python's `TypeError` for `iter(value)`.
fn not_iterable(value: &Value) -> Error {
    Error::render_as(
        PythonException::TypeError,
        format!("'{}' object is not iterable", value.type_name()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_tags_are_removed() {
        assert_eq!(
            strip_spaces_between_tags("<a> \n <b>x </b>  y <c>"),
            "<a><b>x </b>  y <c>"
        );
        assert_eq!(strip_spaces_between_tags("> <"), "><");
    }
}
