"""The contract, part 2: every error code the server produces, each provoked by the frame that
causes it, answered with its code, its ref and a helpful message, and the connection still live
afterwards (a following event still patches)."""

from __future__ import annotations

import pytest

from tests.session.adapters import Refused
from tests.session.frames import assert_error, assert_patch, event, kinds, text


def mounted_counter(host):
    page = host.get("/contract/counter/")
    conn = host.connect(page)
    assert kinds(conn.mount()) == ["mounted"]
    return page, conn


def test_frame_too_large(host, frame_limit):
    frame_limit(2000)
    page, conn = mounted_counter(host)
    oversize = event(1, "add", amount=1, note="x" * 5000)
    if not host.supports("reads_oversize_frames"):
        # Refused on its header (close 1009, nothing read past the limit); the page reconnects.
        with pytest.raises(Refused) as refused:
            conn.send(oversize)
        assert refused.value.status == 1009
        conn = host.connect(page)
        conn.mount(reconnect=True)
        assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")
        return
    frames = conn.send(oversize)
    error = assert_error(frames, "frame_too_large", None)
    assert "2000" in error["message"], "the message names the limit"
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]"], ids=["not-json", "json-array"])
def test_malformed_frame(host, raw):
    _page, conn = mounted_counter(host)
    assert_error(conn.send_raw(raw), "malformed_frame", None)
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")


def test_unknown_message(host):
    _page, conn = mounted_counter(host)
    error = assert_error(conn.send({"t": "nope", "ref": 7}), "unknown_message", 7)
    assert "nope" in error["message"]
    assert_patch(conn.send(event(8, "increment")), 8, "Count: 1")


def test_invalid_field(host):
    _page, conn = mounted_counter(host)
    error = assert_error(conn.send({"t": "event", "ref": 1}), "invalid_field", 1)
    assert "name" in error["message"]
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")


def test_not_mounted(host):
    host.needs("mount_frames")
    page = host.get("/contract/counter/")
    conn = host.connect(page)
    error = assert_error(conn.send(event(1, "increment")), "not_mounted", 1)
    assert "mount" in error["message"]
    assert kinds(conn.mount()) == ["mounted"]
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")


def test_already_mounted(host):
    host.needs("mount_frames")
    _page, conn = mounted_counter(host)
    assert_patch(conn.send(event(1, "increment")), 1, "Count: 1")
    assert_error(conn.mount(), "already_mounted", None)
    assert conn.send({"t": "ping", "ref": 2}) == [{"t": "pong", "ref": 2}]
    assert_patch(conn.send(event(3, "increment")), 3, "Count: 2")


def refused_token(host, conn, token, url=None):
    """Mount with ``token``; the frames that answer it. Where mounting is implicit (the HTTP
    fallback), the first event carries the token, so the answer has its ref."""
    frames = conn.mount(token=token, url=url)
    if host.supports("mount_frames"):
        return frames, None
    return conn.send(event(1, "increment")), 1


def test_invalid_token_forged(host):
    page = host.get("/contract/counter/")
    conn = host.connect(page)
    forged = page.token[:-3] + ("aaa" if not page.token.endswith("aaa") else "bbb")
    frames, ref = refused_token(host, conn, forged)
    assert_error(frames, "invalid_token", ref)
    assert kinds(conn.mount(token=page.token)) == ["mounted"], "the genuine token still works"
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 1")


def test_invalid_token_of_another_visitor(host):
    page = host.get("/contract/counter/")
    other = host.visitor()
    own_page = host.get("/contract/counter/?start=10", other)
    conn = host.connect(page, visitor=other)
    frames, ref = refused_token(host, conn, page.token)
    error = assert_error(frames, "invalid_token", ref)
    assert "another visitor" in error["message"]
    assert kinds(conn.mount(token=own_page.token, url=own_page.url)) == ["mounted"]
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 11")


@pytest.mark.parametrize(
    "name", ["reset", "_sneaky", "mount", "nope"], ids=["unmarked", "private", "mount", "missing"]
)
def test_unknown_event(host, name):
    _page, conn = mounted_counter(host)
    assert_patch(conn.send(event(1, "increment")), 1, "Count: 1")
    error = assert_error(conn.send(event(2, name)), "unknown_event", 2)
    assert repr(name) in error["message"] and "@event_handler" in error["message"]
    # Nothing ran: the count goes on from 1.
    assert_patch(conn.send(event(3, "increment")), 3, "Count: 2")


def test_invalid_params(host):
    _page, conn = mounted_counter(host)
    error = assert_error(conn.send(event(1, "add", amount="lots")), "invalid_params", 1)
    assert "'amount'" in error["message"] and "'lots'" in error["message"]
    error = assert_error(conn.send(event(2, "add")), "invalid_params", 2)
    assert "'amount'" in error["message"]
    assert_patch(conn.send(event(3, "add", amount=2)), 3, "Count: 2")


def test_unknown_target(host):
    conn = host.connect(host.get("/contract/board/"))
    conn.mount()
    error = assert_error(conn.send(event(1, "inc", target="ghost")), "unknown_target", 1)
    assert "'ghost'" in error["message"] and "'tally'" in error["message"]
    assert_patch(conn.send(event(2, "inc", target="tally")), 2, "first: 1")


def test_handler_error_sends_the_patch_of_what_it_changed_then_the_error(host):
    _page, conn = mounted_counter(host)
    frames = conn.send(event(1, "explode"))
    assert kinds(frames) == ["patch", "error"], frames
    assert_patch(frames[:1], 1, "Count: 99")
    error = assert_error(frames[1:], "handler_error", 1)
    assert error["message"].startswith("explode() raised RuntimeError"), error
    assert "boom" not in error["message"], "outside DEBUG the exception's text stays private"
    assert_patch(conn.send(event(2, "increment")), 2, "Count: 100")


def test_template_error(host):
    conn = host.connect(host.get("/contract/fragile/"))
    conn.mount()
    assert_error(conn.send(event(1, "break_template")), "template_error", 1)
    assert_patch(conn.send(event(2, "repair")), 2, "a b")


def test_server_error(host):
    """The view fails outside its handler and its template (building the context)."""
    conn = host.connect(host.get("/contract/fragile/"))
    conn.mount()
    error = assert_error(conn.send(event(1, "poison")), "server_error", 1)
    assert "RuntimeError" in error["message"]
    assert "cannot be built" not in error["message"], "outside DEBUG the text stays private"
    assert_patch(conn.send(event(2, "repair")), 2, "a b")


def test_invalid_url(host):
    conn = host.connect(host.get("/contract/paged/"))
    conn.mount()
    frames = conn.send({"t": "params", "ref": 1, "url": "/contract/detail/2/"})
    error = assert_error(frames, "invalid_url", 1)
    assert "dj-navigate" in error["message"] and "PagedView" in error["message"]
    assert_patch(conn.send(event(2, "click")), 2, "1 clicks")


def test_invalid_transport(host):
    host.needs("posted_frames")
    page, conn = mounted_counter(host)
    assert_error(conn.send({"t": "mount", "token": page.token}), "invalid_transport", None)
    assert_patch(conn.send(event(1, "increment")), 1, "Count: 1")


def test_forbidden_origin(host):
    """A connection from another site's page mounts nothing: the host refuses the connection
    itself (a WebSocket close code, Django's CSRF 403), or the session answers forbidden_origin."""
    page = host.get("/contract/counter/")
    try:
        conn = host.connect(page, origin="https://evil.example")
        frames, ref = refused_token(host, conn, page.token)
    except Refused as refused:
        assert refused.status in (403, 4403), refused
    else:
        assert_error(frames, "forbidden_origin", ref)
        assert "Count" not in text(conn.send(event(2, "increment")))
    same = host.connect(page)
    same.mount()
    assert_patch(same.send(event(3, "increment")), 3, "Count: 1")


def test_every_error_code_is_covered():
    """The codes above are all the codes there are (djust.exceptions.ERROR_CODES, from
    runtime/protocol/src/constants.rs)."""
    from djust import exceptions

    codes = getattr(exceptions, "ERROR_CODES", None)
    if codes is None:
        pytest.skip("djust.exceptions.ERROR_CODES has not landed yet")
    covered = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    covered = {code for code in codes if any(name.startswith(code) for name in covered)}
    assert set(codes) == covered, f"codes without a contract test: {set(codes) - covered}"
