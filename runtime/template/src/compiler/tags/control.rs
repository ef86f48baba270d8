//! Compiling the tags that shape output: `if`, `for`, `ifchanged`, `with`, `firstof`, `cycle`,
//! `resetcycle`, `regroup`, `autoescape`, `localize`, `filter`, `spaceless`, `templatetag`.

use std::sync::Arc;

use super::super::ast::{
    CycleNode, FilterNode, FirstOfNode, ForNode, IfChangedNode, IfNode, Node, RegroupNode,
    ScopedBody, WithNode,
};
use super::super::condition::parse_condition;
use super::super::expression::compile_filter;
use super::super::lexer::Token;
use super::super::literal::py_split;
use super::super::parser::Parser;
use super::token_kwargs;
use crate::error::Error;
use crate::value::py_repr_str;

/// Whether `nodes` hold a tag that can see variables its source does not name (an included
/// template, a tag taking the context, `ifchanged`'s per-loop state, inherited blocks).
fn reads_context(nodes: &[Node]) -> bool {
    let mut found = false;
    super::super::ast::walk(nodes, &mut |node| {
        found |= match node {
            Node::Include(_) | Node::IfChanged(_) | Node::Block(_) | Node::Extends(_) => true,
            Node::SimpleTag(tag) => tag.takes_context,
            _ => false,
        };
    });
    found
}

/// The names `{% templatetag %}` accepts and what each prints, in Django's order.
const TEMPLATETAGS: [(&str, &str); 8] = [
    ("openblock", "{%"),
    ("closeblock", "%}"),
    ("openvariable", "{{"),
    ("closevariable", "}}"),
    ("openbrace", "{"),
    ("closebrace", "}"),
    ("opencomment", "{#"),
    ("closecomment", "#}"),
];

impl<'s> Parser<'s, '_> {
    /// `{% if %}` ... `{% elif %}` ... `{% else %}` ... `{% endif %}`.
    pub(in crate::compiler) fn if_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let condition = parse_condition(bits.get(1..).unwrap_or(&[]), &self.filters)?;
        let (body, mut end) = self.parse_to_end(&["elif", "else", "endif"])?;
        let mut branches = vec![(Some(condition), body)];
        while end.contents.starts_with("elif") {
            let bits = self.split_contents(end.contents);
            let condition = parse_condition(bits.get(1..).unwrap_or(&[]), &self.filters)?;
            let (body, next) = self.parse_to_end(&["elif", "else", "endif"])?;
            branches.push((Some(condition), body));
            end = next;
        }
        if end.contents == "else" {
            let (body, next) = self.parse_to_end(&["endif"])?;
            branches.push((None, body));
            end = next;
        }
        if end.contents != "endif" {
            return Err(Error::syntax(format!(
                "Malformed template tag at line {}: \"{}\"",
                end.span.line, end.contents
            )));
        }
        Ok(Node::If(Box::new(IfNode {
            branches,
            span: token.span,
        })))
    }

    /// `{% for a, b in sequence reversed %}` ... `{% empty %}` ... `{% endfor %}`.
    pub(in crate::compiler) fn for_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let contents = token.contents;
        let bits = self.split_contents(contents);
        if bits.len() < 4 {
            return Err(Error::syntax(format!(
                "'for' statements should have at least four words: {contents}"
            )));
        }
        let reversed = bits.last() == Some(&"reversed");
        let in_index = bits.len() - if reversed { 3 } else { 2 };
        if bits.get(in_index) != Some(&"in") {
            return Err(Error::syntax(format!(
                "'for' statements should use the format 'for x in y': {contents}"
            )));
        }
        let names = bits.get(1..in_index).unwrap_or(&[]).join(" ");
        let mut targets = Vec::new();
        for name in names.split(',').map(|n| n.trim_matches(' ')) {
            if name.is_empty() || name.contains([' ', '"', '\'', '|']) {
                return Err(Error::syntax(format!(
                    "'for' tag received an invalid argument: {contents}"
                )));
            }
            targets.push(Arc::from(name));
        }
        let sequence =
            compile_filter(bits.get(in_index + 1).copied().unwrap_or(""), &self.filters)?;
        let (body, end) = self.parse_to_end(&["empty", "endfor"])?;
        let needs_forloop = self
            .source
            .get(token.span.end..end.span.start)
            .is_none_or(|text| text.contains("forloop"))
            || reads_context(&body);
        // Django takes any other end tag (even "empty x" or "endfor x") as the end.
        let empty = if end.contents == "empty" {
            self.parse_to_end(&["endfor"])?.0
        } else {
            Vec::new()
        };
        Ok(Node::For(Box::new(ForNode {
            targets,
            sequence,
            reversed,
            body,
            empty,
            needs_forloop,
            span: token.span,
        })))
    }

    /// `{% ifchanged a b %}` ... `{% else %}` ... `{% endifchanged %}`.
    pub(in crate::compiler) fn ifchanged_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let (body, end) = self.parse_to_end(&["else", "endifchanged"])?;
        let otherwise = if end.contents == "else" {
            self.parse_to_end(&["endifchanged"])?.0
        } else {
            Vec::new()
        };
        let values = bits
            .iter()
            .skip(1)
            .map(|bit| compile_filter(bit, &self.filters))
            .collect::<Result<_, _>>()?;
        Ok(Node::IfChanged(Box::new(IfChangedNode {
            values,
            body,
            otherwise,
            span: token.span,
        })))
    }

    /// `{% with a=b c=d %}` (or the legacy `{% with b as a %}`) ... `{% endwith %}`.
    pub(in crate::compiler) fn with_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let command = bits.first().copied().unwrap_or("with");
        let mut remaining: Vec<&str> = bits.get(1..).unwrap_or(&[]).to_vec();
        let values = token_kwargs(&mut remaining, &self.filters, true)?;
        if values.is_empty() {
            return Err(Error::syntax(format!(
                "{} expected at least one variable assignment",
                py_repr_str(command)
            )));
        }
        if let Some(first) = remaining.first() {
            return Err(Error::syntax(format!(
                "{} received an invalid token: {}",
                py_repr_str(command),
                py_repr_str(first)
            )));
        }
        let (body, _) = self.parse_to_end(&["endwith"])?;
        Ok(Node::With(Box::new(WithNode {
            values,
            body,
            span: token.span,
        })))
    }

    /// `{% firstof a b "c" as name %}`.
    pub(in crate::compiler) fn firstof_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let all = self.split_contents(token.contents);
        let mut bits = all.get(1..).unwrap_or(&[]);
        if bits.is_empty() {
            return Err(Error::syntax(
                "'firstof' statement requires at least one argument",
            ));
        }
        let mut target = None;
        if bits.len() >= 2 && bits.get(bits.len() - 2) == Some(&"as") {
            target = bits.last().map(|t| Arc::from(*t));
            bits = bits.get(..bits.len() - 2).unwrap_or(&[]);
        }
        let values = bits
            .iter()
            .map(|bit| compile_filter(bit, &self.filters))
            .collect::<Result<_, _>>()?;
        Ok(Node::FirstOf(Box::new(FirstOfNode {
            values,
            target,
            span: token.span,
        })))
    }

    /// `{% cycle a b %}`, `{% cycle a b as name [silent] %}`, or `{% cycle name %}`.
    pub(in crate::compiler) fn cycle_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let mut args = self.split_contents(token.contents);
        if args.len() < 2 {
            return Err(Error::syntax("'cycle' tag requires at least two arguments"));
        }
        if let [_, name] = args.as_slice() {
            if self.named_cycles.is_empty() {
                return Err(Error::syntax(format!(
                    "No named cycles in template. '{name}' is not defined"
                )));
            }
            return match self.named_cycles.get(*name) {
                Some(node) => Ok(Node::Cycle(node.clone())),
                None => Err(Error::syntax(format!(
                    "Named cycle '{name}' does not exist"
                ))),
            };
        }
        let mut as_form = false;
        let mut silent = false;
        if args.len() > 4 {
            if args.get(args.len() - 3) == Some(&"as") {
                let last = args.last().copied().unwrap_or("");
                if last != "silent" {
                    return Err(Error::syntax(format!(
                        "Only 'silent' flag is allowed after cycle's name, not '{last}'."
                    )));
                }
                as_form = true;
                silent = true;
                args.pop();
            } else if args.get(args.len() - 2) == Some(&"as") {
                as_form = true;
            }
        }
        let (values_bits, target) = if as_form {
            let name = args.last().copied().unwrap_or("");
            (args.get(1..args.len() - 2).unwrap_or(&[]), Some(name))
        } else {
            (args.get(1..).unwrap_or(&[]), None)
        };
        let values = values_bits
            .iter()
            .map(|bit| compile_filter(bit, &self.filters))
            .collect::<Result<_, _>>()?;
        let node = Arc::new(CycleNode {
            values,
            target: target.map(Arc::from),
            silent,
            span: token.span,
        });
        if let Some(name) = target {
            self.named_cycles.insert(name.to_owned(), node.clone());
        }
        self.last_cycle = Some(node.clone());
        Ok(Node::Cycle(node))
    }

    /// `{% resetcycle %}` or `{% resetcycle name %}`.
    pub(in crate::compiler) fn resetcycle_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let args = self.split_contents(token.contents);
        if args.len() > 2 {
            return Err(Error::syntax(format!(
                "{} tag accepts at most one argument.",
                py_repr_str(args.first().copied().unwrap_or(""))
            )));
        }
        if let Some(name) = args.get(1) {
            return match self.named_cycles.get(*name) {
                Some(node) => Ok(Node::ResetCycle(node.clone())),
                None => Err(Error::syntax(format!(
                    "Named cycle '{name}' does not exist."
                ))),
            };
        }
        match &self.last_cycle {
            Some(node) => Ok(Node::ResetCycle(node.clone())),
            None => Err(Error::syntax("No cycles in template.")),
        }
    }

    /// `{% regroup list by key as name %}`.
    pub(in crate::compiler) fn regroup_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let [_, target, by, key, as_, name] = bits.as_slice() else {
            return Err(Error::syntax("'regroup' tag takes five arguments"));
        };
        let target = compile_filter(target, &self.filters)?;
        if *by != "by" {
            return Err(Error::syntax(
                "second argument to 'regroup' tag must be 'by'",
            ));
        }
        if *as_ != "as" {
            return Err(Error::syntax(
                "next-to-last argument to 'regroup' tag must be 'as'",
            ));
        }
        let key = compile_filter(&format!("{name}.{key}"), &self.filters)?;
        Ok(Node::Regroup(Box::new(RegroupNode {
            target,
            key,
            name: Arc::from(*name),
            span: token.span,
        })))
    }

    /// `{% autoescape on|off %}` ... `{% endautoescape %}`.
    pub(in crate::compiler) fn autoescape_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let args: Vec<&str> = py_split(token.contents).collect();
        let [_, arg] = args.as_slice() else {
            return Err(Error::syntax(
                "'autoescape' tag requires exactly one argument.",
            ));
        };
        if *arg != "on" && *arg != "off" {
            return Err(Error::syntax(
                "'autoescape' argument should be 'on' or 'off'",
            ));
        }
        let setting = *arg == "on";
        let (body, _) = self.parse_to_end(&["endautoescape"])?;
        Ok(Node::Autoescape(Box::new(ScopedBody { setting, body })))
    }

    /// `{% localize %}`, `{% localize on|off %}` ... `{% endlocalize %}` (the `l10n` library).
    pub(in crate::compiler) fn localize_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let setting = match bits.as_slice() {
            [_] => true,
            [_, "on"] => true,
            [_, "off"] => false,
            _ => {
                return Err(Error::syntax(format!(
                    "{} argument should be 'on' or 'off'",
                    py_repr_str(bits.first().copied().unwrap_or(""))
                )))
            }
        };
        let (body, _) = self.parse_to_end(&["endlocalize"])?;
        Ok(Node::Localize(Box::new(ScopedBody { setting, body })))
    }

    /// `{% filter a|b %}` ... `{% endfilter %}`.
    pub(in crate::compiler) fn filter_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let contents = token.contents;
        let Some(rest) = contents
            .split_once(super::super::literal::is_py_space)
            .map(|(_, rest)| rest.trim_start_matches(super::super::literal::is_py_space))
            .filter(|rest| !rest.is_empty())
        else {
            // Django fails with ValueError (unpacking `split(None, 1)`).
            return Err(Error::unsupported("{% filter %} without filters"));
        };
        let expression = compile_filter(&format!("var|{rest}"), &self.filters)?;
        for call in &expression.filters {
            if &*call.name == "escape" || &*call.name == "safe" {
                return Err(Error::syntax(format!(
                    "\"filter {}\" is not permitted.  Use the \"autoescape\" tag instead.",
                    call.name
                )));
            }
        }
        let (body, _) = self.parse_to_end(&["endfilter"])?;
        Ok(Node::Filter(Box::new(FilterNode {
            expression,
            body,
            span: token.span,
        })))
    }

    /// `{% spaceless %}` ... `{% endspaceless %}`.
    pub(in crate::compiler) fn spaceless_tag(&mut self) -> Result<Node, Error> {
        let (body, _) = self.parse_to_end(&["endspaceless"])?;
        Ok(Node::Spaceless(body.into_boxed_slice()))
    }

    /// `{% templatetag openblock %}`: prints one piece of template syntax.
    pub(in crate::compiler) fn templatetag_tag(
        &mut self,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        let bits: Vec<&str> = py_split(token.contents).collect();
        let [_, tag] = bits.as_slice() else {
            return Err(Error::syntax("'templatetag' statement takes one argument"));
        };
        match TEMPLATETAGS.iter().find(|(name, _)| name == tag) {
            Some((_, text)) => Ok(Node::Text((*text).into())),
            None => {
                let names: Vec<String> = TEMPLATETAGS
                    .iter()
                    .map(|(name, _)| py_repr_str(name))
                    .collect();
                Err(Error::syntax(format!(
                    "Invalid templatetag argument: '{tag}'. Must be one of: [{}]",
                    names.join(", ")
                )))
            }
        }
    }
}
