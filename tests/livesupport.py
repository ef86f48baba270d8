"""Running a real server and a real browser for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def project_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a project's own process: not the test suite's Django settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra or {})
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The two hosts every end-to-end test runs under: uvicorn + Django Channels (the project's ASGI
# application, LiveViewConsumer), and ``djust serve`` (djust's own server, in Rust).
HOSTS = ("channels", "serve")

# Each host's server writes its output to a log of its own in the project's folder.
LOG_PATTERNS = ("uvicorn-*.log", "djust-serve-*.log")


def djust_command() -> list[str]:
    """The ``djust`` console script of this interpreter's environment (as a user runs it)."""
    script = Path(sys.executable).parent / "djust"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "djust.serve"]


class ServerProcess:
    """A project served by ``host`` (one of :data:`HOSTS`) from ``project_dir`` on a port of its
    own, which can be stopped and started again on that port (the reconnect tests restart it
    under an open page).

    ``asgi`` is the ASGI application uvicorn serves (``module:attr``), ``settings`` the settings
    module ``djust serve`` gets (with ``serve_args`` after the others); each host uses its own
    and ignores the other. The server's
    output goes to a log file in ``log_dir`` (``project_dir`` unless given)."""

    def __init__(
        self,
        host: str,
        project_dir: Path,
        *,
        asgi: str | None = None,
        settings: str | None = None,
        env: dict[str, str] | None = None,
        ready_path: str = "/",
        log_dir: Path | None = None,
        log_name: str = "",
        serve_args: tuple[str, ...] = (),
    ) -> None:
        assert host in HOSTS, host
        self.serve_args = serve_args
        self.host = host
        self.project_dir = project_dir
        self.asgi = asgi
        self.settings = settings
        self.env = env or {}
        self.ready_path = ready_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix = "uvicorn" if host == "channels" else "djust-serve"
        name = f"{prefix}-{log_name}-{self.port}" if log_name else f"{prefix}-{self.port}"
        self.log_path = (log_dir or project_dir) / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        if self.host == "channels":
            assert self.asgi, "uvicorn needs the ASGI application"
            return [
                sys.executable,
                "-m",
                "uvicorn",
                self.asgi,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
            ]
        assert self.settings, "djust serve needs the settings module"
        return [
            *djust_command(),
            "serve",
            "--settings",
            self.settings,
            "--bind",
            f"127.0.0.1:{self.port}",
            *self.serve_args,
        ]

    @property
    def name(self) -> str:
        return "uvicorn" if self.host == "channels" else "djust serve"

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the process owns it until stop())
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.project_dir,
            env=project_env(self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + self.ready_path, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start:\n{self.log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def close(self) -> str:
        """Stop for good and remove the log; returns everything the server printed."""
        self.stop()
        text = self.log()
        self.log_path.unlink(missing_ok=True)
        return text


@contextlib.contextmanager
def live_server(
    host: str,
    project_dir: Path,
    *,
    asgi: str | None = None,
    settings: str | None = None,
    env: dict[str, str] | None = None,
    ready_path: str = "/",
) -> Iterator[str]:
    """Serve the project in ``project_dir`` with ``host``; yields the base URL. The log stays
    in ``project_dir`` for :func:`server_log`."""
    server = ServerProcess(
        host, project_dir, asgi=asgi, settings=settings, env=env, ready_path=ready_path
    )
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


def uvicorn_server(
    project_dir: Path, app: str, env: dict[str, str] | None = None, ready_path: str = "/"
) -> contextlib.AbstractContextManager[str]:
    """Serve ``app`` (``module:attr``) with uvicorn from ``project_dir``; yields the base URL."""
    return live_server("channels", project_dir, asgi=app, env=env, ready_path=ready_path)


def server_log(project_dir: Path) -> str:
    """Everything the test servers started in ``project_dir`` printed."""
    return "\n".join(
        path.read_text(errors="replace")
        for pattern in LOG_PATTERNS
        for path in sorted(project_dir.glob(pattern))
    )


def click_counter(page, plus: str, minus: str) -> None:
    """Click + three times and − once, each click awaited through its patch."""
    for selector, expected in ((plus, 1), (plus, 2), (plus, 3), (minus, 2)):
        page.click(selector)
        page.wait_for_function(
            "n => document.querySelector('h1').textContent.trim() === 'Count: ' + n",
            arg=expected,
            timeout=10_000,
        )
