//! Django's HTML filters: escaping, line breaks, lists, JSON in a script tag; the ones built on
//! Python's HTML parser (`striptags`, `urlize`, the `_html` truncations) run in the host.

use std::fmt::Write;

use super::{mark_safe, needs_host, one, optional, text_of, two, Filter, FilterEnv};
use crate::error::Error;
use crate::value::{escape_into, float_repr, to_text, write_items, Value};

/// A filter with Django's `needs_autoescape` flag (its `autoescape` parameter counted).
const fn autoescaping(
    name: &'static str,
    required: u8,
    accepted: u8,
    run: super::FilterFn,
) -> Filter {
    Filter {
        name,
        required,
        accepted,
        is_safe: true,
        run,
    }
}

/// The HTML filters.
pub(super) const FILTERS: &[Filter] = &[
    one("escape", true, escape),
    one("force_escape", true, force_escape),
    one("safe", true, safe),
    one("safeseq", true, safeseq),
    one("escapeseq", true, escapeseq),
    one("escapejs", false, escapejs),
    autoescaping("linebreaks", 1, 2, linebreaks),
    autoescaping("linebreaksbr", 1, 2, linebreaksbr),
    autoescaping("linenumbers", 1, 2, linenumbers),
    autoescaping("unordered_list", 1, 2, unordered_list),
    autoescaping("urlize", 1, 2, host_only),
    autoescaping("urlizetrunc", 2, 3, host_only),
    one("striptags", true, host_only),
    one("pprint", true, host_only),
    two("truncatechars_html", true, host_only),
    two("truncatewords_html", true, host_only),
    optional("json_script", true, json_script),
];

/// Filters whose Django implementation the host runs for every value.
fn host_only(_: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    Err(needs_host("html"))
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// Django's `conditional_escape(str(value))`.
fn conditional_escape(value: &Value) -> Result<Value, Error> {
    let (text, safe) = to_text(value)?;
    Ok(Value::safe_str(if safe {
        text.into_owned()
    } else {
        escaped(&text)
    }))
}

/// Escapes once; an already safe string is left alone.
fn escape(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    text_of("escape", &value)?;
    conditional_escape(&value)
}

/// Escapes even a safe string.
fn force_escape(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, _) = text_of("force_escape", &value)?;
    Ok(Value::safe_str(escaped(&text)))
}

/// `mark_safe(str(value))`.
fn safe(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, _) = text_of("safe", &value)?;
    Ok(Value::safe_str(text.into_owned()))
}

fn items(name: &str, value: &Value) -> Result<Vec<Value>, Error> {
    match value {
        Value::Object(_) => Err(needs_host(name)),
        other => other.iterate()?.ok_or_else(|| needs_host(name)),
    }
}

/// Each item made a safe string.
fn safeseq(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    items("safeseq", &value)?
        .into_iter()
        .map(mark_safe)
        .collect::<Result<Vec<_>, _>>()
        .map(Value::from)
}

/// Each item escaped (unless safe).
fn escapeseq(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    items("escapeseq", &value)?
        .iter()
        .map(conditional_escape)
        .collect::<Result<Vec<_>, _>>()
        .map(Value::from)
}

/// Django's `escapejs`: `\uXXXX` for characters unsafe in a JavaScript string.
fn escapejs(value: Value, _: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, _) = text_of("escapejs", &value)?;
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' | '\'' | '"' | '>' | '<' | '&' | '=' | '-' | ';' | '`' | '\u{2028}'
            | '\u{2029}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c if u32::from(c) < 32 => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Ok(Value::safe_str(out))
}

/// `\r\n` and `\r` as `\n` (Django's `normalize_newlines`).
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Paragraphs (`<p>`) at blank lines, `<br>` at single newlines.
fn linebreaks(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("linebreaks", &value)?;
    let autoescape = env.autoescape && !safe;
    let text = normalize_newlines(&text);
    let mut paragraphs = Vec::new();
    let mut rest = text.as_str();
    loop {
        // re.split("\n{2,}"): a paragraph ends at two or more newlines.
        match rest.find("\n\n") {
            Some(at) => {
                paragraphs.push(&rest[..at]);
                rest = rest[at..].trim_start_matches('\n');
            }
            None => {
                paragraphs.push(rest);
                break;
            }
        }
    }
    let rendered: Vec<String> = paragraphs
        .iter()
        .map(|p| {
            let body = if autoescape {
                escaped(p)
            } else {
                (*p).to_owned()
            };
            format!("<p>{}</p>", body.replace('\n', "<br>"))
        })
        .collect();
    Ok(Value::safe_str(rendered.join("\n\n")))
}

/// `<br>` at every newline.
fn linebreaksbr(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("linebreaksbr", &value)?;
    let autoescape = env.autoescape && !safe;
    let text = normalize_newlines(&text);
    let text = if autoescape { escaped(&text) } else { text };
    Ok(Value::safe_str(text.replace('\n', "<br>")))
}

/// Each line prefixed with its zero-padded number.
fn linenumbers(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let (text, safe) = text_of("linenumbers", &value)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let width = lines.len().to_string().len();
    let escape_lines = env.autoescape && !safe;
    let numbered: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let line = if escape_lines {
                escaped(line)
            } else {
                (*line).to_owned()
            };
            format!("{:0width$}. {line}", i + 1)
        })
        .collect();
    Ok(Value::safe_str(numbered.join("\n")))
}

/// A self-nested list as `<li>` items, sub-lists in `<ul>`s, indented with tabs.
fn unordered_list(value: Value, _: Option<Value>, env: &FilterEnv<'_>) -> Result<Value, Error> {
    let list = items("unordered_list", &value)?;
    Ok(Value::safe_str(list_formatter(
        &list,
        1,
        env.autoescape,
        0,
    )?))
}

fn list_formatter(
    items: &[Value],
    tabs: usize,
    autoescape: bool,
    depth: usize,
) -> Result<String, Error> {
    if depth > 100 {
        return Err(needs_host("unordered_list"));
    }
    let indent = "\t".repeat(tabs);
    let mut output = Vec::new();
    let mut i = 0;
    while let Some(item) = items.get(i) {
        if matches!(item, Value::Object(_)) {
            return Err(needs_host("unordered_list"));
        }
        let children = match items.get(i + 1) {
            Some(Value::List(children)) => {
                i += 1;
                Some(children)
            }
            Some(Value::Object(_)) => return Err(needs_host("unordered_list")),
            _ => None,
        };
        i += 1;
        let mut sublist = String::new();
        if let Some(children) = children.filter(|c| !c.is_empty()) {
            sublist = format!(
                "\n{indent}<ul>\n{}\n{indent}</ul>\n{indent}",
                list_formatter(children, tabs + 1, autoescape, depth + 1)?
            );
        }
        let (text, safe) = to_text(item)?;
        let text = if autoescape && !safe {
            escaped(&text)
        } else {
            text.into_owned()
        };
        output.push(format!("{indent}<li>{text}{sublist}</li>"));
    }
    Ok(output.join("\n"))
}

/// The value as JSON (Python's `json.dumps`) in a `<script type="application/json">`.
fn json_script(value: Value, arg: Option<Value>, _: &FilterEnv<'_>) -> Result<Value, Error> {
    let mut json = String::new();
    write_json(&mut json, &value, 0)?;
    let json = json
        .replace('>', "\\u003E")
        .replace('<', "\\u003C")
        .replace('&', "\\u0026");
    let id = match &arg {
        None | Some(Value::None) => None,
        Some(Value::Str(id, _)) if id.is_empty() => None,
        Some(other) => Some(conditional_escape(other)?),
    };
    Ok(Value::safe_str(match id {
        Some(id) => format!(
            "<script id=\"{}\" type=\"application/json\">{json}</script>",
            id.as_str_and_safety().map(|(t, _)| t).unwrap_or("")
        ),
        None => format!("<script type=\"application/json\">{json}</script>"),
    }))
}

/// `json.dumps` with its defaults (ASCII output, `", "` and `": "` separators).
fn write_json(out: &mut String, value: &Value, depth: usize) -> Result<(), Error> {
    if depth > 100 {
        return Err(needs_host("json_script"));
    }
    match value {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&if f.is_nan() {
            "NaN".to_owned()
        } else if f.is_infinite() {
            if *f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
        } else {
            float_repr(*f)
        }),
        Value::Str(text, _) => write_json_str(out, text),
        Value::List(items) => write_items(out, ['[', ']'], items.iter(), |out, item| {
            write_json(out, item, depth + 1)
        })?,
        Value::Map(map) => write_items(out, ['{', '}'], map.iter(), |out, (key, item)| {
            write_json_str(out, key);
            out.push_str(": ");
            write_json(out, item, depth + 1)
        })?,
        Value::Object(_) => return Err(needs_host("json_script")),
    }
    Ok(())
}

fn write_json_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (' '..='~').contains(&c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::test_support::run_filter;
    use crate::host::NoHost;

    fn run(
        f: super::super::FilterFn,
        value: Value,
        arg: Option<Value>,
        autoescape: bool,
    ) -> Option<(String, bool)> {
        run_filter(&NoHost, f, value, arg, autoescape)
    }

    #[test]
    fn escaping_filters() {
        assert_eq!(
            run(escape, Value::from("<&>"), None, true),
            Some(("&lt;&amp;&gt;".into(), true))
        );
        assert_eq!(
            run(escape, Value::safe_str("<b>"), None, true),
            Some(("<b>".into(), true))
        );
        assert_eq!(
            run(force_escape, Value::safe_str("<b>"), None, true),
            Some(("&lt;b&gt;".into(), true))
        );
        assert_eq!(
            run(escapejs, Value::from("a'<\n"), None, true).map(|r| r.0),
            Some("a\\u0027\\u003C\\u000A".into())
        );
    }

    #[test]
    fn line_filters() {
        assert_eq!(
            run(linebreaks, Value::from("a\nb\n\n\nc<"), None, true).map(|r| r.0),
            Some("<p>a<br>b</p>\n\n<p>c&lt;</p>".into())
        );
        assert_eq!(
            run(linebreaksbr, Value::from("a\r\nb"), None, true).map(|r| r.0),
            Some("a<br>b".into())
        );
        let ten = (1..=10)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let numbered = run(linenumbers, Value::from(ten), None, true)
            .map(|r| r.0)
            .unwrap_or_default();
        assert!(numbered.starts_with("01. 1\n02. 2"), "{numbered}");
    }

    #[test]
    fn nested_lists_and_json() {
        let list = Value::from(vec![
            Value::from("a"),
            Value::from(vec![Value::from("b<")]),
            Value::from("c"),
        ]);
        assert_eq!(
            run(unordered_list, list, None, true).map(|r| r.0),
            Some("\t<li>a\n\t<ul>\n\t\t<li>b&lt;</li>\n\t</ul>\n\t</li>\n\t<li>c</li>".into())
        );
        let data: Value = [("k", Value::from("<é>")), ("n", Value::Float(1.0))]
            .into_iter()
            .collect();
        assert_eq!(
            run(json_script, data, Some(Value::from("i\"d")), true).map(|r| r.0),
            Some("<script id=\"i&quot;d\" type=\"application/json\">{\"k\": \"\\u003C\\u00e9\\u003E\", \"n\": 1.0}</script>".into())
        );
    }
}
