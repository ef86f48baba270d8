//! The compile functions of the native tags, one file per group, as `Parser` methods; and the
//! helpers they share (`token_kwargs`, relative template names).

mod control;
mod i18n;
mod inheritance;
mod output;

use std::sync::Arc;

use super::ast::FilterExpression;
use super::expression::{compile_filter, FilterTable};
use super::parser::keyword_argument;
use crate::error::Error;

/// Django's `token_kwargs`: takes `key=value` bits (or, with `legacy`, `value as key` joined
/// by `and`) from the front of `bits`, stopping at the first bit that is not one.
pub(super) fn token_kwargs(
    bits: &mut Vec<&str>,
    table: &FilterTable<'_>,
    legacy: bool,
) -> Result<Vec<(Arc<str>, FilterExpression)>, Error> {
    let Some(first) = bits.first() else {
        return Ok(Vec::new());
    };
    let kwarg_format = keyword_argument(first).is_some();
    if !kwarg_format && (!legacy || bits.len() < 3 || bits.get(1) != Some(&"as")) {
        return Ok(Vec::new());
    }
    let mut kwargs: Vec<(Arc<str>, FilterExpression)> = Vec::new();
    while !bits.is_empty() {
        let (key, value) = if kwarg_format {
            let Some((key, value)) = bits.first().and_then(|bit| keyword_argument(bit)) else {
                return Ok(kwargs);
            };
            bits.remove(0);
            (key, value)
        } else {
            if bits.len() < 3 || bits.get(1) != Some(&"as") {
                return Ok(kwargs);
            }
            let (value, key) = (bits[0], bits[2]);
            bits.drain(..3);
            (key, value)
        };
        let expression = compile_filter(value, table)?;
        // A repeated key replaces the earlier value but keeps its place, as in a dict.
        match kwargs.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = expression,
            None => kwargs.push((Arc::from(key), expression)),
        }
        if !bits.is_empty() && !kwarg_format {
            if bits.first() != Some(&"and") {
                return Ok(kwargs);
            }
            bits.remove(0);
        }
    }
    Ok(kwargs)
}

/// The next of a tag's options, each allowed once as Django's option loops allow it; `shown`
/// writes the option's name for the error (Django quotes it differently per tag).
pub(crate) fn next_option<'a>(
    remaining: &mut Vec<&'a str>,
    seen: &mut Vec<&'a str>,
    shown: fn(&str) -> String,
) -> Result<&'a str, Error> {
    let option = remaining.remove(0);
    if seen.contains(&option) {
        return Err(Error::syntax(format!(
            "The {} option was specified more than once.",
            shown(option)
        )));
    }
    seen.push(option);
    Ok(option)
}

/// Django's `construct_relative_path`: `"./x.html"` and `"../x.html"` relative to the
/// current template's name; anything else unchanged.
pub(crate) fn relative_path(
    current: Option<&str>,
    relative: &str,
    allow_recursion: bool,
) -> Result<String, Error> {
    let name = relative.trim_matches(|c| c == '\'' || c == '"');
    if !name.starts_with("./") && !name.starts_with("../") {
        return Ok(relative.to_owned());
    }
    let Some(current) = current else {
        // Django fails with AttributeError on a template without a name.
        return Err(Error::unsupported(
            "a relative template name in a template without a name",
        ));
    };
    let stripped = current.trim_start_matches('/');
    let directory = stripped.rfind('/').map_or("", |i| &stripped[..i]);
    let joined = if directory.is_empty() {
        name.to_owned()
    } else {
        format!("{directory}/{name}")
    };
    let new_name = normpath(&joined);
    if new_name.starts_with("../") {
        return Err(Error::syntax(format!(
            "The relative path '{relative}' points outside the file hierarchy that template \
             '{current}' is in."
        )));
    }
    if !allow_recursion && stripped == new_name {
        return Err(Error::syntax(format!(
            "The relative path '{relative}' was translated to template name '{new_name}', the \
             same template in which the tag appears."
        )));
    }
    let quoted = (relative.starts_with('"') || relative.starts_with('\''))
        && relative.chars().next() == relative.chars().last();
    Ok(if quoted {
        format!("\"{new_name}\"")
    } else {
        new_name
    })
}

/// Python's `posixpath.normpath` for a relative path.
fn normpath(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_django() {
        let rel = |current, name| relative_path(current, name, false).map_err(|e| e.to_string());
        assert_eq!(
            rel(Some("a/b.html"), "\"./c.html\""),
            Ok("\"a/c.html\"".into())
        );
        assert_eq!(
            rel(Some("a/b/c.html"), "'../d.html'"),
            Ok("\"a/d.html\"".into())
        );
        assert_eq!(rel(Some("b.html"), "x.html"), Ok("x.html".into()));
        assert!(rel(Some("b.html"), "'../x.html'")
            .is_err_and(|e| e.contains("points outside the file hierarchy")));
        assert!(rel(Some("a/b.html"), "'./b.html'").is_err_and(|e| e.contains("same template")));
        assert!(relative_path(Some("a/b.html"), "'./b.html'", true).is_ok());
        assert!(rel(None, "'./b.html'").is_err());
        assert_eq!(normpath("a/./b/../c"), "a/c");
        assert_eq!(normpath("a/../../c"), "../c");
    }

    #[test]
    fn token_kwargs_takes_what_it_can() {
        let table = FilterTable::new();
        let mut bits = vec!["a=1", "b=x", "only"];
        let kwargs = token_kwargs(&mut bits, &table, false).unwrap_or_default();
        assert_eq!(kwargs.len(), 2);
        assert_eq!(bits, ["only"]);
        let mut bits = vec!["1", "as", "a", "and", "2", "as", "b", "x"];
        let kwargs = token_kwargs(&mut bits, &table, true).unwrap_or_default();
        assert_eq!(kwargs.len(), 2);
        assert_eq!(bits, ["x"]);
        let mut bits = vec!["1", "as", "a"];
        assert!(token_kwargs(&mut bits, &table, false)
            .unwrap_or_default()
            .is_empty());
    }
}
