//! Building the tree: each token processed as the HTML parsing algorithm processes it where
//! that algorithm only appends — the document around the body, then the body's text, comments,
//! start and end tags — with the stack of open elements and the nodes being built; anything
//! else gives up (`None`).

use triomphe::Arc;

use markup5ever::{local_name, ns, LocalName, Namespace};

use super::entities::decode;
use super::foreign::{self, Rules};
use super::previous::Guide;
use super::tag_reader::{is_html_whitespace, is_tag_end, starts_with_ignoring_case, StartTag};
use super::tag_tables::{is_special, watched, TagClass, TagKind};
use super::{Building, Open, Parser, Root, ROOT_ATTRIBUTE};
use crate::tree::{Attribute, Element, Node, NodeData, Origin, RootKind, Source, Text, Tree};

/// What to do with the content after a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Elements,
    Void,
    /// Text up to the end tag: RCDATA decodes references, RAWTEXT and script data do not.
    Text {
        decode: bool,
    },
    /// `<svg>` or `<math>`: foreign content.
    Foreign,
}

/// The context that decides how a token is processed: the current node's insertion mode.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Body,
    Table,
    TableBody,
    Row,
    /// A template's, until its first start tag says which of the others it is.
    Template,
}

impl Mode {
    /// The mode an element's content starts in.
    fn of(element: &Element) -> Mode {
        if element.ns != ns!(html) {
            return Mode::Body;
        }
        match &*element.name {
            "table" => Mode::Table,
            "tbody" | "thead" | "tfoot" => Mode::TableBody,
            "tr" => Mode::Row,
            "template" => Mode::Template,
            _ => Mode::Body,
        }
    }

    /// Whether text here is table text, which the parser moves out unless it is whitespace.
    fn in_table(self) -> bool {
        matches!(self, Mode::Table | Mode::TableBody | Mode::Row)
    }
}

impl<'h, 'p> Parser<'h, 'p> {
    pub(super) fn run(&mut self) -> Option<Tree> {
        if self.resume_at_root() {
            // Everything up to the root's content is the previous render's.
        } else if self.document {
            self.prologue()?;
        } else {
            // A fragment is parsed as the children of a <body> (stack: the fragment's <html>).
            self.stack.push(Open::outside(local_name!("html"), 0));
            if !self.wants_dj_root {
                self.start_root(
                    Element {
                        ns: ns!(html),
                        name: local_name!("body"),
                        attrs: Vec::new(),
                    },
                    RootKind::Fragment,
                    false,
                    0,
                    true,
                );
            }
        }
        loop {
            if self.root_closed() {
                if self.dj_root_may_follow_into_a_table() {
                    return None;
                }
                return self.finish();
            }
            let rest = &self.html[self.at..];
            if rest.is_empty() {
                return self.finish();
            }
            if self.after_body {
                self.after_body_token()?;
                continue;
            }
            if self.unchanged.is_some() && self.take_unchanged() {
                continue;
            }
            match rest.as_bytes()[0] {
                b'<' => self.markup()?,
                _ => self.text()?,
            }
        }
    }

    /// Whether a `dj-root` element after the root, foster-parented out of a table the root is
    /// in, could land before it: the first in the document would then be that one.
    fn dj_root_may_follow_into_a_table(&self) -> bool {
        let in_table = self.stack.iter().any(|open| {
            open.ns == ns!(html)
                && matches!(&*open.name, "table" | "tbody" | "thead" | "tfoot" | "tr")
        });
        in_table
            && memchr::memmem::find(&self.html.as_bytes()[self.at..], ROOT_ATTRIBUTE.as_bytes())
                .is_some()
    }

    fn root_closed(&self) -> bool {
        matches!(self.root, Some(root) if self.stack.len() <= root.index)
    }

    // --- the document around the body ----------------------------------------------------

    /// Doctype, `<html>`, the head: everything up to the body's content.
    fn prologue(&mut self) -> Option<()> {
        self.skip_whitespace_and_comments()?;
        if starts_with_ignoring_case(&self.html[self.at..], "<!doctype") {
            let end = self.html[self.at..].find('>')? + self.at + 1;
            let doctype = &self.html[self.at..end];
            // Only the plain doctype: others may set quirks mode, and that changes parsing.
            if !doctype.eq_ignore_ascii_case("<!doctype html>") {
                return None;
            }
            self.at = end;
        }
        self.skip_whitespace_and_comments()?;
        if let Some(tag) = self.peek_start_tag("html")? {
            if tag.attrs.iter().any(|a| &*a.name == ROOT_ATTRIBUTE) {
                return None;
            }
        }
        self.stack.push(Open::outside(local_name!("html"), self.at));
        self.skip_whitespace_and_comments()?;
        let explicit_head = self.peek_start_tag("head")?.is_some();
        self.head(explicit_head)?;
        self.skip_whitespace_and_comments()?;
        let (body, explicit_body) = match self.peek_start_tag("body")? {
            Some(tag) => (tag.attrs, true),
            None => (Vec::new(), false),
        };
        let is_root = body.iter().any(|a| &*a.name == ROOT_ATTRIBUTE);
        let element = Element {
            ns: ns!(html),
            name: local_name!("body"),
            attrs: body,
        };
        if is_root || !self.wants_dj_root {
            let kind = if is_root {
                RootKind::DjRoot
            } else {
                RootKind::Body
            };
            // Without a `<body>` tag, where the body starts was decided by what follows.
            self.start_root(element, kind, false, self.at, explicit_body);
        } else {
            self.stack.push(Open::outside(local_name!("body"), self.at));
        }
        Some(())
    }

    /// The head's elements, up to the first thing that starts the body: head elements after
    /// `</head>` still go into the head.
    fn head(&mut self, explicit: bool) -> Option<()> {
        // The head element (written or implied) is open: `</head>` not seen yet.
        let mut in_head = true;
        loop {
            self.skip_whitespace_and_comments()?;
            let rest = &self.html[self.at..];
            if in_head && starts_with_ignoring_case(rest, "</head>") {
                self.at += "</head>".len();
                in_head = false;
                continue;
            }
            let Some((tag, length)) = self.peek_any_start_tag()? else {
                return if in_head && explicit { None } else { Some(()) };
            };
            let content = match &*tag.name {
                "meta" | "link" | "base" | "basefont" | "bgsound" => Content::Void,
                "title" => Content::Text { decode: true },
                "style" | "script" | "noframes" => Content::Text { decode: false },
                // Raw text in the head (scripting is on); after `</head>` it starts the body.
                "noscript" if in_head => Content::Text { decode: false },
                // Template contents in the head: left to html5ever.
                "template" => return None,
                // `<body>` (or content) ends the head; a head left open must be closed first.
                "body" => return Some(()),
                _ if in_head && explicit => return None,
                _ => return Some(()),
            };
            if tag.attrs.iter().any(|a| &*a.name == ROOT_ATTRIBUTE) {
                return None;
            }
            self.at += length;
            if let Content::Text { decode } = content {
                self.raw_text(&tag.name, decode, false)?;
            }
        }
    }

    fn after_body_token(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        let whitespace = rest.len() - rest.trim_start_matches(is_html_whitespace).len();
        if whitespace > 0 {
            // Whitespace after </body> still belongs to the body.
            let text = &rest[..whitespace];
            self.at += whitespace;
            self.append_text(Text::from(text), whitespace);
            return Some(());
        }
        if rest.starts_with("<!--") {
            // Comments after </body> go to <html> or the document, outside the root.
            self.comment(false)?;
            return Some(());
        }
        if starts_with_ignoring_case(rest, "</html>") {
            self.at += "</html>".len();
            return Some(());
        }
        None
    }

    fn skip_whitespace_and_comments(&mut self) -> Option<()> {
        loop {
            let rest = &self.html[self.at..];
            let trimmed = rest.trim_start_matches(is_html_whitespace);
            self.at += rest.len() - trimmed.len();
            if !trimmed.starts_with("<!--") {
                return Some(());
            }
            self.comment(false)?;
        }
    }

    /// The start tag `<name …>` at the cursor, consumed, if it is one.
    fn peek_start_tag(&mut self, name: &str) -> Option<Option<StartTag>> {
        match self.peek_any_start_tag()? {
            Some((tag, length)) if &*tag.name == name => {
                self.at += length;
                Some(Some(tag))
            }
            _ => Some(None),
        }
    }

    /// The start tag at the cursor and its length, read but not consumed, if there is one.
    fn peek_any_start_tag(&mut self) -> Option<Option<(StartTag, usize)>> {
        let rest = &self.html[self.at..];
        if rest.len() < 2 || !rest.as_bytes()[1].is_ascii_alphabetic() || !rest.starts_with('<') {
            return Some(None);
        }
        self.reader.start_tag(rest).map(Some)
    }

    // --- the body ------------------------------------------------------------------------

    fn markup(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        let next = rest.as_bytes().get(1).copied();
        match next {
            Some(b'!') if rest.starts_with("<!--") => self.comment(true),
            Some(b'/') => self.end_tag(),
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(),
            // `<!doctype>`, `<?…>` and the like: bogus comments and ignored tokens.
            Some(b'!' | b'?') => None,
            // A `<` that starts nothing is text.
            _ => self.text(),
        }
    }

    fn text(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        // The `<` at the cursor, if any, is text (`1 < 2`); the run ends at the next one.
        let end = (rest.as_bytes().get(1..))
            .and_then(|after| memchr::memchr(b'<', after))
            .map_or(rest.len(), |p| p + 1);
        let raw = &rest[..end];
        self.at += end;
        if raw.bytes().all(|b| is_html_whitespace(b as char)) {
            self.append_whitespace(raw);
            return Some(());
        }
        let text = decode(raw, false);
        if self.mode().in_table() && !text.chars().all(is_html_whitespace) {
            return None; // foster parenting
        }
        self.append_text(text, raw.len());
        Some(())
    }

    fn comment(&mut self, keep: bool) -> Option<()> {
        let body = &self.html[self.at + 4..];
        // `<!-->` and `<!--->` end at once; `--!>` ends a comment too: left to html5ever.
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = memchr::memmem::find(body.as_bytes(), b"-->")?;
        let data = &body[..end];
        if data.contains("--!") {
            return None;
        }
        self.at += 4 + end + 3;
        if keep {
            let source = Source::whole(4 + end + 3, 0);
            let node = Node::from_source(NodeData::Comment(data.into()), Vec::new(), source);
            self.append(Arc::new(node));
            if let Some(guide) = self.guide() {
                guide.passed(|d| matches!(d, NodeData::Comment(_)));
            }
        }
        Some(())
    }

    fn start_tag(&mut self) -> Option<()> {
        if self.reuse_in_place() {
            return Some(());
        }
        let start = self.at;
        let rest = &self.html[self.at..];
        let (tag, length) = self.reader.start_tag(rest)?;
        // Only where the previous render guides the parse can a keyed element be found again.
        let guided = self.stack.last().is_some_and(|open| open.guide.is_some());
        let key = if guided {
            (tag.attrs.iter()).find(|a| matches!(&*a.name, "data-key" | "dj-key"))
        } else {
            None
        };
        if let Some(key) = key {
            if self.reuse_keyed(&key.value.clone()) {
                return Some(());
            }
        }
        self.at += length;
        if !self.rules().html_for(&tag.name) {
            return self.foreign_start_tag(tag, start);
        }
        self.settle_template_mode(&tag.name)?;
        let content = self.check_start_tag(&tag.name, tag.kind)?;
        let is_root = self.marks_root(&tag.attrs);
        if is_root && !self.root_may_be(&tag.name) {
            return None;
        }
        if content == Content::Foreign {
            let ns = if tag.name == local_name!("svg") {
                ns!(svg)
            } else {
                ns!(mathml)
            };
            return self.insert_foreign(tag, ns, start);
        }
        let implied_tbody = tag.name == local_name!("tr") && self.mode() == Mode::Table;
        if implied_tbody {
            self.open(html_element(local_name!("tbody"), Vec::new()), start, start);
        }
        let void = content == Content::Void;
        if is_root {
            // A root whose content starts with text read to its end tag, or with a newline
            // dropped, is not resumed at its content.
            let resumable = content == Content::Elements
                && !implied_tbody
                && !matches!(&*tag.name, "pre" | "listing");
            let element = html_element(tag.name.clone(), tag.attrs);
            self.start_root(element, RootKind::DjRoot, void, start, resumable);
        } else if void {
            self.append_childless(html_element(tag.name, tag.attrs), length);
            return Some(());
        } else {
            self.open(html_element(tag.name.clone(), tag.attrs), start, self.at);
        }
        if let Content::Text { decode } = content {
            return self.raw_text(&tag.name, decode, true);
        }
        if matches!(&*tag.name, "pre" | "listing") {
            self.skip_newline()?;
            if let Some(open) = self.stack.last_mut() {
                open.content = self.at;
            }
        }
        Some(())
    }

    /// A start tag under an SVG or MathML element, by the rules for foreign content: an element
    /// of the same namespace, unless the tag breaks out.
    fn foreign_start_tag(&mut self, tag: StartTag, start: usize) -> Option<()> {
        if foreign::breaks_out(&tag.name, &tag.attrs) || self.marks_root(&tag.attrs) {
            return None;
        }
        let ns = self.stack.last()?.ns.clone();
        // An SVG script runs when its end tag closes it: not a plain insertion.
        if ns == ns!(svg) && &*tag.name == "script" {
            return None;
        }
        self.insert_foreign(tag, ns, start)
    }

    /// Inserts an SVG or MathML element, named as in its namespace; a self-closing tag closes it.
    fn insert_foreign(&mut self, tag: StartTag, ns: Namespace, start: usize) -> Option<()> {
        let StartTag {
            name,
            mut attrs,
            self_closing,
            ..
        } = tag;
        self.foreign_names.adjust_attributes(&ns, &mut attrs);
        let element = Element {
            name: self.foreign_names.element(&ns, name),
            ns,
            attrs,
        };
        if self_closing {
            self.append_childless(element, self.at - start);
        } else {
            self.open(element, start, self.at);
        }
        Some(())
    }

    /// Whether this start tag, carrying `dj-root`, starts the root. Not inside a template: its
    /// contents are not part of the document.
    fn marks_root(&self, attrs: &[Attribute]) -> bool {
        self.root.is_none()
            && self.wants_dj_root
            && !self.open_named("template")
            && attrs.iter().any(|a| &*a.name == ROOT_ATTRIBUTE)
    }

    /// Whether an HTML element of this name, marked `dj-root`, may be the root here. A root in
    /// or of SVG or MathML (the context kept for the next render does not record namespaces) and
    /// a template root (its mode depends on its content) are left to html5ever.
    fn root_may_be(&self, name: &str) -> bool {
        !matches!(name, "template" | "svg" | "math")
            && self.stack.iter().all(|open| open.ns == ns!(html))
    }

    /// Decides an undecided template's mode by its first start tag, as the "in template"
    /// insertion mode does.
    fn settle_template_mode(&mut self, tag: &str) -> Option<()> {
        let Some(open) = self.stack.last_mut() else {
            return Some(());
        };
        if open.mode != Mode::Template {
            return Some(());
        }
        open.mode = match tag {
            "tr" => Mode::TableBody,
            "td" | "th" => Mode::Row,
            "tbody" | "thead" | "tfoot" => Mode::Table,
            "caption" | "colgroup" | "col" => return None,
            // Head elements are inserted without deciding anything.
            "base" | "basefont" | "bgsound" | "link" | "meta" | "noframes" | "script" | "style"
            | "template" | "title" => return Some(()),
            _ => Mode::Body,
        };
        Some(())
    }

    /// Checks that a start tag only opens an element here, and says what its content is.
    fn check_start_tag(&self, name: &LocalName, kind: TagKind) -> Option<Content> {
        let mode = self.mode();
        if mode.in_table() {
            return match (mode, &**name) {
                (Mode::Table, "tbody" | "thead" | "tfoot" | "tr") => Some(Content::Elements),
                (Mode::TableBody, "tr") => Some(Content::Elements),
                (Mode::Row, "td" | "th") => Some(Content::Elements),
                _ => None,
            };
        }
        if self.in_scope("select", Scope::Default)? {
            // Inside a select only options and their groups are plain insertions.
            return match &**name {
                "option" | "optgroup" if self.current() != "option" => Some(Content::Elements),
                _ => None,
            };
        }
        if kind.closes_p && self.in_scope("p", Scope::Button)? {
            return None;
        }
        let content = match kind.class {
            TagClass::Heading
                if matches!(self.current(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") =>
            {
                return None
            }
            TagClass::Form if self.open_named("form") => return None,
            TagClass::Li if self.closes_list_item(&["li"])? => return None,
            TagClass::DdDt if self.closes_list_item(&["dd", "dt"])? => return None,
            TagClass::Button if self.in_scope("button", Scope::Default)? => return None,
            TagClass::A if self.open_named("a") => return None,
            TagClass::Option if self.current() == "option" => return None,
            TagClass::Void => Content::Void,
            TagClass::Rcdata => Content::Text { decode: true },
            TagClass::RawText => Content::Text { decode: false },
            TagClass::Foreign => Content::Foreign,
            TagClass::Reshapes => return None,
            _ => Content::Elements,
        };
        Some(content)
    }

    /// Whether a `<li>` (or `<dd>`/`<dt>`) would close an open one first; `None` where
    /// html5ever and browsers disagree (they do not count the same elements as special).
    fn closes_list_item(&self, items: &[&str]) -> Option<bool> {
        if !items.iter().any(|item| self.open_named(item)) {
            return Some(false);
        }
        for open in self.stack.iter().rev() {
            // The standard's special elements include SVG's and MathML's integration points
            // and `<search>`; html5ever's do not.
            if open.ns != ns!(html) || &*open.name == "search" {
                return None;
            }
            if items.contains(&&*open.name) {
                return Some(true);
            }
            if is_special(&open.name) && !matches!(&*open.name, "address" | "div" | "p") {
                return Some(false);
            }
        }
        Some(false)
    }

    fn end_tag(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        let bytes = rest.as_bytes();
        let name_end = 2 + bytes.get(2..)?.iter().position(|&b| is_tag_end(b))?;
        if !bytes[2].is_ascii_alphabetic() || bytes[name_end] != b'>' {
            return None;
        }
        // Compared as written, ignoring ASCII case (open elements' HTML names are lowercase):
        // an end tag needs no interned name.
        let name = &rest[2..name_end];
        let is = |expected: &str| name.eq_ignore_ascii_case(expected);
        let tag_start = self.at;
        self.at += name_end + 1;
        let current = self.stack.last()?;
        if current.ns != ns!(html) {
            // The rules for foreign content: the end tag closes the current element when their
            // names match ignoring ASCII case (`</foreignobject>` closes `foreignObject`).
            if !is(&current.name) {
                return None;
            }
            self.close(Some(self.at), true);
            return Some(());
        }
        if self.document && (is("body") || is("html")) {
            // The body stays open after </body>: it must be all that is left.
            if self.stack.len() != 2 || self.current() != "body" {
                return None;
            }
            if is("body") {
                self.after_body = true;
                return Some(());
            }
            return None;
        }
        if is("table") && matches!(self.current(), "tbody" | "thead" | "tfoot") {
            // The table body ends where </table> begins: not by an end tag of its own.
            self.close(Some(tag_start), false);
        }
        if !is(self.current()) || self.stack.len() <= 1 || is("br") {
            return None;
        }
        self.close(Some(self.at), true);
        Some(())
    }

    /// Reads the text of a raw text or RCDATA element and closes it at its end tag.
    /// `opened`: the element is on the stack (in the head it is not, being outside the root).
    fn raw_text(&mut self, name: &LocalName, decode: bool, opened: bool) -> Option<()> {
        let rest = &self.html[self.at..];
        let mut from = 0;
        let end = loop {
            let found = from + memchr::memmem::find(&rest.as_bytes()[from..], b"</")?;
            let after = &rest[found + 2..];
            if starts_with_ignoring_case(after, name) {
                match after.as_bytes().get(name.len()) {
                    Some(b'>') => break found,
                    // `</script foo>`, `</style/>`: end tags with extras, left to html5ever.
                    Some(b) if is_html_whitespace(*b as char) || *b == b'/' => return None,
                    _ => {}
                }
            }
            from = found + 2;
        };
        let mut raw = &rest[..end];
        if &**name == "script" && raw.contains("<!--") {
            return None; // the script data escape states
        }
        let mut skipped = 0;
        if &**name == "textarea" {
            if let Some(stripped) = raw.strip_prefix('\n') {
                raw = stripped;
                skipped = 1;
            }
            if raw.starts_with('&') {
                return None;
            }
        }
        if opened {
            if let Some(open) = self.stack.last_mut() {
                open.content = self.at + skipped;
            }
        }
        self.at += end + 2 + name.len() + 1;
        if opened && !raw.is_empty() {
            let text = if decode {
                super::entities::decode(raw, false)
            } else {
                Text::from(raw)
            };
            self.append_text(text, raw.len());
        }
        if opened {
            self.close(Some(self.at), true);
        }
        Some(())
    }

    /// The newline right after `<pre>` or `<listing>` is not content.
    fn skip_newline(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        if rest.starts_with('\n') {
            self.at += 1;
        } else if rest.starts_with("&#") {
            return None; // a newline written as a reference is skipped too
        }
        Some(())
    }

    // --- the stack and the tree ----------------------------------------------------------

    /// The current element's name, if it is an HTML element.
    fn current(&self) -> &str {
        match self.stack.last() {
            Some(open) if open.ns == ns!(html) => &open.name,
            _ => "",
        }
    }

    fn mode(&self) -> Mode {
        self.stack.last().map_or(Mode::Body, |open| open.mode)
    }

    fn rules(&self) -> Rules {
        self.stack.last().map_or(Rules::Html, |open| open.rules)
    }

    /// Whether an element of a [`WATCHED`](super::tag_tables::WATCHED) name is open.
    fn open_named(&self, name: &str) -> bool {
        watched(name).is_some_and(|i| self.open_counts[i] > 0)
    }

    /// Keeps [`open_counts`](Self::open_counts) as the stack changes.
    pub(super) fn count(&mut self, ns: &Namespace, name: &str, delta: i32) {
        if *ns != ns!(html) {
            return;
        }
        if let Some(i) = watched(name) {
            self.open_counts[i] = self.open_counts[i].saturating_add_signed(delta);
        }
    }

    /// "Has an element in scope", for the scopes the checks above need (a
    /// [`WATCHED`](super::tag_tables::WATCHED) name); `None` where html5ever and browsers
    /// disagree.
    fn in_scope(&self, name: &str, scope: Scope) -> Option<bool> {
        if !self.open_named(name) {
            return Some(false);
        }
        for open in self.stack.iter().rev() {
            if open.ns != ns!(html) {
                // An HTML start tag's walk up the stack meets an integration point first.
                return foreign::bounds_scope(&open.ns, &open.name).then_some(false);
            }
            if &*open.name == name {
                return Some(true);
            }
            let boundary = matches!(
                &*open.name,
                "applet"
                    | "caption"
                    | "html"
                    | "table"
                    | "td"
                    | "th"
                    | "marquee"
                    | "object"
                    | "template"
            ) || (scope == Scope::Button && &*open.name == "button");
            if boundary {
                return Some(false);
            }
        }
        Some(false)
    }

    /// `resumable`: the parser's state at the root's content depends on nothing after it but
    /// the elements open there (see [`resume_at_root`](Self::resume_at_root)).
    pub(super) fn start_root(
        &mut self,
        element: Element,
        kind: RootKind,
        void: bool,
        start: usize,
        resumable: bool,
    ) {
        let index = self.stack.len();
        self.root = Some(Root { index, kind });
        // A fragment's root stands for its context, which is not on the parser's stack: no end
        // tag closes it and no rule sees it.
        let name = match kind {
            RootKind::Fragment => local_name!(""),
            _ => element.name.clone(),
        };
        self.count(&ns!(html), &name, 1);
        let content = self.at;
        let mut context: Vec<LocalName> = self.stack.iter().map(|o| o.name.clone()).collect();
        context.push(name.clone());
        // The previous root guides this one only where the same elements enclose it.
        let guide = self
            .previous
            .filter(|p| p.tree.origin.as_ref().is_some_and(|o| o.context == context))
            .map(|p| {
                let origin = p.tree.origin.as_ref().map_or(0, |o| o.content_start);
                Box::new(Guide::new(p.tree.root(), origin))
            });
        self.origin = Some(Origin {
            root_start: start,
            content_start: content,
            context,
            resumable: resumable && !void,
        });
        self.stack.push(Open {
            name,
            ns: ns!(html),
            rules: Rules::Html,
            mode: Mode::of(&element),
            building: Some(Building {
                element,
                first_child: self.children.len(),
            }),
            start,
            content,
            guide,
        });
        if void {
            self.close(Some(self.at), true);
        }
    }

    fn open(&mut self, element: Element, start: usize, content: usize) {
        let rules = Rules::of(&element.ns, &element.name, &element.attrs);
        let guide = self.guide_for(&element, rules);
        self.count(&element.ns, &element.name, 1);
        let (name, ns, mode) = (element.name.clone(), element.ns.clone(), Mode::of(&element));
        let first_child = self.children.len();
        let building = self.building().then_some(Building {
            element,
            first_child,
        });
        self.stack.push(Open {
            name,
            ns,
            rules,
            mode,
            building,
            start,
            content,
            guide,
        });
    }

    /// Appends an element that has no children: void, or a self-closing SVG or MathML one.
    fn append_childless(&mut self, element: Element, length: usize) {
        let source = Source::whole(length, length);
        let node = Node::from_source(NodeData::Element(element), Vec::new(), source);
        self.append(Arc::new(node));
        if let Some(guide) = self.guide() {
            guide.passed(|d| matches!(d, NodeData::Element(_)));
        }
    }

    /// Pops the current element into its parent (or, for the root, keeps it for `finish`).
    /// `end`: where its bytes end, when known; `whole`: its end tag is among them.
    fn close(&mut self, end: Option<usize>, whole: bool) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        self.count(&open.ns, &open.name, -1);
        let Some(building) = open.building else {
            return;
        };
        let source = match end {
            Some(end) if whole => Source::whole(end - open.start, open.content - open.start),
            Some(end) => Source::partial(end - open.start, open.content - open.start),
            None => Source::default(),
        };
        // Moved out into a list of exactly their number.
        let children = self.children.drain(building.first_child..).collect();
        let node = Arc::new(Node::from_source(
            NodeData::Element(building.element),
            children,
            source,
        ));
        match self.stack.last().and_then(|o| o.building.as_ref()) {
            Some(_) => self.children.push(node),
            None => self.finished = Some(node),
        }
    }

    fn building(&self) -> bool {
        self.root.is_some() && !self.root_closed()
    }

    pub(super) fn append(&mut self, node: Arc<Node>) {
        if self.stack.last().is_some_and(|o| o.building.is_some()) {
            self.children.push(node);
        }
    }

    /// Appends text (`raw_len` bytes of source), merged into a text node just before it as
    /// the DOM never has two.
    fn append_text(&mut self, text: Text, raw_len: usize) {
        if text.is_empty() || self.merged_text(&text, raw_len) {
            return;
        }
        let node = Node::from_source(NodeData::Text(text), Vec::new(), Source::whole(raw_len, 0));
        self.push_text(Arc::new(node));
    }

    /// Appends whitespace that is all of a run of text. The same runs (the newline and
    /// indentation between tags) come back all over a page: each is one node, shared.
    fn append_whitespace(&mut self, raw: &'h str) {
        if self.merged_text(raw, raw.len()) {
            return;
        }
        // The previous render's node at this place, when it is this same run: the diff then
        // sees at once that nothing changed.
        let previous = self
            .guide()
            .and_then(|guide| guide.node.children.get(guide.cursor));
        if let Some(node) = previous.filter(|node| {
            node.source.len as usize == raw.len()
                && matches!(&node.data, NodeData::Text(text) if text == raw)
        }) {
            let node = Arc::clone(node);
            self.push_text(node);
            return;
        }
        let node = self.whitespace.entry(raw).or_insert_with(|| {
            let data = NodeData::Text(raw.into());
            Arc::new(Node::from_source(
                data,
                Vec::new(),
                Source::whole(raw.len(), 0),
            ))
        });
        let node = Arc::clone(node);
        self.push_text(node);
    }

    /// Merges text into a text node just before it; true when that is done or the text is
    /// not part of the tree being built.
    fn merged_text(&mut self, text: &str, raw_len: usize) -> bool {
        let Some(building) = self.stack.last().and_then(|o| o.building.as_ref()) else {
            return true;
        };
        if self.children.len() == building.first_child {
            return false;
        }
        let Some(last) = self.children.last_mut() else {
            return false;
        };
        let NodeData::Text(previous) = &last.data else {
            return false;
        };
        let mut merged = Text::with_capacity(previous.len() + text.len());
        merged.push_str(previous);
        merged.push_str(text);
        let source = Source::whole(last.source.len as usize + raw_len, 0);
        *last = Arc::new(Node::from_source(
            NodeData::Text(merged),
            Vec::new(),
            source,
        ));
        true
    }

    fn push_text(&mut self, node: Arc<Node>) {
        let Some(open) = self.stack.last_mut() else {
            return;
        };
        if open.building.is_some() {
            self.children.push(node);
        }
        if let Some(guide) = open.guide.as_mut() {
            guide.passed(|d| matches!(d, NodeData::Text(_)));
        }
    }

    fn finish(&mut self) -> Option<Tree> {
        let root = self.root?;
        while !self.root_closed() {
            self.close(None, false);
        }
        let node = self.finished.take()?;
        // A fragment's content sits in <html><body>: one level more than the stack shows (and
        // a fragment without dj-root is that <body>).
        let root_depth = match root.kind {
            RootKind::Fragment => 2,
            _ => root.index + 1 + usize::from(!self.document),
        };
        Some(Tree {
            root: node,
            origin: self.origin.take(),
            root_depth,
            root_kind: root.kind,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    Button,
}

fn html_element(name: LocalName, attrs: Vec<Attribute>) -> Element {
    Element {
        ns: ns!(html),
        name,
        attrs,
    }
}
