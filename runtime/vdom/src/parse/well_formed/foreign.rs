//! SVG and MathML inside HTML ("foreign content"): what the HTML parser does differently there,
//! for the direct parser (`well_formed`) to follow.
//!
//! The tokenizer lowercases every name; in foreign content the tree builder gives some SVG
//! element and attribute names their camel case back (`clippath` → `clipPath`, `viewbox` →
//! `viewBox`), and MathML's `definitionurl` becomes `definitionURL`. A few HTML tags break out
//! of foreign content, closing the SVG or MathML elements around them. Integration points are
//! the foreign elements whose content the HTML rules parse again: `foreignObject`, `desc` and
//! `title` in SVG, MathML's text elements (`mi`, `mo`, `mn`, `ms`, `mtext`), and an
//! `annotation-xml` declared to hold HTML.
//!
//! The namespaced attributes (`xlink:href`, `xml:lang`, `xmlns:xlink`) need nothing here: the
//! tree records an attribute by the name HTML serialisation writes, and for those it is the
//! name the tokenizer read.

use foldhash::HashMap;
use markup5ever::{ns, LocalName, Namespace};

use crate::tree::Attribute;

/// How the start tags (and text) under an open element are processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rules {
    /// By the HTML rules: under HTML elements and HTML integration points.
    Html,
    /// By the rules for foreign content: under any other SVG or MathML element.
    Foreign,
    /// Under a MathML text integration point: HTML rules, except for `mglyph` and `malignmark`.
    MathText,
    /// Under an `annotation-xml` that does not hold HTML: foreign rules, except for `<svg>`.
    AnnotationXml,
}

impl Rules {
    /// The rules for the content of an element with this namespace, name and attributes.
    pub(crate) fn of(ns: &Namespace, name: &str, attrs: &[Attribute]) -> Rules {
        if *ns == ns!(svg) {
            return match name {
                "foreignObject" | "desc" | "title" => Rules::Html,
                _ => Rules::Foreign,
            };
        }
        if *ns == ns!(mathml) {
            return match name {
                "mi" | "mo" | "mn" | "ms" | "mtext" => Rules::MathText,
                "annotation-xml" if holds_html(attrs) => Rules::Html,
                "annotation-xml" => Rules::AnnotationXml,
                _ => Rules::Foreign,
            };
        }
        Rules::Html
    }

    /// Whether a start tag (its lowercase name) under such an element follows the HTML rules.
    pub(crate) fn html_for(self, tag: &str) -> bool {
        match self {
            Rules::Html => true,
            Rules::Foreign => false,
            Rules::MathText => !matches!(tag, "mglyph" | "malignmark"),
            Rules::AnnotationXml => tag == "svg",
        }
    }
}

/// Whether an `annotation-xml`'s `encoding` says it holds HTML (compared ignoring ASCII case).
fn holds_html(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        &*a.name == "encoding"
            && (a.value.eq_ignore_ascii_case("text/html")
                || a.value.eq_ignore_ascii_case("application/xhtml+xml"))
    })
}

/// Whether a foreign element bounds the scopes HTML start tags look into, in html5ever as in
/// browsers. (The spec's `annotation-xml` bounds them too, but not in html5ever: callers that
/// meet one must decline.)
pub(crate) fn bounds_scope(ns: &Namespace, name: &str) -> bool {
    if *ns == ns!(svg) {
        matches!(name, "foreignObject" | "desc" | "title")
    } else {
        *ns == ns!(mathml) && matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
    }
}

/// Whether a start tag in foreign content leaves it: the parser then closes the open foreign
/// elements and processes the tag as HTML.
pub(crate) fn breaks_out(tag: &str, attrs: &[Attribute]) -> bool {
    match tag {
        "b" | "big" | "blockquote" | "body" | "br" | "center" | "code" | "dd" | "div" | "dl"
        | "dt" | "em" | "embed" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "head" | "hr" | "i"
        | "img" | "li" | "listing" | "menu" | "meta" | "nobr" | "ol" | "p" | "pre" | "ruby"
        | "s" | "small" | "span" | "strong" | "strike" | "sub" | "sup" | "table" | "tt" | "u"
        | "ul" | "var" => true,
        "font" => attrs
            .iter()
            .any(|a| matches!(&*a.name, "color" | "face" | "size")),
        _ => false,
    }
}

/// An element's name in its namespace: SVG's camel-case names restored.
pub(crate) fn element_name(ns: &Namespace, lowercase: LocalName) -> LocalName {
    if *ns != ns!(svg) {
        return lowercase;
    }
    match adjusted(SVG_ELEMENT_NAMES, &lowercase) {
        Some(name) => LocalName::from(name),
        None => lowercase,
    }
}

/// Gives attributes their names in an element of namespace `ns`.
pub(crate) fn adjust_attributes(ns: &Namespace, attrs: &mut [Attribute]) {
    let table = if *ns == ns!(svg) {
        SVG_ATTRIBUTE_NAMES
    } else if *ns == ns!(mathml) {
        MATHML_ATTRIBUTE_NAMES
    } else {
        return;
    };
    for attr in attrs {
        if let Some(name) = adjusted(table, &attr.name) {
            attr.name = LocalName::from(name);
        }
    }
}

/// [`element_name`] and [`adjust_attributes`], remembered for each name a parse meets: an
/// icon in every row of a list asks about the same few names again and again, and each
/// answer is a search of a table of strings.
#[derive(Default)]
pub(crate) struct ForeignNames {
    /// By whether the name is an element's, the namespace and the lowercase name.
    known: HashMap<(bool, Namespace, LocalName), LocalName>,
}

impl ForeignNames {
    /// [`element_name`], remembered.
    pub(crate) fn element(&mut self, ns: &Namespace, lowercase: LocalName) -> LocalName {
        if *ns != ns!(svg) {
            return lowercase;
        }
        let key = (true, ns.clone(), lowercase);
        if let Some(name) = self.known.get(&key) {
            return name.clone();
        }
        let name = element_name(ns, key.2.clone());
        self.known.insert(key, name.clone());
        name
    }

    /// [`adjust_attributes`], remembered.
    pub(crate) fn adjust_attributes(&mut self, ns: &Namespace, attrs: &mut [Attribute]) {
        if *ns != ns!(svg) && *ns != ns!(mathml) {
            return;
        }
        for attr in attrs {
            let key = (false, ns.clone(), attr.name.clone());
            if let Some(name) = self.known.get(&key) {
                attr.name = name.clone();
                continue;
            }
            adjust_attributes(ns, std::slice::from_mut(attr));
            self.known.insert(key, attr.name.clone());
        }
    }
}

/// A name's entry in one of the (sorted) tables below.
fn adjusted(table: &[(&str, &'static str)], lowercase: &str) -> Option<&'static str> {
    let found = table.binary_search_by(|(key, _)| (*key).cmp(lowercase));
    found.ok().map(|at| table[at].1)
}

/// MathML attribute names that are not all lowercase.
const MATHML_ATTRIBUTE_NAMES: &[(&str, &str)] = &[("definitionurl", "definitionURL")];

/// SVG element names that are not all lowercase, by their lowercase form (sorted).
const SVG_ELEMENT_NAMES: &[(&str, &str)] = &[
    ("altglyph", "altGlyph"),
    ("altglyphdef", "altGlyphDef"),
    ("altglyphitem", "altGlyphItem"),
    ("animatecolor", "animateColor"),
    ("animatemotion", "animateMotion"),
    ("animatetransform", "animateTransform"),
    ("clippath", "clipPath"),
    ("feblend", "feBlend"),
    ("fecolormatrix", "feColorMatrix"),
    ("fecomponenttransfer", "feComponentTransfer"),
    ("fecomposite", "feComposite"),
    ("feconvolvematrix", "feConvolveMatrix"),
    ("fediffuselighting", "feDiffuseLighting"),
    ("fedisplacementmap", "feDisplacementMap"),
    ("fedistantlight", "feDistantLight"),
    ("fedropshadow", "feDropShadow"),
    ("feflood", "feFlood"),
    ("fefunca", "feFuncA"),
    ("fefuncb", "feFuncB"),
    ("fefuncg", "feFuncG"),
    ("fefuncr", "feFuncR"),
    ("fegaussianblur", "feGaussianBlur"),
    ("feimage", "feImage"),
    ("femerge", "feMerge"),
    ("femergenode", "feMergeNode"),
    ("femorphology", "feMorphology"),
    ("feoffset", "feOffset"),
    ("fepointlight", "fePointLight"),
    ("fespecularlighting", "feSpecularLighting"),
    ("fespotlight", "feSpotLight"),
    ("fetile", "feTile"),
    ("feturbulence", "feTurbulence"),
    ("foreignobject", "foreignObject"),
    ("glyphref", "glyphRef"),
    ("lineargradient", "linearGradient"),
    ("radialgradient", "radialGradient"),
    ("textpath", "textPath"),
];

/// SVG attribute names that are not all lowercase, by their lowercase form (sorted).
const SVG_ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("attributename", "attributeName"),
    ("attributetype", "attributeType"),
    ("basefrequency", "baseFrequency"),
    ("baseprofile", "baseProfile"),
    ("calcmode", "calcMode"),
    ("clippathunits", "clipPathUnits"),
    ("diffuseconstant", "diffuseConstant"),
    ("edgemode", "edgeMode"),
    ("filterunits", "filterUnits"),
    ("glyphref", "glyphRef"),
    ("gradienttransform", "gradientTransform"),
    ("gradientunits", "gradientUnits"),
    ("kernelmatrix", "kernelMatrix"),
    ("kernelunitlength", "kernelUnitLength"),
    ("keypoints", "keyPoints"),
    ("keysplines", "keySplines"),
    ("keytimes", "keyTimes"),
    ("lengthadjust", "lengthAdjust"),
    ("limitingconeangle", "limitingConeAngle"),
    ("markerheight", "markerHeight"),
    ("markerunits", "markerUnits"),
    ("markerwidth", "markerWidth"),
    ("maskcontentunits", "maskContentUnits"),
    ("maskunits", "maskUnits"),
    ("numoctaves", "numOctaves"),
    ("pathlength", "pathLength"),
    ("patterncontentunits", "patternContentUnits"),
    ("patterntransform", "patternTransform"),
    ("patternunits", "patternUnits"),
    ("pointsatx", "pointsAtX"),
    ("pointsaty", "pointsAtY"),
    ("pointsatz", "pointsAtZ"),
    ("preservealpha", "preserveAlpha"),
    ("preserveaspectratio", "preserveAspectRatio"),
    ("primitiveunits", "primitiveUnits"),
    ("refx", "refX"),
    ("refy", "refY"),
    ("repeatcount", "repeatCount"),
    ("repeatdur", "repeatDur"),
    ("requiredextensions", "requiredExtensions"),
    ("requiredfeatures", "requiredFeatures"),
    ("specularconstant", "specularConstant"),
    ("specularexponent", "specularExponent"),
    ("spreadmethod", "spreadMethod"),
    ("startoffset", "startOffset"),
    ("stddeviation", "stdDeviation"),
    ("stitchtiles", "stitchTiles"),
    ("surfacescale", "surfaceScale"),
    ("systemlanguage", "systemLanguage"),
    ("tablevalues", "tableValues"),
    ("targetx", "targetX"),
    ("targety", "targetY"),
    ("textlength", "textLength"),
    ("viewbox", "viewBox"),
    ("viewtarget", "viewTarget"),
    ("xchannelselector", "xChannelSelector"),
    ("ychannelselector", "yChannelSelector"),
    ("zoomandpan", "zoomAndPan"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_with_html5ever;
    use crate::tree::Node;

    fn attr(name: &str, value: &str) -> Attribute {
        Attribute {
            name: LocalName::from(name),
            value: value.into(),
        }
    }

    fn first_child(node: &Node) -> &Node {
        &node.children[0]
    }

    #[test]
    fn the_tables_are_sorted() {
        for table in [
            SVG_ELEMENT_NAMES,
            SVG_ATTRIBUTE_NAMES,
            MATHML_ATTRIBUTE_NAMES,
        ] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
            assert!(table.iter().all(|(k, v)| v.to_ascii_lowercase() == *k));
        }
    }

    #[test]
    fn every_svg_element_name_is_the_one_html5ever_gives() {
        for (lowercase, name) in SVG_ELEMENT_NAMES {
            let tree = parse_with_html5ever(&format!("<svg><{lowercase}></{lowercase}></svg>"));
            let element = first_child(first_child(tree.root())).element().unwrap();
            assert_eq!(&*element.name, *name);
            let adjusted = element_name(&ns!(svg), LocalName::from(*lowercase));
            assert_eq!(&*adjusted, *name);
        }
    }

    #[test]
    fn every_attribute_name_is_the_one_html5ever_gives() {
        let tables = [
            ("svg", ns!(svg), SVG_ATTRIBUTE_NAMES),
            ("math", ns!(mathml), MATHML_ATTRIBUTE_NAMES),
        ];
        for (tag, ns, table) in tables {
            for (lowercase, name) in table {
                let tree = parse_with_html5ever(&format!("<{tag} {lowercase}=x></{tag}>"));
                let element = first_child(tree.root()).element().unwrap();
                assert_eq!(&*element.attrs[0].name, *name);
                let mut attrs = [attr(lowercase, "x")];
                adjust_attributes(&ns, &mut attrs);
                assert_eq!(&*attrs[0].name, *name);
            }
        }
    }

    #[test]
    fn names_are_adjusted_only_in_their_namespace() {
        assert_eq!(
            &*element_name(&ns!(mathml), LocalName::from("clippath")),
            "clippath"
        );
        assert_eq!(&*element_name(&ns!(svg), LocalName::from("path")), "path");
        let mut attrs = [
            attr("viewbox", ""),
            attr("definitionurl", ""),
            attr("d", ""),
        ];
        adjust_attributes(&ns!(html), &mut attrs);
        assert_eq!(
            attrs.map(|a| a.name.to_string()),
            ["viewbox", "definitionurl", "d"]
        );
        let mut attrs = [
            attr("viewbox", ""),
            attr("definitionurl", ""),
            attr("xlink:href", ""),
        ];
        adjust_attributes(&ns!(svg), &mut attrs);
        assert_eq!(
            attrs.map(|a| a.name.to_string()),
            ["viewBox", "definitionurl", "xlink:href"]
        );
        let mut attrs = [attr("viewbox", ""), attr("definitionurl", "")];
        adjust_attributes(&ns!(mathml), &mut attrs);
        assert_eq!(
            attrs.map(|a| a.name.to_string()),
            ["viewbox", "definitionURL"]
        );
    }

    #[test]
    fn html_tags_break_out_and_font_only_with_presentation_attributes() {
        for tag in [
            "div", "p", "b", "br", "table", "ul", "span", "h1", "pre", "body",
        ] {
            assert!(breaks_out(tag, &[]), "{tag}");
        }
        for tag in [
            "path", "g", "a", "title", "style", "template", "input", "font",
        ] {
            assert!(!breaks_out(tag, &[]), "{tag}");
        }
        for name in ["color", "face", "size"] {
            assert!(breaks_out("font", &[attr(name, "")]));
        }
        assert!(!breaks_out("font", &[attr("class", "")]));
    }

    #[test]
    fn integration_points_hand_start_tags_back_to_the_html_rules() {
        let rules = |ns: Namespace, name: &str, attrs: &[Attribute]| Rules::of(&ns, name, attrs);
        for name in ["foreignObject", "desc", "title"] {
            assert_eq!(rules(ns!(svg), name, &[]), Rules::Html);
            assert!(bounds_scope(&ns!(svg), name));
        }
        assert_eq!(rules(ns!(svg), "foreignobject", &[]), Rules::Foreign);
        assert_eq!(rules(ns!(svg), "mi", &[]), Rules::Foreign);
        assert_eq!(rules(ns!(html), "title", &[]), Rules::Html);
        for name in ["mi", "mo", "mn", "ms", "mtext"] {
            assert_eq!(rules(ns!(mathml), name, &[]), Rules::MathText);
            assert!(bounds_scope(&ns!(mathml), name));
        }
        let mi = Rules::MathText;
        assert!(mi.html_for("b") && mi.html_for("svg"));
        assert!(!mi.html_for("mglyph") && !mi.html_for("malignmark"));
        for encoding in ["text/html", "TEXT/Html", "application/xhtml+xml"] {
            let attrs = [attr("encoding", encoding)];
            assert_eq!(rules(ns!(mathml), "annotation-xml", &attrs), Rules::Html);
        }
        let plain = rules(
            ns!(mathml),
            "annotation-xml",
            &[attr("encoding", "text/plain")],
        );
        assert_eq!(plain, Rules::AnnotationXml);
        assert!(plain.html_for("svg") && !plain.html_for("div"));
        assert!(!bounds_scope(&ns!(mathml), "annotation-xml"));
        assert_eq!(rules(ns!(mathml), "mrow", &[]), Rules::Foreign);
        assert!(!Rules::Foreign.html_for("div"));
    }
}
