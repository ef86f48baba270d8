//! Server → client messages, written as JSON text frames.

use djust_vdom::Patch;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The patch list of a patch frame: built here, or already encoded as JSON by the differ.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Patches {
    /// Patches to encode.
    List(Vec<Patch>),
    /// A JSON patch list, written into the frame as it is (no second parse).
    Encoded(Box<RawValue>),
}

impl PartialEq for Patches {
    fn eq(&self, other: &Patches) -> bool {
        match (self, other) {
            (Patches::List(a), Patches::List(b)) => a == b,
            (Patches::Encoded(a), Patches::Encoded(b)) => a.get() == b.get(),
            _ => false,
        }
    }
}

impl Eq for Patches {}

impl From<Vec<Patch>> for Patches {
    fn from(patches: Vec<Patch>) -> Patches {
        Patches::List(patches)
    }
}

impl Patches {
    /// A patch list already encoded as JSON; fails if `json` is not well-formed JSON.
    pub fn encoded(json: String) -> Result<Patches, serde_json::Error> {
        RawValue::from_string(json).map(Patches::Encoded)
    }
}

/// A message to the browser.
///
/// ```
/// use djust_protocol::ServerMessage;
/// use djust_vdom::Patch;
///
/// let reply = ServerMessage::Patch {
///     ref_: Some(7),
///     patches: vec![Patch::SetText { path: vec![0, 0], text: "1".into() }].into(),
/// };
/// assert_eq!(reply.to_json(), r#"{"t":"patch","ref":7,"patches":[["text",[0,0],"1"]]}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerMessage {
    /// `{"t":"mounted","html":…,"title":…,"token":…}`: the view is joined.
    Mounted {
        /// The root's inner HTML, sent only when the client must rebuild the root's children.
        #[serde(skip_serializing_if = "Option::is_none")]
        html: Option<String>,
        /// The page title, sent when it changed (after a navigation).
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// The view token to reconnect with, sent when it changed (after a navigation).
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    /// `{"t":"patch","ref":…,"patches":[…]}`: patches for the root, in order.
    Patch {
        /// The event this answers; `None` (`null`) for an update the server started.
        #[serde(rename = "ref")]
        ref_: Option<u64>,
        /// The patches, written straight into the frame (see [`Patch`] for their format).
        patches: Patches,
    },
    /// `{"t":"error","ref":…,"code":…,"message":…}`: a message failed; the session goes on.
    Error {
        /// The message this answers; `None` (`null`) when it had no usable ref.
        #[serde(rename = "ref")]
        ref_: Option<u64>,
        /// A stable code, such as `invalid_field` or `unknown_event`.
        code: String,
        /// What went wrong and what to do instead, for the developer.
        message: String,
    },
    /// `{"t":"pong","ref":…}`: the answer to a ping.
    Pong {
        /// The ping this answers.
        #[serde(rename = "ref")]
        ref_: u64,
    },
    /// `{"t":"push_event","event":…,"payload":{…}}`: an event for the page's hooks.
    PushEvent {
        /// The event's name; hooks listen for it with `handleEvent(name, fn)`.
        event: String,
        /// The event's data.
        payload: Map<String, Value>,
    },
    /// `{"t":"live_patch","to":…,"replace":…}`: the view moved to `to` within itself (it has
    /// already run `handle_params` and sent the patches): the client only updates history.
    LivePatch {
        /// The new path and query.
        to: String,
        /// Replace the current history entry instead of pushing one.
        replace: bool,
    },
    /// `{"t":"live_redirect","to":…,"replace":…}`: go to another LiveView over the socket.
    LiveRedirect {
        /// The path and query to go to; the client answers with a `navigate` message.
        to: String,
        /// Replace the current history entry instead of pushing one.
        replace: bool,
    },
    /// `{"t":"redirect","to":…}`: load `to` as a new page.
    Redirect {
        /// Where to go: a path or a full URL.
        to: String,
    },
}

impl ServerMessage {
    /// The message as one JSON text frame.
    pub fn to_json(&self) -> String {
        // serde_json fails only on maps with non-string keys or a Serialize impl that errors;
        // these types have neither.
        serde_json::to_string(self).expect("server messages always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::SERVER_MESSAGE_TYPES;

    fn every_kind() -> Vec<ServerMessage> {
        vec![
            ServerMessage::Mounted {
                html: Some("<p>0</p>".into()),
                title: None,
                token: None,
            },
            ServerMessage::Patch {
                ref_: Some(7),
                patches: vec![Patch::RemoveAttr {
                    path: vec![1],
                    name: "hidden".into(),
                }]
                .into(),
            },
            ServerMessage::Error {
                ref_: Some(7),
                code: "unknown_event".into(),
                message: "no handler \"x\"".into(),
            },
            ServerMessage::Pong { ref_: 8 },
            ServerMessage::PushEvent {
                event: "highlight".into(),
                payload: serde_json::json!({"id": 3}).as_object().unwrap().clone(),
            },
            ServerMessage::LivePatch {
                to: "/items/?page=2".into(),
                replace: false,
            },
            ServerMessage::LiveRedirect {
                to: "/items/7/".into(),
                replace: true,
            },
            ServerMessage::Redirect {
                to: "/login/".into(),
            },
        ]
    }

    #[test]
    fn messages_are_written_as_the_protocol_says() {
        let frames: Vec<String> = every_kind().iter().map(ServerMessage::to_json).collect();
        assert_eq!(
            frames,
            [
                r#"{"t":"mounted","html":"<p>0</p>"}"#,
                r#"{"t":"patch","ref":7,"patches":[["rmattr",[1],"hidden"]]}"#,
                r#"{"t":"error","ref":7,"code":"unknown_event","message":"no handler \"x\""}"#,
                r#"{"t":"pong","ref":8}"#,
                r#"{"t":"push_event","event":"highlight","payload":{"id":3}}"#,
                r#"{"t":"live_patch","to":"/items/?page=2","replace":false}"#,
                r#"{"t":"live_redirect","to":"/items/7/","replace":true}"#,
                r#"{"t":"redirect","to":"/login/"}"#,
            ]
        );
    }

    #[test]
    fn absent_html_is_left_out_and_absent_refs_are_null() {
        let bare = ServerMessage::Mounted {
            html: None,
            title: None,
            token: None,
        };
        assert_eq!(bare.to_json(), r#"{"t":"mounted"}"#);
        let navigated = ServerMessage::Mounted {
            html: Some("<p>7</p>".into()),
            title: Some("Item 7".into()),
            token: Some("tok".into()),
        };
        assert_eq!(
            navigated.to_json(),
            r#"{"t":"mounted","html":"<p>7</p>","title":"Item 7","token":"tok"}"#
        );
        let update = ServerMessage::Patch {
            ref_: None,
            patches: Vec::new().into(),
        };
        assert_eq!(update.to_json(), r#"{"t":"patch","ref":null,"patches":[]}"#);
        let encoded = ServerMessage::Patch {
            ref_: Some(3),
            patches: Patches::encoded(r#"[["text",[0],"a"]]"#.into()).unwrap(),
        };
        assert_eq!(
            encoded.to_json(),
            r#"{"t":"patch","ref":3,"patches":[["text",[0],"a"]]}"#
        );
        assert!(Patches::encoded("[[\"text\",".into()).is_err());
        let error = ServerMessage::Error {
            ref_: None,
            code: "malformed_frame".into(),
            message: "m".into(),
        };
        assert_eq!(
            error.to_json(),
            r#"{"t":"error","ref":null,"code":"malformed_frame","message":"m"}"#
        );
    }

    #[test]
    fn type_names_match_the_constants() {
        assert_eq!(every_kind().len(), SERVER_MESSAGE_TYPES.len());
        for (message, name) in every_kind().iter().zip(SERVER_MESSAGE_TYPES) {
            let json: serde_json::Value = serde_json::from_str(&message.to_json()).unwrap();
            assert_eq!(json["t"], name);
        }
    }
}
