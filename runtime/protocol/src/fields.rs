//! Typed fields taken out of a message's JSON object; each failure names the field.

use serde_json::{Map, Value};

use crate::constants::{REF_KEY, TYPE_KEY};
use crate::error::ProtocolError;

/// A field a message may carry: its key, and how to explain it when it is wrong.
pub(crate) struct Field {
    pub(crate) key: &'static str,
    /// What the field must be, in words.
    pub(crate) expected: &'static str,
    /// A valid value, in JSON.
    pub(crate) example: &'static str,
}

/// The message type field.
const TYPE: Field = Field {
    key: TYPE_KEY,
    expected: "a string naming the message type",
    example: "\"event\"",
};

/// The longest piece of a received value quoted back in an error message.
const PREVIEW_CHARS: usize = 40;

/// A message's fields, taken one at a time. Fields nobody asks for are ignored, so that a
/// newer client's extra fields do not break an older server.
pub(crate) struct Fields {
    object: Map<String, Value>,
    message_type: Option<&'static str>,
    ref_: Option<u64>,
}

impl Fields {
    pub(crate) fn new(object: Map<String, Value>) -> Self {
        // Read early and leniently, so that any error about this frame can answer its ref.
        let ref_ = object.get(REF_KEY).and_then(Value::as_u64);
        Fields {
            object,
            message_type: None,
            ref_,
        }
    }

    /// The message type: the value paired with its name in `types`.
    pub(crate) fn message_type<T: Copy>(
        &mut self,
        types: &[(&'static str, T)],
    ) -> Result<T, ProtocolError> {
        let value = self.object.remove(TYPE.key);
        let Some(Value::String(name)) = &value else {
            return Err(self.invalid(&TYPE, value.as_ref()));
        };
        let Some(&(type_name, message_type)) = types.iter().find(|(t, _)| t == name) else {
            return Err(ProtocolError::UnknownMessage {
                type_name: preview(value.as_ref().unwrap_or(&Value::Null)),
                ref_: self.ref_,
            });
        };
        self.message_type = Some(type_name);
        Ok(message_type)
    }

    /// A required, non-empty string.
    pub(crate) fn string(&mut self, field: &Field) -> Result<String, ProtocolError> {
        match self.object.remove(field.key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            other => Err(self.invalid(field, other.as_ref())),
        }
    }

    /// A required path on this site: starts with one `/`, so it cannot name another origin
    /// (`//host/`, `/\\host/`, schemes and control characters are refused).
    pub(crate) fn local_path(&mut self, field: &Field) -> Result<String, ProtocolError> {
        match self.object.remove(field.key) {
            Some(Value::String(s)) if is_local_path(&s) => Ok(s),
            other => Err(self.invalid(field, other.as_ref())),
        }
    }

    /// A required non-negative integer.
    pub(crate) fn integer(&mut self, field: &Field) -> Result<u64, ProtocolError> {
        let value = self.object.remove(field.key);
        value
            .as_ref()
            .and_then(Value::as_u64)
            .ok_or_else(|| self.invalid(field, value.as_ref()))
    }

    /// An optional string; `null` counts as absent.
    pub(crate) fn optional_string(
        &mut self,
        field: &Field,
    ) -> Result<Option<String>, ProtocolError> {
        match self.optional(field.key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.invalid(field, Some(&other))),
        }
    }

    /// An optional boolean; `null` counts as absent.
    pub(crate) fn optional_bool(&mut self, field: &Field) -> Result<Option<bool>, ProtocolError> {
        match self.optional(field.key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.invalid(field, Some(&other))),
        }
    }

    /// An optional JSON object; `null` counts as absent.
    pub(crate) fn optional_object(
        &mut self,
        field: &Field,
    ) -> Result<Option<Map<String, Value>>, ProtocolError> {
        match self.optional(field.key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(other) => Err(self.invalid(field, Some(&other))),
        }
    }

    fn optional(&mut self, key: &str) -> Option<Value> {
        self.object.remove(key).filter(|v| !v.is_null())
    }

    fn invalid(&self, field: &Field, got: Option<&Value>) -> ProtocolError {
        ProtocolError::InvalidField {
            message_type: self.message_type,
            field: field.key,
            expected: field.expected,
            example: field.example,
            got: got.map(preview),
            ref_: self.ref_,
        }
    }
}

fn is_local_path(url: &str) -> bool {
    let mut chars = url.chars();
    // Browsers drop tabs and newlines from URLs, so "/\t/host" would become "//host".
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !url.chars().any(char::is_control)
}

/// A value as JSON, cut short: enough to recognise it in an error message.
fn preview(value: &Value) -> String {
    let json = value.to_string();
    match json.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => format!("{}…", &json[..cut]),
        None => json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_short_in_previews() {
        let long = Value::String("é".repeat(100));
        let shown = preview(&long);
        assert_eq!(shown.chars().count(), PREVIEW_CHARS + 1);
        assert!(shown.starts_with("\"éé") && shown.ends_with('…'));
        assert_eq!(preview(&Value::from(7)), "7");
    }
}
