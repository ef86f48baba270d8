"""Pub/sub: how long a broadcast or a push takes to reach every subscriber, on both hosts.

Subscribers are sessions of ``/bench/fanout/?topic=T`` (``benchmarks/loadgen/site``): the view
subscribes to ``T`` in ``mount`` and re-renders its count and the message's text in
``handle_info``. The generator (``benchmarks/loadgen``, scenario ``fanout``, a Rust program in
its own process) mounts them, then runs rounds: it POSTs to ``/bench/publish/`` (a plain Django
view calling ``djust.broadcast`` or ``djust.push``), notes t0 just before, and times each
subscriber's first unsolicited frame after it (the broadcast's patch, ``ref`` null, or the
``push_event``). Broadcast and push rounds take turns on the same sessions. Figures are medians
over rounds: the time to the last subscriber, and the 50th/99th percentile over subscribers.

Runs, each bounded in time and count, the hosts taking turns:

- 1,000 subscribers, broadcast and push (both hosts);
- 1,000 subscribers and a few other sessions sending counter events in a closed loop: their
  latency while a broadcast is in flight (both hosts);
- 10,000 subscribers, broadcast and push (``djust serve``; uvicorn + Channels only when asked
  with ``--large-uvicorn``: on 2 cores it mounts fewer than 100 sessions a second, so 10,000
  would not even connect within the module's 10 minutes with the rounds after);
- ``djust serve`` twice with the Redis backend (a ``redis-server`` of our own on a free
  loopback port): 1,000 subscribers on process B, rounds published through process A (across
  Redis) taking turns with rounds published through B itself (in-process).

``--quick`` (or ``DJUST_BENCH_QUICK=1``) scales the counts down; ``--only djust`` or ``--only
uvicorn`` runs one host.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_serve  # noqa: E402
from bench_serve import Host, StartFailed, free_port  # noqa: E402


@dataclass(frozen=True)
class Scale:
    small: int  # subscribers of the 1,000 runs
    large: int  # subscribers of the 10,000 run
    rounds: int  # per series; odd, so a median is one round's figure
    others: int  # sessions sending events in a closed loop beside a broadcast
    page_share: int  # subscribers per page GET (tabs of one browser): the GET is not measured
    round_timeout: float
    pause: float  # between rounds: the server finishes what the last one started
    connect_limit: float  # the large wave stops starting sessions after this many seconds
    budget: float  # the whole module's wall time; a run that would start later is skipped


FULL = Scale(
    small=1000,
    large=10_000,
    rounds=7,
    others=10,
    page_share=10,
    round_timeout=20.0,
    pause=0.5,
    connect_limit=120.0,
    budget=540.0,
)
QUICK = Scale(
    small=100,
    large=1000,
    rounds=3,
    others=4,
    page_share=10,
    round_timeout=10.0,
    pause=0.3,
    connect_limit=60.0,
    budget=240.0,
)


def serve_host(name: str, env_note: str) -> Host:
    """A ``djust serve`` of the bench site on a port of its own."""
    port = free_port()
    return Host(
        name,
        port,
        [
            bench_serve.djust_command() or "djust",
            "serve",
            "--settings",
            "serve_bench.settings",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env_note,
    )


def pubsub_stats(host: Host) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(host.base + "/bench/pubsub-stats/", timeout=5) as response:
            found: dict[str, Any] = json.loads(response.read())
            return found
    except OSError:
        return {}


def dropped_during(host: Host, action: Any) -> Any:
    """Runs ``action(host)``; returns its result and the messages the server's broker dropped
    meanwhile (a session's mailbox full), as ``djust.pubsub.stats()`` counts them."""
    before = pubsub_stats(host)
    result = action(host)
    after = pubsub_stats(host)
    if "dropped" in before and "dropped" in after:
        result["broker_dropped"] = after["dropped"] - before["dropped"]
        result["broker_remote_failures"] = after["remote_failures"] - before["remote_failures"]
    return result


def fanout(host: Host, scale: Scale, subscribers: int, topic: str, **options: Any) -> Any:
    """One fanout wave of ``subscribers`` on ``host``; ``options`` go to the generator."""
    series = len(options.get("kinds", "broadcast").split(",")) * len(
        str(options.get("publish_url", "x")).split(",")
    )
    rounds = options.pop("rounds", scale.rounds)
    rounds_s = rounds * series * (scale.round_timeout + scale.pause)
    deadline = scale.connect_limit + rounds_s + 60
    options.setdefault("publish_url", host.base + "/bench/publish/")
    large = subscribers > scale.small
    return bench_serve.loadgen(
        "fanout",
        host.pid,
        deadline,
        url=f"{host.base}/bench/fanout/?topic={topic}",
        sessions=subscribers,
        page_share=scale.page_share,
        concurrency=100 if large else 50,
        connect_limit=scale.connect_limit,
        topic=topic,
        rounds=rounds,
        round_timeout=scale.round_timeout,
        pause=scale.pause,
        settle=1,
        **options,
    )


# --- redis-server ---------------------------------------------------------------------------


def start_redis(tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Debian's ``redis-server`` on a free loopback port, nothing saved to disk."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    limit = time.monotonic() + 10
    while time.monotonic() < limit and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc, port
        except OSError:
            time.sleep(0.1)
    stop_redis(proc)
    raise StartFailed("redis-server did not start")


def stop_redis(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


# --- the runs -------------------------------------------------------------------------------


def run_all(
    servers: list[Host], scale: Scale, env: dict[str, str], tmp: Path, large_uvicorn: bool
) -> dict[str, Any]:
    """Every run on every host, the hosts taking turns (each goes first every other time)."""
    started = time.monotonic()
    live = [h for h in servers if not h.skipped]
    notes: dict[str, str] = {}
    turn = 0

    def in_budget(key: str) -> bool:
        if time.monotonic() - started < scale.budget:
            return True
        notes[key] = f"not run: the module's {scale.budget:.0f} s were spent"
        return False

    def each(key: str, action: Any, hosts: list[Host] | None = None) -> None:
        nonlocal turn
        order = hosts if hosts is not None else live
        order = order if turn % 2 == 0 else order[::-1]
        turn += 1
        for host in order:
            if host.skipped or not in_budget(key):
                continue
            print(f"{host.name}: {key}", file=sys.stderr, flush=True)
            try:
                if host.proc is None:
                    bench_serve.start(host, env, tmp)
                host.results[key] = dropped_during(host, action)
            except StartFailed as err:
                print(err, file=sys.stderr)
                host.skipped = "did not start (its log is on stderr)"
            except RuntimeError as err:
                print(err, file=sys.stderr)
                host.results[key] = {"error": str(err)}

    try:
        both = "broadcast,push"
        each("small", lambda h: fanout(h, scale, scale.small, "small", kinds=both))
        each(
            "others",
            lambda h: fanout(
                h,
                scale,
                scale.small,
                "others",
                kinds="broadcast",
                others=scale.others,
                others_url=h.base + "/counter/",
            ),
        )
        large_hosts = [h for h in live if large_uvicorn or h.name == "djust serve"]
        each("large", lambda h: fanout(h, scale, scale.large, "large", kinds=both), large_hosts)
    finally:
        for host in servers:
            bench_serve.stop(host)

    redis = redis_runs(servers, scale, env, tmp) if in_budget("redis") else None
    return {"notes": notes, "redis": redis, "wall_s": time.monotonic() - started}


def redis_runs(
    servers: list[Host], scale: Scale, env: dict[str, str], tmp: Path
) -> dict[str, Any] | None:
    """Two ``djust serve`` processes linked by Redis: subscribers on B; rounds published
    through A (across Redis) and through B (in-process) take turns on the same sessions."""
    serve = next((h for h in servers if h.name == "djust serve"), None)
    if serve is None or serve.skipped:
        return None
    redis, port = start_redis(tmp)
    linked = dict(env, SERVE_BENCH_REDIS_URL=f"redis://127.0.0.1:{port}/0")
    publisher = serve_host("djust serve A (publishes)", "")
    subscribed = serve_host("djust serve B (subscribers)", "")
    try:
        bench_serve.start(publisher, linked, tmp)
        bench_serve.start(subscribed, linked, tmp)
        across = publisher.base + "/bench/publish/"
        inside = subscribed.base + "/bench/publish/"
        result = dropped_during(
            subscribed,
            lambda h: fanout(
                h,
                scale,
                scale.small,
                "linked",
                kinds="broadcast,push",
                publish_url=f"{across},{inside}",
                # A difference of a few ms at p99 needs more rounds than the other runs.
                rounds=2 * scale.rounds + 1,
            ),
        )
        result["publisher_stats"] = pubsub_stats(publisher)
        result["subscriber_stats"] = pubsub_stats(subscribed)
        return result
    except (StartFailed, RuntimeError) as err:
        print(err, file=sys.stderr)
        return {"error": str(err)}
    finally:
        bench_serve.stop(publisher)
        bench_serve.stop(subscribed)
        stop_redis(redis)


# --- the section --------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms"


def series(run: dict[str, Any] | None, kind: str, publish: str | None = None) -> dict[str, Any]:
    if not run or "rounds" not in run:
        return {}
    for found in run["rounds"]["series"]:
        if found["kind"] == kind and (publish is None or found["publish"] == publish):
            return dict(found)
    return {}


def last(s: dict[str, Any]) -> float | None:
    return s.get("median", {}).get("last_ms") if s else None


def fanout_cell(run: dict[str, Any] | None, kind: str, publish: str | None = None) -> str:
    s = series(run, kind, publish)
    if not s:
        return (run or {}).get("error", "—")[:80] or "—"
    m = s["median"]
    mounted = run["rounds"]["mounted"] if run else 0
    text = (
        f"**{ms(m['last_ms'])}** (p50 {ms(m['p50_ms'])}, p99 {ms(m['p99_ms'])}; "
        f"publish call {ms(m['post_ms'])})"
    )
    problems = []
    started = run["rounds"]["subscribers"] if run else 0
    if mounted < started:
        problems.append(f"{started - mounted:,} of {started:,} did not mount")
    if s["missing"]:
        problems.append(
            f"{s['missing']:,} deliveries missing, {s['complete_rounds']}/{len(s['rounds'])} "
            "rounds complete"
        )
    if run and run.get("broker_dropped"):
        problems.append(f"{run['broker_dropped']:,} dropped by the broker")
    return text + (f" — {'; '.join(problems)}" if problems else "")


def cpu_cell(run: dict[str, Any] | None, kind: str, publish: str | None = None) -> str:
    c = series(run, kind, publish).get("cpu")
    if not c or c.get("server_cpu_pct") is None:
        return "—"
    return (
        f"{c['server_cpu_pct']:.0f} % / {c['gen_cpu_pct']:.0f} % / "
        f"{c.get('others_cpu_pct') or 0:.0f} %"
    )


def others_cell(run: dict[str, Any] | None) -> str:
    if not run or "rounds" not in run:
        return (run or {}).get("error", "—")[:80] or "—"
    o = run["rounds"]["others"]
    during, between = o["during_rounds"], o["between_rounds"]
    if not during.get("count"):
        return "— (no event was sent during a round)"
    return (
        f"**p99 {ms(during['p99_ms'])}** (p50 {ms(during['p50_ms'])}, {during['count']:,} "
        f"events) while a broadcast is in flight; between rounds p99 "
        f"{ms(between.get('p99_ms'))} (p50 {ms(between.get('p50_ms'))}); that broadcast "
        f"{ms(last(series(run, 'broadcast')))}"
    )


def large_skipped(run: dict[str, Any] | None, scale: Scale) -> str:
    """Why uvicorn + Channels has no 10,000 run, in this run's own figures."""
    if not run or "connect" not in run:
        return "not run"
    rate = run["connect"]["mounted_per_s"]
    took = last(series(run, "broadcast"))
    return (
        f"not run: it mounted {rate:,.0f} sessions/s in the {scale.small:,} run, so "
        f"{scale.large:,} would take {scale.large / max(rate, 1e-9):,.0f} s to connect, and "
        f"each broadcast round about {scale.large // scale.small}× its {ms(took)}: beyond the "
        f"module's time bound (run it with `--large-uvicorn`)"
    )


def ratio(slow: float | None, fast: float | None) -> str:
    if not slow or not fast:
        return "—"
    return f"{slow / fast:,.1f}×"


def section(
    servers: list[Host], scale: Scale, outcome: dict[str, Any], quick: bool, large_uvicorn: bool
) -> None:
    uv = next(h for h in servers if h.name == "uvicorn + Channels")
    dj = next(h for h in servers if h.name == "djust serve")
    u, d = uv.results, dj.results
    small, large = f"{scale.small:,}", f"{scale.large:,}"
    print("## Pub/sub\n")
    print(
        f"Subscribers are sessions of `/bench/fanout/` (bench site): the view subscribes to a "
        f"topic in `mount` and re-renders its count and the message's text in `handle_info`. "
        f"The generator (`benchmarks/loadgen`, scenario `fanout`: one process, tokio, one "
        f"thread) mounts them ({scale.page_share} sessions per page GET), then runs "
        f"{scale.rounds} rounds per series: it POSTs to `/bench/publish/`, a plain Django view "
        f"calling `djust.broadcast` or `djust.push`, notes t0 just before, and times each "
        f"subscriber's first unsolicited frame after it (the broadcast's patch with `ref` null, "
        f"or the `push_event`) as its session reads it. A round ends when every subscriber has "
        f"heard (at most {scale.round_timeout:.0f} s); the next starts {scale.pause:g} s later; "
        f"broadcast and push rounds take turns on the same sessions, and the hosts take turns "
        f"run by run. **Bold** is the median over rounds of the time to the last subscriber; "
        f'p50/p99 are over subscribers (medians over rounds); "publish call" is the POST\'s '
        f"answer time (under `djust serve` it leaves on the same threads as the subscribers' "
        f"frames, so it often arrives after them). Release build, `DEBUG` off, loopback.\n"
    )
    if quick:
        print("**Quick run** (`--quick`): every count scaled down; not comparable.\n")
    redis = outcome.get("redis") or {}
    across = inside = None
    if "rounds" in redis:
        publishers = [s["publish"] for s in redis["rounds"]["series"]]
        across, inside = publishers[0], publishers[1]
    large_uv_note = outcome["notes"].get("large") or large_skipped(u.get("small"), scale)
    large_uv = (lambda kind: fanout_cell(u.get("large"), kind)) if large_uvicorn else None
    rows = [
        (
            f"broadcast → last patch, {small} subscribers each re-rendering",
            "≤ 150 ms, ≥ 5× uvicorn + Channels",
            fanout_cell(u.get("small"), "broadcast"),
            fanout_cell(d.get("small"), "broadcast"),
            ratio(
                last(series(u.get("small"), "broadcast")), last(series(d.get("small"), "broadcast"))
            ),
        ),
        (
            f"same, {large} subscribers",
            "≤ 1.5 s",
            large_uv("broadcast") if large_uv else large_uv_note,
            fanout_cell(d.get("large"), "broadcast"),
            "—",
        ),
        (
            f"`push` of one frame → last subscriber, {small}",
            "≤ 10 ms",
            fanout_cell(u.get("small"), "push"),
            fanout_cell(d.get("small"), "push"),
            ratio(last(series(u.get("small"), "push")), last(series(d.get("small"), "push"))),
        ),
        (
            f"`push` of one frame → last subscriber, {large}",
            "≤ 60 ms",
            large_uv("push") if large_uv else "not run (as above)",
            fanout_cell(d.get("large"), "push"),
            "—",
        ),
        (
            f"other sessions' events ({scale.others} in a closed loop) during a {small}-"
            "subscriber broadcast",
            "p99 ≤ 50 ms",
            others_cell(u.get("others")),
            others_cell(d.get("others")),
            "—",
        ),
    ]
    print("| measure | goal | uvicorn + Channels | djust serve | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")

    print(
        f"\nAcross processes (`djust serve` only): two `djust serve` processes with "
        f"`LIVEVIEW_CONFIG['pubsub'] = {{'backend': 'redis', ...}}` and a `redis-server` of "
        f"the bench's own on loopback; {small} subscribers on process B; {2 * scale.rounds + 1} "
        f"rounds per series published "
        f"through process A (through Redis) and through B itself (in-process delivery) take "
        f"turns on the same sessions. Goal: through Redis ≤ 2 ms more at p99 than "
        f"in-process.\n"
    )
    if "rounds" in redis:
        print("| measure | through Redis (A → B) | in-process (B) | difference at p99 |")
        print("| --- | ---: | ---: | ---: |")
        for kind in ("broadcast", "push"):
            a, b = series(redis, kind, across), series(redis, kind, inside)
            diff = "—"
            if a and b and a["median"]["p99_ms"] is not None and b["median"]["p99_ms"] is not None:
                diff = f"{a['median']['p99_ms'] - b['median']['p99_ms']:+,.2f} ms"
            print(
                f"| {kind}, {small} subscribers | {fanout_cell(redis, kind, across)} | "
                f"{fanout_cell(redis, kind, inside)} | {diff} |"
            )
        stats = redis.get("subscriber_stats", {})
        print(
            f"\nProcess B received {stats.get('received_remote', 0):,} messages through Redis; "
            f"Redis failures: A {redis.get('publisher_stats', {}).get('remote_failures', 0)}, "
            f"B {stats.get('remote_failures', 0)}."
        )
    else:
        print(f"Not run: {redis.get('error') or outcome['notes'].get('redis', 'no djust serve')}.")

    print(
        "\nCPU during the rounds (t0 to the last subscriber, summed over a series' rounds), in "
        f"% of one core: the server's / the generator's / everything else on the machine's "
        f"({os.cpu_count()} cores; the server's from `/proc` at 10 ms resolution):\n"
    )
    print("| rounds | uvicorn + Channels | djust serve |")
    print("| --- | ---: | ---: |")
    for label, key, kind in (
        (f"broadcast, {small}", "small", "broadcast"),
        (f"push, {small}", "small", "push"),
        (f"broadcast, {large}", "large", "broadcast"),
        (f"push, {large}", "large", "push"),
        (f"broadcast, {small}, beside the closed-loop sessions", "others", "broadcast"),
    ):
        print(f"| {label} | {cpu_cell(u.get(key), kind)} | {cpu_cell(d.get(key), kind)} |")
    if "rounds" in redis:
        for kind in ("broadcast", "push"):
            print(f"| {kind} through Redis, process B | — | {cpu_cell(redis, kind, across)} |")

    print()
    for h in servers:
        if h.skipped:
            print(f"- {h.name}: skipped, {h.skipped}.")
            continue
        runs = [r for r in h.results.values() if isinstance(r, dict) and "generator" in r]
        gen = sum(r["generator"]["cpu_s"] for r in runs)
        wall = sum(r["generator"]["wall_s"] for r in runs)
        print(
            f"- {h.name}: {h.note}. Generator CPU {gen:.0f} s over {wall:.0f} s of runs "
            f"(most of it mounting the sessions); server CPU "
            f"{h.results.get('server_cpu_total_s', 0):.0f} s."
        )
    print(f"\nBench wall time {outcome['wall_s']:.0f} s.")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv or os.environ.get("DJUST_BENCH_QUICK") == "1"
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    large_uvicorn = "--large-uvicorn" in argv
    scale = QUICK if quick else FULL
    bench_serve.build_loadgen()
    with tempfile.TemporaryDirectory(prefix="djust-bench-pubsub-") as name:
        tmp = Path(name)
        env = bench_serve.server_env(tmp)
        bench_serve.prepare_site(env)
        servers = bench_serve.hosts()
        for host in servers:
            if only and only.lower() not in host.name.lower():
                host.skipped = host.skipped or "not selected (--only)"
            if host.skipped:
                print(f"{host.name}: skipped, {host.skipped}", file=sys.stderr)
        outcome = run_all(servers, scale, env, tmp, large_uvicorn)
    raw = bench_serve.TARGET_DIR / "bench_pubsub.json"
    raw.write_text(json.dumps({"hosts": {h.name: h.results for h in servers}, **outcome}, indent=1))
    print(f"generator output of every run: {raw}", file=sys.stderr)
    section(servers, scale, outcome, quick, large_uvicorn)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
