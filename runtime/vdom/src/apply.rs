//! A reference applier: patches applied to a [`Tree`] as a browser applies them to its DOM.
//!
//! Tests use it to check that a diff is right (apply it to the old tree, compare with the new);
//! it is as strict as a browser about paths, and parses patch HTML in the same context.

use std::fmt;
use triomphe::Arc;

use markup5ever::QualName;

use crate::parse::parse_fragment;
use crate::patch::Patch;
use crate::tree::{Attribute, Node, NodeData, Tree};

/// Applies patches in order to a tree's root content, as a browser would to its DOM.
///
/// Stops at the first patch that cannot apply; the patches before it stay applied. Nodes are
/// copied on write: other trees sharing them are not affected.
pub fn apply(tree: &mut Tree, patches: &[Patch]) -> Result<(), ApplyError> {
    // The patched tree no longer matches any source its nodes could be reused from.
    tree.origin = None;
    for (index, patch) in patches.iter().enumerate() {
        apply_one(&mut tree.root, patch).map_err(|problem| ApplyError {
            index,
            path: patch.path().to_vec(),
            problem,
        })?;
    }
    Ok(())
}

/// A patch that does not fit the tree it is applied to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyError {
    /// The patch's position in the list.
    pub index: usize,
    /// The patch's path.
    pub path: Vec<usize>,
    /// What is wrong.
    pub problem: ApplyProblem,
}

/// Why a patch does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyProblem {
    /// No node at the path (or it leads into a template's contents, which are not children).
    NoSuchNode,
    /// A `text` patch whose target is neither a text nor a comment node.
    NotText,
    /// An attribute, `html` or child-list patch whose target (or parent) is not an element.
    NotElement,
    /// A patch that would replace, remove, move or insert beside the root: it belongs to the
    /// page.
    TouchesRoot,
    /// A `remove` of no nodes or of more siblings than follow, or a `move` past the end.
    OutOfRange,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = match self.problem {
            ApplyProblem::NoSuchNode => "there is no node at that path",
            ApplyProblem::NotText => "a text patch targets a node that is not text",
            ApplyProblem::NotElement => "the target is not an element",
            ApplyProblem::TouchesRoot => "the root element cannot be replaced, removed or moved",
            ApplyProblem::OutOfRange => "the count or index is out of range",
        };
        write!(f, "patch {} at path {:?}: {problem}", self.index, self.path)
    }
}

impl std::error::Error for ApplyError {}

fn apply_one(root: &mut Arc<Node>, patch: &Patch) -> Result<(), ApplyProblem> {
    match patch {
        Patch::SetText { path, text } => match &mut find_mut(root, path)?.data {
            NodeData::Text(data) | NodeData::Comment(data) => *data = text.into(),
            NodeData::Element(_) => return Err(ApplyProblem::NotText),
        },
        Patch::SetAttr { path, name, value } => {
            let attrs = attributes(root, path)?;
            match attrs.iter_mut().find(|a| &*a.name == name.as_str()) {
                Some(attr) => attr.value = value.into(),
                None => attrs.push(Attribute {
                    name: name.as_str().into(),
                    value: value.into(),
                }),
            }
        }
        Patch::RemoveAttr { path, name } => {
            // As `removeAttribute`: removing an absent attribute does nothing.
            attributes(root, path)?.retain(|a| &*a.name != name.as_str());
        }
        Patch::Replace { path, html } => {
            let (parent, index) = parent_of(root, path)?;
            child_at(parent, index)?;
            let nodes = parse_in(parent, html)?;
            parent.children.splice(index..=index, nodes);
        }
        Patch::ReplaceChildren { path, html } => {
            let target = find_mut(root, path)?;
            target.children = parse_in(target, html)?;
        }
        Patch::Insert { path, html } => {
            let (parent, index) = parent_of(root, path)?;
            if index > parent.children.len() {
                return Err(ApplyProblem::NoSuchNode);
            }
            let nodes = parse_in(parent, html)?;
            parent.children.splice(index..index, nodes);
        }
        Patch::Remove { path, count } => {
            let (parent, index) = parent_of(root, path)?;
            child_at(parent, index)?;
            let end = index.checked_add(*count).ok_or(ApplyProblem::OutOfRange)?;
            if *count == 0 || end > parent.children.len() {
                return Err(ApplyProblem::OutOfRange);
            }
            parent.children.drain(index..end);
        }
        Patch::MoveChild { path, to } => {
            let (parent, index) = parent_of(root, path)?;
            child_at(parent, index)?;
            if *to >= parent.children.len() {
                return Err(ApplyProblem::OutOfRange);
            }
            let node = parent.children.remove(index);
            parent.children.insert(*to, node);
        }
    }
    Ok(())
}

/// The node at a path, walking `childNodes` as a browser does, made unique for writing.
fn find_mut<'t>(root: &'t mut Arc<Node>, path: &[usize]) -> Result<&'t mut Node, ApplyProblem> {
    // Every node on the way changes (a descendant does), so each forgets its subtree hash.
    let mut node = Arc::make_mut(root);
    node.touch();
    for &index in path {
        if node.is_template() {
            return Err(ApplyProblem::NoSuchNode);
        }
        node = match node.children.get_mut(index) {
            Some(child) => Arc::make_mut(child),
            None => return Err(ApplyProblem::NoSuchNode),
        };
        node.touch();
    }
    Ok(node)
}

/// The element whose child a path names, and the child's index.
fn parent_of<'t>(
    root: &'t mut Arc<Node>,
    path: &[usize],
) -> Result<(&'t mut Node, usize), ApplyProblem> {
    let Some((&index, parent_path)) = path.split_last() else {
        return Err(ApplyProblem::TouchesRoot);
    };
    let parent = find_mut(root, parent_path)?;
    if parent.element().is_none() {
        return Err(ApplyProblem::NotElement);
    }
    if parent.is_template() {
        return Err(ApplyProblem::NoSuchNode);
    }
    Ok((parent, index))
}

fn child_at(parent: &Node, index: usize) -> Result<&Arc<Node>, ApplyProblem> {
    parent.children.get(index).ok_or(ApplyProblem::NoSuchNode)
}

fn attributes<'t>(
    root: &'t mut Arc<Node>,
    path: &[usize],
) -> Result<&'t mut Vec<Attribute>, ApplyProblem> {
    match &mut find_mut(root, path)?.data {
        NodeData::Element(element) => Ok(&mut element.attrs),
        _ => Err(ApplyProblem::NotElement),
    }
}

/// Parses HTML with an element as context, as the `innerHTML` setter does.
fn parse_in(context: &Node, html: &str) -> Result<Vec<Arc<Node>>, ApplyProblem> {
    let element = context.element().ok_or(ApplyProblem::NotElement)?;
    let context = QualName::new(None, element.ns.clone(), element.name.clone());
    let fragment = parse_fragment(html, &context);
    Ok(fragment.root.children.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn applied(html: &str, patches: &[Patch]) -> Result<String, ApplyError> {
        let mut tree = parse(html);
        apply(&mut tree, patches)?;
        Ok(tree.root_inner_html())
    }

    #[test]
    fn every_kind_of_patch_applies() {
        let patches = [
            Patch::SetText {
                path: vec![0, 0],
                text: "b".into(),
            },
            Patch::SetAttr {
                path: vec![0],
                name: "id".into(),
                value: "x".into(),
            },
            Patch::SetAttr {
                path: vec![0],
                name: "class".into(),
                value: "new".into(),
            },
            Patch::RemoveAttr {
                path: vec![1],
                name: "title".into(),
            },
            Patch::Replace {
                path: vec![2],
                html: "<i>i</i>".into(),
            },
            Patch::ReplaceChildren {
                path: vec![1],
                html: "<b>1</b>2".into(),
            },
        ];
        let html = r#"<p class="old">a</p><div title="t"></div><span></span>"#;
        assert_eq!(
            applied(html, &patches).unwrap(),
            r#"<p class="new" id="x">b</p><div><b>1</b>2</div><i>i</i>"#
        );
    }

    #[test]
    fn child_lists_change_by_insert_remove_and_move() {
        let patches = [
            Patch::Insert {
                path: vec![0, 1],
                html: "<li>b</li><li>c</li>".into(),
            },
            Patch::Insert {
                path: vec![0, 4],
                html: "<li>e</li>".into(),
            },
            Patch::MoveChild {
                path: vec![0, 4],
                to: 0,
            },
            Patch::Remove {
                path: vec![0, 2],
                count: 2,
            },
        ];
        assert_eq!(
            applied("<ul><li>a</li><li>d</li></ul>", &patches).unwrap(),
            "<ul><li>e</li><li>a</li><li>d</li></ul>"
        );
    }

    #[test]
    fn a_copy_of_a_tree_is_not_changed_by_patches_to_the_original() {
        let mut tree = parse("<p>a</p><p>b</p>");
        let before = tree.clone();
        let patch = Patch::SetText {
            path: vec![1, 0],
            text: "c".into(),
        };
        apply(&mut tree, &[patch]).unwrap();
        assert_eq!(before.root_inner_html(), "<p>a</p><p>b</p>");
        assert_eq!(tree.root_inner_html(), "<p>a</p><p>c</p>");
        // Only the changed path was copied.
        assert!(Arc::ptr_eq(
            &before.root.children[0],
            &tree.root.children[0]
        ));
    }

    #[test]
    fn patch_html_is_parsed_in_the_target_context() {
        let table = "<table><tbody><tr><td>1</td></tr></tbody></table>";
        let replaced = [Patch::Replace {
            path: vec![0, 0, 0],
            html: "<tr><td>2</td></tr>".into(),
        }];
        assert_eq!(
            applied(table, &replaced).unwrap(),
            "<table><tbody><tr><td>2</td></tr></tbody></table>"
        );
        let rewritten = [Patch::ReplaceChildren {
            path: vec![0, 0],
            html: "<tr><td>3</td></tr><tr></tr>".into(),
        }];
        assert_eq!(
            applied(table, &rewritten).unwrap(),
            "<table><tbody><tr><td>3</td></tr><tr></tr></tbody></table>"
        );
    }

    #[test]
    fn patches_that_do_not_fit_are_errors() {
        let cases = [
            (
                Patch::SetText {
                    path: vec![5],
                    text: "x".into(),
                },
                ApplyProblem::NoSuchNode,
            ),
            (
                Patch::SetText {
                    path: vec![0],
                    text: "x".into(),
                },
                ApplyProblem::NotText,
            ),
            (
                Patch::SetAttr {
                    path: vec![0, 0],
                    name: "a".into(),
                    value: "b".into(),
                },
                ApplyProblem::NotElement,
            ),
            (
                Patch::Replace {
                    path: vec![],
                    html: String::new(),
                },
                ApplyProblem::TouchesRoot,
            ),
            (
                Patch::ReplaceChildren {
                    path: vec![1, 0],
                    html: String::new(),
                },
                ApplyProblem::NoSuchNode,
            ),
            (
                Patch::Insert {
                    path: vec![3],
                    html: String::new(),
                },
                ApplyProblem::NoSuchNode,
            ),
            (
                Patch::Insert {
                    path: vec![0, 0, 0],
                    html: String::new(),
                },
                ApplyProblem::NotElement,
            ),
            (
                Patch::Insert {
                    path: vec![1, 0],
                    html: String::new(),
                },
                ApplyProblem::NoSuchNode,
            ),
            (
                Patch::Remove {
                    path: vec![],
                    count: 1,
                },
                ApplyProblem::TouchesRoot,
            ),
            (
                Patch::Remove {
                    path: vec![0],
                    count: 3,
                },
                ApplyProblem::OutOfRange,
            ),
            (
                Patch::Remove {
                    path: vec![0],
                    count: 0,
                },
                ApplyProblem::OutOfRange,
            ),
            (
                Patch::MoveChild {
                    path: vec![1],
                    to: 2,
                },
                ApplyProblem::OutOfRange,
            ),
            (
                Patch::MoveChild {
                    path: vec![2],
                    to: 0,
                },
                ApplyProblem::NoSuchNode,
            ),
        ];
        for (patch, problem) in cases {
            let err = applied("<p>a</p><template><b></b></template>", &[patch]).unwrap_err();
            assert_eq!(err.problem, problem, "{err}");
        }
    }

    #[test]
    fn an_error_names_the_patch_and_its_path() {
        let patches = [
            Patch::RemoveAttr {
                path: vec![0],
                name: "absent".into(),
            },
            Patch::SetText {
                path: vec![3, 1],
                text: "x".into(),
            },
        ];
        let err = applied("<p>a</p>", &patches).unwrap_err();
        assert_eq!(
            err.to_string(),
            "patch 1 at path [3, 1]: there is no node at that path"
        );
    }
}
