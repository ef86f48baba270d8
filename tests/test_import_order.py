"""Importing djust before Django is configured must not pick settings of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def test_asgi_import_order_keeps_the_projects_settings(tmp_path: Path):
    (tmp_path / "siteconf.py").write_text(
        textwrap.dedent("""
        SECRET_KEY = "from-the-project"
        INSTALLED_APPS = ["channels", "djust"]
        LIVEVIEW_CONFIG = {"websocket_path": "/custom/ws/"}
    """)
    )
    script = textwrap.dedent("""
        import os
        import djust
        from djust.websocket import LiveViewConsumer
        from djust import LiveView, event_handler, render_template
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf")
        from django.core.asgi import get_asgi_application
        application = get_asgi_application()
        from django.conf import settings
        from djust import config
        print(settings.SECRET_KEY, config.get("websocket_path"))
    """)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["from-the-project", "/custom/ws/"]
