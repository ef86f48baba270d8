"""Auth: who may see a LiveView (before mount, on the GET, every socket mount and navigation),
who may call a handler, and live sessions that end when the user logs out elsewhere."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from djust import LiveView, auth
from djust.testing import LiveViewTestClient
from tests.session.adapters import Refused

pytestmark = pytest.mark.django_db(transaction=True)

EVENT = {"t": "event", "ref": 1, "name": "increment", "params": {}}


def kinds(frames):
    return [f["t"] for f in frames]


def errors(frames):
    return [f["code"] for f in frames if f["t"] == "error"]


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", password="pw")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="pw")


def grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))


# --- the first GET ----------------------------------------------------------------------------


def test_an_anonymous_get_goes_to_the_login_page_with_next(client):
    response = client.get("/security/private/?tab=2")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/security/private/%3Ftab%3D2"


def test_login_url_setting_is_honoured(client, settings):
    settings.LOGIN_URL = "/enter/"
    assert client.get("/security/private/")["Location"] == "/enter/?next=/security/private/"


def test_a_logged_in_get_mounts(client, ada):
    client.force_login(ada)
    response = client.get("/security/private/")
    assert response.status_code == 200 and b"Count: 0" in response.content


def test_a_user_without_the_permission_gets_403_and_mount_never_runs(client, ada, monkeypatch):
    from tests.testapp.security_views import StaffView

    mounted = []
    monkeypatch.setattr(StaffView, "mount", lambda self, request, **kw: mounted.append(1))
    client.force_login(ada)
    assert client.get("/security/staff/").status_code == 403
    assert mounted == []
    client.logout()
    assert client.get("/security/staff/").status_code == 302, "anonymous: to the login page"


def test_a_user_with_the_permission_sees_the_page(client, ada):
    grant(ada, "view_user")
    client.force_login(ada)
    assert client.get("/security/staff/").status_code == 200


def test_the_test_client_follows_the_login_redirect(ada):
    page = LiveViewTestClient("/security/private/")
    assert page.redirected_to == "/accounts/login/?next=/security/private/"
    assert LiveViewTestClient("/security/private/", user=ada).text("#count") == "Count: 0"


# --- sockets, navigation, the HTTP fallback ---------------------------------------------------


def test_a_logged_in_page_mounts_and_runs_events_on_every_host(host, ada):
    visitor = host.visitor()
    visitor.client.force_login(ada)
    conn = host.connect(host.get("/security/private/", visitor))
    assert kinds(conn.mount()) == ["mounted"]
    assert kinds(conn.send(EVENT)) == ["patch"]


def test_permission_revoked_before_the_socket_mounts_sends_the_page_to_its_403(socket_host, ada):
    grant(ada, "view_user")
    visitor = socket_host.visitor()
    visitor.client.force_login(ada)
    page = socket_host.get("/security/staff/", visitor)
    ada.user_permissions.clear()
    frames = socket_host.connect(page).mount()
    assert frames == [{"t": "redirect", "to": "/security/staff/"}]


def test_navigating_to_a_private_view_while_anonymous_goes_to_login(socket_host):
    conn = socket_host.connect(socket_host.get("/security/public/"))
    conn.mount()
    frames = conn.follow("/security/private/")
    assert frames == [{"t": "redirect", "to": "/accounts/login/?next=/security/private/"}]
    assert kinds(conn.send(EVENT)) == ["patch"], "the public view is still mounted"


def test_a_token_for_one_user_never_mounts_for_another(ada, bob):
    from tests.security.conftest import AuthChannelsHost

    host = AuthChannelsHost()
    try:
        first, second = host.visitor(), host.visitor()
        first.client.force_login(ada)
        second.client.force_login(bob)
        page = host.get("/security/private/", first)
        frames = host.connect(page, visitor=second).mount()
        assert errors(frames) == ["invalid_token"]
    finally:
        host.close()


# --- logged out elsewhere ---------------------------------------------------------------------


def another_tab(visitor) -> Client:
    """A second tab of the same browser: the same session cookie."""
    tab = Client()
    tab.cookies = visitor.client.cookies
    return tab


def test_logout_in_another_tab_ends_the_live_session(socket_host, ada):
    visitor = socket_host.visitor()
    visitor.client.force_login(ada)
    conn = socket_host.connect(socket_host.get("/security/private/", visitor))
    conn.mount()
    assert kinds(conn.send(EVENT)) == ["patch"]
    another_tab(visitor).logout()
    try:
        frames = conn.send(EVENT)
    except Refused:  # pragma: no cover - the close may come before the frames are read
        frames = []
    assert errors(frames) == ["invalid_token"]
    assert {"t": "redirect", "to": "/security/private/"} in frames
    assert_closed(conn)


def test_a_password_change_elsewhere_ends_the_live_session(socket_host, ada):
    visitor = socket_host.visitor()
    visitor.client.force_login(ada)
    conn = socket_host.connect(socket_host.get("/security/public/", visitor))
    conn.mount()
    ada.set_password("changed")
    ada.save()
    assert errors(conn.send(EVENT)) == ["invalid_token"]
    assert_closed(conn)


def test_a_password_change_in_this_browser_reloads_its_other_pages(socket_host, ada):
    """Django gives the browser that changed the password a new session key; a socket opened
    with the old one ends, and the page's reload (new cookie) mounts again."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    visitor = socket_host.visitor()
    visitor.client.force_login(ada)
    conn = socket_host.connect(socket_host.get("/security/private/", visitor))
    conn.mount()
    ada.set_password("changed")
    ada.save()
    request = HttpRequest()
    request.user = ada
    request.session = SessionStore(visitor.client.cookies["sessionid"].value)
    update_session_auth_hash(request, ada)
    request.session.save()
    assert errors(conn.send(EVENT)) == ["invalid_token"]
    visitor.client.cookies["sessionid"] = request.session.session_key
    again = socket_host.connect(socket_host.get("/security/private/", visitor))
    assert kinds(again.mount()) == ["mounted"]
    assert kinds(again.send(EVENT)) == ["patch"]


def assert_closed(conn):
    session = getattr(conn, "session", None)
    if session is not None:
        assert session.close_code == auth.CLOSE_POLICY
        assert errors(conn.send(EVENT)) == ["not_mounted"], "an ended session takes nothing"
        assert errors(conn.mount()) == ["not_mounted"], "not even a new mount"
    else:
        assert conn.closed_with == auth.CLOSE_POLICY


# --- handlers ---------------------------------------------------------------------------------


def call(conn, name):
    return conn.send({"t": "event", "ref": conn.next_ref(), "name": name, "params": {}})


def test_a_login_required_handler_refuses_anonymous_calls_and_the_session_goes_on(host):
    conn = host.connect(host.get("/security/public/"))
    conn.mount()
    frames = host.without_resync(call(conn, "save"))
    assert errors(frames) == ["handler_error"] and "logged-in" in frames[0]["message"]
    assert kinds(host.without_resync(call(conn, "increment"))) == ["patch"]


def test_a_permission_required_handler(host, ada):
    visitor = host.visitor()
    visitor.client.force_login(ada)
    conn = host.connect(host.get("/security/public/", visitor))
    conn.mount()
    refused = host.without_resync(call(conn, "purge"))
    assert errors(refused) == ["handler_error"]
    assert "auth.delete_user" in refused[0]["message"]
    assert kinds(host.without_resync(call(conn, "save"))) == ["patch"], "logged in: allowed"


def test_a_permission_required_handler_runs_for_a_user_with_it(ada):
    grant(ada, "delete_user")
    page = LiveViewTestClient("/security/public/", user=ada)
    page.event("purge")
    assert page.text("#count") == "Count: -1"


def test_handler_decorators_keep_the_signature_and_async():
    class AsyncView(LiveView):
        login_required = False
        template_string = "<p>{{ n }}</p>"

        def mount(self, request, **kwargs):
            self.n = 0

        from djust.handlers import event_handler as _mark

        @_mark
        @auth.login_required
        async def bump(self, by: int = 1):
            self.n += by

    page = LiveViewTestClient(AsyncView, user=None)
    with pytest.raises(Exception, match="logged-in"):
        page.event("bump", by="2")
    assert page.view.n == 0


def test_permission_required_refuses_a_malformed_permission():
    with pytest.raises(TypeError, match="app_label.codename"):
        auth.permission_required("delete")


def test_a_permission_revoked_mid_session_counts_from_the_next_event(socket_host, ada):
    grant(ada, "delete_user")
    visitor = socket_host.visitor()
    visitor.client.force_login(ada)
    conn = socket_host.connect(socket_host.get("/security/public/", visitor))
    conn.mount()
    assert kinds(call(conn, "purge")) == ["patch"]
    ada.user_permissions.clear()
    assert errors(call(conn, "purge")) == ["handler_error"]
    assert kinds(call(conn, "increment")) == ["patch"], "the session goes on"


def test_the_mixins_protect_in_either_order(client):
    class Backwards(LiveView, auth.LoginRequiredMixin):
        template_string = "<p>secret</p>"

    page = LiveViewTestClient(Backwards)
    assert page.redirected_to == "/accounts/login/?next=/"
    assert auth.auth_posture(Backwards) == "login required"
