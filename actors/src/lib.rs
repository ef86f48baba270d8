//! djust's own connection runtime (host B of `DESIGN.md`), served by `djust serve`.
//!
//! One [`SessionActor`](session_actor::SessionActor) per connected LiveView, owning its socket
//! and its Python `LiveSession`; HTTP requests answered by the project's WSGI application; static
//! files served by Rust. Python runs only on the [`PythonPool`](python_pool::PythonPool)'s
//! threads, never on an actix thread.
//!
//! The pieces, one module each: [`server`] (start, stop, routing), [`wsgi`] (a request through
//! Django), [`websocket`] (the upgrade and the socket's reader and writer), [`session_actor`]
//! (one connected view), [`session_link`] (its handle for Python: subscriptions, timers, task
//! results), [`broker`] (pub/sub topics) and [`redis_link`] (pub/sub across processes),
//! [`registry`] (the live sessions), [`python_pool`], [`static_files`].

pub mod broker;
mod frame_guard;
pub mod python_pool;
pub mod redis_link;
pub mod registry;
pub mod server;
pub mod session_actor;
pub mod session_link;
pub mod static_files;
pub mod websocket;
pub mod wsgi;
