//! The compiler: source text to nodes, in Django's stages (lexer, then parser, which compiles
//! filter expressions and `{% if %}` conditions as it meets them).

pub(crate) mod ast;
mod condition;
mod expression;
mod lexer;
mod literal;
mod parser;

use crate::error::Error;
use crate::library::Libraries;

/// Compiles the template `name` from `source`, with the tag libraries `{% load %}` may use.
pub(crate) fn compile(
    name: &str,
    source: &str,
    libraries: &Libraries,
) -> Result<Vec<ast::Node>, Error> {
    let tokens = lexer::tokenize(source);
    parser::Parser::new(name, source, tokens, libraries).parse_template()
}
