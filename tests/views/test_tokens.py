"""View tokens are bound to the visitor (the Django session where there is one, else a signed
cookie) and to the user, so a token cannot be replayed by another browser or user."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import connections
from django.test import Client

from djust import tokens
from djust.exceptions import TokenError
from djust.websocket import LiveViewConsumer
from tests.conftest import TOKEN_RE, run_async


class User:
    is_authenticated = True

    def __init__(self, pk):
        self.pk = pk


def issue(visitor, view="tests.views.live.CounterView"):
    return tokens.issue(view=view, path="/views/counter/", query="", digest="d", visitor=visitor)


def test_a_cookie_visitor_and_no_other_can_use_its_token():
    token = issue(tokens.Visitor(None, "cookie-a", AnonymousUser()))
    assert tokens.verify(token, tokens.Visitor(None, "cookie-a")).view.endswith("CounterView")
    with pytest.raises(TokenError, match="another visitor"):
        tokens.verify(token, tokens.Visitor(None, "cookie-b"))
    with pytest.raises(TokenError, match="another visitor"):
        tokens.verify(token, None)


def test_a_session_visitor_is_known_by_its_session():
    token = issue(tokens.Visitor("session-1", "cookie-a"))
    tokens.verify(token, tokens.Visitor("session-1", None))
    with pytest.raises(TokenError, match="another visitor"):
        tokens.verify(token, tokens.Visitor("session-2", "cookie-a"))


def test_a_page_bound_to_its_cookie_still_mounts_after_gaining_a_session():
    token = issue(tokens.Visitor(None, "cookie-a"))
    tokens.verify(token, tokens.Visitor("session-new", "cookie-a"))


def test_tokens_are_bound_to_the_user():
    token = issue(tokens.Visitor("s", None, User(1)))
    tokens.verify(token, tokens.Visitor("s", None, User(1)))
    with pytest.raises(TokenError, match="another user"):
        tokens.verify(token, tokens.Visitor("s", None, User(2)))
    with pytest.raises(TokenError, match="another user"):
        tokens.verify(token, tokens.Visitor("s", None, AnonymousUser()))
    with pytest.raises(TokenError, match="AuthMiddlewareStack"):
        tokens.verify(token, tokens.Visitor("s", None))
    anonymous = issue(tokens.Visitor("s", None, AnonymousUser()))
    tokens.verify(anonymous, tokens.Visitor("s", None))
    with pytest.raises(TokenError, match="another user"):
        tokens.verify(anonymous, tokens.Visitor("s", None, User(1)))


def test_tokens_carry_no_secret_in_clear():
    token = issue(tokens.Visitor("the-session-key", "the-cookie-id", User(42)))
    body = token.split(":")[0]
    raw = base64.urlsafe_b64decode(body.lstrip(".") + "=" * (-len(body.lstrip(".")) % 4))
    payload = json.loads(zlib.decompress(raw) if body.startswith(".") else raw)
    text = json.dumps(payload)
    assert "the-session-key" not in text and "the-cookie-id" not in text
    assert payload["u"].startswith("s:") and payload["a"].startswith("u:")


def test_a_token_cannot_be_pointed_at_another_view():
    token = issue(tokens.Visitor(None, "c"))
    payload = signing.loads(token, salt=tokens.TOKEN_SALT)
    payload["v"] = "tests.views.live.ComponentsView"
    forged = signing.dumps(payload, salt="not the salt", compress=True)
    with pytest.raises(TokenError, match="not valid"):
        tokens.verify(forged, tokens.Visitor(None, "c"))


def test_expired_and_malformed_tokens(settings):
    with pytest.raises(TokenError, match="no view token"):
        tokens.verify("", tokens.Visitor(None, "c"))
    with pytest.raises(TokenError, match="not a djust view token"):
        tokens.verify(signing.dumps({"x": 1}, salt=tokens.TOKEN_SALT), tokens.Visitor(None, "c"))
    settings.LIVEVIEW_CONFIG = {"token_max_age": -1}
    with pytest.raises(TokenError, match="expired"):
        tokens.verify(issue(tokens.Visitor(None, "c")), tokens.Visitor(None, "c"))


def test_view_token_accepts_a_visitor_directly():
    token = tokens.ViewToken(
        view="v", path="/", query="", digest="d", visitor=tokens.Visitor("s", None, User(3))
    )
    assert token.visitor.startswith("s:") and token.user.startswith("u:")
    tokens.verify(tokens.sign(token), tokens.Visitor("s", None, User(3)))


@pytest.mark.django_db(transaction=True)
def test_a_logged_in_page_mounts_over_an_authenticated_socket(client, django_user_model):
    ada = django_user_model.objects.create_user("ada", password="pw")
    bob = django_user_model.objects.create_user("bob", password="pw")
    client.force_login(ada)
    html = client.get("/views/counter/").content.decode()
    token = TOKEN_RE.search(html).group(1)
    ada_cookie = f"sessionid={client.cookies['sessionid'].value}"
    other = Client()  # a browser of its own: logging bob in here would end ada's session
    other.force_login(bob)
    bob_cookie = f"sessionid={other.cookies['sessionid'].value}"

    async def mount(cookie):
        communicator = WebsocketCommunicator(
            AuthMiddlewareStack(LiveViewConsumer.as_asgi()),
            "/ws/live/",
            headers=[(b"host", b"testserver"), (b"cookie", cookie.encode())],
        )
        connected, _ = await communicator.connect()
        assert connected
        await communicator.send_to(text_data=json.dumps({"t": "mount", "token": token}))
        reply = json.loads(await communicator.receive_from(timeout=5))
        await communicator.disconnect()
        return reply

    replies = {}

    async def both():
        replies["ada"] = await mount(ada_cookie)
        replies["bob"] = await mount(bob_cookie)
        # The consumer's worker thread outlives this test. Its connection to the in-memory
        # test database cannot be closed (SQLite would drop the database), so forget it there,
        # or the next test without database access trips over it.
        await database_sync_to_async(connections.__delitem__)("default")

    run_async(both())
    assert replies["ada"]["t"] == "mounted", replies
    assert replies["bob"]["t"] == "error" and replies["bob"]["code"] == "invalid_token"
