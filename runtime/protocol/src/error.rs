//! Why a browser frame is not a valid message: a stable code and a message that teaches.

use crate::constants::{
    CLIENT_MESSAGE_TYPES, FRAME_TOO_LARGE, INVALID_FIELD, MALFORMED_FRAME, UNKNOWN_MESSAGE,
};
use crate::server::ServerMessage;

/// Why a browser frame is not a valid client message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The frame is longer than the server accepts.
    #[error(
        "the frame is {size} bytes, over the limit of {max}. Instead of sending that much in one \
         message, send less (only the fields that changed) or raise the server's frame limit"
    )]
    FrameTooLarge {
        /// The frame's length in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The frame is not JSON, or is JSON but not an object.
    #[error(
        "the frame {problem}. Instead, send a JSON object with a \"t\" field, such as \
         {{\"t\":\"ping\",\"ref\":1}}"
    )]
    MalformedFrame {
        /// What is wrong, as a sentence's end: "is not JSON (…)", "is an array, not an object".
        problem: String,
    },
    /// The frame's `"t"` names no message type.
    #[error(
        "unknown message type {type_name}. Instead of \"t\":{type_name}, send one of {}",
        quoted_list(&CLIENT_MESSAGE_TYPES)
    )]
    UnknownMessage {
        /// The type as received, in JSON, shortened if long.
        type_name: String,
        /// The frame's `"ref"`, if it had a usable one.
        ref_: Option<u64>,
    },
    /// A field is missing or has the wrong type.
    #[error("{}", invalid_field_message(*.message_type, .field, .expected, .example, .got.as_deref()))]
    InvalidField {
        /// The message type, or `None` when the problem is the type field itself.
        message_type: Option<&'static str>,
        /// The field's key.
        field: &'static str,
        /// What the field must be, in words.
        expected: &'static str,
        /// A valid value, in JSON.
        example: &'static str,
        /// What arrived, in JSON and shortened; `None` when the field is missing.
        got: Option<String>,
        /// The frame's `"ref"`, if it had a usable one.
        ref_: Option<u64>,
    },
}

impl ProtocolError {
    /// The stable error code sent to the client (one of [`crate::constants::ERROR_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            ProtocolError::FrameTooLarge { .. } => FRAME_TOO_LARGE,
            ProtocolError::MalformedFrame { .. } => MALFORMED_FRAME,
            ProtocolError::UnknownMessage { .. } => UNKNOWN_MESSAGE,
            ProtocolError::InvalidField { .. } => INVALID_FIELD,
        }
    }

    /// The failing frame's `"ref"`, when it had one, so the reply can answer that message.
    pub fn ref_(&self) -> Option<u64> {
        match self {
            ProtocolError::UnknownMessage { ref_, .. }
            | ProtocolError::InvalidField { ref_, .. } => *ref_,
            _ => None,
        }
    }

    /// The field at fault, for an `invalid_field` error.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ProtocolError::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The `error` message that tells the client about this error.
    pub fn to_server_message(&self) -> ServerMessage {
        ServerMessage::Error {
            ref_: self.ref_(),
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

fn invalid_field_message(
    message_type: Option<&str>,
    field: &str,
    expected: &str,
    example: &str,
    got: Option<&str>,
) -> String {
    let whose = match message_type {
        Some(t) => format!("{} \"{t}\" message", article(t)),
        None => "a message".to_owned(),
    };
    match got {
        None => format!(
            "{} needs \"{field}\": {expected}. Instead of leaving it out, send \"{field}\":{example}",
            capitalised(&whose)
        ),
        Some(got) => format!(
            "\"{field}\" in {whose} must be {expected}, got {got}. Instead of \"{field}\":{got}, \
             send \"{field}\":{example}"
        ),
    }
}

/// `"a", "b" or "c"`.
fn quoted_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_becomes_an_error_message_for_the_client() {
        let err = ProtocolError::UnknownMessage {
            type_name: "\"join\"".into(),
            ref_: Some(3),
        };
        assert_eq!(
            err.to_server_message().to_json(),
            r#"{"t":"error","ref":3,"code":"unknown_message","message":"unknown message type \"join\". Instead of \"t\":\"join\", send one of \"mount\", \"event\", \"ping\", \"params\" or \"navigate\""}"#
        );
    }

    #[test]
    fn a_missing_field_message_starts_with_a_capital() {
        let err = ProtocolError::InvalidField {
            message_type: Some("event"),
            field: "ref",
            expected: "a number",
            example: "7",
            got: None,
            ref_: None,
        };
        assert_eq!(
            err.to_string(),
            "An \"event\" message needs \"ref\": a number. Instead of leaving it out, send \"ref\":7"
        );
    }
}
