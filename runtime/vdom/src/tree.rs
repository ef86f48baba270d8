//! The compact tree a parse produces: one arena of nodes, children held as indices.
//!
//! Only the root element's subtree is kept (the part of the page that patches address). Nodes
//! live in one `Vec` so that building, cloning and dropping a tree never recurses, however deep
//! the HTML nests.

use markup5ever::{local_name, ns, LocalName, Namespace};

/// Index of a node in its tree's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeId(pub(crate) usize);

/// One node and, for an element, its children in order.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) data: NodeData,
    /// A `<template>` element's children are its template contents.
    pub(crate) children: Vec<NodeId>,
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
#[derive(Clone, Debug)]
pub struct Tree {
    /// The root is always `nodes[0]` and always an element.
    pub(crate) nodes: Vec<Node>,
    /// How many elements the document nests from `<html>` down to the root, the root included.
    pub(crate) root_depth: usize,
    pub(crate) root_kind: RootKind,
}

impl Tree {
    /// The root element's id.
    pub(crate) fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// The node with this id, which must come from this tree.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    /// The node with this id, mutably.
    pub(crate) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.0]
    }

    /// The children of a node.
    pub(crate) fn children(&self, id: NodeId) -> &[NodeId] {
        &self.node(id).children
    }

    /// The element data of a node, if it is an element.
    pub(crate) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            NodeData::Element(element) => Some(element),
            _ => None,
        }
    }

    /// Adds a node to the arena, unattached, and returns its id.
    pub(crate) fn push(&mut self, data: NodeData) -> NodeId {
        self.nodes.push(Node {
            data,
            children: Vec::new(),
        });
        NodeId(self.nodes.len() - 1)
    }

    /// Moves another tree's nodes into this arena; returns the new ids of its root's children.
    ///
    /// The other root itself is carried along unattached: its children are what a fragment
    /// parse produced.
    pub(crate) fn graft(&mut self, other: Tree) -> Vec<NodeId> {
        let offset = self.nodes.len();
        let shift = |id: &NodeId| NodeId(id.0 + offset);
        let grafted_root_children = other.nodes[0].children.iter().map(shift).collect();
        self.nodes.extend(other.nodes.into_iter().map(|node| Node {
            children: node.children.iter().map(shift).collect(),
            data: node.data,
        }));
        grafted_root_children
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
        while let Some((id, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            for &child in self.children(id) {
                if self.element(child).is_some() {
                    stack.push((child, depth + 1));
                }
            }
        }
        deepest
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;

    #[test]
    fn depth_counts_from_html_through_the_root() {
        assert_eq!(parse("text only").depth(), 2);
        assert_eq!(parse("<div><p>x</p></div>").depth(), 4);
        let page = "<!doctype html><html><body><main><div dj-root><b>x</b></div></main>";
        assert_eq!(parse(page).depth(), 5);
    }

    #[test]
    fn depth_of_very_deep_html_does_not_overflow_the_stack() {
        let html = "<div>".repeat(10_000);
        assert_eq!(parse(&html).depth(), 10_002);
    }

    #[test]
    fn graft_returns_the_fragment_children_in_order() {
        let mut tree = parse("<p>a</p>");
        let before = tree.nodes.len();
        let grafted = tree.graft(parse("<i>x</i>y"));
        assert_eq!(grafted.len(), 2);
        assert!(grafted.iter().all(|id| id.0 >= before));
        assert_eq!(
            crate::serialize::outer_html(&tree, grafted[0], tree.root()),
            "<i>x</i>"
        );
    }
}
