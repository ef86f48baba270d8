"""Uploads in a real browser, on both hosts and over the HTTP fallback: a real file with its
progress and result, drag and drop, previews, cancel, and a file the server refuses."""

from __future__ import annotations

import hashlib

import pytest

from tests.client.pages import open_live, wait_text

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2000  # ~512 KB
DIGEST = hashlib.sha256(PNG).hexdigest()[:12]


def choose(page, name, data, mime="image/png"):
    page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": data}])


def upload_and_save(page):
    choose(page, "me.png", PNG)
    page.wait_for_selector(".entry .progress")
    wait_text(page, ".entry .progress", "100%")
    assert page.get_attribute(".entry img", "src").startswith("blob:")
    page.click("#save")
    wait_text(page, "#saved", f"me.png={DIGEST};")
    assert page.locator(".entry").count() == 0


def test_a_real_file_uploads_with_progress_and_reaches_the_handler(features, page):
    binary: list[bool] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framesent", lambda data: binary.append(not isinstance(data, str))),
    )
    open_live(page, features.url + "/upload/")
    upload_and_save(page)
    # Under Channels the chunks travel as binary frames, not base64.
    assert sum(binary) >= len(PNG) // (64 * 1024)


def test_over_the_http_fallback(features_http, page):
    open_live(page, features_http.url + "/upload/?chunk=131072")
    upload_and_save(page)


def test_drag_and_drop(features, page):
    open_live(page, features.url + "/upload/")
    page.evaluate(
        """() => { const dt = new DataTransfer();
        dt.items.add(new File(["hello"], "d.txt", { type: "text/plain" }));
        document.querySelector('#drop').dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true })); }"""
    )
    wait_text(page, ".entry .progress", "100%")
    wait_text(page, ".entry .name", "d.txt")
    page.click("#save")
    wait_text(page, "#saved", f"d.txt={hashlib.sha256(b'hello').hexdigest()[:12]};")


def test_cancel_stops_an_upload_in_progress(features, page):
    open_live(page, features.url + "/upload/?chunk=1024")
    choose(page, "slow.bin", bytes(3 * 1024 * 1024), mime="application/octet-stream")
    page.wait_for_function(
        "() => { const p = document.querySelector('.entry .progress');"
        " return p && parseInt(p.textContent) >= 1; }"
    )
    page.click(".entry .cancel")
    page.wait_for_function("() => !document.querySelector('.entry')")
    page.click("#save")
    wait_text(page, "#saved", "")
    assert page.locator(".entry").count() == 0


def test_a_renamed_file_is_refused_and_the_page_goes_on(features, page):
    open_live(page, features.url + "/upload/")
    choose(page, "fake.png", b"MZ" + bytes(100))
    page.wait_for_selector(".entry .error")
    assert "do not match" in page.text_content(".entry .error")
    upload_and_save_after_refusal(page)


def upload_and_save_after_refusal(page):
    page.click(".entry .cancel")
    page.wait_for_function("() => !document.querySelector('.entry')")
    upload_and_save(page)


def test_an_upload_resumes_after_the_socket_drops(features, page):
    open_live(page, features.url + "/upload/?chunk=2048")
    data = bytes(range(256)) * 1200  # ~300 KB in 2 KB chunks
    choose(page, "resume.bin", data, mime="application/octet-stream")
    page.wait_for_function(
        "() => { const p = document.querySelector('.entry .progress');"
        " return p && parseInt(p.textContent) >= 5; }"
    )
    at_drop = page.evaluate(
        "() => { const p = parseInt(document.querySelector('.entry .progress').textContent);"
        " window.__sockets.at(-1).close(); return p; }"
    )
    assert at_drop < 100
    page.wait_for_function("() => window.__sockets.length === 2")
    wait_text(page, ".entry .progress", "100%", timeout=30_000)
    page.click("#save")
    wait_text(page, "#saved", f"resume.bin={hashlib.sha256(data).hexdigest()[:12]};")
