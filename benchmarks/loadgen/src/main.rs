//! `loadgen`: a loopback load generator for djust's servers (benchmarks/bench_serve.py).
//!
//! Every run is bounded in count and time and stops by itself; it prints one JSON object on
//! stdout with its figures, its own CPU time and wall time, and (with `--server-pid`) the
//! server's RSS and CPU over the same windows. Progress lines (JSON) go to stderr.
//!
//! ```text
//! loadgen connect     --url http://127.0.0.1:P/counter/ --sessions N
//! loadgen hold        --url ... --sessions N --seconds S [--ping-interval X]
//! loadgen closed-loop --url ... --sessions 100 --seconds S
//! loadgen open-loop   --url ... --sessions 1000 --rate 1 --seconds S
//! loadgen cycles      --url ... --sessions 1000 --cycles 10
//! loadgen http        --url ... --connections C --seconds S
//! loadgen fanout      --url http://127.0.0.1:P/bench/fanout/?topic=T --sessions N
//!                     --publish-url http://127.0.0.1:P/bench/publish/ --topic T --rounds K
//! ```
//! Common: `--ws-path /ws/live/`, `--origin http://HOST:P`, `--event increment`,
//! `--concurrency 50` (sessions connecting at once), `--connect-limit S` (no session of a wave
//! starts connecting after S seconds; it counts as failed), `--op-timeout 30`, `--deadline 300`
//! (hard limit on the whole run, seconds), `--threads 1`, `--server-pid PID`, `--settle 1`,
//! `--warmup 1`, `--drain 5`, `--page-share 1` (sessions per page GET: more than one mounts
//! several sessions with one visitor's token and cookie, as tabs of one browser);
//! `--slow-url URL --slow-event nap --slow-sessions 1` adds sessions of another view (closed
//! loop) to closed-loop and open-loop runs.
//!
//! `fanout`: the sessions subscribe to `--topic` (the page at `--url` does, in its mount); then
//! `--rounds` rounds (after `--warmup`), each one POST per series to a publish URL, timing every
//! subscriber's first unsolicited frame after it (src/fanout.rs). `--kinds broadcast,push` and
//! `--publish-url URL[,URL]` make one series per kind and URL, taking turns round by round;
//! `--round-timeout 10`, `--pause 0.5` (between rounds); `--others M --others-url URL` adds M
//! sessions sending `--event` in a closed loop throughout, their latency reported apart for
//! events sent during a round and between rounds.

mod fanout;
mod http;
mod session;
mod stats;
mod sys;

use fanout::Fanout;
use http::Target;
use serde_json::{json, Map, Value};
use session::{Config, ConnectReport, Phase, Plan, SessionResult, Spec, Work};
use stats::{round3, Counts, Samples};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::time::{sleep, sleep_until, timeout_at, Instant};

const USAGE: &str =
    "usage: loadgen <connect|hold|closed-loop|open-loop|cycles|http|fanout> --url URL [--option value]...
see the comment at the top of src/main.rs for the options";

const OPTIONS: &[&str] = &[
    "url",
    "ws-path",
    "origin",
    "event",
    "sessions",
    "concurrency",
    "op-timeout",
    "deadline",
    "threads",
    "server-pid",
    "settle",
    "warmup",
    "seconds",
    "drain",
    "ping-interval",
    "rate",
    "cycles",
    "connections",
    "slow-url",
    "slow-event",
    "slow-sessions",
    "page-share",
    "connect-limit",
    "publish-url",
    "kinds",
    "topic",
    "rounds",
    "round-timeout",
    "pause",
    "others",
    "others-url",
];

struct Args {
    command: String,
    values: HashMap<String, String>,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut it = std::env::args().skip(1);
        let command = it.next().ok_or(USAGE)?;
        if command == "-h" || command == "--help" {
            return Err(USAGE.into());
        }
        let mut values = HashMap::new();
        while let Some(key) = it.next() {
            let name = key
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {key:?}\n{USAGE}"))?;
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (
                    name.to_string(),
                    it.next().ok_or_else(|| format!("--{name} needs a value"))?,
                ),
            };
            if !OPTIONS.contains(&name.as_str()) {
                return Err(format!("unknown option --{name}\n{USAGE}"));
            }
            values.insert(name, value);
        }
        Ok(Args { command, values })
    }

    fn str(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.str(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v:?}")),
            None => Ok(default),
        }
    }

    fn secs(&self, name: &str, default: f64) -> Result<Duration, String> {
        let v: f64 = self.num(name, default)?;
        if !(0.0..=86_400.0).contains(&v) {
            return Err(format!("--{name}: out of range"));
        }
        Ok(Duration::from_secs_f64(v))
    }
}

pub(crate) fn progress(value: Value) {
    eprintln!("{value}");
}

/// What the server is doing, read from /proc when its pid is known.
#[derive(Clone, Copy)]
pub(crate) struct Server(Option<u32>);

impl Server {
    fn rss_kb(self) -> Value {
        self.0
            .and_then(sys::server_rss_kb)
            .map_or(Value::Null, Value::from)
    }
    pub(crate) fn cpu_s(self) -> Option<f64> {
        self.0.and_then(sys::server_cpu_s)
    }
}

/// CPU of the generator and of the server between two instants.
struct Window {
    at: Instant,
    gen_cpu: f64,
    server_cpu: Option<f64>,
    machine_busy: Option<f64>,
}

impl Window {
    fn mark(server: Server) -> Window {
        Window {
            at: Instant::now(),
            gen_cpu: sys::self_cpu_total(),
            server_cpu: server.cpu_s(),
            machine_busy: sys::machine_busy_s(),
        }
    }

    fn since(&self, server: Server) -> Value {
        let end = Window::mark(server);
        let seconds = (end.at - self.at).as_secs_f64();
        let gen = end.gen_cpu - self.gen_cpu;
        let mut out = json!({
            "seconds": round3(seconds),
            "gen_cpu_s": round3(gen),
            "gen_cpu_pct": round3(100.0 * gen / seconds.max(1e-9)),
        });
        if let (Some(a), Some(b)) = (self.server_cpu, end.server_cpu) {
            out["server_cpu_s"] = json!(round3(b - a));
            out["server_cpu_pct"] = json!(round3(100.0 * (b - a) / seconds.max(1e-9)));
            // Everything else the machine did meanwhile (other processes, the kernel's share
            // not charged to either): a noisy neighbour shows up here.
            if let (Some(m0), Some(m1)) = (self.machine_busy, end.machine_busy) {
                let others = ((m1 - m0) - (b - a) - gen).max(0.0);
                out["others_cpu_s"] = json!(round3(others));
                out["others_cpu_pct"] = json!(round3(100.0 * others / seconds.max(1e-9)));
            }
        }
        out
    }
}

struct Common {
    cfg: Arc<Config>,
    concurrency: usize,
    /// No session of a wave starts connecting after this long (it counts as failed).
    connect_limit: Duration,
    settle: Duration,
    server: Server,
}

/// The sessions of a wave: each group's spec and how many sessions it starts.
type Groups = Vec<(Arc<Spec>, usize)>;

/// How a wave runs once every session has mounted (or failed to).
struct RunSpec {
    warmup: Duration,
    seconds: Duration,
    drain: Duration,
    /// Publish rounds instead of waiting `seconds` (which then only bounds them); the rounds'
    /// report is the wave's `"rounds"`.
    fanout: Option<Fanout>,
}

/// One wave: connect and mount every session, optionally run a workload, close them all.
async fn wave(common: &Common, groups: &[(Arc<Spec>, usize)], run: Option<RunSpec>) -> Value {
    let cfg = &common.cfg;
    let server = common.server;
    let total: usize = groups.iter().map(|(_, n)| n).sum();
    let (phase_tx, phase_rx) = watch::channel(Phase::Connecting);
    let (report_tx, mut report_rx) = mpsc::unbounded_channel::<ConnectReport>();
    let sem = Arc::new(Semaphore::new(common.concurrency.max(1)));
    let pool = Arc::new(http::Pool::default());
    let busy = Arc::new(AtomicUsize::new(0));
    let rss_before = server.rss_kb();
    let connect_window = Window::mark(server);
    let connect_until = (connect_window.at + common.connect_limit).min(cfg.deadline);

    let mut handles = Vec::with_capacity(total);
    let pages = Arc::new(session::PageCache::default());
    let mut id = 0;
    for (spec, count) in groups {
        for index in 0..*count {
            handles.push(tokio::spawn(session::run(
                id,
                index,
                cfg.clone(),
                spec.clone(),
                pool.clone(),
                pages.clone(),
                sem.clone(),
                phase_rx.clone(),
                report_tx.clone(),
                busy.clone(),
                connect_until,
            )));
            id += 1;
        }
    }
    drop(report_tx);

    // Every session's connect report (or the deadline).
    let ngroups = groups.len();
    let mut latency: Vec<[Samples; 4]> = (0..ngroups).map(|_| Default::default()).collect();
    let mut failures: Vec<Counts> = (0..ngroups).map(|_| Counts::default()).collect();
    let mut received = 0;
    let mut deadline_hit = false;
    while received < total {
        match timeout_at(cfg.deadline, report_rx.recv()).await {
            Ok(Some(r)) => {
                received += 1;
                match r.error {
                    Some(e) => failures[r.group].add(e),
                    None => {
                        let l = &mut latency[r.group];
                        l[0].push_us(r.total_us);
                        l[1].push_us(r.http_us);
                        l[2].push_us(r.ws_us);
                        l[3].push_us(r.mount_us);
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                deadline_hit = true;
                break;
            }
        }
    }
    let connect_wall = connect_window.at.elapsed().as_secs_f64();
    let connect_cpu = connect_window.since(server);
    let mounted_by_group: Vec<usize> = latency.iter().map(|l| l[0].len()).collect();
    let mounted: usize = mounted_by_group.iter().sum();
    progress(json!({"event": "mounted", "sessions": total, "mounted": mounted}));

    let mut connect = Vec::new();
    for (g, (l, f)) in latency.into_iter().zip(failures.iter()).enumerate() {
        let [tot, h, w, m] = l;
        let n = tot.len();
        connect.push(json!({
            "group": g,
            "attempted": groups[g].1,
            "mounted": n,
            "failed": f.total(),
            "failures": f.to_json(),
            "latency": tot.summary(),
            "http_get": h.summary(),
            "ws_handshake": w.summary(),
            "mount": m.summary(),
        }));
    }

    if !deadline_hit {
        sleep_until((Instant::now() + common.settle).min(cfg.deadline)).await;
    }
    let rss_mounted = server.rss_kb();

    let mut out = json!({
        "sessions": total,
        "connect": {
            "wall_s": round3(connect_wall),
            "mounted_per_s": round3(mounted as f64 / connect_wall.max(1e-9)),
            "cpu": connect_cpu,
            "groups": connect,
        },
    });

    let mut window = Value::Null;
    let mut rss_held = Value::Null;
    if let (Some(run), false) = (run, deadline_hit) {
        let start = Instant::now();
        let mut plan = Plan {
            start,
            measure_from: start + run.warmup,
            end: start + run.warmup + run.seconds,
            drain_until: start + run.warmup + run.seconds + run.drain,
        };
        let _ = phase_tx.send(Phase::Run(plan));
        progress(json!({"event": "run", "seconds": (run.warmup + run.seconds).as_secs_f64()}));
        sleep_until(plan.measure_from.min(cfg.deadline)).await;
        let w = Window::mark(server);
        match run.fanout {
            Some(fanout) => {
                let (started, mounted) = (groups[0].1, mounted_by_group[0]);
                let report = fanout
                    .run(plan, started, mounted, server, cfg.deadline)
                    .await;
                out["rounds"] = report;
                // The rounds are over, and with them the run: its end moves to now.
                let now = Instant::now();
                plan.end = now;
                plan.drain_until = now + run.drain;
                let _ = phase_tx.send(Phase::Run(plan));
            }
            None => sleep_until(plan.end.min(cfg.deadline)).await,
        }
        window = w.since(server);
        rss_held = server.rss_kb();
        // Wait for the sessions still waiting for answers, up to the drain limit.
        while busy.load(Ordering::SeqCst) > 0 && Instant::now() < plan.drain_until.min(cfg.deadline)
        {
            sleep(Duration::from_millis(20)).await;
        }
        deadline_hit |= Instant::now() >= cfg.deadline;
    }

    // Close every session and collect results.
    let close_start = Instant::now();
    let _ = phase_tx.send(Phase::Close);
    let mut results: Vec<SessionResult> = Vec::with_capacity(total);
    let join_limit = (Instant::now() + cfg.op_timeout).min(cfg.deadline + Duration::from_secs(3));
    let mut aborted = 0;
    for h in handles {
        let abort = h.abort_handle();
        match timeout_at(join_limit, h).await {
            Ok(Ok(r)) => results.push(r),
            _ => {
                abort.abort();
                aborted += 1;
            }
        }
    }
    let close_wall = close_start.elapsed().as_secs_f64();
    progress(json!({"event": "closed", "sessions": total}));
    if Instant::now() + common.settle < cfg.deadline {
        sleep(common.settle).await;
    }

    // Per group: workload figures and how the sessions ended.
    let mut per_group = Vec::new();
    for (g, (spec, _)) in groups.iter().enumerate() {
        let mut lat = Samples::default();
        let mut errors = Counts::default();
        let mut dropped = Counts::default();
        let (mut sent, mut sent_w, mut answered, mut answered_w, mut unanswered) = (0, 0, 0, 0, 0);
        let mut clean = 0;
        for r in results.iter_mut().filter(|r| r.group == g && r.mounted) {
            lat.extend(std::mem::take(&mut r.latency));
            errors.merge(std::mem::take(&mut r.error_frames));
            if let Some(why) = r.dropped.take() {
                dropped.add(why);
            }
            sent += r.sent;
            sent_w += r.sent_in_window;
            answered += r.answered;
            answered_w += r.answered_in_window;
            unanswered += r.unanswered;
            clean += r.clean_close as u64;
        }
        let mut entry = Map::new();
        entry.insert("group".into(), json!(g));
        entry.insert("event".into(), json!(spec.event));
        entry.insert("dropped".into(), dropped.to_json());
        entry.insert("dropped_total".into(), json!(dropped.total()));
        entry.insert("clean_closes".into(), json!(clean));
        if let Some(seconds) = window.get("seconds").and_then(Value::as_f64) {
            let kind = if matches!(spec.work, Work::Idle(_)) {
                "pings"
            } else {
                "events"
            };
            entry.insert(
                kind.into(),
                json!({
                    "sent": sent,
                    "sent_in_window": sent_w,
                    "answered": answered,
                    "answered_in_window": answered_w,
                    "answered_per_s": round3(answered_w as f64 / seconds.max(1e-9)),
                    "error_frames": errors.to_json(),
                    "unanswered": unanswered,
                    "latency": lat.summary(),
                }),
            );
        }
        per_group.push(Value::Object(entry));
    }

    out["window"] = window;
    out["groups"] = json!(per_group);
    out["close"] = json!({"wall_s": round3(close_wall), "aborted": aborted});
    out["server_rss_kb"] = json!({
        "before": rss_before,
        "mounted": rss_mounted,
        "held": rss_held,
        "after_close": server.rss_kb(),
    });
    out["deadline_hit"] = json!(deadline_hit);
    out
}

async fn http_scenario(common: &Common, target: Target, conns: usize, run: RunSpec) -> Value {
    let cfg = &common.cfg;
    let start = Instant::now();
    let measure_from = start + run.warmup;
    let end = (measure_from + run.seconds).min(cfg.deadline);
    let target = Arc::new(target);
    let server = common.server;
    let mut handles = Vec::new();
    for _ in 0..conns.max(1) {
        let target = target.clone();
        let op_timeout = cfg.op_timeout;
        handles.push(tokio::spawn(async move {
            let mut lat = Samples::default();
            let mut status: HashMap<u16, u64> = HashMap::new();
            let mut errors = Counts::default();
            let (mut bytes, mut connects) = (0u64, 0u64);
            let mut conn: Option<http::Conn> = None;
            while Instant::now() < end {
                let limit = (Instant::now() + op_timeout).min(end);
                let t0 = Instant::now();
                let outcome = timeout_at(limit, async {
                    if conn.is_none() {
                        connects += 1;
                        conn = Some(http::Conn::connect(target.addr).await?);
                    }
                    let c = conn.as_mut().expect("connected above");
                    c.get(&target, &target.path, None, false).await
                })
                .await;
                let t1 = Instant::now();
                match outcome {
                    Ok(Ok(resp)) => {
                        if t0 >= measure_from {
                            lat.push_us((t1 - t0).as_micros());
                            *status.entry(resp.status).or_insert(0) += 1;
                            bytes += resp.body_len as u64;
                        }
                        if !resp.keep_alive {
                            conn = None;
                        }
                    }
                    Ok(Err(e)) => {
                        if t0 >= measure_from {
                            errors.add(format!("{:?}", e.kind()));
                        }
                        conn = None;
                        sleep(Duration::from_millis(5)).await;
                    }
                    Err(_) => {
                        // The run ended with a request in flight (or it timed out).
                        if t1 < end {
                            errors.add("timeout");
                        }
                        conn = None;
                    }
                }
            }
            (lat, status, errors, bytes, connects)
        }));
    }
    sleep_until(measure_from.min(cfg.deadline)).await;
    let w = Window::mark(server);
    let mut lat = Samples::default();
    let mut status: HashMap<u16, u64> = HashMap::new();
    let mut errors = Counts::default();
    let (mut bytes, mut connects) = (0u64, 0u64);
    for h in handles {
        if let Ok((l, s, e, b, c)) = h.await {
            lat.extend(l);
            for (k, v) in s {
                *status.entry(k).or_insert(0) += v;
            }
            errors.merge(e);
            bytes += b;
            connects += c;
        }
    }
    let window = w.since(server);
    let seconds = window["seconds"].as_f64().unwrap_or(1.0).max(1e-9);
    let ok = status.get(&200).copied().unwrap_or(0);
    let requests: u64 = status.values().sum();
    let status: Map<String, Value> = status
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({
        "connections": conns,
        "window": window,
        "requests": requests,
        "requests_per_s": round3(requests as f64 / seconds),
        "ok_per_s": round3(ok as f64 / seconds),
        "status": status,
        "errors": errors.to_json(),
        "body_bytes": bytes,
        "mean_body_bytes": bytes.checked_div(requests).unwrap_or(0),
        "tcp_connects": connects,
        "latency": lat.summary(),
        "server_rss_kb": server.rss_kb(),
    })
}

fn main() {
    let wall = std::time::Instant::now();
    let args = match Args::parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let result = setup_and_run(&args);
    let mut out = match result {
        Ok(v) => v,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let (user, system, maxrss) = sys::self_cpu();
    let wall_s = wall.elapsed().as_secs_f64();
    out["generator"] = json!({
        "cpu_user_s": round3(user),
        "cpu_sys_s": round3(system),
        "cpu_s": round3(user + system),
        "wall_s": round3(wall_s),
        "cpu_pct": round3(100.0 * (user + system) / wall_s.max(1e-9)),
        "max_rss_kb": maxrss,
    });
    println!("{out}");
}

/// The fanout scenario's groups (subscribers, then the others if any) and its run: the rounds,
/// with a time bound that covers them all.
fn fanout_setup(
    args: &Args,
    target: &Target,
    sessions: usize,
    page_share: usize,
    event: &str,
) -> Result<(Groups, RunSpec), String> {
    let urls = args
        .str("publish-url")
        .ok_or("fanout needs --publish-url")?;
    let kinds = args.str("kinds").unwrap_or_else(|| "broadcast".into());
    let mut series = Vec::new();
    for kind in kinds.split(',') {
        for url in urls.split(',') {
            series.push(fanout::Series {
                kind: fanout::Kind::parse(kind.trim())?,
                publish: Target::parse(url.trim())?,
            });
        }
    }
    let (tap, heard) = mpsc::unbounded_channel();
    let subscribers = Spec {
        page: target.clone(),
        page_share: page_share.max(1),
        event: event.to_owned(),
        work: Work::Idle(None),
        group: 0,
        tap: Some(tap.clone()),
    };
    let mut groups = vec![(Arc::new(subscribers), sessions)];
    let others: usize = args.num("others", 0)?;
    if others > 0 {
        let url = args
            .str("others-url")
            .ok_or("--others needs --others-url")?;
        let spec = Spec {
            page: Target::parse(&url)?,
            page_share: 1,
            event: event.to_owned(),
            work: Work::Closed,
            group: 1,
            tap: Some(tap),
        };
        groups.push((Arc::new(spec), others));
    }
    let rounds: usize = args.num("rounds", 10)?;
    let round_timeout = args.secs("round-timeout", 10.0)?;
    let pause = args.secs("pause", 0.5)?;
    let bound = (round_timeout + pause).mul_f64((rounds * series.len()) as f64 + 1.0);
    let run = RunSpec {
        warmup: args.secs("warmup", 1.0)?,
        seconds: bound,
        drain: args.secs("drain", 5.0)?,
        fanout: Some(Fanout {
            series,
            topic: args.str("topic").unwrap_or_else(|| "bench".into()),
            rounds,
            round_timeout,
            pause,
            heard,
        }),
    };
    Ok((groups, run))
}

fn setup_and_run(args: &Args) -> Result<Value, String> {
    let url = args.str("url").ok_or("--url is required")?;
    let target = Target::parse(&url)?;
    let deadline_s = args.secs("deadline", 300.0)?;
    let threads: usize = args.num("threads", 1)?;
    let nofile = sys::raise_nofile();

    // A watchdog outside the runtime: whatever hangs, the process ends after the deadline.
    {
        let limit = deadline_s + Duration::from_secs(15);
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            println!("{}", json!({"error": "watchdog: hard deadline exceeded"}));
            std::process::exit(3);
        });
    }

    let runtime = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
    .map_err(|e| e.to_string())?;

    runtime.block_on(async {
        let origin = args
            .str("origin")
            .unwrap_or_else(|| format!("http://{}", target.authority));
        let cfg = Arc::new(Config {
            ws_path: args.str("ws-path").unwrap_or_else(|| "/ws/live/".into()),
            origin,
            op_timeout: args.secs("op-timeout", 30.0)?,
            deadline: Instant::now() + deadline_s,
        });
        let server_pid: Option<u32> = match args.str("server-pid") {
            Some(p) => Some(p.parse().map_err(|_| "--server-pid: not a pid")?),
            None => None,
        };
        let common = Common {
            cfg: cfg.clone(),
            concurrency: args.num("concurrency", 50)?,
            connect_limit: args.secs("connect-limit", 86_400.0)?,
            settle: args.secs("settle", 1.0)?,
            server: Server(server_pid),
        };
        let sessions: usize = args.num("sessions", 10)?;
        let event = args.str("event").unwrap_or_else(|| "increment".into());
        let page_share: usize = args.num("page-share", 1)?;
        let spec = |work: Work| {
            Arc::new(Spec {
                page: target.clone(),
                page_share: page_share.max(1),
                event: event.clone(),
                work,
                group: 0,
                tap: None,
            })
        };
        let groups = |work: Work| -> Result<Groups, String> {
            let mut g = vec![(spec(work), sessions)];
            if let Some(slow) = args.str("slow-url") {
                let n: usize = args.num("slow-sessions", 1)?;
                let slow_event = args.str("slow-event").unwrap_or_else(|| "nap".into());
                g.push((
                    Arc::new(Spec {
                        page: Target::parse(&slow)?,
                        page_share: 1,
                        event: slow_event,
                        work: Work::Closed,
                        group: 1,
                        tap: None,
                    }),
                    n,
                ));
            }
            Ok(g)
        };
        let run_spec = |default_warmup: f64, default_seconds: f64| -> Result<RunSpec, String> {
            Ok(RunSpec {
                warmup: args.secs("warmup", default_warmup)?,
                seconds: args.secs("seconds", default_seconds)?,
                drain: args.secs("drain", 5.0)?,
                fanout: None,
            })
        };

        let command = args.command.as_str();
        let mut out = match command {
            "connect" => wave(&common, &[(spec(Work::Idle(None)), sessions)], None).await,
            "hold" => {
                let ping = args.secs("ping-interval", 30.0)?;
                let work = Work::Idle((!ping.is_zero()).then_some(ping));
                let run = run_spec(0.0, 30.0)?;
                wave(&common, &[(spec(work), sessions)], Some(run)).await
            }
            "closed-loop" => {
                let g = groups(Work::Closed)?;
                wave(&common, &g, Some(run_spec(1.0, 10.0)?)).await
            }
            "open-loop" => {
                let rate: f64 = args.num("rate", 1.0)?;
                if rate <= 0.0 || rate > 10_000.0 {
                    return Err("--rate: events per second per session, above 0".into());
                }
                let g = groups(Work::Open(Duration::from_secs_f64(1.0 / rate)))?;
                wave(&common, &g, Some(run_spec(2.0, 15.0)?)).await
            }
            "cycles" => {
                let cycles: usize = args.num("cycles", 10)?;
                let mut rows = Vec::new();
                let rss_before = common.server.rss_kb();
                let mut deadline_hit = false;
                for i in 0..cycles {
                    if Instant::now() >= cfg.deadline {
                        deadline_hit = true;
                        break;
                    }
                    let mut row = wave(&common, &[(spec(Work::Idle(None)), sessions)], None).await;
                    row["cycle"] = json!(i + 1);
                    progress(json!({"event": "cycle", "cycle": i + 1}));
                    deadline_hit |= row["deadline_hit"].as_bool().unwrap_or(false);
                    rows.push(row);
                }
                json!({
                    "cycles": rows,
                    "server_rss_kb_before": rss_before,
                    "server_rss_kb_after": common.server.rss_kb(),
                    "deadline_hit": deadline_hit,
                })
            }
            "http" => {
                let conns: usize = args.num("connections", 16)?;
                http_scenario(&common, target.clone(), conns, run_spec(1.0, 5.0)?).await
            }
            "fanout" => {
                let (g, run) = fanout_setup(args, &target, sessions, page_share, &event)?;
                wave(&common, &g, Some(run)).await
            }
            other => return Err(format!("unknown scenario {other:?}\n{USAGE}")),
        };
        out["scenario"] = json!(command);
        out["url"] = json!(url);
        out["nofile_limit"] = json!(nofile);
        out["threads"] = json!(threads);
        out["server_pid"] = json!(server_pid);
        Ok(out)
    })
}
