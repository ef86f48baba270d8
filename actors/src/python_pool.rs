//! The bounded pool of Python worker threads: the only threads of `djust serve` that run Python.
//!
//! Actix threads never take the GIL (a thread waiting for it would freeze every actor on that
//! thread). Python work — a WSGI request, a session's frame — is a job sent to this pool; the
//! caller awaits its result as a future. The queue is bounded: when every thread is busy and
//! the queue is full, [`PythonPool::run`] refuses at once ([`Busy`]), and the caller sheds the
//! load (HTTP answers 503, a mount is told to retry) instead of queueing without limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender, TrySendError};
use pyo3::prelude::*;
use tokio::sync::oneshot;

/// A unit of Python work: runs on a pool thread with the GIL held.
type Job = Box<dyn FnOnce(Python<'_>) + Send>;

/// The pool refused a job: every thread is busy and the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// A job's result could not be delivered: the pool stopped before running it, or it panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lost;

/// Jobs that may wait in all (sessions' jobs included) before even those are refused.
const HARD_QUEUE: usize = 65_536;

/// A fixed set of threads that run Python jobs from a bounded queue, in the order queued.
#[derive(Clone)]
pub struct PythonPool {
    jobs: Sender<Job>,
    busy: Arc<AtomicUsize>,
    threads: usize,
    queue: usize,
}

impl PythonPool {
    /// Starts `threads` worker threads; [`run`](Self::run) refuses once `queue` jobs wait.
    pub fn new(threads: usize, queue: usize) -> PythonPool {
        let threads = threads.max(1);
        let queue = queue.max(1);
        let (jobs, receiver) = bounded::<Job>(HARD_QUEUE.max(queue));
        let busy = Arc::new(AtomicUsize::new(0));
        for index in 0..threads {
            let receiver: Receiver<Job> = receiver.clone();
            let busy = Arc::clone(&busy);
            thread::Builder::new()
                .name(format!("djust-python-{index}"))
                .spawn(move || {
                    while let Ok(job) = receiver.recv() {
                        busy.fetch_add(1, Ordering::Relaxed);
                        Python::attach(job);
                        busy.fetch_sub(1, Ordering::Relaxed);
                    }
                })
                .expect("the OS refused a Python worker thread");
        }
        PythonPool {
            jobs,
            busy,
            threads,
            queue,
        }
    }

    /// Queues `work` unless `queue` jobs already wait (an HTTP request is then shed); the
    /// future yields its result, or [`Lost`] if it never ran or panicked.
    pub fn run<T, F>(
        &self,
        work: F,
    ) -> Result<impl std::future::Future<Output = Result<T, Lost>>, Busy>
    where
        T: Send + 'static,
        F: FnOnce(Python<'_>) -> T + Send + 'static,
    {
        if self.jobs.len() >= self.queue {
            return Err(Busy);
        }
        self.run_waiting(work)
    }

    /// Queues `work` behind whatever waits: for a session, which has at most one job in flight
    /// (so these are bounded by the connections), and must not lose a frame to a busy moment.
    pub fn run_waiting<T, F>(
        &self,
        work: F,
    ) -> Result<impl std::future::Future<Output = Result<T, Lost>>, Busy>
    where
        T: Send + 'static,
        F: FnOnce(Python<'_>) -> T + Send + 'static,
    {
        let (reply, result) = oneshot::channel();
        let job: Job = Box::new(move |py| {
            // A panic in Python-facing code must not take the worker thread down with it.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(py)));
            if let Ok(value) = outcome {
                let _ = reply.send(value);
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(async move { result.await.map_err(|_| Lost) }),
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => Err(Busy),
        }
    }

    /// How many threads the pool has.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many jobs are waiting for a thread.
    pub fn queued(&self) -> usize {
        self.jobs.len()
    }

    /// How many threads are running a job now.
    pub fn running(&self) -> usize {
        self.busy.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_rt::test]
    async fn jobs_run_with_python_and_return_their_result() {
        Python::initialize();
        let pool = PythonPool::new(2, 8);
        let answer = pool
            .run(|py| {
                py.eval(c"6 * 7", None, None)
                    .unwrap()
                    .extract::<i64>()
                    .unwrap()
            })
            .unwrap()
            .await;
        assert_eq!(answer, Ok(42));
    }

    #[actix_rt::test]
    async fn a_full_queue_refuses_at_once() {
        Python::initialize();
        let pool = PythonPool::new(1, 1);
        let (release, wait) = crossbeam_channel::bounded::<()>(0);
        // One job holds the only thread (without the GIL), one fills the queue.
        let first = pool
            .run(move |py| py.detach(|| wait.recv().unwrap()))
            .unwrap();
        while pool.running() == 0 {
            std::thread::yield_now();
        }
        let second = pool.run(|_| ()).unwrap();
        assert_eq!(pool.run(|_| ()).err(), Some(Busy));
        release.send(()).unwrap();
        assert_eq!(first.await, Ok(()));
        assert_eq!(second.await, Ok(()));
    }

    #[actix_rt::test]
    async fn a_panicking_job_is_lost_and_the_thread_lives_on() {
        Python::initialize();
        let pool = PythonPool::new(1, 4);
        let lost = pool.run(|_| -> u8 { panic!("boom") }).unwrap().await;
        assert_eq!(lost, Err(Lost));
        assert_eq!(pool.run(|_| 7).unwrap().await, Ok(7));
    }
}
