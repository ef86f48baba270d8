//! Reuse of the previous render: where the bytes come back unchanged, in the same context, the
//! parse takes the previous tree's nodes over instead of building them again — from the
//! root's content on when everything before it is shared, whole runs of children lying in the
//! bytes both renders share, and single elements found in place or by their key.

use triomphe::Arc;

use foldhash::{HashMap, HashMapExt};
use markup5ever::ns;

use super::foreign::Rules;
use super::Open;
use super::Parser;
use crate::parse::looks_like_document;
use crate::parse::unchanged::Unchanged;
use crate::tree::{Element, Node, NodeData, RootKind, Tree};

/// A previous render and its tree, whose unchanged subtrees a parse may take over.
#[derive(Clone, Copy)]
pub(crate) struct Previous<'p> {
    pub(crate) source: &'p str,
    pub(crate) tree: &'p Tree,
    /// What the previous source and the one being parsed share.
    pub(crate) unchanged: Unchanged,
}

impl<'p> Previous<'p> {
    /// The previous render `source` (parsed into `tree`), for parsing `html` next.
    pub(crate) fn new(source: &'p str, tree: &'p Tree, html: &str) -> Self {
        Previous {
            source,
            tree,
            unchanged: Unchanged::between(source, html),
        }
    }
}

/// The previous render's element matching an open element: its children, where each began in
/// the previous source, and which one the next token is expected to match.
pub(super) struct Guide<'p> {
    pub(super) node: &'p Node,
    /// The start of each child, as far as their lengths are known.
    offsets: Vec<usize>,
    pub(super) cursor: usize,
    /// Children by key (`data-key`, `dj-key`), gathered when first needed.
    keyed: Option<HashMap<&'p str, usize>>,
}

impl<'p> Guide<'p> {
    pub(super) fn new(node: &'p Node, content_start: usize) -> Self {
        let mut offsets = Vec::with_capacity(node.children.len());
        let mut at = content_start;
        for child in &node.children {
            if child.source.len == 0 {
                break;
            }
            offsets.push(at);
            at += child.source.len as usize;
        }
        Guide {
            node,
            offsets,
            cursor: 0,
            keyed: None,
        }
    }

    /// The child at `index` and its start, when known.
    fn child(&self, index: usize) -> Option<(&'p Arc<Node>, usize)> {
        Some((self.node.children.get(index)?, *self.offsets.get(index)?))
    }

    /// The index of the child carrying `key`.
    ///
    /// Children lying wholly in bytes both renders share are left out: those come back in
    /// their place, taken over there (a copy elsewhere is parsed, to the same nodes).
    fn keyed(&mut self, key: &str, unchanged: Option<Unchanged>) -> Option<usize> {
        let node = self.node;
        let offsets = &self.offsets;
        let keyed = self.keyed.get_or_insert_with(|| {
            let searched = match unchanged {
                Some(unchanged) => {
                    let change = unchanged.old_middle();
                    let first = offsets.partition_point(|&s| s < change.start);
                    first.saturating_sub(1)..offsets.partition_point(|&s| s < change.end)
                }
                None => 0..offsets.len(),
            };
            let mut keyed = HashMap::with_capacity(searched.len());
            for index in searched {
                if let Some(key) = node.children[index].element().and_then(key_of) {
                    keyed.insert(key, index);
                }
            }
            keyed
        });
        keyed.get(key).copied()
    }

    /// Steps past the child at the cursor when it is of the kind just parsed.
    pub(super) fn passed(&mut self, kind: fn(&NodeData) -> bool) {
        if self
            .node
            .children
            .get(self.cursor)
            .is_some_and(|c| kind(&c.data))
        {
            self.cursor += 1;
        }
    }
}

/// The key a list item carries, for finding it again.
fn key_of(element: &Element) -> Option<&str> {
    element.attr("data-key").or_else(|| element.attr("dj-key"))
}

/// Whether the previous render's `node`, which began at `start` in `source`, has exactly the
/// bytes at `at` in `html` — and ends with its own end tag, so that nothing after it could
/// have joined it.
fn same_bytes(
    node: &Node,
    source: &[u8],
    start: usize,
    html: &[u8],
    at: usize,
    unchanged: Option<Unchanged>,
) -> bool {
    let len = node.source.len as usize;
    if !node.source.whole || node.element().is_none() {
        return false;
    }
    // Where the common prefix or suffix answers, no byte need be compared.
    if let Some(known) = unchanged.and_then(|u| u.same_bytes(start, at, len)) {
        return known;
    }
    html.get(at..at + len)
        .is_some_and(|new| source.get(start..start + len) == Some(new))
}

impl<'p> Parser<'_, 'p> {
    /// Starts at the previous root's content when every byte up to it is the previous
    /// render's: the parser stood there with the elements of the previous tree's context open
    /// and nothing else to remember, so it stands there again.
    pub(super) fn resume_at_root(&mut self) -> bool {
        let (Some(previous), Some(unchanged)) = (self.previous, self.unchanged) else {
            return false;
        };
        let tree = previous.tree;
        let (Some(origin), Some(element)) = (&tree.origin, tree.root().element()) else {
            return false;
        };
        // Whether the page is a document and whether it has a `dj-root` element are looked for
        // in the whole page; a root found by its `dj-root` is the first, before the content.
        let same_kind = self.wants_dj_root == (tree.root_kind == RootKind::DjRoot)
            && self.document == looks_like_document(previous.source);
        if !origin.resumable || origin.content_start > unchanged.prefix() || !same_kind {
            return false;
        }
        let Some((_, outside)) = origin.context.split_last() else {
            return false;
        };
        // Elements above the root are never the current node again: only their names count.
        for name in outside {
            self.count(&ns!(html), name, 1);
            self.stack
                .push(Open::outside(name.clone(), origin.root_start));
        }
        self.at = origin.content_start;
        self.start_root(
            element.clone(),
            tree.root_kind,
            false,
            origin.root_start,
            true,
        );
        true
    }

    /// Takes over at once the previous render's children that follow here in bytes both
    /// renders share: the current element stands for the previous one its guide follows, with
    /// the same elements open above it, so from the same place in its children the same bytes
    /// parse to the same nodes. Only what wholly lies in the shared bytes is taken: an element
    /// closed by its own end tag, a comment, a text whose end is not where the change starts
    /// (the change could continue it).
    #[inline(never)]
    pub(super) fn take_unchanged(&mut self) -> bool {
        let Some(unchanged) = self.unchanged else {
            return false;
        };
        let Some((old_at, shared_end)) = unchanged.old_offset(self.at) else {
            return false;
        };
        let Some(open) = self.stack.last_mut() else {
            return false;
        };
        let (Some(building), Some(guide)) = (&open.building, open.guide.as_deref_mut()) else {
            return false;
        };
        let first = if guide.offsets.get(guide.cursor) == Some(&old_at) {
            guide.cursor
        } else {
            match guide.offsets.binary_search(&old_at) {
                Ok(index) => index,
                Err(_) => return false,
            }
        };
        // Text right after text would have joined it (`text` reads up to a `<`, so this
        // does not happen; checked all the same).
        let after_text = self.children.len() > building.first_child
            && matches!(
                self.children.last().map(|c| &c.data),
                Some(NodeData::Text(_))
            );
        let children = &guide.node.children[..guide.offsets.len()];
        let mut end = first;
        let mut old_end = old_at;
        for child in &children[first..] {
            let child_end = old_end + child.source.len as usize;
            let taken = match child.data {
                NodeData::Element(_) => child.source.whole && child_end <= shared_end,
                NodeData::Comment(_) => child_end <= shared_end,
                NodeData::Text(_) => child_end < shared_end && !(end == first && after_text),
            };
            if !taken {
                break;
            }
            end += 1;
            old_end = child_end;
        }
        if end == first {
            return false;
        }
        self.children.extend(children[first..end].iter().cloned());
        guide.cursor = end;
        self.at += old_end - old_at;
        true
    }

    /// The guide for an element about to open: the previous element at the cursor, if it has
    /// the same tag (the cursor then moves past it) and its children parse the same way.
    pub(super) fn guide_for(&mut self, element: &Element, rules: Rules) -> Option<Box<Guide<'p>>> {
        let parent = self.stack.last_mut()?.guide.as_mut()?;
        let (child, start) = parent.child(parent.cursor)?;
        let previous = child.element()?;
        if !previous.same_tag(element) {
            return None;
        }
        parent.cursor += 1;
        // A template's mode comes from its content and an `annotation-xml`'s rules from its
        // `encoding`: for those the tag alone does not say how the children were parsed.
        if element.is_template()
            || Rules::of(&previous.ns, &previous.name, &previous.attrs) != rules
        {
            return None;
        }
        Some(Box::new(Guide::new(
            child,
            start + child.source.content as usize,
        )))
    }

    pub(super) fn guide(&mut self) -> Option<&mut Guide<'p>> {
        self.stack.last_mut()?.guide.as_deref_mut()
    }

    /// Takes the previous render's element near the cursor when the bytes at the cursor are
    /// exactly its bytes.
    pub(super) fn reuse_in_place(&mut self) -> bool {
        let (html, at) = (self.html.as_bytes(), self.at);
        let Some(source) = self.previous.map(|p| p.source.as_bytes()) else {
            return false;
        };
        let Some(guide) = self.stack.last_mut().and_then(|o| o.guide.as_mut()) else {
            return false;
        };
        // The cursor, then a step either way: an element added or removed just before.
        let cursor = guide.cursor;
        let candidates = [
            cursor,
            cursor + 1,
            cursor + 2,
            cursor.wrapping_sub(1),
            cursor.wrapping_sub(2),
        ];
        for index in candidates {
            let Some((child, start)) = guide.child(index) else {
                continue;
            };
            if same_bytes(child, source, start, html, at, self.unchanged) {
                guide.cursor = index + 1;
                let node = Arc::clone(child);
                self.at += node.source.len as usize;
                self.append(node);
                return true;
            }
        }
        false
    }

    /// Takes the previous render's element with this key when its bytes come back unchanged.
    pub(super) fn reuse_keyed(&mut self, key: &str) -> bool {
        let (html, at) = (self.html.as_bytes(), self.at);
        let Some(source) = self.previous.map(|p| p.source.as_bytes()) else {
            return false;
        };
        let Some(guide) = self.stack.last_mut().and_then(|o| o.guide.as_mut()) else {
            return false;
        };
        let Some(index) = guide.keyed(key, self.unchanged) else {
            return false;
        };
        let Some((child, start)) = guide.child(index) else {
            return false;
        };
        if !same_bytes(child, source, start, html, at, self.unchanged) {
            return false;
        }
        guide.cursor = index + 1;
        let node = Arc::clone(child);
        self.at += node.source.len as usize;
        self.append(node);
        true
    }
}
