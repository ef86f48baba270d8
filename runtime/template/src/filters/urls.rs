//! Django's URL filters: `urlencode` (Python's `quote`) and `iriencode` (`iri_to_uri`).

use std::fmt::Write;

use super::{needs_host, one, optional, text_of, Filter, FilterEnv};
use crate::error::Error;
use crate::value::Value;

/// The URL filters.
pub(super) const FILTERS: &[Filter] = &[
    optional("urlencode", false, urlencode),
    one("iriencode", true, iriencode),
];

/// Python's `urllib.parse.quote(text, safe)`: UTF-8, `%XX` for all but letters, digits,
/// `_.-~` and the `safe` characters.
pub(crate) fn quote(text: &str, safe: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "_.-~".contains(c) || (c.is_ascii() && safe.contains(c)) {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

fn urlencode(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let safe = match &arg {
        None => "/".to_owned(),
        Some(Value::Str(safe, _)) => safe.to_string(),
        Some(_) => return Err(needs_host("urlencode")),
    };
    let (text, _) = text_of("urlencode", &value)?;
    Ok(Value::from(quote(&text, &safe)))
}

fn iriencode(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("iriencode", &value)?;
    Ok(Value::Str(
        quote(&text, "/#%[]=:;$&()+,!?*@'~").into(),
        safe.into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_follows_python() {
        assert_eq!(quote("a b/c?é", "/"), "a%20b/c%3F%C3%A9");
        assert_eq!(quote("a/b", ""), "a%2Fb");
        assert_eq!(quote("~x_y.z-", ""), "~x_y.z-");
    }
}
