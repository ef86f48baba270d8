//! Evaluates filter expressions: Django's `FilterExpression.resolve` and `Variable.resolve`,
//! with filters run natively or by the host.

use std::borrow::Cow;

use super::inheritance::BlockVar;
use super::print::Printer;
use super::scope::Scope;
use super::Renderer;
use crate::compiler::ast::{FilterCall, FilterExpression, Operand, Path, Segment};
use crate::error::{Error, ErrorKind};
use crate::filters::{self, FilterEnv};
use crate::host::{FilterCall as HostFilterCall, Translation};
use crate::value::{lookup_segment, Value};

/// A variable's value, or the index of the segment where its lookup failed.
pub(crate) type Resolved = Result<Value, usize>;

/// A variable's value as [`lend`] finds it.
pub(crate) enum Lent<'s> {
    Value(Cow<'s, Value>),
    Missing,
    /// `block.super` or a path of three segments or more: for [`Renderer::resolve_path`].
    Unlent,
}

/// The value of a variable without filters, lent where it can be (a variable of the scope, a
/// member of a map or list) instead of cloned: most `{{ }}` and `{% if %}` read variables
/// this way, and a clone (and its drop) of a shared value costs two atomic operations.
#[inline]
pub(crate) fn lend<'s>(scope: &'s mut Scope<'_>, path: &Path) -> Result<Lent<'s>, Error> {
    let Some((first, rest)) = path.segments.split_first() else {
        return Ok(Lent::Missing);
    };
    let Some(value) = scope.get_ref(&first.name)? else {
        return Ok(Lent::Missing);
    };
    Ok(match rest {
        [] => Lent::Value(Cow::Borrowed(value)),
        [second] if !is_block(value) => match lookup_segment(value, &second.name, second.index)? {
            Some(found) => Lent::Value(found),
            None => Lent::Missing,
        },
        _ => Lent::Unlent,
    })
}

impl Renderer<'_> {
    /// Prints `{{ expression }}`.
    pub(crate) fn print_expression(
        &mut self,
        expression: &FilterExpression,
        out: &mut String,
    ) -> Result<(), Error> {
        if let (Operand::Variable(path), []) = (&expression.head, &*expression.filters) {
            let printer = Printer {
                autoescape: self.autoescape,
                use_l10n: self.use_l10n,
                options: self.options,
                numbers: &self.numbers,
                host: self.host,
            };
            match lend(&mut self.scope, path)? {
                Lent::Value(value) => return printer.write(&value, out),
                Lent::Missing => {
                    return match self.invalid_variable(path) {
                        Some(invalid) => printer.write(&invalid, out),
                        None => Ok(()),
                    };
                }
                Lent::Unlent => {}
            }
        }
        let value = self.eval_expression(expression, false)?;
        self.printer().write(&value, out)
    }

    /// Looks up a dotted variable; a failed lookup anywhere makes the whole variable missing.
    pub(crate) fn resolve_path(&mut self, path: &Path) -> Result<Resolved, Error> {
        let Some((first, rest)) = path.segments.split_first() else {
            return Ok(Err(0));
        };
        let Some(value) = self.scope.get_ref(&first.name)? else {
            return Ok(Err(0));
        };
        let Some((second, rest)) = rest.split_first() else {
            return Ok(Ok(value.clone()));
        };
        // The first member is looked up in place: `row.name` never clones `row`.
        let found = if is_block(value) {
            let block = value.clone();
            self.member(&block, second)?
        } else {
            lookup_segment(value, &second.name, second.index)?.map(Cow::into_owned)
        };
        let Some(mut current) = found else {
            return Ok(Err(1));
        };
        for (i, segment) in rest.iter().enumerate() {
            current = match self.member(&current, segment)? {
                Some(next) => next,
                None => return Ok(Err(i + 2)),
            };
        }
        Ok(Ok(current))
    }

    /// One member of `value`: `{{ block.super }}` renders the parent block; anything else is
    /// Django's lookup.
    fn member(&mut self, value: &Value, segment: &Segment) -> Result<Option<Value>, Error> {
        if let Value::Object(object) = value {
            if let Some(block) = object.as_any().downcast_ref::<BlockVar>() {
                return self.block_member(block, &segment.name);
            }
        }
        Ok(lookup_segment(value, &segment.name, segment.index)?.map(Cow::into_owned))
    }

    /// Evaluates an expression. A missing variable is `None` with `ignore_failures` (as in
    /// `{% if %}` and `{% for %}`) and the engine's `string_if_invalid` otherwise.
    pub(crate) fn eval_expression(
        &mut self,
        expression: &FilterExpression,
        ignore_failures: bool,
    ) -> Result<Value, Error> {
        let value = match &expression.head {
            Operand::Literal(value) => value.clone(),
            Operand::Translated(message) => self.translated(message)?,
            Operand::Variable(path) => match self.resolve_path(path)? {
                Ok(value) => value,
                Err(_) if ignore_failures => Value::None,
                Err(_) => match self.invalid_variable(path) {
                    // A set string_if_invalid skips the filters, as in Django.
                    Some(value) => return Ok(value),
                    None => Value::from(""),
                },
            },
        };
        self.run_filters(expression, value)
    }

    /// What a missing variable renders as when `string_if_invalid` is set (`%s` replaced by
    /// the variable's name); `None` when it is empty (the value is then `""`, filtered).
    pub(crate) fn invalid_variable(&self, path: &Path) -> Option<Value> {
        let invalid = &self.options.string_if_invalid;
        if invalid.is_empty() {
            return None;
        }
        Some(Value::from(if invalid.contains("%s") {
            invalid.replacen("%s", &path.dotted(), 1).replace("%%", "%")
        } else {
            invalid.to_string()
        }))
    }

    /// Runs the filters of `expression` over `value`.
    pub(crate) fn run_filters(
        &mut self,
        expression: &FilterExpression,
        mut value: Value,
    ) -> Result<Value, Error> {
        for call in &expression.filters {
            let arg = match &call.arg {
                None => None,
                Some(Operand::Literal(value)) => Some(value.clone()),
                Some(Operand::Translated(message)) => Some(self.translated(message)?),
                // Filter arguments are resolved strictly: a missing one is an error in Django.
                Some(Operand::Variable(path)) => match self.resolve_path(path)? {
                    Ok(value) => Some(value),
                    Err(segment) => return Err(missing_variable(path, segment)),
                },
            };
            value = self.apply_filter(call, value, arg)?;
        }
        Ok(value)
    }

    /// Runs one filter: natively when it can, else through the host (Django's own filter).
    pub(crate) fn apply_filter(
        &mut self,
        call: &FilterCall,
        input: Value,
        arg: Option<Value>,
    ) -> Result<Value, Error> {
        let spec = &call.spec;
        if let Some(filter) = spec.native {
            let input_was_safe = input.is_safe_str();
            let fallback = spec
                .host_library
                .is_some()
                .then(|| (input.clone(), arg.clone()));
            let env = FilterEnv {
                autoescape: self.autoescape,
                options: self.options,
                host: self.host,
                numbers: &self.numbers,
            };
            match (filter.run)(input, arg, &env) {
                Ok(output) if spec.is_safe && input_was_safe => return filters::mark_safe(output),
                Ok(output) => return Ok(output),
                Err(error) if error.kind() == ErrorKind::Unsupported => match fallback {
                    Some((input, arg)) => return self.host_filter(call, input, arg),
                    None => return Err(error),
                },
                Err(error) => return Err(error),
            }
        }
        self.host_filter(call, input, arg)
    }

    fn host_filter(
        &self,
        call: &FilterCall,
        value: Value,
        arg: Option<Value>,
    ) -> Result<Value, Error> {
        let Some(library) = &call.spec.host_library else {
            return Err(Error::unsupported(format!(
                "the filter '{}' needs Django for this value",
                call.name
            )));
        };
        self.host.call_filter(HostFilterCall {
            library,
            name: &call.name,
            value,
            arg,
            autoescape: self.autoescape,
        })
    }

    /// `_("text")`: gettext of the (already `%`-doubled) message, kept safe.
    pub(crate) fn translated(&mut self, message: &Value) -> Result<Value, Error> {
        let Some((text, _)) = message.as_str_and_safety() else {
            return Ok(message.clone());
        };
        let text = text.to_owned();
        Ok(Value::safe_str(self.translate(None, &text)?))
    }

    /// gettext / pgettext through the host, remembered for the rest of the render.
    pub(crate) fn translate(
        &mut self,
        context: Option<&str>,
        message: &str,
    ) -> Result<String, Error> {
        let key = (context.map(str::to_owned), message.to_owned());
        if let Some(found) = self.translations.get(&key) {
            return Ok(found.clone());
        }
        let translated = self.host.translate(Translation {
            context,
            singular: message,
            plural: None,
        })?;
        self.translations.insert(key, translated.clone());
        Ok(translated)
    }
}

fn is_block(value: &Value) -> bool {
    matches!(value, Value::Object(object) if object.as_any().is::<BlockVar>())
}

fn missing_variable(path: &Path, segment: usize) -> Error {
    let names: Vec<&str> = path.segments.iter().map(|s| &*s.name).collect();
    let key = names.get(segment).copied().unwrap_or("");
    Error::new(
        ErrorKind::VariableDoesNotExist,
        format!(
            "Failed lookup for key [{key}] in variable '{}'",
            names.join(".")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::host::NoHost;
    use crate::library::Libraries;
    use crate::options::RenderOptions;
    use crate::template::Template;

    fn run_with(source: &str, options: &RenderOptions) -> Result<String, Error> {
        let context: Context = [("d", [("a", 1)].into_iter().collect())]
            .into_iter()
            .collect();
        Template::parse("t", source, &Libraries::new())?.render_with(&context, &NoHost, options)
    }

    fn run(source: &str) -> Result<String, Error> {
        run_with(source, &RenderOptions::default())
    }

    #[test]
    fn missing_filter_arguments_name_the_failed_segment() {
        let error = run("{{ x|default:d.b.c }}").err();
        assert_eq!(
            error.as_ref().map(Error::kind),
            Some(ErrorKind::VariableDoesNotExist)
        );
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("Failed lookup for key [b] in variable 'd.b.c'")
        );
    }

    #[test]
    fn missing_variables_are_empty_strings_in_output_and_none_in_conditions() {
        assert_eq!(run("[{{ d.zz }}]").ok().as_deref(), Some("[]"));
        assert_eq!(
            run("{% if d.zz is None %}none{% endif %}").ok().as_deref(),
            Some("none")
        );
        assert_eq!(run("{{ x|default:d.a }}").ok().as_deref(), Some("1"));
    }

    #[test]
    fn string_if_invalid_names_the_variable_and_skips_filters() {
        let options = RenderOptions {
            string_if_invalid: "INVALID(%s)".into(),
            ..RenderOptions::default()
        };
        assert_eq!(
            run_with("{{ d.zz|upper }}", &options).ok().as_deref(),
            Some("INVALID(d.zz)")
        );
    }

    #[test]
    fn translated_literals_go_through_the_host() {
        assert_eq!(run("{{ _('100%') }}").ok().as_deref(), Some("100%%"));
    }
}
