//! Evaluates filter expressions: Django's `FilterExpression.resolve` and `Variable.resolve`.

use super::Renderer;
use crate::compiler::ast::{FilterExpression, Operand, Path};
use crate::error::{Error, ErrorKind};
use crate::filters;
use crate::value::{lookup_member, Value};

/// A variable's value, or the index of the segment where its lookup failed.
pub(crate) type Resolved = Result<Value, usize>;

impl Renderer<'_> {
    /// Looks up a dotted variable; a failed lookup anywhere makes the whole variable missing.
    pub(crate) fn resolve_path(&self, path: &Path) -> Result<Resolved, Error> {
        let mut segments = path.segments.iter();
        let Some(first) = segments.next() else {
            return Ok(Err(0));
        };
        let Some(mut current) = self.scope.get(&first.name).cloned() else {
            return Ok(Err(0));
        };
        for (i, segment) in segments.enumerate() {
            match lookup_member(&current, &segment.name, segment.index)? {
                Some(next) => current = next,
                None => return Ok(Err(i + 1)),
            }
        }
        Ok(Ok(current))
    }

    /// Evaluates an expression. A missing variable is `None` with `ignore_failures` (as in
    /// `{% if %}` and `{% for %}`) and `""` otherwise (Django's default `string_if_invalid`).
    pub(crate) fn eval_expression(
        &self,
        expression: &FilterExpression,
        ignore_failures: bool,
    ) -> Result<Value, Error> {
        let mut value = match &expression.head {
            Operand::Literal(value) => value.clone(),
            Operand::Variable(path) => match self.resolve_path(path)? {
                Ok(value) => value,
                Err(_) if ignore_failures => Value::None,
                Err(_) => Value::from_str(self.empty.clone()),
            },
        };
        for call in &expression.filters {
            let arg = match &call.arg {
                None => None,
                Some(Operand::Literal(value)) => Some(value.clone()),
                // Filter arguments are resolved strictly: a missing one is an error in Django.
                Some(Operand::Variable(path)) => match self.resolve_path(path)? {
                    Ok(value) => Some(value),
                    Err(segment) => return Err(missing_variable(path, segment)),
                },
            };
            value = filters::apply(call.filter, value, arg)?;
        }
        Ok(value)
    }
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
    use crate::library::{Libraries, NoHost};
    use crate::template::Template;

    fn run(source: &str) -> Result<String, Error> {
        let context: Context = [("d", [("a", 1)].into_iter().collect())]
            .into_iter()
            .collect();
        Template::parse("t", source, &Libraries::new())?.render(&context, &NoHost)
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
}
