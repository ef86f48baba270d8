"""The demo's ASGI application (host A), with Django's static files handler in front of HTTP as
Channels' own ``runserver`` puts it: uvicorn alone serves no static files."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serve_bench.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from demo_project.asgi import application as demo_application  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ASGIStaticFilesHandler(demo_application.application_mapping["http"]),
        "websocket": demo_application.application_mapping["websocket"],
    }
)
