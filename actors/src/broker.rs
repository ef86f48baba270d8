//! The pub/sub broker: which sessions of this process listen to which topic, and the fan-out of
//! a published message to them (and, through [`crate::redis_link`], to other processes).
//!
//! A message is encoded once and shared (`Arc`) by every subscriber. Delivery is a bounded send
//! to each session's mailbox: a session whose mailbox is full (a slow client, a stuck handler)
//! loses that message and the loss is counted; it never stalls the publisher or other sessions.
//! Publishing takes no GIL and waits on nothing, so `djust.broadcast` may be called from
//! anywhere: a handler, a model signal, a management command.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use actix::prelude::*;
use dashmap::DashMap;

use crate::redis_link::RedisLink;

/// A message published to a topic.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// For each subscriber's `handle_info(event, payload)`; `payload` is a JSON object.
    Info {
        /// The topic it was published to.
        topic: String,
        /// The event name handed to `handle_info`.
        event: String,
        /// The payload, as JSON text.
        payload: String,
    },
    /// A ready `push_event` frame, sent to each subscriber's socket with no Python at all.
    Push {
        /// The frame's JSON text.
        frame: String,
    },
}

/// A published message reaching one session.
#[derive(Message, Clone)]
#[rtype(result = "()")]
pub struct Deliver(pub Arc<Published>);

/// Published messages one session may have waiting; more are dropped and counted. Separate
/// from the session's mailbox bound, so a flood of broadcasts never takes the room its own
/// browser's frames need.
pub const MAX_WAITING: usize = 32;

/// One session as the broker reaches it.
#[derive(Clone)]
pub struct Subscriber {
    /// Where its messages go.
    pub recipient: Recipient<Deliver>,
    /// Its messages sent and not yet taken (the session decrements it as it takes each).
    pub waiting: Arc<AtomicUsize>,
}

/// Counters of the broker's work since the process started.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BrokerStats {
    /// Messages published from this process.
    pub published: u64,
    /// Messages handed to a session's mailbox.
    pub delivered: u64,
    /// Messages a session could not take (its mailbox was full, or it had just stopped).
    pub dropped: u64,
    /// Messages received from other processes through Redis.
    pub received_remote: u64,
    /// Messages that could not be sent to Redis (it was down, or the queue to it was full).
    pub remote_failures: u64,
}

/// Topics and their subscribed sessions, in one process.
#[derive(Default)]
pub struct Broker {
    topics: DashMap<String, HashMap<u64, Subscriber>>,
    sessions: DashMap<u64, HashSet<String>>,
    remote: Mutex<Option<RedisLink>>,
    published: AtomicU64,
    delivered: AtomicU64,
    dropped: AtomicU64,
    pub(crate) received_remote: AtomicU64,
    pub(crate) remote_failures: AtomicU64,
}

static BROKER: LazyLock<Broker> = LazyLock::new(Broker::default);

/// The broker of this process.
pub fn broker() -> &'static Broker {
    &BROKER
}

impl Broker {
    /// Subscribes session `id` (reached as `subscriber`) to `topic`; subscribing twice is one
    /// subscription.
    pub fn subscribe(&self, topic: &str, id: u64, subscriber: Subscriber) {
        // One map entry at a time: holding a dashmap guard while writing another is a deadlock.
        self.topics
            .entry(topic.to_owned())
            .or_default()
            .insert(id, subscriber);
        self.sessions
            .entry(id)
            .or_default()
            .insert(topic.to_owned());
    }

    /// Ends session `id`'s subscription to `topic`.
    pub fn unsubscribe(&self, topic: &str, id: u64) {
        self.topics.remove_if_mut(topic, |_, subscribers| {
            subscribers.remove(&id);
            subscribers.is_empty()
        });
        self.sessions.remove_if_mut(&id, |_, topics| {
            topics.remove(topic);
            topics.is_empty()
        });
    }

    /// Ends every subscription of session `id` (it stopped, or its view was replaced).
    pub fn unsubscribe_all(&self, id: u64) {
        let Some((_, topics)) = self.sessions.remove(&id) else {
            return;
        };
        for topic in topics {
            self.topics.remove_if_mut(&topic, |_, subscribers| {
                subscribers.remove(&id);
                subscribers.is_empty()
            });
        }
    }

    /// The topics session `id` listens to.
    pub fn topics_of(&self, id: u64) -> Vec<String> {
        self.sessions
            .get(&id)
            .map(|topics| topics.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// How many sessions of this process listen to `topic`.
    pub fn subscribers(&self, topic: &str) -> usize {
        self.topics.get(topic).map_or(0, |found| found.len())
    }

    /// Publishes `message` to `topic`: to this process's subscribers now, and to other
    /// processes when a Redis link is configured. Returns how many local sessions took it.
    pub fn publish(&self, topic: &str, message: Published) -> usize {
        self.published.fetch_add(1, Ordering::Relaxed);
        let message = Arc::new(message);
        if let Some(remote) = self.remote().as_ref() {
            remote.publish(topic, &message);
        }
        self.deliver_local(topic, message)
    }

    /// Hands `message` to every session of this process subscribed to `topic`.
    pub fn deliver_local(&self, topic: &str, message: Arc<Published>) -> usize {
        // Copy the subscribers out so no guard is held while sessions are told.
        let subscribers: Vec<Subscriber> = match self.topics.get(topic) {
            Some(found) => found.values().cloned().collect(),
            None => return 0,
        };
        let mut delivered = 0;
        for subscriber in subscribers {
            let waiting = subscriber.waiting.fetch_add(1, Ordering::AcqRel);
            let sent = waiting < MAX_WAITING && subscriber.recipient.connected();
            if sent {
                subscriber.recipient.do_send(Deliver(Arc::clone(&message)));
            }
            if sent {
                delivered += 1;
            } else {
                subscriber.waiting.fetch_sub(1, Ordering::AcqRel);
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.delivered
            .fetch_add(delivered as u64, Ordering::Relaxed);
        delivered
    }

    /// Connects this process to other processes through Redis at `url` (`None`: this process
    /// only). Replaces a previous link.
    pub fn set_remote(&self, url: Option<&str>, prefix: &str) -> Result<(), String> {
        let link = url.map(|url| RedisLink::start(url, prefix)).transpose()?;
        *self.remote() = link;
        Ok(())
    }

    /// Whether a Redis link is configured, and whether it is connected now.
    pub fn remote_state(&self) -> Option<bool> {
        self.remote().as_ref().map(RedisLink::connected)
    }

    /// The counters so far.
    pub fn stats(&self) -> BrokerStats {
        BrokerStats {
            published: self.published.load(Ordering::Relaxed),
            delivered: self.delivered.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            received_remote: self.received_remote.load(Ordering::Relaxed),
            remote_failures: self.remote_failures.load(Ordering::Relaxed),
        }
    }

    fn remote(&self) -> std::sync::MutexGuard<'_, Option<RedisLink>> {
        self.remote
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Listener(Arc<Mutex<Vec<Arc<Published>>>>);

    impl Actor for Listener {
        type Context = Context<Self>;
    }

    impl Handler<Deliver> for Listener {
        type Result = ();
        fn handle(&mut self, Deliver(message): Deliver, _: &mut Context<Self>) {
            self.0.lock().unwrap().push(message);
        }
    }

    fn reach<A: Actor<Context = Context<A>> + Handler<Deliver>>(address: &Addr<A>) -> Subscriber {
        Subscriber {
            recipient: address.clone().recipient(),
            waiting: Arc::default(),
        }
    }

    fn info(topic: &str, event: &str) -> Published {
        Published::Info {
            topic: topic.into(),
            event: event.into(),
            payload: "{}".into(),
        }
    }

    #[actix_rt::test]
    async fn a_message_reaches_every_subscriber_of_its_topic_only() {
        let broker = Broker::default();
        let (seen_a, seen_b) = (Arc::default(), Arc::default());
        let a = Listener(Arc::clone(&seen_a)).start();
        let b = Listener(Arc::clone(&seen_b)).start();
        broker.subscribe("room:1", 1, reach(&a));
        broker.subscribe("room:1", 2, reach(&b));
        broker.subscribe("room:2", 2, reach(&b));
        assert_eq!(broker.publish("room:1", info("room:1", "hello")), 2);
        assert_eq!(broker.publish("room:3", info("room:3", "nobody")), 0);
        actix_rt::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(seen_a.lock().unwrap().len(), 1);
        assert_eq!(seen_b.lock().unwrap().len(), 1);
        assert_eq!(broker.stats().published, 2);
        assert_eq!(broker.stats().delivered, 2);
    }

    #[actix_rt::test]
    async fn unsubscribing_everything_leaves_no_entry_behind() {
        let broker = Broker::default();
        let a = Listener(Arc::default()).start();
        for topic in ["a", "b", "c"] {
            broker.subscribe(topic, 7, reach(&a));
        }
        broker.subscribe("a", 7, reach(&a));
        assert_eq!(broker.subscribers("a"), 1);
        broker.unsubscribe("b", 7);
        assert_eq!(broker.topics_of(7).len(), 2);
        broker.unsubscribe_all(7);
        assert!(broker.topics.is_empty());
        assert!(broker.sessions.is_empty());
    }

    struct Quitter;

    impl Actor for Quitter {
        type Context = Context<Self>;
        fn started(&mut self, ctx: &mut Context<Self>) {
            ctx.stop();
        }
    }

    impl Handler<Deliver> for Quitter {
        type Result = ();
        fn handle(&mut self, _: Deliver, _: &mut Context<Self>) {}
    }

    #[actix_rt::test]
    async fn a_stopped_subscriber_counts_as_dropped_and_does_not_stop_the_others() {
        let broker = Broker::default();
        let seen = Arc::default();
        let live = Listener(Arc::clone(&seen)).start();
        let gone = Quitter.start();
        broker.subscribe("t", 1, reach(&gone));
        broker.subscribe("t", 2, reach(&live));
        actix_rt::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(broker.publish("t", info("t", "e")), 1);
        actix_rt::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert_eq!(broker.stats().dropped, 1);
    }

    #[actix_rt::test]
    async fn a_subscriber_that_does_not_keep_up_loses_what_is_over_its_bound() {
        let broker = Broker::default();
        let seen = Arc::default();
        let slow = Listener(Arc::clone(&seen)).start();
        let subscriber = reach(&slow);
        let waiting = Arc::clone(&subscriber.waiting);
        broker.subscribe("t", 1, subscriber);
        // Nothing takes the messages (the listener never decrements): the bound holds.
        for _ in 0..1_000 {
            broker.publish("t", info("t", "e"));
        }
        assert_eq!(waiting.load(Ordering::Relaxed), MAX_WAITING);
        let stats = broker.stats();
        assert_eq!(stats.delivered, MAX_WAITING as u64);
        assert_eq!(stats.dropped, 1_000 - MAX_WAITING as u64);
    }
}
