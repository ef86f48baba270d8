//! HTML → [`Tree`]: the entry point, which picks the parser.
//!
//! A page is first normalised ([`input_stream`]) and compared with the previous render
//! ([`unchanged`]: the bytes both share). The direct parser ([`well_formed`]) then reads what
//! templates write, taking over the previous render's nodes where the bytes come back
//! unchanged; whatever it declines goes through html5ever's tree builder
//! ([`html5ever_sink`]). Both build the same tree for the same input.

mod html5ever_sink;
pub(crate) mod input_stream;
pub(crate) mod unchanged;
pub(crate) mod well_formed;

pub(crate) use html5ever_sink::{parse_fragment, parse_with_html5ever};

use crate::tree::Tree;
use input_stream::normalize_newlines;
use well_formed::Previous;

/// Parses HTML into the tree of its root element.
///
/// Input that starts (after whitespace and comments) with `<!doctype` or `<html` is parsed as a
/// document, anything else as the children of a `<body>`. The root is the first element with a
/// `dj-root` attribute; without one, the document's body or the fragment itself.
pub fn parse(html: &str) -> Tree {
    parse_after(&normalize_newlines(html), None)
}

/// [`parse`] for a page whose newlines are normalised already, reusing the unchanged subtrees
/// of a previous render's tree (whose source is normalised too).
pub(crate) fn parse_after(html: &str, previous: Option<Previous<'_>>) -> Tree {
    if let Some(tree) = well_formed::parse(html, previous) {
        return tree;
    }
    parse_with_html5ever(html)
}

/// Whether the input begins, after whitespace and comments, with `<!doctype` or `<html`.
pub(crate) fn looks_like_document(html: &str) -> bool {
    let mut rest = html.strip_prefix('\u{feff}').unwrap_or(html);
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        match rest.strip_prefix("<!--") {
            Some(comment) => match comment_end(comment) {
                Some(end) => rest = &comment[end..],
                None => return false,
            },
            None => break,
        }
    }
    if starts_with_ignoring_case(rest, "<!doctype") {
        return true;
    }
    // `<html>` or `<html lang=…>`, but not a custom element such as `<html-viewer>`.
    starts_with_ignoring_case(rest, "<html")
        && rest
            .as_bytes()
            .get(5)
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
}

/// Where the text after a comment's `<!--` resumes, as the HTML tokenizer ends comments.
fn comment_end(comment: &str) -> Option<usize> {
    // `<!-->` and `<!--->` are complete (empty) comments.
    for abrupt in [">", "->"] {
        if comment.starts_with(abrupt) {
            return Some(abrupt.len());
        }
    }
    let closed = comment.find("-->").map(|at| at + 3);
    let bang_closed = comment.find("--!>").map(|at| at + 4);
    match (closed, bang_closed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    use markup5ever::{local_name, ns, QualName};

    use crate::tree::{NodeData, RootKind};

    fn root_html(html: &str) -> String {
        let tree = parse(html);
        tree.root_inner_html()
    }

    #[test]
    fn a_fragment_is_parsed_as_body_content() {
        let tree = parse("<p>a<p>b</p><td>dropped</td>");
        assert_eq!(tree.root_kind(), RootKind::Fragment);
        assert_eq!(tree.root_inner_html(), "<p>a</p><p>b</p>dropped");
    }

    #[test]
    fn a_document_is_recognised_by_doctype_or_html_after_comments_and_space() {
        assert!(looks_like_document("<!DOCTYPE html><p>x"));
        assert!(looks_like_document(
            "\u{feff} \n<!-- a --><!----><HTML lang=en>"
        ));
        assert!(looks_like_document("<html>"));
        assert!(looks_like_document("<!--><html>"));
        assert!(looks_like_document("<!-- x --!><html/>"));
        assert!(!looks_like_document("<html-viewer></html-viewer>"));
        assert!(!looks_like_document("<div><html>"));
        assert!(!looks_like_document("<!-- unclosed <html>"));
        assert!(!looks_like_document("<!doc"));
        assert!(!looks_like_document(""));
    }

    #[test]
    fn a_document_root_is_its_body() {
        let tree = parse("<!doctype html><title>t</title><p>x</p>");
        assert_eq!(tree.root_kind(), RootKind::Body);
        assert_eq!(tree.root_inner_html(), "<p>x</p>");
    }

    #[test]
    fn a_frameset_document_root_is_the_frameset() {
        let tree = parse("<html><frameset><frame src=a></frameset></html>");
        assert_eq!(tree.root_kind(), RootKind::Body);
        assert_eq!(tree.root_inner_html(), r#"<frame src="a">"#);
    }

    #[test]
    fn the_first_dj_root_element_in_document_order_is_the_root() {
        let html = "<!doctype html><body><nav>n</nav><main><div dj-root id=a>in<div dj-root id=b>\
                    </div></div></main><div dj-root id=c></div>";
        let tree = parse(html);
        assert_eq!(tree.root_kind(), RootKind::DjRoot);
        assert_eq!(tree.root_inner_html(), r#"in<div dj-root="" id="b"></div>"#);
        assert_eq!(
            root_html("<b>x</b><section dj-root><i>y</i></section>"),
            "<i>y</i>"
        );
    }

    #[test]
    fn a_dj_root_inside_a_template_is_not_in_the_document() {
        let tree = parse("<template><div dj-root>t</div></template><p>x</p>");
        assert_eq!(tree.root_kind(), RootKind::Fragment);
    }

    #[test]
    fn a_dj_root_on_the_body_tag_of_a_fragment_is_dropped_with_the_tag() {
        let tree = parse("<body dj-root><p>x</p></body>");
        assert_eq!(tree.root_kind(), RootKind::Fragment);
        assert_eq!(tree.root_inner_html(), "<p>x</p>");
    }

    #[test]
    fn a_dj_root_on_body_or_html_of_a_document_works() {
        let tree = parse("<!doctype html><body dj-root class=x><p>x</p>");
        assert_eq!(tree.root_kind(), RootKind::DjRoot);
        assert_eq!(tree.root_inner_html(), "<p>x</p>");
        let tree = parse("<html dj-root><p>x</p>");
        assert_eq!(tree.root_kind(), RootKind::DjRoot);
        assert_eq!(tree.root_inner_html(), "<head></head><body><p>x</p></body>");
    }

    #[test]
    fn template_contents_are_the_template_children() {
        assert_eq!(
            root_html("<template><tr><td>1</td></tr></template>"),
            "<template><tr><td>1</td></tr></template>"
        );
    }

    #[test]
    fn foster_parenting_and_the_adoption_agency_build_what_browsers_build() {
        assert_eq!(
            root_html("<table>a<tr><td>1</td></tr>b</table>"),
            "ab<table><tbody><tr><td>1</td></tr></tbody></table>"
        );
        assert_eq!(root_html("<b>1<p>2</b>3</p>"), "<b>1</b><p><b>2</b>3</p>");
        assert_eq!(
            root_html("<table><tr><td>x</td></tr><div>y</div></table>"),
            "<div>y</div><table><tbody><tr><td>x</td></tr></tbody></table>"
        );
    }

    #[test]
    fn adjacent_text_is_merged_into_one_node() {
        let tree = parse("a&amp;b<!---->c");
        assert_eq!(tree.root().children.len(), 3);
        let tree = parse("<table>a<tr></tr>b</table>");
        // Both foster-parented runs land before the table, next to each other: one text node.
        assert_eq!(tree.root().children.len(), 2);
    }

    #[test]
    fn foreign_elements_and_attributes_keep_their_names() {
        assert_eq!(
            root_html(r##"<svg viewbox="0 0 1 1"><foreignobject/><use xlink:href="#a"/></svg>"##),
            r##"<svg viewBox="0 0 1 1"><foreignObject></foreignObject><use xlink:href="#a"></use></svg>"##
        );
        assert_eq!(
            root_html(r#"<svg xmlns:xlink="http://www.w3.org/1999/xlink" xml:lang="en"></svg>"#),
            r#"<svg xmlns:xlink="http://www.w3.org/1999/xlink" xml:lang="en"></svg>"#
        );
    }

    #[test]
    fn noscript_content_is_text_as_in_a_browser_with_scripting() {
        let tree = parse("<noscript><p>x</p></noscript>");
        let noscript = &tree.root().children[0];
        assert!(matches!(
            &noscript.children[0].data,
            NodeData::Text(t) if t == "<p>x</p>"
        ));
    }

    #[test]
    fn a_declarative_shadow_root_stays_a_template() {
        assert_eq!(
            root_html(r#"<div><template shadowrootmode="open"><b>s</b></template></div>"#),
            r#"<div><template shadowrootmode="open"><b>s</b></template></div>"#
        );
    }

    #[test]
    fn mathml_annotation_xml_can_hold_html() {
        assert_eq!(
            root_html(
                r#"<math><annotation-xml encoding="text/html"><div>x</div></annotation-xml></math>"#
            ),
            r#"<math><annotation-xml encoding="text/html"><div>x</div></annotation-xml></math>"#
        );
    }

    #[test]
    fn a_fragment_parses_in_the_context_it_is_given() {
        let tr = QualName::new(None, ns!(html), local_name!("tbody"));
        let tree = parse_fragment("<tr><td>1</td></tr>", &tr);
        assert_eq!(tree.root_inner_html(), "<tr><td>1</td></tr>");
        let body = QualName::new(None, ns!(html), local_name!("body"));
        let tree = parse_fragment("<tr><td>1</td></tr>", &body);
        assert_eq!(tree.root_inner_html(), "1");
    }

    #[test]
    fn garbage_parses_without_panicking() {
        for html in [
            "<",
            "</",
            "<!",
            "<!-",
            "<?",
            "&",
            "&#",
            "&#x110000;",
            "\0",
            "<a<b>",
            "</p>",
        ] {
            let _ = parse(html);
        }
    }
}
