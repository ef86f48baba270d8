//! Compiling the `i18n` library's translation tags: `translate` (`trans`) and
//! `blocktranslate` (`blocktrans`).

use std::sync::Arc;

use super::super::ast::{BlockTranslateNode, Node, TranslateNode, TranslatePiece};
use super::super::expression::compile_filter;
use super::super::lexer::{Token, TokenKind};
use super::super::parser::Parser;
use super::{next_option, token_kwargs};
use crate::error::Error;
use crate::value::py_repr_str;

impl<'s> Parser<'s, '_> {
    /// `{% translate message [context c] [noop] [as name] %}`.
    pub(in crate::compiler) fn translate_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let command = bits.first().copied().unwrap_or("translate");
        let Some(message) = bits.get(1) else {
            return Err(Error::syntax(format!(
                "'{command}' takes at least one argument"
            )));
        };
        let message = compile_filter(message, &self.filters)?;
        let mut remaining: Vec<&str> = bits.get(2..).unwrap_or(&[]).to_vec();
        let mut noop = false;
        let mut target = None;
        let mut message_context = None;
        let mut seen: Vec<&str> = Vec::new();
        while !remaining.is_empty() {
            let option = next_option(&mut remaining, &mut seen, |option| format!("'{option}'"))?;
            match option {
                "noop" => noop = true,
                "context" => {
                    if remaining.is_empty() {
                        return Err(Error::syntax(format!(
                            "No argument provided to the '{command}' tag for the context option."
                        )));
                    }
                    let value = remaining.remove(0);
                    if value == "as" || value == "noop" {
                        return Err(Error::syntax(format!(
                            "Invalid argument '{value}' provided to the '{command}' tag for the \
                             context option"
                        )));
                    }
                    message_context = Some(compile_filter(value, &self.filters)?);
                }
                "as" => {
                    if remaining.is_empty() {
                        return Err(Error::syntax(format!(
                            "No argument provided to the '{command}' tag for the as option."
                        )));
                    }
                    target = Some(Arc::from(remaining.remove(0)));
                }
                _ => {
                    return Err(Error::syntax(format!(
                        "Unknown argument for '{command}' tag: '{option}'. The only options \
                         available are 'noop', 'context' \"xxx\", and 'as VAR'."
                    )))
                }
            }
        }
        Ok(Node::Translate(Box::new(TranslateNode {
            message,
            noop,
            message_context,
            target,
            span: token.span,
        })))
    }

    /// `{% blocktranslate [with ...] [count n=x] [context c] [trimmed] [asvar name] %}` ...
    /// `{% plural %}` ... `{% endblocktranslate %}`.
    pub(in crate::compiler) fn blocktranslate_tag(
        &mut self,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents);
        let command = bits.first().copied().unwrap_or("blocktranslate");
        let shown = py_repr_str(command);
        let mut remaining: Vec<&str> = bits.get(1..).unwrap_or(&[]).to_vec();
        let mut extra = Vec::new();
        let mut counter = None;
        let mut message_context = None;
        let mut trimmed = false;
        let mut target = None;
        let mut seen: Vec<&str> = Vec::new();
        while !remaining.is_empty() {
            let option = next_option(&mut remaining, &mut seen, py_repr_str)?;
            match option {
                "with" => {
                    extra = token_kwargs(&mut remaining, &self.filters, true)?;
                    if extra.is_empty() {
                        return Err(Error::syntax(format!(
                            "\"with\" in {shown} tag needs at least one keyword argument."
                        )));
                    }
                }
                "count" => {
                    let mut value = token_kwargs(&mut remaining, &self.filters, true)?;
                    if value.len() != 1 {
                        return Err(Error::syntax(format!(
                            "\"count\" in {shown} tag expected exactly one keyword argument."
                        )));
                    }
                    counter = value.pop();
                }
                "context" => {
                    let value = if remaining.is_empty() {
                        None
                    } else {
                        compile_filter(remaining.remove(0), &self.filters).ok()
                    };
                    let Some(value) = value else {
                        return Err(Error::syntax(format!(
                            "\"context\" in {shown} tag expected exactly one argument."
                        )));
                    };
                    message_context = Some(value);
                }
                "trimmed" => trimmed = true,
                "asvar" => {
                    if remaining.is_empty() {
                        return Err(Error::syntax(format!(
                            "No argument provided to the '{command}' tag for the asvar option."
                        )));
                    }
                    target = Some(Arc::from(remaining.remove(0)));
                }
                _ => {
                    return Err(Error::syntax(format!(
                        "Unknown argument for {shown} tag: {}.",
                        py_repr_str(option)
                    )))
                }
            }
        }
        let (singular, mut last) = self.translate_pieces(token.contents);
        let mut plural = Vec::new();
        if counter.is_some() {
            if last.trim() != "plural" {
                return Err(Error::syntax(format!(
                    "{shown} doesn't allow other block tags inside it"
                )));
            }
            let (pieces, next) = self.translate_pieces(last);
            plural = pieces;
            last = next;
        }
        let end = format!("end{command}");
        if last.trim() != end {
            return Err(Error::syntax(format!(
                "{shown} doesn't allow other block tags (seen {}) inside it",
                py_repr_str(last)
            )));
        }
        Ok(Node::BlockTranslate(Box::new(BlockTranslateNode {
            tag_name: command.into(),
            extra,
            singular,
            plural,
            counter,
            message_context,
            trimmed,
            target,
            span: token.span,
        })))
    }

    /// The text and `{{ var }}` tokens up to the next other token, and that token's contents
    /// (`previous` if the template ends first, as Django's loop leaves it).
    fn translate_pieces(&mut self, previous: &'s str) -> (Vec<TranslatePiece>, &'s str) {
        let mut pieces = Vec::new();
        let mut last = previous;
        for token in self.tokens.by_ref() {
            last = token.contents;
            match token.kind {
                TokenKind::Text => pieces.push(TranslatePiece::Text(token.contents.into())),
                TokenKind::Variable => pieces.push(TranslatePiece::Variable(token.contents.into())),
                TokenKind::Block | TokenKind::Comment => break,
            }
        }
        (pieces, last)
    }
}
