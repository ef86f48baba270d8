//! Two trees → the patches that turn the old root's content into the new one's.
//!
//! This slice walks old and new children position by position: text changes become `text`
//! patches, elements with the same tag and as many children are updated in place (attributes,
//! then their children), a child list whose length changed is rewritten whole (`html`), and
//! any other difference replaces the node (`replace`). Coarse where lists grow or shrink, but
//! always correct; keyed matching of children will refine that case.

use crate::patch::Patch;
use crate::serialize::{inner_html, outer_html};
use crate::tree::{Attribute, NodeData, NodeId, Tree};

/// The patches that turn the old tree's root content into the new tree's.
///
/// The roots' own attributes are not compared: the root element is the browser's, untouched.
pub fn diff(old: &Tree, new: &Tree) -> Vec<Patch> {
    let mut patches = Vec::new();
    let (old_root, new_root) = (old.root(), new.root());
    if old.children(old_root).len() != new.children(new_root).len() {
        patches.push(Patch::ReplaceChildren {
            path: Vec::new(),
            html: inner_html(new, new_root),
        });
        return patches;
    }
    // An explicit stack of element pairs whose children are being walked, so that depth costs
    // heap, not call stack. `path` holds the child indices leading to the top pair.
    let mut stack = vec![Pair {
        old: old_root,
        new: new_root,
        next: 0,
    }];
    let mut path: Vec<usize> = Vec::new();
    while let Some(pair) = stack.last_mut() {
        let (old_children, new_children) = (old.children(pair.old), new.children(pair.new));
        let index = pair.next;
        let (Some(&old_child), Some(&new_child)) =
            (old_children.get(index), new_children.get(index))
        else {
            stack.pop();
            path.pop();
            continue;
        };
        pair.next += 1;
        let new_parent = pair.new;
        let child_path = || [path.as_slice(), &[index]].concat();
        match (&old.node(old_child).data, &new.node(new_child).data) {
            (NodeData::Text(a), NodeData::Text(b)) => {
                if a != b {
                    patches.push(Patch::SetText {
                        path: child_path(),
                        text: b.clone(),
                    });
                }
            }
            (NodeData::Comment(a), NodeData::Comment(b)) if a == b => {}
            (NodeData::Element(a), NodeData::Element(b)) if a.same_tag(b) => {
                diff_attributes(&a.attrs, &b.attrs, &child_path, &mut patches);
                let same_count = old.children(old_child).len() == new.children(new_child).len();
                if b.is_template() {
                    // Template contents are not `childNodes`: no path reaches into them.
                    if !same_children(old, old_child, new, new_child) {
                        patches.push(Patch::ReplaceChildren {
                            path: child_path(),
                            html: inner_html(new, new_child),
                        });
                    }
                } else if !same_count {
                    patches.push(Patch::ReplaceChildren {
                        path: child_path(),
                        html: inner_html(new, new_child),
                    });
                } else if !new.children(new_child).is_empty() {
                    path.push(index);
                    stack.push(Pair {
                        old: old_child,
                        new: new_child,
                        next: 0,
                    });
                }
            }
            _ => patches.push(Patch::Replace {
                path: child_path(),
                html: outer_html(new, new_child, new_parent),
            }),
        }
    }
    patches
}

/// An old and a new element whose children are compared from `next` on.
struct Pair {
    old: NodeId,
    new: NodeId,
    next: usize,
}

/// Patches that give an element the new attributes, values and order.
///
/// A browser keeps an attribute where it is when its value is set, and appends a new one; so the
/// attributes kept in place must be a prefix of the new list, in the same relative order. The
/// longest such prefix stays; other old attributes are removed (first, in old order), then the
/// changed prefix values and the rest of the new list are set, in new order.
fn diff_attributes(
    old: &[Attribute],
    new: &[Attribute],
    path: &impl Fn() -> Vec<usize>,
    patches: &mut Vec<Patch>,
) {
    if old == new {
        return;
    }
    let position = |attr: &Attribute| old.iter().position(|o| o.name == attr.name);
    let mut kept = 0;
    let mut last_position = None;
    for attr in new {
        match position(attr) {
            Some(at) if last_position.is_none_or(|last| at > last) => {
                kept += 1;
                last_position = Some(at);
            }
            _ => break,
        }
    }
    let (in_place, appended) = new.split_at(kept);
    for attr in old {
        if !in_place.iter().any(|k| k.name == attr.name) {
            patches.push(Patch::RemoveAttr {
                path: path(),
                name: attr.name.to_string(),
            });
        }
    }
    let changed = in_place.iter().filter(|attr| {
        old.iter()
            .find(|o| o.name == attr.name)
            .is_none_or(|o| o.value != attr.value)
    });
    for attr in changed.chain(appended) {
        patches.push(Patch::SetAttr {
            path: path(),
            name: attr.name.to_string(),
            value: attr.value.clone(),
        });
    }
}

/// Whether two nodes have identical children (and descendants).
pub(crate) fn same_children(old: &Tree, old_id: NodeId, new: &Tree, new_id: NodeId) -> bool {
    let (a, b) = (old.children(old_id), new.children(new_id));
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| same_subtree(old, x, new, y))
}

/// Whether two subtrees are identical: same nodes, names, attributes (in order) and text.
fn same_subtree(old: &Tree, old_id: NodeId, new: &Tree, new_id: NodeId) -> bool {
    let mut pending = vec![(old_id, new_id)];
    while let Some((a, b)) = pending.pop() {
        let same_node = match (&old.node(a).data, &new.node(b).data) {
            (NodeData::Text(x), NodeData::Text(y))
            | (NodeData::Comment(x), NodeData::Comment(y)) => x == y,
            (NodeData::Element(x), NodeData::Element(y)) => x.same_tag(y) && x.attrs == y.attrs,
            _ => false,
        };
        let (a_children, b_children) = (old.children(a), new.children(b));
        if !same_node || a_children.len() != b_children.len() {
            return false;
        }
        pending.extend(a_children.iter().copied().zip(b_children.iter().copied()));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn patches(old: &str, new: &str) -> Vec<Patch> {
        diff(&parse(old), &parse(new))
    }

    fn json(old: &str, new: &str) -> String {
        serde_json::to_string(&patches(old, new)).unwrap()
    }

    #[test]
    fn identical_trees_produce_no_patches() {
        let html = "<div id=a><p>x<!--c--></p><template><b>t</b></template></div>";
        assert!(patches(html, html).is_empty());
    }

    #[test]
    fn changed_text_is_set_in_place() {
        assert_eq!(
            json("<p>a</p><p>b</p>", "<p>a</p><p>c</p>"),
            r#"[["text",[1,0],"c"]]"#
        );
    }

    #[test]
    fn changed_attributes_are_set_and_removed() {
        assert_eq!(
            json(
                r#"<p a="1" b="2" c="3">x</p>"#,
                r#"<p a="1" c="4" d="5">x</p>"#
            ),
            r#"[["rmattr",[0],"b"],["attr",[0],"c","4"],["attr",[0],"d","5"]]"#
        );
    }

    #[test]
    fn attribute_order_is_kept_by_re_adding_what_must_move() {
        // `b` must precede `a`: the browser only appends, so `a` is removed and set again.
        assert_eq!(
            json(r#"<p a="1">x</p>"#, r#"<p b="2" a="1">x</p>"#),
            r#"[["rmattr",[0],"a"],["attr",[0],"b","2"],["attr",[0],"a","1"]]"#
        );
        assert_eq!(
            json(r#"<p a="1" b="2">x</p>"#, r#"<p b="2" a="1">x</p>"#),
            r#"[["rmattr",[0],"a"],["attr",[0],"a","1"]]"#
        );
    }

    #[test]
    fn a_different_tag_or_kind_replaces_the_node() {
        assert_eq!(
            json("<p>a</p><i>b</i>", "<p>a</p><b>b</b>"),
            r#"[["replace",[1],"<b>b</b>"]]"#
        );
        assert_eq!(json("<p>a</p>", "text"), r#"[["replace",[0],"text"]]"#);
        assert_eq!(
            json("<!--a-->", "<!--b-->"),
            r#"[["replace",[0],"<!--b-->"]]"#
        );
    }

    #[test]
    fn a_changed_child_count_rewrites_the_children() {
        assert_eq!(
            json("<ul><li>1</li></ul>", "<ul><li>1</li><li>2</li></ul>"),
            r#"[["html",[0],"<li>1</li><li>2</li>"]]"#
        );
        assert_eq!(
            json("<p>a</p>", "<p>a</p><p>b</p>"),
            r#"[["html",[],"<p>a</p><p>b</p>"]]"#
        );
    }

    #[test]
    fn changed_template_contents_are_rewritten_whole() {
        assert_eq!(
            json(
                "<template><b>1</b></template>",
                "<template><b>2</b></template>"
            ),
            r#"[["html",[0],"<b>2</b>"]]"#
        );
    }

    #[test]
    fn a_template_whose_attributes_alone_changed_keeps_its_contents() {
        assert_eq!(
            json(
                "<template id=a><b>1</b></template>",
                "<template id=b><b>1</b></template>"
            ),
            r#"[["attr",[0],"id","b"]]"#
        );
    }

    #[test]
    fn the_root_attributes_are_not_compared() {
        let old = "<!doctype html><div dj-root class=a><p>x</p></div>";
        let new = "<!doctype html><div dj-root class=b><p>x</p></div>";
        assert!(patches(old, new).is_empty());
    }

    #[test]
    fn replaced_text_in_a_raw_text_element_stays_raw() {
        assert_eq!(
            json("<script></script>", "<script>a<b</script>"),
            r#"[["html",[0],"a<b"]]"#
        );
    }

    #[test]
    fn deep_trees_diff_without_overflowing_the_stack() {
        let depth = 10_000;
        let old = format!("{}a", "<div>".repeat(depth));
        let new = format!("{}b", "<div>".repeat(depth));
        let patches = patches(&old, &new);
        assert_eq!(patches.len(), 1);
        assert_eq!(patches[0].path().len(), depth + 1);
    }
}
