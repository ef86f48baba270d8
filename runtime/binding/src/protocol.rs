//! Wire frames: browser frames parsed and checked in Rust, server frames encoded in Rust.

use djust_protocol::{ClientMessage, Patches, ServerMessage};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{protocol_error, ProtocolError};

/// A browser frame, validated, as a dict with key `t`; raises ProtocolError.
#[pyfunction]
pub fn parse_client_message<'py>(
    py: Python<'py>,
    text: &str,
    max_bytes: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let message = djust_protocol::parse_client_message(text, max_bytes)
        .map_err(|err| protocol_error(py, &err))?;
    let dict = PyDict::new(py);
    match message {
        ClientMessage::Mount {
            token,
            url,
            reconnect,
        } => {
            dict.set_item("t", "mount")?;
            dict.set_item("token", token)?;
            dict.set_item("url", url)?;
            dict.set_item("reconnect", reconnect)?;
        }
        ClientMessage::Event {
            ref_,
            name,
            params,
            target,
        } => {
            dict.set_item("t", "event")?;
            dict.set_item("ref", ref_)?;
            dict.set_item("name", name)?;
            dict.set_item(
                "params",
                json_to_python(py, &serde_json::Value::Object(params))?,
            )?;
            dict.set_item("target", target)?;
        }
        ClientMessage::Ping { ref_ } => {
            dict.set_item("t", "ping")?;
            dict.set_item("ref", ref_)?;
        }
        ClientMessage::Params { ref_, url } => {
            dict.set_item("t", "params")?;
            dict.set_item("ref", ref_)?;
            dict.set_item("url", url)?;
        }
        ClientMessage::Navigate { ref_, url } => {
            dict.set_item("t", "navigate")?;
            dict.set_item("ref", ref_)?;
            dict.set_item("url", url)?;
        }
    }
    Ok(dict)
}

fn json_to_python<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match value {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, None, Some(f)) => f.into_pyobject(py)?.into_any(),
            _ => py.None().into_bound(py),
        },
        J::String(s) => s.into_pyobject(py)?.into_any(),
        J::Array(items) => {
            let converted = items
                .iter()
                .map(|item| json_to_python(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            pyo3::types::PyList::new(py, converted)?.into_any()
        }
        J::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_to_python(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// `{"t":"mounted"}`, with the root's HTML when the browser must replace it, and the title and
/// token after a navigation.
#[pyfunction]
#[pyo3(signature = (html = None, title = None, token = None))]
pub fn frame_mounted(html: Option<String>, title: Option<String>, token: Option<String>) -> String {
    ServerMessage::Mounted { html, title, token }.to_json()
}

/// `{"t":"patch"}` answering event `ref` with the JSON patch list `patches`.
#[pyfunction]
#[pyo3(signature = (r#ref, patches))]
pub fn frame_patch(r#ref: Option<u64>, patches: String) -> PyResult<String> {
    // The differ's JSON goes into the frame as it is: checked for syntax, never re-parsed.
    let patches = Patches::encoded(patches)
        .map_err(|err| ProtocolError::new_err(format!("patches are not JSON: {err}")))?;
    Ok(ServerMessage::Patch {
        ref_: r#ref,
        patches,
    }
    .to_json())
}

/// `{"t":"error"}` for `ref` with a stable `code` and a message for the developer.
#[pyfunction]
#[pyo3(signature = (r#ref, code, message))]
pub fn frame_error(r#ref: Option<u64>, code: String, message: String) -> String {
    ServerMessage::Error {
        ref_: r#ref,
        code,
        message,
    }
    .to_json()
}

/// `{"t":"pong"}` answering ping `ref`.
#[pyfunction]
#[pyo3(signature = (r#ref))]
pub fn frame_pong(r#ref: u64) -> String {
    ServerMessage::Pong { ref_: r#ref }.to_json()
}

/// `{"t":"push_event"}` carrying `payload`, a JSON object (text), to the page's hooks.
#[pyfunction]
pub fn frame_push_event(event: String, payload: &str) -> PyResult<String> {
    let payload = match serde_json::from_str(payload) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) => {
            return Err(ProtocolError::new_err(format!(
                "the payload of push_event({event:?}) must be a dict. Instead of another value, \
                 push {{\"value\": ...}}"
            )))
        }
        Err(err) => {
            return Err(ProtocolError::new_err(format!(
                "the payload of push_event({event:?}) is not JSON: {err}"
            )))
        }
    };
    Ok(ServerMessage::PushEvent { event, payload }.to_json())
}

/// `{"t":"live_patch"}`: the browser updates its history to `to`.
#[pyfunction]
#[pyo3(signature = (to, replace = false))]
pub fn frame_live_patch(to: String, replace: bool) -> String {
    ServerMessage::LivePatch { to, replace }.to_json()
}

/// `{"t":"live_redirect"}`: the browser navigates to the LiveView at `to` over the socket.
#[pyfunction]
#[pyo3(signature = (to, replace = false))]
pub fn frame_live_redirect(to: String, replace: bool) -> String {
    ServerMessage::LiveRedirect { to, replace }.to_json()
}

/// `{"t":"redirect"}`: the browser loads `to` as a new page.
#[pyfunction]
pub fn frame_redirect(to: String) -> String {
    ServerMessage::Redirect { to }.to_json()
}
