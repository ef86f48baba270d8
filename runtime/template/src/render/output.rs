//! Rendering the tags that print one computed value: simple tags, `csrf_token`, `url`,
//! `static`, `now`, `lorem`, `widthratio`.

use super::Renderer;
use crate::compiler::ast::{
    LoremMethod, LoremNode, NowNode, SimpleTagNode, StaticKind, StaticNode, UrlNode, WidthRatioNode,
};
use crate::compiler::{parse_float, py_strip};
use crate::error::{Error, ErrorKind};
use crate::filters::py_int;
use crate::host::{StaticUrl, TagCall};
use crate::value::{compare, escape_into, to_text, CompareOp, Value};

/// Django's `lorem_ipsum.COMMON_P`.
const COMMON_P: &str = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod \
tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in \
reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint \
occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

/// Django's `lorem_ipsum.COMMON_WORDS`.
const COMMON_WORDS: [&str; 19] = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipisicing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
];

impl Renderer<'_> {
    /// A simple tag: resolve the arguments, call the host, output (escaped) or assign.
    pub(super) fn simple_tag(
        &mut self,
        node: &SimpleTagNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let mut args = Vec::with_capacity(node.args.len());
        for arg in &node.args {
            args.push(self.eval_expression(arg, false)?);
        }
        let mut kwargs = Vec::with_capacity(node.kwargs.len());
        for (key, arg) in &node.kwargs {
            kwargs.push((key.to_string(), self.eval_expression(arg, false)?));
        }
        let locals = node.takes_context.then(|| self.scope.locals());
        let value = self.host.call_simple_tag(TagCall {
            library: &node.library,
            name: &node.name,
            args,
            kwargs,
            locals,
            autoescape: self.autoescape,
        })?;
        match &node.target {
            Some(target) => self.scope.set(target, value),
            None if self.autoescape => {
                // conditional_escape(output): str() of the value, escaped unless safe.
                let (text, safe) = to_text(&value)?;
                write_escaped(out, &text, safe);
            }
            None => match &value {
                Value::Str(text, _) => out.push_str(text),
                // Django joins node outputs and fails with TypeError on anything else.
                _ => {
                    return Err(Error::unsupported(
                        "a simple tag returning something other than text with autoescape off",
                    ))
                }
            },
        }
        Ok(())
    }

    /// `{% csrf_token %}`: the hidden input holding the context's `csrf_token`.
    pub(super) fn csrf_token(&mut self, out: &mut String) -> Result<(), Error> {
        let Some(token) = self.scope.get("csrf_token")? else {
            return Ok(());
        };
        if !token.is_true()? || compare(CompareOp::Eq, &token, &Value::from("NOTPROVIDED"))? {
            return Ok(());
        }
        let (text, safe) = to_text(&token)?;
        out.push_str("<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"");
        write_escaped(out, &text, safe);
        out.push_str("\">");
        Ok(())
    }

    /// `{% url %}`: Django's `reverse()`, through the host.
    pub(super) fn url_tag(&mut self, node: &UrlNode, out: &mut String) -> Result<(), Error> {
        let mut args = Vec::with_capacity(node.args.len());
        for arg in &node.args {
            args.push(self.eval_expression(arg, false)?);
        }
        let mut kwargs = Vec::with_capacity(node.kwargs.len());
        for (key, arg) in &node.kwargs {
            kwargs.push((key.to_string(), self.eval_expression(arg, false)?));
        }
        let view_name = self.eval_expression(&node.view_name, false)?;
        let url = self
            .host
            .reverse_url(view_name, args, kwargs, node.target.is_some())?;
        match &node.target {
            Some(target) => self.scope.set(target, Value::from(url)),
            None => write_escaped(out, &url, !self.autoescape),
        }
        Ok(())
    }

    /// `{% static %}`, `{% get_static_prefix %}`, `{% get_media_prefix %}`.
    pub(super) fn static_tag(&mut self, node: &StaticNode, out: &mut String) -> Result<(), Error> {
        let (url, escape) = match &node.kind {
            StaticKind::File(path) => {
                let path = self.eval_expression(path, false)?;
                (
                    self.host.static_url(StaticUrl::File, Some(path))?,
                    self.autoescape,
                )
            }
            StaticKind::StaticPrefix => {
                (self.host.static_url(StaticUrl::StaticPrefix, None)?, false)
            }
            StaticKind::MediaPrefix => (self.host.static_url(StaticUrl::MediaPrefix, None)?, false),
        };
        let url = if escape {
            let mut escaped = String::with_capacity(url.len());
            escape_into(&mut escaped, &url);
            Value::safe_str(escaped)
        } else {
            Value::from(url)
        };
        match &node.target {
            Some(target) => self.scope.set(target, url),
            None => {
                if let Value::Str(text, _) = &url {
                    out.push_str(text);
                }
            }
        }
        Ok(())
    }

    /// `{% now %}`: the current time, formatted by the host as Django's `date` filter does.
    pub(super) fn now_tag(&mut self, node: &NowNode, out: &mut String) -> Result<(), Error> {
        let formatted = self.host.now(&node.format)?;
        match &node.target {
            Some(target) => self.scope.set(target, Value::from(formatted)),
            None => out.push_str(&formatted),
        }
        Ok(())
    }

    /// `{% lorem %}`: Django's fixed Latin text (the random variants are Django's to make).
    pub(super) fn lorem_tag(&mut self, node: &LoremNode, out: &mut String) -> Result<(), Error> {
        let count = self.eval_expression(&node.count, false)?;
        // int(count), and 1 where that raises.
        let count = py_int(&count)?.unwrap_or(1);
        let random = || Error::unsupported("{% lorem %} text beyond the fixed words is random");
        let text = match node.method {
            LoremMethod::Words => {
                if !node.common {
                    return Err(random());
                }
                let words = COMMON_WORDS.len() as i64;
                if count > words {
                    return Err(random());
                }
                let end = if count < 0 {
                    (words + count).max(0)
                } else {
                    count
                };
                COMMON_WORDS[..usize::try_from(end).unwrap_or(0)].join(" ")
            }
            LoremMethod::Paragraphs | LoremMethod::Plain => {
                if count > 1 || (count == 1 && !node.common) {
                    return Err(random());
                }
                if count < 1 {
                    String::new()
                } else if node.method == LoremMethod::Paragraphs {
                    format!("<p>{COMMON_P}</p>")
                } else {
                    COMMON_P.to_owned()
                }
            }
        };
        out.push_str(&text);
        Ok(())
    }

    /// `{% widthratio %}`: `round(value / max * width)`, Python's rounding.
    pub(super) fn widthratio_tag(
        &mut self,
        node: &WidthRatioNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let resolved = (|| -> Result<(Value, Value, Value), Error> {
            Ok((
                self.eval_expression(&node.value, false)?,
                self.eval_expression(&node.max, false)?,
                self.eval_expression(&node.width, false)?,
            ))
        })();
        let (value, max, width) = match resolved {
            Ok(values) => values,
            Err(error) if error.kind() == ErrorKind::VariableDoesNotExist => {
                return self.widthratio_result(node, String::new(), out)
            }
            Err(error) => return Err(error),
        };
        let width = match py_int(&width)? {
            Some(width) => width,
            None => {
                return Err(Error::syntax("widthratio final argument must be a number"));
            }
        };
        let (Some(value), Some(max)) = (py_float(&value)?, py_float(&max)?) else {
            return self.widthratio_result(node, String::new(), out);
        };
        let result = if max == 0.0 {
            "0".to_owned()
        } else {
            let ratio = (value / max) * width as f64;
            if !ratio.is_finite() || ratio.abs() >= 9.2e18 {
                if ratio.is_finite() {
                    return Err(Error::unsupported("a widthratio beyond 64 bits"));
                }
                String::new()
            } else {
                (ratio.round_ties_even() as i64).to_string()
            }
        };
        self.widthratio_result(node, result, out)
    }

    fn widthratio_result(
        &mut self,
        node: &WidthRatioNode,
        result: String,
        out: &mut String,
    ) -> Result<(), Error> {
        match &node.target {
            Some(target) => self.scope.set(target, Value::from(result)),
            None => out.push_str(&result),
        }
        Ok(())
    }
}

/// Python's `float(value)`; `None` where it raises `ValueError` or `TypeError`.
fn py_float(value: &Value) -> Result<Option<f64>, Error> {
    Ok(match value {
        Value::Int(n) => Some(*n as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Float(f) => Some(*f),
        Value::Str(text, _) => parse_float(py_strip(text)),
        Value::Object(_) => return Err(Error::unsupported("float() of a host object")),
        _ => None,
    })
}

fn write_escaped(out: &mut String, text: &str, safe: bool) {
    if safe {
        out.push_str(text);
    } else {
        escape_into(out, text);
    }
}

#[cfg(test)]
mod tests {
    use crate::context::Context;
    use crate::host::NoHost;
    use crate::library::Libraries;
    use crate::template::Template;
    use crate::value::Value;

    fn run(source: &str) -> String {
        let context: Context = [
            ("n", Value::Int(175)),
            ("m", Value::Int(200)),
            ("csrf_token", Value::from("t<k")),
        ]
        .into_iter()
        .collect();
        Template::parse("t", source, &Libraries::new())
            .and_then(|t| t.render(&context, &NoHost))
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn widthratio_rounds_like_python() {
        assert_eq!(run("{% widthratio n m 100 %}"), "88");
        assert_eq!(run("{% widthratio 1 8 1 %}"), "0");
        assert_eq!(run("{% widthratio 3 2 1 %}"), "2");
        assert_eq!(run("{% widthratio n 0 100 %}"), "0");
        assert_eq!(
            run("{% widthratio n m 'x' %}"),
            "error: widthratio final argument must be a number"
        );
        assert_eq!(run("{% widthratio 'a' m 100 as w %}[{{ w }}]"), "[]");
    }

    #[test]
    fn lorem_prints_the_fixed_text() {
        assert_eq!(run("{% lorem 3 w %}"), "lorem ipsum dolor");
        assert!(run("{% lorem %}").starts_with("Lorem ipsum dolor sit amet"));
        assert!(run("{% lorem 1 p %}").starts_with("<p>Lorem"));
        assert!(run("{% lorem 2 %}").starts_with("error:"));
        assert!(run("{% lorem 3 w random %}").starts_with("error:"));
    }

    #[test]
    fn csrf_token_is_an_escaped_hidden_input() {
        assert_eq!(
            run("{% csrf_token %}"),
            "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"t&lt;k\">"
        );
    }
}
