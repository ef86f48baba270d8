//! The broker's link to other processes through Redis: every published message goes out on the
//! Redis channel `<prefix>:<topic>`, and every message another process published comes back in
//! through one pattern subscription (`<prefix>:*`) and is handed to this process's sessions.
//!
//! The link runs on a thread of its own (a small tokio runtime), so it works in any process that
//! publishes — `djust serve`, a management command, a Celery worker — and never touches the
//! server's threads. Redis going away costs only the messages sent meanwhile to other processes:
//! publishing never blocks or fails in the caller (a message Redis cannot take is counted and
//! reported once per outage), local delivery goes on, and both connections come back by
//! themselves, the subscription renewed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::broker::{broker, Published};

/// Messages waiting to go to Redis before further ones are dropped (and counted).
const QUEUE: usize = 10_000;
/// The longest wait between two attempts to reach Redis.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// How long one Redis operation may take before the connection counts as lost.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A live link to Redis; dropping it ends the link's thread.
pub struct RedisLink {
    queue: mpsc::Sender<(String, String)>,
    connected: Arc<AtomicBool>,
    prefix: String,
    node: String,
}

impl RedisLink {
    /// Starts the link to the Redis server at `url` (`redis://host:port/db`); fails only on a
    /// URL that cannot name a server. Connecting happens in the background.
    pub fn start(url: &str, prefix: &str) -> Result<RedisLink, String> {
        let client = redis::Client::open(url)
            .map_err(|err| format!("LIVEVIEW_CONFIG['pubsub']['url'] {url:?}: {err}"))?;
        let (queue, outgoing) = mpsc::channel(QUEUE);
        let connected = Arc::new(AtomicBool::new(false));
        let node = node_id();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| format!("the Redis link could not start: {err}"))?;
        let (subscriber, publisher) = (client.clone(), client);
        let (state, own, prefix_owned) = (Arc::clone(&connected), node.clone(), prefix.to_owned());
        std::thread::Builder::new()
            .name("djust-redis".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listening = tokio::spawn(listen(subscriber, prefix_owned, own, state));
                    send(publisher, outgoing).await;
                    // The link was dropped: its queue closed, so stop listening too.
                    listening.abort();
                });
            })
            .map_err(|err| format!("the Redis link could not start: {err}"))?;
        Ok(RedisLink {
            queue,
            connected,
            prefix: prefix.to_owned(),
            node,
        })
    }

    /// Queues `message` for the other processes; never blocks.
    pub fn publish(&self, topic: &str, message: &Published) {
        let body = match message {
            Published::Info { event, payload, .. } => {
                json!({"n": self.node, "k": "info", "e": event, "p": payload})
            }
            Published::Push { frame } => json!({"n": self.node, "k": "push", "f": frame}),
        };
        let channel = format!("{}:{topic}", self.prefix);
        if self.queue.try_send((channel, body.to_string())).is_err() {
            broker().remote_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether the subscription to other processes' messages is up now.
    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }
}

/// An id telling this process's own messages apart when Redis echoes them back.
fn node_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    format!("{:x}-{:x}", std::process::id(), nanos)
}

/// Sends queued messages to Redis, reconnecting after a failure with a growing pause; messages
/// that arrive while Redis cannot be reached are counted and dropped.
async fn send(client: redis::Client, mut outgoing: mpsc::Receiver<(String, String)>) {
    let mut connection = None;
    let mut retry_at = Instant::now();
    let mut backoff = Duration::from_millis(100);
    let mut outage = Outage::default();
    while let Some((channel, body)) = outgoing.recv().await {
        if connection.is_none() && Instant::now() >= retry_at {
            match tokio::time::timeout(TIMEOUT, client.get_multiplexed_async_connection()).await {
                Ok(Ok(opened)) => {
                    connection = Some(opened);
                    backoff = Duration::from_millis(100);
                }
                Ok(Err(err)) => outage.began(&format!("cannot connect: {err}")),
                Err(_) => outage.began("cannot connect: timed out"),
            }
            if connection.is_none() {
                retry_at = Instant::now() + backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
        let Some(open) = connection.as_mut() else {
            broker().remote_failures.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let mut command = redis::cmd("PUBLISH");
        command.arg(&channel).arg(&body);
        let publish = command.query_async::<i64>(open);
        match tokio::time::timeout(TIMEOUT, publish).await {
            Ok(Ok(_)) => outage.ended("publishing"),
            failed => {
                let reason = match failed {
                    Ok(Err(err)) => err.to_string(),
                    _ => "timed out".to_owned(),
                };
                outage.began(&format!("publish failed: {reason}"));
                broker().remote_failures.fetch_add(1, Ordering::Relaxed);
                connection = None;
                retry_at = Instant::now();
            }
        }
    }
}

/// Receives other processes' messages and hands them to this process's sessions, renewing the
/// subscription after every loss of the connection.
async fn listen(client: redis::Client, prefix: String, node: String, connected: Arc<AtomicBool>) {
    let pattern = format!("{prefix}:*");
    let mut backoff = Duration::from_millis(100);
    let mut outage = Outage::default();
    loop {
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(&pattern).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        match tokio::time::timeout(TIMEOUT, subscribed).await {
            Ok(Ok(pubsub)) => {
                connected.store(true, Ordering::Relaxed);
                outage.ended("receiving");
                backoff = Duration::from_millis(100);
                let mut messages = pubsub.into_on_message();
                while let Some(message) = messages.next().await {
                    let topic = message
                        .get_channel_name()
                        .strip_prefix(&prefix)
                        .and_then(|rest| rest.strip_prefix(':'));
                    if let (Some(topic), Some(published)) =
                        (topic, decode(message.get_payload_bytes(), &node))
                    {
                        broker().received_remote.fetch_add(1, Ordering::Relaxed);
                        broker().deliver_local(topic, Arc::new(published.into_message(topic)));
                    }
                }
                connected.store(false, Ordering::Relaxed);
                outage.began("the subscription's connection was lost");
            }
            Ok(Err(err)) => outage.began(&format!("cannot subscribe: {err}")),
            Err(_) => outage.began("cannot subscribe: timed out"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// A message of another process, before it knows its topic.
enum Remote {
    Info { event: String, payload: String },
    Push { frame: String },
}

impl Remote {
    fn into_message(self, topic: &str) -> Published {
        match self {
            Remote::Info { event, payload } => Published::Info {
                topic: topic.to_owned(),
                event,
                payload,
            },
            Remote::Push { frame } => Published::Push { frame },
        }
    }
}

/// Another process's message (`None`: this process's own echo, or not one of ours).
fn decode(body: &[u8], own_node: &str) -> Option<Remote> {
    let value: Value = serde_json::from_slice(body).ok()?;
    if value.get("n")?.as_str()? == own_node {
        return None;
    }
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    match value.get("k")?.as_str()? {
        "info" => Some(Remote::Info {
            event: text("e")?,
            payload: text("p")?,
        }),
        "push" => Some(Remote::Push { frame: text("f")? }),
        _ => None,
    }
}

/// Reports an outage once when it begins and once when it ends, not once per message.
#[derive(Default)]
struct Outage {
    down: bool,
}

impl Outage {
    fn began(&mut self, reason: &str) {
        if !self.down {
            self.down = true;
            eprintln!(
                "djust: pub/sub: Redis is unreachable ({reason}); broadcasts reach this \
                 process's sessions only until it returns"
            );
        }
    }

    fn ended(&mut self, what: &str) {
        if self.down {
            self.down = false;
            eprintln!("djust: pub/sub: Redis is back; {what} again");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_ignores_its_own_echo_and_reads_the_others() {
        let info = br#"{"n":"a","k":"info","e":"said","p":"{\"x\":1}"}"#;
        assert!(decode(info, "a").is_none());
        match decode(info, "b").map(|remote| remote.into_message("room")) {
            Some(Published::Info {
                topic,
                event,
                payload,
            }) => {
                assert_eq!((topic.as_str(), event.as_str()), ("room", "said"));
                assert_eq!(payload, r#"{"x":1}"#);
            }
            _ => panic!("an info message"),
        }
        let push = br#"{"n":"a","k":"push","f":"{\"t\":\"push_event\"}"}"#;
        assert!(matches!(decode(push, "b"), Some(Remote::Push { .. })));
        assert!(decode(b"not json", "b").is_none());
        assert!(decode(br#"{"n":"a","k":"other"}"#, "b").is_none());
    }

    #[test]
    fn a_url_that_names_no_server_is_refused_at_once() {
        assert!(RedisLink::start("http://nowhere", "djust").is_err());
    }
}
