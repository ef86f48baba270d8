//! HTML → [`Tree`], through html5ever with our own `TreeSink`.
//!
//! The sink keeps a flat arena of nodes with parent links (the tree builder moves nodes around:
//! foster parenting, the adoption agency, `<frameset>`). When parsing ends, the root's subtree
//! is copied in document order into a [`Tree`], which drops everything outside the root.

use std::borrow::Cow;
use std::cell::RefCell;
use triomphe::Arc;

use markup5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use markup5ever::tendril::{StrTendril, TendrilSink};
use markup5ever::{local_name, ns, Attribute as ParsedAttribute, LocalName, Namespace, QualName};

use super::looks_like_document;
use crate::tree::{Attribute, Element, Node, NodeData, RootKind, Tree};

/// The attribute that marks the element whose children djust patches.
const ROOT_ATTRIBUTE: &str = "dj-root";

/// [`parse`](super::parse()), always through html5ever's tree builder.
pub(crate) fn parse_with_html5ever(html: &str) -> Tree {
    if looks_like_document(html) {
        let sink = html5ever::parse_document(Sink::new(), Default::default()).one(html);
        sink.into_tree(None)
    } else {
        parse_fragment(html, &QualName::new(None, ns!(html), local_name!("body")))
    }
}

/// Parses HTML as the children of an element with the given name (the fragment parsing
/// algorithm behind `innerHTML`), into a tree whose root stands for that element.
pub(crate) fn parse_fragment(html: &str, context: &QualName) -> Tree {
    // Scripting is on in the browsers we patch: `<noscript>` content is raw text there.
    let scripting = true;
    let sink = html5ever::parse_fragment(
        Sink::new(),
        Default::default(),
        context.clone(),
        Vec::new(),
        scripting,
    )
    .one(html);
    sink.into_tree(Some(context))
}

/// A node while the tree builder is still at work.
struct SinkNode {
    parent: Option<usize>,
    children: Vec<usize>,
    data: SinkData,
}

enum SinkData {
    /// The document, or a `<template>`'s contents.
    Container,
    Element {
        name: QualName,
        attrs: Vec<ParsedAttribute>,
        template_contents: Option<usize>,
        mathml_annotation_xml_integration_point: bool,
    },
    Text(StrTendril),
    Comment(StrTendril),
}

/// The html5ever `TreeSink`: handles are indices into `nodes`, node 0 is the document.
///
/// The trait takes `&self`, hence the `RefCell`; every borrow ends inside the method that
/// took it, so the tree builder can never observe one.
struct Sink {
    nodes: RefCell<Vec<SinkNode>>,
}

/// An element's name handed to the tree builder (owned: it cannot borrow from the `RefCell`).
#[derive(Debug)]
struct SinkElemName(QualName);

impl ElemName for SinkElemName {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn new() -> Self {
        let document = SinkNode {
            parent: None,
            children: Vec::new(),
            data: SinkData::Container,
        };
        Sink {
            nodes: RefCell::new(vec![document]),
        }
    }

    fn add(&self, data: SinkData) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(SinkNode {
            parent: None,
            children: Vec::new(),
            data,
        });
        nodes.len() - 1
    }

    /// Inserts a node or text among `parent`'s children at `index`, merging text into a text
    /// node just before it (the DOM the parser builds never has two adjacent text nodes).
    fn insert(&self, parent: usize, index: usize, child: NodeOrText<usize>) {
        let mut nodes = self.nodes.borrow_mut();
        let child = match child {
            NodeOrText::AppendText(text) => {
                let previous = index
                    .checked_sub(1)
                    .and_then(|i| nodes.get(parent)?.children.get(i).copied());
                if let Some(SinkData::Text(existing)) = previous
                    .and_then(|p| nodes.get_mut(p))
                    .map(|node| &mut node.data)
                {
                    existing.push_tendril(&text);
                    return;
                }
                nodes.push(SinkNode {
                    parent: None,
                    children: Vec::new(),
                    data: SinkData::Text(text),
                });
                nodes.len() - 1
            }
            NodeOrText::AppendNode(node) => {
                detach(&mut nodes, node);
                node
            }
        };
        // Detaching the child may have shifted the index of its old siblings.
        let Some(siblings) = nodes.get_mut(parent).map(|p| &mut p.children) else {
            return;
        };
        let index = index.min(siblings.len());
        siblings.insert(index, child);
        if let Some(node) = nodes.get_mut(child) {
            node.parent = Some(parent);
        }
    }

    fn position_in_parent(&self, node: usize) -> Option<(usize, usize)> {
        let nodes = self.nodes.borrow();
        let parent = nodes.get(node)?.parent?;
        let index = nodes
            .get(parent)?
            .children
            .iter()
            .position(|&c| c == node)?;
        Some((parent, index))
    }

    fn child_count(&self, node: usize) -> usize {
        self.nodes
            .borrow()
            .get(node)
            .map_or(0, |n| n.children.len())
    }

    /// Copies the root's subtree into a [`Tree`]. `context` is the fragment's context element,
    /// or `None` for a document.
    fn into_tree(self, context: Option<&QualName>) -> Tree {
        let mut nodes = self.nodes.into_inner();
        let top = first_element_child(&nodes, 0);
        let dj_root = top.and_then(|top| find_dj_root(&nodes, top));
        let (root, root_kind) = match (dj_root, context) {
            (Some(root), _) => (Some(root), RootKind::DjRoot),
            (None, Some(_)) => (top, RootKind::Fragment),
            (None, None) => (top.and_then(|html| find_body(&nodes, html)), RootKind::Body),
        };
        let fragment_levels = usize::from(context.is_some());
        let root_depth = root.map_or(1, |root| element_ancestors(&nodes, root)) + fragment_levels;

        let root_element = match (root, root_kind, context) {
            // The fragment's container stands for the context element, whose children it holds.
            (_, RootKind::Fragment, Some(context)) => Element {
                ns: context.ns.clone(),
                name: context.local.clone(),
                attrs: Vec::new(),
            },
            (Some(root), _, _) => match take_element(&mut nodes, root) {
                Some(element) => element,
                None => body_element(),
            },
            // A document always has a body or frameset; this keeps `parse` total regardless.
            (None, _, _) => body_element(),
        };
        let root = build(&mut nodes, root, root_element);
        Tree {
            root,
            origin: None,
            root_depth,
            root_kind,
        }
    }
}

/// An element being built: its data, the sink children left to visit, the nodes built so far.
struct Pending {
    element: Element,
    sink_children: std::vec::IntoIter<usize>,
    children: Vec<Arc<Node>>,
}

/// Builds the tree under `root` (a sink element, if any) bottom up, without recursing.
fn build(nodes: &mut [SinkNode], root: Option<usize>, root_element: Element) -> Arc<Node> {
    let sink_children = root.map(|r| take_content_children(nodes, r));
    let mut stack = vec![Pending {
        element: root_element,
        sink_children: sink_children.unwrap_or_default().into_iter(),
        children: Vec::new(),
    }];
    loop {
        let top = stack
            .last_mut()
            .expect("the root stays on the stack until it is built");
        let Some(child) = top.sink_children.next() else {
            let done = stack.pop().expect("checked above");
            let node = Arc::new(Node::new(NodeData::Element(done.element), done.children));
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => return node,
            }
            continue;
        };
        match nodes.get(child).map(|n| &n.data) {
            Some(SinkData::Text(text)) => {
                let leaf = Node::leaf(NodeData::Text(text.as_ref().into()));
                top.children.push(leaf);
            }
            Some(SinkData::Comment(text)) => {
                let leaf = Node::leaf(NodeData::Comment(text.as_ref().into()));
                top.children.push(leaf);
            }
            Some(SinkData::Element { .. }) => {
                if let Some(element) = take_element(nodes, child) {
                    let sink_children = take_content_children(nodes, child).into_iter();
                    stack.push(Pending {
                        element,
                        sink_children,
                        children: Vec::new(),
                    });
                }
            }
            Some(SinkData::Container) | None => {}
        }
    }
}

/// Takes a sink node's children as the tree sees them: a template's are its contents.
fn take_content_children(nodes: &mut [SinkNode], id: usize) -> Vec<usize> {
    let holder = match nodes.get(id).map(|n| &n.data) {
        Some(SinkData::Element {
            template_contents: Some(contents),
            ..
        }) => *contents,
        _ => id,
    };
    nodes
        .get_mut(holder)
        .map(|n| std::mem::take(&mut n.children))
        .unwrap_or_default()
}

fn first_element_child(nodes: &[SinkNode], id: usize) -> Option<usize> {
    let node = nodes.get(id)?;
    node.children.iter().copied().find(|&c| {
        matches!(
            nodes.get(c).map(|n| &n.data),
            Some(SinkData::Element { .. })
        )
    })
}

/// The first element at or under `top`, in document order, that has a `dj-root` attribute.
/// Template contents are not searched: they are not part of the document.
fn find_dj_root(nodes: &[SinkNode], top: usize) -> Option<usize> {
    let mut stack = vec![top];
    while let Some(id) = stack.pop() {
        let node = nodes.get(id)?;
        if let SinkData::Element { attrs, .. } = &node.data {
            let marked = attrs
                .iter()
                .any(|a| a.name.ns == ns!() && &*a.name.local == ROOT_ATTRIBUTE);
            if marked {
                return Some(id);
            }
        }
        stack.extend(node.children.iter().rev());
    }
    None
}

/// What `document.body` answers: the html element's first `<body>` or `<frameset>` child.
fn find_body(nodes: &[SinkNode], html: usize) -> Option<usize> {
    nodes.get(html)?.children.iter().copied().find(|&c| {
        matches!(
            nodes.get(c).map(|n| &n.data),
            Some(SinkData::Element { name, .. })
                if name.ns == ns!(html)
                    && (name.local == local_name!("body") || name.local == local_name!("frameset"))
        )
    })
}

/// How many elements enclose `id`, itself included.
fn element_ancestors(nodes: &[SinkNode], id: usize) -> usize {
    let mut count = 0;
    let mut current = Some(id);
    while let Some(node) = current.and_then(|c| nodes.get(c)) {
        if matches!(node.data, SinkData::Element { .. }) {
            count += 1;
        }
        current = node.parent;
    }
    count
}

/// Moves an element's name and attributes out of the sink into the tree's form.
fn take_element(nodes: &mut [SinkNode], id: usize) -> Option<Element> {
    match &mut nodes.get_mut(id)?.data {
        SinkData::Element { name, attrs, .. } => Some(Element {
            ns: name.ns.clone(),
            name: name.local.clone(),
            attrs: std::mem::take(attrs)
                .into_iter()
                .map(|a| Attribute {
                    name: serialized_attribute_name(&a.name),
                    value: a.value.as_ref().into(),
                })
                .collect(),
        }),
        _ => None,
    }
}

fn body_element() -> Element {
    Element {
        ns: ns!(html),
        name: local_name!("body"),
        attrs: Vec::new(),
    }
}

/// An attribute's name as the HTML serialisation algorithm writes it.
fn serialized_attribute_name(name: &QualName) -> LocalName {
    let local = &name.local;
    if name.ns == ns!() {
        return local.clone();
    }
    let prefixed = if name.ns == ns!(xml) {
        format!("xml:{local}")
    } else if name.ns == ns!(xmlns) {
        if *local == local_name!("xmlns") {
            return local.clone();
        }
        format!("xmlns:{local}")
    } else if name.ns == ns!(xlink) {
        format!("xlink:{local}")
    } else {
        match &name.prefix {
            Some(prefix) => format!("{prefix}:{local}"),
            None => return local.clone(),
        }
    };
    LocalName::from(prefixed)
}

/// Removes a node from its parent's children.
fn detach(nodes: &mut [SinkNode], id: usize) {
    let Some(parent) = nodes.get_mut(id).and_then(|n| n.parent.take()) else {
        return;
    };
    if let Some(parent) = nodes.get_mut(parent) {
        parent.children.retain(|&c| c != id);
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Self;
    type ElemName<'a> = SinkElemName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Parse errors are recovered from exactly as browsers do; nothing to report.
    }

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> SinkElemName {
        let nodes = self.nodes.borrow();
        match nodes.get(*target).map(|n| &n.data) {
            Some(SinkData::Element { name, .. }) => SinkElemName(name.clone()),
            // The tree builder only asks about elements; an empty name matches no rule.
            _ => SinkElemName(QualName::new(None, ns!(), local_name!(""))),
        }
    }

    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<ParsedAttribute>,
        flags: ElementFlags,
    ) -> usize {
        let template_contents = flags.template.then(|| self.add(SinkData::Container));
        self.add(SinkData::Element {
            name,
            attrs,
            template_contents,
            mathml_annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
        })
    }

    fn create_comment(&self, text: StrTendril) -> usize {
        self.add(SinkData::Comment(text))
    }

    fn create_pi(&self, _target: StrTendril, data: StrTendril) -> usize {
        // Only XML has processing instructions; HTML parses `<?…>` as a comment.
        self.add(SinkData::Comment(data))
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let end = self.child_count(*parent);
        self.insert(*parent, end, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.position_in_parent(*element).is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        // A doctype is never inside the root.
    }

    fn get_template_contents(&self, target: &usize) -> usize {
        match self.nodes.borrow().get(*target).map(|n| &n.data) {
            Some(SinkData::Element {
                template_contents: Some(contents),
                ..
            }) => *contents,
            _ => *target,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {
        // The tree builder keeps its own copy for parsing; the tree has no use for it.
    }

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        if let Some((parent, index)) = self.position_in_parent(*sibling) {
            if let NodeOrText::AppendNode(node) = &new_node {
                // Moving a node from earlier in the same parent shifts the sibling left.
                if self
                    .position_in_parent(*node)
                    .is_some_and(|(p, i)| p == parent && i < index)
                {
                    self.insert(parent, index - 1, new_node);
                    return;
                }
            }
            self.insert(parent, index, new_node);
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<ParsedAttribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(SinkData::Element {
            attrs: existing, ..
        }) = nodes.get_mut(*target).map(|n| &mut n.data)
        {
            for attr in attrs {
                if !existing.iter().any(|e| e.name == attr.name) {
                    existing.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(children) = nodes
            .get_mut(*node)
            .map(|n| std::mem::take(&mut n.children))
        else {
            return;
        };
        for &child in &children {
            if let Some(child) = nodes.get_mut(child) {
                child.parent = Some(*new_parent);
            }
        }
        if let Some(new_parent) = nodes.get_mut(*new_parent) {
            new_parent.children.extend(children);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &usize) -> bool {
        matches!(
            self.nodes.borrow().get(*handle).map(|n| &n.data),
            Some(SinkData::Element {
                mathml_annotation_xml_integration_point: true,
                ..
            })
        )
    }

    fn allow_declarative_shadow_roots(&self, _intended_parent: &usize) -> bool {
        // Keep `<template shadowrootmode>` a template, as `innerHTML` (and so every patch) does.
        false
    }
}
