//! Random SVG, MathML and `<template>` markup for the direct parser's properties, rendered twice
//! (an old and a new render that differ where a template's data would).
//!
//! It mixes what icon libraries and templates write (camel-case names in any case, `viewBox`,
//! `xlink:href`, self-closing paths, `foreignObject` holding HTML, MathML text elements, CR LF
//! line ends) with what the parser treats specially: HTML tags that break out of foreign
//! content, `<font color>`, `annotation-xml` with and without an HTML `encoding`, `mglyph` in
//! `mi`, end tags in other cases or missing, templates whose first tag is a table part.

use proptest::prelude::*;

/// SVG and MathML element names as written, several in other cases than their own.
#[rustfmt::skip]
const FOREIGN_TAGS: &[&str] = &[
    "svg", "math", "g", "path", "circle", "use", "defs", "symbol", "text", "tspan", "clipPath",
    "CLIPPATH", "clippath", "linearGradient", "lineargradient", "stop", "feGaussianBlur",
    "textPath", "foreignObject", "foreignobject", "desc", "title", "a", "style", "font",
    "image", "mi", "mo", "mn", "ms", "mtext", "mrow", "mglyph", "malignmark", "semantics",
    "annotation-xml", "ANNOTATION-XML",
];

/// HTML names: some break out of foreign content, some belong in integration points, some
/// decide a template's mode.
const HTML_TAGS: &[&str] = &[
    "template", "div", "p", "span", "b", "br", "table", "tbody", "tr", "td", "li", "pre",
    "textarea", "select", "option", "script", "input",
];

/// Attribute names as written: adjusted ones in several cases, namespaced ones, plain ones.
#[rustfmt::skip]
const ATTRIBUTES: &[&str] = &[
    "viewBox", "viewbox", "VIEWBOX", "preserveAspectRatio", "gradientUnits", "refX", "d",
    "fill", "class", "xlink:href", "XLINK:HREF", "xlink:foo", "xml:lang", "xml:space", "xmlns",
    "xmlns:xlink", "definitionURL", "encoding", "color", "face", "data-key",
];

#[rustfmt::skip]
const VALUES: &[&str] = &[
    "", "0 0 24 24", "M0 0L1 1z", "#a", "text/html", "TEXT/HTML", "application/xhtml+xml",
    "text/plain", "red", "a&amp;b", "a\r\nb", "k1",
];

#[rustfmt::skip]
const TEXTS: &[&str] = &[
    "a", " ", "\n", "\r\n", "\r", "x &amp; y", "1 < 2", "\u{a0}", "&lt;b&gt;", "&copy",
];

/// One piece of markup in both renders.
#[derive(Clone, Debug)]
pub(crate) enum Twice {
    Text(&'static str, &'static str),
    Comment,
    Element {
        tag: &'static str,
        /// Name, old value, new value.
        attrs: Vec<(&'static str, &'static str, &'static str)>,
        children: Vec<(Presence, Twice)>,
        close: Close,
    },
}

/// In which renders a child appears.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Presence {
    Both,
    Old,
    New,
}

/// How an element ends.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Close {
    EndTag,
    UppercaseEndTag,
    SelfClosing,
    Omitted,
}

impl Twice {
    pub(crate) fn render(&self, out: &mut String, old: bool) {
        match self {
            Twice::Text(a, b) => out.push_str(if old { a } else { b }),
            Twice::Comment => out.push_str("<!-- c -->"),
            Twice::Element {
                tag,
                attrs,
                children,
                close,
            } => {
                out.push('<');
                out.push_str(tag);
                for (name, a, b) in attrs {
                    out.push_str(&format!(" {name}=\"{}\"", if old { a } else { b }));
                }
                if let Close::SelfClosing = close {
                    out.push_str("/>");
                    return;
                }
                out.push('>');
                for (presence, child) in children {
                    if matches!(
                        (presence, old),
                        (Presence::Both, _) | (Presence::Old, true) | (Presence::New, false)
                    ) {
                        child.render(out, old);
                    }
                }
                match close {
                    Close::EndTag => out.push_str(&format!("</{tag}>")),
                    Close::UppercaseEndTag => {
                        out.push_str(&format!("</{}>", tag.to_ascii_uppercase()));
                    }
                    Close::SelfClosing | Close::Omitted => {}
                }
            }
        }
    }
}

/// Usually the same in both renders, sometimes not.
fn twice_of(pool: &'static [&'static str]) -> impl Strategy<Value = (&'static str, &'static str)> {
    prop_oneof![
        4 => prop::sample::select(pool).prop_map(|v| (v, v)),
        1 => (prop::sample::select(pool), prop::sample::select(pool)),
    ]
}

fn presence() -> impl Strategy<Value = Presence> {
    prop_oneof![8 => Just(Presence::Both), 1 => Just(Presence::Old), 1 => Just(Presence::New)]
}

fn close() -> impl Strategy<Value = Close> {
    prop_oneof![
        12 => Just(Close::EndTag),
        1 => Just(Close::UppercaseEndTag),
        4 => Just(Close::SelfClosing),
        1 => Just(Close::Omitted),
    ]
}

/// An element with a tag from `tags`, its attributes and children drawn from `inner`.
fn element(
    tags: impl Strategy<Value = &'static str>,
    inner: impl Strategy<Value = Twice>,
) -> impl Strategy<Value = Twice> {
    (
        tags,
        prop::collection::vec(
            (prop::sample::select(ATTRIBUTES), twice_of(VALUES)).prop_map(|(n, (a, b))| (n, a, b)),
            0..3,
        ),
        prop::collection::vec((presence(), inner), 0..4),
        close(),
    )
        .prop_map(|(tag, attrs, children, close)| Twice::Element {
            tag,
            attrs,
            children,
            close,
        })
}

/// Markup whose outermost element is `<svg>`, `<math>` or `<template>`, in both renders.
pub(crate) fn foreign() -> impl Strategy<Value = Twice> {
    let leaf = prop_oneof![
        3 => twice_of(TEXTS).prop_map(|(a, b)| Twice::Text(a, b)),
        1 => Just(Twice::Comment),
    ];
    let content = leaf.prop_recursive(4, 40, 4, |inner| {
        let tags = prop_oneof![
            5 => prop::sample::select(FOREIGN_TAGS),
            1 => prop::sample::select(HTML_TAGS),
        ];
        element(tags, inner)
    });
    let outermost = prop::sample::select(&["svg", "SVG", "math", "template"][..]);
    element(outermost, content)
}

/// Both renders of a list of pieces.
pub(crate) fn render_both(pieces: &[Twice]) -> (String, String) {
    let render = |old| {
        let mut out = String::new();
        pieces.iter().for_each(|p| p.render(&mut out, old));
        out
    };
    (render(true), render(false))
}
