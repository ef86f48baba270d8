"""LIVEVIEW_CONFIG as djust reads it (djust.config), and the debug_vdom switch."""

from __future__ import annotations

import logging

import pytest
from django.core import checks

import djust
from djust.config import config
from djust.templatetags.djust_tags import djust_scripts
from djust.testing import LiveViewTestClient


@pytest.fixture(autouse=True)
def no_overrides():
    yield
    config.reset()


def test_overrides_win_over_settings_until_reset(settings):
    settings.LIVEVIEW_CONFIG = {"max_frame_bytes": 500}
    assert config.get("max_frame_bytes") == 500
    config.set("max_frame_bytes", 10)
    assert config.get("max_frame_bytes") == 10
    config.reset("max_frame_bytes")
    assert config.get("max_frame_bytes") == 500
    settings.LIVEVIEW_CONFIG = {}
    assert config.get("max_frame_bytes") == 1024 * 1024


def test_unknown_options_are_refused_with_the_nearest_name():
    with pytest.raises(KeyError, match="no option 'debug_vdm'. Did you mean 'debug_vdom'"):
        config.get("debug_vdm")
    with pytest.raises(KeyError, match="Known options: "):
        config.set("colour", "blue")


def test_manage_py_check_warns_about_unknown_settings_keys(settings):
    settings.LIVEVIEW_CONFIG = {"use_websockets": False, "debug_vdom": True}
    # Only the settings warnings: the deployment checks (djust.S00x) speak of other settings.
    messages = [m for m in checks.run_checks() if m.id and m.id.startswith("djust.W")]
    assert [m.id for m in messages] == ["djust.W001"]
    assert "'use_websockets'" in messages[0].msg
    assert messages[0].hint == "Did you mean 'use_websocket'?"


def test_debug_vdom_tells_the_client_and_logs_patches(caplog):
    assert "data-debug-vdom" not in djust_scripts({})
    config.set("debug_vdom", True)
    assert 'data-debug-vdom="true"' in djust_scripts({})

    class Counter(djust.LiveView):
        template_string = "<p>{{ n }}</p>"
        n = 0

        @djust.event_handler
        def inc(self):
            self.n += 1

    live = LiveViewTestClient(Counter)
    with caplog.at_level(logging.DEBUG, logger="djust.vdom"):
        patches = live.event("inc")
    assert patches == [["text", [0, 0], "1"]]
    assert [r.getMessage() for r in caplog.records if r.name == "djust.vdom"] == [
        'Counter.inc() -> [["text",[0,0],"1"]]'
    ]
