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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use djust_protocol::{ClientMessage, ServerMessage};
use pyo3::prelude::*;
use tokio::sync::{mpsc, Notify};

use crate::python_pool::PythonPool;
use crate::registry::Registry;
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
        let job = self
            .pool
            .run_waiting(move |py| -> Result<Option<Py<PyAny>>, ()> {
                let environ = handshake
                    .environ(py, &python, b"")
                    .map_err(|err| log_error(py, &err))?;
                let session = python
                    .open_socket
                    .bind(py)
                    .call1((environ,))
                    .map_err(|err| log_error(py, &err))?;
                Ok(if session.is_none() {
                    None
                } else {
                    Some(session.unbind())
                })
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
        let Some(session) = self.session.clone() else {
            return;
        };
        let job = self
            .pool
            .run_waiting(move |py| -> Result<(Vec<String>, bool), ()> {
                let session = session.bind(py);
                let frames = session
                    .call_method1("handle_frame", (text,))
                    .and_then(|frames| frames.extract::<Vec<String>>())
                    .map_err(|err| log_error(py, &err))?;
                let failed = session
                    .getattr("last_failure")
                    .map(|failure| !failure.is_none())
                    .unwrap_or(false);
                Ok((frames, failed))
            });
        let Ok(job) = job else {
            let busy = ServerMessage::Error {
                ref_: None,
                code: djust_protocol::constants::SERVER_ERROR.to_owned(),
                message: "the server is too busy to handle this event now; send it again"
                    .to_owned(),
            };
            return self.send(ctx, Outbound::Text(busy.to_json()));
        };
        ctx.wait(
            job.into_actor(self)
                .map(|answered, actor, ctx| match answered {
                    Ok(Ok((frames, failed))) => {
                        for frame in frames {
                            actor.send(ctx, Outbound::Text(frame));
                        }
                        if failed {
                            actor.failed(ctx);
                        }
                    }
                    _ => actor.close(ctx, CLOSE_INTERNAL, "the session broke"),
                }),
        );
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
