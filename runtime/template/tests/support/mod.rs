//! Shared by the integration tests: a JSON reader for contexts, host objects, a host.

pub mod json;
pub mod objects;
