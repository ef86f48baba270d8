"""Servers under load: uvicorn + Channels (host A) and ``djust serve`` (host B), side by side.

Each server runs the demo project (``examples/demo_project``, ``DEBUG`` off, a temporary SQLite
database) on a free loopback port, one after the other, with the bench's additions from
``benchmarks/loadgen/site/serve_bench`` (a counter whose ``nap`` handler sleeps 500 ms, a small
plain Django page, a 10 KB static file); the demo's own URLs are served unchanged. The load comes
from ``benchmarks/loadgen``, a Rust program in its own process (tokio, one thread), bounded in
count and time; it reports its own CPU time beside the server's (``/proc/PID/stat``, summed over
the server's processes) and what everything else on the machine used meanwhile, so a run where
the generator or a neighbour was what saturated shows it.

A server that is not installed (``djust serve`` before it exists) is skipped with a note.
``python benchmarks/bench_serve.py --quick`` (or ``DJUST_BENCH_QUICK=1``) scales every count down
for a quick look; ``--only uvicorn`` or ``--only djust`` runs one server.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo_project"
LOADGEN = ROOT / "benchmarks" / "loadgen"
SITE = LOADGEN / "site"
TARGET_DIR = ROOT / "target" / "loadgen"
BINARY = TARGET_DIR / "release" / "loadgen"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable

STATIC_NAME = "bench-10k.txt"
STATIC_SIZE = 10 * 1024


@dataclass(frozen=True)
class Scale:
    idle: tuple[int, int]  # RSS per idle session at these counts (the larger one holds, pinging)
    page_share: int  # sessions per page GET where the GET is not what is measured
    ping_interval: float
    hold_seconds: float
    closed: int
    closed_seconds: float
    open_sessions: int
    open_seconds: float
    slow_sessions: int  # the handler-sleeping comparison runs at a load every host sustains
    slow_seconds: float
    cycle_sessions: int
    cycles: int
    http_seconds: float
    http_connections: int
    connect_limit: float  # the largest wave stops starting sessions after this many seconds


FULL = Scale(
    idle=(1000, 10_000),
    page_share=10,
    ping_interval=30.0,  # the client's own interval
    hold_seconds=30.0,
    closed=100,
    closed_seconds=10.0,
    open_sessions=1000,
    open_seconds=15.0,
    slow_sessions=100,
    slow_seconds=15.0,
    cycle_sessions=1000,
    cycles=10,
    http_seconds=5.0,
    http_connections=16,
    connect_limit=150.0,
)
QUICK = Scale(
    idle=(100, 1000),
    page_share=10,
    ping_interval=2.0,
    hold_seconds=5.0,
    closed=20,
    closed_seconds=3.0,
    open_sessions=100,
    open_seconds=5.0,
    slow_sessions=50,
    slow_seconds=5.0,
    cycle_sessions=100,
    cycles=3,
    http_seconds=2.0,
    http_connections=8,
    connect_limit=60.0,
)


@dataclass
class Host:
    name: str
    port: int
    argv: list[str]
    note: str
    results: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def djust_command() -> str | None:
    """The ``djust`` console script, when the installed package has a ``serve`` command."""
    for candidate in (VENV_BIN / "djust", shutil.which("djust")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    return None


def hosts() -> list[Host]:
    """The hosts, each on a port of its own (both may be up at once, one loaded at a time)."""
    port = free_port()
    found = [
        Host(
            "uvicorn + Channels",
            port,
            [
                PYTHON,
                "-m",
                "uvicorn",
                "serve_bench.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            "one uvicorn process (uvloop, httptools, websockets), Channels' in-memory layer; "
            "static files through Django's `ASGIStaticFilesHandler` as Channels' `runserver` "
            "serves them",
        )
    ]
    djust = djust_command()
    port = free_port()
    serve = Host(
        "djust serve",
        port,
        [
            djust or "djust",
            "serve",
            "--settings",
            "serve_bench.settings",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        "`djust serve`, default configuration",
    )
    if djust is None:
        serve.skipped = "not installed (no `djust` command in the virtualenv or on PATH)"
    found.append(serve)
    return found


# --- the server's process tree, from /proc ------------------------------------------------


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def tree(pid: int) -> list[int]:
    children = _children()
    out = [pid]
    for p in out:
        out.extend(children.get(p, []))
    return out


def rss_kb(pid: int) -> int:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_s(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree(pid):
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- running things ------------------------------------------------------------------------


def build_loadgen() -> None:
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET_DIR), CARGO_TERM_COLOR="never")
    subprocess.run(
        [
            "cargo",
            "build",
            "--release",
            "--quiet",
            "--manifest-path",
            str(LOADGEN / "Cargo.toml"),
        ],
        check=True,
        env=env,
        stdout=sys.stderr,
    )


def server_env(tmp: Path) -> dict[str, str]:
    static_dir = tmp / "static-src"
    static_dir.mkdir(exist_ok=True)
    line = b"djust bench static file, 10 KiB of plain text.\n"
    data = (line * (STATIC_SIZE // len(line) + 1))[:STATIC_SIZE]
    (static_dir / STATIC_NAME).write_bytes(data)
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="serve_bench.settings",
        DJUST_DEMO_DB=str(tmp / "db.sqlite3"),
        SERVE_BENCH_STATIC_DIR=str(static_dir),
        SERVE_BENCH_STATIC_ROOT=str(tmp / "static-root"),
        PYTHONPATH=os.pathsep.join(
            [str(SITE), str(DEMO), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_site(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=DEMO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=sys.stderr,
        )


def get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except OSError:
        return 0


class StartFailed(RuntimeError):
    """The server did not come up."""


def start(host: Host, env: dict[str, str], tmp: Path) -> None:
    """A fresh server for ``host``, warmed up: the first pages and mounts load templates and
    modules."""
    log = tmp / f"server-{host.port}.log"
    with log.open("ab") as out:
        host.proc = subprocess.Popen(
            host.argv,
            cwd=DEMO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    limit = time.monotonic() + 60
    while time.monotonic() < limit and host.proc.poll() is None:
        if get(host.base + "/counter/") == 200:
            loadgen("connect", host.pid, 60, url=host.base + "/counter/", sessions=20, settle=0.5)
            host.results.setdefault("rss_start_kb", rss_kb(host.pid))
            return
        time.sleep(0.25)
    stop(host)
    tail = log.read_text(errors="replace")[-2000:]
    raise StartFailed(f"{host.name} did not start serving /counter/:\n{tail}")


def stop(host: Host) -> None:
    proc, host.proc = host.proc, None
    if proc is None:
        return
    if proc.poll() is None:
        r = host.results
        r["server_cpu_total_s"] = r.get("server_cpu_total_s", 0.0) + cpu_s(proc.pid)
        r["rss_end_kb"] = rss_kb(proc.pid)
        # The server was started in a process group of its own: end that group, by its id.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def loadgen(scenario: str, pid: int, deadline: float, **options: Any) -> dict[str, Any]:
    argv = [str(BINARY), scenario, "--server-pid", str(pid), "--deadline", str(deadline)]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    print("  loadgen " + " ".join(argv[1:]), file=sys.stderr, flush=True)
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=deadline + 30, check=False
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"loadgen {scenario} failed ({result.returncode}): {result.stderr}")
    out: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    if "error" in out:
        raise RuntimeError(f"loadgen {scenario}: {out['error']}")
    return out


def run_all(servers: list[Host], scale: Scale, env: dict[str, str], tmp: Path) -> None:
    """Every scenario against every host, interleaved: scenario by scenario, the hosts taking
    turns (first one, then the other first), so a noisy neighbour on the machine weighs on both
    alike. The RSS waves and the cycles each get a fresh server, so memory freed by an earlier
    wave does not hide what a later one keeps."""
    live = [h for h in servers if not h.skipped]
    turn = 0

    def each(action: Any) -> None:
        nonlocal turn
        order = live if turn % 2 == 0 else live[::-1]
        turn += 1
        for host in order:
            if host.skipped:
                continue
            print(f"{host.name}:", file=sys.stderr, flush=True)
            started = time.monotonic()
            try:
                action(host)
            except StartFailed as err:
                print(err, file=sys.stderr)
                host.skipped = "did not start (its log is on stderr)"
                host.results.clear()
            finally:
                host.results["wall_s"] = host.results.get("wall_s", 0.0) + (
                    time.monotonic() - started
                )

    small, large = scale.idle

    def load(key: str, scenario: str, deadline: float, path: str = "/counter/", **options: Any):
        def action(host: Host) -> None:
            if host.proc is None:
                start(host, env, tmp)
            extra = dict(options)
            if "slow_url" in extra:
                extra["slow_url"] = host.base + extra["slow_url"]
            host.results[key] = loadgen(scenario, host.pid, deadline, url=host.base + path, **extra)

        return action

    def fresh(action: Any) -> Any:
        def run(host: Host) -> None:
            stop(host)
            try:
                start(host, env, tmp)
                action(host)
            finally:
                stop(host)

        return run

    try:
        each(
            fresh(
                load(
                    "idle_small", "hold", 240, sessions=small, seconds=2, ping_interval=0, settle=2
                )
            )
        )
        each(
            load("closed", "closed-loop", 120, sessions=scale.closed, seconds=scale.closed_seconds)
        )
        events = dict(page_share=scale.page_share, rate=1, warmup=2, drain=5)
        each(
            load(
                "open",
                "open-loop",
                240,
                sessions=scale.open_sessions,
                seconds=scale.open_seconds,
                **events,
            )
        )
        for key, slow in (("open_base", {}), ("open_slow", {"slow_url": "/bench/slow/"})):
            each(
                load(
                    key,
                    "open-loop",
                    240,
                    sessions=scale.slow_sessions,
                    seconds=scale.slow_seconds,
                    **events,
                    **slow,
                )
            )
        for key, path in (
            ("http_small", "/bench/small/"),
            ("http_counter", "/counter/"),
            ("http_static", f"/static/{STATIC_NAME}"),
        ):
            each(
                load(
                    key,
                    "http",
                    60,
                    path,
                    connections=scale.http_connections,
                    seconds=scale.http_seconds,
                )
            )
        each(stop)
        each(
            fresh(
                load(
                    "cycles",
                    "cycles",
                    600,
                    sessions=scale.cycle_sessions,
                    cycles=scale.cycles,
                    page_share=scale.page_share,
                    concurrency=100,
                    settle=1,
                )
            )
        )
        each(
            fresh(
                load(
                    "idle_large",
                    "hold",
                    scale.connect_limit + scale.hold_seconds + 120,
                    sessions=large,
                    page_share=scale.page_share,
                    concurrency=100,
                    connect_limit=scale.connect_limit,
                    seconds=scale.hold_seconds,
                    ping_interval=scale.ping_interval,
                    settle=2,
                )
            )
        )
    finally:
        for host in servers:
            stop(host)


# --- the section --------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f} ms" if value >= 10 else f"{value:,.2f} ms"


def kib(value: float) -> str:
    return f"{value:,.0f} KiB" if abs(value) >= 10 else f"{value:,.1f} KiB"


def per_session_kb(run: dict[str, Any]) -> float | None:
    rss = run["server_rss_kb"]
    group = run["connect"]["groups"][0]
    if not group["mounted"] or rss.get("held") is None:
        return None
    return (rss["held"] - rss["before"]) / group["mounted"]


def events(run: dict[str, Any], group: int = 0) -> dict[str, Any]:
    return run["groups"][group].get("events") or run["groups"][group].get("pings") or {}


def failures(run: dict[str, Any]) -> str:
    """Sessions that did not mount (by reason) or were dropped by the server."""
    kinds: dict[str, int] = {}
    for group in run["connect"]["groups"]:
        for kind, count in group["failures"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    late = kinds.pop("not_started_in_time", 0)
    parts = []
    if late:
        parts.append(f"{late:,} not started within the time allowed")
    if kinds:
        parts.append(", ".join(f"{count:,} {kind}" for kind, count in sorted(kinds.items())))
    if not parts:
        parts.append("0 failed")
    dropped = sum(g.get("dropped_total", 0) for g in run["groups"])
    if dropped:
        parts.append(f"{dropped:,} dropped by the server")
    return "; ".join(parts)


def cpu(window: dict[str, Any] | None) -> str:
    if not window or "server_cpu_pct" not in window:
        return "—"
    return (
        f"{window['server_cpu_pct']:.0f} % / {window['gen_cpu_pct']:.0f} % / "
        f"{window.get('others_cpu_pct', 0):.0f} %"
    )


def rows(r: dict[str, Any], scale: Scale) -> list[tuple[str, str, str]]:
    """(measure, figure, CPU server/generator/others) for one host."""
    out: list[tuple[str, str, str]] = []
    small, large = scale.idle
    for key, n in (("idle_small", small), ("idle_large", large)):
        run = r[key]
        per = per_session_kb(run)
        out.append(
            (
                f"RSS per idle mounted session, {n:,} sessions",
                (kib(per) if per is not None else "—") + f" ({failures(run)})",
                # The smaller wave's connect CPU is the connect row's, below.
                cpu(run["connect"]["cpu"]) if key == "idle_large" else "—",
            )
        )
    run = r["idle_small"]
    c = run["connect"]
    g = c["groups"][0]
    out.append(
        (
            f"{small:,} sessions: GET + connect + mount, 50 at a time",
            f"{c['wall_s']:.1f} s, {c['mounted_per_s']:,.0f}/s; per session p50 "
            f"{ms(g['latency'].get('p50_ms'))}, p99 {ms(g['latency'].get('p99_ms'))} "
            f"({failures(run)})",
            cpu(c["cpu"]),
        )
    )
    run = r["idle_large"]
    p = events(run)
    lat = p.get("latency", {})
    out.append(
        (
            f"{large:,} sessions held, a ping each every {scale.ping_interval:g} s "
            f"for {scale.hold_seconds:g} s",
            f"ping p50 {ms(lat.get('p50_ms'))}, p99 {ms(lat.get('p99_ms'))}; "
            f"{p.get('answered', 0):,}/{p.get('sent', 0):,} answered "
            f"({failures(run)}); mounted in {run['connect']['wall_s']:.0f} s",
            cpu(run.get("window")),
        )
    )
    run = r["closed"]
    e = events(run)
    lat = e.get("latency", {})
    out.append(
        (
            f"closed loop, {scale.closed} sessions: events/s",
            f"{e.get('answered_per_s', 0):,.0f}/s; p50 {ms(lat.get('p50_ms'))}, "
            f"p99 {ms(lat.get('p99_ms'))}",
            cpu(run.get("window")),
        )
    )
    for key, label in (
        ("open", f"{scale.open_sessions:,} sessions × 1 event/s: event → patch"),
        ("open_base", f"{scale.slow_sessions:,} sessions × 1 event/s: event → patch"),
        (
            "open_slow",
            f"the same {scale.slow_sessions:,}, beside one session whose handler sleeps 500 ms "
            "(events back to back)",
        ),
    ):
        run = r[key]
        e = events(run)
        lat = e.get("latency", {})
        extra = ""
        if e.get("unanswered"):
            extra = f", {e['unanswered']:,} unanswered"
        out.append(
            (
                label,
                f"p50 {ms(lat.get('p50_ms'))}, p99 {ms(lat.get('p99_ms'))}; "
                f"{e.get('answered_per_s', 0):,.0f}/s answered{extra}",
                cpu(run.get("window")),
            )
        )
    run = r["cycles"]
    cycles = run["cycles"]
    before = run["server_rss_kb_before"]
    after = [cyc["server_rss_kb"]["after_close"] for cyc in cycles]
    mounted = sum(cyc["connect"]["groups"][0]["mounted"] for cyc in cycles)
    failed = sum(cyc["connect"]["groups"][0]["failed"] for cyc in cycles)
    out.append(
        (
            f"RSS after {len(cycles)} cycles of {scale.cycle_sessions:,} "
            "connect + mount + disconnect",
            f"{after[-1] / 1024:,.1f} MiB (before {before / 1024:,.1f} MiB, after the first "
            f"cycle {after[0] / 1024:,.1f} MiB); {mounted:,} mounted, {failed:,} failed",
            "—",
        )
    )
    for key, label in (
        ("http_small", "Django, a small page (~300 bytes): requests/s"),
        ("http_counter", "Django, the counter page (~31 KB, a LiveView GET): requests/s"),
        ("http_static", "a static 10 KB file: requests/s"),
    ):
        run = r[key]
        lat = run["latency"]
        bad = {k: v for k, v in run["status"].items() if k != "200"}
        errs = sum(run["errors"].values())
        note = ""
        if bad or errs:
            note = f"; non-200: {bad or 0}, errors: {errs}"
        out.append(
            (
                label,
                f"{run['ok_per_s']:,.0f}/s; p50 {ms(lat.get('p50_ms'))}, "
                f"p99 {ms(lat.get('p99_ms'))}{note}",
                cpu(run.get("window")),
            )
        )
    return out


def main(argv: list[str]) -> int:
    quick = "--quick" in argv or os.environ.get("DJUST_BENCH_QUICK") == "1"
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    scale = QUICK if quick else FULL
    build_loadgen()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="djust-bench-serve-") as name:
        tmp = Path(name)
        env = server_env(tmp)
        prepare_site(env)
        servers = hosts()
        for host in servers:
            if only and only.lower() not in host.name.lower():
                host.skipped = host.skipped or "not selected (--only)"
            if host.skipped:
                print(f"{host.name}: skipped, {host.skipped}", file=sys.stderr)
        run_all(servers, scale, env, tmp)
    elapsed = time.monotonic() - started
    raw = TARGET_DIR / "bench_serve.json"
    raw.write_text(json.dumps({h.name: h.results for h in servers}, indent=1))
    print(f"generator output of every run: {raw}", file=sys.stderr)

    print("## Servers under load\n")
    print(
        "The demo counter (`/counter/`, handler `increment`) served on loopback, `DEBUG` off, "
        "by each host; the hosts take turns scenario by scenario (each goes first in every "
        "other one), so a busy neighbour on the machine weighs on both alike. Load from "
        "`benchmarks/loadgen`, a Rust program in its own process (tokio, one thread): each "
        "session GETs the page (its token and visitor cookie), opens `/ws/live/` with that "
        "cookie and the page's `Origin`, sends `mount` and waits for `mounted`; an event waits "
        "for the `patch` with its `ref`. Sessions connect 50 at a time, each with its own page "
        f"GET; in the event runs, the cycles and the largest wave (100 at a time, for at most "
        f"{scale.connect_limit:.0f} s) {scale.page_share} sessions share one page GET, as tabs "
        "of one browser. The RSS waves and the cycles each start on a fresh server. RSS is the "
        "server's (`VmRSS`, all its processes); per session, its growth from before the wave "
        "to the sessions held, divided by the sessions mounted. The open-loop runs send on "
        "schedule whether or not answers came; a server that cannot keep up shows it in "
        "unanswered events and in latencies that grow with the run. The handler that sleeps "
        "(`nap`, on `/bench/slow/`) is called back to back by one session of its own.\n"
    )
    print(
        "The second table is CPU over each measured window (the connect phase for the RSS "
        "rows), in % of one core: the server's / the generator's / everything else on the "
        f"machine's. The machine has {os.cpu_count()} cores: a generator near 100 %, or "
        "others much above 0, means that figure is not the server's alone.\n"
    )
    if quick:
        print("**Quick run** (`--quick`): every count scaled down; not comparable.\n")
    measured = [h for h in servers if not h.skipped]
    header = "| measure | " + " | ".join(h.name for h in measured) + " |"
    print(header)
    print("| --- |" + " ---: |" * len(measured))
    tables = [rows(h.results, scale) for h in measured]
    if tables:
        for i, (label, _, _) in enumerate(tables[0]):
            print(f"| {label} | " + " | ".join(t[i][1] for t in tables) + " |")
        print("\nCPU over each measured window, server / generator / others (% of one core):\n")
        print("| measure | " + " | ".join(h.name for h in measured) + " |")
        print("| --- |" + " ---: |" * len(measured))
        for i, (label, _, _) in enumerate(tables[0]):
            cells = [t[i][2] for t in tables]
            if any(c != "—" for c in cells):
                print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for h in servers:
        if h.skipped:
            print(f"- {h.name}: skipped, {h.skipped}.")
        else:
            gen = sum(
                run["generator"]["cpu_s"]
                for run in h.results.values()
                if isinstance(run, dict) and "generator" in run
            )
            print(
                f"- {h.name}: {h.note}. Whole run {h.results['wall_s']:.0f} s; server CPU "
                f"{h.results['server_cpu_total_s']:.0f} s, generator CPU {gen:.0f} s; RSS "
                f"{h.results['rss_start_kb'] / 1024:,.0f} MiB after warm-up, "
                f"{h.results['rss_end_kb'] / 1024:,.0f} MiB when last stopped."
            )
    print(f"\nBench wall time {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
