//! Client → server messages, and the parser that checks every frame the browser sends.

use serde_json::{Map, Value};

use crate::constants::{EVENT, MOUNT, NAVIGATE, PARAMS, PING, REF_KEY};
use crate::error::ProtocolError;
use crate::fields::{Field, Fields};

/// A message from the browser.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientMessage {
    /// `{"t":"mount","token":…,"url":…,"reconnect":…}`: join the view the token names.
    Mount {
        /// The signed view token from the rendered page.
        token: String,
        /// The page's path and query (`/counter/?a=1`), when sent.
        url: Option<String>,
        /// Whether the browser is rejoining after a lost connection (`false` when not sent).
        reconnect: bool,
    },
    /// `{"t":"event","ref":…,"name":…,"params":{…},"target":…}`: run an event handler.
    Event {
        /// The wire's `"ref"`: pairs the reply (`patch` or `error`) with this event.
        ref_: u64,
        /// The event handler's name.
        name: String,
        /// The handler's parameters, as sent (empty when not sent).
        params: Map<String, Value>,
        /// The component the event is for, or `None` for the view itself.
        target: Option<String>,
    },
    /// `{"t":"ping","ref":…}`: a keep-alive, answered with `pong`.
    Ping {
        /// The wire's `"ref"`: pairs the `pong` with this ping.
        ref_: u64,
    },
    /// `{"t":"params","ref":…,"url":…}`: the page's URL changed within the view; answered with
    /// a `patch` after the view's `handle_params`.
    Params {
        /// The wire's `"ref"`: pairs the `patch` (or `error`) with this message.
        ref_: u64,
        /// The new path and query, a path on this site (`/items/?page=2`).
        url: String,
    },
    /// `{"t":"navigate","ref":…,"url":…}`: mount the LiveView at `url` in place of this one;
    /// answered with `mounted`, or `redirect` when no LiveView serves that URL.
    Navigate {
        /// The wire's `"ref"`: pairs the reply with this message.
        ref_: u64,
        /// The path and query to go to, a path on this site (`/items/7/`).
        url: String,
    },
}

impl ClientMessage {
    /// The message's `"ref"`, for the messages that carry one.
    pub fn ref_(&self) -> Option<u64> {
        match self {
            ClientMessage::Mount { .. } => None,
            ClientMessage::Event { ref_, .. }
            | ClientMessage::Ping { ref_ }
            | ClientMessage::Params { ref_, .. }
            | ClientMessage::Navigate { ref_, .. } => Some(*ref_),
        }
    }
}

/// The client message types, for matching on.
#[derive(Clone, Copy)]
enum Type {
    Mount,
    Event,
    Ping,
    Params,
    Navigate,
}

const TOKEN: Field = Field {
    key: "token",
    expected: "a non-empty string: the signed view token from the page",
    example: "\"<token from the page>\"",
};
const URL: Field = Field {
    key: "url",
    expected: "a string: the page's path and query",
    example: "\"/counter/?a=1\"",
};
const PATH: Field = Field {
    key: "url",
    expected: "a path on this site, starting with a single \"/\"",
    example: "\"/items/?page=2\"",
};
const RECONNECT: Field = Field {
    key: "reconnect",
    expected: "true or false",
    example: "true",
};
const REF: Field = Field {
    key: REF_KEY,
    expected: "a non-negative integer that pairs the reply with the message",
    example: "7",
};
const NAME: Field = Field {
    key: "name",
    expected: "a non-empty string: the event handler's name",
    example: "\"increment\"",
};
const EVENT_PARAMS: Field = Field {
    key: "params",
    expected: "a JSON object of the handler's parameters",
    example: "{\"value\":\"1\"}",
};
const TARGET: Field = Field {
    key: "target",
    expected: "a string naming the component, or null for the view",
    example: "\"component_id\"",
};

/// Parses and checks one text frame from the browser.
///
/// Frames longer than `max_bytes` are refused before parsing. Unknown fields are ignored (a
/// newer client may send more); `null` stands for an absent optional field.
pub fn parse_client_message(text: &str, max_bytes: usize) -> Result<ClientMessage, ProtocolError> {
    if text.len() > max_bytes {
        return Err(ProtocolError::FrameTooLarge {
            size: text.len(),
            max: max_bytes,
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| ProtocolError::MalformedFrame {
        problem: format!("is not JSON ({e})"),
    })?;
    let object = match value {
        Value::Object(object) => object,
        other => {
            return Err(ProtocolError::MalformedFrame {
                problem: format!("is {}, not an object", json_kind(&other)),
            })
        }
    };
    let mut fields = Fields::new(object);
    let types = [
        (MOUNT, Type::Mount),
        (EVENT, Type::Event),
        (PING, Type::Ping),
        (PARAMS, Type::Params),
        (NAVIGATE, Type::Navigate),
    ];
    let message = match fields.message_type(&types)? {
        Type::Mount => ClientMessage::Mount {
            token: fields.string(&TOKEN)?,
            url: fields.optional_string(&URL)?,
            reconnect: fields.optional_bool(&RECONNECT)?.unwrap_or(false),
        },
        Type::Event => ClientMessage::Event {
            ref_: fields.integer(&REF)?,
            name: fields.string(&NAME)?,
            params: fields.optional_object(&EVENT_PARAMS)?.unwrap_or_default(),
            target: fields.optional_string(&TARGET)?,
        },
        Type::Ping => ClientMessage::Ping {
            ref_: fields.integer(&REF)?,
        },
        Type::Params => ClientMessage::Params {
            ref_: fields.integer(&REF)?,
            url: fields.local_path(&PATH)?,
        },
        Type::Navigate => ClientMessage::Navigate {
            ref_: fields.integer(&REF)?,
            url: fields.local_path(&PATH)?,
        },
    };
    Ok(message)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMIT: usize = 64 * 1024;

    fn parse(text: &str) -> Result<ClientMessage, ProtocolError> {
        parse_client_message(text, LIMIT)
    }

    /// Asserts the error's code, the field it blames, and that its message names that field.
    fn assert_invalid(text: &str, field: &str, says: &str) -> ProtocolError {
        let err = parse(text).unwrap_err();
        assert_eq!(err.code(), "invalid_field", "{text}: {err}");
        assert_eq!(err.field(), Some(field), "{text}: {err}");
        let message = err.to_string();
        assert!(message.contains(&format!("\"{field}\"")), "{message}");
        assert!(message.contains(says), "{text}: {message}");
        err
    }

    #[test]
    fn a_mount_with_every_field_parses() {
        let text = r#"{"t":"mount","token":"abc","url":"/counter/?a=1","reconnect":true}"#;
        assert_eq!(
            parse(text).unwrap(),
            ClientMessage::Mount {
                token: "abc".into(),
                url: Some("/counter/?a=1".into()),
                reconnect: true,
            }
        );
    }

    #[test]
    fn a_mount_without_optional_fields_or_with_nulls_parses() {
        let expected = ClientMessage::Mount {
            token: "abc".into(),
            url: None,
            reconnect: false,
        };
        assert_eq!(parse(r#"{"t":"mount","token":"abc"}"#).unwrap(), expected);
        let nulls = r#"{"t":"mount","token":"abc","url":null,"reconnect":null}"#;
        assert_eq!(parse(nulls).unwrap(), expected);
    }

    #[test]
    fn an_event_parses_with_its_params_kept_as_sent() {
        let text = r#"{"t":"event","ref":7,"name":"increment","params":{"by":2,"tags":["a"],"x":{"y":null}},"target":"c1"}"#;
        let ClientMessage::Event {
            ref_,
            name,
            params,
            target,
        } = parse(text).unwrap()
        else {
            panic!("not an event");
        };
        assert_eq!(
            (ref_, name.as_str(), target.as_deref()),
            (7, "increment", Some("c1"))
        );
        assert_eq!(
            serde_json::Value::Object(params),
            json!({"by": 2, "tags": ["a"], "x": {"y": null}})
        );
    }

    #[test]
    fn an_event_without_params_or_target_parses() {
        let message = parse(r#"{"t":"event","ref":0,"name":"go","target":null}"#).unwrap();
        assert_eq!(
            message,
            ClientMessage::Event {
                ref_: 0,
                name: "go".into(),
                params: Map::new(),
                target: None,
            }
        );
        assert_eq!(message.ref_(), Some(0));
    }

    #[test]
    fn a_ping_parses_and_unknown_fields_are_ignored() {
        let message = parse(r#"{"t":"ping","ref":8,"sent_at":123,"extra":[1]}"#).unwrap();
        assert_eq!(message, ClientMessage::Ping { ref_: 8 });
        assert_eq!(message.ref_(), Some(8));
        assert_eq!(parse(r#"{"t":"mount","token":"k"}"#).unwrap().ref_(), None);
    }

    #[test]
    fn a_frame_over_the_limit_is_refused_before_parsing() {
        let big = format!(r#"{{"t":"ping","ref":1,"pad":"{}"}}"#, "x".repeat(LIMIT));
        let err = parse(&big).unwrap_err();
        assert_eq!(err.code(), "frame_too_large");
        assert!(
            err.to_string()
                .contains(&format!("over the limit of {LIMIT}")),
            "{err}"
        );
        let exact = r#"{"t":"ping","ref":1}"#;
        assert!(parse_client_message(exact, exact.len()).is_ok());
        let err = parse_client_message(exact, exact.len() - 1).unwrap_err();
        assert_eq!(err.code(), "frame_too_large");
    }

    #[test]
    fn a_frame_that_is_not_json_is_malformed() {
        for text in ["", "ping", "{\"t\":", "{'t':'ping'}", "{\"t\":\"ping\"} x"] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.code(), "malformed_frame", "{text:?}");
            assert!(
                err.to_string().starts_with("the frame is not JSON ("),
                "{err}"
            );
            assert!(
                err.to_string().contains("Instead, send a JSON object"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_frame_that_is_json_but_not_an_object_is_malformed() {
        for (text, kind) in [
            (r#"["ping",1]"#, "an array"),
            ("\"ping\"", "a string"),
            ("7", "a number"),
            ("null", "null"),
            ("true", "a boolean"),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.code(), "malformed_frame");
            assert!(
                err.to_string()
                    .contains(&format!("is {kind}, not an object")),
                "{err}"
            );
        }
    }

    #[test]
    fn deeply_nested_json_is_malformed_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            parse_client_message(&deep, usize::MAX).unwrap_err().code(),
            "malformed_frame"
        );
    }

    #[test]
    fn an_unknown_type_is_named_and_the_known_ones_listed() {
        let err = parse(r#"{"t":"join","ref":3}"#).unwrap_err();
        assert_eq!(err.code(), "unknown_message");
        assert_eq!(err.ref_(), Some(3));
        assert_eq!(
            err.to_string(),
            r#"unknown message type "join". Instead of "t":"join", send one of "mount", "event", "ping", "params" or "navigate""#
        );
    }

    #[test]
    fn a_missing_or_non_string_type_is_an_invalid_t_field() {
        assert_invalid(r#"{"ref":1}"#, "t", "A message needs \"t\"");
        assert_invalid(
            r#"{"t":1}"#,
            "t",
            "got 1. Instead of \"t\":1, send \"t\":\"event\"",
        );
        assert_invalid(r#"{"t":null}"#, "t", "got null");
    }

    #[test]
    fn a_mount_without_a_token_says_what_to_send() {
        let err = assert_invalid(
            r#"{"t":"mount","url":"/"}"#,
            "token",
            "A \"mount\" message needs \"token\": a non-empty string: the signed view token",
        );
        assert!(err
            .to_string()
            .contains("Instead of leaving it out, send \"token\":"));
        assert_eq!(err.ref_(), None);
        assert_invalid(r#"{"t":"mount","token":""}"#, "token", "got \"\"");
        assert_invalid(r#"{"t":"mount","token":42}"#, "token", "got 42");
    }

    #[test]
    fn a_ref_sent_as_a_string_says_to_send_a_number() {
        assert_invalid(
            r#"{"t":"event","ref":"7","name":"go"}"#,
            "ref",
            r#""ref" in an "event" message must be a non-negative integer that pairs the reply with the message, got "7". Instead of "ref":"7", send "ref":7"#,
        );
        assert_invalid(r#"{"t":"ping","ref":-1}"#, "ref", "in a \"ping\" message");
        assert_invalid(r#"{"t":"ping","ref":1.5}"#, "ref", "got 1.5");
        assert_invalid(r#"{"t":"ping"}"#, "ref", "A \"ping\" message needs \"ref\"");
    }

    #[test]
    fn params_that_are_not_an_object_are_refused_with_the_event_ref() {
        let err = assert_invalid(
            r#"{"t":"event","ref":7,"name":"go","params":[1,2]}"#,
            "params",
            "must be a JSON object of the handler's parameters, got [1,2]",
        );
        assert_eq!(err.ref_(), Some(7));
        assert_eq!(
            err.to_server_message().to_json(),
            format!(
                r#"{{"t":"error","ref":7,"code":"invalid_field","message":{}}}"#,
                json!(err.to_string())
            )
        );
        assert_invalid(
            r#"{"t":"event","ref":7,"name":"go","params":"a=1"}"#,
            "params",
            "got \"a=1\"",
        );
    }

    #[test]
    fn other_event_and_mount_fields_are_checked() {
        assert_invalid(r#"{"t":"event","ref":1}"#, "name", "needs \"name\"");
        assert_invalid(r#"{"t":"event","ref":1,"name":""}"#, "name", "non-empty");
        assert_invalid(
            r#"{"t":"event","ref":1,"name":"go","target":5}"#,
            "target",
            "got 5",
        );
        assert_invalid(r#"{"t":"mount","token":"k","url":5}"#, "url", "got 5");
        assert_invalid(
            r#"{"t":"mount","token":"k","reconnect":"yes"}"#,
            "reconnect",
            "must be true or false, got \"yes\"",
        );
    }

    #[test]
    fn params_and_navigate_carry_a_ref_and_a_local_path() {
        assert_eq!(
            parse(r#"{"t":"params","ref":4,"url":"/items/?page=2"}"#).unwrap(),
            ClientMessage::Params {
                ref_: 4,
                url: "/items/?page=2".into()
            }
        );
        let navigate = parse(r#"{"t":"navigate","ref":5,"url":"/items/7/"}"#).unwrap();
        assert_eq!(
            navigate,
            ClientMessage::Navigate {
                ref_: 5,
                url: "/items/7/".into()
            }
        );
        assert_eq!(navigate.ref_(), Some(5));
    }

    #[test]
    fn a_url_that_leaves_the_site_is_refused() {
        for url in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\\\evil.example/x",
            "items/",
            "",
            "javascript:alert(1)",
            "/\t/evil.example/",
        ] {
            let text = json!({"t": "navigate", "ref": 1, "url": url}).to_string();
            let err = assert_invalid(&text, "url", "a path on this site");
            assert_eq!(err.ref_(), Some(1));
        }
        assert_invalid(r#"{"t":"params","ref":1}"#, "url", "needs \"url\"");
        assert_invalid(r#"{"t":"params","ref":1,"url":7}"#, "url", "got 7");
        assert_invalid(r#"{"t":"params","url":"/"}"#, "ref", "needs \"ref\"");
    }

    #[test]
    fn a_long_bad_value_is_quoted_only_in_part() {
        let long = "x".repeat(10_000);
        let text = format!(r#"{{"t":"mount","token":"k","url":{{"a":"{long}"}}}}"#);
        let err = parse(&text).unwrap_err();
        assert!(err.to_string().len() < 400, "{err}");
        let text = format!(r#"{{"t":"{long}"}}"#);
        assert!(parse(&text).unwrap_err().to_string().len() < 400);
    }
}
