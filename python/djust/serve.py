"""``djust serve``: run a Django project on djust's own server (actix, in Rust).

::

    djust serve [--settings S] [--bind 127.0.0.1:8000] [--workers N] [--threads T] [--reload]

(``python manage.py djust_serve`` takes the same options.) The command configures Django, then
hands the project to ``djust._core.Server``, which runs on threads of its own: HTTP requests go
to the project's WSGI application on a bounded pool of Python threads, static files are served
by Rust, and every LiveView socket is an actor of its own. This thread keeps the signals:
SIGTERM and SIGINT stop the server gracefully (in-flight events finish, sockets close with a
code that makes clients reconnect with jitter).

``--workers N`` runs N such processes on one port (``SO_REUSEPORT``); ``--reload`` restarts the
server when a Python file or template of the project changes (for development).

A project that cannot start — a port in use, a settings module that does not import, a
misconfiguration — is reported in one line, and the command exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from djust import _core, config, pubsub, serve_host

USAGE_ERROR = 2

# Set in each worker process started by --workers or --reload: run the server itself.
CHILD_ENV = "DJUST_SERVE_CHILD"


class StartError(Exception):
    """The project cannot be served; the message says why, in one line."""


def parser(prog: str = "djust serve") -> argparse.ArgumentParser:
    """The command line of ``djust serve`` (and ``manage.py djust_serve``)."""
    parse = argparse.ArgumentParser(prog=prog, description="Serve a Django project with djust.")
    add_arguments(parse)
    return parse


def add_arguments(parse: Any) -> None:
    """The options, for ``argparse`` and for the management command's parser."""
    parse.add_argument("--settings", help="the settings module (else DJANGO_SETTINGS_MODULE)")
    parse.add_argument(
        "--bind", default="127.0.0.1:8000", help="host:port to listen on (127.0.0.1:8000)"
    )
    parse.add_argument("--workers", type=int, default=1, help="processes sharing the port (1)")
    parse.add_argument(
        "--threads", type=int, default=8, help="Python worker threads per process (8)"
    )
    parse.add_argument(
        "--reload", action="store_true", help="restart when the project's code changes"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``djust serve``: the console script's entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        args = args[1:]
    elif args and not args[0].startswith("-"):
        print(
            f"djust: unknown command {args[0]!r}. Instead, run: djust serve --help", file=sys.stderr
        )
        return USAGE_ERROR
    options = parser().parse_args(args)
    return run(options)


def run(options: argparse.Namespace, configured: bool = False) -> int:
    """Serve with ``options``; ``configured``: Django is already set up (``manage.py``)."""
    if options.workers < 1 or options.threads < 1:
        print("djust serve: --workers and --threads take a number of at least 1", file=sys.stderr)
        return USAGE_ERROR
    if options.settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = options.settings
    if not configured and os.getcwd() not in sys.path:
        # As manage.py does: the project's packages import from where the command runs.
        sys.path.insert(0, os.getcwd())
    if os.environ.get(CHILD_ENV) is None and (options.reload or options.workers > 1):
        return _supervise(options)
    try:
        server = start(options, configured=configured)
    except StartError as err:
        print(f"djust serve: {err}", file=sys.stderr)
        return 1
    return _wait(server)


def start(options: argparse.Namespace, configured: bool = False) -> Any:
    """Configure Django and start the server; raises :class:`StartError` in one line."""
    try:
        if not configured:
            if not os.environ.get("DJANGO_SETTINGS_MODULE"):
                raise StartError(
                    "no settings module. Instead of running without one, pass "
                    "--settings myproject.settings or set DJANGO_SETTINGS_MODULE."
                )
            django.setup()
        application = get_wsgi_application()
        # The URLconf is imported at the first request otherwise: a broken urls.py must stop
        # the start, not fail every request.
        get_resolver().url_patterns  # noqa: B018
        static = serve_host.static_locations()
        in_memory = []
        if static.url is not None:
            url, body = serve_host.client_script(static.url)
            in_memory.append((url, body, "text/javascript"))
            serve_host.serve_client_from(url)
        workers = int(os.environ.get("DJUST_SERVE_WORKERS", options.workers))
        # Sessions here are the broker's: broadcasts go to it (and Redis), not a channel layer.
        pubsub.SERVING = True
        broker = pubsub.configure(force=True)
        server = _core.Server(
            options.bind,
            application,
            serve_host.open_socket,
            python_threads=options.threads,
            websocket_path=serve_host.websocket_path(),
            static_url=static.url,
            static_dirs=static.dirs,
            in_memory_static=in_memory,
            max_frame_bytes=int(config.get("max_frame_bytes")),
            max_body_bytes=int(config.get("max_body_bytes")),
            heartbeat=float(config.get("heartbeat_interval")),
            timeout=float(config.get("heartbeat_timeout")),
            reuse_port=workers > 1,
            multiprocess=workers > 1,
        )
    except StartError:
        raise
    except OSError as err:
        raise StartError(f"cannot listen on {options.bind}: {err.strerror or err}") from None
    except Exception as err:  # the project's own errors: settings, imports, apps
        raise StartError(_one_line(err)) from None
    _announce(server, static, workers, broker)
    return server


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _announce(server: Any, static: Any, workers: int, broker: dict[str, Any]) -> None:
    where = f"http://{server.address}/"
    lines = [f"djust serve: {where} (pid {os.getpid()}, DEBUG={settings.DEBUG})"]
    lines.append(f"  sockets at {serve_host.websocket_path()}")
    if static.url is not None:
        source = ", ".join(static.dirs) or "the client script only"
        lines.append(f"  static files at {static.url} from {source}")
    if workers > 1:
        lines.append(f"  one of {workers} worker processes on this port")
    if broker["backend"] == "redis":
        lines.append(f"  pub/sub through Redis at {broker['url']}")
    elif workers > 1:
        lines.append(
            "  pub/sub in memory: broadcasts stay inside each worker process (set "
            "LIVEVIEW_CONFIG['pubsub'] = {'backend': 'redis', 'url': ...} to share them)"
        )
    print("\n".join(lines), flush=True)


def _wait(server: Any) -> int:
    """Wait for the server on this (the main) thread, which keeps the signals."""
    stopping: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        if stopping:
            server.stop(graceful=False)  # a second Ctrl-C: now
            return
        stopping.append(signum)
        server.stop(graceful=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not server.wait(0.25):
        pass
    return 0


# --- several processes: --workers and --reload ------------------------------------------------


def _supervise(options: argparse.Namespace) -> int:
    """Run the server in child processes: N workers sharing the port, restarted on code
    changes with --reload. Signals are passed on to the children."""
    command = [
        sys.executable,
        "-m",
        "djust.serve",
        "serve",
        "--bind",
        options.bind,
        "--threads",
        str(options.threads),
        "--workers",
        str(options.workers),
    ]
    if options.settings:
        command += ["--settings", options.settings]
    env = {**os.environ, CHILD_ENV: "1", "DJUST_SERVE_WORKERS": str(options.workers)}
    children: list[subprocess.Popen[bytes]] = []
    stopping: list[int] = []

    def start_all() -> None:
        children.clear()
        children.extend(subprocess.Popen(command, env=env) for _ in range(options.workers))

    def stop_all(graceful: bool = True) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def on_signal(signum: int, _frame: Any) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    start_all()
    seen = _snapshot() if options.reload else {}
    while not stopping:
        time.sleep(0.5)
        if any(child.poll() not in (None, 0) for child in children) and not options.reload:
            stop_all()
            return 1
        if options.reload:
            now = _snapshot()
            if now != seen:
                seen = now
                print("djust serve: code changed, restarting", flush=True)
                stop_all()
                start_all()
    stop_all()
    return 0


# Folders --reload never watches: builds, environments, caches, version control.
_UNWATCHED = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "node_modules",
        "target",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "staticfiles",
        "media",
    }
)


def _snapshot() -> dict[str, float]:
    """Modification times of the Python files and templates under the working directory."""
    times: dict[str, float] = {}
    for folder, subfolders, files in os.walk(Path.cwd()):
        subfolders[:] = [
            name for name in subfolders if name not in _UNWATCHED and not name.startswith(".")
        ]
        for name in files:
            if name.endswith((".py", ".html", ".txt")):
                path = os.path.join(folder, name)
                try:
                    times[path] = os.stat(path).st_mtime
                except OSError:
                    continue
    return times


if __name__ == "__main__":
    sys.exit(main())
