//! Reading tags from the page's bytes: a start tag's name and attributes (values decoded),
//! each distinct name lowercased and interned once per parse; and the byte classes the
//! tokenizer uses.

use foldhash::HashMap;
use markup5ever::LocalName;

use super::entities::decode;
use super::tag_tables::TagKind;
use crate::tree::{Attribute, Text};

/// A start tag, read.
pub(super) struct StartTag {
    pub(super) name: LocalName,
    pub(super) kind: TagKind,
    pub(super) attrs: Vec<Attribute>,
    /// Written `<name … />`: that closes an SVG or MathML element at once, nothing else.
    pub(super) self_closing: bool,
}

/// Reads tags, keeping the names read so far.
#[derive(Default)]
pub(super) struct TagReader<'h> {
    /// Tag and attribute names by their bytes as written: each distinct name is lowercased
    /// and interned once per parse, not once per tag (interning one outside html5ever's static
    /// set, `dj-click` or `data-key`, hashes it and takes a global lock) — and what a start
    /// tag of that name is, worked out once too.
    names: HashMap<&'h str, (LocalName, TagKind)>,
}

impl<'h> TagReader<'h> {
    /// The name written, and what a start tag of that name is.
    fn name(&mut self, written: &'h str) -> (LocalName, TagKind) {
        if let Some((name, kind)) = self.names.get(written) {
            return (name.clone(), *kind);
        }
        let name = if written.bytes().any(|b| b.is_ascii_uppercase()) {
            LocalName::from(written.to_ascii_lowercase())
        } else {
            LocalName::from(written)
        };
        let kind = TagKind::of(&name);
        self.names.insert(written, (name.clone(), kind));
        (name, kind)
    }

    /// Reads `<name attr=value …>` or `<name … />`: the tag and its length.
    pub(super) fn start_tag(&mut self, rest: &'h str) -> Option<(StartTag, usize)> {
        let bytes = rest.as_bytes();
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut i = 1;
        while i < bytes.len() && !is_tag_end(bytes[i]) {
            i += 1;
        }
        let (name, kind) = self.name(&rest[1..i]);
        loop {
            while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
                i += 1;
            }
            match bytes.get(i)? {
                b'>' => {
                    let tag = StartTag {
                        name,
                        kind,
                        attrs,
                        self_closing: false,
                    };
                    return Some((tag, i + 1));
                }
                b'/' => {
                    return match bytes.get(i + 1)? {
                        b'>' => {
                            let tag = StartTag {
                                name,
                                kind,
                                attrs,
                                self_closing: true,
                            };
                            Some((tag, i + 2))
                        }
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
            let (attr_name, _) = self.name(&rest[name_start..i]);
            while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
                i += 1;
            }
            let mut value = Text::default();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && is_html_whitespace(bytes[i] as char) {
                    i += 1;
                }
                let raw = match bytes.get(i)? {
                    quote @ (b'"' | b'\'') => {
                        let close = memchr::memchr(*quote, &bytes[i + 1..])? + i + 1;
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
                value = decode(raw, true);
            }
            // The tokenizer keeps the first of repeated attributes.
            if !attrs.iter().any(|a| a.name == attr_name) {
                // Room for two at first (most elements carry one or two), not `Vec`'s four.
                if attrs.capacity() == 0 {
                    attrs.reserve_exact(2);
                }
                attrs.push(Attribute {
                    name: attr_name,
                    value,
                });
            }
        }
    }
}

pub(super) fn is_tag_end(b: u8) -> bool {
    is_html_whitespace(b as char) || b == b'/' || b == b'>'
}

pub(super) fn is_html_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}')
}

pub(super) fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}
