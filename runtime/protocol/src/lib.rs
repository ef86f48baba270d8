//! djust's wire protocol: the JSON text frames between the browser and a view's session.
//!
//! The browser sends [`ClientMessage`]s (`mount`, `event`, `ping`, `params`, `navigate`), each
//! checked by [`parse_client_message`]; the server answers with [`ServerMessage`]s (`mounted`,
//! `patch`, `error`, `pong`, and the view's commands `push_event`, `live_patch`,
//! `live_redirect`, `redirect`). A frame that is not a valid message gives a [`ProtocolError`] with a
//! stable code and a message saying what to send instead. Every name on the wire is in
//! [`constants`].

mod client;
pub mod constants;
mod error;
mod fields;
mod server;

pub use client::{parse_client_message, ClientMessage};
pub use error::ProtocolError;
pub use server::{Patches, ServerMessage};
