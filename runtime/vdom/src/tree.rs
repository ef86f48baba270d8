//! The tree a parse produces: immutable nodes shared through `Arc`, children held in order.
//!
//! Only the root element's subtree is kept (the part of the page that patches address). Nodes
//! are shared, not copied: a tree cloned for the browser's side of a test, a subtree reused by
//! the next render, or a node changed by the reference applier (copy on write, one path) all
//! cost what changed, not what the page weighs. Building, comparing and dropping never recurse,
//! however deep the HTML nests.

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use triomphe::Arc;

use markup5ever::{local_name, ns, LocalName, Namespace};

/// One node and, for an element, its children in order.
pub(crate) struct Node {
    pub(crate) data: NodeData,
    /// A `<template>` element's children are its template contents.
    pub(crate) children: Vec<Arc<Node>>,
    /// Where the node came from in the HTML it was parsed from (the next render reuses it when
    /// the same bytes come back); unknown for nodes html5ever built.
    pub(crate) source: Source,
    /// A hash of the whole subtree, 0 until computed (see [`subtree_hash`]). Whoever changes a
    /// node in place resets it with [`Node::touch`].
    hash: AtomicU64,
    /// How many levels of elements the subtree holds (this one included), computed on demand;
    /// `u32::MAX` until then.
    height: AtomicU32,
}

/// A node's bytes in its source: the direct parser records them, the next parse compares them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Source {
    /// The node's length in bytes (an element from its start tag through its end tag); 0 when
    /// unknown.
    pub(crate) len: u32,
    /// For an element: where its first child starts, counted from its own start.
    pub(crate) content: u32,
    /// The bytes are all of it: an element closed by its own end tag (or void), not one that
    /// content after it could have continued (an implied `<tbody>`).
    pub(crate) whole: bool,
}

impl Source {
    /// A node whose bytes are all of it. Lengths past 4 GiB are recorded as unknown.
    pub(crate) fn whole(len: usize, content: usize) -> Self {
        Source::partial(len, content).with_whole()
    }

    /// A node that ends where something else begins.
    pub(crate) fn partial(len: usize, content: usize) -> Self {
        match (u32::try_from(len), u32::try_from(content)) {
            (Ok(len), Ok(content)) => Source {
                len,
                content,
                whole: false,
            },
            _ => Source::default(),
        }
    }

    fn with_whole(self) -> Self {
        Source {
            whole: self.len > 0,
            ..self
        }
    }
}

impl Clone for Node {
    fn clone(&self) -> Self {
        Node {
            data: self.data.clone(),
            children: self.children.clone(),
            source: self.source,
            hash: AtomicU64::new(self.hash.load(Ordering::Relaxed)),
            height: AtomicU32::new(self.height.load(Ordering::Relaxed)),
        }
    }
}

/// What a node is.
#[derive(Clone, Debug)]
pub(crate) enum NodeData {
    Element(Element),
    Text(Text),
    Comment(Text),
}

/// Text and attribute values: most are short (a count, a class, a label), and up to 24 bytes
/// are held inline, without an allocation of their own.
pub(crate) type Text = compact_str::CompactString;

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
    pub(crate) value: Text,
}

impl Node {
    /// A node with its children.
    pub(crate) fn new(data: NodeData, children: Vec<Arc<Node>>) -> Node {
        Node::from_source(data, children, Source::default())
    }

    /// A node with its children and where it came from.
    ///
    /// Trees are built bottom up, so the children's heights are usually known: the node's is
    /// then known too, and a tree's depth costs nothing more after a parse.
    pub(crate) fn from_source(data: NodeData, children: Vec<Arc<Node>>, source: Source) -> Node {
        let height = match data {
            NodeData::Element(_) => children
                .iter()
                .map(|c| c.height.load(Ordering::Relaxed))
                .try_fold(0, |deepest, h| (h != u32::MAX).then(|| deepest.max(h)))
                .map_or(u32::MAX, |deepest| deepest + 1),
            NodeData::Text(_) | NodeData::Comment(_) => 0,
        };
        Node {
            data,
            children,
            source,
            hash: AtomicU64::new(0),
            height: AtomicU32::new(height),
        }
    }

    /// A leaf node (text or comment), shared.
    pub(crate) fn leaf(data: NodeData) -> Arc<Node> {
        Arc::new(Node::new(data, Vec::new()))
    }

    /// Forgets what a node knew of its subtree (hash, height, source) before it changes in place.
    pub(crate) fn touch(&mut self) {
        *self.hash.get_mut() = 0;
        *self.height.get_mut() = u32::MAX;
        self.source = Source::default();
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
        if self.children.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.children);
        while let Some(child) = pending.pop() {
            // Checking that this is the last reference reads the count, and taking the node
            // out changes none: freeing a tree costs no atomic operation per node.
            if let Ok(mut node) = Arc::try_unwrap(child) {
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

/// Where a tree's root sits in the HTML it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    /// The byte offset of the root's start tag (a fragment's root: 0).
    pub(crate) root_start: usize,
    /// The byte offset of the root's first child.
    pub(crate) content_start: usize,
    /// The open elements' names from `<html>` through the root: the parser's state there.
    pub(crate) context: Vec<LocalName>,
    /// Whether `context` is all of the parser's state at `content_start`, which nothing after
    /// it decided: a parse of a page with the same bytes up to there may start there.
    pub(crate) resumable: bool,
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
    /// Where the root's content starts in the source and which elements enclose it, when the
    /// direct parser built the tree: what the next parse needs to reuse its nodes.
    pub(crate) origin: Option<Origin>,
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
    ///
    /// Heights are cached in the nodes, so after an update this costs what changed.
    pub fn depth(&self) -> usize {
        self.root_depth + subtree_height(self.root()) as usize - 1
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
/// A node shared by both is identical at once. Otherwise the two are compared node by node,
/// shared subtrees skipped, for up to [`COMPARE_FIRST`] pairs of nodes: an ancestor of a change is
/// told apart from its new version where the change is, usually within a few nodes. Past
/// that, subtrees whose hashes differ are told apart at once and equal hashes are confirmed
/// node by node. The hashes are cached, so asking about every ancestor of a change costs
/// O(n) in all — and a tree whose ancestors of changes were told apart early is never hashed.
pub(crate) fn same_subtree(a: &Arc<Node>, b: &Arc<Node>) -> bool {
    if Arc::ptr_eq(a, b) {
        return true;
    }
    let known = |n: &Node| n.hash.load(Ordering::Relaxed);
    if known(a) != 0 && known(b) != 0 && known(a) != known(b) {
        return false;
    }
    if let Some(same) = compare(a, b, COMPARE_FIRST) {
        return same;
    }
    subtree_hash(a) == subtree_hash(b) && compare(a, b, usize::MAX) == Some(true)
}

/// How many pairs of nodes [`same_subtree`] compares before it falls back to hashes: after
/// one such fallback the subtrees' hashes are known, so the comparisons below it are quick.
const COMPARE_FIRST: usize = 512;

/// Compares two subtrees node by node (not inside shared ones): the answer, or `None` when
/// more than `budget` pairs of nodes would have to be visited.
fn compare(a: &Arc<Node>, b: &Arc<Node>, budget: usize) -> Option<bool> {
    let mut pending = Vec::new();
    let (mut a, mut b) = (a, b);
    let mut compared = 0;
    loop {
        compared += 1;
        if compared > budget {
            return None;
        }
        if !Arc::ptr_eq(a, b) {
            let same_node = match (&a.data, &b.data) {
                (NodeData::Text(x), NodeData::Text(y))
                | (NodeData::Comment(x), NodeData::Comment(y)) => x == y,
                (NodeData::Element(x), NodeData::Element(y)) => x.same_tag(y) && x.attrs == y.attrs,
                _ => false,
            };
            if !same_node || a.children.len() != b.children.len() {
                return Some(false);
            }
            pending.extend(a.children.iter().zip(&b.children));
        }
        match pending.pop() {
            Some((x, y)) => (a, b) = (x, y),
            None => return Some(true),
        }
    }
}

/// How many levels of elements a subtree holds (its root included), computed once per node
/// (bottom up, without recursing).
pub(crate) fn subtree_height(node: &Node) -> u32 {
    let unknown = |n: &Node| n.height.load(Ordering::Relaxed) == u32::MAX;
    if !unknown(node) {
        return node.height.load(Ordering::Relaxed);
    }
    let mut pending = vec![(node, false)];
    while let Some((node, children_done)) = pending.pop() {
        if !unknown(node) {
            continue;
        }
        if !children_done {
            pending.push((node, true));
            pending.extend(
                node.children
                    .iter()
                    .filter(|c| unknown(c))
                    .map(|c| (&**c, false)),
            );
            continue;
        }
        let height = match node.data {
            NodeData::Element(_) => {
                let deepest = node
                    .children
                    .iter()
                    .map(|c| c.height.load(Ordering::Relaxed));
                1 + deepest.max().unwrap_or(0)
            }
            _ => 0,
        };
        node.height.store(height, Ordering::Relaxed);
    }
    node.height.load(Ordering::Relaxed)
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
