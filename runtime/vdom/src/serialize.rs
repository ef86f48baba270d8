//! [`Tree`] → HTML, by the HTML spec's fragment serialisation algorithm.
//!
//! The output is what the browser's `innerHTML` getter writes, so that parsing it where it came
//! from (as `innerHTML`/`outerHTML` setters do) rebuilds the same nodes. Iterative: any depth.

use markup5ever::{local_name, ns, LocalName};

use crate::tree::{Element, Node, NodeData, Tree};

/// The HTML of a node's children.
pub(crate) fn inner_html(node: &Node) -> String {
    let mut out = String::new();
    write_children(&mut out, node);
    out
}

/// Appends the HTML of a node's children.
pub(crate) fn write_children(out: &mut String, node: &Node) {
    let raw = node.element().is_some_and(holds_raw_text);
    let steps = node
        .children
        .iter()
        .rev()
        .map(|c| Step::Node(c, raw))
        .collect();
    write(out, steps);
}

/// Appends the HTML of a node as a child of `parent` (which decides whether text is raw).
pub(crate) fn write_outer(out: &mut String, node: &Node, parent: &Node) {
    let raw = parent.element().is_some_and(holds_raw_text);
    write(out, vec![Step::Node(node, raw)]);
}

/// The HTML of a node as a child of `parent`.
#[cfg(test)]
pub(crate) fn outer_html(node: &Node, parent: &Node) -> String {
    let mut out = String::new();
    write_outer(&mut out, node, parent);
    out
}

impl Tree {
    /// The HTML of the root element's children: what the browser's root `innerHTML` must be.
    pub fn root_inner_html(&self) -> String {
        inner_html(self.root())
    }
}

/// Work left to do, innermost last.
enum Step<'t> {
    /// Write a node; the flag says its parent keeps text raw.
    Node(&'t Node, bool),
    EndTag(&'t LocalName),
}

fn write<'t>(out: &mut String, mut steps: Vec<Step<'t>>) {
    while let Some(step) = steps.pop() {
        let (node, raw) = match step {
            Step::EndTag(name) => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
                continue;
            }
            Step::Node(node, raw) => (node, raw),
        };
        match &node.data {
            NodeData::Text(text) if raw => out.push_str(text),
            NodeData::Text(text) => escape(out, text, false),
            NodeData::Comment(text) => {
                out.push_str("<!--");
                out.push_str(text);
                out.push_str("-->");
            }
            NodeData::Element(element) => {
                out.push('<');
                out.push_str(&element.name);
                for attr in &element.attrs {
                    out.push(' ');
                    out.push_str(&attr.name);
                    out.push_str("=\"");
                    escape(out, &attr.value, true);
                    out.push('"');
                }
                out.push('>');
                if is_void(element) {
                    continue;
                }
                let children = &node.children;
                // The parser drops one newline right after these start tags, so a leading
                // newline in the content needs a second one to survive a reparse.
                if eats_leading_newline(element) {
                    if let Some(NodeData::Text(text)) = children.first().map(|c| &c.data) {
                        if text.starts_with('\n') {
                            out.push('\n');
                        }
                    }
                }
                steps.push(Step::EndTag(&element.name));
                let raw = holds_raw_text(element);
                steps.extend(children.iter().rev().map(|c| Step::Node(c, raw)));
            }
        }
    }
}

/// Escapes text (`&`, no-break space, `<`, `>`) or an attribute value (`&`, no-break space, `"`).
fn escape(out: &mut String, text: &str, attribute: bool) {
    let special: &[char] = if attribute {
        &['&', '\u{a0}', '"']
    } else {
        &['&', '\u{a0}', '<', '>']
    };
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at..].chars();
        out.push_str(match chars.next() {
            Some('&') => "&amp;",
            Some('\u{a0}') => "&nbsp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            _ => "&quot;",
        });
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// Elements written without content or end tag.
fn is_void(element: &Element) -> bool {
    element.ns == ns!(html)
        && matches!(
            element.name,
            local_name!("area")
                | local_name!("base")
                | local_name!("basefont")
                | local_name!("bgsound")
                | local_name!("br")
                | local_name!("col")
                | local_name!("embed")
                | local_name!("frame")
                | local_name!("hr")
                | local_name!("img")
                | local_name!("input")
                | local_name!("keygen")
                | local_name!("link")
                | local_name!("meta")
                | local_name!("param")
                | local_name!("source")
                | local_name!("track")
                | local_name!("wbr")
        )
}

/// Elements whose text children are written as they are, unescaped.
pub(crate) fn holds_raw_text(element: &Element) -> bool {
    element.ns == ns!(html)
        && matches!(
            element.name,
            local_name!("style")
                | local_name!("script")
                | local_name!("xmp")
                | local_name!("iframe")
                | local_name!("noembed")
                | local_name!("noframes")
                | local_name!("plaintext")
                // Scripting is on in the browsers djust serves, as it is in our parser.
                | local_name!("noscript")
        )
}

fn eats_leading_newline(element: &Element) -> bool {
    element.ns == ns!(html)
        && matches!(
            element.name,
            local_name!("pre") | local_name!("textarea") | local_name!("listing")
        )
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;

    fn roundtrip(html: &str) -> String {
        parse(html).root_inner_html()
    }

    #[test]
    fn text_and_attribute_values_are_escaped_as_the_spec_says() {
        assert_eq!(
            roundtrip("<p title='a&amp;b\u{a0}\"<>'>x&lt;y&gt;z&amp;\u{a0}\"'</p>"),
            "<p title=\"a&amp;b&nbsp;&quot;<>\">x&lt;y&gt;z&amp;&nbsp;\"'</p>"
        );
    }

    #[test]
    fn void_elements_have_no_end_tag() {
        assert_eq!(
            roundtrip("<br><img src=x><input disabled><hr/><wbr>"),
            r#"<br><img src="x"><input disabled=""><hr><wbr>"#
        );
    }

    #[test]
    fn raw_text_elements_keep_their_text_unescaped() {
        assert_eq!(
            roundtrip("<script>if (a < b && c) {}</script><style>a>b{}</style>"),
            "<script>if (a < b && c) {}</script><style>a>b{}</style>"
        );
        assert_eq!(
            roundtrip("<textarea>a<b&amp;</textarea>"),
            "<textarea>a&lt;b&amp;</textarea>"
        );
    }

    #[test]
    fn comments_are_written_back() {
        assert_eq!(
            roundtrip("<!-- a -- b --><?php x ?>"),
            "<!-- a -- b --><!--?php x ?-->"
        );
    }

    #[test]
    fn a_leading_newline_in_pre_survives_a_reparse() {
        let html = roundtrip("<pre>\n\nx</pre><textarea>\n\ny</textarea><pre>\nz</pre>");
        assert_eq!(
            html,
            "<pre>\n\nx</pre><textarea>\n\ny</textarea><pre>z</pre>"
        );
        assert_eq!(roundtrip(&html), html);
    }

    #[test]
    fn template_contents_are_written_inside_the_template() {
        assert_eq!(
            roundtrip("<template><p>x</template>"),
            "<template><p>x</p></template>"
        );
    }

    #[test]
    fn outer_html_of_text_in_a_script_is_raw() {
        let tree = parse("<script>a<b</script>");
        let script = &tree.root().children[0];
        let text = &script.children[0];
        assert_eq!(super::outer_html(text, script), "a<b");
        assert_eq!(
            super::outer_html(script, tree.root()),
            "<script>a<b</script>"
        );
    }

    #[test]
    fn very_deep_trees_serialise_without_overflowing_the_stack() {
        let depth = 10_000;
        let html = "<i>".repeat(depth);
        assert_eq!(roundtrip(&html).len(), depth * "<i></i>".len());
    }
}
