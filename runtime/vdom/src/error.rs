//! Why HTML cannot serve as a LiveView page, or as the next render of one.

use std::fmt;

use crate::tree::RootKind;

/// Why HTML cannot serve as a LiveView page, or as the next render of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VdomError {
    /// Elements nest deeper than a browser's parser builds them, so paths would not match.
    TooDeep {
        /// How deep the render nests, counted from `<html>`.
        depth: usize,
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// A `dj-root` element appeared or disappeared between two renders of a page.
    RootChanged {
        /// How the previous render's root was found.
        previous: RootKind,
        /// How this render's root was found.
        current: RootKind,
    },
}

impl fmt::Display for VdomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            VdomError::TooDeep { depth, limit } => write!(
                f,
                "the HTML nests elements {depth} levels deep, past the {limit} levels a browser's \
                 parser builds (Chrome makes deeper elements siblings instead), so patches would \
                 address nodes the browser does not have. Instead of nesting that deep, flatten \
                 the markup (render deep recursion as a list)"
            ),
            VdomError::RootChanged {
                previous: RootKind::DjRoot,
                ..
            } => f.write_str(
                "the previous render had an element with `dj-root` and this one has none, so \
                 there is no root to patch. Instead of rendering the `dj-root` element \
                 conditionally, keep it in every render and make its content conditional",
            ),
            VdomError::RootChanged { previous, .. } => {
                let old_root = match previous {
                    RootKind::Fragment => "the whole fragment",
                    _ => "the <body>",
                };
                write!(
                    f,
                    "this render has an element with `dj-root` but the previous one had none (its \
                     root was {old_root}), so patching would drop what surrounds the new root. \
                     Instead of adding `dj-root` in a later render, put it in the first one too"
                )
            }
        }
    }
}

impl std::error::Error for VdomError {}
