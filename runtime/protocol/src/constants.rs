//! Every name on the wire, defined once: keys, message types, error codes, patch kinds, and the
//! HTML attributes the server's pages and the browser client share.
//!
//! The JavaScript client defines the same names; tests/js/protocol.test.mjs checks its constants
//! against these.

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
/// Error code: a `mount` on a socket whose view is already mounted.
pub const ALREADY_MOUNTED: &str = "already_mounted";
/// Error code: a message other than `mount` before the socket's view is mounted.
pub const NOT_MOUNTED: &str = "not_mounted";
/// Error code: the view token is forged, expired or for another view; the page needs a new one.
pub const INVALID_TOKEN: &str = "invalid_token";
/// Error code: the view (or the targeted component) has no handler of the event's name.
pub const UNKNOWN_EVENT: &str = "unknown_event";
/// Error code: the event's params do not fit its handler's parameters.
pub const INVALID_PARAMS: &str = "invalid_params";
/// Error code: the event's `target` names no component of the view.
pub const UNKNOWN_TARGET: &str = "unknown_target";
/// Error code: the event's handler raised (its patch, if any, was sent first).
pub const HANDLER_ERROR: &str = "handler_error";
/// Error code: rendering the view's template failed.
pub const TEMPLATE_ERROR: &str = "template_error";
/// Error code: anything else went wrong on the server.
pub const SERVER_ERROR: &str = "server_error";
/// Error code: a `params` URL that the current view does not serve (`dj-navigate` goes there).
pub const INVALID_URL: &str = "invalid_url";
/// Error code: a message this transport does not take (a `mount` over the HTTP fallback).
pub const INVALID_TRANSPORT: &str = "invalid_transport";
/// Error code: the socket's `Origin` is not one the server accepts.
pub const FORBIDDEN_ORIGIN: &str = "forbidden_origin";
/// Every error code the server sends in an `error` message.
pub const ERROR_CODES: [&str; 16] = [
    FRAME_TOO_LARGE,
    MALFORMED_FRAME,
    UNKNOWN_MESSAGE,
    INVALID_FIELD,
    ALREADY_MOUNTED,
    NOT_MOUNTED,
    INVALID_TOKEN,
    UNKNOWN_EVENT,
    INVALID_PARAMS,
    UNKNOWN_TARGET,
    HANDLER_ERROR,
    TEMPLATE_ERROR,
    SERVER_ERROR,
    INVALID_URL,
    INVALID_TRANSPORT,
    FORBIDDEN_ORIGIN,
];
/// The error codes this crate's frame parser produces (see [`crate::ProtocolError`]).
pub const PARSER_ERROR_CODES: [&str; 4] = [
    FRAME_TOO_LARGE,
    MALFORMED_FRAME,
    UNKNOWN_MESSAGE,
    INVALID_FIELD,
];

/// Close code: the page's origin may not open a socket; reconnecting will not help.
pub const CLOSE_FORBIDDEN_ORIGIN: u16 = 4403;
/// Close code: the view failed repeatedly; the client reloads the page after a random 5–10 s.
pub const CLOSE_RELOAD: u16 = 4500;
/// Close code (WebSocket's own): the server is restarting; the client reconnects with jitter.
pub const CLOSE_RESTART: u16 = 1012;
/// Close code (WebSocket's own): the server is too busy now; the client reconnects later.
pub const CLOSE_TRY_AGAIN: u16 = 1013;

/// Every patch kind inside a `patch` message (see [`djust_vdom::Patch`]).
pub const PATCH_KINDS: &[&str] = &djust_vdom::Patch::KINDS;

/// Attribute: the element a view is bound to; its value is the view's signed token.
pub const DJ_VIEW: &str = "dj-view";
/// Attribute: the element whose children the server renders and patches (else the `dj-view`).
pub const DJ_ROOT: &str = "dj-root";
/// Attribute: set by the client on a `dj-view` element while its view is live.
pub const DJ_CONNECTED: &str = "dj-connected";
/// Attribute: the event sent when the element is clicked.
pub const DJ_CLICK: &str = "dj-click";
/// Attribute: the event sent on each `input` of a field (or a form's fields), with its value.
pub const DJ_INPUT: &str = "dj-input";
/// Attribute: the event sent on `change` of a field (or a form's fields), with its value.
pub const DJ_CHANGE: &str = "dj-change";
/// Attribute: the event sent when the form is submitted, with its fields.
pub const DJ_SUBMIT: &str = "dj-submit";
/// Attribute: the event sent on `keydown` in the element (filtered by `dj-key`).
pub const DJ_KEYDOWN: &str = "dj-keydown";
/// Attribute: the event sent on `keyup` in the element (filtered by `dj-key`).
pub const DJ_KEYUP: &str = "dj-keyup";
/// Attribute: the event sent on `keydown` anywhere in the window (filtered by `dj-key`).
pub const DJ_WINDOW_KEYDOWN: &str = "dj-window-keydown";
/// Attribute: the event sent on `keyup` anywhere in the window (filtered by `dj-key`).
pub const DJ_WINDOW_KEYUP: &str = "dj-window-keyup";
/// Attribute: the key a key event needs (`dj-key="Enter"`); on an element without key events, a
/// keyed child's identity, as `data-key`.
pub const DJ_KEY: &str = "dj-key";
/// Attribute: the event sent when the element gets focus.
pub const DJ_FOCUS: &str = "dj-focus";
/// Attribute: the event sent when the element loses focus.
pub const DJ_BLUR: &str = "dj-blur";
/// Attribute: the component (its id) the element's events go to, instead of the enclosing one.
pub const DJ_TARGET: &str = "dj-target";
/// Attribute: a link to another URL of the same view: the server runs `handle_params`.
pub const DJ_PATCH: &str = "dj-patch";
/// Attribute: a link to another view, mounted over the same socket.
pub const DJ_NAVIGATE: &str = "dj-navigate";
/// Attribute: on a `dj-patch` or `dj-navigate` link, replace the history entry, not add one.
pub const DJ_REPLACE: &str = "dj-replace";
/// Attribute: the name of the client hook (`window.djust.hooks.Name`) run for the element.
pub const DJ_HOOK: &str = "dj-hook";
/// Attribute: wait this many milliseconds of quiet (or for `blur`) before sending the event.
pub const DJ_DEBOUNCE: &str = "dj-debounce";
/// Attribute: send the event at most once per this many milliseconds.
pub const DJ_THROTTLE: &str = "dj-throttle";
/// Attribute: the events (space-separated) during which the element shows its loading state.
pub const DJ_LOADING: &str = "dj-loading";
/// Attribute: classes added to the element while loading.
pub const DJ_LOADING_CLASS: &str = "dj-loading.class";
/// Attribute: disable the element while loading.
pub const DJ_LOADING_DISABLE: &str = "dj-loading.disable";
/// Attribute: show the element while loading (with this `display`, else `block`).
pub const DJ_LOADING_SHOW: &str = "dj-loading.show";
/// Attribute: hide the element while loading.
pub const DJ_LOADING_HIDE: &str = "dj-loading.hide";
/// Attribute: a keyed child's identity among its siblings, kept (and moved) across renders.
pub const DATA_KEY: &str = "data-key";
/// Attribute: the component whose rendered root this is; events inside it go to it.
pub const DATA_COMPONENT_ID: &str = "data-component-id";
/// Every attribute the server's HTML and the client share.
pub const ATTRIBUTES: [&str; 28] = [
    DJ_VIEW,
    DJ_ROOT,
    DJ_CONNECTED,
    DJ_CLICK,
    DJ_INPUT,
    DJ_CHANGE,
    DJ_SUBMIT,
    DJ_KEYDOWN,
    DJ_KEYUP,
    DJ_WINDOW_KEYDOWN,
    DJ_WINDOW_KEYUP,
    DJ_KEY,
    DJ_FOCUS,
    DJ_BLUR,
    DJ_TARGET,
    DJ_PATCH,
    DJ_NAVIGATE,
    DJ_REPLACE,
    DJ_HOOK,
    DJ_DEBOUNCE,
    DJ_THROTTLE,
    DJ_LOADING,
    DJ_LOADING_CLASS,
    DJ_LOADING_DISABLE,
    DJ_LOADING_SHOW,
    DJ_LOADING_HIDE,
    DATA_KEY,
    DATA_COMPONENT_ID,
];
/// The attributes of key events: on an element with one, `dj-key` filters keys and is no identity.
pub const KEY_EVENT_ATTRIBUTES: [&str; 4] =
    [DJ_KEYDOWN, DJ_KEYUP, DJ_WINDOW_KEYDOWN, DJ_WINDOW_KEYUP];
/// The prefix of an event's extra params: `dj-value-item-id="7"` sends `"item_id": "7"`.
pub const DJ_VALUE_PREFIX: &str = "dj-value-";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_each_group() {
        for group in [
            &CLIENT_MESSAGE_TYPES[..],
            &SERVER_MESSAGE_TYPES,
            &ERROR_CODES,
            &PARSER_ERROR_CODES,
            PATCH_KINDS,
            &ATTRIBUTES,
            &KEY_EVENT_ATTRIBUTES,
        ] {
            let mut names = group.to_vec();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), group.len(), "{group:?}");
        }
    }

    #[test]
    fn subgroups_are_in_their_group() {
        for code in PARSER_ERROR_CODES {
            assert!(ERROR_CODES.contains(&code), "{code}");
        }
        for attribute in KEY_EVENT_ATTRIBUTES {
            assert!(ATTRIBUTES.contains(&attribute), "{attribute}");
        }
    }

    #[test]
    fn attributes_are_lowercase_and_dj_or_data() {
        for name in ATTRIBUTES.iter().chain([&DJ_VALUE_PREFIX]) {
            assert_eq!(name.to_ascii_lowercase(), *name);
            assert!(
                name.starts_with("dj-") || name.starts_with("data-"),
                "{name}"
            );
        }
    }
}
