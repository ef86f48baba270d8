"""The demo project's counters in Chromium: page template and template_string forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.livesupport import click_counter, server_log, uvicorn_server

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_project"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    env = {"DJANGO_DEBUG": "0", "PYTHONPATH": str(DEMO)}
    with uvicorn_server(DEMO, "demo_project.asgi:application", env=env,
                        ready_path="/counter/") as base:
        yield base
    log = server_log(DEMO)
    for path in DEMO.glob("uvicorn-*.log"):
        path.unlink()
    assert "Traceback" not in log, log


@pytest.mark.parametrize("path", ["/counter/", "/counter/inline/"])
def test_counter(demo_url, page, path):
    page.goto(demo_url + path)
    page.wait_for_selector("[dj-connected]", timeout=10_000)
    assert page.locator("#count").inner_text() == "Count: 0"
    click_counter(page, "#inc", "#dec")
    assert page.locator("#count").inner_text() == "Count: 2"


def test_counter_goes_below_zero_with_a_structural_change(demo_url, page):
    page.goto(demo_url + "/counter/")
    page.wait_for_selector("[dj-connected]", timeout=10_000)
    page.click("#dec")
    page.wait_for_selector("p.note", timeout=10_000)
    assert page.locator("#count").inner_text() == "Count: -1"
    page.click("#inc")
    page.wait_for_selector("p.note", state="detached", timeout=10_000)
    assert page.locator("#count").inner_text() == "Count: 0"
