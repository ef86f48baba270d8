//! `_core.diff_html` and `_core.LiveTree`: DOM patches between renders, with the GIL released.

use pyo3::prelude::*;

use crate::errors::VdomError;

/// Logs what the differ noticed (to the `djust` logger).
fn log_duplicates(py: Python<'_>, duplicates: &[djust_vdom::DuplicateKey]) -> PyResult<()> {
    if !duplicates.is_empty() {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("djust",))?;
        for duplicate in duplicates {
            logger.call_method1("warning", ("djust: %s", duplicate.to_string()))?;
        }
    }
    Ok(())
}

/// The patches as JSON, after logging what the differ noticed.
fn patches_json(py: Python<'_>, diff: &djust_vdom::Diff) -> PyResult<String> {
    log_duplicates(py, &diff.duplicate_keys)?;
    serde_json::to_string(&diff.patches).map_err(|err| VdomError::new_err(err.to_string()))
}

/// The patches (a JSON list) that turn the `dj-root` region of `old` into that of `new`.
#[pyfunction]
pub fn diff_html(py: Python<'_>, old: &str, new: &str) -> PyResult<String> {
    // The str arguments stay alive (and immutable) for the call: no copy is needed to diff
    // them without the GIL.
    let diff = py.detach(|| djust_vdom::diff_html(old, new));
    patches_json(py, &diff)
}

/// A page's `dj-root` tree as the browser last received it.
#[pyclass(module = "djust._core")]
pub struct LiveTree {
    inner: djust_vdom::LiveTree,
}

#[pymethods]
impl LiveTree {
    /// Parse the page `html` and keep its `dj-root` tree.
    #[new]
    fn new(py: Python<'_>, html: &str) -> PyResult<Self> {
        py.detach(|| djust_vdom::LiveTree::new(html))
            .map(|inner| LiveTree { inner })
            .map_err(|err| VdomError::new_err(err.to_string()))
    }

    /// Diff against the page `html`, keep its tree, and return the patches as JSON.
    fn update(&mut self, py: Python<'_>, html: &str) -> PyResult<String> {
        let inner = &mut self.inner;
        let diff = py
            .detach(|| inner.update(html))
            .map_err(|err| VdomError::new_err(err.to_string()))?;
        patches_json(py, &diff)
    }

    /// Diff against the page `html`, keep its tree, and return the `patch` frame answering
    /// `ref` (`None` for an update the server started): the patches go from the differ into
    /// the frame without passing through Python.
    #[pyo3(signature = (r#ref, html))]
    fn patch_frame(&mut self, py: Python<'_>, r#ref: Option<u64>, html: &str) -> PyResult<String> {
        let inner = &mut self.inner;
        let (duplicates, frame) = py
            .detach(|| {
                inner.update(html).map(|diff| {
                    let frame = djust_protocol::ServerMessage::Patch {
                        ref_: r#ref,
                        patches: djust_protocol::Patches::List(diff.patches),
                    }
                    .to_json();
                    (diff.duplicate_keys, frame)
                })
            })
            .map_err(|err| VdomError::new_err(err.to_string()))?;
        log_duplicates(py, &duplicates)?;
        Ok(frame)
    }

    /// The HTML of the root's children, as the browser should hold it.
    fn root_inner_html(&self) -> String {
        self.inner.root_inner_html()
    }
}
