//! Compiling template inheritance and inclusion: `block`, `extends`, `include`.

use std::sync::Arc;

use super::super::ast::{self, BlockNode, ExtendsNode, IncludeNode, Node, Operand};
use super::super::expression::compile_filter;
use super::super::lexer::Token;
use super::super::literal::py_split;
use super::super::parser::{invalid_block_tag, Parser};
use super::{next_option, relative_path, token_kwargs};
use crate::error::Error;
use crate::render::FoundTemplate;
use crate::value::py_repr_str;

impl<'s> Parser<'s, '_> {
    /// `{% block name %}` ... `{% endblock [name] %}`.
    pub(in crate::compiler) fn block_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits: Vec<&str> = py_split(token.contents).collect();
        let command = bits.first().copied().unwrap_or("block");
        let [_, name] = bits.as_slice() else {
            return Err(Error::syntax(format!(
                "'{command}' tag takes only one argument"
            )));
        };
        if self.block_names.iter().any(|known| &**known == *name) {
            return Err(Error::syntax(format!(
                "'{command}' tag with name '{name}' appears more than once"
            )));
        }
        let name: Arc<str> = Arc::from(*name);
        self.block_names.push(name.clone());
        let (body, end) = self.parse_to_end(&["endblock"])?;
        let named_end = format!("endblock {name}");
        if end.contents != "endblock" && end.contents != named_end {
            let error = invalid_block_tag(&end, "endblock", &["endblock", &named_end]);
            return Err(self.locate(error, &end));
        }
        Ok(Node::Block(Arc::new(BlockNode { name, body })))
    }

    /// `{% extends parent %}`: the rest of the template is its body.
    pub(in crate::compiler) fn extends_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let command = bits.first().copied().unwrap_or("extends");
        let [_, parent] = bits.as_slice() else {
            return Err(Error::syntax(format!("'{command}' takes one argument")));
        };
        let parent = relative_path(self.template_name, parent, false)?;
        let parent = compile_filter(&parent, &self.filters)?;
        let parent_is_variable =
            !parent.filters.is_empty() || matches!(parent.head, Operand::Variable(_));
        let (body, _) = self.parse(&[])?;
        let mut nested = false;
        ast::walk(&body, &mut |node| {
            nested |= matches!(node, Node::Extends(_))
        });
        if nested {
            return Err(Error::syntax(format!(
                "'{command}' cannot appear more than once in the same template"
            )));
        }
        Ok(Node::Extends(Box::new(ExtendsNode {
            parent,
            body,
            parent_is_variable,
            span: token.span,
            found: FoundTemplate::default(),
        })))
    }

    /// `{% include template with a=b only %}`.
    pub(in crate::compiler) fn include_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let command = bits.first().copied().unwrap_or("include");
        let Some(template) = bits.get(1) else {
            return Err(Error::syntax(format!(
                "{} tag takes at least one argument: the name of the template to be included.",
                py_repr_str(command)
            )));
        };
        let mut remaining: Vec<&str> = bits.get(2..).unwrap_or(&[]).to_vec();
        let mut extra = None;
        let mut only = false;
        let mut seen: Vec<&str> = Vec::new();
        while !remaining.is_empty() {
            let option = next_option(&mut remaining, &mut seen, py_repr_str)?;
            match option {
                "with" => {
                    let values = token_kwargs(&mut remaining, &self.filters, false)?;
                    if values.is_empty() {
                        return Err(Error::syntax(format!(
                            "\"with\" in {} tag needs at least one keyword argument.",
                            py_repr_str(command)
                        )));
                    }
                    extra = Some(values);
                }
                "only" => only = true,
                _ => {
                    return Err(Error::syntax(format!(
                        "Unknown argument for {} tag: {}.",
                        py_repr_str(command),
                        py_repr_str(option)
                    )))
                }
            }
        }
        let template = relative_path(self.template_name, template, true)?;
        let template = compile_filter(&template, &self.filters)?;
        Ok(Node::Include(Box::new(IncludeNode {
            template,
            extra: extra.unwrap_or_default(),
            only,
            span: token.span,
            found: FoundTemplate::default(),
        })))
    }
}
