//! The tree a parse produces: immutable nodes shared through `Arc`, children held in order.
//!
//! Only the root element's subtree is kept (the part of the page that patches address). Nodes
//! are shared, not copied: a tree cloned for the browser's side of a test, a subtree reused by
//! the next render, or a node changed by the reference applier (copy on write, one path) all
//! cost what changed, not what the page weighs. Building, comparing and dropping never recurse,
//! however deep the HTML nests.

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use markup5ever::{local_name, ns, LocalName, Namespace};

/// One node and, for an element, its children in order.
pub(crate) struct Node {
    pub(crate) data: NodeData,
    /// A `<template>` element's children are its template contents.
    pub(crate) children: Vec<Arc<Node>>,
    /// A hash of the whole subtree, 0 until computed (see [`subtree_hash`]). Whoever changes a
    /// node in place resets it with [`Node::touch`].
    hash: AtomicU64,
}

impl Clone for Node {
    fn clone(&self) -> Self {
        Node {
            data: self.data.clone(),
            children: self.children.clone(),
            hash: AtomicU64::new(self.hash.load(Ordering::Relaxed)),
        }
    }
}

/// What a node is.
#[derive(Clone, Debug)]
pub(crate) enum NodeData {
    Element(Element),
    Text(String),
    Comment(String),
}

/// An element's namespace, name and attributes.
#[derive(Clone, Debug)]
pub(crate) struct Element {
    pub(crate) ns: Namespace,
    pub(crate) name: LocalName,
    /// In source order, each name once (the parser drops repeated attributes).
    pub(crate) attrs: Vec<Attribute>,
}

/// One attribute, named as HTML serialisation writes it (`class`, `xlink:href`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attribute {
    pub(crate) name: LocalName,
    pub(crate) value: String,
}

impl Node {
    /// A node with its children.
    pub(crate) fn new(data: NodeData, children: Vec<Arc<Node>>) -> Node {
        Node {
            data,
            children,
            hash: AtomicU64::new(0),
        }
    }

    /// A leaf node (text or comment), shared.
    pub(crate) fn leaf(data: NodeData) -> Arc<Node> {
        Arc::new(Node::new(data, Vec::new()))
    }

    /// Forgets the subtree hash of a node about to change in place.
    pub(crate) fn touch(&mut self) {
        *self.hash.get_mut() = 0;
    }

    /// The element data of this node, if it is an element.
    pub(crate) fn element(&self) -> Option<&Element> {
        match &self.data {
            NodeData::Element(element) => Some(element),
            _ => None,
        }
    }

    /// Whether this is an HTML `<template>`, whose children are not `childNodes`.
    pub(crate) fn is_template(&self) -> bool {
        self.element().is_some_and(Element::is_template)
    }
}

impl Drop for Node {
    /// Frees a subtree without recursing: a node dropped last hands its children to a loop.
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(child) = pending.pop() {
            if let Some(mut node) = Arc::into_inner(child) {
                pending.append(&mut node.children);
            }
        }
    }
}

impl Element {
    /// Whether this is the HTML element with the given local name.
    pub(crate) fn is_html(&self, name: &LocalName) -> bool {
        self.ns == ns!(html) && self.name == *name
    }

    /// Whether this is an HTML `<template>`, whose children are its template contents.
    pub(crate) fn is_template(&self) -> bool {
        self.is_html(&local_name!("template"))
    }

    /// Whether two elements have the same tag: namespace and local name.
    pub(crate) fn same_tag(&self, other: &Element) -> bool {
        self.ns == other.ns && self.name == other.name
    }

    /// The value of an attribute.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// How a tree's root element was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootKind {
    /// The first element carrying a `dj-root` attribute.
    DjRoot,
    /// A document without `dj-root`: its `<body>` (or the `<frameset>` that replaced it,
    /// as `document.body` answers).
    Body,
    /// A fragment without `dj-root`: the fragment itself, parsed as `<body>` content.
    Fragment,
}

/// A parsed page reduced to its root element's subtree.
#[derive(Clone)]
pub struct Tree {
    /// Always an element.
    pub(crate) root: Arc<Node>,
    /// How many elements the document nests from `<html>` down to the root, the root included.
    pub(crate) root_depth: usize,
    pub(crate) root_kind: RootKind,
}

impl Tree {
    /// The root element.
    pub(crate) fn root(&self) -> &Node {
        &self.root
    }

    /// How a tree's root element was found.
    pub fn root_kind(&self) -> RootKind {
        self.root_kind
    }

    /// How deep elements nest, counted from the document's `<html>` element (depth 1).
    ///
    /// A fragment counts as if it were inside `<html><body>`, which is where a page puts it.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self.root(), self.root_depth)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            for child in &node.children {
                if child.element().is_some() {
                    stack.push((child, depth + 1));
                }
            }
        }
        deepest
    }

    /// Whether two trees hold the same content under their roots, node for node.
    ///
    /// Serialised HTML cannot tell one text node `ab` from two, `a` and `b`; this can.
    pub fn same_content(&self, other: &Tree) -> bool {
        same_children(self.root(), other.root())
    }
}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tree")
            .field("root_kind", &self.root_kind)
            .field("root_depth", &self.root_depth)
            .field("inner_html", &self.root_inner_html())
            .finish()
    }
}

/// Whether two nodes have identical children (and descendants).
pub(crate) fn same_children(a: &Node, b: &Node) -> bool {
    a.children.len() == b.children.len()
        && a.children
            .iter()
            .zip(&b.children)
            .all(|(x, y)| same_subtree(x, y))
}

/// Whether two subtrees are identical: same nodes, names, attributes (in order) and text.
///
/// Subtrees whose hashes differ are told apart at once; equal hashes are confirmed node by
/// node. The hashes are cached, so asking about every ancestor of a change costs O(n) in all.
pub(crate) fn same_subtree(a: &Arc<Node>, b: &Arc<Node>) -> bool {
    if Arc::ptr_eq(a, b) {
        return true;
    }
    if subtree_hash(a) != subtree_hash(b) {
        return false;
    }
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        if Arc::ptr_eq(a, b) {
            continue;
        }
        let same_node = match (&a.data, &b.data) {
            (NodeData::Text(x), NodeData::Text(y))
            | (NodeData::Comment(x), NodeData::Comment(y)) => x == y,
            (NodeData::Element(x), NodeData::Element(y)) => x.same_tag(y) && x.attrs == y.attrs,
            _ => false,
        };
        if !same_node || a.children.len() != b.children.len() {
            return false;
        }
        pending.extend(a.children.iter().zip(&b.children));
    }
    true
}

const HASH_SEED: foldhash::quality::FixedState =
    foldhash::quality::FixedState::with_seed(0x646a_7573);

/// A hash of a subtree's content, computed once per node (bottom up, without recursing).
pub(crate) fn subtree_hash(node: &Node) -> u64 {
    let cached = node.hash.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    let mut pending = vec![(node, false)];
    while let Some((node, children_done)) = pending.pop() {
        if node.hash.load(Ordering::Relaxed) != 0 {
            continue;
        }
        if !children_done {
            pending.push((node, true));
            let unhashed = node
                .children
                .iter()
                .filter(|c| c.hash.load(Ordering::Relaxed) == 0);
            pending.extend(unhashed.map(|c| (&**c, false)));
            continue;
        }
        let mut hasher = HASH_SEED.build_hasher();
        match &node.data {
            NodeData::Text(text) => (0u8, text).hash(&mut hasher),
            NodeData::Comment(text) => (1u8, text).hash(&mut hasher),
            NodeData::Element(element) => {
                (2u8, &*element.ns, &*element.name).hash(&mut hasher);
                for attr in &element.attrs {
                    (&*attr.name, &attr.value).hash(&mut hasher);
                }
            }
        }
        for child in &node.children {
            hasher.write_u64(child.hash.load(Ordering::Relaxed));
        }
        // 0 means "not computed": a hash that happens to be 0 becomes 1.
        node.hash.store(hasher.finish().max(1), Ordering::Relaxed);
    }
    node.hash.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn depth_counts_from_html_through_the_root() {
        assert_eq!(parse("text only").depth(), 2);
        assert_eq!(parse("<div><p>x</p></div>").depth(), 4);
        let page = "<!doctype html><html><body><main><div dj-root><b>x</b></div></main>";
        assert_eq!(parse(page).depth(), 5);
    }

    #[test]
    fn very_deep_trees_are_measured_compared_and_dropped_without_recursing() {
        let html = "<div>".repeat(10_000);
        let (a, b) = (parse(&html), parse(&html));
        assert_eq!(a.depth(), 10_002);
        assert!(a.same_content(&b));
        drop(a);
        drop(b);
    }

    #[test]
    fn same_content_tells_split_text_from_whole_text() {
        let whole = parse("ab");
        let mut split = whole.clone();
        let root = Arc::make_mut(&mut split.root);
        root.touch();
        root.children = vec![
            Node::leaf(NodeData::Text("a".into())),
            Node::leaf(NodeData::Text("b".into())),
        ];
        assert_eq!(split.root_inner_html(), whole.root_inner_html());
        assert!(!split.same_content(&whole));
    }

    #[test]
    fn a_tree_shares_its_nodes_with_its_clones() {
        let tree = parse("<p>a</p>");
        let copy = tree.clone();
        assert!(Arc::ptr_eq(&tree.root, &copy.root));
    }
}
