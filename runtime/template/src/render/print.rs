//! How a value prints in `{{ }}`: Django's `render_value_in_context` (localized, then escaped
//! unless safe), written straight into the output where it can.

use std::borrow::Cow;

use crate::dates::{self, DateKind, Formatter};
use crate::error::Error;
use crate::host::Host;
use crate::options::{NumberFormats, RenderOptions};
use crate::value::number::{format_float, format_grouped_int};
use crate::value::{escape_into, float_repr, positional_repr, to_text, Value};

/// What printing depends on: the renderer's escaping and localization state. Built from the
/// renderer's fields, so a value lent by the scope can be printed without a clone.
pub(crate) struct Printer<'r> {
    pub(crate) autoescape: bool,
    pub(crate) use_l10n: bool,
    pub(crate) options: &'r RenderOptions,
    pub(crate) numbers: &'r NumberFormats<'r>,
    /// Reads dates, so they print without Django's `localize`.
    pub(crate) host: &'r dyn Host,
}

impl Printer<'_> {
    /// The text `{{ value }}` prints and whether it is safe (escaped text is).
    pub(crate) fn text(&self, value: &Value) -> Result<(String, bool), Error> {
        let (text, safe) = self.unescaped(value)?;
        Ok(if self.autoescape && !safe {
            let mut out = String::with_capacity(text.len() + 8);
            escape_into(&mut out, &text);
            (out, true)
        } else {
            (text.into_owned(), safe)
        })
    }

    /// Writes what `{{ value }}` prints, without an intermediate string where it can.
    pub(crate) fn write(&self, value: &Value, out: &mut String) -> Result<(), Error> {
        let grouping = self.use_l10n && self.options.use_thousand_separator;
        match value {
            // Digits and a sign: nothing to localize, nothing to escape.
            Value::Int(i) if !grouping => {
                out.push_str(itoa::Buffer::new().format(*i));
                return Ok(());
            }
            // Python's repr, unchanged unless the locale's decimal separator is another.
            Value::Float(f) if !grouping => {
                let mut buffer = zmij::Buffer::new();
                if let Some(repr) = positional_repr(*f, &mut buffer) {
                    if !self.use_l10n || self.numbers.get(true)?.decimal_separator == "." {
                        out.push_str(repr);
                        return Ok(());
                    }
                }
            }
            _ => {}
        }
        let (text, safe) = self.unescaped(value)?;
        if safe || !self.autoescape {
            out.push_str(&text);
        } else {
            escape_into(out, &text);
        }
        Ok(())
    }

    /// Django's `localize` of a date, datetime or time (after `template_localtime`): its
    /// `DATE_FORMAT`, `DATETIME_FORMAT` or `TIME_FORMAT`, the settings' inside
    /// `{% localize off %}`. `None` for other values, and where the host must format it.
    fn localized_date(&self, value: &Value) -> Result<Option<String>, Error> {
        let Some(datetime) = self.host.datetime(value, true)? else {
            return Ok(None);
        };
        let (name, formatter) = match datetime.kind {
            DateKind::DateTime => ("DATETIME_FORMAT", Formatter::Date),
            DateKind::Date => ("DATE_FORMAT", Formatter::Date),
            DateKind::Time => ("TIME_FORMAT", Formatter::Time),
        };
        let locale = self.host.date_locale()?;
        let format_string = if self.use_l10n {
            locale.resolve(name)
        } else {
            locale.unlocalized.get(name).and_then(Option::as_deref)
        };
        let Some(format_string) = format_string else {
            return Ok(None);
        };
        Ok(dates::format(&datetime, format_string, &locale, formatter).ok())
    }

    /// The text before escaping (numbers localized, host objects as the host prints them) and
    /// whether it is safe.
    fn unescaped<'v>(&self, value: &'v Value) -> Result<(Cow<'v, str>, bool), Error> {
        let grouping = self.options.use_thousand_separator;
        Ok(match value {
            Value::Str(text, safety) => (Cow::Borrowed(&**text), safety.is_safe()),
            Value::Int(i) if self.use_l10n && grouping => {
                let format = self.numbers.get(true)?;
                (Cow::Owned(format_grouped_int(*i, format)), false)
            }
            Value::Float(f) if self.use_l10n => {
                let format = self.numbers.get(true)?;
                (Cow::Owned(format_float(*f, format, grouping)), false)
            }
            Value::Float(f) => (Cow::Owned(float_repr(*f)), false),
            Value::Object(object) => {
                if let Some(text) = self.localized_date(value)? {
                    return Ok((Cow::Owned(text), false));
                }
                let (text, safe) = object.to_output(self.use_l10n)?;
                (Cow::Owned(text), safe)
            }
            other => to_text(other)?,
        })
    }
}
