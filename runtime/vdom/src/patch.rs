//! The patches a diff produces, and their wire format.

use std::fmt;

use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One change to the browser's DOM under the root element.
///
/// # Wire format
///
/// Each patch is a compact JSON array whose first item names its kind; a patch list is a JSON
/// array of them, applied in order (`docs/protocol.md`, section *Patches*, is the reference):
///
/// | patch | JSON |
/// | --- | --- |
/// | [`Patch::SetText`] | `["text", path, text]` |
/// | [`Patch::SetAttr`] | `["attr", path, name, value]` |
/// | [`Patch::RemoveAttr`] | `["rmattr", path, name]` |
/// | [`Patch::Replace`] | `["replace", path, outer_html]` |
/// | [`Patch::ReplaceChildren`] | `["html", path, inner_html]` |
/// | [`Patch::Insert`] | `["insert", path, html]` |
/// | [`Patch::Remove`] | `["remove", path, count]` |
/// | [`Patch::MoveChild`] | `["move", path, to]` |
///
/// `path` is an array of integers: child indices (the DOM's `childNodes`, so text and comment
/// nodes count) from the root element down to the target; `[]` is the root itself. Each path is
/// valid at the moment its patch is applied, after the patches before it. HTML in a patch is to
/// be parsed where it goes, as the `outerHTML` and `innerHTML` setters do: with the target's
/// parent (`replace`, `insert`) or the target itself (`html`) as the context element.
///
/// The format is stable: new kinds of patch get new names and old ones keep their meaning.
///
/// ```
/// use djust_vdom::Patch;
///
/// let patch = Patch::SetAttr { path: vec![0, 2], name: "class".into(), value: "on".into() };
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"["attr",[0,2],"class","on"]"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Patch {
    /// Set a text (or comment) node's data.
    SetText {
        /// The text node.
        path: Vec<usize>,
        /// Its new data.
        text: String,
    },
    /// Set an attribute on an element, adding it after the others if it is new.
    SetAttr {
        /// The element.
        path: Vec<usize>,
        /// The attribute's name as HTML writes it (`class`, `xlink:href`).
        name: String,
        /// Its new value.
        value: String,
    },
    /// Remove an attribute from an element.
    RemoveAttr {
        /// The element.
        path: Vec<usize>,
        /// The attribute's name.
        name: String,
    },
    /// Replace a node with the nodes parsed from HTML, in its parent's context.
    Replace {
        /// The node replaced; never the root.
        path: Vec<usize>,
        /// The new node's outer HTML.
        html: String,
    },
    /// Replace all children of an element with the nodes parsed from HTML, in its context.
    ReplaceChildren {
        /// The element.
        path: Vec<usize>,
        /// Its new inner HTML.
        html: String,
    },
    /// Insert the nodes parsed from HTML (in the parent's context) so that the first of them
    /// is at `path`: before the child now there, or after the last child when the last index
    /// equals the parent's child count.
    Insert {
        /// Where the first new node goes; never the root.
        path: Vec<usize>,
        /// The new nodes' HTML.
        html: String,
    },
    /// Remove `count` consecutive children, starting with the node at `path`.
    Remove {
        /// The first node removed; never the root.
        path: Vec<usize>,
        /// How many siblings go, at least one.
        count: usize,
    },
    /// Move a node among its siblings, keeping it (and its DOM state) as it is: taken out, then
    /// put back so that its index becomes `to`.
    MoveChild {
        /// The node moved; never the root.
        path: Vec<usize>,
        /// Its index among its siblings afterwards.
        to: usize,
    },
}

impl Patch {
    /// Every patch kind's name on the wire, in the order of the enum's variants.
    pub const KINDS: [&'static str; 8] = [
        "text", "attr", "rmattr", "replace", "html", "insert", "remove", "move",
    ];

    /// This patch's kind as named on the wire.
    pub fn kind(&self) -> &'static str {
        let index = match self {
            Patch::SetText { .. } => 0,
            Patch::SetAttr { .. } => 1,
            Patch::RemoveAttr { .. } => 2,
            Patch::Replace { .. } => 3,
            Patch::ReplaceChildren { .. } => 4,
            Patch::Insert { .. } => 5,
            Patch::Remove { .. } => 6,
            Patch::MoveChild { .. } => 7,
        };
        Self::KINDS[index]
    }

    /// The path of the node this patch changes (or, for an insert, where it inserts).
    pub fn path(&self) -> &[usize] {
        match self {
            Patch::SetText { path, .. }
            | Patch::SetAttr { path, .. }
            | Patch::RemoveAttr { path, .. }
            | Patch::Replace { path, .. }
            | Patch::ReplaceChildren { path, .. }
            | Patch::Insert { path, .. }
            | Patch::Remove { path, .. }
            | Patch::MoveChild { path, .. } => path,
        }
    }
}

/// The argument after a patch's path, as written on the wire.
enum Argument<'p> {
    Str(&'p str),
    Index(usize),
}

impl Serialize for Argument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Argument::Str(s) => serializer.serialize_str(s),
            Argument::Index(n) => serializer.serialize_u64(*n as u64),
        }
    }
}

impl Serialize for Patch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use Argument::{Index, Str};
        let arguments: &[Argument] = match self {
            Patch::SetText { text, .. } => &[Str(text)],
            Patch::SetAttr { name, value, .. } => &[Str(name), Str(value)],
            Patch::RemoveAttr { name, .. } => &[Str(name)],
            Patch::Replace { html, .. }
            | Patch::ReplaceChildren { html, .. }
            | Patch::Insert { html, .. } => &[Str(html)],
            Patch::Remove { count, .. } => &[Index(*count)],
            Patch::MoveChild { to, .. } => &[Index(*to)],
        };
        let mut seq = serializer.serialize_seq(Some(2 + arguments.len()))?;
        seq.serialize_element(self.kind())?;
        seq.serialize_element(self.path())?;
        for argument in arguments {
            seq.serialize_element(argument)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Patch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(PatchVisitor)
    }
}

struct PatchVisitor;

impl<'de> Visitor<'de> for PatchVisitor {
    type Value = Patch;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a patch array such as [\"text\", [0, 1], \"new text\"]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Patch, A::Error> {
        let mut items = Items { seq, read: 0 };
        let kind: String = items.next()?;
        let path: Vec<usize> = items.next()?;
        let patch = match kind.as_str() {
            "text" => Patch::SetText {
                path,
                text: items.next()?,
            },
            "attr" => Patch::SetAttr {
                path,
                name: items.next()?,
                value: items.next()?,
            },
            "rmattr" => Patch::RemoveAttr {
                path,
                name: items.next()?,
            },
            "replace" => Patch::Replace {
                path,
                html: items.next()?,
            },
            "html" => Patch::ReplaceChildren {
                path,
                html: items.next()?,
            },
            "insert" => Patch::Insert {
                path,
                html: items.next()?,
            },
            "remove" => Patch::Remove {
                path,
                count: items.next()?,
            },
            "move" => Patch::MoveChild {
                path,
                to: items.next()?,
            },
            other => return Err(de::Error::unknown_variant(other, &Patch::KINDS)),
        };
        items.end()?;
        Ok(patch)
    }
}

/// A patch array's items, read one by one, counting them for length errors.
struct Items<A> {
    seq: A,
    read: usize,
}

impl<'de, A: SeqAccess<'de>> Items<A> {
    fn next<T: Deserialize<'de>>(&mut self) -> Result<T, A::Error> {
        let item = self.seq.next_element()?;
        item.ok_or_else(|| de::Error::invalid_length(self.read, &PatchVisitor))
            .inspect(|_| self.read += 1)
    }

    fn end(mut self) -> Result<(), A::Error> {
        match self.seq.next_element::<IgnoredAny>()? {
            Some(_) => Err(de::Error::invalid_length(self.read + 1, &PatchVisitor)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Patch> {
        vec![
            Patch::SetText {
                path: vec![0, 1],
                text: "a \"b\"".into(),
            },
            Patch::SetAttr {
                path: vec![2],
                name: "class".into(),
                value: "x".into(),
            },
            Patch::RemoveAttr {
                path: vec![2],
                name: "hidden".into(),
            },
            Patch::Replace {
                path: vec![3, 0],
                html: "<b>x</b>".into(),
            },
            Patch::ReplaceChildren {
                path: vec![],
                html: "<i></i>".into(),
            },
            Patch::Insert {
                path: vec![1, 4],
                html: "<li>x</li>".into(),
            },
            Patch::Remove {
                path: vec![1, 2],
                count: 3,
            },
            Patch::MoveChild {
                path: vec![1, 9],
                to: 0,
            },
        ]
    }

    #[test]
    fn patches_serialise_as_compact_arrays() {
        assert_eq!(
            serde_json::to_string(&every_kind()).unwrap(),
            concat!(
                r#"[["text",[0,1],"a \"b\""],["attr",[2],"class","x"],["rmattr",[2],"hidden"],"#,
                r#"["replace",[3,0],"<b>x</b>"],["html",[],"<i></i>"],["insert",[1,4],"<li>x</li>"],"#,
                r#"["remove",[1,2],3],["move",[1,9],0]]"#
            )
        );
    }

    #[test]
    fn patches_round_trip_through_json() {
        let json = serde_json::to_string(&every_kind()).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<Patch>>(&json).unwrap(),
            every_kind()
        );
    }

    #[test]
    fn kind_names_match_the_wire() {
        for patch in every_kind() {
            let json = serde_json::to_value(&patch).unwrap();
            assert_eq!(json[0], patch.kind());
        }
    }

    #[test]
    fn malformed_patches_are_rejected_with_a_reason() {
        let cases = [
            (r#"["swap",[0],1]"#, "unknown variant `swap`"),
            (r#"["move",[0],"1"]"#, "invalid type: string"),
            (r#"["remove",[0]]"#, "invalid length 2"),
            (r#"["attr",[0],"class"]"#, "invalid length 3"),
            (r#"["text",[0],"a","b"]"#, "invalid length 4"),
            (r#"["text",[-1],"a"]"#, "invalid value"),
            (r#"["text"]"#, "invalid length 1"),
            (r#"[]"#, "invalid length 0"),
            (r#"{"t":"text"}"#, "invalid type: map"),
        ];
        for (json, reason) in cases {
            let err = serde_json::from_str::<Patch>(json).unwrap_err().to_string();
            assert!(err.contains(reason), "{json}: {err}");
        }
    }
}
