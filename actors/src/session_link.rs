//! `_core.SessionLink`: what a session's Python code holds of its actor, to start what outlives
//! one call — subscriptions, timers, a background task's delivery.
//!
//! Every method is a non-blocking message to the actor or a change to the broker's map; none
//! waits for the actor (which is, most of the time, waiting for this very Python call).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::broker::{broker, Subscriber};
use crate::session_actor::SessionActor;

/// The longest topic name accepted (a topic is a key, not a payload).
pub const MAX_TOPIC_BYTES: usize = 512;

/// Start a timer on the session's own clock.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StartTimer {
    /// The handle's id, for [`CancelTimer`].
    pub id: u64,
    /// When it fires (and, when `repeat`, its period).
    pub after: Duration,
    /// Fire every `after` until cancelled, not once.
    pub repeat: bool,
    /// The event handed to `handle_info`.
    pub event: String,
    /// The payload, as JSON text.
    pub payload: String,
    /// Who started it (the view's generation, or a component of it), for `handle_info`.
    pub owner: String,
}

/// Cancel one timer (`Some(id)`) or all of them (`None`).
#[derive(Message)]
#[rtype(result = "()")]
pub struct CancelTimer(pub Option<u64>);

/// A background task's result for the session's `handle_async_result`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct AsyncResult {
    /// The task's name.
    pub name: String,
    /// What the task returned (`None` when it raised).
    pub result: Py<PyAny>,
    /// The exception it raised, or `None`.
    pub error: Py<PyAny>,
}

/// A connected session's handle for its Python side.
#[pyclass(module = "djust._core", frozen)]
pub struct SessionLink {
    id: u64,
    actor: Addr<SessionActor>,
    waiting: Arc<AtomicUsize>,
    timers: AtomicU64,
}

impl SessionLink {
    /// The link of session `id`, whose actor is `actor` and whose broadcasts not yet taken
    /// are counted in `waiting`.
    pub fn new(id: u64, actor: Addr<SessionActor>, waiting: Arc<AtomicUsize>) -> SessionLink {
        SessionLink {
            id,
            actor,
            waiting,
            timers: AtomicU64::new(0),
        }
    }
}

#[pymethods]
impl SessionLink {
    /// Delivers what is published to `topic` to this session until it unsubscribes or closes.
    fn subscribe(&self, topic: &str) -> PyResult<()> {
        check_topic(topic)?;
        let subscriber = Subscriber {
            recipient: self.actor.clone().recipient(),
            waiting: Arc::clone(&self.waiting),
        };
        broker().subscribe(topic, self.id, subscriber);
        Ok(())
    }

    /// Ends this session's subscription to `topic`.
    fn unsubscribe(&self, topic: &str) {
        broker().unsubscribe(topic, self.id);
    }

    /// The topics this session listens to.
    fn topics(&self) -> Vec<String> {
        broker().topics_of(self.id)
    }

    /// Starts a timer of `owner` firing `event` with `payload` (JSON text) after `after_ms`
    /// (every `after_ms` when `repeat`); its id.
    fn start_timer(
        &self,
        after_ms: u64,
        repeat: bool,
        event: String,
        payload: String,
        owner: String,
    ) -> PyResult<u64> {
        if repeat && after_ms == 0 {
            return Err(PyValueError::new_err(
                "an interval of 0 ms would fire without pause; give a period of 1 ms or more",
            ));
        }
        let id = self.timers.fetch_add(1, Ordering::Relaxed) + 1;
        self.actor.do_send(StartTimer {
            id,
            after: Duration::from_millis(after_ms),
            repeat,
            event,
            payload,
            owner,
        });
        Ok(id)
    }

    /// Cancels timer `id` (a timer that already fired, or an unknown id, is no error).
    fn cancel_timer(&self, id: u64) {
        self.actor.do_send(CancelTimer(Some(id)));
    }

    /// Hands a background task's result to the session, in order with its frames; whether the
    /// session was still there to take it.
    fn deliver_async_result(&self, name: String, result: Py<PyAny>, error: Py<PyAny>) -> bool {
        if !self.actor.connected() {
            return false;
        }
        self.actor.do_send(AsyncResult {
            name,
            result,
            error,
        });
        true
    }

    /// Ends every subscription and timer of this session (its view was replaced).
    fn release(&self) {
        broker().unsubscribe_all(self.id);
        self.actor.do_send(CancelTimer(None));
    }

    /// Whether the session's actor still runs.
    #[getter]
    fn connected(&self) -> bool {
        self.actor.connected()
    }
}

fn check_topic(topic: &str) -> PyResult<()> {
    if topic.is_empty() || topic.len() > MAX_TOPIC_BYTES {
        return Err(PyValueError::new_err(format!(
            "a topic is a non-empty name of at most {MAX_TOPIC_BYTES} bytes, got {} bytes",
            topic.len()
        )));
    }
    Ok(())
}

/// Publishes `event` with `payload` (JSON text of an object) to `topic`'s subscribers, in this
/// process and, with Redis configured, in every other; how many local sessions took it.
#[pyfunction]
pub fn pubsub_publish(
    py: Python<'_>,
    topic: &str,
    event: String,
    payload: String,
) -> PyResult<usize> {
    check_topic(topic)?;
    let message = crate::broker::Published::Info {
        topic: topic.to_owned(),
        event,
        payload,
    };
    Ok(py.detach(|| broker().publish(topic, message)))
}

/// Sends the ready frame `frame` (a `push_event`) to every subscriber of `topic`'s socket;
/// how many local sessions took it.
#[pyfunction]
pub fn pubsub_push(py: Python<'_>, topic: &str, frame: String) -> PyResult<usize> {
    check_topic(topic)?;
    let message = crate::broker::Published::Push { frame };
    Ok(py.detach(|| broker().publish(topic, message)))
}

/// Links this process's broker to other processes through Redis at `url` (`None`: this
/// process only), on Redis channels named `<prefix>:<topic>`.
#[pyfunction]
#[pyo3(signature = (url, prefix = "djust"))]
pub fn pubsub_configure(py: Python<'_>, url: Option<String>, prefix: &str) -> PyResult<()> {
    py.detach(|| broker().set_remote(url.as_deref(), prefix))
        .map_err(PyValueError::new_err)
}

/// The broker's counters and link state: `published`, `delivered`, `dropped`,
/// `received_remote`, `remote_failures`, `remote` (`None`: no Redis; else whether connected).
#[pyfunction]
pub fn pubsub_stats(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    let stats = broker().stats();
    let dict = pyo3::types::PyDict::new(py);
    dict.set_item("published", stats.published)?;
    dict.set_item("delivered", stats.delivered)?;
    dict.set_item("dropped", stats.dropped)?;
    dict.set_item("received_remote", stats.received_remote)?;
    dict.set_item("remote_failures", stats.remote_failures)?;
    dict.set_item("remote", broker().remote_state())?;
    Ok(dict)
}
