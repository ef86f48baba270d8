"""The deployment samples in config/ work: the demo served through each nginx sample (uvicorn +
Channels behind config/nginx/djust.conf, djust serve behind config/nginx/djust-serve.conf), and
the systemd unit's command line is one djust serve accepts."""

from __future__ import annotations

import configparser
import contextlib
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from djust import serve
from tests.livesupport import click_counter, free_port, live_server, uvicorn_server

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo_project"
NGINX_SAMPLE = ROOT / "config" / "nginx" / "djust.conf"
NGINX_SERVE_SAMPLE = ROOT / "config" / "nginx" / "djust-serve.conf"
SYSTEMD_UNIT = ROOT / "config" / "systemd" / "djust.service"


@contextlib.contextmanager
def nginx(sample: str, workdir: Path):
    """Run nginx (Debian's) with ``sample`` in its http block; yields its base URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    site = sample.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (workdir / "logs").mkdir(exist_ok=True)
    (workdir / "site.conf").write_text(site)
    (workdir / "nginx.conf").write_text(
        "worker_processes 1;\n"
        f"pid {workdir}/nginx.pid;\n"
        f"error_log {workdir}/logs/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  access_log off;\n  client_body_temp_path {workdir};\n"
        f"  proxy_temp_path {workdir};\n"
        f"  include {workdir}/site.conf;\n"
        "}\n"
    )
    conf = str(workdir / "nginx.conf")
    check = subprocess.run(
        [binary, "-t", "-p", str(workdir), "-c", conf], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([binary, "-p", str(workdir), "-c", conf, "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/counter/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.browser
def test_demo_counter_through_the_nginx_sample(page, tmp_path):
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO)}
    with uvicorn_server(
        DEMO, "demo_project.asgi:application", env=env, ready_path="/counter/"
    ) as upstream:
        upstream_port = upstream.rsplit(":", 1)[1]
        sample = NGINX_SAMPLE.read_text()
        assert re.search(r"server 127\.0\.0\.1:8000;", sample)
        sample = sample.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
        with nginx(sample, tmp_path) as base:
            page.goto(base + "/counter/")
            page.wait_for_selector("[dj-connected]", timeout=10_000)
            click_counter(page, "#inc", "#dec")
            page.goto("about:blank")
    for log in DEMO.glob("uvicorn-*.log"):
        log.unlink()


@pytest.mark.browser
def test_demo_counter_through_the_nginx_sample_for_djust_serve(page, tmp_path):
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO)}
    with live_server(
        "serve", DEMO, settings="demo_project.settings", env=env, ready_path="/counter/"
    ) as upstream:
        upstream_port = upstream.rsplit(":", 1)[1]
        sample = NGINX_SERVE_SAMPLE.read_text()
        assert re.search(r"server 127\.0\.0\.1:8000;", sample)
        sample = sample.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
        with nginx(sample, tmp_path) as base:
            page.goto(base + "/counter/")
            page.wait_for_selector("[dj-connected]", timeout=10_000)
            click_counter(page, "#inc", "#dec")
            # The client came as a static file through nginx, compressed and cacheable.
            script = page.locator("script[data-djust-client]").get_attribute("src")
            request = urllib.request.Request(base + script, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.headers["Content-Encoding"] == "gzip"
                assert "immutable" in response.headers["Cache-Control"]
            page.goto("about:blank")
    for log in DEMO.glob("djust-serve-*.log"):
        log.unlink()


def test_the_systemd_unit_runs_a_djust_serve_command_line():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(SYSTEMD_UNIT.read_text())
    service = unit["Service"]
    command = shlex.split(service["ExecStart"])
    assert Path(command[0]).name == "djust" and command[1] == "serve", command
    options = serve.parser().parse_args(command[2:])
    assert options.settings and options.workers >= 1 and options.threads >= 1
    assert service["KillSignal"] == "SIGTERM"
    # systemd must wait longer than the graceful shutdown before it kills.
    assert int(service["TimeoutStopSec"]) > 5
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert os.path.isabs(command[0]) and os.path.isabs(service["WorkingDirectory"])
