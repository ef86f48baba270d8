//! Parses a filter expression (`a.b|default:"x"|upper`) exactly as Django's `FilterExpression`
//! does with its `filter_re`, including its error messages, and literals as `Variable` does.

use std::sync::Arc;

use std::collections::HashMap;

use super::ast::{FilterCall, FilterExpression, Operand, Path, Segment};
use super::literal::{
    is_py_space, is_word, parse_float, parse_int, quoted_end, unescape_string_literal, PyInt,
};
use crate::error::Error;
use crate::library::FilterSpec;
use crate::value::{python_index, Key, Value};

/// The filters a template can use at a point: the builtins plus those loaded so far.
pub(crate) type FilterTable<'l> = HashMap<&'l str, &'l FilterSpec>;

/// One match of `filter_re`.
struct Match<'t> {
    start: usize,
    end: usize,
    piece: Piece<'t>,
}

/// What a match of `filter_re` captured.
enum Piece<'t> {
    /// A quoted string at the start (`constant`).
    Constant(&'t str),
    /// A variable name or number at the start (`var`).
    Var(&'t str),
    /// `|name` with an optional `:argument`.
    Filter {
        name: &'t str,
        arg: Option<Argument<'t>>,
    },
}

/// A filter argument: a quoted string (`constant_arg`) or a variable or number (`var_arg`).
enum Argument<'t> {
    Constant(&'t str),
    Var(&'t str),
}

/// Parses `token` into a filter expression, with the filters of `table`.
pub(crate) fn compile_filter(
    token: &str,
    table: &FilterTable<'_>,
) -> Result<FilterExpression, Error> {
    let mut head = None;
    let mut filters = Vec::new();
    let mut upto = 0;
    while let Some(found) = next_match(token, upto) {
        if found.start != upto {
            return Err(Error::syntax(format!(
                "Could not parse some characters: {}|{}|{}",
                slice(token, 0, upto),
                slice(token, upto, found.start),
                slice(token, found.start, token.len())
            )));
        }
        match (head.is_some(), found.piece) {
            (false, Piece::Constant(text)) => head = Some(constant(text)?),
            (false, Piece::Var(text)) => head = Some(variable(text)?),
            (false, Piece::Filter { .. }) => {
                return Err(Error::syntax(format!(
                    "Could not find variable at start of {token}."
                )));
            }
            (true, Piece::Filter { name, arg }) => {
                let arg = match arg {
                    Some(Argument::Constant(text)) => Some(constant(text)?),
                    Some(Argument::Var(text)) => Some(variable(text)?),
                    None => None,
                };
                let spec = find_filter(name, table)?;
                check_args(name, spec, arg.is_some())?;
                filters.push(FilterCall {
                    name: Arc::from(name),
                    spec: spec.clone(),
                    arg,
                });
            }
            // `constant` and `var` only match at the very start, before any head exists.
            (true, Piece::Constant(_) | Piece::Var(_)) => {}
        }
        upto = found.end;
    }
    if upto != token.len() {
        return Err(Error::syntax(format!(
            "Could not parse the remainder: '{}' from '{token}'",
            slice(token, upto, token.len())
        )));
    }
    Ok(FilterExpression {
        // Only an empty token has no head; Django resolves it to None.
        head: head.unwrap_or(Operand::Literal(Value::None)),
        filters,
        token: token.into(),
    })
}

fn slice(token: &str, start: usize, end: usize) -> &str {
    token.get(start..end).unwrap_or("")
}

fn find_filter<'l>(name: &str, table: &FilterTable<'l>) -> Result<&'l FilterSpec, Error> {
    table
        .get(name)
        .copied()
        .ok_or_else(|| Error::syntax(format!("Invalid filter: '{name}'")))
}

/// Django's `args_check`: the message when a filter gets the wrong number of arguments.
fn check_args(name: &str, spec: &FilterSpec, has_arg: bool) -> Result<(), Error> {
    let provided = 1 + u8::from(has_arg);
    if provided < spec.required || provided > spec.accepted {
        return Err(Error::syntax(format!(
            "{name} requires {} arguments, {provided} provided",
            spec.required
        )));
    }
    Ok(())
}

/// The next match of `filter_re` at or after `from`, as `re.finditer` finds it.
fn next_match(token: &str, from: usize) -> Option<Match<'_>> {
    if from == 0 {
        if let Some(end) = constant_end(token, 0) {
            return Some(Match {
                start: 0,
                end,
                piece: Piece::Constant(slice(token, 0, end)),
            });
        }
        if let Some(end) = var_end(token, 0) {
            return Some(Match {
                start: 0,
                end,
                piece: Piece::Var(slice(token, 0, end)),
            });
        }
    }
    let mut search = from;
    loop {
        let bar = search + token.get(search..)?.find('|')?;
        if let Some((end, name, arg)) = filter_after_bar(token, bar) {
            // The match starts where the whitespace before the bar starts (`\s*\|`).
            let before = slice(token, from, bar);
            let start = from + before.trim_end_matches(is_py_space).len();
            return Some(Match {
                start,
                end,
                piece: Piece::Filter { name, arg },
            });
        }
        search = bar + 1;
    }
}

/// `\|\s*(\w+)(?::(constant|var))?` from the bar at `bar`.
fn filter_after_bar(token: &str, bar: usize) -> Option<(usize, &str, Option<Argument<'_>>)> {
    let after_bar = token.get(bar + 1..)?;
    let name_start = bar + 1 + (after_bar.len() - after_bar.trim_start_matches(is_py_space).len());
    let name_end = run_end(token, name_start, is_word);
    if name_end == name_start {
        return None;
    }
    let name = slice(token, name_start, name_end);
    if token.get(name_end..)?.starts_with(':') {
        let arg_start = name_end + 1;
        if let Some(end) = constant_end(token, arg_start) {
            let arg = Argument::Constant(slice(token, arg_start, end));
            return Some((end, name, Some(arg)));
        }
        if let Some(end) = var_end(token, arg_start) {
            let arg = Argument::Var(slice(token, arg_start, end));
            return Some((end, name, Some(arg)));
        }
    }
    Some((name_end, name, None))
}

/// The end of the run of characters matching `class` from `start`.
fn run_end(token: &str, start: usize, class: impl Fn(char) -> bool) -> usize {
    let rest = slice(token, start, token.len());
    start + rest.find(|c: char| !class(c)).unwrap_or(rest.len())
}

/// `constant_string`: `"..."`, `'...'`, or their translated forms `_("...")`, `_('...')`.
fn constant_end(token: &str, start: usize) -> Option<usize> {
    let rest = token.get(start..)?;
    if rest.starts_with("_(\"") || rest.starts_with("_('") {
        let end = quoted_end(token, start + 2)?;
        return token.get(end..)?.starts_with(')').then_some(end + 1);
    }
    if rest.starts_with(['"', '\'']) {
        return quoted_end(token, start);
    }
    None
}

/// `[\w.]+` or a number `[-+.]?\d[\d.e]*`.
fn var_end(token: &str, start: usize) -> Option<usize> {
    let end = run_end(token, start, |c| is_word(c) || c == '.');
    if end > start {
        return Some(end);
    }
    let rest = token.get(start..)?;
    let unsigned = rest.strip_prefix(['-', '+', '.']).unwrap_or(rest);
    let digits_start = start + (rest.len() - unsigned.len());
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(run_end(token, digits_start, |c| {
        c.is_ascii_digit() || c == '.' || c == 'e'
    }))
}

/// A quoted constant: a safe string, as Django marks literals; `_("...")` is translated.
fn constant(text: &str) -> Result<Operand, Error> {
    if let Some(inner) = text.strip_prefix("_(").and_then(|t| t.strip_suffix(')')) {
        return match unescape_string_literal(inner) {
            Some(unescaped) => Ok(translated(unescaped)),
            None => Err(Error::syntax(format!("Could not parse the string {inner}"))),
        };
    }
    match unescape_string_literal(text) {
        Some(unescaped) => Ok(Operand::Literal(Value::safe_str(unescaped))),
        None => Err(Error::syntax(format!("Could not parse the string {text}"))),
    }
}

/// Django's `Variable(var)`: a number, a string literal, or a dotted variable name.
pub(crate) fn variable(var: &str) -> Result<Operand, Error> {
    if var.contains(['.', 'e', 'E']) {
        // Django rejects a trailing dot ("2.") after float() accepted it.
        if let Some(f) = parse_float(var).filter(|_| !var.ends_with('.')) {
            return Ok(Operand::Literal(Value::Float(f)));
        }
    } else {
        match parse_int(var) {
            PyInt::Int(i) => return Ok(Operand::Literal(Value::Int(i))),
            PyInt::TooBig => {
                return Err(Error::unsupported(format!(
                    "the integer literal {var} does not fit in 64 bits"
                )));
            }
            PyInt::Invalid => {}
        }
    }
    if let Some(inner) = var.strip_prefix("_(").and_then(|v| v.strip_suffix(')')) {
        if let Some(text) = unescape_string_literal(inner) {
            return Ok(translated(text));
        }
        return variable_lookup(inner, var);
    }
    if let Some(text) = unescape_string_literal(var) {
        return Ok(Operand::Literal(Value::safe_str(text)));
    }
    variable_lookup(var, var)
}

/// `_("text")`: Django doubles `%` in the message id (the `trans` tag undoes it).
fn translated(text: String) -> Operand {
    Operand::Translated(Value::safe_str(text.replace('%', "%%")))
}

/// A dotted lookup; `shown` is the text Django's error message quotes.
fn variable_lookup(var: &str, shown: &str) -> Result<Operand, Error> {
    if var.contains("._") || var.starts_with('_') {
        return Err(Error::syntax(format!(
            "Variables and attributes may not begin with underscores: '{shown}'"
        )));
    }
    let segments = var
        .split('.')
        .map(|name| Segment {
            name: Key::new(name),
            index: python_index(name),
        })
        .collect();
    Ok(Operand::Variable(Path { segments }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::library::Libraries;

    fn table() -> FilterTable<'static> {
        static LIBRARIES: std::sync::OnceLock<Libraries> = std::sync::OnceLock::new();
        let libraries = LIBRARIES.get_or_init(Libraries::new);
        libraries
            .builtins()
            .filters
            .iter()
            .map(|(name, spec)| (name.as_str(), spec))
            .collect()
    }

    fn message(token: &str) -> String {
        match compile_filter(token, &table()) {
            Ok(_) => String::from("ok"),
            Err(e) => e.to_string(),
        }
    }

    fn literal(token: &str) -> Option<Value> {
        match compile_filter(token, &table()) {
            Ok(FilterExpression {
                head: Operand::Literal(value),
                ..
            }) => Some(value),
            _ => None,
        }
    }

    #[test]
    fn parses_variables_with_filters_and_arguments() {
        let parsed = compile_filter("a.b.0|default:\"x\"|upper", &table());
        let Ok(FilterExpression {
            head: Operand::Variable(path),
            filters,
            ..
        }) = parsed
        else {
            panic!("expected a variable");
        };
        let names: Vec<_> = path.segments.iter().map(|s| &*s.name).collect();
        assert_eq!(names, ["a", "b", "0"]);
        assert_eq!(path.segments[2].index, Some(0));
        assert_eq!(filters.len(), 2);
        assert!(
            matches!(&filters[0].arg, Some(Operand::Literal(v)) if v.as_str_and_safety() == Some(("x", true)))
        );
        assert_eq!(message("x | upper"), "ok");
        assert_eq!(message("x|default:y.z"), "ok");
        assert_eq!(message("x|default:-1"), "ok");
    }

    #[test]
    fn literals_follow_djangos_variable() {
        assert!(matches!(literal("5"), Some(Value::Int(5))));
        assert!(matches!(literal("-5"), Some(Value::Int(-5))));
        assert!(matches!(literal("1_000"), Some(Value::Int(1000))));
        assert!(matches!(literal("1.5"), Some(Value::Float(f)) if f == 1.5));
        assert!(matches!(literal(".5"), Some(Value::Float(f)) if f == 0.5));
        assert!(matches!(literal("1e3"), Some(Value::Float(f)) if f == 1000.0));
        assert_eq!(
            literal("'a\\'b'")
                .as_ref()
                .and_then(Value::as_str_and_safety),
            Some(("a'b", true))
        );
        // "2." is not a number: it becomes the lookup ("2", "").
        assert!(literal("2.").is_none());
        let big = compile_filter("99999999999999999999", &table()).err();
        assert_eq!(big.map(|e| e.kind()), Some(ErrorKind::Unsupported));
    }

    #[test]
    fn error_messages_match_django() {
        assert_eq!(
            message("x y"),
            "Could not parse the remainder: ' y' from 'x y'"
        );
        assert_eq!(
            message("'a'b"),
            "Could not parse the remainder: 'b' from ''a'b'"
        );
        assert_eq!(
            message("x y |upper"),
            "Could not parse some characters: x| y| |upper"
        );
        assert_eq!(
            message("|upper"),
            "Could not find variable at start of |upper."
        );
        assert_eq!(
            message("+.5"),
            "Could not parse the remainder: '+.5' from '+.5'"
        );
        assert_eq!(
            message("x|upper:"),
            "Could not parse the remainder: ':' from 'x|upper:'"
        );
        // The filter is checked before the remainder, as in Django.
        assert_eq!(
            message("x|default:"),
            "default requires 2 arguments, 1 provided"
        );
        assert_eq!(
            message("x|default: \"a\""),
            "default requires 2 arguments, 1 provided"
        );
        assert_eq!(
            message("x|upper:1"),
            "upper requires 1 arguments, 2 provided"
        );
        assert_eq!(message("x|nope"), "Invalid filter: 'nope'");
        assert_eq!(
            message("_x"),
            "Variables and attributes may not begin with underscores: '_x'"
        );
        assert_eq!(
            message("a._x"),
            "Variables and attributes may not begin with underscores: 'a._x'"
        );
        assert_eq!(
            message("x|default:_y"),
            "Variables and attributes may not begin with underscores: '_y'"
        );
        assert_eq!(
            message("1e-5"),
            "Could not parse the remainder: '-5' from '1e-5'"
        );
        assert_eq!(
            message("x|"),
            "Could not parse the remainder: '|' from 'x|'"
        );
    }

    #[test]
    fn translated_literals_double_their_percent_signs() {
        let parsed = compile_filter("_(\"100% 'x'\")|upper", &table());
        let Ok(FilterExpression {
            head: Operand::Translated(value),
            ..
        }) = parsed
        else {
            panic!("expected a translated literal");
        };
        assert_eq!(value.as_str_and_safety(), Some(("100%% 'x'", true)));
        let kind = compile_filter("x|custom", &table()).err().map(|e| e.kind());
        assert_eq!(kind, Some(ErrorKind::Syntax));
    }
}
