//! The `fanout` scenario's rounds: the generator POSTs one publish to the site (a plain Django
//! view calling `djust.broadcast` or `djust.push`), notes t0 just before, and times each
//! subscriber's first unsolicited frame after it (a `patch` with `ref` null, or a
//! `push_event`), as its session reads it. A round ends when every mounted subscriber has heard
//! or at its timeout; the next starts after a pause. The series (each kind of publish through
//! each publish URL) take turns round by round, so a busy neighbour weighs on all alike.
//!
//! Sessions of the `others` group send counter events in a closed loop meanwhile; each answer
//! is filed as sent during a round (t0 to its last subscriber heard) or between rounds.

use crate::http::{Conn, Target};
use crate::session::{Heard, Plan};
use crate::stats::{round3, Samples};
use crate::{sys, Server};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{timeout_at, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `djust.broadcast`: each subscriber's `handle_info` runs and its patch is sent.
    Broadcast,
    /// `djust.push`: one `push_event` frame, encoded once, sent to every subscriber.
    Push,
}

impl Kind {
    pub fn parse(name: &str) -> Result<Kind, String> {
        match name {
            "broadcast" => Ok(Kind::Broadcast),
            "push" => Ok(Kind::Push),
            other => Err(format!("--kinds: {other:?} is neither broadcast nor push")),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Broadcast => "broadcast",
            Kind::Push => "push",
        }
    }
}

/// One kind of publish through one publish URL, repeated once per round.
pub struct Series {
    pub kind: Kind,
    pub publish: Target,
}

/// The rounds of one fanout run, as the command line set them.
pub struct Fanout {
    pub series: Vec<Series>,
    pub topic: String,
    pub rounds: usize,
    pub round_timeout: Duration,
    pub pause: Duration,
    /// What the sessions heard, as they heard it.
    pub heard: mpsc::UnboundedReceiver<Heard>,
}

/// One round of one series.
struct Round {
    t0: Instant,
    /// When the last subscriber heard (or the round timed out).
    end: Instant,
    /// t0 to each subscriber's first unsolicited frame.
    arrivals: Samples,
    missing: usize,
    post_us: u128,
    post_status: u16,
    /// The CPU figures below cover this long: from before the publish until the round ended
    /// (which may be after the last subscriber heard, when the publish call answered later).
    cpu_window_s: f64,
    gen_cpu_s: f64,
    server_cpu_s: Option<f64>,
    /// What the whole machine spent (all cores), the generator and the server included.
    machine_busy_s: Option<f64>,
}

/// Everything the rounds gather besides the rounds themselves.
#[derive(Default)]
struct Gathered {
    /// The others' answers: when the event was sent, and how long its answer took (µs).
    answers: Vec<(Instant, u128)>,
}

impl Gathered {
    /// Files one thing heard; true when it is a subscriber's first frame of this round.
    fn take(&mut self, heard: Heard, round: Option<(Instant, &mut [Option<Instant>])>) -> bool {
        match (heard, round) {
            (Heard::Answer { sent, at }, _) => {
                self.answers.push((sent, (at - sent).as_micros()));
                false
            }
            (Heard::Unsolicited { index, at }, Some((t0, first))) if at >= t0 => {
                match first.get_mut(index) {
                    Some(slot @ None) => {
                        *slot = Some(at);
                        true
                    }
                    _ => false,
                }
            }
            // A late frame of an earlier round (or one before any): not this round's.
            (Heard::Unsolicited { .. }, _) => false,
        }
    }
}

impl Fanout {
    /// Runs every round; `subscribers` sessions were started and `mounted` of them mounted.
    pub async fn run(
        mut self,
        plan: Plan,
        subscribers: usize,
        mounted: usize,
        server: Server,
        deadline: Instant,
    ) -> Value {
        let mut gathered = Gathered::default();
        // Taken out of `self`, which each round borrows to read what the sessions heard.
        let all = std::mem::take(&mut self.series);
        let mut done: Vec<Vec<Round>> = all.iter().map(|_| Vec::new()).collect();
        let mut deadline_hit = false;
        'rounds: for number in 0..self.rounds {
            for (s, series) in all.iter().enumerate() {
                if Instant::now() + self.round_timeout + self.pause >= deadline {
                    deadline_hit = true;
                    break 'rounds;
                }
                let round = self
                    .round(series, number, subscribers, mounted, server, &mut gathered)
                    .await;
                crate::progress(json!({
                    "event": "round", "series": s, "round": number + 1,
                    "last_ms": round3((round.end - round.t0).as_secs_f64() * 1000.0),
                    "missing": round.missing,
                }));
                done[s].push(round);
                self.listen_until(Instant::now() + self.pause, &mut gathered)
                    .await;
            }
        }
        let windows: Vec<(Instant, Instant)> = done
            .iter()
            .flatten()
            .map(|round| (round.t0, round.end))
            .collect();
        let series: Vec<Value> = all
            .iter()
            .zip(done)
            .map(|(series, rounds)| report(series, rounds))
            .collect();
        json!({
            "topic": self.topic,
            "subscribers": subscribers,
            "mounted": mounted,
            "series": series,
            "others": others(&gathered.answers, &windows, plan.measure_from),
            "deadline_hit": deadline_hit,
        })
    }

    /// Keeps reading what the sessions heard (the others' answers) until `until`.
    async fn listen_until(&mut self, until: Instant, gathered: &mut Gathered) {
        while let Ok(Some(heard)) = timeout_at(until, self.heard.recv()).await {
            gathered.take(heard, None);
        }
    }

    async fn round(
        &mut self,
        series: &Series,
        number: usize,
        subscribers: usize,
        mounted: usize,
        server: Server,
        gathered: &mut Gathered,
    ) -> Round {
        let body = json!({
            "topic": self.topic,
            "event": "bench",
            "payload": {"round": number + 1, "text": format!("round {}", number + 1)},
            "push": series.kind == Kind::Push,
        })
        .to_string();
        // The connection is opened before t0: only the publish itself is timed.
        let conn = Conn::connect(series.publish.addr).await;
        let (gen_before, server_before) = (sys::self_cpu_total(), server.cpu_s());
        let machine_before = sys::machine_busy_s();
        let marked = Instant::now();
        let t0 = Instant::now();
        let limit = t0 + self.round_timeout;
        let (post_status, post_us) = match conn {
            Ok(mut conn) => match timeout_at(limit, conn.post_json(&series.publish, &body)).await {
                Ok(Ok(response)) => (response.status, t0.elapsed().as_micros()),
                _ => (0, t0.elapsed().as_micros()),
            },
            Err(_) => (0, 0),
        };
        let mut first: Vec<Option<Instant>> = vec![None; subscribers];
        let mut heard = 0;
        while heard < mounted && post_status == 200 {
            match timeout_at(limit, self.heard.recv()).await {
                Ok(Some(message)) => {
                    heard += gathered.take(message, Some((t0, &mut first))) as usize;
                }
                _ => break,
            }
        }
        let arrived: Vec<Instant> = first.into_iter().flatten().collect();
        let end = match arrived.iter().max() {
            Some(last) if arrived.len() == mounted => *last,
            _ => limit,
        };
        let mut arrivals = Samples::default();
        for at in &arrived {
            arrivals.push_us((*at - t0).as_micros());
        }
        Round {
            t0,
            end,
            missing: mounted - arrived.len(),
            arrivals,
            post_us,
            post_status,
            cpu_window_s: marked.elapsed().as_secs_f64(),
            gen_cpu_s: sys::self_cpu_total() - gen_before,
            server_cpu_s: server.cpu_s().zip(server_before).map(|(b, a)| b - a),
            machine_busy_s: sys::machine_busy_s()
                .zip(machine_before)
                .map(|(b, a)| b - a),
        }
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn ms(us: u128) -> f64 {
    round3(us as f64 / 1000.0)
}

/// One series: each round's figures, their medians, and the CPU the rounds took.
fn report(series: &Series, rounds: Vec<Round>) -> Value {
    let mut rows = Vec::new();
    let (mut lasts, mut p50s, mut p99s, mut posts) = (vec![], vec![], vec![], vec![]);
    let (mut seconds, mut gen_cpu, mut server_cpu, mut machine) = (0.0, 0.0, Some(0.0), Some(0.0));
    let mut missing = 0;
    for (number, round) in rounds.into_iter().enumerate() {
        let last = ms((round.end - round.t0).as_micros());
        let summary = round.arrivals.summary();
        let quantile = |key: &str| summary.get(key).and_then(Value::as_f64);
        if round.missing == 0 {
            lasts.push(last);
        }
        p50s.extend(quantile("p50_ms"));
        p99s.extend(quantile("p99_ms"));
        posts.push(ms(round.post_us));
        missing += round.missing;
        seconds += round.cpu_window_s;
        gen_cpu += round.gen_cpu_s;
        server_cpu = server_cpu.zip(round.server_cpu_s).map(|(a, b)| a + b);
        machine = machine.zip(round.machine_busy_s).map(|(a, b)| a + b);
        rows.push(json!({
            "round": number + 1,
            "last_ms": last,
            "arrivals": summary,
            "missing": round.missing,
            "post_ms": ms(round.post_us),
            "post_status": round.post_status,
            "gen_cpu_ms": round3(round.gen_cpu_s * 1000.0),
            "server_cpu_ms": round.server_cpu_s.map(|s| round3(s * 1000.0)),
        }));
    }
    let pct = |cpu: f64| round3(100.0 * cpu / f64::max(seconds, 1e-9));
    // Everything else the machine did meanwhile: a noisy neighbour shows up here.
    let others_cpu = machine
        .zip(server_cpu)
        .map(|(m, s)| f64::max(m - s - gen_cpu, 0.0));
    json!({
        "kind": series.kind.name(),
        "publish": series.publish.authority,
        "rounds": rows,
        // Over the rounds every subscriber heard; a round with one missing is not a time.
        "complete_rounds": lasts.len(),
        "missing": missing,
        "median": {
            "last_ms": median(lasts).map(round3),
            "p50_ms": median(p50s).map(round3),
            "p99_ms": median(p99s).map(round3),
            "post_ms": median(posts).map(round3),
        },
        "cpu": {
            "seconds": round3(seconds),
            "gen_cpu_s": round3(gen_cpu),
            "gen_cpu_pct": pct(gen_cpu),
            "server_cpu_s": server_cpu.map(round3),
            "server_cpu_pct": server_cpu.map(pct),
            "others_cpu_s": others_cpu.map(round3),
            "others_cpu_pct": others_cpu.map(pct),
        },
    })
}

/// The others' answers, split by whether their event was sent while a round was in flight.
fn others(answers: &[(Instant, u128)], windows: &[(Instant, Instant)], from: Instant) -> Value {
    let (mut during, mut between) = (Samples::default(), Samples::default());
    for &(sent, latency) in answers.iter().filter(|(sent, _)| *sent >= from) {
        if windows.iter().any(|&(t0, end)| t0 <= sent && sent <= end) {
            during.push_us(latency);
        } else {
            between.push_us(latency);
        }
    }
    json!({"during_rounds": during.summary(), "between_rounds": between.summary()})
}
