//! HTTP requests answered by the project's WSGI application (Django's `WSGIHandler`).
//!
//! The request is read in full on the actix thread, then handed to the Python pool: a pool
//! thread builds the WSGI environ, calls the application and reads its response. A plain
//! response is read whole and sent with its length; a streaming one (Django's
//! `StreamingHttpResponse`, `FileResponse`) is sent chunk by chunk as the application yields
//! them, the pool thread waiting (without the GIL) while the client is slow. The iterator's
//! `close()` is always called, so Django's `request_finished` fires and database connections
//! are closed as Django expects.

use std::sync::Arc;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use futures_util::StreamExt;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use tokio::sync::{mpsc, oneshot};

use crate::python_pool::PythonPool;

/// What the pool thread needs of a request to build its WSGI environ.
pub struct RequestParts {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub raw_path: String,
    /// The query string as sent.
    pub query: String,
    /// Request headers in order, names in lower case.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The peer's address and port.
    pub peer: Option<std::net::SocketAddr>,
    /// The server's own address (`SERVER_NAME`, `SERVER_PORT`).
    pub local: std::net::SocketAddr,
    /// `http` or `https` (as the connection was accepted; a proxy's view comes in headers).
    pub scheme: &'static str,
}

impl RequestParts {
    /// The parts of `req`.
    pub fn of(req: &HttpRequest) -> RequestParts {
        let info = req.connection_info();
        let scheme = if info.scheme() == "https" {
            "https"
        } else {
            "http"
        };
        RequestParts {
            method: req.method().as_str().to_owned(),
            raw_path: req.uri().path().to_owned(),
            query: req.uri().query().unwrap_or("").to_owned(),
            headers: req
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
                .collect(),
            peer: req.peer_addr(),
            local: req.app_config().local_addr(),
            scheme,
        }
    }

    /// The WSGI environ (PEP 3333) of this request, with `body` as `wsgi.input`.
    pub fn environ<'py>(
        &self,
        py: Python<'py>,
        python: &PythonObjects,
        body: &[u8],
    ) -> PyResult<Bound<'py, PyDict>> {
        let environ = PyDict::new(py);
        environ.set_item("REQUEST_METHOD", &self.method)?;
        environ.set_item("SCRIPT_NAME", "")?;
        environ.set_item("PATH_INFO", latin1(py, &percent_decoded(&self.raw_path)))?;
        environ.set_item("QUERY_STRING", &self.query)?;
        environ.set_item("SERVER_NAME", self.local.ip().to_string())?;
        environ.set_item("SERVER_PORT", self.local.port().to_string())?;
        environ.set_item("SERVER_PROTOCOL", "HTTP/1.1")?;
        if let Some(peer) = self.peer {
            environ.set_item("REMOTE_ADDR", peer.ip().to_string())?;
            environ.set_item("REMOTE_PORT", peer.port().to_string())?;
        }
        // The body was read whole: its length is known whatever the client framed it with
        // (a chunked body has no Content-Length header).
        if !body.is_empty()
            || self
                .headers
                .iter()
                .any(|(name, _)| name == "content-length")
        {
            environ.set_item("CONTENT_LENGTH", body.len().to_string())?;
        }
        let mut joined: Vec<(String, Vec<u8>)> = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let key = match name.as_str() {
                "content-type" => "CONTENT_TYPE".to_owned(),
                "content-length" => continue,
                other => {
                    let mut key = String::with_capacity(other.len() + 5);
                    key.push_str("HTTP_");
                    key.extend(other.chars().map(|c| match c {
                        '-' => '_',
                        c => c.to_ascii_uppercase(),
                    }));
                    key
                }
            };
            // Repeated headers are joined as a proxy would; cookies with "; ".
            if let Some((_, existing)) = joined.iter_mut().find(|(k, _)| *k == key) {
                existing.extend_from_slice(if key == "HTTP_COOKIE" { b"; " } else { b"," });
                existing.extend_from_slice(value);
            } else {
                joined.push((key, value.clone()));
            }
        }
        for (key, value) in joined {
            environ.set_item(key, latin1(py, &value))?;
        }
        environ.set_item("wsgi.version", (1, 0))?;
        environ.set_item("wsgi.url_scheme", self.scheme)?;
        environ.set_item(
            "wsgi.input",
            python.bytes_io.call1(py, (PyBytes::new(py, body),))?,
        )?;
        environ.set_item("wsgi.errors", python.stderr.bind(py))?;
        environ.set_item("wsgi.multithread", true)?;
        environ.set_item("wsgi.multiprocess", python.multiprocess)?;
        environ.set_item("wsgi.run_once", false)?;
        Ok(environ)
    }
}

/// Python objects every request needs, imported once.
pub struct PythonObjects {
    /// The WSGI application.
    pub app: Py<PyAny>,
    /// Opens a socket's `LiveSession` from its handshake environ (`None`: origin refused).
    pub open_socket: Py<PyAny>,
    /// `io.BytesIO`, for `wsgi.input`.
    pub bytes_io: Py<PyAny>,
    /// `sys.stderr`, for `wsgi.errors`.
    pub stderr: Py<PyAny>,
    /// Whether other processes serve the same application (`--workers`).
    pub multiprocess: bool,
}

/// Bytes as a `str` whose code points are those bytes (WSGI's "bytes as latin-1" strings).
fn latin1<'py>(py: Python<'py>, bytes: &[u8]) -> Bound<'py, PyString> {
    if bytes.is_ascii() {
        // ASCII is valid UTF-8 with the same code points.
        PyString::new(py, std::str::from_utf8(bytes).unwrap_or_default())
    } else {
        let text: String = bytes.iter().map(|&b| b as char).collect();
        PyString::new(py, &text)
    }
}

/// `%XX` sequences decoded to bytes (PATH_INFO is the decoded path).
fn percent_decoded(path: &str) -> Vec<u8> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// `start_response` for one request: remembers the status and headers the application sets.
#[pyclass(module = "djust._core")]
pub struct StartResponse {
    status: Option<String>,
    headers: Vec<(String, String)>,
}

#[pymethods]
impl StartResponse {
    #[pyo3(signature = (status, headers, exc_info = None))]
    fn __call__(
        &mut self,
        status: String,
        headers: Vec<(String, String)>,
        exc_info: Option<Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        if self.status.is_some() && exc_info.is_none() {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "start_response was called twice without exc_info",
            ));
        }
        self.status = Some(status);
        self.headers = headers;
        Ok(())
    }
}

/// What the application answered, as the pool thread hands it to actix.
enum Answer {
    /// The whole body at once.
    Complete {
        status: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// The body follows chunk by chunk on the receiver.
    Streaming {
        status: String,
        headers: Vec<(String, String)>,
        chunks: mpsc::Receiver<Bytes>,
    },
    /// The application raised; the traceback was logged.
    Failed,
}

/// Answers `req` through the WSGI application on the Python pool (503 when the pool is full).
pub async fn respond(
    req: HttpRequest,
    mut payload: web::Payload,
    pool: PythonPool,
    python: Arc<PythonObjects>,
    max_body: usize,
) -> HttpResponse {
    let mut body = web::BytesMut::new();
    // An upgrade request (a WebSocket to a path that is not the socket's) hands over the raw
    // connection as its payload, which never ends: Django answers it as a bodiless GET.
    let upgrade = req.head().upgrade();
    while let Some(chunk) = if upgrade { None } else { payload.next().await } {
        match chunk {
            Ok(chunk) => {
                if body.len() + chunk.len() > max_body {
                    return HttpResponse::PayloadTooLarge()
                        .content_type("text/plain; charset=utf-8")
                        .body("The request body is larger than this server accepts.\n");
                }
                body.extend_from_slice(&chunk);
            }
            Err(_) => return HttpResponse::BadRequest().finish(),
        }
    }
    let parts = RequestParts::of(&req);
    let body = body.freeze();
    let (head, answer) = oneshot::channel::<Answer>();
    let job = pool.run(move |py| run_application(py, &python, &parts, &body, head));
    let finished = match job {
        Ok(finished) => finished,
        Err(_busy) => return overloaded(),
    };
    let answer = match answer.await {
        Ok(answer) => answer,
        Err(_) => {
            // The job ended without answering: it panicked or the pool stopped.
            let _ = finished.await;
            return HttpResponse::InternalServerError().finish();
        }
    };
    drop(finished);
    match answer {
        Answer::Complete {
            status,
            headers,
            body,
        } => response(&status, &headers).body(body),
        Answer::Streaming {
            status,
            headers,
            chunks,
        } => {
            let stream = futures_util::stream::unfold(chunks, |mut chunks| async move {
                chunks
                    .recv()
                    .await
                    .map(|chunk| (Ok::<_, actix_web::Error>(chunk), chunks))
            });
            response(&status, &headers).streaming(stream)
        }
        Answer::Failed => HttpResponse::InternalServerError()
            .content_type("text/plain; charset=utf-8")
            .body("Internal Server Error\n"),
    }
}

/// The answer when every Python thread is busy and the queue is full.
pub fn overloaded() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header(("Retry-After", "1"))
        .content_type("text/plain; charset=utf-8")
        .body("The server is busy; try again in a moment.\n")
}

fn response(status: &str, headers: &[(String, String)]) -> actix_web::HttpResponseBuilder {
    let code = status
        .split(' ')
        .next()
        .and_then(|code| code.parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(code);
    for (name, value) in headers {
        // Hop-by-hop headers belong to this connection, which actix manages.
        if name.eq_ignore_ascii_case("connection")
            || name.eq_ignore_ascii_case("transfer-encoding")
            || name.eq_ignore_ascii_case("keep-alive")
        {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            builder.append_header((name, value));
        }
    }
    builder
}

/// Runs the application for one request on a pool thread and sends the answer to `head`.
fn run_application(
    py: Python<'_>,
    python: &PythonObjects,
    parts: &RequestParts,
    body: &[u8],
    head: oneshot::Sender<Answer>,
) {
    let start = match Bound::new(
        py,
        StartResponse {
            status: None,
            headers: Vec::new(),
        },
    ) {
        Ok(start) => start,
        Err(err) => return fail(py, err, head),
    };
    let result = parts
        .environ(py, python, body)
        .and_then(|environ| python.app.bind(py).call1((environ, &start)));
    let result = match result {
        Ok(result) => result,
        Err(err) => return fail(py, err, head),
    };
    let streaming = result
        .getattr("streaming")
        .and_then(|s| s.is_truthy())
        .unwrap_or(false);
    let outcome = if streaming {
        stream(py, &result, &start, head)
    } else {
        complete(py, &result, &start, head)
    };
    // Always: Django's request_finished signal (and its database clean-up) hangs on close().
    if let Ok(close) = result.getattr("close") {
        if let Err(err) = close.call0() {
            log_error(py, &err);
        }
    }
    if let Err(err) = outcome {
        log_error(py, &err);
    }
}

fn complete(
    _py: Python<'_>,
    result: &Bound<'_, PyAny>,
    start: &Bound<'_, StartResponse>,
    head: oneshot::Sender<Answer>,
) -> PyResult<()> {
    let mut body = Vec::new();
    if let Ok(list) = result.cast::<PyList>() {
        for chunk in list.iter() {
            body.extend_from_slice(chunk.cast::<PyBytes>()?.as_bytes());
        }
    } else if let Ok(tuple) = result.cast::<PyTuple>() {
        for chunk in tuple.iter() {
            body.extend_from_slice(chunk.cast::<PyBytes>()?.as_bytes());
        }
    } else {
        for chunk in result.try_iter()? {
            body.extend_from_slice(chunk?.cast::<PyBytes>()?.as_bytes());
        }
    }
    let (status, headers) = taken(start)?;
    let _ = head.send(Answer::Complete {
        status,
        headers,
        body,
    });
    Ok(())
}

fn stream(
    py: Python<'_>,
    result: &Bound<'_, PyAny>,
    start: &Bound<'_, StartResponse>,
    head: oneshot::Sender<Answer>,
) -> PyResult<()> {
    let mut chunks = result.try_iter()?;
    // The status is known once the first chunk is produced (an application may call
    // start_response lazily).
    let first = chunks.next().transpose()?;
    let (status, headers) = taken(start)?;
    let (sender, receiver) = mpsc::channel::<Bytes>(8);
    if head
        .send(Answer::Streaming {
            status,
            headers,
            chunks: receiver,
        })
        .is_err()
    {
        return Ok(());
    }
    let mut next = first;
    while let Some(chunk) = next {
        let bytes = Bytes::copy_from_slice(chunk.cast::<PyBytes>()?.as_bytes());
        // Waiting for a slow client must not hold the GIL.
        if py.detach(|| sender.blocking_send(bytes)).is_err() {
            return Ok(()); // the client went away
        }
        next = chunks.next().transpose()?;
    }
    Ok(())
}

fn taken(start: &Bound<'_, StartResponse>) -> PyResult<(String, Vec<(String, String)>)> {
    let mut start = start.borrow_mut();
    let status = start.status.take().ok_or_else(|| {
        pyo3::exceptions::PyRuntimeError::new_err(
            "the WSGI application returned without calling start_response",
        )
    })?;
    Ok((status, std::mem::take(&mut start.headers)))
}

fn fail(py: Python<'_>, err: PyErr, head: oneshot::Sender<Answer>) {
    log_error(py, &err);
    let _ = head.send(Answer::Failed);
}

/// Logs a Python exception with its traceback to the `djust` logger.
pub fn log_error(py: Python<'_>, err: &PyErr) {
    let logged = py
        .import("logging")
        .and_then(|logging| logging.call_method1("getLogger", ("djust",)))
        .and_then(|logger| {
            let kwargs = PyDict::new(py);
            kwargs.set_item("exc_info", err.value(py))?;
            logger.call_method(
                "error",
                ("djust serve: the application raised",),
                Some(&kwargs),
            )
        });
    if logged.is_err() {
        err.print(py);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_decoded_once() {
        assert_eq!(percent_decoded("/a%20b/%2541"), b"/a b/%41");
        assert_eq!(percent_decoded("/caf%C3%A9"), "/café".as_bytes());
        assert_eq!(percent_decoded("/bad%zz%4"), b"/bad%zz%4");
    }
}
