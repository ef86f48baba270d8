//! The crate's promises as property tests, on random markup and random pairs of renders: each
//! part of the pipeline checked against what it must agree with (html5ever, a fresh parse, the
//! browser's side of a diff).
//!
//! [`diff`] checks that patches turn the old tree into the new one and holds the generators of
//! pages and render pairs the others share; [`well_formed`] checks that the direct parser
//! builds html5ever's trees, on markup that includes [`foreign_markup`]'s SVG, MathML and
//! templates; [`live_tree`] checks that an update gives what a fresh parse gives.

mod diff;
mod foreign_markup;
mod live_tree;
mod well_formed;
