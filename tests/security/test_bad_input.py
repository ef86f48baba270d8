"""Bad input, tried against each host while a normal client on the same server keeps clicking:
each attempt is refused cleanly, nothing the normal client holds is lost."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from djust import limits
from djust.config import config
from djust.connection import Connection
from djust.exceptions import NavigationError
from djust.session import LiveSession
from djust.testing import LiveViewTestClient
from tests.security.test_auth import errors, kinds
from tests.session.adapters import Refused, SessionHost, visitor_request

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/security/public/"


def event(ref, name, **params):
    return {"t": "event", "ref": ref, "name": name, "params": params}


class Bystander:
    """A normal visitor of the same server who clicks after every attack."""

    def __init__(self, host):
        self.host = host
        self.conn = host.connect(host.get(URL, host.visitor()))
        self.conn.mount()
        self.count = 0

    def click(self):
        self.count += 1
        frames = self.host.without_resync(self.conn.send(event(self.count, "increment")))
        assert kinds(frames) == ["patch"], frames
        assert f"Count: {self.count}" in json.dumps(frames), frames


@pytest.fixture
def bystander(host):
    return Bystander(host)


def attacker(host, url=URL):
    conn = host.connect(host.get(url, host.visitor()))
    conn.mount()
    return conn


@pytest.mark.parametrize(
    "name",
    [
        "__init__",
        "mount",
        "render_page",
        "handle_info",
        "handle_event",
        "_private",
        "current_uri",
        "get_context_data",
        "push_event",
        "redirect",
        "as_live_view",
        "__class__",
        "form_valid",
        "",
        "a.b",
        "increment ",
    ],
)
def test_calling_what_is_not_a_handler(host, bystander, name):
    conn = attacker(host)
    expected = ["invalid_field"] if name == "" else ["unknown_event"]
    assert errors(host.without_resync(conn.send(event(1, name)))) == expected
    bystander.click()


@pytest.mark.parametrize(
    "params",
    [{"text": {"a": 1}}, {"text": ["x"]}, {"text": 5}, {"unexpected": "x", "text": None}],
)
def test_wrong_and_extra_parameter_types(host, bystander, params):
    conn = attacker(host)
    frames = host.without_resync(conn.send(event(1, "say", **params)))
    assert kinds(frames) in (["patch"], ["error"]), frames
    if frames[0]["t"] == "error":
        assert frames[0]["code"] == "invalid_params"
    bystander.click()


def test_params_that_are_not_an_object(host, bystander):
    conn = attacker(host)
    frame = {"t": "event", "ref": 1, "name": "increment", "params": [1, 2]}
    assert errors(host.without_resync(conn.send(frame))) == ["invalid_field"]
    bystander.click()


def test_deeply_nested_json(host, bystander):
    conn = attacker(host)
    deep = '{"t":"event","ref":1,"name":"say","params":{"text":' + "[" * 100_000
    deep += "]" * 100_000 + "}}"
    try:
        frames = conn.send_raw(deep)
    except Refused as refused:  # the HTTP fallback: Django refuses the body's size
        assert refused.status in (400, 413)
    else:
        assert errors(frames) in (["malformed_frame"], ["frame_too_large"])
    bystander.click()


def test_a_100_mb_frame():
    host = SessionHost()
    try:
        bystander = Bystander(host)
        conn = attacker(host)
        frames = conn.send_raw(
            '{"t":"event","ref":1,"name":"say","params":{"text":"'
            + "x" * (100 * 1024 * 1024)
            + '"}}'
        )
        assert errors(frames) == ["frame_too_large"]
        bystander.click()
    finally:
        host.close()


def test_ten_thousand_events_from_one_socket_with_the_defaults():
    host = SessionHost()
    try:
        bystander = Bystander(host)
        conn = attacker(host)
        frames = conn.send_many([event(i, "increment") for i in range(1, 10_001)])
        first = kinds(frames).index("error")
        # The burst, plus what the bucket refilled while they ran: far fewer than 10,000.
        assert config.get("event_burst") <= first < 2 * config.get("event_burst")
        assert kinds(frames[:first]) == ["patch"] * first
        assert errors(frames[first : first + 1]) == ["server_error"]
        assert set(errors(frames[first + 1 :])) == {"not_mounted"}, "closed: nothing else runs"
        assert conn.session.close_code == 1008
        bystander.click()
    finally:
        host.close()


def test_a_thousand_connections_from_one_address():
    host = SessionHost()
    try:
        page = host.get(URL)
        conns = [host.connect(page) for _ in range(1000)]
        assert all(kinds(c.mount()) == ["mounted"] for c in conns)
        refused = host.connect(page)
        assert errors(refused.mount()) == ["server_error"]
        assert refused.session.close_code == 1008
        # A visitor from another address is not affected.
        own = host.get(URL, host.visitor())
        request = visitor_request(own.visitor, URL)
        request.META["REMOTE_ADDR"] = "203.0.113.9"
        other = LiveSession(Connection.from_request(request))
        mounted = other.handle_frame(json.dumps({"t": "mount", "token": own.token}))
        assert [json.loads(f)["t"] for f in mounted] == ["mounted"]
        clicked = other.handle_frame(json.dumps(event(1, "increment")))
        assert "Count: 1" in clicked[0]
        for conn in conns:
            conn.close()
        assert limits.connections_from("127.0.0.1") == 0, "every slot given back"
    finally:
        host.close()


@pytest.mark.parametrize("origin", ["https://evil.test", "null"])
def test_a_cross_origin_socket(host, bystander, origin):
    page = host.get(URL, host.visitor())
    try:
        conn = host.connect(page, origin=origin)
        frames = conn.mount()
        if host.supports("mount_frames"):
            assert errors(frames) == ["forbidden_origin"]
        else:
            frames = conn.send(event(1, "increment"))
            pytest.fail(f"the HTTP fallback took a cross-origin POST: {frames}")
    except Refused as refused:
        assert refused.status in (403, 4403)
    bystander.click()


def test_a_csrf_less_http_fallback_post():
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(URL).content.decode()
    token = html.split('dj-view="', 1)[1].split('"', 1)[0]
    body = json.dumps({"token": token, **event(1, "increment")})
    assert visitor.post(URL, body, content_type="application/json").status_code == 403


def test_expired_and_tampered_tokens(host, bystander):
    page = host.get(URL, host.visitor())
    conn = host.connect(page)
    tampered = page.token[:10] + ("A" if page.token[10] != "A" else "B") + page.token[11:]
    frames = conn.mount(token=tampered)
    if not host.supports("mount_frames"):
        frames = conn.send(event(1, "increment"))
    assert errors(frames) == ["invalid_token"]
    config.set("token_max_age", -1)
    expired = host.connect(page)
    frames = expired.mount()
    if not host.supports("mount_frames"):
        frames = expired.send(event(1, "increment"))
    assert errors(frames) == ["invalid_token"]
    config.reset("token_max_age")
    bystander.click()


def test_the_login_next_is_always_this_sites_path(client):
    response = client.get("/security/private/?next=https://evil.test/")
    location = response["Location"]
    assert location.startswith("/accounts/login/?next=/security/private/")
    assert "next=https" not in location


def test_live_redirect_refuses_another_site():
    page = LiveViewTestClient("/security/public/")
    with pytest.raises(NavigationError):
        page.view.live_redirect("https://evil.test/")
    with pytest.raises(NavigationError):
        page.view.live_redirect("//evil.test/")


def test_an_xss_payload_is_rendered_escaped(host, bystander):
    conn = attacker(host)
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    frames = host.without_resync(conn.send(event(1, "say", text=payload)))
    text = json.dumps(frames)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    bystander.click()
