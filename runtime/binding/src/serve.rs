//! `_core.Server`: the actix server behind `djust serve`, driven from Python's main thread.

use std::time::Duration;

use djust_actors::server::{Server as ActixServer, ServerConfig};
use djust_actors::session_actor::SessionLimits;
use djust_actors::static_files::StaticFiles;
use djust_actors::wsgi::PythonObjects;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// The HTTP and WebSocket server of `djust serve`, running on threads of its own.
#[pyclass(module = "djust._core", frozen)]
pub struct Server {
    inner: ActixServer,
}

#[pymethods]
impl Server {
    /// Binds `bind` and starts serving `app` (WSGI) and sockets opened by `open_socket`.
    #[new]
    #[pyo3(signature = (
        bind, app, open_socket, *, python_threads = 8, python_queue = 256, workers = 0,
        websocket_path = "/ws/live/".to_owned(), static_url = None, static_dirs = Vec::new(),
        in_memory_static = Vec::new(), max_body_bytes = 256 * 1024 * 1024,
        max_frame_bytes = 1024 * 1024, heartbeat = 15.0, timeout = 45.0, reuse_port = false,
        shutdown_timeout = 5.0, multiprocess = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        bind: String,
        app: Py<PyAny>,
        open_socket: Py<PyAny>,
        python_threads: usize,
        python_queue: usize,
        workers: usize,
        websocket_path: String,
        static_url: Option<String>,
        static_dirs: Vec<String>,
        in_memory_static: Vec<(String, Vec<u8>, String)>,
        max_body_bytes: usize,
        max_frame_bytes: usize,
        heartbeat: f64,
        timeout: f64,
        reuse_port: bool,
        shutdown_timeout: f64,
        multiprocess: bool,
    ) -> PyResult<Server> {
        let static_files = static_url.map(|url| {
            let mut files = StaticFiles::new(&url, static_dirs.iter().map(Into::into).collect());
            for (path, body, content_type) in in_memory_static {
                files.add_in_memory(&path, body, &content_type);
            }
            files
        });
        let python = PythonObjects {
            app,
            open_socket,
            bytes_io: py.import("io")?.getattr("BytesIO")?.unbind(),
            stderr: py.import("sys")?.getattr("stderr")?.unbind(),
            multiprocess,
        };
        let config = ServerConfig {
            bind,
            python_threads,
            python_queue,
            workers,
            websocket_path,
            static_files,
            max_body_bytes,
            limits: SessionLimits {
                max_frame_bytes,
                heartbeat: seconds(heartbeat)?,
                timeout: seconds(timeout)?,
                ..SessionLimits::default()
            },
            reuse_port,
            shutdown_timeout: seconds(shutdown_timeout)?,
        };
        // Binding and starting the threads need no Python.
        let inner = py.detach(|| ActixServer::start(config, python))?;
        Ok(Server { inner })
    }

    /// The `host:port` the server listens on.
    #[getter]
    fn address(&self) -> String {
        self.inner.address().to_string()
    }

    /// How many sockets are connected.
    #[getter]
    fn sessions(&self) -> usize {
        self.inner.sessions()
    }

    /// Waits (without the GIL) until the server stops, at most `timeout` seconds; whether it has.
    #[pyo3(signature = (timeout = None))]
    fn wait(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<bool> {
        let timeout = timeout.map(seconds).transpose()?;
        Ok(py.detach(|| self.inner.wait(timeout)))
    }

    /// Stops the server: gracefully (finish in-flight work, close sockets with a reconnect
    /// code) or at once.
    #[pyo3(signature = (graceful = true))]
    fn stop(&self, py: Python<'_>, graceful: bool) {
        py.detach(|| self.inner.stop(graceful));
    }
}

fn seconds(value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| PyRuntimeError::new_err(format!("{value} is not a duration in seconds")))
}
