//! Every name on the wire, defined once: keys, message types, error codes and patch kinds.
//!
//! The JavaScript client defines the same names; a test checks its constants against these.

/// The key naming a message's type.
pub const TYPE_KEY: &str = "t";
/// The key pairing a reply with the message it answers.
pub const REF_KEY: &str = "ref";

/// Client → server: join a view with its signed token.
pub const MOUNT: &str = "mount";
/// Client → server: a user event for a handler.
pub const EVENT: &str = "event";
/// Client → server: a keep-alive.
pub const PING: &str = "ping";
/// Client → server: the URL changed within the view (`dj-patch`, back/forward): run `handle_params`.
pub const PARAMS: &str = "params";
/// Client → server: go to another URL over the same socket (`dj-navigate`, `live_redirect`).
pub const NAVIGATE: &str = "navigate";
/// Every client → server message type.
pub const CLIENT_MESSAGE_TYPES: [&str; 5] = [MOUNT, EVENT, PING, PARAMS, NAVIGATE];

/// Server → client: the view is joined, with the root's HTML when the client must rebuild it.
pub const MOUNTED: &str = "mounted";
/// Server → client: DOM patches for the root.
pub const PATCH: &str = "patch";
/// Server → client: a message could not be handled; the session goes on.
pub const ERROR: &str = "error";
/// Server → client: the answer to a ping.
pub const PONG: &str = "pong";
/// Server → client: an event the view pushed to the page's hooks.
pub const PUSH_EVENT: &str = "push_event";
/// Server → client: the view changed its URL (it already ran `handle_params`); update history.
pub const LIVE_PATCH: &str = "live_patch";
/// Server → client: go to another LiveView over the same socket.
pub const LIVE_REDIRECT: &str = "live_redirect";
/// Server → client: load another page in full.
pub const REDIRECT: &str = "redirect";
/// Every server → client message type.
pub const SERVER_MESSAGE_TYPES: [&str; 8] = [
    MOUNTED,
    PATCH,
    ERROR,
    PONG,
    PUSH_EVENT,
    LIVE_PATCH,
    LIVE_REDIRECT,
    REDIRECT,
];

/// Error code: the frame is longer than the server accepts.
pub const FRAME_TOO_LARGE: &str = "frame_too_large";
/// Error code: the frame is not JSON, or not a JSON object.
pub const MALFORMED_FRAME: &str = "malformed_frame";
/// Error code: the frame's `"t"` names no message type.
pub const UNKNOWN_MESSAGE: &str = "unknown_message";
/// Error code: a field is missing or has the wrong type.
pub const INVALID_FIELD: &str = "invalid_field";
/// Every error code this crate produces.
pub const ERROR_CODES: [&str; 4] = [
    FRAME_TOO_LARGE,
    MALFORMED_FRAME,
    UNKNOWN_MESSAGE,
    INVALID_FIELD,
];

/// Every patch kind inside a `patch` message (see [`djust_vdom::Patch`]).
pub const PATCH_KINDS: &[&str] = &djust_vdom::Patch::KINDS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_each_group() {
        for group in [
            &CLIENT_MESSAGE_TYPES[..],
            &SERVER_MESSAGE_TYPES,
            &ERROR_CODES,
            PATCH_KINDS,
        ] {
            let mut names = group.to_vec();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), group.len(), "{group:?}");
        }
    }
}
