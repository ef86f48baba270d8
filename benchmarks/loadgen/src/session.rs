//! One LiveView session: GET its page (token and cookies), open the socket, mount, then run the
//! workload the wave's phase asks for, reading every frame the server sends the whole time (so
//! the server's WebSocket pings are answered), and close when told.

use crate::http::{cookie_header, view_token, Pool, Target};
use crate::stats::{Counts, Samples};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch, OnceCell, Semaphore};
use tokio::time::{sleep_until, timeout_at, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

type Ws = WebSocketStream<TcpStream>;

pub struct Config {
    pub ws_path: String,
    pub origin: String,
    pub op_timeout: Duration,
    /// The hard deadline of the whole run: nothing waits past it.
    pub deadline: Instant,
}

#[derive(Clone, Copy, Debug)]
pub enum Work {
    /// Idle; a JSON ping every interval (with a random first offset), or nothing.
    Idle(Option<Duration>),
    /// Send an event, wait for its answer, send the next.
    Closed,
    /// Send events on a schedule (mean period, ±50 % uniform jitter), answers or not.
    Open(Duration),
}

pub struct Spec {
    pub page: Target,
    /// Sessions `k*share .. (k+1)*share` of the group mount with one page GET (the same visitor
    /// with that many tabs open); 1 = every session fetches its own page, as a browser tab does.
    pub page_share: usize,
    pub event: String,
    pub work: Work,
    /// Results are kept apart by group (`main`, `slow`).
    pub group: usize,
    /// Where the fanout scenario hears, as they happen, of this group's frames the server sent
    /// unasked and of its answers: the rounds are timed as they go, not after the run.
    pub tap: Option<mpsc::UnboundedSender<Heard>>,
}

/// What a session tells the fanout scenario, the moment it reads it.
#[derive(Clone, Copy, Debug)]
pub enum Heard {
    /// A frame the server sent unasked (a `patch` with `ref` null, or a `push_event`) to the
    /// group's session `index`.
    Unsolicited { index: usize, at: Instant },
    /// An answer to an event sent at `sent`.
    Answer { sent: Instant, at: Instant },
}

#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub start: Instant,
    pub measure_from: Instant,
    pub end: Instant,
    pub drain_until: Instant,
}

#[derive(Clone, Copy, Debug)]
pub enum Phase {
    Connecting,
    Run(Plan),
    Close,
}

pub struct ConnectReport {
    pub group: usize,
    pub error: Option<String>,
    pub total_us: u128,
    pub http_us: u128,
    pub ws_us: u128,
    pub mount_us: u128,
}

#[derive(Default)]
pub struct SessionResult {
    pub group: usize,
    pub mounted: bool,
    /// Answer latencies of the frames sent inside the measured window.
    pub latency: Samples,
    pub sent: u64,
    pub sent_in_window: u64,
    /// Answers (patch/pong/error with our ref) received inside the measured window.
    pub answered_in_window: u64,
    pub answered: u64,
    pub error_frames: Counts,
    /// Frames still unanswered when the run (and its drain) ended.
    pub unanswered: u64,
    /// The socket ended before we closed it: why.
    pub dropped: Option<String>,
    pub clean_close: bool,
}

#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(borrow)]
    t: &'a str,
    #[serde(rename = "ref")]
    reference: Option<u64>,
    #[serde(borrow)]
    code: Option<&'a str>,
}

fn ws_config() -> WebSocketConfig {
    // Small buffers: 10,000 sessions must not cost the generator gigabytes.
    WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0)
}

struct Timings {
    http_us: u128,
    ws_us: u128,
    mount_us: u128,
}

/// Pages fetched, by (group, index / page_share): the view token and the Cookie header.
pub type PageCache = std::sync::Mutex<HashMap<(usize, usize), Arc<OnceCell<(String, String)>>>>;

async fn fetch_page(spec: &Spec, pool: &Pool) -> Result<(String, String), String> {
    let page = &spec.page;
    let resp = pool
        .get(page, &page.path, true)
        .await
        .map_err(|e| format!("http_io: {}", e.kind()))?;
    if resp.status != 200 {
        return Err(format!("http_{}", resp.status));
    }
    let token = view_token(&resp.body).ok_or("no_dj_view_token")?;
    Ok((token, cookie_header(&resp.set_cookies)))
}

async fn connect(
    index: usize,
    cfg: &Config,
    spec: &Spec,
    pool: &Pool,
    pages: &PageCache,
) -> Result<(Ws, Timings), String> {
    let t0 = Instant::now();
    let page = &spec.page;
    let (token, cookie) = if spec.page_share <= 1 {
        fetch_page(spec, pool).await?
    } else {
        let cell = pages
            .lock()
            .unwrap()
            .entry((spec.group, index / spec.page_share))
            .or_default()
            .clone();
        cell.get_or_try_init(|| fetch_page(spec, pool))
            .await?
            .clone()
    };
    let t1 = Instant::now();

    let stream = TcpStream::connect(page.addr)
        .await
        .map_err(|e| format!("ws_connect: {}", e.kind()))?;
    stream.set_nodelay(true).ok();
    let url = format!("ws://{}{}", page.authority, cfg.ws_path);
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    let headers = request.headers_mut();
    headers.insert(
        "Origin",
        HeaderValue::from_str(&cfg.origin).map_err(|e| e.to_string())?,
    );
    if !cookie.is_empty() {
        headers.insert(
            "Cookie",
            HeaderValue::from_str(&cookie).map_err(|e| e.to_string())?,
        );
    }
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(ws_config()))
            .await
            .map_err(|e| match e {
                WsError::Http(r) => format!("ws_http_{}", r.status().as_u16()),
                WsError::Io(e) => format!("ws_io: {}", e.kind()),
                other => format!("ws_handshake: {other}"),
            })?;
    let t2 = Instant::now();

    let mount = serde_json::json!({"t": "mount", "token": token, "url": page.path});
    ws.send(Message::text(mount.to_string()))
        .await
        .map_err(|e| format!("mount_send: {e}"))?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => match serde_json::from_str::<Frame>(&text) {
                Ok(f) if f.t == "mounted" => break,
                Ok(f) if f.t == "error" => {
                    return Err(format!("mount_error_{}", f.code.unwrap_or("unknown")))
                }
                Ok(_) => {}
                Err(_) => return Err("mount_bad_frame".into()),
            },
            Some(Ok(Message::Close(frame))) => {
                let code = frame.map(|f| u16::from(f.code)).unwrap_or(0);
                return Err(format!("closed_before_mount_{code}"));
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(format!("mount_read: {e}")),
            None => return Err("closed_before_mount".into()),
        }
    }
    let t3 = Instant::now();
    Ok((
        ws,
        Timings {
            http_us: (t1 - t0).as_micros(),
            ws_us: (t2 - t1).as_micros(),
            mount_us: (t3 - t2).as_micros(),
        },
    ))
}

/// What one incoming message means to a session.
enum Incoming {
    /// An answer to one of our refs, and whether it was an error frame (with its code).
    Answer(u64, Option<String>),
    /// A frame nobody asked for: a broadcast's patch (`ref` null) or a `push_event`.
    Unsolicited,
    Other,
    Ended(String),
}

fn classify(msg: Option<Result<Message, WsError>>) -> Incoming {
    match msg {
        Some(Ok(Message::Text(text))) => match serde_json::from_str::<Frame>(&text) {
            Ok(f) => match (f.t, f.reference) {
                ("patch" | "pong", Some(r)) => Incoming::Answer(r, None),
                ("error", Some(r)) => {
                    Incoming::Answer(r, Some(f.code.unwrap_or("unknown").to_string()))
                }
                ("patch", None) | ("push_event", _) => Incoming::Unsolicited,
                _ => Incoming::Other,
            },
            Err(_) => Incoming::Other,
        },
        Some(Ok(Message::Close(frame))) => {
            let code = frame.map(|f| u16::from(f.code)).unwrap_or(0);
            Incoming::Ended(format!("server_close_{code}"))
        }
        Some(Ok(_)) => Incoming::Other,
        Some(Err(e)) => Incoming::Ended(format!("read_error: {e}")),
        None => Incoming::Ended("eof".into()),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    id: usize,
    index: usize,
    cfg: Arc<Config>,
    spec: Arc<Spec>,
    pool: Arc<Pool>,
    pages: Arc<PageCache>,
    sem: Arc<Semaphore>,
    mut phase: watch::Receiver<Phase>,
    reports: mpsc::UnboundedSender<ConnectReport>,
    busy: Arc<AtomicUsize>,
    connect_until: Instant,
) -> SessionResult {
    let mut result = SessionResult {
        group: spec.group,
        ..Default::default()
    };
    let permit = sem.acquire().await;
    let t0 = Instant::now();
    if t0 >= connect_until {
        // The wave's time to connect is over: this session does not start.
        let _ = reports.send(ConnectReport {
            group: spec.group,
            error: Some("not_started_in_time".into()),
            total_us: 0,
            http_us: 0,
            ws_us: 0,
            mount_us: 0,
        });
        return result;
    }
    let limit = (t0 + cfg.op_timeout).min(cfg.deadline);
    let outcome = match timeout_at(limit, connect(index, &cfg, &spec, &pool, &pages)).await {
        Ok(r) => r,
        Err(_) => Err("timeout".into()),
    };
    drop(permit);
    let total_us = t0.elapsed().as_micros();
    let mut ws = match outcome {
        Ok((ws, t)) => {
            let _ = reports.send(ConnectReport {
                group: spec.group,
                error: None,
                total_us,
                http_us: t.http_us,
                ws_us: t.ws_us,
                mount_us: t.mount_us,
            });
            ws
        }
        Err(error) => {
            let _ = reports.send(ConnectReport {
                group: spec.group,
                error: Some(error),
                total_us,
                http_us: 0,
                ws_us: 0,
                mount_us: 0,
            });
            return result;
        }
    };
    drop(reports);
    result.mounted = true;

    // 1. Idle until the wave runs (or closes).
    let plan = loop {
        let now = *phase.borrow_and_update();
        match now {
            Phase::Run(p) => break Some(p),
            Phase::Close => break None,
            Phase::Connecting => {}
        }
        tokio::select! {
            msg = ws.next() => {
                if let Incoming::Ended(why) = classify(msg) {
                    result.dropped = Some(why);
                    return result;
                }
            }
            changed = phase.changed() => if changed.is_err() { break None },
            _ = sleep_until(cfg.deadline) => break None,
        }
    };

    // 2. The workload.
    if let Some(plan) = plan {
        busy.fetch_add(1, Ordering::SeqCst);
        let ended = workload(
            id,
            index,
            &cfg,
            &spec,
            plan,
            &mut phase,
            &mut ws,
            &mut result,
        )
        .await;
        busy.fetch_sub(1, Ordering::SeqCst);
        if let Some(why) = ended {
            result.dropped = Some(why);
            return result;
        }
    }

    // 3. Idle until told to close.
    loop {
        if matches!(*phase.borrow_and_update(), Phase::Close) {
            break;
        }
        tokio::select! {
            msg = ws.next() => {
                if let Incoming::Ended(why) = classify(msg) {
                    result.dropped = Some(why);
                    return result;
                }
            }
            changed = phase.changed() => if changed.is_err() { break },
            _ = sleep_until(cfg.deadline) => break,
        }
    }

    // 4. Close: our close frame, then wait (briefly) for the server's.
    let limit =
        (Instant::now() + Duration::from_secs(5)).min(cfg.deadline + Duration::from_secs(2));
    let closed = timeout_at(limit, async {
        if ws.close(None).await.is_err() {
            return false;
        }
        loop {
            match ws.next().await {
                Some(Ok(_)) => {}
                Some(Err(WsError::ConnectionClosed)) | None => return true,
                Some(Err(_)) => return false,
            }
        }
    })
    .await;
    result.clean_close = matches!(closed, Ok(true));
    result
}

/// Runs the session's work from `plan.start` to `plan.end`, then waits for outstanding answers
/// until `plan.drain_until`; a new plan from the wave (a run cut short) moves both. Returns why
/// the socket ended, if it did.
#[allow(clippy::too_many_arguments)]
async fn workload(
    id: usize,
    index: usize,
    cfg: &Config,
    spec: &Spec,
    mut plan: Plan,
    phase: &mut watch::Receiver<Phase>,
    ws: &mut Ws,
    result: &mut SessionResult,
) -> Option<String> {
    let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15 ^ id as u64);
    let mut next_ref: u64 = 1;
    let mut outstanding: HashMap<u64, Instant> = HashMap::new();
    let mut next_send = match spec.work {
        Work::Idle(Some(iv)) => Some(plan.start + iv.mul_f64(rng.f64())),
        Work::Idle(None) => None,
        Work::Closed => Some(plan.start),
        Work::Open(period) => Some(plan.start + period.mul_f64(rng.f64())),
    };
    loop {
        let drain_until = plan.drain_until.min(cfg.deadline);
        let now = Instant::now();
        if (now >= plan.end && outstanding.is_empty()) || now >= drain_until {
            break;
        }
        let send_at = next_send.filter(|t| *t < plan.end);
        let wake = match send_at {
            Some(t) => t,
            None if now < plan.end => plan.end,
            None => drain_until,
        };
        tokio::select! {
            msg = ws.next() => match classify(msg) {
                Incoming::Answer(r, error) => {
                    let Some(sent) = outstanding.remove(&r) else { continue };
                    let at = Instant::now();
                    if let (Some(tap), None) = (&spec.tap, &error) {
                        let _ = tap.send(Heard::Answer { sent, at });
                    }
                    result.answered += 1;
                    if at >= plan.measure_from && at <= plan.end {
                        result.answered_in_window += 1;
                    }
                    match error {
                        Some(code) => result.error_frames.add(code),
                        None if sent >= plan.measure_from => {
                            result.latency.push_us((at - sent).as_micros())
                        }
                        None => {}
                    }
                    if let Work::Closed = spec.work {
                        next_send = Some(at);
                    }
                }
                Incoming::Unsolicited => {
                    if let Some(tap) = &spec.tap {
                        let _ = tap.send(Heard::Unsolicited { index, at: Instant::now() });
                    }
                }
                Incoming::Other => {}
                Incoming::Ended(why) => return Some(why),
            },
            changed = phase.changed() => match (changed, *phase.borrow_and_update()) {
                (Ok(()), Phase::Run(moved)) => plan = moved,
                _ => break,
            },
            _ = sleep_until(wake) => {
                let Some(t) = send_at else { continue };
                if Instant::now() < t {
                    continue;
                }
                let r = next_ref;
                next_ref += 1;
                let frame = match spec.work {
                    Work::Idle(_) => format!("{{\"t\":\"ping\",\"ref\":{r}}}"),
                    _ => format!(
                        "{{\"t\":\"event\",\"ref\":{r},\"name\":\"{}\",\"params\":{{}},\"target\":null}}",
                        spec.event
                    ),
                };
                let sent = Instant::now();
                if let Err(e) = ws.send(Message::text(frame)).await {
                    return Some(format!("send_error: {e}"));
                }
                outstanding.insert(r, sent);
                result.sent += 1;
                if sent >= plan.measure_from && sent < plan.end {
                    result.sent_in_window += 1;
                }
                next_send = match spec.work {
                    Work::Idle(Some(iv)) => Some(t + iv),
                    Work::Idle(None) | Work::Closed => None,
                    // Scheduled from the plan, not from when the send happened: open loop.
                    Work::Open(period) => Some(t + period.mul_f64(0.5 + rng.f64())),
                };
            }
        }
    }
    result.unanswered = outstanding.len() as u64;
    None
}
