//! Compiling the tags that print one computed value: `lorem`, `now`, `url`, `widthratio`, and
//! the `static` library's tags.

use std::sync::Arc;

use super::super::ast::{
    LoremMethod, LoremNode, Node, NowNode, StaticKind, StaticNode, UrlNode, WidthRatioNode,
};
use super::super::expression::compile_filter;
use super::super::lexer::Token;
use super::super::literal::py_split;
use super::super::parser::{keyword_argument, Parser};
use crate::error::Error;
use crate::library::NativeTag;
use crate::value::py_repr_str;

impl<'s> Parser<'s, '_> {
    /// `{% lorem [count] [w|p|b] [random] %}`.
    pub(in crate::compiler) fn lorem_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let mut bits = self.split_contents(token.contents);
        let tag_name = bits.first().copied().unwrap_or("lorem");
        let common = bits.last() != Some(&"random");
        if !common {
            bits.pop();
        }
        let method = match bits.last() {
            Some(&"w") => Some(LoremMethod::Words),
            Some(&"p") => Some(LoremMethod::Paragraphs),
            Some(&"b") => Some(LoremMethod::Plain),
            _ => None,
        };
        if method.is_some() {
            bits.pop();
        }
        let count = if bits.len() > 1 {
            bits.pop().unwrap_or("1")
        } else {
            "1"
        };
        let count = compile_filter(count, &self.filters)?;
        if bits.len() != 1 {
            return Err(Error::syntax(format!(
                "Incorrect format for {} tag",
                py_repr_str(tag_name)
            )));
        }
        Ok(Node::Lorem(Box::new(LoremNode {
            count,
            method: method.unwrap_or(LoremMethod::Plain),
            common,
            span: token.span,
        })))
    }

    /// `{% now "format" [as name] %}`.
    pub(in crate::compiler) fn now_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let mut bits = self.split_contents(token.contents);
        let mut target = None;
        if bits.len() == 4 && bits.get(2) == Some(&"as") {
            target = bits.last().map(|t| Arc::from(*t));
            bits.truncate(2);
        }
        let [_, format] = bits.as_slice() else {
            return Err(Error::syntax("'now' statement takes one argument"));
        };
        // Django slices off the first and last characters, quotes or not.
        let chars: Vec<char> = format.chars().collect();
        let inner: String = chars
            .get(1..chars.len().saturating_sub(1))
            .unwrap_or(&[])
            .iter()
            .collect();
        Ok(Node::Now(Box::new(NowNode {
            format: inner.into(),
            target,
            span: token.span,
        })))
    }

    /// `{% url "name" arg key=value [as name] %}`.
    pub(in crate::compiler) fn url_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let Some(view_name) = bits.get(1) else {
            return Err(Error::syntax(format!(
                "'{}' takes at least one argument, a URL pattern name.",
                bits.first().copied().unwrap_or("url")
            )));
        };
        let view_name = compile_filter(view_name, &self.filters)?;
        let mut rest = bits.get(2..).unwrap_or(&[]);
        let mut target = None;
        if rest.len() >= 2 && rest.get(rest.len() - 2) == Some(&"as") {
            target = rest.last().map(|t| Arc::from(*t));
            rest = rest.get(..rest.len() - 2).unwrap_or(&[]);
        }
        let mut args = Vec::new();
        let mut kwargs: Vec<(Arc<str>, _)> = Vec::new();
        for bit in rest {
            match keyword_argument(bit) {
                Some((key, value)) => {
                    let value = compile_filter(value, &self.filters)?;
                    match kwargs.iter_mut().find(|(k, _)| &**k == key) {
                        Some(slot) => slot.1 = value,
                        None => kwargs.push((Arc::from(key), value)),
                    }
                }
                None => args.push(compile_filter(bit, &self.filters)?),
            }
        }
        Ok(Node::Url(Box::new(UrlNode {
            view_name,
            args,
            kwargs,
            target,
            span: token.span,
        })))
    }

    /// `{% widthratio value max width [as name] %}`.
    pub(in crate::compiler) fn widthratio_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let (value, max, width, target) = match bits.as_slice() {
            [_, value, max, width] => (value, max, width, None),
            [_, value, max, width, as_, name] => {
                if *as_ != "as" {
                    return Err(Error::syntax(
                        "Invalid syntax in widthratio tag. Expecting 'as' keyword",
                    ));
                }
                (value, max, width, Some(Arc::from(*name)))
            }
            _ => return Err(Error::syntax("widthratio takes at least three arguments")),
        };
        Ok(Node::WidthRatio(Box::new(WidthRatioNode {
            value: compile_filter(value, &self.filters)?,
            max: compile_filter(max, &self.filters)?,
            width: compile_filter(width, &self.filters)?,
            target,
            span: token.span,
        })))
    }

    /// `{% static path [as name] %}`, `{% get_static_prefix [as name] %}`,
    /// `{% get_media_prefix [as name] %}`.
    pub(in crate::compiler) fn static_tag(
        &mut self,
        tag: NativeTag,
        command: &str,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        if tag != NativeTag::Static {
            let bits: Vec<&str> = py_split(token.contents).collect();
            if bits.len() > 1 && bits.get(1) != Some(&"as") {
                return Err(Error::syntax(format!(
                    "First argument in '{command}' must be 'as'"
                )));
            }
            let target = match bits.len() {
                1 => None,
                // Django indexes the name and fails with IndexError without one.
                _ => Some(Arc::from(*bits.get(2).ok_or_else(|| {
                    Error::unsupported("a prefix tag with 'as' and no name")
                })?)),
            };
            let kind = if tag == NativeTag::StaticPrefix {
                StaticKind::StaticPrefix
            } else {
                StaticKind::MediaPrefix
            };
            return Ok(Node::Static(Box::new(StaticNode {
                kind,
                target,
                span: token.span,
            })));
        }
        let bits = self.split_contents(token.contents);
        let Some(path) = bits.get(1) else {
            return Err(Error::syntax(format!(
                "'{command}' takes at least one argument (path to file)"
            )));
        };
        let path = compile_filter(path, &self.filters)?;
        let target = if bits.len() >= 2 && bits.get(bits.len() - 2) == Some(&"as") {
            Some(Arc::from(*bits.get(3).ok_or_else(|| {
                Error::unsupported("{% static as name %} without a path")
            })?))
        } else {
            None
        };
        Ok(Node::Static(Box::new(StaticNode {
            kind: StaticKind::File(path),
            target,
            span: token.span,
        })))
    }

    /// `{% get_current_language as name %}`.
    pub(in crate::compiler) fn current_language_tag(
        &mut self,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        let args: Vec<&str> = py_split(token.contents).collect();
        match args.as_slice() {
            [_, "as", name] => Ok(Node::CurrentLanguage(Arc::from(*name))),
            _ => {
                let shown: Vec<String> = args.iter().map(|a| py_repr_str(a)).collect();
                Err(Error::syntax(format!(
                    "'get_current_language' requires 'as variable' (got [{}])",
                    shown.join(", ")
                )))
            }
        }
    }
}
