//! A direct parser for the HTML templates render: explicitly nested markup, built straight into
//! a [`Tree`] in one pass, several times faster than html5ever's general tree builder.
//!
//! It follows the HTML parsing algorithm only where that algorithm does nothing but append: each
//! start tag opens an element under the current one, each end tag closes the current element.
//! That includes SVG and MathML (with the names the algorithm adjusts, see `foreign`) and
//! `<template>` contents. The moment the algorithm would do anything else — close an element
//! implicitly, foster-parent text out of a table, reopen formatting elements, break out of
//! foreign content — it gives up (`None`) and [`parse`](crate::parse()) hands the page to
//! html5ever. So its trees are html5ever's trees, node for node; a property test checks exactly
//! that on random markup. Where html5ever and the HTML standard (which browsers follow)
//! disagree, it gives up too.
//!
//! Only the root's subtree is built: before the `dj-root` element the parser tracks which
//! elements are open, and it stops once the root is closed (nothing after it can reach inside).
//!
//! One job a file: [`tag_reader`] reads tags and their attributes from the bytes,
//! [`tag_tables`] holds what a tag's name alone says about it, [`tree_builder`] processes each
//! token into the tree (or gives up), and [`previous`] takes over what the previous render
//! built where the bytes come back unchanged. [`entities`] decodes character references and
//! [`foreign`] holds the rules for SVG and MathML. This file has the entry point and the
//! parser's state, which the jobs share.

mod entities;
mod foreign;
mod previous;
mod tag_reader;
mod tag_tables;
mod tree_builder;

pub(crate) use previous::Previous;

use triomphe::Arc;

use foldhash::{HashMap, HashMapExt};
use markup5ever::{ns, LocalName, Namespace};

use crate::parse::looks_like_document;
use crate::parse::unchanged::Unchanged;
use crate::tree::{Element, Node, Origin, RootKind, Tree};

use foreign::Rules;
use previous::Guide;
use tag_reader::TagReader;
use tag_tables::WATCHED;
use tree_builder::Mode;

/// The attribute that marks the root (see `parse/html5ever_sink.rs`).
const ROOT_ATTRIBUTE: &str = "dj-root";

/// The tree of `html` (after input stream preprocessing: no CR), when it is markup this parser
/// reads exactly; `None` otherwise.
///
/// With the previous render and its tree, every element whose bytes come back unchanged (in the
/// same place, or found by its key) is taken from the previous tree as it is, not parsed again:
/// the same bytes in the same context parse to the same subtree. Where the two renders share
/// their first and last bytes, the parse starts at the root's content and takes whole runs of
/// children lying in those bytes at once, without reading them. The cost then follows what
/// changed, not the page.
pub(crate) fn parse(html: &str, previous: Option<Previous<'_>>) -> Option<Tree> {
    debug_assert!(
        !html.contains('\r'),
        "the input stream is preprocessed first"
    );
    let previous = previous.filter(|p| p.tree.origin.is_some());
    // NUL (replaced or dropped depending on where it is) and a byte order mark: left to html5ever.
    // One pass for both: a BOM's first byte, 0xEF, is rare in text (U+F000 to U+FFFF). A
    // previous render read here had neither: only the change (and the two bytes either side, a
    // BOM being three) can bring one.
    let bytes = html.as_bytes();
    let scanned = match previous {
        Some(p) => {
            let change = p.unchanged.new_middle();
            change.start.saturating_sub(2)..(change.end + 2).min(bytes.len())
        }
        None => 0..bytes.len(),
    };
    let bom = "\u{feff}".as_bytes();
    if memchr::memchr2_iter(0, bom[0], &bytes[scanned.clone()])
        .map(|at| at + scanned.start)
        .any(|at| bytes[at] == 0 || bytes[at..].starts_with(bom))
    {
        return None;
    }
    // The previous root's start tag, when it is in the shared prefix, is in this page too.
    let root_tag_shared = previous.is_some_and(|p| {
        let tag = (p.tree.origin.as_ref())
            .filter(|o| o.content_start <= p.unchanged.prefix())
            .and_then(|o| p.source.as_bytes().get(o.root_start..o.content_start));
        tag.is_some_and(mentions_dj_root)
    });
    let wants_dj_root = root_tag_shared || mentions_dj_root(html.as_bytes());
    let mut parser = Parser {
        html,
        at: 0,
        stack: Vec::new(),
        root: None,
        wants_dj_root,
        document: looks_like_document(html),
        after_body: false,
        finished: None,
        open_counts: [0; WATCHED.len()],
        previous,
        unchanged: previous.map(|p| p.unchanged),
        origin: None,
        reader: TagReader::default(),
        foreign_names: foreign::ForeignNames::default(),
        children: Vec::new(),
        whitespace: HashMap::new(),
    };
    parser.run()
}

/// Whether `dj-root` is written anywhere, in any case: attribute names are case-insensitive,
/// so `<div DJ-ROOT>` is the root too.
fn mentions_dj_root(bytes: &[u8]) -> bool {
    if memchr::memmem::find(bytes, ROOT_ATTRIBUTE.as_bytes()).is_some() {
        return true;
    }
    // `j` is rare in markup, so looking at each one is cheap.
    memchr::memchr2_iter(b'j', b'J', bytes).any(|at| {
        at.checked_sub(1)
            .and_then(|start| bytes.get(start..start + ROOT_ATTRIBUTE.len()))
            .is_some_and(|word| word.eq_ignore_ascii_case(ROOT_ATTRIBUTE.as_bytes()))
    })
}

/// An element on the stack of open elements.
struct Open<'p> {
    name: LocalName,
    ns: Namespace,
    /// How the start tags under it are processed.
    rules: Rules,
    /// The insertion mode while it is the current node.
    mode: Mode,
    /// The node being built, for elements inside the root.
    building: Option<Building>,
    /// Where its start tag begins (an implied element: its first child).
    start: usize,
    /// Where its first child begins.
    content: usize,
    /// The previous render's element it corresponds to, if any (boxed: most elements have
    /// none, and every element is moved onto the stack and off it).
    guide: Option<Box<Guide<'p>>>,
}

impl<'p> Open<'p> {
    fn outside(name: LocalName, at: usize) -> Self {
        Open {
            name,
            ns: ns!(html),
            rules: Rules::Html,
            mode: Mode::Body,
            building: None,
            start: at,
            content: at,
            guide: None,
        }
    }
}

/// An element inside the root, being built: its children so far are the parser's
/// `children` from `first_child` on.
struct Building {
    element: Element,
    first_child: usize,
}

/// Where the root is on the stack, and how it was found.
#[derive(Clone, Copy)]
struct Root {
    index: usize,
    kind: RootKind,
}

/// The direct parser's state while it reads one page.
struct Parser<'h, 'p> {
    html: &'h str,
    at: usize,
    stack: Vec<Open<'p>>,
    root: Option<Root>,
    /// The page mentions `dj-root`: nothing is built before an element carrying it.
    wants_dj_root: bool,
    document: bool,
    /// A document's `</body>` was seen: only whitespace, comments and `</html>` may follow.
    after_body: bool,
    /// The root, once closed.
    finished: Option<Arc<Node>>,
    /// How many elements of each [`WATCHED`] name are open: most checks end at a zero here
    /// instead of walking the stack.
    open_counts: [u32; WATCHED.len()],
    previous: Option<Previous<'p>>,
    /// What the previous source and this one share, with `previous`.
    unchanged: Option<Unchanged>,
    /// Where the root's content starts and what encloses it, for the next parse.
    origin: Option<Origin>,
    reader: TagReader<'h>,
    foreign_names: foreign::ForeignNames,
    /// The children of the elements being built, those of the innermost last.
    children: Vec<Arc<Node>>,
    /// The node for each run of whitespace text met so far.
    whitespace: HashMap<&'h str, Arc<Node>>,
}
