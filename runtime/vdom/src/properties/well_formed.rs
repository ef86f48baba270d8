//! The well-formed parser's promise: on any input it either declines or builds exactly the tree
//! html5ever builds — same root, same depth, node for node (namespaces, names, attributes and
//! text included).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use triomphe::Arc;

use super::diff::{pair, renders, PAGES};
use super::foreign_markup::{self, render_both};
use crate::parse::input_stream::normalize_newlines;
use crate::parse::well_formed::{self, Previous};
use crate::parse::{parse, parse_with_html5ever};
use crate::tree::Tree;

/// `Err` with both trees when the direct parse differs from html5ever's. The direct parser reads
/// the page with its newlines normalised; html5ever reads it as it is.
fn agrees(html: &str) -> Result<bool, String> {
    let Some(direct) = well_formed::parse(&normalize_newlines(html), None) else {
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

/// `Err` when the new render, parsed reusing the old render's tree, differs from html5ever's
/// parse of it.
fn reuse_agrees(old: &str, new: &str) -> Result<(), String> {
    let (old, new) = (normalize_newlines(old), normalize_newlines(new));
    let old_tree = parse(&old);
    let previous = Previous::new(&old, &old_tree, &new);
    let Some(guided) = well_formed::parse(&new, Some(previous)) else {
        return Ok(());
    };
    let fresh = parse_with_html5ever(&new);
    if guided.same_content(&fresh)
        && guided.root_kind() == fresh.root_kind()
        && guided.depth() == fresh.depth()
    {
        Ok(())
    } else {
        Err(format!(
            "old: {old:?}\nnew: {new:?}\nguided: {guided:?}\nfresh:  {fresh:?}"
        ))
    }
}

/// Line ends as a page may have them: the input stream turns CR LF and CR into LF.
fn line_ends() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r")]
}

/// Markup with the usual template shapes and the tricky ones mixed in.
pub(crate) fn markup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => pair().prop_map(|p| {
            let mut out = String::new();
            p.render(&mut out, true);
            out
        }),
        2 => foreign_markup::foreign().prop_map(|f| {
            let mut out = String::new();
            f.render(&mut out, true);
            out
        }),
        1 => prop::sample::select(&[
            "<table><tr><td>1</td></tr></table>", "<table>\n<tbody><tr><td>1</td></tr>\n</tbody></table>",
            "<table><thead><tr><th>h</th></tr></thead></table>", "<table>x<tr></tr></table>",
            "<select><option>1</option><optgroup><option selected>2</option></optgroup></select>",
            "<select><div>x</div></select>", "<p><div>x</div></p>", "<li>a<li>b",
            "<svg viewBox=\"0 0 24 24\"><path d=\"M0 0\"/><circle r=1 /></svg>",
            "<svg><clippath id=c><rect/></clipPath><use xlink:href=\"#c\"/></svg>",
            "<svg><foreignObject><p>x</p><svg><g/></svg></foreignobject></svg>",
            "<svg><desc><b>d</b></desc><title>t<br></title></svg>", "<svg><div>x</div></svg>",
            "<svg><font color=red>x</font><font>y</font></svg>", "<svg><p></svg>",
            "<svg><g></svg>", "<svg><script>1</script></svg>", "<svg><![CDATA[x]]></svg>",
            "<svg><style>a<b{}</style></svg>", "<math><mi>x<b>y</b><mglyph/></mi></math>",
            "<math><annotation-xml encoding=\"TEXT/html\"><div>x</div></annotation-xml></math>",
            "<math><annotation-xml><svg></svg><div>x</div></annotation-xml></math>",
            "<p><math><annotation-xml encoding=text/html><div>x</div></annotation-xml></math></p>",
            "<p><svg><foreignObject><div>x</div></foreignObject></svg></p>",
            "<li><svg><foreignObject><li>x</li></foreignObject></svg></li>", "<li><search><li>",
            "<template><tr><td>1</td></tr></template>", "<template><td>1</td><th>2</th></template>",
            "<template><tbody><tr></tr></tbody><tr></tr></template>",
            "<template>a<tr></tr>b</template>", "<template><style>s</style><tr></tr> </template>",
            "<template><caption></caption></template>", "<template><div dj-root>x</div></template>",
            "<template dj-root>x</template>", "<svg dj-root></svg>",
            "<svg><foreignObject><div dj-root>x</div></foreignObject></svg>",
            "<table><tr><td><svg><g/></svg></td></tr></table>", "<table><svg></svg></table>",
            "<textarea>\r\nx</textarea>", "<pre>\r\n\r\nx</pre>", "<p title=\"a\r\nb\rc\">\r</p>",
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
    (prop::collection::vec(piece, 0..6), line_ends())
        .prop_map(|(pieces, line_end)| pieces.concat().replace('\n', line_end))
}

/// Pages whose content is SVG, MathML and templates, rendered twice.
fn foreign_renders() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(PAGES),
        prop::collection::vec(foreign_markup::foreign(), 1..4),
        line_ends(),
    )
        .prop_map(|(page, pieces, line_end)| {
            let (old, new) = render_both(&pieces);
            let page = |content: &str| page.replace("{}", &content.replace('\n', line_end));
            (page(&old), page(&new))
        })
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
        reuse_agrees(&old, &new).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn foreign_content_parses_the_same_both_ways((old, new) in foreign_renders()) {
        agrees(&old).map_err(TestCaseError::fail)?;
        agrees(&new).map_err(TestCaseError::fail)?;
        reuse_agrees(&old, &new).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn most_generated_foreign_content_takes_the_direct_path() {
    // The property above says nothing about markup the parser declines: most of it must be read.
    let mut runner = TestRunner::deterministic();
    let strategy = foreign_renders();
    let cases = 1000;
    let mut direct = 0;
    for _ in 0..cases {
        let (old, _) = strategy.new_tree(&mut runner).unwrap().current();
        if agrees(&old) == Ok(true) {
            direct += 1;
        }
    }
    assert!(direct * 3 > cases, "only {direct} of {cases} read directly");
}

/// How many of the new tree's root children are elements of the previous tree themselves.
fn shared_children(old: &Tree, new: &Tree) -> usize {
    let (a, b) = (&old.root().children, &new.root().children);
    b.iter()
        .filter(|n| n.element().is_some() && a.iter().any(|o| Arc::ptr_eq(o, n)))
        .count()
}

/// How many of the new tree's root children are whitespace nodes of the previous tree.
fn shared_whitespace(old: &Tree, new: &Tree) -> usize {
    let (a, b) = (&old.root().children, &new.root().children);
    b.iter()
        .filter(|n| n.element().is_none() && a.iter().any(|o| Arc::ptr_eq(o, n)))
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
    let guided = |new: &str| well_formed::parse(new, Some(Previous::new(&old, &old_tree, new)));
    // One row changed: the 99 others (and the whitespace) come from the old tree.
    let new_tree = guided(&page(&keys, 40)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
    assert_eq!(shared_whitespace(&old_tree, &new_tree), 101);
    // Reversed: every row is found again by its key.
    let reversed: Vec<u32> = keys.iter().rev().copied().collect();
    let new_tree = guided(&page(&reversed, u32::MAX)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 100);
    // A row inserted without a key, and one removed: the rest realign by position.
    let unkeyed = |rows: &[u32]| {
        let rows: String = rows.iter().map(|k| format!("\n<p>row {k}</p>")).collect();
        format!("<div dj-root>{rows}\n</div>")
    };
    let old = unkeyed(&keys);
    let old_tree = parse(&old);
    let guided = |new: &str| well_formed::parse(new, Some(Previous::new(&old, &old_tree, new)));
    let mut edited: Vec<u32> = keys.clone();
    edited.insert(30, 1000);
    edited.remove(70);
    let new_tree = guided(&unkeyed(&edited)).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
}

#[test]
fn unchanged_svg_is_taken_from_the_previous_tree() {
    let page = |changed: u32, path: &str| {
        let rows: String = (0..100)
            .map(|k| {
                let note = if k == changed { "!" } else { "" };
                let d = if k == 7 { path } else { "M0 0h24v24H0z" };
                format!(
                    "\r\n<tr data-key=\"{k}\"><td><svg viewBox=\"0 0 24 24\"><path d=\"{d}\"/>\
                     <clipPath id=\"c{k}\"><rect width=\"4\"/></clipPath></svg></td><td>row {k}{note}</td></tr>"
                )
            })
            .collect();
        format!("<!DOCTYPE html><html><body><table><tbody dj-root>{rows}\r\n</tbody></table></body></html>")
    };
    let old = normalize_newlines(&page(u32::MAX, "M0 0h24v24H0z")).into_owned();
    let old_tree = parse(&old);
    let guided = |new: &str| well_formed::parse(new, Some(Previous::new(&old, &old_tree, new)));
    let rows = |tree: &Tree| -> Vec<Arc<crate::tree::Node>> {
        let rows = tree.root().children.iter();
        rows.filter(|n| n.element().is_some()).cloned().collect()
    };
    // One row's text changed: the 99 other rows, icons included, are the old nodes.
    let new = normalize_newlines(&page(40, "M0 0h24v24H0z")).into_owned();
    let new_tree = guided(&new).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
    // One icon's path changed: inside that row's <svg>, the <clipPath> is the old node.
    let new = normalize_newlines(&page(u32::MAX, "M1 1z")).into_owned();
    let new_tree = guided(&new).unwrap();
    assert_eq!(shared_children(&old_tree, &new_tree), 99);
    let svg = |tree: &Tree| Arc::clone(&rows(tree)[7].children[0].children[0]);
    let (old_svg, new_svg) = (svg(&old_tree), svg(&new_tree));
    assert!(!Arc::ptr_eq(&old_svg.children[0], &new_svg.children[0]));
    assert!(Arc::ptr_eq(&old_svg.children[1], &new_svg.children[1]));
    assert!(new_tree.same_content(&parse_with_html5ever(&new)));
}

#[test]
fn children_are_reused_only_where_their_parent_parses_them_as_before() {
    // The same tag, but its children parse another way: a template's mode follows its first
    // start tag, an annotation-xml's rules its encoding. Nothing in them is reused.
    for (old, new) in [
        (
            "<template><td>x</td></template>",
            "<template><tr></tr><td>x</td></template>",
        ),
        (
            "<math><annotation-xml encoding=\"text/html\"><div>x</div></annotation-xml></math>",
            "<math><annotation-xml><div>x</div></annotation-xml></math>",
        ),
    ] {
        assert_eq!(reuse_agrees(old, new), Ok(()));
    }
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
        "<!-- a --!>",
        "<select><div>x</div></select>",
        // HTML that breaks out of foreign content, and foreign content left open.
        "<svg><div>x</div></svg>",
        "<svg><font color=red>x</font></svg>",
        "<math><annotation-xml><div>x</div></annotation-xml></math>",
        "<svg><g></svg>",
        "<svg><rect></g></svg>",
        "<svg></p></svg>",
        // SVG scripts run as they close; CDATA sections.
        "<svg><script>1</script></svg>",
        "<svg><![CDATA[x]]></svg>",
        // Where html5ever parts from the standard: special and scoping foreign elements.
        "<li><svg><foreignObject><li>x</li></foreignObject></svg></li>",
        "<li><svg><title><li>x</li></title></svg></li>",
        "<p><math><annotation-xml encoding=text/html><div>x</div></annotation-xml></math></p>",
        "<li><search><li>x",
        // Templates in the head, templates that start as column groups, templates as roots.
        "<!doctype html><template>x</template><p>y",
        "<template><col></template>",
        "<template dj-root>x</template>",
        "<svg><foreignObject><div dj-root>x</div></foreignObject></svg>",
        // A `dj-root` element after a root in a table, foster-parented before the table.
        "<table><tr dj-root></tr>x<i dj-root>y</i></table>",
    ] {
        assert!(well_formed::parse(html, None).is_none(), "{html}");
    }
}

#[test]
fn svg_mathml_templates_and_crlf_as_pages_write_them_take_the_direct_path() {
    let icon = |name: &str| {
        format!(
            "<svg class=\"icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">\
             <use xlink:href=\"/icons.svg#{name}\"/></svg>"
        )
    };
    let pages = [
        format!("<button>{} Save</button>", icon("save")),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"24\" height=\"24\"><defs><linearGradient id=\"g\" gradientUnits=\"userSpaceOnUse\">\
         <stop offset=\"0\"/></linearGradient><clipPath id=\"c\"><rect width=\"4\"/></clipPath>\
         </defs><path fill=\"url(#g)\" d=\"M0 0h24v24H0z\"/><feGaussianBlur stdDeviation=\"2\"/>\
         <text xml:space=\"preserve\"><tspan>1 &lt; 2</tspan></text></svg>"
            .to_owned(),
        "<svg><CLIPPATH></clippath><foreignObject><p>x</p><div>y</div></FOREIGNOBJECT>\
         <desc>d <b>b</b></desc><title>t</title><a href=\"#\"><text>a</text></a></svg><a>x</a>"
            .to_owned(),
        "<p><svg><foreignObject><div>in the p</div></foreignObject></svg></p>".to_owned(),
        "<svg><a href=\"#\"><foreignObject><a href=\"#\">x</a></foreignObject></a></svg>".to_owned(),
        "<math><mrow><mi>x</mi><mo>=</mo><mfrac><mn>1</mn><mi><mglyph/></mi></mfrac></mrow>\
         <semantics><annotation-xml encoding=\"application/xhtml+xml\"><div>h</div>\
         </annotation-xml><annotation-xml><svg><g/></svg></annotation-xml></semantics></math>"
            .to_owned(),
        "<table><tbody><tr><td><svg><path d=\"M1 1\"/></svg></td></tr></tbody></table>".to_owned(),
        "<template><tr><td>1</td></tr>\n<tr><td>2</td></tr></template>\
         <template><td>a</td><th>b</th></template><template><tbody><tr></tr></tbody></template>\
         <template>text <b>b</b><template><li>nested</li></template></template>\
         <template><style>s</style><tr></tr></template>"
            .to_owned(),
        "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<title>t</title>\r\n</head>\r\n<body>\r\n\
         <div dj-root>\r\n<pre>\r\nx</pre><textarea>\r\ny</textarea>\r<p title=\"a\r\nb\">c\r</p>\
         </div>\r\n</body>\r\n</html>\r\n"
            .to_owned(),
        "<!doctype html><head></head><script>s</script><style>s</style><p>x</p>".to_owned(),
    ];
    for page in pages {
        assert_eq!(agrees(&page), Ok(true), "{page}");
    }
}

#[test]
fn the_direct_parse_gives_foreign_elements_and_attributes_their_namespaces_and_names() {
    let tree = well_formed::parse(
        "<svg viewbox=\"0 0 1 1\" XLINK:HREF=\"#a\"><clippath/><foreignobject><b>h</b>\
         </foreignobject></svg><math definitionurl=\"u\"><mi><mglyph/></mi></math>",
        None,
    )
    .unwrap();
    let element = |path: &[usize]| {
        let mut node = tree.root();
        for &i in path {
            node = &node.children[i];
        }
        let element = node.element().unwrap();
        let attrs: Vec<&str> = element.attrs.iter().map(|a| &*a.name).collect();
        (
            element.ns.to_string(),
            element.name.to_string(),
            attrs.join(" "),
        )
    };
    let svg = "http://www.w3.org/2000/svg";
    let mathml = "http://www.w3.org/1998/Math/MathML";
    let html = "http://www.w3.org/1999/xhtml";
    let named =
        |ns: &str, name: &str, attrs: &str| (ns.to_owned(), name.to_owned(), attrs.to_owned());
    assert_eq!(element(&[0]), named(svg, "svg", "viewBox xlink:href"));
    assert_eq!(element(&[0, 0]), named(svg, "clipPath", ""));
    assert_eq!(element(&[0, 1]), named(svg, "foreignObject", ""));
    assert_eq!(element(&[0, 1, 0]), named(html, "b", ""));
    assert_eq!(element(&[1]), named(mathml, "math", "definitionURL"));
    assert_eq!(element(&[1, 0]), named(mathml, "mi", ""));
    assert_eq!(element(&[1, 0, 0]), named(mathml, "mglyph", ""));
}
