"""The deployment samples in config/ work: the demo served through config/nginx/djust.conf."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.livesupport import click_counter, free_port, uvicorn_server

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo_project"
NGINX_SAMPLE = ROOT / "config" / "nginx" / "djust.conf"


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
