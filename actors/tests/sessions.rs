//! The server's session actors end to end, with Python sessions defined inline: a real
//! `Server` on a loopback port, WebSocket clients written by hand over `TcpStream`.
//!
//! What is checked: frames are answered in the order they were sent; a flooding socket is
//! closed with 1008; the Python pool's bound sheds HTTP requests with 503; the supervision
//! limit (more than 3 failures within 5 s closes with 4500); a session whose Python breaks is
//! closed alone; a silent socket is dropped after the heartbeat timeout; no actor (and no open
//! Python session) is left after 1,000 connect/disconnect cycles; a graceful stop closes
//! sockets with 1012. (The pool's own panic isolation is tested in `python_pool.rs`.)

use std::ffi::CStr;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use djust_actors::server::{Server, ServerConfig};
use djust_actors::session_actor::SessionLimits;
use djust_actors::wsgi::PythonObjects;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python side: a WSGI app and `open_socket` returning a session that answers frames.
const PYTHON: &CStr = cr#"
import json, random, threading, time

lock = threading.Lock()
counts = {"opened": 0, "closed": 0}

class Session:
    def __init__(self, environ):
        self.last_failure = None
        with lock:
            counts["opened"] += 1

    def handle_frame(self, text):
        self.last_failure = None
        message = json.loads(text)
        if message["t"] == "mount":
            return [json.dumps({"t": "mounted"})]
        ref = message.get("ref")
        name = message.get("name")
        params = message.get("params") or {}
        if name == "jitter":
            time.sleep(random.random() * 0.004)
        elif name == "sleep":
            time.sleep(params["seconds"])
        elif name == "fail":
            self.last_failure = RuntimeError("boom")
            return [json.dumps({"t": "error", "ref": ref, "code": "handler_error",
                                "message": "RuntimeError"})]
        elif name == "break":
            raise RuntimeError("the session itself broke")
        return [json.dumps({"t": "patch", "ref": ref, "patches": []})]

    def close(self):
        with lock:
            counts["closed"] += 1

def open_socket(environ, link):
    # link: the session's _core.SessionLink (subscriptions, timers), unused by this fake.
    return Session(environ)

def app(environ, start_response):
    if environ["PATH_INFO"] == "/sleep":
        time.sleep(float(environ["QUERY_STRING"] or "1"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"#;

struct TestServer {
    server: Server,
    globals: Py<PyDict>,
}

impl TestServer {
    fn start(threads: usize, queue: usize, limits: SessionLimits) -> TestServer {
        Python::initialize();
        let (python, globals) = Python::attach(|py| {
            let globals = PyDict::new(py);
            py.run(PYTHON, Some(&globals), None).unwrap();
            let get = |name: &str| globals.get_item(name).unwrap().unwrap().unbind();
            let python = PythonObjects {
                app: get("app"),
                open_socket: get("open_socket"),
                bytes_io: py
                    .import("io")
                    .unwrap()
                    .getattr("BytesIO")
                    .unwrap()
                    .unbind(),
                stderr: py
                    .import("sys")
                    .unwrap()
                    .getattr("stderr")
                    .unwrap()
                    .unbind(),
                multiprocess: false,
            };
            (python, globals.unbind())
        });
        let config = ServerConfig {
            bind: "127.0.0.1:0".to_owned(),
            python_threads: threads,
            python_queue: queue,
            workers: 2,
            websocket_path: "/ws/live/".to_owned(),
            static_files: None,
            max_body_bytes: 1024 * 1024,
            limits,
            reuse_port: false,
            shutdown_timeout: Duration::from_secs(2),
        };
        let server = Server::start(config, python).expect("the server starts");
        TestServer { server, globals }
    }

    fn default() -> TestServer {
        TestServer::start(4, 256, SessionLimits::default())
    }

    fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// `counts[name]` of the Python side.
    fn count(&self, name: &str) -> i64 {
        Python::attach(|py| {
            let counts = self.globals.bind(py).get_item("counts").unwrap().unwrap();
            counts.get_item(name).unwrap().extract::<i64>().unwrap()
        })
    }

    fn wait_for_sessions(&self, count: usize, within: Duration) -> usize {
        let deadline = Instant::now() + within;
        while self.server.sessions() != count && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        self.server.sessions()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.stop(false);
        self.server.wait(Some(Duration::from_secs(5)));
    }
}

// --- a WebSocket client by hand ---------------------------------------------------------------

const TEXT: u8 = 0x1;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xA;

struct Client {
    stream: TcpStream,
    buffer: Vec<u8>,
}

#[derive(Debug, PartialEq)]
enum Received {
    Text(String),
    Close(Option<u16>),
    /// The connection ended without a close frame.
    End,
    /// Nothing within the time allowed.
    Nothing,
}

impl Client {
    fn connect(address: SocketAddr) -> Client {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_nodelay(true).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let request = format!(
            "GET /ws/live/ HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
            let n = stream.read(&mut chunk).unwrap();
            assert!(n > 0, "the server closed during the handshake");
            buffer.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        buffer.drain(..end + 4);
        Client { stream, buffer }
    }

    fn send_frame(&mut self, opcode: u8, payload: &[u8]) -> std::io::Result<()> {
        self.send_raw_frame(true, opcode, payload, payload.len())
    }

    /// A masked frame announcing `announced` bytes of payload, of which `payload` is sent.
    fn send_raw_frame(
        &mut self,
        fin: bool,
        opcode: u8,
        payload: &[u8],
        announced: usize,
    ) -> std::io::Result<()> {
        let mut frame = vec![if fin { 0x80 } else { 0 } | opcode];
        let n = announced;
        if n < 126 {
            frame.push(0x80 | n as u8);
        } else if n < 65536 {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
        let mask = [0x12, 0x34, 0x56, 0x78];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame)
    }

    fn send(&mut self, text: &str) {
        self.send_frame(TEXT, text.as_bytes()).unwrap();
    }

    fn event(&mut self, reference: u64, name: &str, params: &str) {
        self.send(&format!(
            r#"{{"t":"event","ref":{reference},"name":"{name}","params":{params},"target":null}}"#
        ));
    }

    fn fill(&mut self, n: usize, deadline: Instant) -> Result<(), Received> {
        let mut chunk = [0u8; 65536];
        while self.buffer.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Received::Nothing);
            }
            self.stream.set_read_timeout(Some(left)).unwrap();
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(Received::End),
                Ok(k) => self.buffer.extend_from_slice(&chunk[..k]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(Received::Nothing)
                }
                Err(_) => return Err(Received::End),
            }
        }
        Ok(())
    }

    /// The next text frame or close (pings answered, pongs skipped).
    fn receive(&mut self, within: Duration) -> Received {
        let deadline = Instant::now() + within;
        loop {
            if let Err(outcome) = self.fill(2, deadline) {
                return outcome;
            }
            let opcode = self.buffer[0] & 0x0F;
            let mut len = (self.buffer[1] & 0x7F) as usize;
            let mut head = 2;
            if len == 126 {
                if let Err(outcome) = self.fill(4, deadline) {
                    return outcome;
                }
                len = u16::from_be_bytes([self.buffer[2], self.buffer[3]]) as usize;
                head = 4;
            } else if len == 127 {
                if let Err(outcome) = self.fill(10, deadline) {
                    return outcome;
                }
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&self.buffer[2..10]);
                len = u64::from_be_bytes(bytes) as usize;
                head = 10;
            }
            if let Err(outcome) = self.fill(head + len, deadline) {
                return outcome;
            }
            let payload: Vec<u8> = self.buffer[head..head + len].to_vec();
            self.buffer.drain(..head + len);
            match opcode {
                TEXT => return Received::Text(String::from_utf8(payload).unwrap()),
                CLOSE => {
                    let code =
                        (payload.len() >= 2).then(|| u16::from_be_bytes([payload[0], payload[1]]));
                    return Received::Close(code);
                }
                PING => {
                    let _ = self.send_frame(PONG, &payload);
                }
                _ => {}
            }
        }
    }

    fn text(&mut self) -> serde_json::Value {
        match self.receive(Duration::from_secs(10)) {
            Received::Text(text) => serde_json::from_str(&text).unwrap(),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// Frames until the socket closes: the close code (`None`: no close frame, or no code).
    fn closed_with(&mut self, within: Duration) -> Option<u16> {
        let deadline = Instant::now() + within;
        loop {
            match self.receive(deadline.saturating_duration_since(Instant::now())) {
                Received::Text(_) => continue,
                Received::Close(code) => return code,
                Received::End => return None,
                Received::Nothing => panic!("the socket was not closed within {within:?}"),
            }
        }
    }

    fn mount(&mut self) {
        self.send(r#"{"t":"mount","token":"t"}"#);
        assert_eq!(self.text()["t"], "mounted");
    }

    fn close(mut self) {
        let _ = self.send_frame(CLOSE, &1000u16.to_be_bytes());
    }
}

fn http_get(address: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

// --- the tests ------------------------------------------------------------------------------

#[test]
fn frames_are_answered_in_the_order_they_were_sent() {
    let server = TestServer::default();
    let mut client = Client::connect(server.address());
    client.mount();
    let mut next = 1u64;
    for _batch in 0..10 {
        // 40 at a time: within the mailbox (64), so none is refused as a flood.
        for reference in next..next + 40 {
            client.event(reference, "jitter", "{}");
        }
        for reference in next..next + 40 {
            let answer = client.text();
            assert_eq!(answer["t"], "patch", "{answer}");
            assert_eq!(answer["ref"], reference, "{answer}");
        }
        next += 40;
    }
    client.close();
}

#[test]
fn a_flooding_socket_is_closed_with_1008_and_others_go_on() {
    let server = TestServer::default();
    let mut other = Client::connect(server.address());
    other.mount();
    let mut client = Client::connect(server.address());
    client.mount();
    for reference in 1..=2000 {
        let frame = format!(
            r#"{{"t":"event","ref":{reference},"name":"sleep","params":{{"seconds":0.001}}}}"#
        );
        // The server may close before all are sent.
        if client.send_frame(TEXT, frame.as_bytes()).is_err() {
            break;
        }
    }
    assert_eq!(client.closed_with(Duration::from_secs(20)), Some(1008));
    for reference in 1..=5 {
        let sent = Instant::now();
        other.event(reference, "increment", "{}");
        assert_eq!(other.text()["ref"], reference);
        assert!(sent.elapsed() < Duration::from_millis(500));
    }
}

#[test]
fn a_full_python_pool_sheds_http_requests_with_503() {
    // One thread and two places in the queue: of 8 requests at once, at most 3 are taken.
    let server = TestServer::start(1, 2, SessionLimits::default());
    let address = server.address();
    let start = Arc::new(Barrier::new(8));
    let requests: Vec<_> = (0..8)
        .map(|_| {
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let sent = Instant::now();
                let (status, response) = http_get(address, "/sleep?0.5");
                (status, response, sent.elapsed())
            })
        })
        .collect();
    let results: Vec<_> = requests.into_iter().map(|r| r.join().unwrap()).collect();
    let served = results.iter().filter(|r| r.0 == 200).count();
    let shed: Vec<_> = results.iter().filter(|r| r.0 == 503).collect();
    assert_eq!(served + shed.len(), 8, "{results:?}");
    assert!((1..=3).contains(&served), "{results:?}");
    for (_, response, took) in &shed {
        assert!(
            response.to_ascii_lowercase().contains("retry-after: "),
            "{response}"
        );
        assert!(
            *took < Duration::from_millis(400),
            "shed only after {took:?}"
        );
    }
    // And served again once the pool is free.
    assert_eq!(http_get(address, "/").0, 200);
}

#[test]
fn more_than_three_failures_within_five_seconds_close_with_4500() {
    let server = TestServer::default();
    let mut client = Client::connect(server.address());
    client.mount();
    for reference in 1..=3 {
        client.event(reference, "fail", "{}");
        let answer = client.text();
        assert_eq!(answer["code"], "handler_error", "{answer}");
        assert_eq!(answer["ref"], reference);
    }
    client.event(4, "fail", "{}");
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(4500));
}

#[test]
fn failures_spread_over_more_than_the_window_do_not_close() {
    let server = TestServer::default();
    let mut client = Client::connect(server.address());
    client.mount();
    for reference in 1..=3 {
        client.event(reference, "fail", "{}");
        assert_eq!(client.text()["code"], "handler_error");
    }
    thread::sleep(Duration::from_millis(5200));
    for reference in 4..=6 {
        client.event(reference, "fail", "{}");
        assert_eq!(client.text()["code"], "handler_error");
    }
    client.event(7, "increment", "{}");
    assert_eq!(client.text()["t"], "patch");
}

#[test]
fn a_session_whose_python_breaks_is_closed_alone() {
    let server = TestServer::default();
    let mut other = Client::connect(server.address());
    other.mount();
    let mut client = Client::connect(server.address());
    client.mount();
    client.event(1, "break", "{}");
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(1011));
    other.event(1, "increment", "{}");
    assert_eq!(other.text()["ref"], 1);
    assert_eq!(server.wait_for_sessions(1, Duration::from_secs(5)), 1);
}

#[test]
fn a_silent_socket_is_dropped_after_the_heartbeat_timeout() {
    let limits = SessionLimits {
        heartbeat: Duration::from_millis(100),
        timeout: Duration::from_millis(400),
        ..SessionLimits::default()
    };
    let server = TestServer::start(2, 64, limits);
    let mut client = Client::connect(server.address());
    let started = Instant::now();
    // Reading without ever answering a ping: the server must end the connection.
    let ended = client
        .fill(usize::MAX, started + Duration::from_secs(5))
        .expect_err("a buffer of usize::MAX bytes cannot fill");
    assert_eq!(
        ended,
        Received::End,
        "the connection was still open {:?} after the client fell silent ({} sessions)",
        started.elapsed(),
        server.server.sessions()
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[test]
fn no_actor_is_left_after_a_thousand_connects_and_disconnects() {
    let server = TestServer::default();
    let address = server.address();
    let workers: Vec<_> = (0..10)
        .map(|worker| {
            thread::spawn(move || {
                for cycle in 0..100 {
                    let mut client = Client::connect(address);
                    match (worker + cycle) % 4 {
                        // Mounted, then a clean close.
                        0 => {
                            client.mount();
                            client.close();
                        }
                        // Mounted, then the TCP connection dropped.
                        1 => {
                            client.mount();
                            drop(client);
                        }
                        // Dropped mid-event.
                        2 => {
                            client.mount();
                            client.event(1, "sleep", r#"{"seconds":0.01}"#);
                            drop(client);
                        }
                        // Dropped before a word.
                        _ => drop(client),
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(server.wait_for_sessions(0, Duration::from_secs(10)), 0);
    // The server still serves.
    let mut client = Client::connect(address);
    client.mount();
    client.close();
    assert_eq!(server.wait_for_sessions(0, Duration::from_secs(5)), 0);
}

#[test]
fn every_python_session_opened_is_closed() {
    let server = TestServer::default();
    let address = server.address();
    for cycle in 0..300 {
        let mut client = Client::connect(address);
        if cycle % 2 == 0 {
            client.mount();
        }
        drop(client);
    }
    assert_eq!(server.wait_for_sessions(0, Duration::from_secs(10)), 0);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.count("closed") < server.count("opened") && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        server.count("closed"),
        server.count("opened"),
        "sessions were opened but never closed"
    );
}

fn small_frames() -> SessionLimits {
    SessionLimits {
        max_frame_bytes: 1024,
        ..SessionLimits::default()
    }
}

#[test]
fn a_frame_over_the_limit_closes_with_1009() {
    let server = TestServer::start(2, 64, small_frames());
    let mut client = Client::connect(server.address());
    client.mount();
    let frame = format!(r#"{{"t":"ping","ref":1,"pad":"{}"}}"#, "x".repeat(2000));
    client.send(&frame);
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(1009));
}

#[test]
fn an_oversize_frame_is_refused_on_its_header_before_its_payload_arrives() {
    let server = TestServer::start(2, 64, small_frames());
    let mut client = Client::connect(server.address());
    client.mount();
    // Announces 64 MiB, sends 2 KiB of it: nothing past the limit may be waited for.
    client
        .send_raw_frame(true, TEXT, &[b'x'; 2048], 64 * 1024 * 1024)
        .unwrap();
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(1009));
}

#[test]
fn fragments_adding_up_past_the_limit_close_with_1009() {
    let server = TestServer::start(2, 64, small_frames());
    let mut client = Client::connect(server.address());
    client.mount();
    client
        .send_raw_frame(false, TEXT, br#"{"t":"ping","ref":1,"pad":""#, 27)
        .unwrap();
    for _ in 0..4 {
        if client
            .send_raw_frame(false, 0x0, &[b'x'; 512], 512)
            .is_err()
        {
            break;
        }
    }
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(1009));
}

#[test]
fn a_graceful_stop_closes_sockets_with_1012() {
    let server = TestServer::default();
    let mut client = Client::connect(server.address());
    client.mount();
    let mut busy = Client::connect(server.address());
    busy.mount();
    busy.event(1, "sleep", r#"{"seconds":0.5}"#);
    thread::sleep(Duration::from_millis(100));
    server.server.stop(true);
    // The event in flight is answered first.
    assert_eq!(busy.text()["ref"], 1);
    assert_eq!(busy.closed_with(Duration::from_secs(5)), Some(1012));
    assert_eq!(client.closed_with(Duration::from_secs(5)), Some(1012));
    assert!(server.server.wait(Some(Duration::from_secs(5))));
}
