//! Rendering the `i18n` library's translation tags, with gettext answered by the host.

use super::Renderer;
use crate::compiler::ast::{BlockTranslateNode, Operand, TranslateNode, TranslatePiece};
use crate::compiler::{is_py_space, py_strip};
use crate::error::Error;
use crate::host::{untranslated, Translation};
use crate::value::{py_repr_str, to_text, Value};

impl Renderer<'_> {
    /// `{% translate %}`: the message translated (unless `noop`), filtered, rendered.
    pub(super) fn translate_tag(
        &mut self,
        node: &TranslateNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let message_context = match &node.message_context {
            Some(expression) => {
                let value = self.eval_expression(expression, false)?;
                Some(to_text(&value)?.0.into_owned())
            }
            None => None,
        };
        let context = message_context.as_deref();
        let expression = &node.message;
        // The head, translated; `done` when string_if_invalid replaced it (filters skipped).
        let (value, done) = match &expression.head {
            Operand::Literal(Value::Str(text, _)) => {
                // Django wraps the literal in quotes again and unescapes it once more.
                let literal = text.replace("\\'", "'").replace("\\\\", "\\");
                if node.noop {
                    (Value::safe_str(literal), false)
                } else {
                    let message = literal.replace('%', "%%");
                    (Value::safe_str(self.translate(context, &message)?), false)
                }
            }
            Operand::Literal(other) => (other.clone(), false),
            Operand::Translated(message) => (self.translated(message)?, false),
            Operand::Variable(path) => match self.resolve_path(path)? {
                Ok(value) if node.noop => (value, false),
                Ok(Value::Str(text, safe)) => {
                    let translated = self.translate(context, &text.replace('%', "%%"))?;
                    (Value::Str(translated.into(), safe), false)
                }
                Ok(_) => {
                    return Err(Error::unsupported(
                        "{% translate %} of a value that is not a string",
                    ))
                }
                Err(_) => match self.invalid_variable(path) {
                    Some(value) => (value, true),
                    None => (Value::from(""), false),
                },
            },
        };
        let value = if done {
            value
        } else {
            self.run_filters(expression, value)?
        };
        let (text, safe) = self.value_text(&value)?;
        let text = text.replace("%%", "%");
        match &node.target {
            Some(target) => self.scope.set(target, Value::Str(text.into(), safe.into())),
            None => out.push_str(&text),
        }
        Ok(())
    }

    /// `{% blocktranslate %}`: the message with its `%(name)s` placeholders filled in.
    pub(super) fn blocktranslate_tag(
        &mut self,
        node: &BlockTranslateNode,
        out: &mut String,
    ) -> Result<(), Error> {
        let text = self.blocktranslate(node, false)?;
        match &node.target {
            Some(target) => self.scope.set(target, Value::safe_str(text)),
            None => out.push_str(&text),
        }
        Ok(())
    }

    fn blocktranslate(
        &mut self,
        node: &BlockTranslateNode,
        untranslated_only: bool,
    ) -> Result<String, Error> {
        let message_context = match &node.message_context {
            Some(expression) => {
                let value = self.eval_expression(expression, false)?;
                Some(to_text(&value)?.0.into_owned())
            }
            None => None,
        };
        let mut frame = Vec::with_capacity(node.extra.len());
        for (name, expression) in &node.extra {
            frame.push((name.clone(), self.eval_expression(expression, false)?));
        }
        self.scope.push_frame(frame);
        let translated =
            self.blocktranslate_message(node, message_context.as_deref(), untranslated_only);
        self.scope.pop();
        let (message, data) = translated?;
        match format_named(&message, &data) {
            Some(text) => Ok(text),
            None if untranslated_only => {
                let shown: Vec<String> = data
                    .iter()
                    .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr_str(v)))
                    .collect();
                Err(Error::syntax(format!(
                    "{} is unable to format string returned by gettext: {} using {{{}}}",
                    py_repr_str(&node.tag_name),
                    py_repr_str(&message),
                    shown.join(", ")
                )))
            }
            // Django renders again with translations turned off.
            None => self.blocktranslate(node, true),
        }
    }

    /// The translated message and the rendered value of each placeholder.
    fn blocktranslate_message(
        &mut self,
        node: &BlockTranslateNode,
        context: Option<&str>,
        untranslated_only: bool,
    ) -> Result<(String, Vec<(String, String)>), Error> {
        let (singular, mut vars) = token_list(&node.singular, node.trimmed);
        let message = match &node.counter {
            Some((countervar, counter)) if !node.plural.is_empty() => {
                let count = self.eval_expression(counter, false)?;
                if !matches!(count, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
                    if matches!(count, Value::Object(_)) {
                        return Err(Error::unsupported(
                            "a {% blocktranslate %} count that is a host object",
                        ));
                    }
                    return Err(Error::syntax(format!(
                        "{} argument to {} tag must be a number.",
                        py_repr_str(countervar),
                        py_repr_str(&node.tag_name)
                    )));
                }
                self.scope.set(countervar, count.clone());
                let (plural, plural_vars) = token_list(&node.plural, node.trimmed);
                vars.extend(plural_vars);
                let message = Translation {
                    context,
                    singular: &singular,
                    plural: Some((&plural, &count)),
                };
                if untranslated_only {
                    untranslated(&message)
                } else {
                    self.host.translate(message)?
                }
            }
            _ if untranslated_only => singular,
            _ => self.translate(context, &singular)?,
        };
        let mut data = Vec::with_capacity(vars.len());
        for var in vars {
            let value = match self.scope.get(&var)? {
                Some(value) => value,
                None => {
                    let invalid = &self.options.string_if_invalid;
                    Value::from(if invalid.contains("%s") {
                        invalid.replacen("%s", &var, 1)
                    } else {
                        invalid.to_string()
                    })
                }
            };
            let (text, _) = self.value_text(&value)?;
            data.push((var, text));
        }
        Ok((message, data))
    }
}

/// Django's `render_token_list`: text with `%` doubled, `{{ name }}` as `%(name)s`.
fn token_list(pieces: &[TranslatePiece], trimmed: bool) -> (String, Vec<String>) {
    let mut message = String::new();
    let mut vars = Vec::new();
    for piece in pieces {
        match piece {
            TranslatePiece::Text(text) => message.push_str(&text.replace('%', "%%")),
            TranslatePiece::Variable(name) => {
                message.push_str(&format!("%({name})s"));
                vars.push(name.to_string());
            }
        }
    }
    if trimmed {
        message = trim_whitespace(&message);
    }
    (message, vars)
}

/// Django's `trim_whitespace`: stripped, and every whitespace run holding a newline made one
/// space.
fn trim_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in py_strip(text).chars() {
        if is_py_space(c) {
            run.push(c);
            continue;
        }
        if run.contains('\n') {
            out.push(' ');
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out
}

/// Python's `message % data` for `%%` and `%(name)s`; `None` where Python raises.
fn format_named(message: &str, data: &[(String, String)]) -> Option<String> {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let inner = rest.strip_prefix('(')?;
        let close = inner.find(')')?;
        let name = &inner[..close];
        let after = inner[close + 1..].strip_prefix('s')?;
        let (_, value) = data.iter().find(|(key, _)| key == name)?;
        out.push_str(value);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::host::NoHost;
    use crate::library::Libraries;
    use crate::template::Template;

    fn run(source: &str) -> String {
        let context: Context = [("n", Value::Int(2)), ("x", Value::from("<x>"))]
            .into_iter()
            .collect();
        Template::parse(
            "t",
            &format!("{{% load i18n %}}{source}"),
            &Libraries::new(),
        )
        .and_then(|t| t.render(&context, &NoHost))
        .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn translate_tag_renders_the_message() {
        assert_eq!(run("{% translate \"100% <b>\" %}"), "100% <b>");
        assert_eq!(run("{% trans x %}"), "&lt;x&gt;");
        assert_eq!(run("{% trans \"a\" as v %}[{{ v }}]"), "[a]");
        assert_eq!(run("{% trans \"a%%\" noop %}"), "a%");
    }

    #[test]
    fn blocktranslate_fills_placeholders() {
        assert_eq!(
            run("{% blocktranslate %}Hi {{ x }} 50%{% endblocktranslate %}"),
            "Hi &lt;x&gt; 50%"
        );
        assert_eq!(
            run("{% blocktrans count c=n %}{{ c }} item{% plural %}{{ c }} items{% endblocktrans %}"),
            "2 items"
        );
        assert_eq!(
            run("{% blocktrans with y=x|upper trimmed %}\n  a\n  {{ y }}\n{% endblocktrans %}"),
            "a &lt;X&gt;"
        );
        assert!(
            run("{% blocktrans count c=x %}a{% plural %}b{% endblocktrans %}")
                .contains("must be a number")
        );
    }

    #[test]
    fn helpers_follow_python() {
        assert_eq!(trim_whitespace(" a \n  b  c\t\n d "), "a b  c d");
        let data = vec![("a".to_owned(), "1".to_owned())];
        assert_eq!(format_named("%(a)s%%", &data).as_deref(), Some("1%"));
        assert_eq!(format_named("%(b)s", &data), None);
        assert_eq!(format_named("%d", &data), None);
        let (message, vars) = token_list(&[TranslatePiece::Variable("v".into())], false);
        assert_eq!((message.as_str(), vars), ("%(v)s", vec!["v".to_owned()]));
    }
}
