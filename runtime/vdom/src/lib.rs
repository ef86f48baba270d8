//! djust's virtual DOM: HTML parsed by html5ever into a compact tree, diffed into DOM patches.
//!
//! The server renders a page and the browser parses it; on each event the server renders again
//! and sends [`Patch`]es that turn the browser's DOM under the root element (the first element
//! with a `dj-root` attribute) into exactly the new render's. [`LiveTree`] keeps a page's tree
//! between renders; [`diff_html`] compares two renders in one call.
//!
//! The pipeline, by folder:
//!
//! - [`parse`](parse()) (`parse/`): HTML → [`Tree`]. `input_stream` normalises newlines,
//!   `unchanged` finds the bytes a render shares with the previous one at both ends, and
//!   `well_formed/` reads what templates write directly (`tag_reader` reads tags from the
//!   bytes, `tag_tables` says what a tag's name means, `tree_builder` builds the tree,
//!   `previous` takes over the previous render's nodes, with `entities` for character
//!   references and `foreign` for SVG and MathML); `html5ever_sink` parses the rest through
//!   html5ever.
//! - [`diff`](diff()) (`diff/`): [`Tree`] × [`Tree`] → [`Patch`]es, with `keys` for list
//!   identity and `moves` for the fewest moves.
//! - Around them: `tree` (the nodes), `patch` (the wire format), `serialize` ([`Tree`] →
//!   HTML), `live_tree` ([`LiveTree`]: a page kept between renders), `error`, and
//!   [`apply`](apply()) (a reference applier, the browser's side, for tests).
//! - `properties/` (tests only): the promises above as property tests.

mod apply;
mod diff;
mod error;
mod live_tree;
mod parse;
mod patch;
#[cfg(test)]
mod properties;
mod serialize;
mod tree;

pub use apply::{apply, ApplyError, ApplyProblem};
pub use diff::{diff, Diff, DuplicateKey};
pub use error::VdomError;
pub use live_tree::{LiveTree, MAX_DEPTH};
pub use parse::parse;
pub use patch::Patch;
pub use tree::{RootKind, Tree};

use parse::input_stream::normalize_newlines;

/// The patches that turn `old`'s root content into `new`'s, each parsed as by [`parse`].
///
/// Unlike [`LiveTree::update`] it accepts any two inputs: roots found differently or nested
/// past [`MAX_DEPTH`] are diffed all the same.
pub fn diff_html(old: &str, new: &str) -> Diff {
    let (old, new) = (normalize_newlines(old), normalize_newlines(new));
    let old_tree = parse::parse_after(&old, None);
    // The new page is parsed knowing the old one: what did not change is not parsed twice.
    let previous = parse::well_formed::Previous::new(&old, &old_tree, &new);
    diff(&old_tree, &parse::parse_after(&new, Some(previous)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_html_compares_two_renders() {
        let patches = diff_html("<p>a</p>", "<p>b</p>");
        assert_eq!(
            serde_json::to_string(&patches.patches).unwrap(),
            r#"[["text",[0,0],"b"]]"#
        );
    }
}
