//! The parsed form of a template: the nodes the renderer walks, one variant per Django node.

use std::sync::Arc;

use crate::error::Span;
use crate::library::FilterSpec;
use crate::render::FoundTemplate;
use crate::value::{CompareOp, Key, Value};

/// One node of a template.
#[derive(Debug)]
pub(crate) enum Node {
    /// Source text output as is.
    Text(Box<str>),
    /// `{{ expression }}`.
    Variable(Box<VariableNode>),
    /// `{% if %}` with its `elif`/`else` branches.
    If(Box<IfNode>),
    /// `{% for %}` with its `empty` branch.
    For(Box<ForNode>),
    /// A simple tag from a loaded library, run by the host.
    SimpleTag(Box<SimpleTagNode>),
    /// `{% autoescape on|off %}`.
    Autoescape(Box<ScopedBody<bool>>),
    /// `{% localize on|off %}` (the `l10n` library).
    Localize(Box<ScopedBody<bool>>),
    /// `{% block name %}`: shared, because inheritance renders blocks of other templates.
    Block(Arc<BlockNode>),
    /// `{% extends parent %}`: only its blocks render, inside the parent.
    Extends(Box<ExtendsNode>),
    /// `{% include name with a=b only %}`.
    Include(Box<IncludeNode>),
    /// `{% cycle a b as name silent %}`, or a later `{% cycle name %}` (the same node).
    Cycle(Arc<CycleNode>),
    /// `{% resetcycle %}` of a cycle node.
    ResetCycle(Arc<CycleNode>),
    /// `{% csrf_token %}`.
    CsrfToken,
    /// `{% filter lower|escape %}` ... `{% endfilter %}`.
    Filter(Box<FilterNode>),
    /// `{% firstof a b "c" as name %}`.
    FirstOf(Box<FirstOfNode>),
    /// `{% ifchanged %}` ... `{% else %}` ... `{% endifchanged %}`.
    IfChanged(Box<IfChangedNode>),
    /// `{% lorem 2 w random %}`.
    Lorem(Box<LoremNode>),
    /// `{% now "Y-m-d" as name %}`.
    Now(Box<NowNode>),
    /// `{% regroup list by key as name %}`.
    Regroup(Box<RegroupNode>),
    /// `{% spaceless %}` ... `{% endspaceless %}`.
    Spaceless(Box<[Node]>),
    /// `{% url "name" arg key=value as name %}`.
    Url(Box<UrlNode>),
    /// `{% widthratio value max width as name %}`.
    WidthRatio(Box<WidthRatioNode>),
    /// `{% with a=b %}` ... `{% endwith %}`.
    With(Box<WithNode>),
    /// `{% translate "text" context "c" noop as name %}`.
    Translate(Box<TranslateNode>),
    /// `{% blocktranslate %}` ... `{% endblocktranslate %}`.
    BlockTranslate(Box<BlockTranslateNode>),
    /// `{% get_current_language as name %}`.
    CurrentLanguage(Arc<str>),
    /// `{% static "path" as name %}`, `{% get_static_prefix %}`, `{% get_media_prefix %}`.
    Static(Box<StaticNode>),
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
    /// The source text, which `string_if_invalid` may print (`"%s"`).
    pub(crate) token: Box<str>,
}

/// A literal, a variable, or a string to translate.
#[derive(Debug)]
pub(crate) enum Operand {
    /// A string literal (safe, as Django marks them) or a number.
    Literal(Value),
    /// A variable looked up in the context.
    Variable(Path),
    /// `_("text")`: translated when rendered (the text has its `%` doubled, as Django does).
    Translated(Value),
}

/// A dotted variable name, split into segments.
#[derive(Debug)]
pub(crate) struct Path {
    pub(crate) segments: Box<[Segment]>,
}

impl Path {
    /// The dotted name, as written.
    pub(crate) fn dotted(&self) -> String {
        let names: Vec<&str> = self.segments.iter().map(|s| &*s.name).collect();
        names.join(".")
    }
}

/// One segment of a dotted name, with its value as a list index if it is one.
#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) name: Key,
    pub(crate) index: Option<usize>,
}

/// One filter application, `|name:arg`.
#[derive(Debug)]
pub(crate) struct FilterCall {
    pub(crate) name: Arc<str>,
    pub(crate) spec: FilterSpec,
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
    /// Whether the body may read `forloop` (else the renderer does not make one).
    pub(crate) needs_forloop: bool,
    pub(crate) span: Span,
}

/// `{% tag arg key=value as target %}` from a loaded library.
#[derive(Debug)]
pub(crate) struct SimpleTagNode {
    pub(crate) library: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) takes_context: bool,
    pub(crate) args: Vec<FilterExpression>,
    pub(crate) kwargs: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// A body rendered with one setting changed (`autoescape`, `localize`).
#[derive(Debug)]
pub(crate) struct ScopedBody<T> {
    pub(crate) setting: T,
    pub(crate) body: Vec<Node>,
}

/// `{% block name %}` ... `{% endblock %}`.
#[derive(Debug)]
pub(crate) struct BlockNode {
    pub(crate) name: Arc<str>,
    pub(crate) body: Vec<Node>,
}

/// `{% extends parent %}`.
#[derive(Debug)]
pub(crate) struct ExtendsNode {
    pub(crate) parent: FilterExpression,
    /// The rest of the template: parsed (and checked) but only its blocks are used.
    pub(crate) body: Vec<Node>,
    /// Whether the parent is given by a variable or filters (the error message says so).
    pub(crate) parent_is_variable: bool,
    pub(crate) span: Span,
    /// The parent found last time.
    pub(crate) found: FoundTemplate,
}

/// `{% include template with a=b only %}`.
#[derive(Debug)]
pub(crate) struct IncludeNode {
    pub(crate) template: FilterExpression,
    pub(crate) extra: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) only: bool,
    pub(crate) span: Span,
    /// The template found last time.
    pub(crate) found: FoundTemplate,
}

/// `{% cycle a b as name silent %}`.
#[derive(Debug)]
pub(crate) struct CycleNode {
    pub(crate) values: Vec<FilterExpression>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) silent: bool,
    pub(crate) span: Span,
}

/// `{% filter a|b %}`: the body's output goes through the filters of `expression` (`var|a|b`).
#[derive(Debug)]
pub(crate) struct FilterNode {
    pub(crate) expression: FilterExpression,
    pub(crate) body: Vec<Node>,
    pub(crate) span: Span,
}

/// `{% firstof a b as name %}`.
#[derive(Debug)]
pub(crate) struct FirstOfNode {
    pub(crate) values: Vec<FilterExpression>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// `{% ifchanged a b %}`.
#[derive(Debug)]
pub(crate) struct IfChangedNode {
    pub(crate) values: Vec<FilterExpression>,
    pub(crate) body: Vec<Node>,
    pub(crate) otherwise: Vec<Node>,
    pub(crate) span: Span,
}

/// How `{% lorem %}` formats its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoremMethod {
    /// `w`: words.
    Words,
    /// `p`: paragraphs in `<p>` tags.
    Paragraphs,
    /// `b`: plain paragraphs.
    Plain,
}

/// `{% lorem count method random %}`.
#[derive(Debug)]
pub(crate) struct LoremNode {
    pub(crate) count: FilterExpression,
    pub(crate) method: LoremMethod,
    pub(crate) common: bool,
    pub(crate) span: Span,
}

/// `{% now "format" as name %}`.
#[derive(Debug)]
pub(crate) struct NowNode {
    pub(crate) format: Box<str>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// `{% regroup target by key as name %}`; `key` is compiled as `name.key`.
#[derive(Debug)]
pub(crate) struct RegroupNode {
    pub(crate) target: FilterExpression,
    pub(crate) key: FilterExpression,
    pub(crate) name: Arc<str>,
    pub(crate) span: Span,
}

/// `{% url view_name args kwargs as name %}`.
#[derive(Debug)]
pub(crate) struct UrlNode {
    pub(crate) view_name: FilterExpression,
    pub(crate) args: Vec<FilterExpression>,
    pub(crate) kwargs: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// `{% widthratio value max width as name %}`.
#[derive(Debug)]
pub(crate) struct WidthRatioNode {
    pub(crate) value: FilterExpression,
    pub(crate) max: FilterExpression,
    pub(crate) width: FilterExpression,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// `{% with a=b c=d %}`.
#[derive(Debug)]
pub(crate) struct WithNode {
    pub(crate) values: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) body: Vec<Node>,
    pub(crate) span: Span,
}

/// `{% translate message context "c" noop as name %}`.
#[derive(Debug)]
pub(crate) struct TranslateNode {
    pub(crate) message: FilterExpression,
    pub(crate) noop: bool,
    pub(crate) message_context: Option<FilterExpression>,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// One piece of a `{% blocktranslate %}` body: text, or a `{{ name }}` placeholder.
#[derive(Debug)]
pub(crate) enum TranslatePiece {
    Text(Box<str>),
    Variable(Box<str>),
}

/// `{% blocktranslate with a=b count n=c context "x" trimmed asvar name %}`.
#[derive(Debug)]
pub(crate) struct BlockTranslateNode {
    pub(crate) tag_name: Box<str>,
    pub(crate) extra: Vec<(Arc<str>, FilterExpression)>,
    pub(crate) singular: Vec<TranslatePiece>,
    pub(crate) plural: Vec<TranslatePiece>,
    pub(crate) counter: Option<(Arc<str>, FilterExpression)>,
    pub(crate) message_context: Option<FilterExpression>,
    pub(crate) trimmed: bool,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// Which URL of the `static` library a node prints.
#[derive(Debug)]
pub(crate) enum StaticKind {
    /// `{% static path %}`.
    File(FilterExpression),
    /// `{% get_static_prefix %}`.
    StaticPrefix,
    /// `{% get_media_prefix %}`.
    MediaPrefix,
}

/// A tag of the `static` library.
#[derive(Debug)]
pub(crate) struct StaticNode {
    pub(crate) kind: StaticKind,
    pub(crate) target: Option<Arc<str>>,
    pub(crate) span: Span,
}

/// Calls `visit` on every node in `nodes` and inside them, depth first, in document order
/// (Django's `get_nodes_by_type` walks the same child lists).
pub(crate) fn walk<'n>(nodes: &'n [Node], visit: &mut impl FnMut(&'n Node)) {
    for node in nodes {
        visit(node);
        match node {
            Node::If(node) => {
                for (_, body) in &node.branches {
                    walk(body, visit);
                }
            }
            Node::For(node) => {
                walk(&node.body, visit);
                walk(&node.empty, visit);
            }
            Node::Autoescape(node) | Node::Localize(node) => walk(&node.body, visit),
            Node::Block(node) => walk(&node.body, visit),
            Node::Extends(node) => walk(&node.body, visit),
            Node::Filter(node) => walk(&node.body, visit),
            Node::IfChanged(node) => {
                walk(&node.body, visit);
                walk(&node.otherwise, visit);
            }
            Node::Spaceless(body) => walk(body, visit),
            Node::With(node) => walk(&node.body, visit),
            _ => {}
        }
    }
}
