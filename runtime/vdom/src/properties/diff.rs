//! The diff's promise, as a property: patches from `diff(old, new)`, sent as JSON and applied to
//! the old tree as a browser would, give exactly the new tree — for unkeyed and keyed lists,
//! nested reorders, insertions, removals, duplicate keys and attribute churn.
//!
//! The generators are public to the crate: `corpus` writes the same pairs for the browser.

use markup5ever::QualName;
use proptest::prelude::*;

use crate::parse::parse_fragment;
use crate::serialize::inner_html;
use crate::tree::{same_children, Node, Tree};
use crate::{apply, diff, parse, Patch};

/// Tags for random trees: containers, formatting, lists, tables, raw text, void and foreign
/// elements, form fields, so that the parser's repairs (implied end tags, foster parenting,
/// the adoption agency) and every serialisation rule are exercised.
const TAGS: &[&str] = &[
    "div", "span", "p", "b", "i", "ul", "li", "a", "pre", "textarea", "table", "tr", "td",
    "template", "br", "img", "input", "script", "svg", "select", "option", "h1", "label",
];
const VOID: &[&str] = &["br", "img", "input"];
const TEXT_ONLY: &[&str] = &["script", "textarea"];
const ATTRIBUTES: &[&str] = &[
    "class", "id", "title", "data-x", "hidden", "value", "checked", "selected",
];

/// Some HTML as a template author would write it (the parser decides what it becomes).
#[derive(Clone, Debug)]
pub(crate) enum Html {
    Text(String),
    Comment(String),
    Element {
        tag: &'static str,
        attrs: Vec<(&'static str, String)>,
        children: Vec<Html>,
    },
}

/// Two related renders: shared structure where both have an element, independent elsewhere.
#[derive(Clone, Debug)]
pub(crate) enum Pair {
    Both(Html, Html),
    OnlyOld(Html),
    OnlyNew(Html),
    Shared {
        tag: &'static str,
        old_attrs: Vec<(&'static str, String)>,
        new_attrs: Vec<(&'static str, String)>,
        children: Vec<Pair>,
    },
    /// A list whose items carry keys (some repeated, some missing), reordered between renders.
    List {
        list: ListKind,
        items: Vec<Item>,
        old_order: Vec<usize>,
        new_order: Vec<usize>,
    },
}

/// One item of a [`Pair::List`].
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// `None`: an unkeyed sibling among keyed ones.
    key: Option<u8>,
    key_attribute: &'static str,
    in_old: bool,
    in_new: bool,
    /// A newline after the item, as a `{% for %}` loop leaves.
    newline: bool,
    content: Pair,
}

/// The element holding a keyed list and the element of each item.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ListKind {
    Ul,
    Div,
    Table,
}

fn escape(text: &str, quote: bool) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    if quote {
        text.replace('"', "&quot;")
    } else {
        text
    }
}

impl Html {
    fn render(&self, out: &mut String) {
        match self {
            Html::Text(text) => out.push_str(&escape(text, false)),
            Html::Comment(text) => out.push_str(&format!("<!--{text}-->")),
            Html::Element {
                tag,
                attrs,
                children,
            } => render_element(out, tag, attrs, |out| {
                if TEXT_ONLY.contains(tag) {
                    children.iter().for_each(|c| c.render_text(out, tag));
                } else {
                    children.iter().for_each(|c| c.render(out));
                }
            }),
        }
    }

    fn render_text(&self, out: &mut String, tag: &str) {
        if let Html::Text(text) = self {
            // A script's text is raw; keep it free of `</script`.
            out.push_str(&if tag == "script" {
                text.replace('<', "")
            } else {
                escape(text, false)
            });
        }
    }
}

fn render_element(
    out: &mut String,
    tag: &str,
    attrs: &[(&str, String)],
    children: impl FnOnce(&mut String),
) {
    out.push('<');
    out.push_str(tag);
    for (name, value) in attrs {
        out.push_str(&format!(" {name}=\"{}\"", escape(value, true)));
    }
    out.push('>');
    if !VOID.contains(&tag) {
        children(out);
        out.push_str(&format!("</{tag}>"));
    }
}

impl Pair {
    pub(crate) fn render(&self, out: &mut String, old: bool) {
        match self {
            Pair::Both(a, b) => (if old { a } else { b }).render(out),
            Pair::OnlyOld(a) if old => a.render(out),
            Pair::OnlyNew(b) if !old => b.render(out),
            Pair::OnlyOld(_) | Pair::OnlyNew(_) => {}
            Pair::Shared {
                tag,
                old_attrs,
                new_attrs,
                children,
            } => {
                let attrs = if old { old_attrs } else { new_attrs };
                render_element(out, tag, attrs, |out| {
                    children.iter().for_each(|c| c.render(out, old));
                });
            }
            Pair::List {
                list,
                items,
                old_order,
                new_order,
            } => {
                let order = if old { old_order } else { new_order };
                let (open, close, item_tag) = match list {
                    ListKind::Ul => ("<ul>", "</ul>", "li"),
                    ListKind::Div => ("<div class=\"list\">", "</div>", "p"),
                    ListKind::Table => ("<table><tbody>", "</tbody></table>", "tr"),
                };
                out.push_str(open);
                for item in order.iter().map(|&i| &items[i]) {
                    if (old && !item.in_old) || (!old && !item.in_new) {
                        continue;
                    }
                    out.push('<');
                    out.push_str(item_tag);
                    if let Some(key) = item.key {
                        out.push_str(&format!(" {}=\"k{key}\"", item.key_attribute));
                    }
                    out.push('>');
                    if matches!(list, ListKind::Table) {
                        out.push_str("<td>");
                        item.content.render(out, old);
                        out.push_str("</td>");
                    } else {
                        item.content.render(out, old);
                    }
                    out.push_str(&format!("</{item_tag}>"));
                    if item.newline {
                        out.push('\n');
                    }
                }
                out.push_str(close);
            }
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    "[ab &<>\"'\u{a0}\n]{1,3}"
}

fn attrs() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec(
        (prop::sample::select(ATTRIBUTES), "[ab&\"<\u{a0}]{0,2}"),
        0..3,
    )
}

fn html() -> impl Strategy<Value = Html> {
    let leaf = prop_oneof![
        4 => text().prop_map(Html::Text),
        1 => "[a -]{0,3}".prop_map(Html::Comment),
        1 => (prop::sample::select(VOID), attrs()).prop_map(|(tag, attrs)| Html::Element {
            tag,
            attrs,
            children: Vec::new(),
        }),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            prop::sample::select(TAGS),
            attrs(),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(tag, attrs, children)| Html::Element {
                tag,
                attrs,
                children,
            })
    })
}

fn item(content: impl Strategy<Value = Pair>) -> impl Strategy<Value = Item> {
    (
        prop::option::weighted(0.85, 0..10u8),
        prop::sample::select(&["data-key", "dj-key"][..]),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.85),
        any::<bool>(),
        content,
    )
        .prop_map(
            |(key, key_attribute, in_old, in_new, newline, content)| Item {
                key,
                key_attribute,
                in_old,
                in_new,
                newline,
                content,
            },
        )
}

fn list(content: impl Strategy<Value = Pair>) -> impl Strategy<Value = Pair> {
    (
        prop::sample::select(&[ListKind::Ul, ListKind::Div, ListKind::Table][..]),
        prop::collection::vec(item(content), 0..8),
    )
        .prop_flat_map(|(list, items)| {
            let order: Vec<usize> = (0..items.len()).collect();
            (
                Just(list),
                Just(items),
                Just(order.clone()).prop_shuffle(),
                prop_oneof![Just(order.clone()), Just(order).prop_shuffle()],
            )
        })
        .prop_map(|(list, items, old_order, new_order)| Pair::List {
            list,
            items,
            old_order,
            new_order,
        })
}

pub(crate) fn pair() -> impl Strategy<Value = Pair> {
    let leaf = prop_oneof![
        3 => html().prop_map(|h| Pair::Both(h.clone(), h)),
        3 => (html(), html()).prop_map(|(a, b)| Pair::Both(a, b)),
        1 => html().prop_map(Pair::OnlyOld),
        1 => html().prop_map(Pair::OnlyNew),
        1 => text().prop_map(|t| Pair::Both(Html::Text(t.clone()), Html::Text(t + "x"))),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            3 => (
                prop::sample::select(TAGS),
                attrs(),
                attrs(),
                any::<bool>(),
                prop::collection::vec(inner.clone(), 0..4),
            )
                .prop_map(
                    |(tag, old_attrs, new_attrs, same_attrs, children)| Pair::Shared {
                        tag,
                        new_attrs: if same_attrs {
                            old_attrs.clone()
                        } else {
                            new_attrs
                        },
                        old_attrs,
                        children,
                    },
                ),
            2 => list(inner),
        ]
    })
}

/// Where the content sits: each page shape finds its root another way.
pub(crate) const PAGES: &[&str] = &[
    "{}",
    "<!DOCTYPE html><html><head><title>t</title></head><body><nav>n</nav>\
     <main dj-root class=\"r\">{}</main><footer>f</footer></body></html>",
    "<!doctype html><p>before</p>{}",
    "<ul dj-root>{}</ul>",
    "<table><tbody dj-root>{}</tbody></table>",
];

/// A page's old and new renders.
pub(crate) fn renders() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(PAGES),
        prop::collection::vec(pair(), 0..5),
    )
        .prop_map(|(page, pairs)| {
            let render = |old| {
                let mut content = String::new();
                pairs.iter().for_each(|p| p.render(&mut content, old));
                page.replace("{}", &content)
            };
            (render(true), render(false))
        })
}

/// Whether every element's content, written as HTML and parsed with the element as context
/// (what an `html` or `replace` patch makes a browser do), gives back the same nodes.
///
/// Not all trees do: the parser builds some that no markup reproduces in context (a `<select>`
/// inside a `<template>` inside a `<select>` parses in a page, but `innerHTML` on a `<select>`
/// drops nested selects; a `<table>` inside a `<select>` ends up as nodes that, written out,
/// parse into another shape). No patch made of HTML can rebuild those exactly, in djust or in a
/// browser's own `innerHTML`, so the property is about every other render.
pub(crate) fn reparses_exactly(tree: &Tree) -> bool {
    let mut pending = vec![tree.root()];
    while let Some(node) = pending.pop() {
        let Some(element) = node.element() else {
            continue;
        };
        let context = QualName::new(None, element.ns.clone(), element.name.clone());
        let reparsed = parse_fragment(&inner_html(node), &context);
        if !same_children(node, reparsed.root()) {
            return false;
        }
        pending.extend(node.children.iter().map(|c| &**c));
    }
    true
}

/// The diff of two renders, checked: it applies and gives the new tree. The error says why not.
pub(crate) fn check_diff(old: &str, new: &str) -> Result<Vec<Patch>, String> {
    let (old_tree, new_tree) = (parse(old), parse(new));
    let patches = diff(&old_tree, &new_tree).patches;
    let json = serde_json::to_string(&patches).map_err(|e| e.to_string())?;
    let received: Vec<Patch> = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    if received != patches {
        return Err(format!("the patches do not survive JSON: {json}"));
    }
    let mut browser = old_tree.clone();
    apply(&mut browser, &received).map_err(|e| format!("{e}; {json}"))?;
    if !browser.same_content(&new_tree) {
        return Err(format!(
            "applied: {}\nwanted:  {}\npatches: {json}",
            browser.root_inner_html(),
            new_tree.root_inner_html()
        ));
    }
    if !diff(&browser, &new_tree).patches.is_empty() {
        return Err(format!("a second diff still finds changes; {json}"));
    }
    Ok(patches)
}

/// Every node of a tree, for counting.
fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        count += 1;
        pending.extend(node.children.iter().map(|c| &**c));
    }
    count
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn applying_the_diff_to_the_old_tree_gives_the_new_tree((old, new) in renders()) {
        prop_assume!(reparses_exactly(&parse(&new)));
        check_diff(&old, &new).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_tree_diffed_with_itself_needs_no_patches((old, _) in renders()) {
        prop_assert_eq!(diff(&parse(&old), &parse(&old)).patches, vec![]);
    }

    #[test]
    fn patches_never_outnumber_the_nodes_they_touch((old, new) in renders()) {
        // A bound that catches a diff gone quadratic: each node of either tree is worth at most
        // a few patches (an attribute each, a move, a removal).
        let (a, b) = (parse(&old), parse(&new));
        prop_assume!(reparses_exactly(&b));
        let patches = diff(&a, &b).patches;
        let attrs = |html: &str| html.matches('=').count();
        let bound = count_nodes(a.root()) + count_nodes(b.root()) + attrs(&old) + attrs(&new);
        prop_assert!(patches.len() <= bound, "{} patches for {} nodes", patches.len(), bound);
    }
}
