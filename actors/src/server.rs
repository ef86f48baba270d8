//! The server behind `djust serve`: actix-web on threads of its own, started and stopped from
//! Python's main thread (which keeps the signals).
//!
//! Requests are routed three ways: the WebSocket path to a [`SessionActor`] per connection,
//! `STATIC_URL` to [`StaticFiles`] (falling through to Django for what is not a file), and
//! everything else to the WSGI application on the Python pool.
//!
//! [`SessionActor`]: crate::session_actor::SessionActor

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{middleware, web, App, HttpRequest, HttpResponse, HttpServer};
use socket2::{Domain, Protocol, Socket, Type};

use crate::python_pool::PythonPool;
use crate::registry::Registry;
use crate::session_actor::{SessionLimits, Shutdown};
use crate::static_files::StaticFiles;
use crate::websocket::{upgrade, SocketServer};
use crate::wsgi::{self, PythonObjects};

/// How a server is set up.
pub struct ServerConfig {
    /// `host:port` to listen on.
    pub bind: String,
    /// Python worker threads.
    pub python_threads: usize,
    /// Python jobs that may wait for a thread before requests are shed with 503.
    pub python_queue: usize,
    /// Actix worker threads (0: one per core).
    pub workers: usize,
    /// The WebSocket path (`LIVEVIEW_CONFIG['websocket_path']`).
    pub websocket_path: String,
    /// Static files, if this server serves them.
    pub static_files: Option<StaticFiles>,
    /// Request bodies larger than this are refused with 413 before Python sees them.
    pub max_body_bytes: usize,
    /// Per-session limits and timings.
    pub limits: SessionLimits,
    /// Share the port with other processes (`--workers`).
    pub reuse_port: bool,
    /// How long a graceful stop waits for in-flight work.
    pub shutdown_timeout: Duration,
}

/// A running server.
pub struct Server {
    address: SocketAddr,
    handle: Mutex<Option<ServerHandle>>,
    done: Arc<(Mutex<bool>, Condvar)>,
    registry: Registry,
    shutdown_timeout: Duration,
}

impl Server {
    /// Binds the address and starts serving on threads of its own. Fails at once when the
    /// address cannot be bound (in use, not this machine's).
    pub fn start(config: ServerConfig, python: PythonObjects) -> std::io::Result<Server> {
        let listener = listen(&config.bind, config.reuse_port)?;
        let address = listener.local_addr()?;
        let pool = PythonPool::new(config.python_threads, config.python_queue);
        let registry = Registry::default();
        let sockets = SocketServer {
            pool: pool.clone(),
            python: Arc::new(python),
            limits: config.limits.clone(),
            registry: registry.clone(),
            next_id: Arc::new(AtomicU64::new(1)),
        };
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let (handle_sender, handle_receiver) = std::sync::mpsc::channel();
        let finished = Arc::clone(&done);
        let shutdown_timeout = config.shutdown_timeout;
        thread::Builder::new()
            .name("djust-server".into())
            .spawn(move || {
                let errors = handle_sender.clone();
                let result = actix_rt::System::new().block_on(async move {
                    let server = serve(listener, config, sockets)?;
                    let _ = handle_sender.send(Ok(server.handle()));
                    server.await
                });
                if let Err(err) = result {
                    let _ = errors.send(Err(err));
                }
                let (lock, wake) = &*finished;
                *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
                wake.notify_all();
            })?;
        let handle = handle_receiver.recv().map_err(|_| {
            std::io::Error::other("the server thread ended before it started serving")
        })??;
        Ok(Server {
            address,
            handle: Mutex::new(Some(handle)),
            done,
            registry,
            shutdown_timeout,
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// How many sockets are connected now.
    pub fn sessions(&self) -> usize {
        self.registry.len()
    }

    /// Stops the server. Graceful: stop accepting, let in-flight events finish, close every
    /// socket with a reconnect code, then wait (at most the shutdown timeout) for requests.
    pub fn stop(&self, graceful: bool) {
        let handle = self.handle.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(handle) = handle else { return };
        for session in self.registry.all() {
            // Queued behind what the session is doing now: its in-flight event finishes first.
            session.do_send(Shutdown);
        }
        if graceful {
            // Give the sessions a moment to send their close frames before the workers stop.
            let deadline = std::time::Instant::now() + self.shutdown_timeout;
            while !self.registry.is_empty() && std::time::Instant::now() < deadline {
                thread::sleep(Duration::from_millis(10));
            }
        }
        // The stop command is sent at once; the server thread ends when it is carried out.
        drop(handle.stop(graceful));
    }

    /// Waits until the server has stopped, at most `timeout`; whether it has.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let (lock, wake) = &*self.done;
        let mut stopped = lock.lock().unwrap_or_else(|p| p.into_inner());
        match timeout {
            None => {
                while !*stopped {
                    stopped = wake.wait(stopped).unwrap_or_else(|p| p.into_inner());
                }
                true
            }
            Some(timeout) => {
                let (stopped, _) = wake
                    .wait_timeout_while(stopped, timeout, |stopped| !*stopped)
                    .unwrap_or_else(|p| p.into_inner());
                *stopped
            }
        }
    }
}

fn listen(bind: &str, reuse_port: bool) -> std::io::Result<TcpListener> {
    let address = bind.to_socket_addrs()?.next().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "no address to bind")
    })?;
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    socket.bind(&address.into())?;
    socket.listen(2048)?;
    Ok(socket.into())
}

/// The state every request handler shares.
struct Shared {
    pool: PythonPool,
    python: Arc<PythonObjects>,
    static_files: Option<StaticFiles>,
    max_body_bytes: usize,
}

fn serve(
    listener: TcpListener,
    config: ServerConfig,
    sockets: SocketServer,
) -> std::io::Result<actix_web::dev::Server> {
    let shared = web::Data::new(Shared {
        pool: sockets.pool.clone(),
        python: Arc::clone(&sockets.python),
        static_files: config.static_files,
        max_body_bytes: config.max_body_bytes,
    });
    let sockets = web::Data::new(sockets);
    let websocket_path = config.websocket_path.clone();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .app_data(sockets.clone())
            .app_data(web::PayloadConfig::new(usize::MAX))
            .wrap(middleware::Compress::default())
            .route(&websocket_path, web::get().to(upgrade))
            .default_service(web::to(dispatch))
    })
    .on_connect(remember_socket)
    .disable_signals()
    .shutdown_timeout(config.shutdown_timeout.as_secs().max(1))
    .listen(listener)?;
    if config.workers > 0 {
        server = server.workers(config.workers);
    }
    Ok(server.run())
}

/// Keeps each connection's socket descriptor with it, so that a WebSocket whose client stops
/// reading can be shut down (see `websocket::write`).
fn remember_socket(connection: &dyn std::any::Any, data: &mut actix_web::dev::Extensions) {
    use std::os::fd::AsRawFd;

    if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
        data.insert(crate::websocket::ConnectionSocket(stream.as_raw_fd()));
    }
}

/// Static files first (when the path is under `STATIC_URL` and such a file exists), else Django.
async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    if let Some(files) = &shared.static_files {
        if files.handles(req.path()) {
            if let Some(response) = files.respond(&req).await {
                return response;
            }
        }
    }
    wsgi::respond(
        req,
        payload,
        shared.pool.clone(),
        Arc::clone(&shared.python),
        shared.max_body_bytes,
    )
    .await
}
