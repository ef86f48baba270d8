//! The settings a render follows: the engine's options and the number formats.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::error::Error;
use crate::host::Host;

/// How numbers are printed in one locale: Django's `DECIMAL_SEPARATOR`, `THOUSAND_SEPARATOR`
/// and `NUMBER_GROUPING`, as `django.utils.formats.get_format` gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    /// The decimal separator.
    pub decimal_separator: String,
    /// The thousand separator.
    pub thousand_separator: String,
    /// Digits per group, rightmost first; a trailing 0 repeats the previous group size
    /// (Python's `locale` convention). A single size is `vec![size, 0]`; empty means none.
    pub grouping: Vec<usize>,
}

impl Default for NumberFormat {
    /// Django's defaults (`en-us`).
    fn default() -> NumberFormat {
        NumberFormat {
            decimal_separator: ".".into(),
            thousand_separator: ",".into(),
            grouping: vec![3, 0],
        }
    }
}

/// The options of one render. The active language's number format is not among them: the
/// host gives it ([`Host::number_format`]) when a render first prints a localized number.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The engine's `autoescape` option: whether output is escaped until told otherwise.
    pub autoescape: bool,
    /// The engine's `string_if_invalid` (`%s` in it is replaced by the variable's name).
    pub string_if_invalid: Arc<str>,
    /// `USE_THOUSAND_SEPARATOR`: whether localized numbers group their digits.
    pub use_thousand_separator: bool,
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
            use_thousand_separator: false,
            unlocalized: NumberFormat::default(),
            max_template_depth: 64,
        }
    }
}

/// The number formats of one render: the settings' at hand, the active language's asked of
/// the host the first time a number is printed localized (finding the active language costs
/// Django more than rendering a small template, and most renders print no such number).
pub(crate) struct NumberFormats<'a> {
    unlocalized: &'a NumberFormat,
    host: &'a dyn Host,
    localized: OnceCell<NumberFormat>,
}

impl<'a> NumberFormats<'a> {
    pub(crate) fn new(options: &'a RenderOptions, host: &'a dyn Host) -> NumberFormats<'a> {
        NumberFormats {
            unlocalized: &options.unlocalized,
            host,
            localized: OnceCell::new(),
        }
    }

    /// The active language's format when localizing (`use_l10n`), else the settings'.
    pub(crate) fn get(&self, use_l10n: bool) -> Result<&NumberFormat, Error> {
        if !use_l10n {
            return Ok(self.unlocalized);
        }
        if let Some(format) = self.localized.get() {
            return Ok(format);
        }
        let format = self.host.number_format()?;
        Ok(self.localized.get_or_init(|| format))
    }
}
