//! Turns tokens into nodes as Django's `Parser` does: block tags call their compile function,
//! which parses its body up to its end tags; errors carry Django's messages and positions.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{ForNode, IfNode, Node, SimpleTagNode, VariableNode};
use super::condition::parse_condition;
use super::expression::compile_filter;
use super::lexer::{Token, TokenKind};
use super::literal::{is_word, py_split, smart_split};
use crate::error::Error;
use crate::library::Libraries;

/// How many block tags may be open at once before the template is refused (rendering is
/// recursive; Django itself fails with `RecursionError` somewhat later).
const MAX_NESTING: usize = 100;

/// The tags Django 5.2 registers by default.
const DJANGO_TAGS: &[&str] = &[
    "autoescape",
    "block",
    "comment",
    "csrf_token",
    "cycle",
    "debug",
    "extends",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "include",
    "load",
    "lorem",
    "now",
    "querystring",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "url",
    "verbatim",
    "widthratio",
    "with",
];

/// The parser's state over the token list of one template.
pub(crate) struct Parser<'s, 'l> {
    name: &'s str,
    source: &'s str,
    tokens: std::vec::IntoIter<Token<'s>>,
    libraries: &'l Libraries,
    /// Simple tags loaded so far, by tag name, with their library.
    loaded: HashMap<&'l str, Arc<str>>,
    /// Tags being compiled, innermost last (Django's `command_stack`).
    open: Vec<(&'s str, Token<'s>)>,
}

impl<'s, 'l> Parser<'s, 'l> {
    /// A parser over `tokens` of the template `name` with source `source`.
    pub(crate) fn new(
        name: &'s str,
        source: &'s str,
        tokens: Vec<Token<'s>>,
        libraries: &'l Libraries,
    ) -> Parser<'s, 'l> {
        Parser {
            name,
            source,
            tokens: tokens.into_iter(),
            libraries,
            loaded: HashMap::new(),
            open: Vec::new(),
        }
    }

    /// Parses the whole template.
    pub(crate) fn parse_template(&mut self) -> Result<Vec<Node>, Error> {
        self.parse(&[]).map(|(nodes, _)| nodes)
    }

    fn locate(&self, error: Error, token: &Token<'_>) -> Error {
        error.located(self.name, self.source, token.span)
    }

    /// Parses nodes until a block tag whose command is in `until`, returned with them; at the
    /// end of the template that is an "Unclosed tag" error unless `until` is empty.
    fn parse(&mut self, until: &[&str]) -> Result<(Vec<Node>, Option<Token<'s>>), Error> {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.next() {
            match token.kind {
                TokenKind::Text => nodes.push(Node::Text(token.span.start..token.span.end)),
                TokenKind::Comment => {}
                TokenKind::Variable => {
                    if token.contents.is_empty() {
                        let message = format!("Empty variable tag on line {}", token.span.line);
                        return Err(self.locate(Error::syntax(message), &token));
                    }
                    let expression = compile_filter(token.contents, !self.loaded.is_empty())
                        .map_err(|e| self.locate(e, &token))?;
                    nodes.push(Node::Variable(Box::new(VariableNode {
                        expression,
                        span: token.span,
                    })));
                }
                TokenKind::Block => {
                    let Some(command) = py_split(token.contents).next() else {
                        let message = format!("Empty block tag on line {}", token.span.line);
                        return Err(self.locate(Error::syntax(message), &token));
                    };
                    if until.contains(&command) {
                        return Ok((nodes, Some(token)));
                    }
                    if self.open.len() >= MAX_NESTING {
                        let message = format!(
                            "Too many nested tags on line {}: '{command}' (the limit is {MAX_NESTING}).",
                            token.span.line
                        );
                        return Err(self.locate(Error::syntax(message), &token));
                    }
                    self.open.push((command, token));
                    let node = self
                        .compile_tag(command, &token, until)
                        .map_err(|e| self.locate(e, &token))?;
                    nodes.extend(node);
                    self.open.pop();
                }
            }
        }
        if until.is_empty() {
            return Ok((nodes, None));
        }
        Err(self.unclosed(until))
    }

    fn unclosed(&mut self, until: &[&str]) -> Error {
        match self.open.pop() {
            Some((command, token)) => {
                let message = format!(
                    "Unclosed tag on line {}: '{command}'. Looking for one of: {}.",
                    token.span.line,
                    until.join(", ")
                );
                self.locate(Error::syntax(message), &token)
            }
            None => Error::syntax(format!("Looking for one of: {}.", until.join(", "))),
        }
    }

    /// Compiles the block tag `command`, as the function Django registered for it would.
    fn compile_tag(
        &mut self,
        command: &str,
        token: &Token<'s>,
        until: &[&str],
    ) -> Result<Option<Node>, Error> {
        if let Some(library) = self.loaded.get(command).cloned() {
            return self.simple_tag(library, command, token).map(Some);
        }
        match command {
            "if" => self.if_tag(token).map(Some),
            "for" => self.for_tag(token).map(Some),
            "comment" => self.comment_tag().map(|()| None),
            "verbatim" => self.verbatim_tag(),
            "load" => self.load_tag(token).map(|()| None),
            _ if DJANGO_TAGS.contains(&command) => Err(Error::unsupported(format!(
                "the {{% {command} %}} tag is not supported natively yet"
            ))),
            _ => Err(invalid_block_tag(token, command, until)),
        }
    }

    /// The bits of a tag the way Django's `split_contents` gives them.
    fn split_contents<'t>(&self, contents: &'t str) -> Result<Vec<&'t str>, Error> {
        let bits = smart_split(contents);
        if bits
            .iter()
            .any(|b| b.starts_with("_(\"") || b.starts_with("_('"))
        {
            return Err(Error::unsupported(
                "translated strings _(\"...\") are not supported natively yet",
            ));
        }
        Ok(bits)
    }

    fn libraries_loaded(&self) -> bool {
        !self.loaded.is_empty()
    }

    /// `{% if %}` ... `{% elif %}` ... `{% else %}` ... `{% endif %}`.
    fn if_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let bits = self.split_contents(token.contents)?;
        let condition = parse_condition(bits.get(1..).unwrap_or(&[]), self.libraries_loaded())?;
        let (body, mut end) = self.parse_to_end(&["elif", "else", "endif"])?;
        let mut branches = vec![(Some(condition), body)];
        while end.contents.starts_with("elif") {
            let bits = self.split_contents(end.contents)?;
            let condition = parse_condition(bits.get(1..).unwrap_or(&[]), self.libraries_loaded())?;
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

    /// Parses up to one of `until`, which must come (else "Unclosed tag").
    fn parse_to_end(&mut self, until: &[&str]) -> Result<(Vec<Node>, Token<'s>), Error> {
        match self.parse(until)? {
            (nodes, Some(end)) => Ok((nodes, end)),
            (_, None) => Err(self.unclosed(until)),
        }
    }

    /// `{% for a, b in sequence reversed %}` ... `{% empty %}` ... `{% endfor %}`.
    fn for_tag(&mut self, token: &Token<'s>) -> Result<Node, Error> {
        let contents = token.contents;
        let bits = self.split_contents(contents)?;
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
        let sequence = compile_filter(
            bits.get(in_index + 1).copied().unwrap_or(""),
            self.libraries_loaded(),
        )?;
        let (body, end) = self.parse_to_end(&["empty", "endfor"])?;
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
            span: token.span,
        })))
    }

    /// `{% comment %}` ... `{% endcomment %}`: skips tokens up to an exact `endcomment`.
    fn comment_tag(&mut self) -> Result<(), Error> {
        for token in self.tokens.by_ref() {
            if token.kind == TokenKind::Block && token.contents == "endcomment" {
                return Ok(());
            }
        }
        Err(self.unclosed(&["endcomment"]))
    }

    /// `{% verbatim %}` ... `{% endverbatim %}`: the lexer made everything inside text.
    fn verbatim_tag(&mut self) -> Result<Option<Node>, Error> {
        let (nodes, _) = self.parse_to_end(&["endverbatim"])?;
        let mut range: Option<std::ops::Range<usize>> = None;
        for node in nodes {
            let Node::Text(text) = node else {
                // Only `{% verbatim<tab>... %}` gets here: Django then renders the tags inside
                // once, at parse time, with an empty context.
                return Err(Error::unsupported(
                    "tags inside a {% verbatim %} the lexer did not recognise",
                ));
            };
            range = Some(match range {
                Some(range) => range.start..text.end,
                None => text,
            });
        }
        Ok(range.map(Node::Text))
    }

    /// `{% load lib1 lib2 %}` or `{% load tag1 tag2 from lib %}`.
    fn load_tag(&mut self, token: &Token<'s>) -> Result<(), Error> {
        let bits: Vec<&str> = py_split(token.contents).collect();
        if let [_, names @ .., from, library] = bits.as_slice() {
            if *from == "from" && !names.is_empty() {
                let tags = self.find_library(library)?;
                let library: Arc<str> = Arc::from(*library);
                for name in names {
                    let Some(tag) = tags.get(*name) else {
                        return Err(Error::unsupported(format!(
                            "'{name}' is not a simple tag of library '{library}' \
                             (it may be a filter or another kind of tag)"
                        )));
                    };
                    self.loaded.insert(tag.as_str(), library.clone());
                }
                return Ok(());
            }
        }
        for name in bits.iter().skip(1) {
            let tags = self.find_library(name)?;
            let library: Arc<str> = Arc::from(*name);
            for tag in tags {
                self.loaded.insert(tag.as_str(), library.clone());
            }
        }
        Ok(())
    }

    fn find_library(&self, name: &str) -> Result<&'l std::collections::BTreeSet<String>, Error> {
        self.libraries.tags(name).ok_or_else(|| {
            let names: Vec<&str> = self.libraries.names().collect();
            Error::syntax(format!(
                "'{name}' is not a registered tag library. Must be one of:\n{}",
                names.join("\n")
            ))
        })
    }

    /// `{% tag arg key=value as target %}` for a simple tag of a loaded library.
    fn simple_tag(
        &mut self,
        library: Arc<str>,
        name: &str,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        let all_bits = self.split_contents(token.contents)?;
        let mut bits = all_bits.get(1..).unwrap_or(&[]);
        let mut target = None;
        if let [rest @ .., "as", var] = bits {
            target = Some(Arc::from(*var));
            bits = rest;
        }
        let loaded = self.libraries_loaded();
        let mut args = Vec::new();
        let mut kwargs: Vec<(Arc<str>, _)> = Vec::new();
        for bit in bits {
            if let Some((key, value)) = keyword_argument(bit) {
                let value = compile_filter(value, loaded)?;
                if kwargs.iter().any(|(k, _)| &**k == key) {
                    return Err(Error::syntax(format!(
                        "'{name}' received multiple values for keyword argument '{key}'"
                    )));
                }
                kwargs.push((Arc::from(key), value));
            } else {
                if !kwargs.is_empty() {
                    return Err(Error::syntax(format!(
                        "'{name}' received some positional argument(s) after some keyword argument(s)"
                    )));
                }
                args.push(compile_filter(bit, loaded)?);
            }
        }
        Ok(Node::SimpleTag(Box::new(SimpleTagNode {
            library,
            name: Arc::from(name),
            args,
            kwargs,
            target,
            span: token.span,
        })))
    }
}

/// Django's `kwarg_re` (`(?:(\w+)=)?(.+)`): `key=value` with a word key and a non-empty value.
fn keyword_argument(bit: &str) -> Option<(&str, &str)> {
    let key_len = bit.find(|c: char| !is_word(c))?;
    let (key, rest) = bit.split_at(key_len);
    let value = rest.strip_prefix('=')?;
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

/// Django's "Invalid block tag" error, naming the end tags expected at this point if any.
fn invalid_block_tag(token: &Token<'_>, command: &str, until: &[&str]) -> Error {
    let line = token.span.line;
    let message = if until.is_empty() {
        format!(
            "Invalid block tag on line {line}: '{command}'. \
             Did you forget to register or load this tag?"
        )
    } else {
        let quoted: Vec<String> = until.iter().map(|p| format!("'{p}'")).collect();
        let expected = match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        format!(
            "Invalid block tag on line {line}: '{command}', expected {expected}. \
             Did you forget to register or load this tag?"
        )
    };
    Error::syntax(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::lexer::tokenize;

    fn parse(source: &str, libraries: &Libraries) -> Result<Vec<Node>, Error> {
        Parser::new("t", source, tokenize(source), libraries).parse_template()
    }

    fn message(source: &str) -> String {
        parse(source, &Libraries::new())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn end_tags_expected_are_listed_like_get_text_list() {
        assert!(message("{% if a %}{% endfor %}").contains("expected 'elif', 'else' or 'endif'."));
        assert!(message("{% for a in b %}{% endif %}").contains("expected 'empty' or 'endfor'."));
        assert!(message("{% if a %}{% else %}{% endfor %}").contains("expected 'endif'."));
    }

    #[test]
    fn loading_makes_simple_tags_available() {
        let mut libraries = Libraries::new();
        libraries.add_simple_tag("lib", "hello");
        let nodes = parse("{% load lib %}{% hello 1 k=2 as v %}", &libraries);
        let Ok(nodes) = nodes else {
            panic!("parses");
        };
        let [Node::SimpleTag(tag)] = nodes.as_slice() else {
            panic!("one tag node");
        };
        assert_eq!((&*tag.library, &*tag.name), ("lib", "hello"));
        assert_eq!((tag.args.len(), tag.kwargs.len()), (1, 1));
        assert_eq!(tag.target.as_deref(), Some("v"));
        assert!(parse("{% hello %}", &libraries).is_err());
        assert!(parse("{% load hello from lib %}{% hello %}", &libraries).is_ok());
    }

    #[test]
    fn verbatim_becomes_one_text_node() {
        let nodes = parse(
            "{% verbatim %}a{{ b }}{# c #}{% endverbatim %}",
            &Libraries::new(),
        );
        let ranges: Vec<_> = nodes
            .unwrap_or_default()
            .into_iter()
            .filter_map(|node| match node {
                Node::Text(range) => Some((range.start, range.end)),
                _ => None,
            })
            .collect();
        assert_eq!(ranges, [(14, 29)]);
    }

    #[test]
    fn keyword_arguments_follow_kwarg_re() {
        assert_eq!(keyword_argument("a=1"), Some(("a", "1")));
        assert_eq!(keyword_argument("a==1"), Some(("a", "=1")));
        assert_eq!(keyword_argument("a="), None);
        assert_eq!(keyword_argument("=1"), None);
        assert_eq!(keyword_argument("\"a=1\""), None);
        assert_eq!(keyword_argument("abc"), None);
    }
}
