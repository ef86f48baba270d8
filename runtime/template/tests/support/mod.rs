//! Shared by the integration tests: a JSON reader for contexts, host objects, a host.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

pub mod json;
pub mod objects;
