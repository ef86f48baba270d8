//! Parses the condition of `{% if %}` with Django's smartif grammar: a Pratt parser with
//! Python's precedence (`or` < `and` < `not` < `in`, `not in` < `is`, `is not`, comparisons).

use super::ast::{BinaryOp, Condition, FilterExpression};
use super::expression::{compile_filter, FilterTable};
use crate::error::Error;
use crate::value::CompareOp;

/// How deeply an `{% if %}` condition may nest before it is refused (it is evaluated
/// recursively; Django itself fails with `RecursionError` somewhat later).
const MAX_CONDITION_DEPTH: usize = 100;

/// A token of the condition: an operator, an operand, or the end.
enum Token {
    Not,
    Binary(BinaryOp),
    Operand(FilterExpression, String),
    End,
}

impl Token {
    /// The left binding power: how tightly the token binds to what precedes it.
    fn lbp(&self) -> u8 {
        match self {
            Token::Binary(BinaryOp::Or) => 6,
            Token::Binary(BinaryOp::And) => 7,
            Token::Not => 8,
            Token::Binary(BinaryOp::In | BinaryOp::NotIn) => 9,
            Token::Binary(_) => 10,
            Token::Operand(..) | Token::End => 0,
        }
    }

    /// How Django names the token in error messages.
    fn id(&self) -> &str {
        match self {
            Token::Not => "not",
            Token::Binary(op) => match op {
                BinaryOp::Or => "or",
                BinaryOp::And => "and",
                BinaryOp::In => "in",
                BinaryOp::NotIn => "not in",
                BinaryOp::Is => "is",
                BinaryOp::IsNot => "is not",
                BinaryOp::Compare(CompareOp::Eq) => "==",
                BinaryOp::Compare(CompareOp::Ne) => "!=",
                BinaryOp::Compare(CompareOp::Lt) => "<",
                BinaryOp::Compare(CompareOp::Gt) => ">",
                BinaryOp::Compare(CompareOp::Le) => "<=",
                BinaryOp::Compare(CompareOp::Ge) => ">=",
            },
            Token::Operand(..) => "literal",
            Token::End => "end",
        }
    }

    /// What "Unused '...'" shows: an operator's name, or an operand's source text.
    fn display(&self) -> &str {
        match self {
            Token::Operand(_, text) => text,
            other => other.id(),
        }
    }
}

fn operator(bit: &str) -> Option<Token> {
    let op = match bit {
        "not" => return Some(Token::Not),
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "in" => BinaryOp::In,
        "is" => BinaryOp::Is,
        "==" => BinaryOp::Compare(CompareOp::Eq),
        "!=" => BinaryOp::Compare(CompareOp::Ne),
        "<" => BinaryOp::Compare(CompareOp::Lt),
        ">" => BinaryOp::Compare(CompareOp::Gt),
        "<=" => BinaryOp::Compare(CompareOp::Le),
        ">=" => BinaryOp::Compare(CompareOp::Ge),
        _ => return None,
    };
    Some(Token::Binary(op))
}

/// Parses the bits after `if` (or `elif`) into a condition.
pub(crate) fn parse_condition(bits: &[&str], table: &FilterTable<'_>) -> Result<Condition, Error> {
    // Like Django, translate every bit (compiling operands) before parsing the expression.
    let mut tokens = Vec::with_capacity(bits.len());
    let mut i = 0;
    while let Some(&bit) = bits.get(i) {
        let next = bits.get(i + 1).copied();
        let token = match (bit, next) {
            ("is", Some("not")) => {
                i += 1;
                Token::Binary(BinaryOp::IsNot)
            }
            ("not", Some("in")) => {
                i += 1;
                Token::Binary(BinaryOp::NotIn)
            }
            _ => match operator(bit) {
                Some(op) => op,
                None => Token::Operand(compile_filter(bit, table)?, bit.to_owned()),
            },
        };
        tokens.push(token);
        i += 1;
    }
    let mut tokens = tokens.into_iter();
    let current = tokens.next().unwrap_or(Token::End);
    let mut parser = ConditionParser { tokens, current };
    let (condition, _) = parser.expression(0, 0)?;
    if !matches!(parser.current, Token::End) {
        return Err(Error::syntax(format!(
            "Unused '{}' at end of if expression.",
            parser.current.display()
        )));
    }
    Ok(condition)
}

struct ConditionParser {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl ConditionParser {
    fn advance(&mut self) -> Token {
        let next = self.tokens.next().unwrap_or(Token::End);
        std::mem::replace(&mut self.current, next)
    }

    /// Parses while operators bind tighter than `rbp`; returns the tree and its depth.
    fn expression(&mut self, rbp: u8, depth: usize) -> Result<(Condition, usize), Error> {
        if depth > MAX_CONDITION_DEPTH {
            return Err(too_deep());
        }
        let token = self.advance();
        let (mut left, mut left_depth) = self.nud(token, depth)?;
        while rbp < self.current.lbp() {
            let token = self.advance();
            let Token::Binary(op) = token else {
                return Err(Error::syntax(format!(
                    "Not expecting '{}' as infix operator in if tag.",
                    token.id()
                )));
            };
            let (right, right_depth) = self.expression(binding_power(op), depth + 1)?;
            left_depth = 1 + left_depth.max(right_depth);
            if left_depth > MAX_CONDITION_DEPTH {
                return Err(too_deep());
            }
            left = Condition::Binary(op, Box::new(left), Box::new(right));
        }
        Ok((left, left_depth))
    }

    /// The prefix position: an operand, or `not` followed by its operand.
    fn nud(&mut self, token: Token, depth: usize) -> Result<(Condition, usize), Error> {
        match token {
            Token::Operand(expression, _) => Ok((Condition::Test(expression), 1)),
            Token::Not => {
                let (inner, inner_depth) = self.expression(8, depth + 1)?;
                Ok((Condition::Not(Box::new(inner)), inner_depth + 1))
            }
            Token::End => Err(Error::syntax("Unexpected end of expression in if tag.")),
            Token::Binary(_) => Err(Error::syntax(format!(
                "Not expecting '{}' in this position in if tag.",
                token.id()
            ))),
        }
    }
}

fn binding_power(op: BinaryOp) -> u8 {
    Token::Binary(op).lbp()
}

fn too_deep() -> Error {
    Error::syntax(format!(
        "The if expression is nested too deeply (the limit is {MAX_CONDITION_DEPTH} levels)."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::ast::Operand;

    /// The tree in Django's `repr` style: `(or a (and b c))`.
    fn tree(condition: &Condition) -> String {
        match condition {
            Condition::Test(expression) => match &expression.head {
                Operand::Variable(path) => path
                    .segments
                    .iter()
                    .map(|s| &*s.name)
                    .collect::<Vec<_>>()
                    .join("."),
                Operand::Literal(_) | Operand::Translated(_) => "lit".into(),
            },
            Condition::Not(inner) => format!("(not {})", tree(inner)),
            Condition::Binary(op, left, right) => {
                let id = Token::Binary(*op).id().to_owned();
                format!("({id} {} {})", tree(left), tree(right))
            }
        }
    }

    fn parse(source: &str) -> String {
        let bits: Vec<_> = source.split(' ').filter(|b| !b.is_empty()).collect();
        let table = FilterTable::new();
        match parse_condition(&bits, &table) {
            Ok(condition) => tree(&condition),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn precedence_follows_python() {
        assert_eq!(parse("a or b and c"), "(or a (and b c))");
        assert_eq!(parse("a and b or c"), "(or (and a b) c)");
        assert_eq!(parse("not a and b"), "(and (not a) b)");
        assert_eq!(parse("not a == b"), "(not (== a b))");
        assert_eq!(parse("a in b == c"), "(in a (== b c))");
        assert_eq!(parse("a not in b"), "(not in a b)");
        assert_eq!(parse("a is not b"), "(is not a b)");
        assert_eq!(parse("a == b == c"), "(== (== a b) c)");
        assert_eq!(parse("not not a"), "(not (not a))");
        assert_eq!(parse("a or b or c"), "(or (or a b) c)");
    }

    #[test]
    fn errors_match_django() {
        assert_eq!(parse(""), "Unexpected end of expression in if tag.");
        assert_eq!(parse("not"), "Unexpected end of expression in if tag.");
        assert_eq!(parse("a =="), "Unexpected end of expression in if tag.");
        assert_eq!(
            parse("and"),
            "Not expecting 'and' in this position in if tag."
        );
        assert_eq!(
            parse("a not b"),
            "Not expecting 'not' as infix operator in if tag."
        );
        assert_eq!(parse("a b"), "Unused 'b' at end of if expression.");
        assert_eq!(parse("a == b c"), "Unused 'c' at end of if expression.");
        assert_eq!(
            parse("a==b"),
            "Could not parse the remainder: '==b' from 'a==b'"
        );
        assert_eq!(parse("a is"), "Unexpected end of expression in if tag.");
    }

    #[test]
    fn deep_conditions_are_refused_not_overflowed() {
        let nots = format!("{} a", "not ".repeat(100_000));
        assert!(parse(&nots).contains("nested too deeply"));
        let ors = format!("a{}", " or a".repeat(100_000));
        assert!(parse(&ors).contains("nested too deeply"));
        let fine = format!("a{}", " or a".repeat(50));
        assert!(parse(&fine).starts_with("(or"));
    }
}
