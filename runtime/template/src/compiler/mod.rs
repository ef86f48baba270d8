//! The compiler: source text to nodes, in Django's stages (lexer, then parser, which compiles
//! filter expressions and `{% if %}` conditions as it meets them).

pub(crate) mod ast;
mod condition;
mod expression;
mod lexer;
mod literal;
mod parser;
mod tags;

use crate::error::Error;
use crate::library::Libraries;

pub(crate) use literal::{is_py_space, parse_float, py_split, py_strip};
pub(crate) use tags::relative_path;

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
            "a{{ x }}{% if x %}b{% endif %}{# c #}{% with y=1 %}{% endwith %}",
            &Libraries::new(),
        );
        let kinds: Vec<&str> = nodes
            .unwrap_or_default()
            .iter()
            .map(|node| match node {
                Node::Text(_) => "text",
                Node::Variable(_) => "variable",
                Node::If(_) => "if",
                Node::With(_) => "with",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["text", "variable", "if", "with"]);
    }
}
