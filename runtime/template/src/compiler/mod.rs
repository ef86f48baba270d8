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

#[cfg(test)]
mod tests {
    use super::*;
    use ast::Node;

    #[test]
    fn compiles_a_template_into_nodes() {
        let nodes = compile(
            "t",
            "a{{ x }}{% if x %}b{% endif %}{# c #}",
            &Libraries::new(),
        );
        let kinds: Vec<&str> = nodes
            .unwrap_or_default()
            .iter()
            .map(|node| match node {
                Node::Text(_) => "text",
                Node::Variable(_) => "variable",
                Node::If(_) => "if",
                Node::For(_) => "for",
                Node::SimpleTag(_) => "tag",
            })
            .collect();
        assert_eq!(kinds, ["text", "variable", "if"]);
    }
}
