//! A direct parser for the HTML templates render: explicitly nested markup, built straight into
//! a [`Tree`] in one pass, several times faster than html5ever's general tree builder.
//!
//! It follows the HTML parsing algorithm only where that algorithm does nothing but append: each
//! start tag opens an element under the current one, each end tag closes the current element.
//! The moment the algorithm would do anything else — close an element implicitly, foster-parent
//! text out of a table, reopen formatting elements, switch to foreign content — it gives up
//! (`None`) and [`parse`](crate::parse()) hands the page to html5ever. So its trees are
//! html5ever's trees, node for node; a property test checks exactly that on random markup.
//!
//! Only the root's subtree is built: before the `dj-root` element the parser tracks which
//! elements are open, and it stops once the root is closed (nothing after it can reach inside).

use std::sync::Arc;

use markup5ever::{local_name, ns, LocalName};

use crate::entities::decode_into;
use crate::parse::looks_like_document;
use crate::tree::{Attribute, Element, Node, NodeData, RootKind, Tree};

/// The attribute that marks the root (see `parse.rs`).
const ROOT_ATTRIBUTE: &str = "dj-root";

/// The tree of `html`, when it is markup this parser reads exactly; `None` otherwise.
pub(crate) fn parse(html: &str) -> Option<Tree> {
    // Input stream preprocessing (CR, NUL) and a byte order mark: left to html5ever.
    if html.contains(['\r', '\0', '\u{feff}']) {
        return None;
    }
    let wants_dj_root = memchr::memmem::find(html.as_bytes(), ROOT_ATTRIBUTE.as_bytes()).is_some();
    let mut parser = Parser {
        html,
        at: 0,
        stack: Vec::new(),
        root: None,
        wants_dj_root,
        document: looks_like_document(html),
        after_body: false,
        finished: None,
        open_counts: [0; WATCHED.len()],
    };
    parser.run()
}

/// An element on the stack of open elements.
struct Open {
    name: LocalName,
    /// The node being built, for elements inside the root.
    building: Option<Building>,
}

struct Building {
    element: Element,
    children: Vec<Arc<Node>>,
}

/// Where the root is on the stack, and how it was found.
#[derive(Clone, Copy)]
struct Root {
    index: usize,
    kind: RootKind,
}

struct Parser<'h> {
    html: &'h str,
    at: usize,
    stack: Vec<Open>,
    root: Option<Root>,
    /// The page mentions `dj-root`: nothing is built before an element carrying it.
    wants_dj_root: bool,
    document: bool,
    /// A document's `</body>` was seen: only whitespace, comments and `</html>` may follow.
    after_body: bool,
    /// The root, once closed.
    finished: Option<Arc<Node>>,
    /// How many elements of each [`WATCHED`] name are open: most checks end at a zero here
    /// instead of walking the stack.
    open_counts: [u32; WATCHED.len()],
}

/// The element names whose presence on the stack the start tag checks ask about.
const WATCHED: [&str; 8] = ["p", "button", "select", "a", "form", "li", "dd", "dt"];

fn watched(name: &str) -> Option<usize> {
    WATCHED.iter().position(|w| *w == name)
}

/// A start tag, read.
struct StartTag {
    name: LocalName,
    attrs: Vec<Attribute>,
}

/// What to do with the content after a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Elements,
    Void,
    /// Text up to the end tag: RCDATA decodes references, RAWTEXT and script data do not.
    Text {
        decode: bool,
    },
}

/// The context that decides how a token is processed: the current node's insertion mode.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Table,
    TableBody,
    Row,
}

impl<'h> Parser<'h> {
    fn run(&mut self) -> Option<Tree> {
        if self.document {
            self.prologue()?;
        } else {
            // A fragment is parsed as the children of a <body> (stack: the fragment's <html>).
            self.stack.push(Open {
                name: local_name!("html"),
                building: None,
            });
            if !self.wants_dj_root {
                self.start_root(
                    Element {
                        ns: ns!(html),
                        name: local_name!("body"),
                        attrs: Vec::new(),
                    },
                    RootKind::Fragment,
                    false,
                );
            }
        }
        loop {
            if self.root_closed() {
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
            match rest.as_bytes()[0] {
                b'<' => self.markup()?,
                _ => self.text()?,
            }
        }
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
        self.stack.push(Open {
            name: local_name!("html"),
            building: None,
        });
        self.skip_whitespace_and_comments()?;
        let explicit_head = self.peek_start_tag("head")?.is_some();
        self.head(explicit_head)?;
        self.skip_whitespace_and_comments()?;
        let body = match self.peek_start_tag("body")? {
            Some(tag) => tag.attrs,
            None => Vec::new(),
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
            self.start_root(element, kind, false);
        } else {
            self.stack.push(Open {
                name: local_name!("body"),
                building: None,
            });
        }
        Some(())
    }

    /// The head's elements, up to `</head>` or the first thing that ends it implicitly.
    fn head(&mut self, explicit: bool) -> Option<()> {
        loop {
            self.skip_whitespace_and_comments()?;
            let rest = &self.html[self.at..];
            if starts_with_ignoring_case(rest, "</head>") && explicit {
                self.at += "</head>".len();
                return Some(());
            }
            let Some(tag) = self.peek_any_start_tag()? else {
                return if explicit { None } else { Some(()) };
            };
            let content = match &*tag.name {
                "meta" | "link" | "base" | "basefont" | "bgsound" => Content::Void,
                "title" => Content::Text { decode: true },
                "style" | "script" | "noframes" | "noscript" => Content::Text { decode: false },
                // `<body>` (or content) ends the head; a head left open must be closed first.
                "body" => return Some(()),
                _ if !explicit => return Some(()),
                _ => return None,
            };
            if tag.attrs.iter().any(|a| &*a.name == ROOT_ATTRIBUTE) {
                return None;
            }
            self.at += tag_length(&self.html[self.at..])?;
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
            self.append_text(text.to_owned());
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
            Some(tag) if &*tag.name == name => {
                self.at += tag_length(&self.html[self.at..])?;
                Some(Some(tag))
            }
            _ => Some(None),
        }
    }

    /// The start tag at the cursor, read but not consumed, if there is one.
    fn peek_any_start_tag(&self) -> Option<Option<StartTag>> {
        let rest = &self.html[self.at..];
        if rest.len() < 2 || !rest.as_bytes()[1].is_ascii_alphabetic() || !rest.starts_with('<') {
            return Some(None);
        }
        let (tag, _, _) = read_start_tag(rest)?;
        Some(Some(tag))
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
        let end = rest
            .bytes()
            .skip(1)
            .position(|b| b == b'<')
            .map_or(rest.len(), |p| p + 1);
        let raw = &rest[..end];
        self.at += end;
        let mut text = String::with_capacity(raw.len());
        decode_into(&mut text, raw, false);
        if self.mode() != Mode::Body && !text.chars().all(is_html_whitespace) {
            return None; // foster parenting
        }
        self.append_text(text);
        Some(())
    }

    fn comment(&mut self, keep: bool) -> Option<()> {
        let body = &self.html[self.at + 4..];
        // `<!-->` and `<!--->` end at once; `--!>` ends a comment too: left to html5ever.
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = body.find("-->")?;
        let data = &body[..end];
        if data.contains("--!") {
            return None;
        }
        self.at += 4 + end + 3;
        if keep {
            self.append(Node::leaf(NodeData::Comment(data.to_owned())));
        }
        Some(())
    }

    fn start_tag(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        let (tag, length, _) = read_start_tag(rest)?;
        self.at += length;
        let content = self.check_start_tag(&tag.name)?;
        let is_root = self.root.is_none()
            && self.wants_dj_root
            && tag.attrs.iter().any(|a| &*a.name == ROOT_ATTRIBUTE);
        let implied_tbody = tag.name == local_name!("tr") && self.mode() == Mode::Table;
        if implied_tbody {
            self.open(local_name!("tbody"), Vec::new());
        }
        let void = content == Content::Void;
        if is_root {
            let element = html_element(tag.name.clone(), tag.attrs);
            self.start_root(element, RootKind::DjRoot, void);
        } else if void {
            let node = Node::new(
                NodeData::Element(html_element(tag.name, tag.attrs)),
                Vec::new(),
            );
            self.append(Arc::new(node));
            return Some(());
        } else {
            self.open(tag.name.clone(), tag.attrs);
        }
        match content {
            Content::Text { decode } => self.raw_text(&tag.name, decode, true),
            Content::Void | Content::Elements => {
                if matches!(&*tag.name, "pre" | "listing") {
                    self.skip_newline()?;
                }
                Some(())
            }
        }
    }

    /// Checks that a start tag only opens an element here, and says what its content is.
    fn check_start_tag(&self, name: &LocalName) -> Option<Content> {
        let mode = self.mode();
        if mode != Mode::Body {
            return match (mode, &**name) {
                (Mode::Table, "tbody" | "thead" | "tfoot" | "tr") => Some(Content::Elements),
                (Mode::TableBody, "tr") => Some(Content::Elements),
                (Mode::Row, "td" | "th") => Some(Content::Elements),
                _ => None,
            };
        }
        if self.in_scope("select", Scope::Default) {
            // Inside a select only options and their groups are plain insertions.
            return match &**name {
                "option" | "optgroup" if self.current() != "option" => Some(Content::Elements),
                _ => None,
            };
        }
        let closes_p = matches!(
            &**name,
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
        if closes_p && self.in_scope("p", Scope::Button) {
            return None;
        }
        let content = match &**name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if matches!(self.current(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") =>
            {
                return None
            }
            "form" if self.open_named("form") => return None,
            "li" if self.closes_list_item(&["li"]) => return None,
            "dd" | "dt" if self.closes_list_item(&["dd", "dt"]) => return None,
            "button" if self.in_scope("button", Scope::Default) => return None,
            "a" if self.open_named("a") => return None,
            "option" | "optgroup" if self.current() == "option" => return None,
            "area" | "br" | "embed" | "img" | "keygen" | "wbr" | "input" | "param" | "source"
            | "track" | "hr" | "base" | "basefont" | "bgsound" | "link" | "meta" => Content::Void,
            "textarea" | "title" => Content::Text { decode: true },
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" | "script" => {
                Content::Text { decode: false }
            }
            // Elements that reshape the tree, or switch the tokenizer or the namespace.
            "html" | "head" | "body" | "frameset" | "frame" | "template" | "plaintext"
            | "image" | "nobr" | "applet" | "marquee" | "object" | "svg" | "math" | "caption"
            | "col" | "colgroup" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "rb"
            | "rp" | "rt" | "rtc" | "selectedcontent" => return None,
            _ => Content::Elements,
        };
        Some(content)
    }

    /// Whether a `<li>` (or `<dd>`/`<dt>`) would close an open one first.
    fn closes_list_item(&self, items: &[&str]) -> bool {
        if !items.iter().any(|item| self.open_named(item)) {
            return false;
        }
        for open in self.stack.iter().rev() {
            if items.contains(&&*open.name) {
                return true;
            }
            if is_special(&open.name) && !matches!(&*open.name, "address" | "div" | "p") {
                return false;
            }
        }
        false
    }

    fn end_tag(&mut self) -> Option<()> {
        let rest = &self.html[self.at..];
        let name_end = rest[2..]
            .find(|c: char| is_html_whitespace(c) || c == '/' || c == '>')
            .map(|p| p + 2)?;
        let bytes = rest.as_bytes();
        if !bytes[2].is_ascii_alphabetic() || bytes[name_end] != b'>' {
            return None;
        }
        let name = LocalName::from(rest[2..name_end].to_ascii_lowercase());
        self.at += name_end + 1;
        if self.document && matches!(&*name, "body" | "html") {
            // The body stays open after </body>: it must be all that is left.
            if self.stack.len() != 2 || self.current() != "body" {
                return None;
            }
            if &*name == "body" {
                self.after_body = true;
                return Some(());
            }
            return None;
        }
        if name == local_name!("table") && self.mode() == Mode::TableBody {
            self.close();
        }
        if self.current() != &*name || self.stack.len() <= 1 || name == local_name!("br") {
            return None;
        }
        self.close();
        Some(())
    }

    /// Reads the text of a raw text or RCDATA element and closes it at its end tag.
    /// `opened`: the element is on the stack (in the head it is not, being outside the root).
    fn raw_text(&mut self, name: &LocalName, decode: bool, opened: bool) -> Option<()> {
        let rest = &self.html[self.at..];
        let mut from = 0;
        let end = loop {
            let found = from + rest[from..].find("</")?;
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
        if &**name == "textarea" {
            raw = raw.strip_prefix('\n').unwrap_or(raw);
            if raw.starts_with('&') {
                return None;
            }
        }
        self.at += end + 2 + name.len() + 1;
        if opened && !raw.is_empty() {
            let text = if decode {
                let mut text = String::with_capacity(raw.len());
                decode_into(&mut text, raw, false);
                text
            } else {
                raw.to_owned()
            };
            self.append_text(text);
        }
        if opened {
            self.close();
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

    fn current(&self) -> &str {
        self.stack.last().map_or("", |open| &open.name)
    }

    fn mode(&self) -> Mode {
        match self.current() {
            "table" => Mode::Table,
            "tbody" | "thead" | "tfoot" => Mode::TableBody,
            "tr" => Mode::Row,
            _ => Mode::Body,
        }
    }

    /// Whether an element of a [`WATCHED`] name is open.
    fn open_named(&self, name: &str) -> bool {
        watched(name).is_some_and(|i| self.open_counts[i] > 0)
    }

    /// Keeps [`open_counts`](Self::open_counts) as the stack changes.
    fn count(&mut self, name: &str, delta: i32) {
        if let Some(i) = watched(name) {
            self.open_counts[i] = self.open_counts[i].saturating_add_signed(delta);
        }
    }

    /// "Has an element in scope", for the scopes the checks above need (a [`WATCHED`] name).
    fn in_scope(&self, name: &str, scope: Scope) -> bool {
        if !self.open_named(name) {
            return false;
        }
        for open in self.stack.iter().rev() {
            if &*open.name == name {
                return true;
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
                return false;
            }
        }
        false
    }

    fn start_root(&mut self, element: Element, kind: RootKind, void: bool) {
        let index = self.stack.len();
        self.root = Some(Root { index, kind });
        // A fragment's root stands for its context, which is not on the parser's stack: no end
        // tag closes it and no rule sees it.
        let name = match kind {
            RootKind::Fragment => local_name!(""),
            _ => element.name.clone(),
        };
        self.count(&name, 1);
        self.stack.push(Open {
            name,
            building: Some(Building {
                element,
                children: Vec::new(),
            }),
        });
        if void {
            self.close();
        }
    }

    fn open(&mut self, name: LocalName, attrs: Vec<Attribute>) {
        let building = self.building().then(|| Building {
            element: html_element(name.clone(), attrs),
            children: Vec::new(),
        });
        self.count(&name, 1);
        self.stack.push(Open { name, building });
    }

    /// Pops the current element into its parent (or, for the root, keeps it for `finish`).
    fn close(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        self.count(&open.name, -1);
        let Some(building) = open.building else {
            return;
        };
        let node = Arc::new(Node::new(
            NodeData::Element(building.element),
            building.children,
        ));
        match self.stack.last_mut().and_then(|o| o.building.as_mut()) {
            Some(parent) => parent.children.push(node),
            None => self.finished = Some(node),
        }
    }

    fn building(&self) -> bool {
        self.root.is_some() && !self.root_closed()
    }

    fn append(&mut self, node: Arc<Node>) {
        if let Some(building) = self.stack.last_mut().and_then(|o| o.building.as_mut()) {
            building.children.push(node);
        }
    }

    /// Appends text, merged into a text node just before it as the DOM never has two.
    fn append_text(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        let Some(building) = self.stack.last_mut().and_then(|o| o.building.as_mut()) else {
            return;
        };
        if let Some(last) = building.children.last_mut() {
            if let NodeData::Text(previous) = &last.data {
                let mut merged = previous.clone();
                merged.push_str(&text);
                *last = Node::leaf(NodeData::Text(merged));
                return;
            }
        }
        building.children.push(Node::leaf(NodeData::Text(text)));
    }

    fn finish(&mut self) -> Option<Tree> {
        let root = self.root?;
        while !self.root_closed() {
            self.close();
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

/// Reads `<name attr=value …>`: the tag, its length, and whether it ended with `/>`.
fn read_start_tag(rest: &str) -> Option<(StartTag, usize, bool)> {
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() && !is_tag_end(bytes[i]) {
        i += 1;
    }
    let name = LocalName::from(rest[1..i].to_ascii_lowercase());
    let mut attrs: Vec<Attribute> = Vec::new();
    loop {
        while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((StartTag { name, attrs }, i + 1, false)),
            b'/' => {
                return match bytes.get(i + 1)? {
                    b'>' => Some((StartTag { name, attrs }, i + 2, true)),
                    _ => None,
                };
            }
            _ => {}
        }
        let name_start = i;
        while i < bytes.len() && !is_tag_end(bytes[i]) && bytes[i] != b'=' {
            if matches!(bytes[i], b'"' | b'\'' | b'<') {
                return None;
            }
            i += 1;
        }
        if i == name_start {
            return None; // `=` starting a name
        }
        let attr_name = rest[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
                i += 1;
            }
            let raw = match bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let close = rest[i + 1..].find(*quote as char)? + i + 1;
                    let raw = &rest[i + 1..close];
                    i = close + 1;
                    raw
                }
                b'>' => return None, // missing value
                _ => {
                    let start = i;
                    while i < bytes.len()
                        && !is_html_whitespace(bytes[i] as char)
                        && bytes[i] != b'>'
                    {
                        if matches!(bytes[i], b'"' | b'\'' | b'<' | b'=' | b'`') {
                            return None;
                        }
                        i += 1;
                    }
                    &rest[start..i]
                }
            };
            decode_into(&mut value, raw, true);
        }
        // The tokenizer keeps the first of repeated attributes.
        if !attrs.iter().any(|a| *a.name == *attr_name) {
            attrs.push(Attribute {
                name: LocalName::from(attr_name),
                value,
            });
        }
    }
}

/// The length of the start tag at the start of `rest`.
fn tag_length(rest: &str) -> Option<usize> {
    read_start_tag(rest).map(|(_, length, _)| length)
}

fn is_tag_end(b: u8) -> bool {
    is_html_whitespace(b as char) || b == b'/' || b == b'>'
}

fn is_html_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}')
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The parser's "special" category, for the list item rule.
fn is_special(name: &str) -> bool {
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
            | "search"
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
