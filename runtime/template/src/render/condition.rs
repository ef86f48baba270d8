//! Evaluates `{% if %}` conditions with Django's smartif semantics: `or`/`and` return an
//! operand, and any error inside an operator (a `TypeError` in Python) makes it False.

use super::expression::{lend, Lent};
use super::Renderer;
use crate::compiler::ast::{BinaryOp, Condition, Operand};
use crate::error::{Error, ErrorKind};
use crate::value::{compare, contains, identical, Value};

impl Renderer<'_> {
    /// Whether a condition is true; a bare variable is tested where it lies, not cloned.
    pub(crate) fn condition_holds(&mut self, condition: &Condition) -> Result<bool, Error> {
        if let Condition::Test(expression) = condition {
            if let (Operand::Variable(path), []) = (&expression.head, &*expression.filters) {
                match lend(&mut self.scope, path)? {
                    Lent::Value(value) => return value.is_true(),
                    // A missing variable is None in a condition.
                    Lent::Missing => return Ok(false),
                    Lent::Unlent => {}
                }
            }
        }
        self.eval_condition(condition)?.is_true()
    }

    /// The value of a condition. Errors of a bare operand propagate (the `if` tag treats a
    /// missing filter argument as false); errors inside operators are swallowed, as Django
    /// does, except `Unsupported`, which means the answer is unknown.
    pub(crate) fn eval_condition(&mut self, condition: &Condition) -> Result<Value, Error> {
        match condition {
            Condition::Test(expression) => self.eval_expression(expression, true),
            Condition::Not(inner) => guard(
                self.eval_condition(inner)
                    .and_then(|value| value.is_true())
                    .map(|truth| Value::Bool(!truth)),
            ),
            Condition::Binary(op, left, right) => guard(self.eval_binary(*op, left, right)),
        }
    }

    fn eval_binary(
        &mut self,
        op: BinaryOp,
        left: &Condition,
        right: &Condition,
    ) -> Result<Value, Error> {
        let truth = match op {
            BinaryOp::Or => {
                let left = self.eval_condition(left)?;
                return if left.is_true()? {
                    Ok(left)
                } else {
                    self.eval_condition(right)
                };
            }
            BinaryOp::And => {
                let left = self.eval_condition(left)?;
                return if left.is_true()? {
                    self.eval_condition(right)
                } else {
                    Ok(left)
                };
            }
            BinaryOp::In => {
                let (left, right) = self.operands(left, right)?;
                contains(&right, &left)?
            }
            BinaryOp::NotIn => {
                let (left, right) = self.operands(left, right)?;
                !contains(&right, &left)?
            }
            BinaryOp::Is => {
                let (left, right) = self.operands(left, right)?;
                identical(&left, &right)?
            }
            BinaryOp::IsNot => {
                let (left, right) = self.operands(left, right)?;
                !identical(&left, &right)?
            }
            BinaryOp::Compare(op) => {
                let (left, right) = self.operands(left, right)?;
                compare(op, &left, &right)?
            }
        };
        Ok(Value::Bool(truth))
    }

    /// Both operands, left first as Python evaluates them.
    fn operands(&mut self, left: &Condition, right: &Condition) -> Result<(Value, Value), Error> {
        Ok((self.eval_condition(left)?, self.eval_condition(right)?))
    }
}

/// Django's operator `eval`: `try: ... except Exception: return False`.
fn guard(result: Result<Value, Error>) -> Result<Value, Error> {
    match result {
        Err(error) if error.kind() == ErrorKind::Unsupported => Err(error),
        Err(_) => Ok(Value::Bool(false)),
        ok => ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_swallows_errors_except_unsupported() {
        let swallowed = guard(Err(Error::render("TypeError")));
        assert!(matches!(swallowed, Ok(Value::Bool(false))));
        let kept = guard(Err(Error::unsupported("unknown")));
        assert_eq!(kept.err().map(|e| e.kind()), Some(ErrorKind::Unsupported));
        assert!(matches!(guard(Ok(Value::Int(3))), Ok(Value::Int(3))));
    }
}
