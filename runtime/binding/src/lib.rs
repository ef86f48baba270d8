//! `djust._core`: the Rust runtime (template engine, VDOM, wire protocol) as a Python module.
//!
//! Private to the `djust` package, which wraps it in the documented API; the stub
//! `python/djust/_core.pyi` describes it and is checked against it.

mod dates;
mod errors;
mod protocol;
mod serve;
mod template;
mod values;
mod vdom;

use pyo3::prelude::*;

/// mimalloc: rendering allocates many small strings, which it serves much faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// djust's Rust runtime: template engine, VDOM differ and wire protocol.
#[pymodule(name = "_core")]
mod core_module {
    #[pymodule_export]
    use crate::dates::DateLocale;
    #[pymodule_export]
    use crate::errors::{ProtocolError, TemplateError, VdomError};
    #[pymodule_export]
    use crate::protocol::{
        frame_error, frame_live_patch, frame_live_redirect, frame_mounted, frame_patch, frame_pong,
        frame_push_event, frame_redirect, parse_client_message,
    };
    #[pymodule_export]
    use crate::serve::Server;
    #[pymodule_export]
    use crate::template::{Host, Libraries, RenderOptions, Template};
    #[pymodule_export]
    use crate::vdom::{diff_html, LiveTree};
    #[pymodule_export]
    use djust_actors::session_link::{
        pubsub_configure, pubsub_publish, pubsub_push, pubsub_stats, SessionLink,
    };
}
