//! A reference applier: patches applied to a [`Tree`] as a browser applies them to its DOM.
//!
//! Tests use it to check that a diff is right (apply it to the old tree, compare with the new);
//! it is as strict as a browser about paths, and parses patch HTML in the same context.

use std::fmt;

use markup5ever::QualName;

use crate::parse::parse_fragment;
use crate::patch::Patch;
use crate::tree::{Attribute, NodeData, NodeId, Tree};

/// Applies patches in order to a tree's root content, as a browser would to its DOM.
///
/// Stops at the first patch that cannot apply; the patches before it stay applied.
pub fn apply(tree: &mut Tree, patches: &[Patch]) -> Result<(), ApplyError> {
    for (index, patch) in patches.iter().enumerate() {
        apply_one(tree, patch).map_err(|problem| ApplyError {
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
    /// A `text` patch whose target is not a text node.
    NotText,
    /// An attribute or `html` patch whose target is not an element.
    NotElement,
    /// A `replace` patch with the root's path `[]`: the root belongs to the page.
    ReplacesRoot,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = match self.problem {
            ApplyProblem::NoSuchNode => "there is no node at that path",
            ApplyProblem::NotText => "a text patch targets a node that is not text",
            ApplyProblem::NotElement => "the target is not an element",
            ApplyProblem::ReplacesRoot => "the root element cannot be replaced",
        };
        write!(f, "patch {} at path {:?}: {problem}", self.index, self.path)
    }
}

impl std::error::Error for ApplyError {}

fn apply_one(tree: &mut Tree, patch: &Patch) -> Result<(), ApplyProblem> {
    match patch {
        Patch::SetText { path, text } => {
            let target = find(tree, path)?;
            match &mut tree.node_mut(target).data {
                NodeData::Text(data) => text.clone_into(data),
                _ => return Err(ApplyProblem::NotText),
            }
        }
        Patch::SetAttr { path, name, value } => {
            let attrs = attributes(tree, path)?;
            match attrs.iter_mut().find(|a| &*a.name == name.as_str()) {
                Some(attr) => value.clone_into(&mut attr.value),
                None => attrs.push(Attribute {
                    name: name.as_str().into(),
                    value: value.clone(),
                }),
            }
        }
        Patch::RemoveAttr { path, name } => {
            // As `removeAttribute`: removing an absent attribute does nothing.
            attributes(tree, path)?.retain(|a| &*a.name != name.as_str());
        }
        Patch::Replace { path, html } => {
            let Some((&index, parent_path)) = path.split_last() else {
                return Err(ApplyProblem::ReplacesRoot);
            };
            // The node must exist as the browser sees it (not inside a template's contents).
            find(tree, path)?;
            let parent = find(tree, parent_path)?;
            let nodes = parse_in(tree, parent, html)?;
            tree.node_mut(parent).children.splice(index..=index, nodes);
        }
        Patch::ReplaceChildren { path, html } => {
            let target = find(tree, path)?;
            let nodes = parse_in(tree, target, html)?;
            tree.node_mut(target).children = nodes;
        }
    }
    Ok(())
}

/// The node at a path, walking `childNodes` as a browser does.
fn find(tree: &Tree, path: &[usize]) -> Result<NodeId, ApplyProblem> {
    let mut node = tree.root();
    for &index in path {
        let into_template = tree.element(node).is_some_and(|e| e.is_template());
        node = match tree.children(node).get(index) {
            Some(&child) if !into_template => child,
            _ => return Err(ApplyProblem::NoSuchNode),
        };
    }
    Ok(node)
}

fn attributes<'t>(
    tree: &'t mut Tree,
    path: &[usize],
) -> Result<&'t mut Vec<Attribute>, ApplyProblem> {
    let target = find(tree, path)?;
    match &mut tree.node_mut(target).data {
        NodeData::Element(element) => Ok(&mut element.attrs),
        _ => Err(ApplyProblem::NotElement),
    }
}

/// Parses HTML with an element as context and moves the resulting nodes into the tree.
fn parse_in(tree: &mut Tree, context: NodeId, html: &str) -> Result<Vec<NodeId>, ApplyProblem> {
    let element = tree.element(context).ok_or(ApplyProblem::NotElement)?;
    let context = QualName::new(None, element.ns.clone(), element.name.clone());
    Ok(tree.graft(parse_fragment(html, &context)))
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
                ApplyProblem::ReplacesRoot,
            ),
            (
                Patch::ReplaceChildren {
                    path: vec![1, 0],
                    html: String::new(),
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
