//! The WebSocket endpoint: the upgrade, and the two small tasks that move a socket's frames.
//!
//! The reader task takes frames off the socket, checks their size (the stream refuses a frame
//! over the limit and the socket is closed with 1009, nothing buffered past the limit), keeps
//! the session's "last seen" clock, answers WebSocket pings, and hands text frames to the
//! session's actor through its bounded mailbox: a client that floods it is closed with 1008.
//! The writer task owns the socket's sending side and sends what the actor queues, in order;
//! its queue is bounded too, so a client that does not read is disconnected by the actor.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web::{dev, web, FromRequest, HttpRequest, HttpResponse};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, ProtocolError};
use futures_util::StreamExt;
use tokio::sync::{mpsc, Notify};

use crate::frame_guard::FrameGuard;
use crate::python_pool::PythonPool;
use crate::registry::Registry;
use crate::session_actor::{
    BinaryFrame, Frame, Outbound, ReaderGone, SessionActor, SessionLimits, CLOSE_POLICY,
};
use crate::wsgi::{PythonObjects, RequestParts};

/// How many frames may wait for a slow client before the session is dropped.
const OUTBOUND_QUEUE: usize = 64;

/// The descriptor of a connection's TCP socket (recorded when the connection is accepted).
#[derive(Clone, Copy)]
pub struct ConnectionSocket(pub std::os::fd::RawFd);
/// How long a close frame may take to go out before the connection is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Everything a socket needs from the server.
#[derive(Clone)]
pub struct SocketServer {
    /// The Python worker pool.
    pub pool: PythonPool,
    /// The application's Python objects.
    pub python: Arc<PythonObjects>,
    /// Limits and timings for each session.
    pub limits: SessionLimits,
    /// The live sessions.
    pub registry: Registry,
    /// Gives each session its id.
    pub next_id: Arc<AtomicU64>,
}

/// Upgrades `req` to a WebSocket served by a new [`SessionActor`].
pub async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    server: web::Data<SocketServer>,
) -> actix_web::Result<HttpResponse> {
    let limits = server.limits.clone();
    // Frame headers are checked as bytes arrive, before actix buffers a frame's payload.
    let oversize = Arc::new(AtomicBool::new(false));
    let guarded = FrameGuard::new(
        body.into_inner(),
        limits.max_frame_bytes,
        Arc::clone(&oversize),
    );
    let mut payload: dev::Payload = dev::Payload::Stream {
        payload: Box::pin(guarded) as actix_http::BoxedPayloadStream,
    };
    let body = web::Payload::from_request(&req, &mut payload).await?;
    let (response, socket, stream) = actix_ws::handle(&req, body)?;
    let epoch = Instant::now();
    let last_seen = Arc::new(AtomicU64::new(0));
    let stopped = Arc::new(Notify::new());
    let (out, outbound) = mpsc::channel(OUTBOUND_QUEUE);
    let actor = SessionActor::new(
        server.next_id.fetch_add(1, Ordering::Relaxed),
        server.pool.clone(),
        Arc::clone(&server.python),
        RequestParts::of(&req),
        out.clone(),
        limits.clone(),
        Arc::clone(&last_seen),
        epoch,
        server.registry.clone(),
        Arc::clone(&stopped),
    )
    .start();
    let connection = req.conn_data::<ConnectionSocket>().copied();
    actix_rt::spawn(write(socket, outbound, stopped, connection));
    actix_rt::spawn(read(stream, actor, out, limits, last_seen, epoch, oversize));
    Ok(response)
}

/// Sends what the actor queues, in order, until it closes the socket or stops; a write that
/// the client does not take is abandoned when the actor stops, so a client that never reads
/// cannot keep its connection (and what is queued for it) alive.
async fn write(
    mut socket: actix_ws::Session,
    mut outbound: mpsc::Receiver<Outbound>,
    stopped: Arc<Notify>,
    connection: Option<ConnectionSocket>,
) {
    loop {
        let message = tokio::select! {
            biased;
            message = outbound.recv() => message,
            () = stopped.notified() => None,
        };
        let Some(message) = message else { break };
        let sending = async {
            match message {
                Outbound::Text(text) => socket.text(text).await.is_ok(),
                Outbound::Ping => socket.ping(b"").await.is_ok(),
                Outbound::Pong(bytes) => socket.pong(&bytes).await.is_ok(),
                Outbound::Close(code, reason) => {
                    let reason = CloseReason {
                        code: CloseCode::from(code),
                        description: Some(reason),
                    };
                    // Bounded by its own timeout, not abandoned when the actor stops: the
                    // close frame is what tells the client what to do next.
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.clone().close(Some(reason)))
                        .await;
                    false
                }
            }
        };
        // A write the client does not take is abandoned once the actor has stopped.
        let sent = tokio::select! {
            biased;
            sent = sending => Some(sent),
            () = stopped.notified() => None,
        };
        match sent {
            Some(true) => continue,
            Some(false) => return,
            None => {
                // The client does not read: what is buffered for it would wait for ever, and
                // the connection with it. The write is still pending, so the connection (and
                // its descriptor) is alive: shut its socket down to let it go now.
                if let Some(ConnectionSocket(fd)) = connection {
                    // SAFETY: the descriptor belongs to this live connection (see above);
                    // shutdown() neither closes nor reuses it.
                    let socket = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
                    let _ = socket2::SockRef::from(&socket).shutdown(std::net::Shutdown::Both);
                }
                return;
            }
        }
    }
    // The actor stopped without a close of its own (a dropped link): end the socket.
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.close(None)).await;
}

async fn read(
    stream: actix_ws::MessageStream,
    actor: Addr<SessionActor>,
    out: mpsc::Sender<Outbound>,
    limits: SessionLimits,
    last_seen: Arc<AtomicU64>,
    epoch: Instant,
    oversize: Arc<AtomicBool>,
) {
    let mut stream = stream
        .max_frame_size(limits.max_frame_bytes)
        .aggregate_continuations()
        .max_continuation_size(limits.max_frame_bytes);
    while let Some(message) = stream.next().await {
        last_seen.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
        match message {
            Ok(AggregatedMessage::Text(text)) => {
                if actor.try_send(Frame(text.to_string())).is_err() {
                    // The session's mailbox is full: more frames than it can answer.
                    let _ = out.try_send(Outbound::Close(CLOSE_POLICY, "too many messages".into()));
                    break;
                }
            }
            Ok(AggregatedMessage::Binary(bytes)) => {
                // Upload chunks: in order with the text frames, through the same mailbox.
                if actor.try_send(BinaryFrame(bytes)).is_err() {
                    let _ = out.try_send(Outbound::Close(CLOSE_POLICY, "too many messages".into()));
                    break;
                }
            }
            Ok(AggregatedMessage::Ping(bytes)) => {
                let _ = out.try_send(Outbound::Pong(bytes));
            }
            Ok(AggregatedMessage::Pong(_)) => {}
            Ok(AggregatedMessage::Close(_)) => break,
            Err(ProtocolError::Overflow) => {
                let _ = out.try_send(Outbound::Close(1009, "frame too large".into()));
                break;
            }
            // The guard refused a frame on its header, or fragments added up past the limit
            // (actix reports that as an I/O error).
            Err(ProtocolError::Io(err))
                if oversize.load(Ordering::Relaxed) || err.to_string().contains("continuation") =>
            {
                let _ = out.try_send(Outbound::Close(1009, "frame too large".into()));
                break;
            }
            Err(_) if oversize.load(Ordering::Relaxed) => {
                let _ = out.try_send(Outbound::Close(1009, "frame too large".into()));
                break;
            }
            Err(_) => break,
        }
    }
    actor.do_send(ReaderGone);
}
