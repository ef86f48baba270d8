//! The settings a render follows: the engine's options and the active locale's number format.

use std::sync::Arc;

/// How numbers are printed: Django's `DECIMAL_SEPARATOR`, `THOUSAND_SEPARATOR`,
/// `NUMBER_GROUPING` and `USE_THOUSAND_SEPARATOR`, as `django.utils.numberformat` uses them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    /// The decimal separator.
    pub decimal_separator: String,
    /// The thousand separator.
    pub thousand_separator: String,
    /// Digits per group, rightmost first; a trailing 0 repeats the previous group size
    /// (Python's `locale` convention). A single size is `vec![size, 0]`; empty means none.
    pub grouping: Vec<usize>,
    /// `USE_THOUSAND_SEPARATOR`.
    pub use_thousand_separator: bool,
}

impl Default for NumberFormat {
    /// Django's defaults (`en-us`, `USE_THOUSAND_SEPARATOR = False`).
    fn default() -> NumberFormat {
        NumberFormat {
            decimal_separator: ".".into(),
            thousand_separator: ",".into(),
            grouping: vec![3, 0],
            use_thousand_separator: false,
        }
    }
}

/// The options of one render.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The engine's `autoescape` option: whether output is escaped until told otherwise.
    pub autoescape: bool,
    /// The engine's `string_if_invalid` (`%s` in it is replaced by the variable's name).
    pub string_if_invalid: Arc<str>,
    /// Numbers as the active language formats them.
    pub localized: NumberFormat,
    /// Numbers as the settings format them (`{% localize off %}`, `floatformat:"2u"`).
    pub unlocalized: NumberFormat,
    /// The most nested `{% include %}`/`{% extends %}` levels before a render fails (Django
    /// fails with `RecursionError` around the same depth).
    pub max_template_depth: usize,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            autoescape: true,
            string_if_invalid: Arc::from(""),
            localized: NumberFormat::default(),
            unlocalized: NumberFormat::default(),
            max_template_depth: 64,
        }
    }
}
