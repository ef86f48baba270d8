//! The well-formed parser's promise: on any input it either declines or builds exactly the tree
//! html5ever builds — same root, same depth, node for node.

use proptest::prelude::*;

use std::sync::Arc;

use crate::diff_properties::{pair, renders, PAGES};
use crate::parse::{parse, parse_with_html5ever};
use crate::tree::Tree;
use crate::well_formed::{self, Previous};

/// `Err` with both trees when the direct parse differs from html5ever's.
fn agrees(html: &str) -> Result<bool, String> {
    let Some(direct) = well_formed::parse(html, None) else {
        return Ok(false);
    };
    let reference = parse_with_html5ever(html);
    let same = direct.same_content(&reference)
        && direct.root_kind() == reference.root_kind()
        && direct.root_depth == reference.root_depth;
    if same {
        Ok(true)
    } else {
        Err(format!(
            "input:     {html:?}\ndirect:    {:?}\nhtml5ever: {:?}",
            summary(&direct),
            summary(&reference)
        ))
    }
}

fn summary(tree: &Tree) -> (crate::RootKind, usize, String) {
    (tree.root_kind(), tree.root_depth, tree.root_inner_html())
}

/// Markup with the usual template shapes and the tricky ones mixed in.
fn markup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => pair().prop_map(|p| {
            let mut out = String::new();
            p.render(&mut out, true);
            out
        }),
        1 => prop::sample::select(&[
            "<table><tr><td>1</td></tr></table>", "<table>\n<tbody><tr><td>1</td></tr>\n</tbody></table>",
            "<table><thead><tr><th>h</th></tr></thead></table>", "<table>x<tr></tr></table>",
            "<select><option>1</option><optgroup><option selected>2</option></optgroup></select>",
            "<select><div>x</div></select>", "<p><div>x</div></p>", "<li>a<li>b",
            "<ul><li>a</li><li><ul><li>b</li></ul></li></ul>", "<dl><dt>a</dt><dd>b</dd></dl>",
            "<pre>\nx</pre>", "<pre>\n\nx</pre>", "<textarea>\na&amp;</textarea>",
            "<title>&lt;t&gt;</title>", "<style>a<b{}</style>", "<script>if (a<b) {}</script>",
            "<script><!--<script></script>--></script>", "<noscript><p>x</p></noscript>",
            "<a href=\"?a=1&copy=2&amp;b\">x</a>", "<a><a>x</a></a>", "<b><i>x</b></i>",
            "<h1><h2>x</h2></h1>", "<form><form></form></form>", "<button><button>",
            "<p>a</p></p>", "</br>", "<br/><img src=x />", "<div/>x", "<svg><path/></svg>",
            "<input value=a b>", "<input value='a\"b'>", "<p title=\"x\" title=\"y\">",
            "<P CLASS=a>x</p>", "<!-- c -->", "<!---->", "<!-->", "<!-- a --!>", "1 < 2 & 3",
            "&notin; &copy &#x80; &#0;", "<template><td>x</td></template>", "a\r\nb",
            "<table><tr><td><p>x</td></tr></table>", "<table><td>x</td></table>",
            "<body><p>x</p></body>", "</body>x", "<object><p>x</p></object>", "x</div>",
            "<option><option>", "<div dj-root>in</div>after", "<p dj-root>a<div>b</div></p>",
        ][..]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_direct_parse_is_html5evers_parse_or_nothing(
        page in prop::sample::select(PAGES),
        content in markup(),
    ) {
        agrees(&page.replace("{}", &content)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn renders_parse_the_same_both_ways((old, new) in renders()) {
        agrees(&old).map_err(TestCaseError::fail)?;
        agrees(&new).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn reusing_the_previous_tree_changes_nothing_in_the_result((old, new) in renders()) {
        let old_tree = parse(&old);
        let previous = Previous { source: &old, tree: &old_tree };
        if let Some(guided) = well_formed::parse(&new, Some(previous)) {
            let fresh = parse_with_html5ever(&new);
            prop_assert!(
                guided.same_content(&fresh)
                    && guided.root_kind() == fresh.root_kind()
                    && guided.depth() == fresh.depth(),
                "old: {:?}\nnew: {:?}\nguided: {:?}\nfresh:  {:?}", old, new, guided, fresh
            );
        }
    }
}

/// How many of the new tree's root children are the previous tree's nodes themselves.
fn shared_children(old: &Tree, new: &Tree) -> usize {
    let (a, b) = (&old.root().children, &new.root().children);
    b.iter()
        .filter(|n| a.iter().any(|o| Arc::ptr_eq(o, n)))
        .count()
}

#[test]
fn unchanged_elements_are_taken_from_the_previous_tree() {
    let page = |rows: &[u32], changed: u32| {
        let rows: String = rows
            .iter()
            .map(|k| {
                let note = if *k == changed { "!" } else { "" };
                format!("\n<p data-key=\"{k}\">row {k}{note}</p>")
            })
            .collect();
        format!("<!DOCTYPE html><html><body><div dj-root>{rows}\n</div></body></html>")
    };
    let keys: Vec<u32> = (0..100).collect();
    let old = page(&keys, u32::MAX);
    let old_tree = parse(&old);
    let previous = Previous {
        source: &old,
        tree: &old_tree,
    };
    // One row changed: the 99 others (and the whitespace) come from the old tree.
    let new_tree = well_formed::parse(&page(&keys, 40), Some(previous)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
    // Reversed: every row is found again by its key.
    let reversed: Vec<u32> = keys.iter().rev().copied().collect();
    let new_tree = well_formed::parse(&page(&reversed, u32::MAX), Some(previous)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 100);
    // A row inserted without a key, and one removed: the rest realign by position.
    let unkeyed = |rows: &[u32]| {
        let rows: String = rows.iter().map(|k| format!("\n<p>row {k}</p>")).collect();
        format!("<div dj-root>{rows}\n</div>")
    };
    let old = unkeyed(&keys);
    let old_tree = parse(&old);
    let previous = Previous {
        source: &old,
        tree: &old_tree,
    };
    let mut edited: Vec<u32> = keys.clone();
    edited.insert(30, 1000);
    edited.remove(70);
    let new_tree = well_formed::parse(&unkeyed(&edited), Some(previous)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
}

#[test]
fn pages_as_templates_write_them_take_the_direct_path() {
    let rows: String = (0..20)
        .map(|i| {
            format!(
                "\n<tr data-key=\"{i}\"><td>{i}</td><td class=\"name\">Item &amp; co {i}</td>\
                 <td><button dj-click=\"remove\" data-id=\"{i}\">x</button></td></tr>"
            )
        })
        .collect();
    let pages = [
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>Shop</title>\n<link rel=\"stylesheet\" href=\"/s.css\">\n\
             <script>var a = 1 < 2 && '</div>';</script>\n</head>\n<body>\n<nav><a href=\"/\">home</a></nav>\n\
             <div dj-view=\"t\" dj-root><h1>Items</h1><table><thead><tr><th>#</th></tr></thead>\
             <tbody>{rows}\n</tbody></table><form><input name=\"q\" value=\"\"><select name=\"s\">\
             <option value=\"1\" selected>one</option></select><textarea>\nnote</textarea>\
             <button type=\"submit\">Go</button></form><ul><li>a</li></ul><pre>\ncode</pre></div>\n\
             <footer>f</footer>\n</body>\n</html>\n"
        ),
        format!("<div><table>{rows}</table></div>"),
        "<!doctype html><p>no root: the body is</p>\n".to_owned(),
    ];
    for page in pages {
        assert_eq!(agrees(&page), Ok(true), "{page}");
    }
}

#[test]
fn markup_that_needs_the_tree_builders_repairs_is_declined() {
    for html in [
        "<p><div>x</div></p>",
        "<table>x<tr></tr></table>",
        "<table><td>x</td></table>",
        "<b><i>x</b></i>",
        "<li>a<li>b",
        "<a><a>x</a></a>",
        "<svg><path/></svg>",
        "<template><td>x</td></template>",
        "a\r\nb",
        "<!-- a --!>",
        "<select><div>x</div></select>",
    ] {
        assert!(well_formed::parse(html, None).is_none(), "{html}");
    }
}
