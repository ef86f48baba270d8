//! The parsed form of a template: the nodes the renderer walks.

use std::ops::Range;
use std::sync::Arc;

use crate::error::Span;
use crate::filters::Filter;
use crate::value::{CompareOp, Value};

/// One node of a template.
#[derive(Debug)]
pub(crate) enum Node {
    /// Source text output as is (a byte range of the template source).
    Text(Range<usize>),
    /// `{{ expression }}`.
    Variable(Box<VariableNode>),
    /// `{% if %}` with its `elif`/`else` branches.
    If(Box<IfNode>),
    /// `{% for %}` with its `empty` branch.
    For(Box<ForNode>),
    /// A simple tag from a loaded library.
    SimpleTag(Box<SimpleTagNode>),
}

/// `{{ expression }}`.
#[derive(Debug)]
pub(crate) struct VariableNode {
    pub(crate) expression: FilterExpression,
    pub(crate) span: Span,
}

/// A value followed by filters: Django's `FilterExpression` (`a.b|default:"x"|upper`).
#[derive(Debug)]
pub(crate) struct FilterExpression {
    pub(crate) head: Operand,
    pub(crate) filters: Vec<FilterCall>,
}

/// A literal or a variable.
#[derive(Debug)]
pub(crate) enum Operand {
    /// A string literal (safe, as Django marks them) or a number.
    Literal(Value),
    /// A variable looked up in the context.
    Variable(Path),
}

/// A dotted variable name, split into segments.
#[derive(Debug)]
pub(crate) struct Path {
    pub(crate) segments: Box<[Segment]>,
}

/// One segment of a dotted name, with its value as a list index if it is one.
#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) name: Arc<str>,
    pub(crate) index: Option<usize>,
}

/// One filter application, `|name:arg`.
#[derive(Debug)]
pub(crate) struct FilterCall {
    pub(crate) filter: &'static Filter,
    pub(crate) arg: Option<Operand>,
}

/// The condition of `{% if %}` / `{% elif %}`, Django's smartif tree.
#[derive(Debug)]
pub(crate) enum Condition {
    /// An operand: its value decides.
    Test(FilterExpression),
    /// `not x`.
    Not(Box<Condition>),
    /// `x op y`.
    Binary(BinaryOp, Box<Condition>, Box<Condition>),
}

/// The infix operators of `{% if %}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Or,
    And,
    In,
    NotIn,
    Is,
    IsNot,
    Compare(CompareOp),
}

/// `{% if %}`: branches tried in order; an `else` branch has no condition.
#[derive(Debug)]
pub(crate) struct IfNode {
    pub(crate) branches: Vec<(Option<Condition>, Vec<Node>)>,
    pub(crate) span: Span,
}

/// `{% for a, b in sequence reversed %}`.
#[derive(Debug)]
pub(crate) struct ForNode {
    pub(crate) targets: Vec<Arc<str>>,
    pub(crate) sequence: FilterExpression,
    pub(crate) reversed: bool,
    pub(crate) body: Vec<Node>,
    pub(crate) empty: Vec<Node>,
    pub(crate) span: Span,
}

/// `{% tag arg key=value as target %}` from a loaded library.
#[derive(Debug)]
pub(crate) struct SimpleTagNode {
    pub(crate) library: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) args: Vec<FilterExpression>,
    pub(crate) kwargs: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}
