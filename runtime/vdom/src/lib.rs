//! djust's virtual DOM: HTML parsed by html5ever into a compact tree, diffed into DOM patches.
//!
//! The server renders a page and the browser parses it; on each event the server renders again
//! and sends [`Patch`]es that turn the browser's DOM under the root element (the first element
//! with a `dj-root` attribute) into exactly the new render's. [`LiveTree`] keeps a page's tree
//! between renders; [`diff_html`] compares two renders in one call.
//!
//! The pipeline, one module each: `input_stream` (newlines normalised), `unchanged` (the bytes
//! a render shares with the previous one, at both ends), [`parse`](parse())
//! (HTML → [`Tree`]: `well_formed` reads what templates write directly, with `foreign` for SVG
//! and MathML, html5ever the rest), [`diff`] ([`Tree`] × [`Tree`] → [`Patch`]es, with `keys`
//! for list identity and `moves` for the fewest moves), `serialize` ([`Tree`] → HTML), and
//! [`apply`] (a reference applier, the browser's side, for tests).

mod apply;
mod diff;
#[cfg(test)]
mod diff_properties;
mod entities;
mod error;
mod foreign;
#[cfg(test)]
mod foreign_markup;
mod input_stream;
mod keys;
mod live_tree;
#[cfg(test)]
mod live_tree_properties;
mod moves;
mod parse;
mod patch;
mod serialize;
mod tree;
mod unchanged;
mod well_formed;
#[cfg(test)]
mod well_formed_properties;

pub use apply::{apply, ApplyError, ApplyProblem};
pub use diff::{diff, Diff, DuplicateKey};
pub use error::VdomError;
pub use live_tree::{LiveTree, MAX_DEPTH};
pub use parse::parse;
pub use patch::Patch;
pub use tree::{RootKind, Tree};

use input_stream::normalize_newlines;

/// The patches that turn `old`'s root content into `new`'s, each parsed as by [`parse`].
///
/// Unlike [`LiveTree::update`] it accepts any two inputs: roots found differently or nested
/// past [`MAX_DEPTH`] are diffed all the same.
pub fn diff_html(old: &str, new: &str) -> Diff {
    let (old, new) = (normalize_newlines(old), normalize_newlines(new));
    let old_tree = parse::parse_after(&old, None);
    // The new page is parsed knowing the old one: what did not change is not parsed twice.
    let previous = well_formed::Previous::new(&old, &old_tree, &new);
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
