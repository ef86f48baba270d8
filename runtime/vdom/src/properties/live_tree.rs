//! [`LiveTree::update`]'s promise: whatever the previous render, the new tree is exactly the
//! tree a fresh parse of the new render gives, and so are the patches — however much of the
//! page the update took over from the previous tree without reading it.

use proptest::prelude::*;

use super::diff::{pair, renders};
use super::well_formed::markup;
use crate::diff::diff;
use crate::live_tree::LiveTree;
use crate::parse::input_stream::normalize_newlines;
use crate::parse::parse_with_html5ever;

/// Pages around the content: each way of finding the root, and roots whose content the parser
/// reads differently (text to the end tag, a leading newline dropped, table rows).
const PAGES: &[&str] = &[
    "{}",
    "<!DOCTYPE html>\n<html>\n<head>\n<title>t</title>\n<script>var s = '<p>';</script>\n</head>\n\
     <body>\n<nav>n</nav>\n<main dj-view=\"v\" dj-root class=\"r\">{}</main>\n<footer>f</footer>\n\
     </body>\n</html>\n",
    "<!doctype html><html><head></head><body class=\"b\">{}</body></html>",
    "<!doctype html><title>t</title>{}",
    "<!doctype html><p>before</p>{}",
    "<ul dj-root>{}</ul>",
    "<table><tbody dj-root>{}</tbody></table>",
    "<table><tr dj-root>{}</tr></table>",
    "<pre dj-root>{}</pre>",
    "<textarea dj-root>{}</textarea>",
    "<div><p dj-root>{}</p></div>",
];

/// What an edit writes: markup's own bytes, alone or in pieces, so that edits land inside
/// tags, attributes, comments, raw text and references, and between them.
const WRITTEN: &[&str] = &[
    "",
    "x",
    " ",
    "\n",
    "\r\n",
    "\r",
    "<",
    ">",
    "/",
    "=",
    "\"",
    "'",
    "&",
    "&amp;",
    "&lt",
    ";",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<b>x</b>",
    "<li>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<!--",
    "-->",
    "<!-- c -->",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "<svg>",
    "</svg>",
    "<path/>",
    "<br>",
    "<img src=x>",
    "dj-root",
    " dj-root",
    "<i dj-root>",
    " class=\"a\"",
    " data-key=\"k\"",
    "data-key",
    "\u{feff}",
    "\0",
    "é",
    "<!doctype html>",
    "<html>",
    "<body>",
    "</body>",
    "<head>",
];

/// Content as templates write it: nested, keyed lists, text, attributes.
fn templated() -> impl Strategy<Value = String> {
    prop::collection::vec(pair(), 1..6).prop_map(|pairs| {
        let mut out = String::new();
        pairs.iter().for_each(|p| p.render(&mut out, true));
        out
    })
}

/// What most edits write: text and whole elements, which leave the page well formed.
const TEXT: &[&str] = &[
    "", "x", "yz", " ", "\n", "&amp;", "<b>x</b>", "<p>p</p>", "<!--c-->",
];

/// One edit: where (a fraction of the page), how many bytes go, what is written there.
fn edit() -> impl Strategy<Value = (f64, usize, &'static str)> {
    let written = prop_oneof![
        2 => prop::sample::select(TEXT),
        1 => prop::sample::select(WRITTEN),
    ];
    (0.0..1.0f64, prop_oneof![0..3usize, 0..40usize], written)
}

/// `html` with the edit made, at character boundaries.
fn edited(html: &str, (at, removed, written): (f64, usize, &str)) -> String {
    let floor = |mut i: usize| {
        while !html.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor((at * html.len() as f64) as usize);
    let end = floor((start + removed).min(html.len())).max(start);
    format!("{}{written}{}", &html[..start], &html[end..])
}

/// Updates `live` to `new` and checks the result against a fresh parse of `new`.
fn updates_as_a_fresh_parse(live: &mut LiveTree, new: &str) -> Result<(), TestCaseError> {
    let before = live.clone();
    let Ok(result) = live.update(new) else {
        // An error keeps the previous render.
        prop_assert_eq!(live.source(), before.source());
        return Ok(());
    };
    let normalized = normalize_newlines(new);
    prop_assert_eq!(live.source(), &*normalized);
    let fresh = parse_with_html5ever(&normalized);
    let tree = live.tree();
    prop_assert!(
        tree.same_content(&fresh) && tree.depth() == fresh.depth(),
        "new: {:?}\nupdated: {:?}\nfresh:   {:?}",
        new,
        tree,
        fresh
    );
    prop_assert_eq!(tree.root_kind(), fresh.root_kind());
    // The patches are those between the two trees parsed afresh. (Not the duplicate keys:
    // a differ does not look into a subtree both trees share, nor report what is in it.)
    let unguided = diff(&crate::parse::parse(before.source()), &fresh);
    prop_assert_eq!(&result.patches, &unguided.patches, "new: {:?}", new);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn an_update_after_random_edits_is_a_fresh_parse(
        page in prop::sample::select(PAGES),
        content in prop_oneof![1 => markup(), 3 => templated()],
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let first = page.replace("{}", &content);
        let Ok(mut live) = LiveTree::new(&first) else {
            return Ok(());
        };
        let mut html = first;
        for one in edits {
            html = edited(&html, one);
            updates_as_a_fresh_parse(&mut live, &html)?;
        }
    }

    #[test]
    fn an_update_between_renders_is_a_fresh_parse(
        page in prop::sample::select(PAGES),
        (old, new) in renders(),
    ) {
        let Ok(mut live) = LiveTree::new(&page.replace("{}", &old)) else {
            return Ok(());
        };
        updates_as_a_fresh_parse(&mut live, &page.replace("{}", &new))?;
    }
}

/// A page as djust serves one: a head with an inline script, a keyed table and a list in the
/// root, markup after it.
fn served_page() -> impl Strategy<Value = String> {
    let row = (0..50u32, "[a-z &<]{0,6}", any::<bool>());
    prop::collection::vec(row, 0..20).prop_map(|rows| {
        let rows: String = rows
            .iter()
            .map(|(key, text, icon)| {
                let icon = if *icon {
                    "<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>"
                } else {
                    ""
                };
                let text = text.replace('&', "&amp;").replace('<', "&lt;");
                format!(
                    "\n<tr data-key=\"{key}\"><td class=\"n\">{text}</td>\
                     <td><button dj-click=\"x\">{icon}go</button></td></tr>"
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<title>t</title>\n\
             <script>if (a < b) {{ s = '</div>'; }}</script>\n</head>\n<body>\n\
             <div dj-view=\"v\" dj-root><h1>Items</h1><table><thead><tr><th>#</th></tr></thead>\
             <tbody>{rows}\n</tbody></table>\n<ul>\n<li>a</li>\n<li><!--c--><b>b</b></li>\n</ul>\
             <pre>\nx</pre><textarea>t</textarea></div>\n<footer>f</footer>\n</body>\n</html>\n"
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn an_update_of_a_served_page_after_random_edits_is_a_fresh_parse(
        first in served_page(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let mut live = LiveTree::new(&first).expect("a served page parses");
        let mut html = first;
        for one in edits {
            html = edited(&html, one);
            updates_as_a_fresh_parse(&mut live, &html)?;
        }
    }
}

/// Updates a page from `old` to `new` and checks it against a fresh parse.
fn update(old: &str, new: &str) {
    let mut live = LiveTree::new(old).unwrap();
    let result = updates_as_a_fresh_parse(&mut live, new);
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn what_the_change_continues_is_read_again() {
    // A text whose bytes end where the change starts: a reference, or the text, goes on.
    update("<div><p>a&am</p></div>", "<div><p>a&amp;</p></div>");
    update("<div><p>ab</p></div>", "<div><p>abc</p></div>");
    // A table body the parser implied ends where `</table>` begins: new rows join it.
    update(
        "<div><table><tr><td>1</td></tr></table></div>",
        "<div><table><tr><td>1</td></tr><tr><td>2</td></tr></table></div>",
    );
    // A byte order mark or a NUL brought by the change, or made by joining shared bytes.
    update("<div><p>x</p></div>", "<div><p>x\u{feff}</p></div>");
    update("<div><p>x</p></div>", "<div><p>x\0</p></div>");
    update("<p>\u{feff}</p>", "<p>\u{feff}\u{feff}</p>");
    // A change inside a start tag, an attribute, a comment, raw text.
    update(
        "<div><p class=\"a\">x</p></div>",
        "<div><p class=\"ab\">x</p></div>",
    );
    update("<div><p>x</p></div>", "<div><p id=1>x</p></div>");
    update(
        "<div><!-- a --><p>x</p></div>",
        "<div><!-- a -- b --><p>x</p></div>",
    );
    update(
        "<div><script>a</script><p>x</p></div>",
        "<div><script>a</scrip</script><p>x</p></div>",
    );
}

#[test]
fn what_comes_before_the_root_is_read_again_where_it_changed() {
    let page = |head: &str, body: &str| {
        format!("<!doctype html><html><head>{head}</head>{body}<div dj-root><p>1</p></div>")
    };
    // A change before the root's content: nothing is resumed.
    update(&page("", "<body>"), &page("<title>t</title>", "<body>"));
    update(&page("", "<body>"), &page("", "<body class=x>"));
    update(&page("", ""), &page("", "<body>"));
    // The root's content follows a `<body>` the page does not write: what follows decided it.
    update(
        "<!doctype html><html><head></head>\n<p>1</p>",
        "<!doctype html><html><head></head>\n<meta charset=utf-8><p>1</p>",
    );
}
