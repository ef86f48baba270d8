//! `SessionActor`: one connected LiveView. It owns the socket's sending side and the view's
//! Python `LiveSession`, and handles the view's frames strictly in order.
//!
//! Frames are checked in Rust first (size by the reader, JSON and fields by
//! `djust_protocol`): a malformed frame is answered here and a ping is answered here, with no
//! Python at all. Everything else goes to the Python pool as a job; the actor waits for it
//! (`ctx.wait`), so the next frame of this session is not taken before the previous one is
//! answered, while other sessions' actors go on. The actor never takes the GIL itself.
//!
//! What a session keeps across a failure: a Python exception in a handler is answered with a
//! `handler_error` frame and the view keeps its state (the session contract, the same on every
//! host). More than [`MAX_FAILURES`] failures within [`FAILURE_WINDOW`] close the socket with
//! [`CLOSE_RELOAD`], which makes the client reload the page after a random 5–10 s. A panic
//! while handling a frame ends this session only ([`CLOSE_INTERNAL`]); the client reconnects.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use djust_protocol::{ClientMessage, ServerMessage};
use pyo3::prelude::*;
use tokio::sync::{mpsc, Notify};

use crate::broker::{broker, Deliver, Published};
use crate::python_pool::PythonPool;
use crate::registry::Registry;
use crate::session_link::{AsyncResult, CancelTimer, SessionLink, StartTimer};
use crate::wsgi::{log_error, PythonObjects, RequestParts};

pub use djust_protocol::constants::{
    CLOSE_FORBIDDEN_ORIGIN, CLOSE_RELOAD, CLOSE_RESTART, CLOSE_TRY_AGAIN,
};

/// Close code: the session broke inside the server; the client reconnects.
pub const CLOSE_INTERNAL: u16 = 1011;
/// Close code: the client sent more than the server accepts (a flood).
pub const CLOSE_POLICY: u16 = 1008;

/// How many failures a session may have within [`FAILURE_WINDOW`] (Elixir's default intensity).
pub const MAX_FAILURES: usize = 3;
/// The window in which [`MAX_FAILURES`] is counted.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(5);

/// What the actor hands the socket writer.
#[derive(Debug)]
pub enum Outbound {
    /// A text frame.
    Text(String),
    /// A WebSocket ping (heartbeat).
    Ping,
    /// A WebSocket pong answering the client's ping.
    Pong(bytes::Bytes),
    /// Close the socket with this code and reason.
    Close(u16, String),
}

/// Limits and timings of a session.
#[derive(Clone, Debug)]
pub struct SessionLimits {
    /// Frames longer than this are refused (the reader closes with 1009).
    pub max_frame_bytes: usize,
    /// How often the server pings the socket.
    pub heartbeat: Duration,
    /// A socket silent for this long is dropped.
    pub timeout: Duration,
    /// Frames a session may have waiting before it counts as a flood.
    pub mailbox: usize,
}

impl Default for SessionLimits {
    fn default() -> SessionLimits {
        SessionLimits {
            max_frame_bytes: 1024 * 1024,
            heartbeat: Duration::from_secs(15),
            timeout: Duration::from_secs(45),
            mailbox: 64,
        }
    }
}

/// A text frame from the browser.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Frame(pub String);

/// A binary frame from the browser (an upload chunk).
#[derive(Message)]
#[rtype(result = "()")]
pub struct BinaryFrame(pub bytes::Bytes);

/// The socket's reading side ended (closed by the client, broken, or refused by the reader).
#[derive(Message)]
#[rtype(result = "()")]
pub struct ReaderGone;

/// Finish what is in flight, close the socket with a reconnect code and stop.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Shutdown;

/// One connected view.
pub struct SessionActor {
    id: u64,
    pool: PythonPool,
    python: Arc<PythonObjects>,
    handshake: Option<RequestParts>,
    session: Option<Arc<Py<PyAny>>>,
    out: mpsc::Sender<Outbound>,
    limits: SessionLimits,
    last_seen: Arc<AtomicU64>,
    epoch: Instant,
    failures: VecDeque<Instant>,
    registry: Registry,
    closing: bool,
    stopped: Arc<Notify>,
    timers: HashMap<u64, SpawnHandle>,
    waiting: Arc<AtomicUsize>,
}

impl SessionActor {
    /// A session for the socket whose handshake was `handshake`, writing to `out`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: u64,
        pool: PythonPool,
        python: Arc<PythonObjects>,
        handshake: RequestParts,
        out: mpsc::Sender<Outbound>,
        limits: SessionLimits,
        last_seen: Arc<AtomicU64>,
        epoch: Instant,
        registry: Registry,
        stopped: Arc<Notify>,
    ) -> SessionActor {
        SessionActor {
            id,
            pool,
            python,
            handshake: Some(handshake),
            session: None,
            out,
            limits,
            last_seen,
            epoch,
            failures: VecDeque::new(),
            registry,
            closing: false,
            stopped,
            timers: HashMap::new(),
            waiting: Arc::default(),
        }
    }

    fn send(&mut self, ctx: &mut Context<Self>, outbound: Outbound) {
        if self.closing {
            return;
        }
        if self.out.try_send(outbound).is_err() {
            // The client does not read its socket: it may not grow the server's memory.
            self.closing = true;
            ctx.stop();
        }
    }

    fn close(&mut self, ctx: &mut Context<Self>, code: u16, reason: &str) {
        self.send(ctx, Outbound::Close(code, reason.to_owned()));
        self.closing = true;
        ctx.stop();
    }

    /// Opens the Python session from the handshake (the connection's visitor, user, origin).
    fn open(&mut self, ctx: &mut Context<Self>) {
        let Some(handshake) = self.handshake.take() else {
            return;
        };
        let python = Arc::clone(&self.python);
        let link = SessionLink::new(self.id, ctx.address(), Arc::clone(&self.waiting));
        let job = self
            .pool
            .run_waiting(move |py| -> Result<Option<Py<PyAny>>, ()> {
                let environ = handshake
                    .environ(py, &python, b"")
                    .map_err(|err| log_error(py, &err))?;
                let link = Py::new(py, link).map_err(|err| log_error(py, &err))?;
                let session = python
                    .open_socket
                    .bind(py)
                    .call1((environ, link))
                    .map_err(|err| log_error(py, &err))?;
                if session.is_none() {
                    return Ok(None);
                }
                // This host hands binary frames to handle_binary: upload chunks go that way.
                session
                    .setattr("accepts_binary", true)
                    .map_err(|err| log_error(py, &err))?;
                Ok(Some(session.unbind()))
            });
        let Ok(job) = job else {
            return self.close(ctx, CLOSE_TRY_AGAIN, "the server is busy; try again");
        };
        ctx.wait(job.into_actor(self).map(|opened, actor, ctx| match opened {
            Ok(Ok(Some(session))) => actor.session = Some(Arc::new(session)),
            Ok(Ok(None)) => actor.close(ctx, CLOSE_FORBIDDEN_ORIGIN, "origin not allowed"),
            _ => actor.close(ctx, CLOSE_INTERNAL, "the session could not be opened"),
        }));
    }

    /// Hands one frame to the Python session and sends back what it answers, in order.
    fn forward(&mut self, ctx: &mut Context<Self>, text: String) {
        self.call_session(ctx, move |session| {
            session.call_method1("handle_frame", (text,))
        });
    }

    /// Runs `call` on the Python session in the pool, waiting for it (so this session takes
    /// nothing else meanwhile), and sends the frames it answers, in order. A call that
    /// suspends on an `async def` handler hands its awaitable to the asyncio loop thread and
    /// frees the pool thread; the session still takes nothing else until it is resumed.
    fn call_session<F>(&mut self, ctx: &mut Context<Self>, call: F)
    where
        F: for<'py> FnOnce(&Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> + Send + 'static,
    {
        let Some(session) = self.session.clone() else {
            return;
        };
        let work = move |py: Python<'_>| -> Result<Answer, ()> {
            let session = session.bind(py);
            call(session)
                .and_then(|answer| Answer::read(session, &answer))
                .map_err(|err| log_error(py, &err))
        };
        // The job goes to the pool only when actix first polls this wait future, so two calls
        // queued in one turn (an interval timer that fell behind fires several times at once)
        // run one after the other, never side by side on two pool threads.
        let pool = self.pool.clone();
        let job = async move {
            match pool.run_waiting(work) {
                Ok(running) => Some(running.await),
                Err(_busy) => None,
            }
        };
        ctx.wait(
            job.into_actor(self)
                .map(|answered, actor, ctx| match answered {
                    Some(Ok(Ok(answer))) => actor.answered(ctx, answer),
                    None => {
                        let busy = ServerMessage::Error {
                            ref_: None,
                            code: djust_protocol::constants::SERVER_ERROR.to_owned(),
                            message:
                                "the server is too busy to handle this event now; send it again"
                                    .to_owned(),
                        };
                        actor.send(ctx, Outbound::Text(busy.to_json()));
                    }
                    _ => actor.close(ctx, CLOSE_INTERNAL, "the session broke"),
                }),
        );
    }

    /// Sends what the session answered; awaits a suspended handler, then resumes it.
    fn answered(&mut self, ctx: &mut Context<Self>, answer: Answer) {
        match answer {
            Answer::Frames {
                frames,
                failed,
                close,
            } => {
                for frame in frames {
                    self.send(ctx, Outbound::Text(frame));
                }
                if failed {
                    self.failed(ctx);
                }
                if let Some(code) = close {
                    // The session ended itself (a rate limit, a logout elsewhere).
                    self.close(ctx, code, "closed by the session");
                }
            }
            Answer::Suspended { awaited, resume } => {
                ctx.wait(awaited.into_actor(self).map(move |outcome, actor, ctx| {
                    actor.call_session(ctx, move |session| {
                        let py = session.py();
                        let (value, error) = match outcome {
                            Ok(value) => (value, py.None()),
                            Err(err) => (py.None(), err.into_value(py).into_any()),
                        };
                        resume.bind(py).call1((value, error))
                    });
                }));
            }
        }
    }

    /// Timer `id` fired: its event goes to `handle_info` of whoever started it.
    fn fire(
        &mut self,
        ctx: &mut Context<Self>,
        id: u64,
        event: String,
        payload: String,
        owner: String,
    ) {
        if self.closing {
            return;
        }
        self.call_session(ctx, move |session| {
            session.call_method1("handle_timer", (event, payload, owner, id))
        });
    }

    /// Counts a failure of the view's code; past the intensity the page is told to reload.
    fn failed(&mut self, ctx: &mut Context<Self>) {
        let now = Instant::now();
        self.failures.push_back(now);
        while self
            .failures
            .front()
            .is_some_and(|at| now.duration_since(*at) > FAILURE_WINDOW)
        {
            self.failures.pop_front();
        }
        if self.failures.len() > MAX_FAILURES {
            self.close(ctx, CLOSE_RELOAD, "the view failed repeatedly");
        }
    }

    fn handle_text(&mut self, ctx: &mut Context<Self>, text: String) {
        match djust_protocol::parse_client_message(&text, self.limits.max_frame_bytes) {
            Err(err)
                if err.code() == djust_protocol::constants::UNKNOWN_MESSAGE
                    && self.session.is_some()
                    && is_upload(&text) =>
            {
                // Upload messages are the Python session's (djust.uploads checks them).
                self.forward(ctx, text)
            }
            Err(err) => {
                let frame = ServerMessage::Error {
                    ref_: err.ref_(),
                    code: err.code().to_owned(),
                    message: err.to_string(),
                };
                self.send(ctx, Outbound::Text(frame.to_json()));
            }
            Ok(ClientMessage::Ping { ref_ }) if self.session.is_some() => {
                self.send(ctx, Outbound::Text(ServerMessage::Pong { ref_ }.to_json()));
            }
            Ok(_) => self.forward(ctx, text),
        }
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.set_mailbox_capacity(self.limits.mailbox);
        self.registry.insert(self.id, ctx.address());
        self.open(ctx);
        let heartbeat = self.limits.heartbeat;
        let timeout = self.limits.timeout;
        ctx.run_interval(heartbeat, move |actor, ctx| {
            let seen = actor.last_seen.load(Ordering::Relaxed);
            let idle = (actor.epoch.elapsed().as_millis() as u64).saturating_sub(seen);
            if Duration::from_millis(idle) > timeout {
                // No pong, no frame: the link is dead (a lost NAT mapping, a sleeping laptop).
                actor.closing = true;
                ctx.stop();
                return;
            }
            actor.send(ctx, Outbound::Ping);
        });
    }

    fn stopped(&mut self, _ctx: &mut Context<Self>) {
        self.registry.remove(self.id);
        // Timers end with the context; subscriptions live in the broker, so end them here.
        broker().unsubscribe_all(self.id);
        // The writer sends what is queued (a close frame) unless the client does not read.
        self.stopped.notify_one();
        // Release the Python view on a pool thread (the GIL is never taken here).
        if let Some(session) = self.session.take() {
            let released = self.pool.run_waiting(move |py| {
                if let Err(err) = session.bind(py).call_method0("close") {
                    log_error(py, &err);
                }
                drop(session);
            });
            if let Ok(released) = released {
                actix_rt::spawn(released);
            }
        }
    }
}

impl Handler<Frame> for SessionActor {
    type Result = ();

    fn handle(&mut self, Frame(text): Frame, ctx: &mut Context<Self>) {
        let handled =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle_text(ctx, text)));
        if handled.is_err() {
            self.close(ctx, CLOSE_INTERNAL, "the session broke");
        }
    }
}

impl Handler<BinaryFrame> for SessionActor {
    type Result = ();

    fn handle(&mut self, BinaryFrame(bytes): BinaryFrame, ctx: &mut Context<Self>) {
        if self.closing {
            return;
        }
        self.call_session(ctx, move |session| {
            let data = pyo3::types::PyBytes::new(session.py(), &bytes);
            session.call_method1("handle_binary", (data,))
        });
    }
}

/// Whether `text` is one of the upload messages (`upload`, `upload_chunk`, `upload_cancel`).
fn is_upload(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Kind<'a> {
        #[serde(borrow)]
        t: &'a str,
    }
    serde_json::from_str::<Kind>(text)
        .is_ok_and(|kind| matches!(kind.t, "upload" | "upload_chunk" | "upload_cancel"))
}

impl Handler<ReaderGone> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: ReaderGone, ctx: &mut Context<Self>) {
        self.closing = true;
        ctx.stop();
    }
}

impl Handler<Shutdown> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: Shutdown, ctx: &mut Context<Self>) {
        self.close(ctx, CLOSE_RESTART, "the server is restarting");
    }
}

impl Handler<Deliver> for SessionActor {
    type Result = ();

    fn handle(&mut self, Deliver(message): Deliver, ctx: &mut Context<Self>) {
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        if self.closing || self.session.is_none() {
            return;
        }
        match &*message {
            Published::Push { frame } => self.send(ctx, Outbound::Text(frame.clone())),
            Published::Info {
                topic,
                event,
                payload,
            } => {
                let (topic, event, payload) = (topic.clone(), event.clone(), payload.clone());
                self.call_session(ctx, move |session| {
                    session.call_method1("handle_published", (topic, event, payload))
                });
            }
        }
    }
}

impl Handler<StartTimer> for SessionActor {
    type Result = ();

    fn handle(&mut self, timer: StartTimer, ctx: &mut Context<Self>) {
        let StartTimer {
            id,
            after,
            repeat,
            event,
            payload,
            owner,
        } = timer;
        let handle = if repeat {
            ctx.run_interval(after, move |actor, ctx| {
                actor.fire(ctx, id, event.clone(), payload.clone(), owner.clone());
            })
        } else {
            ctx.run_later(after, move |actor, ctx| {
                actor.timers.remove(&id);
                actor.fire(ctx, id, event, payload, owner);
            })
        };
        self.timers.insert(id, handle);
    }
}

impl Handler<CancelTimer> for SessionActor {
    type Result = ();

    fn handle(&mut self, CancelTimer(id): CancelTimer, ctx: &mut Context<Self>) {
        let cancelled: Vec<SpawnHandle> = match id {
            Some(id) => self.timers.remove(&id).into_iter().collect(),
            None => self.timers.drain().map(|(_, handle)| handle).collect(),
        };
        for handle in cancelled {
            ctx.cancel_future(handle);
        }
    }
}

impl Handler<AsyncResult> for SessionActor {
    type Result = ();

    fn handle(&mut self, result: AsyncResult, ctx: &mut Context<Self>) {
        let AsyncResult {
            name,
            result,
            error,
        } = result;
        self.call_session(ctx, move |session| {
            session.call_method1("handle_async_result", (name, result, error))
        });
    }
}

/// An `async def` handler's awaitable, running on the asyncio loop.
type Awaited = std::pin::Pin<Box<dyn std::future::Future<Output = PyResult<Py<PyAny>>> + Send>>;

/// What one call into the Python session answered.
enum Answer {
    /// The frames to send; whether the view's code failed; a close code the session asked for.
    Frames {
        frames: Vec<String>,
        failed: bool,
        close: Option<u16>,
    },
    /// The call waits for an `async def` handler: `resume(value, error)` finishes it.
    Suspended { awaited: Awaited, resume: Py<PyAny> },
}

impl Answer {
    fn read(session: &Bound<'_, PyAny>, answer: &Bound<'_, PyAny>) -> PyResult<Answer> {
        if let Ok(awaitable) = answer.getattr("awaitable") {
            let locals = event_loop_locals(session.py())?;
            let awaited = pyo3_async_runtimes::into_future_with_locals(locals, awaitable)?;
            return Ok(Answer::Suspended {
                awaited: Box::pin(awaited),
                resume: answer.getattr("resume")?.unbind(),
            });
        }
        let frames = answer.extract::<Vec<String>>()?;
        let failed = session
            .getattr("last_failure")
            .map(|failure| !failure.is_none())
            .unwrap_or(false);
        let close = session
            .getattr("close_code")
            .and_then(|code| code.extract::<Option<u16>>())
            .unwrap_or(None);
        Ok(Answer::Frames {
            frames,
            failed,
            close,
        })
    }
}

/// The asyncio loop `async def` handlers run on (`djust.tasks.event_loop()`, one thread).
fn event_loop_locals(py: Python<'_>) -> PyResult<&'static pyo3_async_runtimes::TaskLocals> {
    static LOCALS: std::sync::OnceLock<pyo3_async_runtimes::TaskLocals> =
        std::sync::OnceLock::new();
    if let Some(locals) = LOCALS.get() {
        return Ok(locals);
    }
    let event_loop = py.import("djust.tasks")?.call_method0("event_loop")?;
    Ok(LOCALS.get_or_init(|| pyo3_async_runtimes::TaskLocals::new(event_loop)))
}
