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


@contextlib.contextmanager
def uvicorn_server(
    project_dir: Path, app: str, env: dict[str, str] | None = None, ready_path: str = "/"
) -> Iterator[str]:
    """Serve ``app`` (``module:attr``) with uvicorn from ``project_dir``; yields the base URL."""
    port = free_port()
    log_path = project_dir / f"uvicorn-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed below, after the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=project_dir,
        env=project_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(base + ready_path, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start:\n{log_path.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def server_log(project_dir: Path) -> str:
    """Everything the test servers started in ``project_dir`` printed."""
    return "\n".join(p.read_text(errors="replace") for p in project_dir.glob("uvicorn-*.log"))


def click_counter(page, plus: str, minus: str) -> None:
    """Click + three times and − once, each click awaited through its patch."""
    for selector, expected in ((plus, 1), (plus, 2), (plus, 3), (minus, 2)):
        page.click(selector)
        page.wait_for_function(
            "n => document.querySelector('h1').textContent.trim() === 'Count: ' + n",
            arg=expected,
            timeout=10_000,
        )
