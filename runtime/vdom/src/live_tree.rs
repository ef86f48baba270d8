//! [`LiveTree`]: a page's tree kept between renders, diffed against each new render.

use std::borrow::Cow;

use crate::diff::{diff, Diff};
use crate::error::VdomError;
use crate::parse::input_stream::normalize_newlines;
use crate::parse::parse_after;
use crate::parse::unchanged::Unchanged;
use crate::parse::well_formed::Previous;
use crate::tree::{RootKind, Tree};

/// The deepest element nesting a [`LiveTree`] accepts, counted from `<html>`.
///
/// Chrome's parser stops nesting at 512 open elements (`kMaximumHTMLParserDOMTreeDepth`) and
/// makes deeper elements siblings; past that our tree and the browser's would differ.
pub const MAX_DEPTH: usize = 512;

/// The size up to which a change is written into the kept source in place.
const SMALL_CHANGE: usize = 4096;

/// A page's current tree, kept between renders to diff the next render against.
///
/// ```
/// use djust_vdom::LiveTree;
///
/// let mut page = LiveTree::new("<div dj-root><p>0</p></div>").unwrap();
/// let diff = page.update("<div dj-root><p>1</p></div>").unwrap();
/// assert_eq!(serde_json::to_string(&diff.patches).unwrap(), r#"[["text",[0,0],"1"]]"#);
/// ```
#[derive(Clone, Debug)]
pub struct LiveTree {
    tree: Tree,
    /// The HTML the tree was parsed from (newlines normalised): the next render's unchanged
    /// parts are found in it byte for byte, and their subtrees reused instead of parsed again.
    source: String,
}

impl LiveTree {
    /// Parses a page's first render (a whole document, or a fragment).
    pub fn new(html: &str) -> Result<Self, VdomError> {
        let html = normalize_newlines(html);
        let tree = parse_after(&html, None);
        check_depth(&tree)?;
        Ok(LiveTree {
            tree,
            source: html.into_owned(),
        })
    }

    /// Parses the next render and returns the patches from the current one, which it replaces.
    ///
    /// Every render has a root (a `dj-root` element, else the body, else the fragment), so the
    /// root cannot vanish; but when a `dj-root` element appears or disappears between renders
    /// no patch list is right: a single `html` patch on `[]` would move the whole new body into
    /// the old root element (or the new root's content over the whole old body). That fails
    /// with [`VdomError::RootChanged`]; the host should have the client reload the page. On any
    /// error the current tree is kept, so the page can go on with later renders.
    pub fn update(&mut self, new_html: &str) -> Result<Diff, VdomError> {
        let mut unchanged = Unchanged::between(&self.source, new_html);
        // The previous source has no CR, so neither have the bytes shared with it: only the
        // change can need its newlines normalised.
        let new_html = match memchr::memchr(b'\r', &new_html.as_bytes()[unchanged.new_middle()]) {
            None => Cow::Borrowed(new_html),
            Some(_) => {
                let normalized = normalize_newlines(new_html);
                unchanged = Unchanged::between(&self.source, &normalized);
                normalized
            }
        };
        let previous = Previous {
            source: &self.source,
            tree: &self.tree,
            unchanged,
        };
        let new = parse_after(&new_html, Some(previous));
        check_depth(&new)?;
        let (previous, current) = (self.tree.root_kind(), new.root_kind());
        if (previous == RootKind::DjRoot) != (current == RootKind::DjRoot) {
            return Err(VdomError::RootChanged { previous, current });
        }
        let diff = diff(&self.tree, &new);
        self.tree = new;
        // A small change is copied into the kept source (both ends of it fall between
        // characters); a large one is copied whole, at memory speed, as `replace_range`
        // writes byte by byte.
        let change = &new_html[unchanged.new_middle()];
        if change.len() <= SMALL_CHANGE {
            self.source.replace_range(unchanged.old_middle(), change);
        } else {
            new_html.as_ref().clone_into(&mut self.source);
        }
        Ok(diff)
    }

    /// The HTML of the current root's children, for a client that must build the root afresh.
    pub fn root_inner_html(&self) -> String {
        self.tree.root_inner_html()
    }

    /// The current tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The source the current tree was parsed from.
    #[cfg(test)]
    pub(crate) fn source(&self) -> &str {
        &self.source
    }
}

fn check_depth(tree: &Tree) -> Result<(), VdomError> {
    match tree.depth() {
        depth if depth > MAX_DEPTH => Err(VdomError::TooDeep {
            depth,
            limit: MAX_DEPTH,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use triomphe::Arc;

    use super::*;
    use crate::apply::apply;
    use crate::patch::Patch;

    #[test]
    fn update_diffs_against_the_previous_render_and_keeps_the_new_one() {
        let mut page = LiveTree::new("<p>0</p>").unwrap();
        let first = page.update("<p>1</p>").unwrap().patches;
        let second = page.update("<p>2</p>").unwrap().patches;
        assert_eq!(
            first,
            vec![Patch::SetText {
                path: vec![0, 0],
                text: "1".into()
            }]
        );
        assert_eq!(
            second,
            vec![Patch::SetText {
                path: vec![0, 0],
                text: "2".into()
            }]
        );
        assert_eq!(page.root_inner_html(), "<p>2</p>");
    }

    #[test]
    fn a_whole_page_and_its_next_render_patch_the_dj_root_region() {
        let page = |n: u32| {
            format!(
                "<!DOCTYPE html><html><head><title>t</title></head><body><nav>menu</nav>\
                 <main dj-root dj-view=\"v1\"><h1>Count</h1><p class=\"c{n}\">{n}</p></main></body></html>"
            )
        };
        let mut live = LiveTree::new(&page(1)).unwrap();
        let mut browser = live.tree().clone();
        let patches = live.update(&page(2)).unwrap().patches;
        assert_eq!(
            serde_json::to_string(&patches).unwrap(),
            r#"[["attr",[1],"class","c2"],["text",[1,0],"2"]]"#
        );
        apply(&mut browser, &patches).unwrap();
        assert_eq!(browser.root_inner_html(), live.root_inner_html());
    }

    #[test]
    fn losing_the_dj_root_element_is_an_error_that_keeps_the_previous_tree() {
        let mut page = LiveTree::new("<nav>n</nav><div dj-root><p>1</p></div>").unwrap();
        let err = page.update("<nav>n</nav><p>2</p>").unwrap_err();
        assert_eq!(
            err,
            VdomError::RootChanged {
                previous: RootKind::DjRoot,
                current: RootKind::Fragment
            }
        );
        assert!(err
            .to_string()
            .contains("Instead of rendering the `dj-root` element conditionally"));
        assert_eq!(page.root_inner_html(), "<p>1</p>");
        assert!(page.update("<div dj-root><p>3</p></div>").is_ok());
    }

    #[test]
    fn gaining_a_dj_root_element_is_an_error() {
        let mut page = LiveTree::new("<!doctype html><p>1</p>").unwrap();
        let err = page
            .update("<!doctype html><div dj-root><p>1</p></div>")
            .unwrap_err();
        assert!(err.to_string().contains("its root was the <body>"), "{err}");
    }

    #[test]
    fn dj_root_is_found_in_any_case() {
        // Attribute names are case-insensitive: the browser's root is the `DJ-Root` element.
        let page = |n: u32| {
            format!("<html><body><nav>n{n}</nav><div DJ-Root><p>{n}</p></div></body></html>")
        };
        let mut live = LiveTree::new(&page(1)).unwrap();
        assert_eq!(live.root_inner_html(), "<p>1</p>");
        let patches = live.update(&page(2)).unwrap().patches;
        assert_eq!(
            serde_json::to_string(&patches).unwrap(),
            r#"[["text",[0,0],"2"]]"#
        );
    }

    #[test]
    fn a_document_and_a_fragment_without_dj_root_are_interchangeable() {
        let mut page = LiveTree::new("<!doctype html><p>1</p>").unwrap();
        assert_eq!(page.update("<p>2</p>").unwrap().patches.len(), 1);
    }

    #[test]
    fn pages_with_cr_lf_line_ends_are_read_as_the_browser_reads_them() {
        let page = |n: u32| format!("<div dj-root>\r\n<p>0</p>\r<pre>\r\n{n}</pre>\r\n</div>");
        let mut live = LiveTree::new(&page(1)).unwrap();
        assert_eq!(live.root_inner_html(), "\n<p>0</p>\n<pre>1</pre>\n");
        let kept = Arc::clone(&live.tree().root().children[1]);
        let patches = live.update(&page(2)).unwrap().patches;
        assert_eq!(
            serde_json::to_string(&patches).unwrap(),
            r#"[["text",[3,0],"2"]]"#
        );
        // The unchanged paragraph is the previous render's node: its bytes were found again.
        assert!(Arc::ptr_eq(&kept, &live.tree().root().children[1]));
    }

    #[test]
    fn a_live_tree_can_move_between_threads() {
        // Hosts diff with the GIL released and keep sessions on actor threads.
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<LiveTree>();
    }

    #[test]
    fn nesting_deeper_than_browsers_build_is_refused() {
        // A fragment sits in <html><body>: 2 levels before its own elements.
        let at_limit = "<div>".repeat(MAX_DEPTH - 2);
        assert!(LiveTree::new(&at_limit).is_ok());
        let too_deep = "<div>".repeat(MAX_DEPTH - 1);
        assert_eq!(
            LiveTree::new(&too_deep).unwrap_err(),
            VdomError::TooDeep {
                depth: MAX_DEPTH + 1,
                limit: MAX_DEPTH
            }
        );
        let mut page = LiveTree::new("<p>1</p>").unwrap();
        let err = page.update(&too_deep).unwrap_err();
        assert!(err.to_string().contains("Instead of nesting that deep"));
        assert_eq!(page.root_inner_html(), "<p>1</p>");
    }
}
