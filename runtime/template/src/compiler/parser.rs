//! Turns tokens into nodes as Django's `Parser` does: block tags call their compile function
//! (in `tags/`), which parses its body up to its end tags; errors carry Django's messages and
//! positions. This file holds the loop, `{% load %}` and the simple tags of libraries.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{CycleNode, Node, SimpleTagNode, VariableNode};
use super::expression::{compile_filter, FilterTable};
use super::lexer::{Token, TokenKind};
use super::literal::{is_word, py_split, smart_split};
use crate::error::Error;
use crate::library::{Libraries, Library, NativeTag, SimpleTagSpec, TagSpec};
use crate::value::py_repr_str;

/// How many block tags may be open at once before the template is refused (rendering is
/// recursive; Django itself fails with `RecursionError` somewhat later).
const MAX_NESTING: usize = 100;

/// A tag the parser can compile: the library it came from (`""` for builtins) and how it runs.
type TagEntry<'l> = (&'l str, &'l TagSpec);

/// The parser's state over the token list of one template.
pub(crate) struct Parser<'s, 'l> {
    /// The template's name, as `{% include %}` and errors show it (`None` for a string).
    pub(super) template_name: Option<&'s str>,
    name: &'s str,
    pub(super) source: &'s str,
    pub(super) tokens: std::iter::Peekable<std::vec::IntoIter<Token<'s>>>,
    libraries: &'l Libraries,
    /// The tags usable at this point: builtins, then what `{% load %}` added.
    tags: HashMap<&'l str, TagEntry<'l>>,
    /// The filters usable at this point.
    pub(super) filters: FilterTable<'l>,
    /// Tags being compiled, innermost last (Django's `command_stack`).
    open: Vec<(&'s str, Token<'s>)>,
    /// Cycles with a name (`{% cycle a b as name %}`), for `{% cycle name %}`.
    pub(super) named_cycles: HashMap<String, Arc<CycleNode>>,
    /// The last cycle compiled, for `{% resetcycle %}`.
    pub(super) last_cycle: Option<Arc<CycleNode>>,
    /// Names of the blocks compiled so far (each may appear once).
    pub(super) block_names: Vec<Arc<str>>,
}

impl<'s, 'l> Parser<'s, 'l> {
    /// A parser over `tokens` of the template `name` with source `source`.
    pub(crate) fn new(
        name: &'s str,
        source: &'s str,
        tokens: Vec<Token<'s>>,
        libraries: &'l Libraries,
    ) -> Parser<'s, 'l> {
        let template_name = (!name.is_empty() && !name.starts_with('<')).then_some(name);
        let mut parser = Parser {
            template_name,
            name,
            source,
            tokens: tokens.into_iter().peekable(),
            libraries,
            tags: HashMap::new(),
            filters: HashMap::new(),
            open: Vec::new(),
            named_cycles: HashMap::new(),
            last_cycle: None,
            block_names: Vec::new(),
        };
        parser.add_library("", libraries.builtins(), None);
        parser
    }

    /// Parses the whole template.
    pub(crate) fn parse_template(&mut self) -> Result<Vec<Node>, Error> {
        self.parse(&[]).map(|(nodes, _)| nodes)
    }

    pub(super) fn locate(&self, error: Error, token: &Token<'_>) -> Error {
        error.located(self.name, self.source, token.span)
    }

    /// Parses nodes until a block tag whose command is in `until`, returned with them; at the
    /// end of the template that is an "Unclosed tag" error unless `until` is empty.
    pub(super) fn parse(
        &mut self,
        until: &[&str],
    ) -> Result<(Vec<Node>, Option<Token<'s>>), Error> {
        let mut nodes = Vec::new();
        let mut contains_nontext = false;
        while let Some(token) = self.tokens.next() {
            match token.kind {
                TokenKind::Text => nodes.push(Node::Text(token.contents.into())),
                TokenKind::Comment => {}
                TokenKind::Variable => {
                    if token.contents.is_empty() {
                        let message = format!("Empty variable tag on line {}", token.span.line);
                        return Err(self.locate(Error::syntax(message), &token));
                    }
                    let expression = compile_filter(token.contents, &self.filters)
                        .map_err(|e| self.locate(e, &token))?;
                    nodes.push(Node::Variable(Box::new(VariableNode {
                        expression,
                        span: token.span,
                    })));
                    contains_nontext = true;
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
                    if let Some(Node::Extends(_)) = &node {
                        if contains_nontext {
                            let origin = match self.template_name {
                                Some(name) => py_repr_str(name),
                                None => "the template".into(),
                            };
                            let message = format!(
                                "{{% {} %}} must be the first tag in {origin}.",
                                token.contents
                            );
                            return Err(self.locate(Error::syntax(message), &token));
                        }
                    }
                    nodes.extend(node);
                    contains_nontext = true;
                    self.open.pop();
                }
            }
        }
        if until.is_empty() {
            return Ok((nodes, None));
        }
        Err(self.unclosed(until))
    }

    pub(super) fn unclosed(&mut self, until: &[&str]) -> Error {
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

    /// Parses up to one of `until`, which must come (else "Unclosed tag").
    pub(super) fn parse_to_end(&mut self, until: &[&str]) -> Result<(Vec<Node>, Token<'s>), Error> {
        match self.parse(until)? {
            (nodes, Some(end)) => Ok((nodes, end)),
            (_, None) => Err(self.unclosed(until)),
        }
    }

    /// Compiles the block tag `command`, as the function Django registered for it would.
    fn compile_tag(
        &mut self,
        command: &'s str,
        token: &Token<'s>,
        until: &[&str],
    ) -> Result<Option<Node>, Error> {
        let Some(&(library, spec)) = self.tags.get(command) else {
            return Err(invalid_block_tag(token, command, until));
        };
        match spec {
            TagSpec::Native(tag) => self.native_tag(*tag, command, token),
            TagSpec::Simple(spec) => self.simple_tag(library, command, spec, token).map(Some),
            TagSpec::Foreign => Err(Error::unsupported(format!(
                "the tag {{% {command} %}} is not run natively"
            ))),
        }
    }

    fn native_tag(
        &mut self,
        tag: NativeTag,
        command: &'s str,
        token: &Token<'s>,
    ) -> Result<Option<Node>, Error> {
        let node = match tag {
            NativeTag::Load => return self.load_tag(token).map(|()| None),
            NativeTag::Comment => return self.comment_tag().map(|()| None),
            NativeTag::Verbatim => return self.verbatim_tag(),
            NativeTag::If => self.if_tag(token)?,
            NativeTag::For => self.for_tag(token)?,
            NativeTag::Autoescape => self.autoescape_tag(token)?,
            NativeTag::Block => self.block_tag(token)?,
            NativeTag::Extends => self.extends_tag(token)?,
            NativeTag::Include => self.include_tag(token)?,
            NativeTag::CsrfToken => Node::CsrfToken,
            NativeTag::Cycle => self.cycle_tag(token)?,
            NativeTag::ResetCycle => self.resetcycle_tag(token)?,
            NativeTag::Filter => self.filter_tag(token)?,
            NativeTag::FirstOf => self.firstof_tag(token)?,
            NativeTag::IfChanged => self.ifchanged_tag(token)?,
            NativeTag::Lorem => self.lorem_tag(token)?,
            NativeTag::Now => self.now_tag(token)?,
            NativeTag::Regroup => self.regroup_tag(token)?,
            NativeTag::Spaceless => self.spaceless_tag()?,
            NativeTag::TemplateTag => self.templatetag_tag(token)?,
            NativeTag::Url => self.url_tag(token)?,
            NativeTag::WidthRatio => self.widthratio_tag(token)?,
            NativeTag::With => self.with_tag(token)?,
            NativeTag::Translate => self.translate_tag(token)?,
            NativeTag::BlockTranslate => self.blocktranslate_tag(token)?,
            NativeTag::CurrentLanguage => self.current_language_tag(token)?,
            NativeTag::Static | NativeTag::StaticPrefix | NativeTag::MediaPrefix => {
                self.static_tag(tag, command, token)?
            }
            NativeTag::Localize => self.localize_tag(token)?,
        };
        Ok(Some(node))
    }

    /// The bits of a tag the way Django's `split_contents` gives them (`_("a b")` kept whole).
    pub(super) fn split_contents<'t>(&self, contents: &'t str) -> Vec<&'t str> {
        let bits = smart_split(contents);
        let mut out: Vec<&'t str> = Vec::with_capacity(bits.len());
        let mut i = 0;
        while let Some(&bit) = bits.get(i) {
            i += 1;
            if bit.starts_with("_(\"") || bit.starts_with("_('") {
                let sentinel: String = bit.chars().nth(2).into_iter().chain([')']).collect();
                let mut last = bit;
                while !last.ends_with(&sentinel) {
                    match bits.get(i) {
                        Some(&next) => {
                            last = next;
                            i += 1;
                        }
                        // Django's `next(bits)` raises StopIteration here; the bit stays.
                        None => break,
                    }
                }
                let start = offset_in(contents, bit);
                let end = offset_in(contents, last) + last.len();
                out.push(contents.get(start..end).unwrap_or(bit));
            } else {
                out.push(bit);
            }
        }
        out
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
        let mut text = String::new();
        for node in nodes {
            let Node::Text(part) = node else {
                // Only `{% verbatim<tab>... %}` gets here: Django then renders the tags inside
                // once, at parse time, with an empty context.
                return Err(Error::unsupported(
                    "tags inside a {% verbatim %} the lexer did not recognise",
                ));
            };
            text.push_str(&part);
        }
        Ok(Some(Node::Text(text.into())))
    }

    /// `{% load lib1 lib2 %}` or `{% load name1 name2 from lib %}`.
    fn load_tag(&mut self, token: &Token<'s>) -> Result<(), Error> {
        let bits: Vec<&str> = py_split(token.contents).collect();
        if bits.len() >= 4 && bits.get(bits.len() - 2) == Some(&"from") {
            let name = bits.last().copied().unwrap_or("");
            let library = self.find_library(name)?;
            let names = bits.get(1..bits.len() - 2).unwrap_or(&[]);
            for item in names {
                if !library.tags.contains_key(*item) && !library.filters.contains_key(*item) {
                    return Err(Error::syntax(format!(
                        "'{item}' is not a valid tag or filter in tag library '{name}'"
                    )));
                }
            }
            let name = self.library_name(name);
            self.add_library(name, library, Some(names));
            return Ok(());
        }
        for name in bits.iter().skip(1) {
            let library = self.find_library(name)?;
            let name = self.library_name(name);
            self.add_library(name, library, None);
        }
        Ok(())
    }

    /// The registered library's own copy of `name` (so nodes can keep it).
    fn library_name(&self, name: &str) -> &'l str {
        self.libraries
            .names()
            .find(|registered| *registered == name)
            .unwrap_or("")
    }

    fn find_library(&self, name: &str) -> Result<&'l Library, Error> {
        self.libraries.get(name).ok_or_else(|| {
            let names: Vec<&str> = self.libraries.names().collect();
            Error::syntax(format!(
                "'{name}' is not a registered tag library. Must be one of:\n{}",
                names.join("\n")
            ))
        })
    }

    /// Makes the tags and filters of `library` (or only `subset` of them) usable.
    fn add_library(&mut self, name: &'l str, library: &'l Library, subset: Option<&[&str]>) {
        let wanted = |item: &str| subset.is_none_or(|names| names.contains(&item));
        for (tag, spec) in &library.tags {
            if wanted(tag) {
                self.tags.insert(tag.as_str(), (name, spec));
            }
        }
        for (filter, spec) in &library.filters {
            if wanted(filter) {
                self.filters.insert(filter.as_str(), spec);
            }
        }
    }

    /// `{% tag arg key=value as target %}`: a simple tag, its arguments checked as Django's
    /// `parse_bits` checks them against the function's signature.
    fn simple_tag(
        &mut self,
        library: &str,
        name: &str,
        spec: &SimpleTagSpec,
        token: &Token<'s>,
    ) -> Result<Node, Error> {
        let all_bits = self.split_contents(token.contents);
        let mut bits = all_bits.get(1..).unwrap_or(&[]);
        let mut target = None;
        if bits.len() >= 2 && bits.get(bits.len() - 2) == Some(&"as") {
            target = bits.last().map(|var| Arc::from(*var));
            bits = bits.get(..bits.len() - 2).unwrap_or(&[]);
        }
        let mut params: &[String] = &spec.params;
        if spec.takes_context {
            match params.split_first() {
                Some((first, rest)) if first == "context" => params = rest,
                _ => {
                    return Err(Error::syntax(format!(
                        "'{name}' is decorated with takes_context=True so it must have a \
                         first argument of 'context'"
                    )))
                }
            }
        }
        let mut args = Vec::new();
        let mut kwargs: Vec<(Arc<str>, _)> = Vec::new();
        let mut unhandled_params: Vec<&str> = params.iter().map(String::as_str).collect();
        let mut unhandled_kwargs: Vec<&str> = spec
            .kwonly
            .iter()
            .filter(|k| !spec.kwonly_defaults.contains(k))
            .map(String::as_str)
            .collect();
        for bit in bits {
            if let Some((key, value)) = keyword_argument(bit) {
                let value = compile_filter(value, &self.filters)?;
                let known = params.iter().any(|p| p == key) || spec.kwonly.iter().any(|k| k == key);
                if !known && !spec.varkw {
                    return Err(Error::syntax(format!(
                        "'{name}' received unexpected keyword argument '{key}'"
                    )));
                }
                if kwargs.iter().any(|(k, _)| &**k == key) {
                    return Err(Error::syntax(format!(
                        "'{name}' received multiple values for keyword argument '{key}'"
                    )));
                }
                kwargs.push((Arc::from(key), value));
                if let Some(i) = unhandled_params.iter().position(|p| *p == key) {
                    unhandled_params.remove(i);
                } else if let Some(i) = unhandled_kwargs.iter().position(|p| *p == key) {
                    unhandled_kwargs.remove(i);
                }
            } else {
                if !kwargs.is_empty() {
                    return Err(Error::syntax(format!(
                        "'{name}' received some positional argument(s) after some keyword argument(s)"
                    )));
                }
                args.push(compile_filter(bit, &self.filters)?);
                if unhandled_params.is_empty() {
                    if !spec.varargs {
                        return Err(Error::syntax(format!(
                            "'{name}' received too many positional arguments"
                        )));
                    }
                } else {
                    unhandled_params.remove(0);
                }
            }
        }
        if spec.defaults > 0 {
            let keep = unhandled_params.len().saturating_sub(spec.defaults);
            unhandled_params.truncate(keep);
        }
        if !unhandled_params.is_empty() || !unhandled_kwargs.is_empty() {
            let missing: Vec<String> = unhandled_params
                .iter()
                .chain(unhandled_kwargs.iter())
                .map(|p| format!("'{p}'"))
                .collect();
            return Err(Error::syntax(format!(
                "'{name}' did not receive value(s) for the argument(s): {}",
                missing.join(", ")
            )));
        }
        Ok(Node::SimpleTag(Box::new(SimpleTagNode {
            library: Arc::from(library),
            name: Arc::from(name),
            takes_context: spec.takes_context,
            args,
            kwargs,
            target,
            span: token.span,
        })))
    }
}

/// The byte offset of `part` inside `whole` (`part` must be a slice of it).
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Django's `kwarg_re` (`(?:(\w+)=)?(.+)`): `key=value` with a word key and a non-empty value.
pub(super) fn keyword_argument(bit: &str) -> Option<(&str, &str)> {
    let key_len = bit.find(|c: char| !is_word(c))?;
    let (key, rest) = bit.split_at(key_len);
    let value = rest.strip_prefix('=')?;
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

/// Django's "Invalid block tag" error, naming the end tags expected at this point if any.
pub(super) fn invalid_block_tag(token: &Token<'_>, command: &str, until: &[&str]) -> Error {
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
    fn simple_tag_arguments_are_checked_like_parse_bits() {
        let mut libraries = Libraries::new();
        let spec = SimpleTagSpec {
            params: vec!["context".into(), "a".into(), "b".into()],
            defaults: 1,
            takes_context: true,
            ..SimpleTagSpec::default()
        };
        libraries.add_simple_tag_with(Some("lib"), "t", spec);
        let check = |source: &str| {
            parse(&format!("{{% load lib %}}{source}"), &libraries)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(check("{% t 1 %}"), "");
        assert_eq!(check("{% t 1 2 %}"), "");
        assert_eq!(check("{% t b=1 a=2 %}"), "");
        assert_eq!(
            check("{% t %}"),
            "'t' did not receive value(s) for the argument(s): 'a'"
        );
        assert_eq!(
            check("{% t 1 2 3 %}"),
            "'t' received too many positional arguments"
        );
        assert_eq!(
            check("{% t c=1 %}"),
            "'t' received unexpected keyword argument 'c'"
        );
        assert_eq!(
            check("{% t a=1 a=2 %}"),
            "'t' received multiple values for keyword argument 'a'"
        );
        assert_eq!(
            check("{% t a=1 2 %}"),
            "'t' received some positional argument(s) after some keyword argument(s)"
        );
    }

    #[test]
    fn split_contents_keeps_translated_strings_whole() {
        let libraries = Libraries::new();
        let parser = Parser::new("t", "", Vec::new(), &libraries);
        assert_eq!(
            parser.split_contents("firstof _(\"a b\") x"),
            ["firstof", "_(\"a b\")", "x"]
        );
        assert_eq!(parser.split_contents("x _('a"), ["x", "_('a"]);
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
