//! What a tag's name alone says, for the checks a start tag goes through: the start tags the
//! checks single out ([`TagKind`]), the elements whose presence on the stack they ask about
//! ([`WATCHED`]), and the elements the parsing algorithm calls special.

/// The HTML element names whose presence on the stack the start tag checks ask about.
pub(super) const WATCHED: [&str; 9] = [
    "p", "button", "select", "a", "form", "li", "dd", "dt", "template",
];

pub(super) fn watched(name: &str) -> Option<usize> {
    WATCHED.iter().position(|w| *w == name)
}

/// What a start tag's name alone says about it, for the checks a start tag goes through.
#[derive(Clone, Copy)]
pub(super) struct TagKind {
    /// An open `<p>` in button scope would be closed first.
    pub(super) closes_p: bool,
    pub(super) class: TagClass,
}

/// The start tags that a check singles out, by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TagClass {
    Heading,
    Form,
    Li,
    DdDt,
    Button,
    A,
    Option,
    Void,
    /// Text up to the end tag, references decoded.
    Rcdata,
    /// Text up to the end tag, as it is.
    RawText,
    /// `<svg>` or `<math>`.
    Foreign,
    /// Elements that reshape the tree or switch the tokenizer.
    Reshapes,
    Plain,
}

impl TagKind {
    pub(super) fn of(name: &str) -> TagKind {
        let closes_p = matches!(
            name,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "center"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "header"
                | "hgroup"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "search"
                | "section"
                | "summary"
                | "ul"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "pre"
                | "listing"
                | "form"
                | "li"
                | "dd"
                | "dt"
                | "table"
                | "hr"
                | "xmp"
        );
        let class = match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => TagClass::Heading,
            "form" => TagClass::Form,
            "li" => TagClass::Li,
            "dd" | "dt" => TagClass::DdDt,
            "button" => TagClass::Button,
            "a" => TagClass::A,
            "option" | "optgroup" => TagClass::Option,
            "area" | "br" | "embed" | "img" | "keygen" | "wbr" | "input" | "param" | "source"
            | "track" | "hr" | "base" | "basefont" | "bgsound" | "link" | "meta" => TagClass::Void,
            "textarea" | "title" => TagClass::Rcdata,
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "script" => {
                TagClass::RawText
            }
            "svg" | "math" => TagClass::Foreign,
            "html" | "head" | "body" | "frameset" | "frame" | "plaintext" | "image" | "nobr"
            | "applet" | "marquee" | "object" | "caption" | "col" | "colgroup" | "tbody"
            | "thead" | "tfoot" | "tr" | "td" | "th" | "rb" | "rp" | "rt" | "rtc"
            | "selectedcontent" => TagClass::Reshapes,
            _ => TagClass::Plain,
        };
        TagKind { closes_p, class }
    }
}

/// The parser's "special" HTML elements, for the list item rule: those html5ever and the
/// standard agree on (the standard adds `search`, html5ever `isindex`).
pub(super) fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "keygen"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}
