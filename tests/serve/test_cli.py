"""The ``djust serve`` command: projects that cannot start are reported in one line, several
worker processes share a port, SIGTERM stops the server gracefully."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.serve.conftest import (
    SETTINGS,
    ServeProcess,
    closed_with,
    event,
    free_port,
    mount,
    open_socket,
    receive,
    run,
)

CLOSE_RESTART = 1012
SITE_VIEWS = Path(__file__).resolve().parent / "site" / "views.py"


def failed_start(serve: ServeProcess) -> tuple[int, list[str]]:
    try:
        code = serve.wait_exit(timeout=15)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"djust serve started instead of refusing to (still running after 15 s)\n{serve.log()}"
        ) from None
    return code, [line for line in serve.stderr if line.strip()]


def assert_one_line(code: int, lines: list[str], *expected: str) -> None:
    assert code == 1, (code, lines)
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("djust serve: "), lines[0]
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in lines[0] and "panicked" not in lines[0]


def test_a_port_in_use_is_reported_in_one_line(start_server):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        serve = start_server(port=port, ready=None)
        code, lines = failed_start(serve)
    assert_one_line(code, lines, f"127.0.0.1:{port}")


def test_a_settings_module_that_does_not_exist_is_reported_in_one_line(start_server):
    serve = start_server("tests.serve.site.no_such_settings", ready=None)
    code, lines = failed_start(serve)
    assert_one_line(code, lines, "no_such_settings")


@pytest.mark.parametrize(
    "settings, missing",
    [
        ("tests.serve.site.settings_broken_app", "djust_serve_tests_no_such_module"),
        ("tests.serve.site.settings_broken_urls", "no_such_views"),
    ],
    ids=["installed-app", "urlconf"],
)
def test_an_import_error_in_the_project_is_reported_in_one_line(start_server, settings, missing):
    serve = start_server(settings, ready=None)
    code, lines = failed_start(serve)
    assert_one_line(code, lines, missing)


def test_two_workers_share_one_port_and_both_serve(start_server):
    serve = start_server(args=["--workers", "2"], ready=2)
    pids = set()
    deadline = time.monotonic() + 20
    while len(pids) < 2 and time.monotonic() < deadline:
        status, body = serve.get("/pid/")  # a new connection each time
        assert status == 200
        pids.add(int(body))
    assert len(pids) == 2, pids
    assert serve.pid not in pids  # the supervising process serves nothing itself
    serve.process.send_signal(signal.SIGTERM)
    assert serve.wait_exit(timeout=20) == 0, serve.log()


def test_sigterm_finishes_in_flight_work_closes_sockets_with_1012_and_exits_0(start_server):
    serve = start_server()
    page = serve.page()
    slow: dict = {}

    def slow_request() -> None:
        slow["answer"] = serve.get("/sleep/?s=2", timeout=15)

    async def sockets() -> tuple[int | None, int | None, list]:
        async with open_socket(serve, page) as idle, open_socket(serve, page) as busy:
            await mount(idle, page)
            await mount(busy, page)
            await busy.send(json.dumps(event(1, "nap", seconds=1.5)))
            await asyncio.sleep(0.3)  # the nap is in flight
            serve.process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            answers = []
            busy_code = None
            try:
                while True:
                    answers.append(await receive(busy, timeout=10))
            except Exception:
                busy_code = busy.close_code
            idle_code = await closed_with(idle, timeout=10)
            answers.append(time.monotonic() - signalled)
            return idle_code, busy_code, answers

    request = threading.Thread(target=slow_request)
    request.start()
    time.sleep(0.5)  # the request is in flight
    idle_code, busy_code, answers = run(sockets())
    signalled_ago = answers.pop()
    code = serve.wait_exit(timeout=10)
    request.join(timeout=10)
    assert slow.get("answer") == (200, b"slept 2.0"), slow
    assert answers and answers[0]["t"] == "patch" and answers[0]["ref"] == 1, answers
    assert idle_code == CLOSE_RESTART, (idle_code, serve.log())
    assert busy_code == CLOSE_RESTART, (busy_code, serve.log())
    assert signalled_ago < 5
    assert code == 0, serve.log()
    assert not any("Traceback" in line or "panicked" in line for line in serve.stderr), serve.log()


def test_sigterm_stops_within_the_shutdown_timeout_with_a_long_request(start_server):
    """A request that outlasts the shutdown timeout (5 s) does not keep the process."""
    serve = start_server()
    outcome: list = []

    def long_request() -> None:
        try:
            outcome.append(serve.get("/sleep/?s=20", timeout=30))
        except OSError as err:  # cut off by the stop: expected
            outcome.append(err)

    request = threading.Thread(target=long_request, daemon=True)
    request.start()
    time.sleep(0.5)
    signalled = time.monotonic()
    serve.process.send_signal(signal.SIGTERM)
    code = serve.wait_exit(timeout=15)
    assert time.monotonic() - signalled < 8, "the process outlived the shutdown timeout"
    assert code == 0, serve.log()


def test_the_port_is_free_again_after_a_stop(start_server):
    port = free_port()
    first = start_server(port=port)
    first.process.send_signal(signal.SIGTERM)
    assert first.wait_exit(timeout=15) == 0
    second = start_server(port=port)
    assert second.get("/pid/") == (200, str(second.pid).encode())


def test_settings_come_from_the_settings_option(start_server):
    serve = start_server(SETTINGS)
    assert any(line.startswith("djust serve: http://127.0.0.1:") for line in serve.stdout)


def test_reload_restarts_the_server_when_a_python_file_changes(start_server):
    serve = start_server(args=["--reload"], ready=1)
    status, first = serve.get("/pid/")
    assert status == 200
    touched = SITE_VIEWS.stat().st_mtime
    try:
        os.utime(SITE_VIEWS, (touched + 5, touched + 5))
        deadline = time.monotonic() + 30
        second = first
        while second == first and time.monotonic() < deadline:
            time.sleep(0.3)
            try:
                status, second = serve.get("/pid/")
            except OSError:
                continue  # between the old server and the new one
        assert second != first, serve.log()
        assert "code changed, restarting" in serve.log()
    finally:
        os.utime(SITE_VIEWS, (touched, touched))
    serve.process.send_signal(signal.SIGTERM)
    assert serve.wait_exit(timeout=20) == 0, serve.log()
