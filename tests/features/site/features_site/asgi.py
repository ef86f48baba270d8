"""ASGI entry point: Django for HTTP, djust's LiveViewConsumer for the socket.

Served by tests/features/conftest.py; by hand, from this folder:
``python -m uvicorn features_site.asgi:application``.
"""

import os

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application
from django.urls import path

from djust.websocket import LiveViewConsumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "features_site.settings")

application = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        "websocket": AuthMiddlewareStack(
            URLRouter(
                [
                    path("ws/live/", LiveViewConsumer.as_asgi()),
                ]
            )
        ),
    }
)
