//! The live sessions of a server, by id: counted, and told to close at shutdown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix::Addr;

use crate::session_actor::SessionActor;

/// Every live [`SessionActor`] of one server.
#[derive(Clone, Default)]
pub struct Registry {
    sessions: Arc<Mutex<HashMap<u64, Addr<SessionActor>>>>,
}

impl Registry {
    /// Records a session that started.
    pub fn insert(&self, id: u64, address: Addr<SessionActor>) {
        self.lock().insert(id, address);
    }

    /// Forgets a session that stopped.
    pub fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// How many sessions are live.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no session is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The addresses of every live session (a copy: no lock is held while they are told).
    pub fn all(&self) -> Vec<Addr<SessionActor>> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Addr<SessionActor>>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
