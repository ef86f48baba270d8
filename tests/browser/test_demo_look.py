"""The demo's look in Chromium, at a phone's width and a desktop's, on both hosts: every page
has the shared layout (its own stylesheet loaded, the navigation in view, nothing wider than
the screen), and a few pages still look like their committed screenshots.

The baselines are in ``tests/browser/baselines/``. After a deliberate change of the look, make
them again with ``DJUST_UPDATE_BASELINES=1`` and look at them before committing."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import open_page

pytestmark = pytest.mark.browser

BASELINES = Path(__file__).resolve().parent / "baselines"
STYLESHEET = "/static/demo_app/demo.css"

SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

# Every page of the demo that uses its layout, and the page its navigation marks as current.
# (/counter/inline/ is the README's template_string example: djust's own minimal page.)
PAGES = {
    "/": None,
    "/counter/": "/counter/",
    "/todo/": "/todo/",
    "/search/": "/search/",
    "/shop/": "/shop/",
    "/shop/1/": "/shop/",
    "/components/": "/components/",
    "/chat/": "/chat/",
    "/dashboard/": "/dashboard/",
}

# Pages whose first screen does not change from run to run (no clock, no other visitors).
SNAPSHOTS = {"index": "/", "counter": "/counter/", "shop": "/shop/?category=books&sort=name"}

# A pixel differs when one of its channels moves by more than this (anti-aliasing moves less);
# a screenshot matches when at most this share of its pixels differ. A lost stylesheet, a
# changed colour or a shifted block changes far more than that.
CHANNEL_TOLERANCE = 48
MAX_DIFFERING = 0.005

COMPARE_PNGS = """async ([expected, actual, tolerance]) => {
    const load = (src) => new Promise((resolve, reject) => {
        const image = new Image();
        image.onload = () => resolve(image);
        image.onerror = () => reject(new Error("not a PNG"));
        image.src = "data:image/png;base64," + src;
    });
    const [a, b] = await Promise.all([load(expected), load(actual)]);
    if (a.width !== b.width || a.height !== b.height) {
        return {size: `${a.width}x${a.height} against ${b.width}x${b.height}`};
    }
    const pixels = (image) => {
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
    };
    const p = pixels(a), q = pixels(b);
    let differing = 0;
    for (let i = 0; i < p.length; i += 4) {
        const delta = Math.max(
            Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]), Math.abs(p[i + 2] - q[i + 2])
        );
        if (delta > tolerance) differing += 1;
    }
    return {differing, total: p.length / 4};
}"""

LAYOUT_FACTS = """() => {
    const style = (el) => getComputedStyle(el);
    const header = document.querySelector("header.site-header");
    const main = document.querySelector("main[dj-root]");
    const sheet = [...document.styleSheets].find((s) => (s.href || "").endsWith("/demo.css"));
    const links = [...document.querySelectorAll(".site-nav a")].map((a) => {
        const box = a.getBoundingClientRect();
        return {
            href: a.getAttribute("href"), left: box.left, right: box.right,
            visible: box.width > 0 && box.height > 0 && style(a).visibility === "visible",
            background: style(a).backgroundColor,
        };
    });
    const buttons = [...document.querySelectorAll("main button")].map((b) => style(b).borderRadius);
    return {
        width: window.innerWidth,
        scrollWidth: document.documentElement.scrollWidth,
        rules: sheet ? sheet.cssRules.length : 0,
        bodyMargin: style(document.body).margin,
        bodyFont: style(document.body).fontFamily,
        bodyFontSize: parseFloat(style(document.body).fontSize),
        bodyBackground: style(document.body).backgroundColor,
        headerBackground: header ? style(header).backgroundColor : null,
        headerBottom: header ? header.getBoundingClientRect().bottom : null,
        mainMaxWidth: main ? style(main).maxWidth : null,
        mainLeft: main ? main.getBoundingClientRect().left : null,
        buttons,
        links,
    };
}"""


@pytest.fixture
def screen(browser, request) -> Iterator:
    """Opens pages sized as ``request.param`` ("phone" or "desktop"); fails the test on the
    browser's errors and failed requests, as the ``page`` fixture does."""
    context = browser.new_context(**SCREENS[request.param], device_scale_factor=1)
    problems: list[str] = []

    def new_page():
        page = context.new_page()
        page.on("pageerror", lambda err: problems.append(str(err)))
        page.on(
            "console",
            lambda msg: msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and problems.append(msg.text),
        )
        page.on(
            "response",
            lambda r: r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.url}"),
        )
        return page

    yield new_page
    context.close()
    assert not problems, f"the browser reported errors: {problems}"


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_every_page_has_the_layout_and_fits_the_screen(demo_url, screen, request):
    width = SCREENS[request.node.callspec.params["screen"]]["viewport"]["width"]
    page = screen()
    # Served by the demo itself (no CDN): the pages below load it from the browser's cache.
    sheet = page.request.get(demo_url + STYLESHEET)
    assert sheet.status == 200
    assert sheet.headers["content-type"].startswith("text/css")
    for path, current in PAGES.items():
        open_page(page, demo_url + path)
        facts = page.evaluate(LAYOUT_FACTS)
        where = f"{path} at {width}px"
        assert facts["rules"] > 20, f"{where}: the stylesheet did not apply"
        # A phone zooms out to show a page wider than its screen: innerWidth grows with it.
        assert facts["width"] == width, f"{where}: laid out {facts['width']}px wide"
        assert facts["scrollWidth"] <= width, f"{where}: wider than the screen"
        # Not the browser's defaults: no 8px body margin, no serif, a coloured header.
        assert facts["bodyMargin"] == "0px", where
        assert "serif" not in facts["bodyFont"].replace("sans-serif", ""), where
        assert facts["bodyFontSize"] >= 16, where
        assert facts["bodyBackground"] == "rgb(245, 247, 250)", where
        assert facts["headerBackground"] == "rgb(31, 41, 51)", where
        assert facts["mainMaxWidth"] == "832px", where
        assert all(radius != "0px" for radius in facts["buttons"]), where
        # The navigation: every page's link, all on screen, the current page's marked.
        links = facts["links"]
        assert [link["href"] for link in links] == [
            "/counter/",
            "/todo/",
            "/search/",
            "/shop/",
            "/components/",
            "/chat/",
            "/dashboard/",
        ], where
        for link in links:
            assert link["visible"], f"{where}: {link['href']} hidden"
            assert 0 <= link["left"] and link["right"] <= width, f"{where}: {link}"
        marked = [link["href"] for link in links if link["background"] == "rgb(255, 255, 255)"]
        assert marked == ([current] if current else []), where
        # On a phone the header wraps its links but stays a header, not the whole screen.
        assert facts["headerBottom"] < 160, f"{where}: the header is {facts['headerBottom']}px"
        if width >= 1000:
            assert facts["mainLeft"] > 100, f"{where}: the column is not centred"

    # The widest thing the demo shows: the dashboard's report table.
    open_page(page, demo_url + "/dashboard/")
    page.click("#generate")
    page.wait_for_selector("#report-table", timeout=10_000)
    facts = page.evaluate(LAYOUT_FACTS)
    assert facts["width"] == width, f"the report makes the page {facts['width']}px wide"
    assert facts["scrollWidth"] <= width, f"the report is {facts['scrollWidth']}px wide"


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
@pytest.mark.parametrize("name", list(SNAPSHOTS))
def test_pages_look_like_their_screenshots(demo_url, screen, request, name, tmp_path):
    page = screen()
    open_page(page, demo_url + SNAPSHOTS[name])
    page.evaluate("document.fonts.ready")
    actual = page.screenshot(animations="disabled", caret="hide")
    baseline = BASELINES / f"{name}-{request.node.callspec.params['screen']}.png"
    if os.environ.get("DJUST_UPDATE_BASELINES") == "1" or not baseline.exists():
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(actual)
        if os.environ.get("DJUST_UPDATE_BASELINES") != "1":
            pytest.fail(f"no baseline yet: wrote {baseline}; look at it, then commit it")
        return
    compare = screen()
    found = compare.evaluate(
        COMPARE_PNGS,
        [
            base64.b64encode(baseline.read_bytes()).decode(),
            base64.b64encode(actual).decode(),
            CHANNEL_TOLERANCE,
        ],
    )
    kept = tmp_path / baseline.name
    kept.write_bytes(actual)
    assert "size" not in found, f"{baseline.name}: {found['size']} (this run: {kept})"
    share = found["differing"] / found["total"]
    assert share <= MAX_DIFFERING, (
        f"{baseline.name}: {share:.2%} of the pixels differ (this run's screenshot: {kept})"
    )
