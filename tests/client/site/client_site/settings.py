"""Settings for the site the browser tests in tests/client/ serve: the bindings pages only.

It exists for those tests alone, so that editing the demo project cannot break them. Nothing to
set up: the pages store nothing, and a request without a session cookie never reads the session
or user tables, so the database is an empty in-memory SQLite (anything that did query it would
fail loudly with "no such table" instead of leaving a file behind).
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "djust-client-tests-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    # auth and sessions for Channels' AuthMiddlewareStack, as a real project has them
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "djust",
    "bindings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if os.environ.get("DJUST_CLIENT_SOCKET_PATH"):
    # The page's client opens its socket at that path, which nothing serves (client_site/
    # elsewhere.py): the HTTP fallback's tests on every host.
    MIDDLEWARE.insert(0, "client_site.elsewhere.PointSocketElsewhere")

ROOT_URLCONF = "client_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

ASGI_APPLICATION = "client_site.asgi.application"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LIVEVIEW_CONFIG = {
    # DJUST_USE_WEBSOCKET=0 serves the pages over the HTTP fallback.
    "use_websocket": os.environ.get("DJUST_USE_WEBSOCKET", "1") == "1",
    # DJUST_WEBSOCKET_PATH moves the socket (the client's and, under djust serve, the server's).
    "websocket_path": os.environ.get("DJUST_WEBSOCKET_PATH", "/ws/live/"),
    "css_framework": None,
}
